"""The library's pages and the public pages of shared assets."""

urlpatterns: list = []
