from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from aurastream.types import form_field
from brandkits.models import BrandKit

from .providers import coach_targets


def target_choices() -> list[tuple[str, Any]]:
    """The platform assets the coach can aim for, grouped by platform, after a "decide later" choice."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for target in coach_targets():
        groups.setdefault(target.platform_label, []).append(
            (target.key, f"{target.platform_label} · {target.label}")
        )
    return [("", "Not sure yet: ask the coach"), *groups.items()]


class SessionCreateForm(forms.Form):
    brand_kit = forms.ModelChoiceField(
        label="Brand kit",
        queryset=BrandKit.objects.none(),
        required=False,
        empty_label="My default kit",
        help_text="The coach suggests colours and style from this kit.",
    )
    spec_key = forms.ChoiceField(
        label="What to make",
        required=False,
        help_text="Optional. Pick one if you already know the platform and asset type.",
    )

    def __init__(self, *args: Any, brand_kits: QuerySet[BrandKit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "brand_kit", forms.ModelChoiceField).queryset = brand_kits
        form_field(self, "spec_key", forms.ChoiceField).choices = target_choices()
