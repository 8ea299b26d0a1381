from .download_urls import urlpatterns as download_urlpatterns
from .page_urls import urlpatterns as page_urlpatterns

app_name = "library"

urlpatterns = [*page_urlpatterns, *download_urlpatterns]
