from django.urls import path

from . import notification_views, ux_views, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("profile/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("profile/emails/", notification_views.email_preferences, name="email_preferences"),
    path("email/unsubscribe/<str:token>/", notification_views.email_unsubscribe, name="email_unsubscribe"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/<int:notification_id>/open/",
        notification_views.notification_open,
        name="notification_open",
    ),
    path("notifications/read/", notification_views.notifications_read_all, name="notifications_read_all"),
    path("profile/shortcuts/", ux_views.shortcuts_save, name="shortcuts_save"),
    path("tour/", ux_views.tour, name="tour"),
    path("milestones/seen/", ux_views.milestones_seen, name="milestones_seen"),
]
