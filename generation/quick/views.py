"""Quick Create pages: the template gallery, a template's one-click page and its live preview."""

from __future__ import annotations

import secrets

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from aurastream.outages import ServiceUnavailable
from aurastream.types import AuthenticatedHttpRequest
from billing import entitlements
from billing.services import QuotaExceeded
from brandkits.selectors import brand_kit_list, media_list
from platforms import spec_get
from workspaces.current import billing_account_id

from ..forms import QuickCreateForm
from .services import job_from_template, new_seed, template_preview, template_request
from .templates import QuickTemplate, catalog, template_get

# Gallery previews use one fixed seed, so they are drawn once per brand kit and then cached.
GALLERY_SEED = 7


def _template_or_404(key: str) -> QuickTemplate:
    try:
        return template_get(key)
    except KeyError:
        raise Http404("No such template.") from None


def _choices(template: QuickTemplate, query: QueryDict) -> QueryDict:
    """The form data a preview is drawn from: what the page sent, defaults for the rest."""
    data = QueryDict(mutable=True)
    data["vibe"] = template.vibes[0].key
    data["seed"] = str(GALLERY_SEED)
    for field in template.fields:
        data[f"f_{field.key}"] = field.default
    for key in ("vibe", "seed", "brand_kit", *(f"f_{f.key}" for f in template.fields)):
        if key in query:
            data[key] = str(query.get(key, ""))
    if "images" in query:
        data.setlist("images", query.getlist("images"))
    return data


@require_GET
@login_required
def gallery(request: AuthenticatedHttpRequest) -> HttpResponse:
    allowance = entitlements.generation_allowance(billing_account_id(request.user.pk))
    groups = [
        (
            category,
            [
                {
                    "template": template,
                    "spec": spec_get(template.spec_key),
                    "cost": template.asset_count,
                    "over_plan": _over_plan(allowance, template.asset_count),
                }
                for template in templates
            ],
        )
        for category, templates in catalog().by_category()
    ]
    return render(request, "generation/quick/gallery.html", {"groups": groups, "allowance": allowance})


def _over_plan(allowance: entitlements.GenerationAllowance, cost: int) -> bool:
    """Whether a template makes more than the plan has left (said before Generate)."""
    return not allowance.allows(cost)


def _form_errors(form: QuickCreateForm, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        name = field if field in form.fields else f"f_{field}"
        form.add_error(name if name in form.fields else None, messages)


def _prefilled(template: QuickTemplate, query: QueryDict) -> dict[str, object]:
    """A new form's starting values: a fresh seed, and any vibe or field a link filled in
    (a connected channel's schedule, its current category), cut to the field's length."""
    initial: dict[str, object] = {"seed": new_seed()}
    if query.get("vibe") in {vibe.key for vibe in template.vibes}:
        initial["vibe"] = query["vibe"]
    for field in template.fields:
        value = query.get(f"f_{field.key}", "").strip()
        if value:
            initial[f"f_{field.key}"] = value[: field.max_length]
    return initial


@require_http_methods(["GET", "POST"])
@login_required
def create(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """One template: choose a vibe, fill in up to three fields, see the preview, generate."""
    template = _template_or_404(key)
    kits = brand_kit_list(user=request.user)
    media = media_list(user=request.user)
    status = 200
    if request.method == "POST":
        form = QuickCreateForm(request.POST, template=template, brand_kits=kits, media=media)
        if form.is_valid():
            try:
                job, _ = job_from_template(
                    user=request.user,
                    template=template,
                    vibe=form.cleaned_data["vibe"],
                    values=form.values(),
                    seed=form.cleaned_data.get("seed"),
                    brand_kit_id=form.brand_kit_id(),
                    media_ids=form.media_ids(),
                    idempotency_key=request.POST.get("idempotency_key", ""),
                )
            except ValidationError as error:
                _form_errors(form, error)
            except QuotaExceeded as exceeded:
                form.add_error(None, exceeded.message)
                status = 403
            except ServiceUnavailable as paused:
                form.add_error(None, paused.message)
                status = 503
            else:
                return redirect("generation:job", job_id=job.pk)
        status = status if status != 200 else 400
    else:
        form = QuickCreateForm(
            template=template, brand_kits=kits, media=media, initial=_prefilled(template, request.GET)
        )
    allowance = entitlements.generation_allowance(billing_account_id(request.user.pk))
    context = {
        "template": template,
        "spec": spec_get(template.spec_key),
        "form": form,
        "vibes": list(zip(form["vibe"], template.vibes, strict=True)),
        "cost": template.asset_count,
        "allowance": allowance,
        "over_plan": _over_plan(allowance, template.asset_count),
        "idempotency_key": secrets.token_urlsafe(16),
        "preview_query": _choices(template, request.POST or request.GET).urlencode(),
    }
    return render(request, "generation/quick/create.html", context, status=status)


@require_GET
@login_required
def preview_panel(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The preview for the page's current choices (htmx swaps it in as the creator types)."""
    template = _template_or_404(key)
    data = _choices(template, request.GET)
    form = QuickCreateForm(
        data,
        template=template,
        brand_kits=brand_kit_list(user=request.user),
        media=media_list(user=request.user),
    )
    context = {
        "template": template,
        "spec": spec_get(template.spec_key),
        "form": form,
        "src": f"{reverse('generation:quick_preview', args=[template.key])}?{data.urlencode()}",
    }
    return render(request, "generation/quick/partials/_preview.html", context)


@require_GET
@login_required
def preview_image(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The preview as a PNG, drawn by the local engine with the creator's brand kit."""
    template = _template_or_404(key)
    form = QuickCreateForm(
        _choices(template, request.GET),
        template=template,
        brand_kits=brand_kit_list(user=request.user),
        media=media_list(user=request.user),
    )
    if not form.is_valid():
        return HttpResponse("Those choices can't be previewed.", status=400, content_type="text/plain")
    job_request = template_request(
        template=template,
        vibe=form.cleaned_data["vibe"],
        values=form.values(),
        seed=form.cleaned_data.get("seed"),
        brand_kit_id=form.brand_kit_id(),
        media_ids=form.media_ids(),
    )
    response = HttpResponse(
        template_preview(user=request.user, request=job_request), content_type="image/png"
    )
    response["Cache-Control"] = "private, max-age=600"
    return response
