from __future__ import annotations

from django import forms

from workspaces.models import Role

INVITE_ROLES = [(r.value, r.label) for r in (Role.ADMIN, Role.EDITOR, Role.VIEWER)]


class TeamForm(forms.Form):
    name = forms.CharField(
        label="Team name",
        max_length=60,
        help_text="The name members see in the workspace switcher, e.g. your agency or channel.",
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())  # one line: it goes into email subjects
        if not name:
            raise forms.ValidationError("Give the team a name.")
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=INVITE_ROLES, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=INVITE_ROLES)


class TransferForm(forms.Form):
    member = forms.IntegerField(label="New owner", widget=forms.HiddenInput)
