from __future__ import annotations

from django import forms

from .models import EVENT_TYPES
from .services import WebhookError, url_validate


class EndpointForm(forms.Form):
    url = forms.URLField(
        label="Endpoint URL",
        max_length=2000,
        assume_scheme="https",
        help_text="Where we POST each event, signed. It must answer within 5 seconds with a 2xx.",
    )
    description = forms.CharField(label="Description", max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label="Events",
        choices=[(t, f"{t}: {label}") for t, label in EVENT_TYPES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave all unticked to receive every event.",
    )

    def clean_url(self) -> str:
        try:
            return url_validate(self.cleaned_data["url"])
        except WebhookError as error:
            raise forms.ValidationError(error.message) from error
