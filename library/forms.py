"""Forms of the library pages: the filter bar, the asset editor, collections and bulk actions.

Forms only parse and check what the browser sent; the rules (tag limits, unique collection
names, ownership) live in ``services`` and come back as ValidationError.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.db.models import QuerySet

from aurastream.types import form_field
from platforms import platform_label

from .models import Collection
from .selectors import SORTS, LibraryFilters
from .services import COLLECTION_CHARS, TITLE_CHARS

SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "title": "Title A–Z", "largest": "Largest"}


def asset_type_label(asset_type: str) -> str:
    return asset_type.replace("_", " ").capitalize()


def split_tags(text: str) -> list[str]:
    """Tags typed as "ranked, halloween" (commas, or spaces between #tags)."""
    if "," not in text and "#" in text:
        return [word for word in text.split() if word.strip("#")]
    return [part for part in text.split(",") if part.strip()]


class LibraryFilterForm(forms.Form):
    """The library's querystring. A value that does not fit is dropped from the filter and its
    error shown next to the field, so a stale or hand-edited link still shows a library."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    platform = forms.ChoiceField(label="Platform", required=False)
    asset_type = forms.ChoiceField(label="Asset type", required=False)
    brand_kit = forms.TypedChoiceField(label="Brand kit", required=False, coerce=int, empty_value=None)
    collection = forms.TypedChoiceField(label="Collection", required=False, coerce=int, empty_value=None)
    tag = forms.ChoiceField(label="Tag", required=False)
    favourite = forms.BooleanField(label="Favourites only", required=False)
    created_from = forms.DateField(
        label="Made from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label="Made until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="Sort", required=False, choices=[(key, SORT_LABELS[key]) for key in SORTS])

    def __init__(
        self,
        data: Any,
        *,
        platforms: list[str],
        asset_types: list[str],
        brand_kits: list[tuple[int, str]],
        collections: list[Collection],
        tags: list[str],
    ) -> None:
        super().__init__(data)
        form_field(self, "platform", forms.ChoiceField).choices = [("", "All platforms")] + [
            (value, platform_label(value)) for value in platforms
        ]
        form_field(self, "asset_type", forms.ChoiceField).choices = [("", "All types")] + [
            (value, asset_type_label(value)) for value in asset_types
        ]
        form_field(self, "brand_kit", forms.ChoiceField).choices = [("", "Any brand kit")] + [
            (str(kit_id), name or f"Kit {kit_id}") for kit_id, name in brand_kits
        ]
        form_field(self, "collection", forms.ChoiceField).choices = [("", "All collections")] + [
            (str(collection.pk), collection.name) for collection in collections
        ]
        form_field(self, "tag", forms.ChoiceField).choices = [("", "Any tag")] + [
            (name, f"#{name}") for name in tags
        ]

    @classmethod
    def for_library(
        cls,
        data: Any,
        *,
        facets: list[tuple[str, str, int | None, str]],
        collections: list[Collection],
        tags: list[str],
    ) -> LibraryFilterForm:
        """The filters for a library whose assets have these (platform, asset_type, brand_kit_id,
        brand_kit_name) ``facets`` (selectors.asset_facets)."""
        return cls(
            data,
            platforms=sorted({platform for platform, _, _, _ in facets}),
            asset_types=sorted({asset_type for _, asset_type, _, _ in facets}),
            brand_kits=sorted(
                {(kit_id, name) for _, _, kit_id, name in facets if kit_id is not None}, key=str
            ),
            collections=collections,
            tags=tags,
        )

    def shown(self) -> tuple[object, ...]:
        """Everything the form shows once rendered (the key of its cached HTML): what the
        querystring asked for, and what each field offers."""
        data: Any = self.data  # a QueryDict: a key may be given more than once
        asked = sorted((key, data.getlist(key)) for key in data if key in self.fields)
        offered = [(name, list(getattr(field, "choices", ()))) for name, field in self.fields.items()]
        return asked, offered

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("created_from"), cleaned.get("created_to")
        if start and end and start > end:
            self.add_error("created_to", "The end date is before the start date, so it was left out.")
        return cleaned

    def filters(self) -> LibraryFilters:
        """What to narrow the list by: only the fields that are valid (call is_valid first)."""
        data = self.cleaned_data
        return LibraryFilters(
            platform=data.get("platform") or "",
            asset_type=data.get("asset_type") or "",
            brand_kit_id=data.get("brand_kit"),
            collection_id=data.get("collection"),
            tag=data.get("tag") or "",
            favourite=bool(data.get("favourite")),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            search=data.get("q") or "",
            sort=data.get("sort") or "newest",
        )

    @property
    def is_filtered(self) -> bool:
        """Does the list show less than the whole library? (Sort alone does not narrow it.)"""
        chosen = self.filters()
        return chosen != LibraryFilters(sort=chosen.sort)


class AssetEditForm(forms.Form):
    title = forms.CharField(label="Name", max_length=TITLE_CHARS)
    favourite = forms.BooleanField(label="Favourite", required=False)
    collection = forms.ModelChoiceField(
        label="Collection", queryset=Collection.objects.none(), required=False, empty_label="No collection"
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text="Separate tags with commas, e.g. ranked, halloween.",
    )

    def __init__(self, *args: Any, collections: QuerySet[Collection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "collection", forms.ModelChoiceField).queryset = collections

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data["tags"])


class CollectionForm(forms.Form):
    name = forms.CharField(label="Collection name", max_length=COLLECTION_CHARS)


class AssetIdsField(forms.Field):
    """Several asset ids from checkboxes named alike; ids that are not UUIDs are an error."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        try:
            return [uuid.UUID(str(item)) for item in values]
        except ValueError as error:
            raise forms.ValidationError("Some of the selected assets could not be found.") from error

    def validate(self, value: list[uuid.UUID]) -> None:
        if not value:
            raise forms.ValidationError("Select at least one asset first.")


class BulkForm(forms.Form):
    """Selected assets, and where to go back to afterwards."""

    assets = AssetIdsField()
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class BulkMoveForm(BulkForm):
    collection = forms.TypedChoiceField(
        label="Move to", required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args: Any, collections: list[Collection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "collection", forms.ChoiceField).choices = [("", "No collection")] + [
            (str(collection.pk), collection.name) for collection in collections
        ]


class BulkTagForm(BulkForm):
    tags = forms.CharField(label="Add tags", max_length=1000)

    def tag_names(self) -> list[str]:
        return split_tags(self.cleaned_data["tags"])
