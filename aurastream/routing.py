"""Websocket routes, one list per app, joined here."""

from accounts.routing import websocket_urlpatterns as accounts_websockets
from coach.routing import websocket_urlpatterns as coach_websockets

websocket_urlpatterns = [*accounts_websockets, *coach_websockets]
