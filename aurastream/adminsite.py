"""The operators' admin site: the product's sections first, each a group of related models, then
the system's, then dj-stripe's records as one collapsed group at the end.

``OperationsAdminConfig`` (in ``INSTALLED_APPS`` in place of Django's admin) makes this the
default site, so every app's ``admin.site.register`` lands here. Who may open it is decided
before any admin view runs: ``aurastream.middleware.ActingUserMiddleware`` answers a signed-in
creator's request for any path under the admin with the site's 404 (docs/ARCHITECTURE.md, The
admin).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.urls import reverse_lazy


@dataclass(frozen=True)
class Section:
    name: str
    apps: tuple[str, ...]  # the app labels it gathers; its heading links to the first one's page
    collapsed: bool = False  # drawn closed (a <details>), for long lists operators rarely open


# The product's sections in the order operators reach for them, then the system's, then Stripe.
SECTIONS = (
    Section("Accounts", ("accounts", "account", "socialaccount")),
    Section("Workspaces", ("workspaces",)),
    Section("Billing", ("billing",)),
    Section("Generation", ("generation",)),
    Section("Library", ("library",)),
    Section("Brand kits", ("brandkits",)),
    Section("Prompt Coach", ("coach",)),
    Section("Platform connections", ("connections",)),
    Section("Developers", ("developers",)),
    Section("Webhooks", ("webhooks",)),
    Section("Analytics", ("analytics",)),
    Section("Staff and system", ("admin", "auth", "sites", "token_blacklist")),
    Section("Stripe", ("djstripe",), collapsed=True),
)
STRIPE = SECTIONS[-1]
# Models shown under another name, or in another section than their app's.
MODEL_NAMES = {("admin", "LogEntry"): "Staff actions"}
MODEL_SECTIONS = {("socialaccount", "SocialApp"): "Staff and system"}  # sign-in providers' keys
# Each section's main model comes first; the others follow by name.
MAIN_MODELS = {
    ("accounts", "User"),
    ("workspaces", "Workspace"),
    ("billing", "PlanGrant"),
    ("library", "Asset"),
    ("brandkits", "BrandKit"),
}


# The staff analytics dashboard (analytics/views.py), first in its section.
DASHBOARD: dict[str, Any] = {
    "name": "Dashboard: traffic, funnel, cohorts, key metrics, generation health",
    "object_name": "Dashboard",
    "admin_url": reverse_lazy("analytics:dashboard"),
    "add_url": None,
    "view_only": True,
    "main": True,
}


class OperationsSite(admin.AdminSite):
    site_header = "AuraStream operations"
    site_title = "AuraStream admin"
    index_title = "Operations"
    # The index is the map (its sections); a sidebar copy of it on every page would take the
    # width a list needs to fit a laptop's window.
    enable_nav_sidebar = False

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        """The sections, in order, each with the models the operator may see (on an app's own
        page: the section holding that app). An app no section names (a new one) is a section
        of its own, after the product's and before Stripe."""
        apps = self._build_app_dict(request)
        homes = {label: section.name for section in SECTIONS for label in section.apps}
        sections = {section.name: self._section(section, apps) for section in SECTIONS}
        strays = []
        for label, app in sorted(apps.items()):
            if label not in homes:
                strays.append({**app, "apps": (label,), "collapsed": False})
                continue
            for model in app["models"]:
                key = (label, model["object_name"])
                model["name"] = MODEL_NAMES.get(key, model["name"])
                model["main"] = key in MAIN_MODELS
                sections[MODEL_SECTIONS.get(key, homes[label])]["models"].append(model)
        for section in sections.values():
            section["models"].sort(key=lambda model: (not model["main"], model["name"]))
        if request.user.is_active and request.user.is_staff:
            sections["Analytics"]["models"].insert(0, DASHBOARD)
            sections["Analytics"]["app_url"] = DASHBOARD["admin_url"]
        stripe = sections.pop(STRIPE.name)
        listed = [section for section in (*sections.values(), *strays, stripe) if section["models"]]
        if app_label is not None:
            return [section for section in listed if app_label in section["apps"]][:1]
        return listed

    @staticmethod
    def _section(section: Section, apps: dict[str, dict[str, Any]]) -> dict[str, Any]:
        first = next((apps[label] for label in section.apps if label in apps), None)
        return {
            "name": section.name,
            "app_label": first["app_label"] if first else section.apps[0],
            "app_url": first["app_url"] if first else "",
            "has_module_perms": True,
            "apps": section.apps,
            "collapsed": section.collapsed,
            "models": [],
        }


class OperationsAdminConfig(AdminConfig):
    """Django's admin, on the operators' site."""

    default_site = "aurastream.adminsite.OperationsSite"
