from django.urls import path

from .consumers import CoachConsumer

websocket_urlpatterns = [
    path("ws/coach/<uuid:session_id>/", CoachConsumer.as_asgi()),
]
