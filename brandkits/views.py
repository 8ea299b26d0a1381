from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from aurastream.types import AuthenticatedHttpRequest
from aurastream.undo import restore_view, undo_offer
from aurastream.uploads import open_uploaded_image
from workspaces.access import may
from workspaces.current import workspace_id_for
from workspaces.models import Role

from . import logos, palette, selectors, services
from .contrast import contrast_report
from .forms import BrandKitForm, FontUploadForm, LogoUploadForm, MediaUploadForm, PaletteFromImageForm
from .models import BrandKit, CreatorMedia, clean_hex


def _form_errors(form: BrandKitForm, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@require_GET
@login_required
def kit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render_list(request, PaletteFromImageForm())


def _render_list(
    request: AuthenticatedHttpRequest, palette_form: PaletteFromImageForm, status: int = 200
) -> HttpResponse:
    context = {
        "kits": selectors.brand_kit_list(user=request.user),
        "allowance": services.kits_allowance(request.user),
        "palette_form": palette_form,
    }
    return render(request, "brandkits/list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def kit_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowance = services.kits_allowance(request.user)
    fonts = selectors.brand_font_list(user=request.user)
    defaults = BrandKitForm.initial_for(BrandKit(name="My brand", channel_name=request.user.display_name))
    form = BrandKitForm(request.POST or None, initial=defaults, fonts=fonts)
    if request.method == "POST" and form.is_valid():
        try:
            kit = services.brand_kit_create(owner=request.user, **form.service_fields())
        except ValidationError as error:
            _form_errors(form, error)
        except services.BrandKitLimitReached as limit:
            form.add_error(None, limit.message)
        else:
            messages.success(request, f"“{kit.name}” is ready. Add your logo next.")
            return redirect("brandkits:edit", kit_id=kit.pk)
    context = {"form": form, "kit": None, "allowance": allowance, "can_manage": _can_manage(request)}
    return render(request, "brandkits/edit.html", context)


@require_POST
@login_required
def kit_from_image(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Suggest a kit from an image: the new-kit form, filled in, for the creator to accept."""
    upload_form = PaletteFromImageForm(request.POST, request.FILES)
    fonts = selectors.brand_font_list(user=request.user)
    if upload_form.is_valid():
        try:
            image = open_uploaded_image(
                upload_form.cleaned_data["file"],
                max_bytes=logos.LOGO_MAX_BYTES,
                max_pixels=logos.LOGO_MAX_PIXELS,
            )
        except ValidationError as error:
            upload_form.add_error("file", error)
        else:
            suggested = palette.extract_palette(image, count=6)
            heading, body = palette.suggest_font_pairing(suggested)
            initial = BrandKitForm.initial_for(
                BrandKit(name="My brand", channel_name=request.user.display_name)
            )
            by_role = {color.role: color.hex for color in suggested}
            for role in ("primary", "secondary", "accent", "background", "text"):
                if role in by_role:
                    initial[f"{role}_color"] = by_role[role]
            initial["extra_colors"] = ", ".join(c.hex for c in suggested if c.role == "extra")
            initial.update(heading_font=heading, body_font=body)
            form = BrandKitForm(initial=initial, fonts=fonts)
            messages.info(request, "Here is a kit suggested from your image. Change anything, then save it.")
            return render(
                request,
                "brandkits/edit.html",
                {
                    "form": form,
                    "kit": None,
                    "allowance": services.kits_allowance(request.user),
                    "can_manage": _can_manage(request),
                    "suggested": suggested,
                },
            )
    return _render_list(request, upload_form, status=400)


def _edit_context(request: AuthenticatedHttpRequest, kit: BrandKit, form: BrandKitForm) -> dict[str, object]:
    return {
        "kit": kit,
        "form": form,
        "logos": {logo.role: logo for logo in kit.logos.all()},
        "logo_form": LogoUploadForm(),
        "font_form": FontUploadForm(),
        "contrast": contrast_report(kit.palette),
        "allowance": services.kits_allowance(request.user),
        "can_manage": _can_manage(request, kit.workspace_id),
    }


def _can_manage(request: AuthenticatedHttpRequest, workspace_id: int | None = None) -> bool:
    """Whether the creator changes kits in the workspace (the current one by default): its
    owner and admins. Others see a kit with no Save, uploads or delete; its fields still feed
    the preview."""
    return may(request.user, workspace_id or workspace_id_for(request.user.pk), Role.ADMIN)


@require_http_methods(["GET", "POST"])
@login_required
def kit_edit(request: AuthenticatedHttpRequest, kit_id: int) -> HttpResponse:
    kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
    fonts = selectors.brand_font_list(user=request.user)
    form = BrandKitForm(request.POST or None, initial=BrandKitForm.initial_for(kit), fonts=fonts)
    if request.method == "POST" and form.is_valid():
        try:
            services.brand_kit_update(kit=kit, **form.service_fields())
        except ValidationError as error:
            _form_errors(form, error)
            kit.refresh_from_db()
        except services.BrandKitLimitReached as limit:
            form.add_error(None, limit.message)
            kit.refresh_from_db()
        else:
            messages.success(request, "Brand kit saved. New assets use it from now on.")
            return redirect("brandkits:edit", kit_id=kit.pk)
    return render(request, "brandkits/edit.html", _edit_context(request, kit, form))


@require_GET
@login_required
def kit_contrast(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The contrast table for the colours in the form as they are being edited (htmx)."""
    values = {
        role: request.GET.get(f"{role}_color", "")
        for role in ("primary", "secondary", "accent", "background", "text")
    }
    try:
        palette_now = {role: clean_hex(value) for role, value in values.items()}
    except ValidationError:
        return render(request, "brandkits/partials/_contrast.html", {"contrast": None})
    return render(request, "brandkits/partials/_contrast.html", {"contrast": contrast_report(palette_now)})


@require_POST
@login_required
def kit_delete(request: AuthenticatedHttpRequest, kit_id: int) -> HttpResponse:
    kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
    name = kit.name
    services.brand_kit_delete(kit=kit)
    undo_offer(
        request,
        text=f"Deleted “{name}”. Assets already made with it are unchanged.",
        url=reverse("brandkits:restore", args=[kit_id]),
        fields={},
    )
    return redirect("brandkits:list")


# Undo a kit's delete while the undo window is open.
kit_restore = restore_view(
    restore=lambda *, user, kit_id: services.brand_kit_restore(owner=user, kit_id=kit_id),
    what="that kit",
    done=lambda kit: f"Restored “{kit.name}”.",
    back="brandkits:list",
    refused=(services.BrandKitLimitReached,),
)


@require_POST
@login_required
def kit_set_default(request: AuthenticatedHttpRequest, kit_id: int) -> HttpResponse:
    kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
    services.brand_kit_set_default(kit=kit)
    messages.success(request, f"New assets use “{kit.name}” unless you pick another kit.")
    return redirect("brandkits:list")


@require_POST
@login_required
def kit_duplicate(request: AuthenticatedHttpRequest, kit_id: int) -> HttpResponse:
    kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
    try:
        copy = services.brand_kit_duplicate(kit=kit)
    except services.BrandKitLimitReached as limit:
        messages.error(request, limit.message)
        return redirect("brandkits:list")
    messages.success(request, f"Made “{copy.name}”.")
    return redirect("brandkits:edit", kit_id=copy.pk)


@require_POST
@login_required
def logo_upload(request: AuthenticatedHttpRequest, kit_id: int) -> HttpResponse:
    kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
    logo_form = LogoUploadForm(request.POST, request.FILES)
    if logo_form.is_valid():
        try:
            services.brand_logo_upload(
                kit=kit, role=logo_form.cleaned_data["role"], upload=logo_form.cleaned_data["file"]
            )
        except ValidationError as error:
            logo_form.add_error("file", error)
        else:
            messages.success(request, "Logo saved.")
            return redirect("brandkits:edit", kit_id=kit.pk)
    context = _edit_context(
        request,
        kit,
        BrandKitForm(
            initial=BrandKitForm.initial_for(kit), fonts=selectors.brand_font_list(user=request.user)
        ),
    )
    context["logo_form"] = logo_form
    role = logo_form.cleaned_data.get("role") if hasattr(logo_form, "cleaned_data") else None
    if role and kit.logos.filter(role=role).exists():
        # A replacement for a logo that stays: its slot shows the logo, not the upload field,
        # so the reason goes above the list.
        context["logo_error"] = " ".join(
            str(message) for messages_ in logo_form.errors.values() for message in messages_
        )
    return render(request, "brandkits/edit.html", context, status=400)


@require_POST
@login_required
def logo_remove_background(request: AuthenticatedHttpRequest, kit_id: int, role: str) -> HttpResponse:
    logo = selectors.brand_logo_get(user=request.user, kit_id=kit_id, role=role)
    try:
        services.brand_logo_remove_background(logo=logo)
    except ValidationError as error:
        # Nothing changed: the page says why, with the kit as it is.
        kit = selectors.brand_kit_get(user=request.user, kit_id=kit_id)
        form = BrandKitForm(
            initial=BrandKitForm.initial_for(kit), fonts=selectors.brand_font_list(user=request.user)
        )
        context = _edit_context(request, kit, form)
        context["logo_error"] = " ".join(error.messages)
        return render(request, "brandkits/edit.html", context, status=400)
    messages.success(request, "Background removed.")
    return redirect("brandkits:edit", kit_id=kit_id)


@require_POST
@login_required
def logo_delete(request: AuthenticatedHttpRequest, kit_id: int, role: str) -> HttpResponse:
    logo = selectors.brand_logo_get(user=request.user, kit_id=kit_id, role=role)
    services.brand_logo_delete(logo=logo)
    messages.success(request, "Logo removed.")
    return redirect("brandkits:edit", kit_id=kit_id)


@require_GET
@login_required
def logo_file(request: AuthenticatedHttpRequest, kit_id: int, role: str, variant: str) -> FileResponse:
    """The owner's logo image (the upload as re-encoded, or the trimmed version)."""
    logo = selectors.brand_logo_get(user=request.user, kit_id=kit_id, role=role)
    field = logo.trimmed if variant == "trimmed" else logo.original
    response = FileResponse(field.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
@login_required
def font_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FontUploadForm(request.POST, request.FILES)
    next_url = request.POST.get("next") or "brandkits:list"
    if form.is_valid():
        try:
            font = services.brand_font_upload(owner=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except services.BrandKitLimitReached as limit:
            messages.error(request, limit.message)
        else:
            messages.success(request, f"Added {font}. Pick it as a heading or body font.")
    else:
        messages.error(request, "Choose a TTF or OTF file to upload.")
    from django.utils.http import url_has_allowed_host_and_scheme

    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("brandkits:list")


# --- Your images -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def media_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The creator's own images, and the form that adds one (within the plan's cap)."""
    form = MediaUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.media_upload(
                    owner=request.user,
                    upload=form.cleaned_data["image"],
                    name=form.cleaned_data["name"],
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            except services.MediaLimitReached as limit:
                form.add_error(None, limit.message)
            else:
                how = (
                    "cut out of its background"
                    if item.kind == "cutout"
                    else "kept whole and framed in assets"
                )
                messages.success(request, f"Added “{item.name}” ({how}).")
                return redirect("brandkits:media")
        status = 400
    context = {
        "form": form,
        "items": selectors.media_list(user=request.user),
        "allowance": services.media_allowance_for(request.user),
    }
    return render(request, "brandkits/media.html", context, status=status)


@require_POST
@login_required
def media_delete(request: AuthenticatedHttpRequest, media_id: int) -> HttpResponse:
    item = selectors.media_get(user=request.user, media_id=media_id)
    services.media_delete(item=item)
    undo_offer(
        request,
        text=f"Deleted “{item.name}”. Assets made with it keep it.",
        url=reverse("brandkits:media_restore", args=[item.pk]),
        fields={},
    )
    return redirect("brandkits:media")


def _media_restore(*, user: User, media_id: int) -> CreatorMedia | None:
    return services.media_restore(item=selectors.media_get_for_undo(user=user, media_id=media_id))


# Undo an image's delete while the undo window is open.
media_restore = restore_view(
    restore=_media_restore,
    what="that image",
    done=lambda item: f"Restored “{item.name}”.",
    back="brandkits:media",
    refused=(services.MediaLimitReached,),
)


@require_GET
@login_required
def media_file(request: AuthenticatedHttpRequest, media_id: int) -> FileResponse:
    """The owner's image as prepared for assets (a cut-out PNG, or the photo)."""
    item = selectors.media_get(user=request.user, media_id=media_id)
    response = FileResponse(item.image.open("rb"), content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response
