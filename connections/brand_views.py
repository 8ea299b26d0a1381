"""A connected channel's identity into a brand kit: its name, and colours found in its avatar
or banner by the brand kits' own palette extraction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from PIL import Image, UnidentifiedImageError

from aurastream.types import AuthenticatedHttpRequest, form_field
from brandkits import palette
from brandkits.models import BrandKit
from brandkits.selectors import brand_kit_list
from brandkits.services import BrandKitLimitReached, brand_kit_create, brand_kit_update, kits_allowance

from . import selectors
from .models import Connection

ROLES = ("primary", "secondary", "accent", "background", "text")


def _palette(connection: Connection, source: str) -> list[palette.SuggestedColor]:
    field = connection.banner if source == "banner" else connection.avatar
    if not field:
        return []
    try:
        with field.open("rb") as handle, Image.open(handle) as image:
            return palette.extract_palette(image.convert("RGBA"), count=6)
    except (OSError, UnidentifiedImageError):
        return []


class BrandImportForm(forms.Form):
    source = forms.ChoiceField(label="Colours from", widget=forms.RadioSelect)
    kit = forms.ChoiceField(label="Put them in")
    use_name = forms.BooleanField(label="Use the channel's name", required=False, initial=True)

    def __init__(self, *args: Any, connection: Connection, kits: list[BrandKit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = [("avatar", "The channel's avatar")] if connection.avatar else []
        if connection.banner:
            sources.append(("banner", "The channel's banner"))
        source = form_field(self, "source", forms.ChoiceField)
        source.choices = sources
        source.initial = sources[0][0] if sources else None
        kit = form_field(self, "kit", forms.ChoiceField)
        kit.choices = [
            ("new", "A new brand kit"),
            *((str(k.pk), f"“{k.name}” (replaces its colours)") for k in kits),
        ]
        kit.initial = "new"


@require_http_methods(["GET", "POST"])
@login_required
def brand_import(request: AuthenticatedHttpRequest, connection_id: int) -> HttpResponse:
    connection = selectors.connection_get(user=request.user, connection_id=connection_id)
    kits = list(brand_kit_list(user=request.user))
    form = BrandImportForm(request.POST or None, connection=connection, kits=kits)
    palettes = {source: _palette(connection, source) for source in ("avatar", "banner")}
    status = 200
    if request.method == "POST" and form.is_valid():
        colours = palettes[form.cleaned_data["source"]]
        fields: dict[str, Any] = {f"{c.role}_color": c.hex for c in colours if c.role in ROLES}
        fields["extra_colors"] = [c.hex for c in colours if c.role == "extra"]
        if form.cleaned_data["use_name"]:
            fields["channel_name"] = connection.display_name[:60]
        try:
            if form.cleaned_data["kit"] == "new":
                kit = brand_kit_create(
                    owner=request.user, name=connection.display_name[:80] or "My brand", **fields
                )
            else:
                kit = next(k for k in kits if str(k.pk) == form.cleaned_data["kit"])
                brand_kit_update(kit=kit, **fields)
        except BrandKitLimitReached as limit:
            form.add_error("kit", str(limit))
            status = 403
        except ValidationError as error:
            form.add_error(None, error.messages)
            status = 400
        else:
            messages.success(
                request,
                f"Colours from your {connection.provider_label} {form.cleaned_data['source']} "
                f"are in “{kit.name}”.",
            )
            return redirect("brandkits:edit", kit_id=kit.pk)
    elif request.method == "POST":
        status = 400
    context = {
        "connection": connection,
        "form": form,
        "palettes": palettes,
        "allowance": kits_allowance(request.user),
    }
    return render(request, "connections/brand_import.html", context, status=status)
