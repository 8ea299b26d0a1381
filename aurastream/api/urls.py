from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import views as accounts_api
from billing.api import views as billing_api
from brandkits.api import views as brandkits_api
from coach.api import events as coach_events
from coach.api import views as coach_api
from connections.api import views as connections_api
from developers.api import views as developers_api
from generation.api import events as generation_events
from generation.api import views as generation_api
from library.api import views as library_api
from webhooks.api import views as webhooks_api

from . import auth

urlpatterns = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="api-token"),
    path("auth/token/refresh/", auth.TokenRefreshView.as_view(), name="api-token-refresh"),
    path("auth/token/verify/", auth.TokenVerifyView.as_view(), name="api-token-verify"),
    path("auth/logout/", auth.LogoutView.as_view(), name="api-logout"),
    path("me/", accounts_api.me, name="api-me"),
    path("connections/", connections_api.connection_list, name="api-connections"),
    path("connections/<int:connection_id>/", connections_api.connection_detail, name="api-connection"),
    path(
        "connections/<int:connection_id>/read/", connections_api.connection_read, name="api-connection-read"
    ),
    path(
        "connections/<int:connection_id>/videos/",
        connections_api.connection_videos,
        name="api-connection-videos",
    ),
    path("connections/<slug:provider>/start/", connections_api.connect_start, name="api-connection-start"),
    path("connections/<slug:provider>/finish/", connections_api.connect_finish, name="api-connection-finish"),
    path("assets/<uuid:asset_id>/publish/", connections_api.asset_publish, name="api-asset-publish"),
    path("brand-kits/", brandkits_api.kit_list, name="api-brand-kits"),
    path("brand-kits/palette/", brandkits_api.palette_extract, name="api-brand-kit-palette"),
    path("brand-kits/contrast/", brandkits_api.contrast_check, name="api-brand-kit-contrast"),
    path("brand-kits/fonts/", brandkits_api.font_list, name="api-brand-fonts"),
    path("media/", brandkits_api.media_list, name="api-media"),
    path("media/<int:media_id>/", brandkits_api.media_detail, name="api-media-item"),
    path("media/<int:media_id>/restore/", brandkits_api.media_restore, name="api-media-restore"),
    path("brand-kits/<int:kit_id>/", brandkits_api.kit_detail, name="api-brand-kit"),
    path("brand-kits/<int:kit_id>/colors/", brandkits_api.kit_colors, name="api-brand-kit-colors"),
    path(
        "brand-kits/<int:kit_id>/typography/", brandkits_api.kit_typography, name="api-brand-kit-typography"
    ),
    path("brand-kits/<int:kit_id>/logos/", brandkits_api.kit_logos, name="api-brand-kit-logos"),
    path(
        "brand-kits/<int:kit_id>/logos/<str:role>/", brandkits_api.kit_logo_detail, name="api-brand-kit-logo"
    ),
    path("brand-kits/<int:kit_id>/duplicate/", brandkits_api.kit_duplicate, name="api-brand-kit-duplicate"),
    path("brand-kits/<int:kit_id>/default/", brandkits_api.kit_set_default, name="api-brand-kit-default"),
    path("platforms/", generation_api.platform_list, name="api-platforms"),
    path("templates/", generation_api.template_list, name="api-templates"),
    path("templates/<slug:key>/", generation_api.template_detail, name="api-template"),
    path("templates/<slug:key>/generate/", generation_api.template_generate, name="api-template-generate"),
    path("templates/<slug:key>/preview/", generation_api.template_preview, name="api-template-preview"),
    path("generations/", generation_api.GenerationList.as_view(), name="api-generations"),
    path("generations/<uuid:job_id>/", generation_api.generation_detail, name="api-generation"),
    path("generations/<uuid:job_id>/cancel/", generation_api.generation_cancel, name="api-generation-cancel"),
    path(
        "generations/<uuid:job_id>/events", generation_events.generation_events, name="api-generation-events"
    ),
    path("coach/sessions/", coach_api.session_list, name="api-coach-sessions"),
    path("coach/sessions/<uuid:session_id>/", coach_api.session_detail, name="api-coach-session"),
    path(
        "coach/sessions/<uuid:session_id>/restore/",
        coach_api.session_restore,
        name="api-coach-session-restore",
    ),
    path(
        "coach/sessions/<uuid:session_id>/messages/",
        coach_events.session_messages,
        name="api-coach-session-messages",
    ),
    path(
        "coach/sessions/<uuid:session_id>/generate/",
        coach_api.session_generate,
        name="api-coach-session-generate",
    ),
    path("assets/", library_api.AssetList.as_view(), name="api-assets"),
    path("assets/<uuid:asset_id>/", library_api.asset_detail, name="api-asset"),
    path("assets/<uuid:asset_id>/restore/", library_api.asset_restore, name="api-asset-restore"),
    path("assets/<uuid:asset_id>/versions/", library_api.asset_versions, name="api-asset-versions"),
    path(
        "assets/<uuid:asset_id>/make-current/", library_api.asset_make_current, name="api-asset-make-current"
    ),
    path("assets/<uuid:asset_id>/refine/", generation_api.asset_refine, name="api-asset-refine"),
    path("assets/<uuid:asset_id>/animate/", generation_api.asset_animate, name="api-asset-animate"),
    path(
        "assets/<uuid:asset_id>/share/rotate/", library_api.asset_share_rotate, name="api-asset-share-rotate"
    ),
    path("collections/", library_api.collection_list, name="api-collections"),
    path("collections/<int:collection_id>/", library_api.collection_detail, name="api-collection"),
    path(
        "collections/<int:collection_id>/restore/",
        library_api.collection_restore,
        name="api-collection-restore",
    ),
    path("library/usage/", library_api.library_usage, name="api-library-usage"),
    path("keys/", developers_api.key_list, name="api-keys"),
    path("keys/<int:key_id>/", developers_api.key_detail, name="api-key"),
    path("billing/", billing_api.billing, name="api-billing"),
    path("billing/checkout/", billing_api.checkout, name="api-billing-checkout"),
    path("billing/portal/", billing_api.portal, name="api-billing-portal"),
    path("webhooks/endpoints/", webhooks_api.endpoint_list, name="api-webhook-endpoints"),
    path("webhooks/endpoints/<int:endpoint_id>/", webhooks_api.endpoint_detail, name="api-webhook-endpoint"),
    path(
        "webhooks/endpoints/<int:endpoint_id>/rotate/",
        webhooks_api.endpoint_rotate,
        name="api-webhook-endpoint-rotate",
    ),
    path(
        "webhooks/endpoints/<int:endpoint_id>/deliveries/",
        webhooks_api.endpoint_deliveries,
        name="api-webhook-endpoint-deliveries",
    ),
    path(
        "webhooks/deliveries/<int:delivery_id>/redeliver/",
        webhooks_api.delivery_redeliver,
        name="api-webhook-delivery-redeliver",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
