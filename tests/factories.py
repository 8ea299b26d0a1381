"""The rows tests build, in one place: creators on each plan, usage, brand kits with their logos,
creators' images, jobs, library assets and their files (real ones, in storage), collections and
tags, coach sessions and notifications.

A factory makes a row as it is stored; where the behaviour under test is the writing itself,
tests call the app's services instead.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from accounts.models import Notification, User
from billing.entitlements import current_period
from billing.models import PlanGrant, UsageEntry
from brandkits.models import BrandKit, BrandLogo, CreatorMedia
from brandkits.services import media_upload
from coach.engine.types import Brief
from coach.models import CoachMessage, CoachSession
from generation.models import GenerationJob
from generation.services import JobRequest, job_create
from library.models import Asset, Collection, Rendition, Tag
from library.services import new_share_token
from tests.images import artwork_png, logo_upload, mascot_image, mascot_upload
from workspaces.models import fill_workspaces

PASSWORD = "a-strong-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    """A creator with a verified address; ``UserFactory(plan="pro")`` grants them a paid plan."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"creator{n}@example.com")
    display_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        """Creators made by tests have a verified primary address, as after signup."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()  # type: ignore[attr-defined]  # self is the User the factory made

    @factory.post_generation
    def plan(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create and extracted:
            PlanGrantFactory(user=self, plan=extracted)


class PlanGrantFactory(factory.django.DjangoModelFactory):
    """A paid plan granted from now on, with no end unless ``ends_at`` says."""

    class Meta:
        model = PlanGrant

    user = factory.SubFactory(UserFactory)
    plan = "pro"
    starts_at = factory.LazyFunction(timezone.now)


class UsageEntryFactory(factory.django.DjangoModelFactory):
    """Generations charged in the creator's current billing period (one unless ``quantity``
    says)."""

    class Meta:
        model = UsageEntry

    user = factory.SubFactory(UserFactory)
    quantity = 1
    state = UsageEntry.State.CHARGED
    period_start = factory.LazyAttribute(lambda entry: current_period(entry.user).start)
    reference = factory.Sequence(lambda n: f"generation:{n}")


class BrandKitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandKit

    owner = factory.SubFactory(UserFactory)
    name = "Neon Nights"


class BrandLogoFactory(factory.django.DjangoModelFactory):
    """A kit's primary logo as an upload leaves it: a white 300×200 PNG with a pink square,
    stored as the original and as the trimmed file the engine places."""

    class Meta:
        model = BrandLogo

    kit = factory.SubFactory(BrandKitFactory)
    role = BrandLogo.Role.PRIMARY
    original = factory.LazyFunction(lambda: ContentFile(logo_upload().read(), name="logo.png"))
    trimmed = factory.LazyFunction(lambda: ContentFile(logo_upload().read(), name="logo-trim.png"))
    width = 300
    height = 200


def _mascot_png() -> ContentFile[bytes]:
    buffer = io.BytesIO()
    mascot_image().save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="fern.png")


class CreatorMediaFactory(factory.django.DjangoModelFactory):
    """One of the creator's own images: their mascot "Fern", cut out on transparency (a stored
    400×400 PNG)."""

    class Meta:
        model = CreatorMedia

    owner = factory.SubFactory(UserFactory)
    name = "Fern"
    role = CreatorMedia.Role.MASCOT
    kind = CreatorMedia.Kind.CUTOUT
    image = factory.LazyFunction(_mascot_png)
    width = 400
    height = 400
    bytes = factory.LazyAttribute(lambda item: item.image.size)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    owner = factory.SubFactory(UserFactory)
    name = "Ranked"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    owner = factory.SubFactory(UserFactory)
    name = "hype"


def png_bytes(size: int) -> bytes:
    """A square violet PNG of ``size`` pixels."""
    buffer = io.BytesIO()
    Image.new("RGBA", (size, size), "#8b5cf6").save(buffer, format="PNG")
    return buffer.getvalue()


class AssetFactory(factory.django.DjangoModelFactory):
    """A library asset with one real PNG rendition in storage per entry of ``sizes`` (square,
    largest first), as a finished generation job leaves it, without running one."""

    class Meta:
        model = Asset

    owner = factory.SubFactory(UserFactory)
    title = "Neon cat emote"
    platform = "twitch"
    asset_type = "emote"
    spec_key = factory.LazyAttribute(lambda asset: f"{asset.platform}.{asset.asset_type}")
    sizes: Sequence[int] = (112, 56, 28)
    width = factory.LazyAttribute(lambda asset: asset.sizes[0])
    height = factory.LazyAttribute(lambda asset: asset.sizes[0])
    format = "PNG"
    bytes = 1000

    class Params:
        # Public, with a link anyone can open (as sharing leaves it).
        shared = factory.Trait(
            visibility=Asset.Visibility.PUBLIC, share_token=factory.LazyFunction(new_share_token)
        )

    @classmethod
    def _create(cls, model_class: type[Asset], *args: Any, sizes: Sequence[int], **kwargs: Any) -> Asset:
        asset = super()._create(model_class, *args, **kwargs)
        for size in sizes:
            RenditionFactory(asset=asset, width=size)
        return asset


class RenditionFactory(factory.django.DjangoModelFactory):
    """One file of an asset: a square violet PNG ``width`` pixels wide, stored."""

    class Meta:
        model = Rendition

    asset = factory.SubFactory(AssetFactory, sizes=())
    width = 112
    height = factory.LazyAttribute(lambda rendition: rendition.width)
    label = factory.LazyAttribute(lambda rendition: str(rendition.width))
    format = "PNG"
    file = factory.LazyAttribute(
        lambda rendition: ContentFile(png_bytes(rendition.width), name=f"{rendition.label}.png")
    )
    bytes = factory.LazyAttribute(lambda rendition: rendition.file.size)


def artwork_asset(
    owner: User, size: tuple[int, int], *, spec_key: str, transparent: bool = False, seed: int = 0
) -> Asset:
    """An asset whose one file is ``size`` of detailed, grainy art as the engine leaves it
    (``tests.images.artwork_png``: about 2 MB for 1280×720), labelled ``<width>x<height>``."""
    width, height = size
    platform, asset_type = spec_key.split(".")
    asset: Asset = AssetFactory.create(
        owner=owner,
        sizes=(),
        spec_key=spec_key,
        platform=platform,
        asset_type=asset_type,
        width=width,
        height=height,
    )
    label = f"{width}x{height}"
    data = artwork_png(size, seed=seed, noise=12, transparent=transparent)
    RenditionFactory(
        asset=asset, label=label, width=width, height=height, file=ContentFile(data, name=f"{label}.png")
    )
    return asset


_SHARED_PNG: dict[str, str] = {}


def shared_png() -> str:
    """One small stored PNG that bulk-made renditions all point at (nothing is rendered)."""
    if "name" not in _SHARED_PNG or not default_storage.exists(_SHARED_PNG["name"]):
        buffer = io.BytesIO()
        Image.new("RGBA", (4, 4), "#8b5cf6").save(buffer, format="PNG")
        _SHARED_PNG["name"] = default_storage.save("tests/library/tiny.png", ContentFile(buffer.getvalue()))
    return _SHARED_PNG["name"]


def make_assets(owner: User, count: int, **fields: Any) -> list[Asset]:
    """``count`` emote-like assets with three renditions each (full, half and quarter size), in
    two bulk inserts: for pages and budgets that need many."""
    defaults: dict[str, Any] = {
        "spec_key": "twitch.emote",
        "platform": "twitch",
        "asset_type": "emote",
        "width": 112,
        "height": 112,
        "format": "PNG",
        "bytes": 2_000,
        "prompt": "a cozy purple cat",
    }
    defaults.update(fields)
    title = defaults.pop("title", "Twitch emote")
    assets = [Asset(id=uuid.uuid4(), owner=owner, title=f"{title} {n}", **defaults) for n in range(count)]
    fill_workspaces(assets)
    assets = Asset.objects.bulk_create(assets)
    name = shared_png()
    Rendition.objects.bulk_create(
        [
            Rendition(
                asset=asset,
                label=str(defaults["width"] // scale),
                width=defaults["width"] // scale,
                height=defaults["height"] // scale,
                format="PNG",
                bytes=defaults["width"] // scale * 10,
                file=name,
            )
            for asset in assets
            for scale in (1, 2, 4)
        ]
    )
    return assets


class GenerationJobFactory(factory.django.DjangoModelFactory):
    """A job row as the local provider leaves it (succeeded unless ``status`` says)."""

    class Meta:
        model = GenerationJob

    user = factory.SubFactory(UserFactory)
    spec_key = "twitch.emote"
    prompt = "a cozy purple cat"
    seed = 1
    provider = "local"
    model = "local"
    cost = 1
    status = GenerationJob.Status.SUCCEEDED
    progress = factory.LazyAttribute(lambda job: 40 if job.status == GenerationJob.Status.RUNNING else 0)


# What a creator types into the new brand kit form: a complete, valid kit.
KIT_FORM = {
    "name": "Neon Nights",
    "primary_color": "#FF2E88",
    "secondary_color": "#7C3AED",
    "accent_color": "#22D3EE",
    "background_color": "#0B0B1A",
    "text_color": "#FFFFFF",
    "extra_colors": "",
    "heading_font": "fjalla-one",
    "body_font": "manrope",
    "voice": "hype",
    "channel_name": "NeonNova",
}


# A brief the coach has finished gathering: enough to generate from.
READY_BRIEF = Brief(
    platform="twitch",
    asset_type="emote",
    subject="a cat wearing a crown",
    style="neon",
    colors=("#FF2E88", "#22D3EE"),
    text="GG",
)


class CoachSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachSession

    user = factory.SubFactory(UserFactory)
    seed = 1


class CoachMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachMessage

    session = factory.SubFactory(CoachSessionFactory)
    role = "user"
    content = "a cat emote"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Notification.Kind.JOB_SUCCEEDED
    message = "Thumbnail ready"


def thumbnail_with_fern(user: User, capture: Any) -> tuple[GenerationJob, CreatorMedia]:
    """``user`` on Pro, with a thumbnail job made (by the local engine, its on-commit work run
    through ``capture``, pytest-django's ``django_capture_on_commit_callbacks``) with their
    uploaded mascot "Fern"."""
    PlanGrantFactory(user=user, plan="pro")
    mascot = media_upload(owner=user, upload=mascot_upload(), role="mascot", name="Fern")
    with capture(execute=True):
        job, _ = job_create(
            user=user,
            request=JobRequest(
                spec_key="youtube.thumbnail", prompt="victory", text="GG", media_ids=(mascot.pk,)
            ),
        )
    job.refresh_from_db()
    return job, mascot
