from django.urls import path

from . import views

app_name = "workspaces"

urlpatterns = [
    path("workspaces/switch/", views.switch, name="switch"),
]
