from __future__ import annotations

import base64
import functools
import hashlib
import io
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from PIL import Image

from aurastream.outages import ServiceUnavailable
from aurastream.types import AuthenticatedHttpRequest, form_field
from billing import entitlements
from billing.services import QuotaExceeded, RefineNotAllowed
from brandkits.forms import BrandKitForm
from brandkits.models import BrandKit
from brandkits.selectors import brand_font_list, brand_kit_default, brand_kit_get, brand_kit_list, media_list
from brandkits.services import brand_kit_preview
from library.models import Asset
from library.selectors import asset_get, asset_preview
from platforms import registry, registry_file, spec_get
from platforms.types import PlatformSpec
from workspaces.current import billing_account_id

from . import selectors, services, understood
from .brand import brand_default_for, brand_from_kit
from .engine.providers.local import LocalArtProvider
from .engine.render import render_asset
from .engine.types import BrandSnapshot, Brief
from .forms import AnimateForm, GenerateForm
from .items import JobItem
from .models import GenerationJob
from .services.provider import image_provider

# htmx stops polling when a response has this status.
HTMX_STOP_POLLING = 286


@functools.cache
def _specs_version(registry_path: str) -> str:
    """A digest of the platform registry's file and the Create page's template: the key of the
    page's cached registry panels, so a deploy that changes either never shows stale ones."""
    template = Path(settings.BASE_DIR) / "templates" / "generation" / "generate.html"
    return hashlib.sha256(Path(registry_path).read_bytes() + template.read_bytes()).hexdigest()[:16]


