"""ASGI entry point: daphne serves HTTP and websockets (websockets only, in production)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aurastream.settings.base")

# Django must be set up before anything imports models (the consumers do).
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402 - after Django is set up

from .origins import SameOriginValidator  # noqa: E402 - after Django is set up
from .routing import websocket_urlpatterns  # noqa: E402 - after Django is set up
from .sockets import SocketAuthMiddlewareStack  # noqa: E402 - after Django is set up

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The origin is checked from the headers; who is signed in is looked up only after the
        # consumer has accepted (aurastream/sockets.py), so a burst of sockets never waits on
        # the database for its handshake.
        "websocket": SameOriginValidator(SocketAuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
