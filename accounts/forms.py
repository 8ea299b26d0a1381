from __future__ import annotations

from typing import Any

from django import forms

from .models import TIMEZONE_CHOICES, User


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        max_length=60,
        required=False,
        help_text="Your channel or creator name, shown across AuraStream.",
    )
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, help_text="Dates and times show in this zone.")
    avatar = forms.FileField(
        required=False,
        help_text="PNG, JPEG, WebP or GIF, up to 5 MB. We crop it to a square.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")

    @classmethod
    def for_user(cls, user: User, data: Any = None, files: Any = None) -> ProfileForm:
        return cls(data, files, initial={"display_name": user.display_name, "timezone": user.timezone})


class AccountDeleteForm(forms.Form):
    confirm = forms.CharField(
        label='Type "delete my account" to confirm',
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != "delete my account":
            raise forms.ValidationError('Type "delete my account" exactly to confirm.')
        return value
