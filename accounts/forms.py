from __future__ import annotations

from typing import Any

from django import forms

from .models import SHORTCUT_DEFAULTS, SHORTCUT_LABELS, TIMEZONE_CHOICES, User


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


class ShortcutsForm(forms.Form):
    """Keyboard shortcuts on or off, and a key for each action (one letter or digit; "g" starts
    the two-key navigation, "/" and "?" are search and the shortcut sheet)."""

    enabled = forms.BooleanField(required=False, label="Use keyboard shortcuts")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"enabled": user.shortcuts_enabled, **user.shortcut_bindings()})
        super().__init__(*args, **kwargs)
        for action, label in SHORTCUT_LABELS.items():
            self.fields[action] = forms.CharField(
                label=label,
                max_length=1,
                help_text=f"Default: {SHORTCUT_DEFAULTS[action].upper()}",
                widget=forms.TextInput(attrs={"autocomplete": "off", "class": "w-16 text-center", "size": 1}),
            )

    def _clean_key(self, action: str) -> str:
        key = self.cleaned_data[action].strip().lower()
        if len(key) != 1 or not key.isascii() or not key.isalnum():
            raise forms.ValidationError("Use one letter or digit.")
        if key == "g":
            raise forms.ValidationError("G starts the two-key navigation (G then D…); choose another key.")
        return key

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[str, str] = {}
        for action in SHORTCUT_LABELS:
            if action not in cleaned:
                continue
            try:
                key = self._clean_key(action)
            except forms.ValidationError as error:
                self.add_error(action, error)
                continue
            if key in seen:
                self.add_error(
                    action, f"{key.upper()} is already the key for {SHORTCUT_LABELS[seen[key]].lower()}."
                )
            seen[key] = action
            cleaned[action] = key
        return cleaned

    def keys(self) -> dict[str, str]:
        return {action: self.cleaned_data[action] for action in SHORTCUT_LABELS}
