from __future__ import annotations

from typing import Any

from django import forms

from workspaces.models import Membership

from .models import SCOPE_DESCRIPTIONS, Scope

EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=60, help_text="What uses the key, e.g. “OBS overlay script”."
    )
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        choices=[(s.value, f"{s.label}: {SCOPE_DESCRIPTIONS[s]}") for s in Scope],
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        error_messages={"required": "Choose at least one thing the key may do."},
    )
    expires = forms.ChoiceField(label="Expires", choices=EXPIRY_CHOICES, required=False)
    workspace = forms.TypedChoiceField(label="Workspace", coerce=int)

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["workspace"]
        assert isinstance(field, forms.TypedChoiceField)  # declared just above
        field.choices = [(m.workspace_id, m.workspace.name) for m in memberships]
        if memberships:
            field.initial = memberships[0].workspace_id
        field.help_text = "The key acts in this workspace; its admins see the key and may revoke it."
        self.memberships = {m.workspace_id: m for m in memberships}

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError("Give the key a name.")
        return name

    def membership(self) -> Membership:
        return self.memberships[self.cleaned_data["workspace"]]

    def expires_in_days(self) -> int | None:
        return int(self.cleaned_data["expires"]) if self.cleaned_data.get("expires") else None
