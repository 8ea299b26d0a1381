from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("teams/", views.team_list, name="list"),
    path("teams/new/", views.team_create, name="new"),
    path("teams/join/<str:token>/", views.join, name="join"),
    path("teams/<int:workspace_id>/", views.team_detail, name="detail"),
    path("teams/<int:workspace_id>/invite/", views.invite, name="invite"),
    path(
        "teams/<int:workspace_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("teams/<int:workspace_id>/members/<int:member_id>/role/", views.member_role, name="member_role"),
    path(
        "teams/<int:workspace_id>/members/<int:member_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("teams/<int:workspace_id>/transfer/", views.transfer, name="transfer"),
    path("teams/<int:workspace_id>/rename/", views.team_rename, name="rename"),
    path("teams/<int:workspace_id>/delete/", views.team_delete, name="delete"),
]
