from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("pricing/", views.pricing, name="pricing"),
    path("billing/", views.billing, name="billing"),
    path("billing/checkout/", views.checkout, name="checkout"),
    path("billing/checkout/done/", views.checkout_done, name="checkout_done"),
    path("billing/portal/", views.portal, name="portal"),
]
