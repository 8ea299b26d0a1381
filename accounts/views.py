from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from aurastream.types import AuthenticatedHttpRequest

from . import services
from .forms import AccountDeleteForm, ProfileForm, ShortcutsForm


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm.for_user(user, request.POST, request.FILES)
        if form.is_valid():
            try:
                services.user_profile_update(
                    user=user,
                    display_name=form.cleaned_data["display_name"],
                    timezone=form.cleaned_data["timezone"],
                    avatar=form.cleaned_data["avatar"],
                    remove_avatar=form.cleaned_data["remove_avatar"],
                )
            except ValidationError as error:
                form.add_error("avatar" if form.cleaned_data["avatar"] else None, error)
            else:
                messages.success(request, "Profile saved.")
                return redirect("profile")
        user.refresh_from_db()
    else:
        form = ProfileForm.for_user(user)
    # A refused change (a bad avatar, a bad time zone) is a 400, with the form saying why.
    status = 400 if form.is_bound and form.errors else 200
    context = {
        "form": form,
        "delete_form": AccountDeleteForm(),
        "shortcuts_form": ShortcutsForm(user=user),
        "milestones": user.milestones.all(),
    }
    return render(request, "accounts/profile.html", context, status=status)


@require_POST
@login_required
def sign_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every API token and every other browser session; this one stays signed in."""
    services.user_sign_out_everywhere(user=request.user)
    update_session_auth_hash(request, request.user)
    messages.success(
        request, "Signed out everywhere else: every other browser and every API token has to sign in again."
    )
    return redirect("profile")


@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.user_delete(user=user)
        messages.success(request, "Your account and everything in it has been deleted.")
        return redirect("landing")
    return render(request, "accounts/account_delete.html", {"form": form})