@require_http_methods(["GET", "POST"])
@login_required
def generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {
        "spec_key": request.GET.get("spec", "youtube.thumbnail"),
        "pack": request.GET.get("pack", ""),  # the command palette's "New emote pack"
        "variants": 1,
    }
    form = GenerateForm(
        request.POST or None,
        initial=initial,
        brand_kits=brand_kit_list(user=request.user),
        media=media_list(user=request.user),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job, _ = services.job_create(
                user=request.user,
                request=form.job_request(),
                idempotency_key=request.POST.get("idempotency_key", ""),
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        except (QuotaExceeded, ServiceUnavailable) as refused:
            form.add_error(None, refused.message)
            status = 503 if isinstance(refused, ServiceUnavailable) else 200
        else:
            return redirect("generation:job", job_id=job.pk)
    specs = registry().all()
    chosen = str(form["spec_key"].value() or "")
    kinds = {spec.key: f"{spec.platform_label} {spec.label.lower()}" for spec in specs}
    # The plan that pays for work here (the workspace owner's), read once for both allowances.
    account = billing_account_id(request.user.pk)
    now = entitlements.standing(account)
    context = {
        "form": form,
        "understood": _understood_in(form, request) if form.is_bound else None,
        "specs": specs,
        # The registry's panels are the same for everyone: cached per chosen type (a known one,
        # so a made-up ?spec= makes no entry) and per version of the registry and the template.
        "chosen_spec": chosen if chosen in kinds else "",
        "specs_version": _specs_version(registry_file()),
        "allowance": entitlements.generation_allowance(account, now=now),
        "motion": entitlements.motion_allowance(account, now=now),
        "recent_jobs": [
            (job, kinds.get(job.spec_key, "")) for job in selectors.job_list(user=request.user)[:6]
        ],
        # One per page load: a double-submitted form starts one job, not two.
        "idempotency_key": secrets.token_urlsafe(16),
    }
    return render(request, "generation/generate.html", context, status=status)


@require_POST
@login_required
def job_cost(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the job in the form would cost, shown before the creator starts it (htmx)."""
    form = GenerateForm(
        request.POST, brand_kits=brand_kit_list(user=request.user), media=media_list(user=request.user)
    )
    cost: int | None = None
    if form.is_valid():
        try:
            cost = services.job_cost(form.job_request())
        except ValidationError:
            cost = None
    return render(
        request,
        "generation/generate.html#cost",
        {"cost": cost, "allowance": entitlements.generation_allowance(billing_account_id(request.user.pk))},
    )


def _kit_words(request: AuthenticatedHttpRequest, kit: BrandKit | None) -> BrandSnapshot:
    """The chosen (or default) kit as the reading needs it: its words, without reading the logo
    and font files on every pause in typing."""
    kit = kit or brand_kit_default(user=request.user)
    if kit is None:
        return brand_default_for(request.user)
    return BrandSnapshot(
        name=kit.name,
        art_style=kit.art_style,
        mood=kit.mood,
        keywords=tuple(kit.keywords),
        avoid=tuple(kit.avoid),
    )


def _uses_local_engine() -> bool:
    return isinstance(image_provider(), LocalArtProvider)


def _understood_in(form: GenerateForm, request: AuthenticatedHttpRequest) -> understood.Understood | None:
    """What the engine would understand from the form as it is, valid or not: fields still in
    error are left out. None when there is no asset type or nothing to read yet."""
    form.is_valid()
    data = form.cleaned_data
    if "prompt" in form.errors or not data.get("spec_key"):
        return None
    if not any(data.get(name) for name in ("prompt", "text", "pack_items")):
        return None
    job_request = form.job_request()
    return understood.for_request(
        job_request, brand=_kit_words(request, data.get("brand_kit")), local=_uses_local_engine()
    )


@require_GET
@login_required
def understood_panel(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the engine understands from the Create form as it is typed (htmx): the subject,
    modifiers, colours, style and layout it will use, and the words it cannot. Nothing is saved."""
    form = GenerateForm(
        request.GET, brand_kits=brand_kit_list(user=request.user), media=media_list(user=request.user)
    )
    context = {
        "understood": _understood_in(form, request),
        "too_long": form_field(form, "prompt", forms.CharField).max_length
        if "prompt" in form.errors
        else None,
    }
    return render(request, "generation/partials/_understood.html", context)


def _job_context(request: AuthenticatedHttpRequest, job_id: str) -> dict[str, object]:
    job = selectors.job_get(user=request.user, job_id=job_id)
    assets = list(selectors.job_assets(job=job))
    succeeded = job.status == GenerationJob.Status.SUCCEEDED
    for asset in assets:
        asset.preview = asset_preview(asset=asset)  # type: ignore[attr-defined]  # read by the asset card
        if succeeded:
            asset.refine_chips = services.refine_chips(asset, job=job)  # type: ignore[attr-defined]  # read by the card
    try:
        spec: PlatformSpec | None = spec_get(job.spec_key)
    except KeyError:
        spec = None
    refine = None
    if succeeded:
        refine = {
            "allowance": entitlements.refine_allowance(request.user),
            "next": reverse("generation:job", args=[job.pk]),
        }
    return {
        "job": job,
        "assets": assets,
        "stages": GenerationJob.progress_stages(),
        "spec": spec,
        "refine": refine,
    }


@require_GET
@login_required
def job_detail(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    context = _job_context(request, job_id)
    if request.htmx:
        response = render(request, "generation/partials/_job_status.html", context)
        if context["job"].is_finished:  # type: ignore[attr-defined]  # the context's job is a GenerationJob
            response.status_code = HTMX_STOP_POLLING
        return response
    job = cast(GenerationJob, context["job"])
    # A Quick Create template's reading would tell its prompt, which stays on the server.
    context["understood"] = (
        None
        if job.template
        else understood.for_items(job.item_list, pack=job.pack, local=job.provider == "local")
    )
    return render(request, "generation/job.html", context)


@require_POST
@login_required
def job_cancel(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=job_id)
    if not job.is_finished:
        services.job_cancel(job=job)
        messages.info(request, "Canceled. Nothing was charged.")
    return redirect("generation:job", job_id=job.pk)


@require_POST
@login_required
def job_regenerate(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    """The same recipe and seed with the brand kit as it is now."""
    job = selectors.job_get(user=request.user, job_id=job_id)
    return _start_again(request, job, services.job_regenerate_with_current_kit)


@require_POST
@login_required
def job_remix(request: AuthenticatedHttpRequest, job_id: str) -> HttpResponse:
    job = selectors.job_get(user=request.user, job_id=job_id)
    return _start_again(request, job, services.job_remix)


def _start_again(
    request: AuthenticatedHttpRequest,
    job: GenerationJob,
    start: Callable[..., tuple[GenerationJob, bool]],
) -> HttpResponse:
    """A new job made from ``job`` by ``start``, or back to ``job`` saying why it can't be."""
    try:
        new_job, _ = start(job=job, user=request.user)
    except (QuotaExceeded, ServiceUnavailable) as refused:
        messages.error(request, refused.message)
    except ValidationError as invalid:  # e.g. its asset type was taken out of the registry since
        messages.error(request, " ".join(invalid.messages))
    else:
        return redirect("generation:job", job_id=new_job.pk)
    return redirect("generation:job", job_id=job.pk)


PREVIEW_SAMPLES = (
    ("twitch.emote", "Emote", Brief(prompt='a hype "GG" emote', text="GG")),
    (
        "youtube.thumbnail",
        "Thumbnail",
        Brief(prompt="victory royale", text="NEW RECORD", subtext="Ranked · Ep. 12"),
    ),
    ("twitch.profile_banner", "Banner", Brief(prompt="channel banner")),
)
PREVIEW_MAX_WIDTH = 640


def _data_uri(data: bytes, max_width: int) -> str:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.width > max_width:
            height = round(image.height * max_width / image.width)
            image = image.resize((max_width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="PNG" if image.mode == "RGBA" else "JPEG", quality=85)
        kind = "png" if image.mode == "RGBA" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(out.getvalue()).decode()}"


@require_GET
@login_required
def brand_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Sample assets drawn by the real engine with the kit as it is being edited (htmx).

    The kit editor sends its form fields; nothing is saved. Always the offline local engine, so
    the preview is instant and free whatever provider makes the real assets.
    """
    fonts = brand_font_list(user=request.user)
    form = BrandKitForm(request.GET, fonts=fonts)
    if not form.is_valid():
        return render(request, "generation/partials/_brand_preview.html", {"samples": [], "form": form})
    kit_id = request.GET.get("kit")
    kit = brand_kit_get(user=request.user, kit_id=kit_id) if kit_id else BrandKit(owner=request.user)
    try:
        brand_kit_preview(kit=kit, **form.service_fields())
    except ValidationError as error:
        return render(
            request, "generation/partials/_brand_preview.html", {"samples": [], "errors": error.messages}
        )
    brand = brand_from_kit(kit)
    provider = LocalArtProvider()
    samples = []
    for key, label, brief in PREVIEW_SAMPLES:
        spec = spec_get(key)
        result = render_asset(spec=spec, brief=brief, brand=brand, seed=7, provider=provider)
        samples.append(
            {"label": label, "spec": spec, "src": _data_uri(result.files[0].data, PREVIEW_MAX_WIDTH)}
        )
    return render(request, "generation/partials/_brand_preview.html", {"samples": samples})


@require_GET
@login_required
def asset_understood(request: AuthenticatedHttpRequest, asset_id: str) -> HttpResponse:
    """What the engine understood for one asset, from its recipe (the library asks for it over
    htmx); empty for an asset made before recipes kept it, or not made here."""
    asset = asset_get(user=request.user, asset_id=asset_id)
    recipe = asset.recipe or {}
    if recipe.get("template"):
        return HttpResponse("")  # a Quick Create template's reading would tell its prompt
    items = _recipe_item(recipe)
    if not items:
        scope = services.refine_scope(asset)
        items = [scope.item] if scope is not None else []
    found = understood.for_items(items, local=recipe.get("provider", "local") == "local")
    if found is None:
        return HttpResponse("")  # the page's slot stays empty, and hidden
    context = {"understood": found, "recorded": True, "heading": True, "compact": True}
    return render(request, "generation/partials/_understood.html", context)


def _recipe_item(recipe: dict[str, Any]) -> list[JobItem]:
    """An asset's recipe read as the item that made it, when it kept the reading (a recipe
    edited by hand into another shape counts as one that did not)."""
    if not recipe.get("reading"):
        return []
    try:
        return [JobItem.from_json(recipe)]
    except (KeyError, TypeError, ValueError):
        return []


# --- Animate an existing design -------------------------------------------------------------


def _animate_context(
    request: AuthenticatedHttpRequest, asset: Asset, *, form: AnimateForm | None = None
) -> dict[str, Any]:
    targets = services.animate_targets(asset)
    return {
        "asset": asset,
        "targets": targets,
        "form": form or AnimateForm(targets=targets),
        "fps_choice": any(spec.motion is not None and len(spec.motion.rates) > 1 for spec in targets),
        "allowance": entitlements.motion_allowance(billing_account_id(request.user.pk, asset.workspace_id)),
        # One per panel load: a double-submitted form starts one job, not two.
        "idempotency_key": secrets.token_urlsafe(16),
    }


@require_http_methods(["GET", "POST"])
@login_required
def animate(request: AuthenticatedHttpRequest, asset_id: str) -> HttpResponse:
    """GET: the "Make it move" panel for a still asset (the library asks for it over htmx;
    empty when the design has no animated type). POST: start the job that animates it."""
    asset = asset_get(user=request.user, asset_id=asset_id)
    if request.method == "GET":
        context = _animate_context(request, asset)
        if not context["targets"]:
            return HttpResponse("")
        return render(request, "generation/partials/_animate.html", context)
    targets = services.animate_targets(asset)
    form = AnimateForm(request.POST, targets=targets)
    if form.is_valid():
        try:
            job, _ = services.asset_animate(
                user=request.user,
                asset=asset,
                idempotency_key=request.POST.get("idempotency_key", ""),
                spec_key=form.cleaned_data["spec_key"],
                animation=form.cleaned_data["animation"],
                speed=form.cleaned_data["speed"],
                loops=form.cleaned_data["loops"],
                fps=form.cleaned_data.get("fps") or 0,
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        except (QuotaExceeded, ServiceUnavailable) as refused:
            form.add_error(None, refused.message)
        else:
            return redirect("generation:job", job_id=job.pk)
    # Back to the asset, saying why (the panel is loaded again there).
    messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    return redirect(reverse("library:asset", args=[asset.pk]) + "#animate")


# --- Refine ----------------------------------------------------------------------------------


def _refine_context(request: AuthenticatedHttpRequest, asset: Asset, *, error: str = "") -> dict[str, Any]:
    return {
        "asset": asset,
        "chips": services.refine_chips(asset),
        "allowance": entitlements.refine_allowance(request.user),
        "refine_error": error,
    }


@require_http_methods(["GET", "POST"])
@login_required
def refine(request: AuthenticatedHttpRequest, asset_id: str) -> HttpResponse:
    """GET: the "Almost — tweak it" panel for an asset (the library asks for it over htmx).
    POST: make a new version of the asset as the chip or sentence says, and watch its job."""
    asset = asset_get(user=request.user, asset_id=asset_id)
    if request.method == "GET":
        # Its own section of the asset page, beside the page's other h2 sections.
        context = {**_refine_context(request, asset), "heading_level": 2}
        return render(request, "generation/partials/_refine.html", context)
    instruction = request.POST.get("instruction", "")
    try:
        job, _ = services.asset_refine(
            user=request.user,
            asset=asset,
            instruction=instruction,
            idempotency_key=request.POST.get("idempotency_key", ""),
        )
    except ValidationError as error:
        message = " ".join(error.messages)
    except (RefineNotAllowed, QuotaExceeded, ServiceUnavailable) as refused:
        message = refused.message
    else:
        return redirect("generation:job", job_id=job.pk)
    messages.error(request, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("library:asset", args=[asset.pk])
    return redirect(back)
