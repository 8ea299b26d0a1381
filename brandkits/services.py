"""Every write to brand kits: kits, logos and uploaded fonts. Each is atomic; files are
written only after validation and removed again if the rows cannot be saved."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone

from accounts.models import Milestone, User
from accounts.ux_services import milestone_reach
from aurastream import events
from aurastream.undo import undo_purge, undo_window_start
from billing.entitlements import BrandKitAllowance, MediaAllowance, brand_kit_allowance, media_allowance
from workspaces.access import member_workspaces, require_acting
from workspaces.current import billing_account_id, workspace_id_for
from workspaces.models import Role

from . import fontfiles, logos, media
from .font_choices import FONT_KEYS
from .models import BrandFont, BrandKit, BrandLogo, CreatorMedia, clean_hex

COLOR_FIELDS = ("primary_color", "secondary_color", "accent_color", "background_color", "text_color")
TEXT_FIELDS = ("name", "art_style", "mood", "voice", "channel_name", "tagline", "schedule")
LIST_FIELDS = ("keywords", "avoid", "extra_colors")
MAX_EXTRA_COLORS = 8
MAX_WORDS = 12


class BrandKitLimitReached(Exception):
    """The creator's plan has no room for another kit (or does not include font uploads)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def kits_allowance(user: User, workspace_id: int | None = None) -> BrandKitAllowance:
    """What the plan of a workspace (the current one by default: its owner pays) allows for
    its kits, and how many it has."""
    workspace_id = workspace_id if workspace_id is not None else workspace_id_for(user.pk)
    account = billing_account_id(user.pk, workspace_id)
    return brand_kit_allowance(account, kits_owned=BrandKit.objects.filter(workspace_id=workspace_id).count())


def _clean_words(values: Iterable[Any] | None, field: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise ValidationError({field: "Give a list of words or phrases."})
    words = [str(v).strip()[:40] for v in values if str(v).strip()]
    if len(words) > MAX_WORDS:
        raise ValidationError({field: f"Keep it to {MAX_WORDS} words or phrases."})
    return words


def _apply(kit: BrandKit, fields: dict[str, Any]) -> None:
    """Validate and set editable fields on an unsaved or existing kit (no save)."""
    errors: dict[str, Any] = {}
    for name in COLOR_FIELDS:
        if name in fields:
            try:
                setattr(kit, name, clean_hex(fields[name]))
            except ValidationError as error:
                errors[name] = error.messages[0]
    if "extra_colors" in fields:
        try:
            extras = [clean_hex(c) for c in fields["extra_colors"] if str(c).strip()]
        except ValidationError as error:
            errors["extra_colors"] = error.messages[0]
        else:
            if len(extras) > MAX_EXTRA_COLORS:
                errors["extra_colors"] = f"Up to {MAX_EXTRA_COLORS} extra colours."
            kit.extra_colors = extras[:MAX_EXTRA_COLORS]
    for name in ("heading_font", "body_font"):
        if name in fields:
            if fields[name] not in FONT_KEYS:
                errors[name] = "Choose one of the bundled fonts."
            else:
                setattr(kit, name, fields[name])
    for name in ("heading_font_file", "body_font_file"):
        if name in fields:
            font = fields[name]
            if font is not None and font.workspace_id != kit.workspace_id:
                errors[name] = "Choose one of the uploaded fonts of the kit's workspace."
            else:
                setattr(kit, name, font)
    for name in TEXT_FIELDS:
        if name in fields:
            setattr(kit, name, str(fields[name] or "").strip())
    for name in ("keywords", "avoid"):
        if name in fields:
            try:
                setattr(kit, name, _clean_words(fields[name], name))
            except ValidationError as error:
                errors.update(error.message_dict)
    if "socials" in fields:
        socials = fields["socials"] or {}
        if not isinstance(socials, dict):
            errors["socials"] = 'Give handles by network, e.g. {"twitch": "cozycat"}.'
        else:
            kit.socials = {str(k)[:20]: str(v).strip()[:80] for k, v in socials.items() if str(v).strip()}
    if errors:
        raise ValidationError(errors)
    if not kit.name:
        raise ValidationError({"name": "Give the kit a name."})
    kit.full_clean(exclude=["owner", "workspace", "heading_font_file", "body_font_file"])


@transaction.atomic
def brand_kit_create(*, owner: User, workspace_id: int | None = None, **fields: Any) -> BrandKit:
    """Make a kit in a workspace (the maker's current one by default; its admins make kits),
    within the plan's limit (and count it: copies too). A workspace's first kit becomes its
    default."""
    from django.contrib.auth import get_user_model

    workspace_id = workspace_id if workspace_id is not None else workspace_id_for(owner.pk)
    require_acting(workspace_id, Role.ADMIN)
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    allowance = kits_allowance(owner, workspace_id)
    if not allowance.may_create:
        raise BrandKitLimitReached(allowance.explanation)
    kit = BrandKit(owner=owner, workspace_id=workspace_id, channel_name=owner.display_name)
    _apply(kit, {"name": "My brand", **fields})
    kit.is_default = not BrandKit.objects.filter(workspace_id=workspace_id).exists()
    kit.save()
    milestone_reach(user_id=owner.pk, kind=Milestone.Kind.FIRST_BRAND_KIT)
    events.record(events.BRAND_KIT_CREATED, user=owner)
    return kit


@transaction.atomic
def brand_kit_update(*, kit: BrandKit, **fields: Any) -> BrandKit:
    require_acting(kit.workspace_id, Role.ADMIN)
    _apply(kit, fields)
    custom = kit.heading_font_file or kit.body_font_file
    if custom and not kits_allowance(kit.owner, kit.workspace_id).custom_fonts:
        raise BrandKitLimitReached("Uploaded fonts are part of the Pro and Studio plans.")
    kit.save()
    return kit


@transaction.atomic
def brand_kit_set_default(*, kit: BrandKit) -> BrandKit:
    require_acting(kit.workspace_id, Role.ADMIN)
    BrandKit.objects.filter(workspace_id=kit.workspace_id, is_default=True).exclude(pk=kit.pk).update(
        is_default=False
    )
    kit.is_default = True
    kit.save(update_fields=["is_default", "updated_at"])
    return kit


@transaction.atomic
def brand_kit_delete(*, kit: BrandKit) -> None:
    """Delete a kit: gone from every list and choice at once, restorable during the undo
    window (``brand_kit_restore``), then purged with its logos and their files. Another kit
    becomes the default."""
    require_acting(kit.workspace_id, Role.ADMIN)
    workspace_id, was_default = kit.workspace_id, kit.is_default
    kit.deleted_at = timezone.now()
    kit.is_default = False
    kit.save(update_fields=["deleted_at", "is_default"])
    if was_default:
        successor = BrandKit.objects.filter(workspace_id=workspace_id).order_by("-updated_at").first()
        if successor is not None:
            brand_kit_set_default(kit=successor)


@transaction.atomic
def brand_kit_restore(*, owner: User, kit_id: int | str) -> BrandKit | None:
    """Undo a delete within the undo window: the kit comes back as it was (the default again
    when the creator has none now). None when it is too late. Refused, like a new kit, when the
    plan's kits are all in use again."""
    kit = (
        BrandKit.all_objects.select_for_update()
        .filter(workspace__in=member_workspaces(owner), pk=kit_id, deleted_at__gte=undo_window_start())
        .first()
    )
    if kit is None:
        return None
    require_acting(kit.workspace_id, Role.ADMIN)
    allowance = kits_allowance(owner, kit.workspace_id)
    if not allowance.may_create:
        raise BrandKitLimitReached(allowance.explanation)
    kit.deleted_at = None
    kit.is_default = not BrandKit.objects.filter(workspace_id=kit.workspace_id, is_default=True).exists()
    kit.save(update_fields=["deleted_at", "is_default"])
    return kit


def brand_kits_purge(*, now: dt.datetime | None = None) -> int:
    """Remove kits deleted longer ago than the undo window, with their logos (rows now, files
    on commit)."""
    return undo_purge(BrandKit.all_objects, now=now)


def _save_file(
    field: FileField, instance: Any, name: str, data: bytes, written: list[tuple[Any, str]]
) -> None:
    file = getattr(instance, field.name)
    file.save(name, ContentFile(data), save=False)
    written.append((file.storage, file.name))


def _discard(written: list[tuple[Any, str]]) -> None:
    for storage, name in written:
        storage.delete(name)


@transaction.atomic
def brand_kit_duplicate(*, kit: BrandKit) -> BrandKit:
    """A copy of the kit, logos included (new files), within the plan's limit."""
    fields = {name: getattr(kit, name) for name in (*COLOR_FIELDS, *TEXT_FIELDS, *LIST_FIELDS)}
    fields.update(
        heading_font=kit.heading_font,
        body_font=kit.body_font,
        socials=kit.socials,
        name=f"{kit.name} (copy)"[:80],
    )
    copy = brand_kit_create(owner=kit.owner, workspace_id=kit.workspace_id, **fields)
    copy.heading_font_file, copy.body_font_file = kit.heading_font_file, kit.body_font_file
    copy.save()
    written: list[tuple[Any, str]] = []
    try:
        for logo in kit.logos.all():
            new = BrandLogo(
                kit=copy,
                role=logo.role,
                width=logo.width,
                height=logo.height,
                has_transparency=logo.has_transparency,
                flat_background=logo.flat_background,
            )
            stem = uuid.uuid4().hex
            with logo.original.open("rb") as original, logo.trimmed.open("rb") as trimmed:
                _save_file(
                    BrandLogo._meta.get_field("original"), new, f"{stem}.png", original.read(), written
                )
                _save_file(
                    BrandLogo._meta.get_field("trimmed"), new, f"{stem}-trim.png", trimmed.read(), written
                )
            new.save()
    except Exception:
        _discard(written)
        raise
    return copy


def _store_logo(kit: BrandKit, role: str, processed: logos.ProcessedLogo) -> BrandLogo:
    """Replace the kit's logo in this role: new files first, the row, then the old files go."""
    require_acting(kit.workspace_id, Role.ADMIN)
    if role not in BrandLogo.Role.values:
        raise ValidationError({"role": "Choose primary logo, icon or wordmark."})
    old = BrandLogo.objects.filter(kit=kit, role=role).first()
    logo = BrandLogo(
        kit=kit,
        role=role,
        width=processed.width,
        height=processed.height,
        has_transparency=processed.has_transparency,
        flat_background=processed.flat_background or "",
    )
    stem = uuid.uuid4().hex
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            _save_file(
                BrandLogo._meta.get_field("original"), logo, f"{stem}.png", processed.original_png, written
            )
            _save_file(
                BrandLogo._meta.get_field("trimmed"), logo, f"{stem}-trim.png", processed.trimmed_png, written
            )
            if old is not None:
                old.delete()  # its files leave storage when this commits
            logo.save()
    except Exception:
        _discard(written)
        raise
    return logo


def brand_logo_upload(*, kit: BrandKit, role: str, upload: UploadedFile) -> BrandLogo:
    """Check, re-encode and store a logo. Bad files raise ValidationError and store nothing."""
    processed = logos.process_logo(upload)
    return _store_logo(kit, role, processed)


def brand_logo_remove_background(*, logo: BrandLogo) -> BrandLogo:
    """Cut a logo out of its flat background (the creator asked for it)."""
    with logo.original.open("rb") as original:
        cut = logos.remove_background(original.read())
    processed = logos.process_logo(SimpleUploadedFile("logo.png", cut, content_type="image/png"))
    return _store_logo(logo.kit, logo.role, processed)


@transaction.atomic
def brand_logo_delete(*, logo: BrandLogo) -> None:
    require_acting(logo.kit.workspace_id, Role.ADMIN)
    logo.delete()


def brand_font_upload(*, owner: User, upload: UploadedFile) -> BrandFont:
    """Validate a TTF/OTF with fontTools and store it in the current workspace (Pro and
    Studio; its admins upload fonts)."""
    workspace_id = workspace_id_for(owner.pk)
    require_acting(workspace_id, Role.ADMIN)
    if not kits_allowance(owner, workspace_id).custom_fonts:
        raise BrandKitLimitReached("Uploading your own fonts is part of the Pro and Studio plans.")
    info = fontfiles.validate_font(upload)
    font = BrandFont(
        owner=owner,
        workspace_id=workspace_id,
        family=info.family,
        style=info.style,
        weight=info.weight,
        format=info.format,
    )
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            extension = "otf" if info.format == "OTF" else "ttf"
            _save_file(
                BrandFont._meta.get_field("file"), font, f"{uuid.uuid4().hex}.{extension}", info.data, written
            )
            font.save()
    except Exception:
        _discard(written)
        raise
    return font


def brand_kit_preview(*, kit: BrandKit, **fields: Any) -> BrandKit:
    """The kit with edited fields applied but not saved, for the editor's live preview."""
    _apply(kit, fields)
    return kit


# --- Creator media -----------------------------------------------------------------------------

MEDIA_NAME_CHARS = 80


class MediaLimitReached(Exception):
    """The creator's plan keeps no more images."""

    def __init__(self, allowance: MediaAllowance) -> None:
        self.allowance = allowance
        self.message = allowance.explanation
        super().__init__(self.message)


def media_allowance_for(user: User, workspace_id: int | None = None) -> MediaAllowance:
    """What the plan of a workspace (the current one by default) allows for its images."""
    workspace_id = workspace_id if workspace_id is not None else workspace_id_for(user.pk)
    account = billing_account_id(user.pk, workspace_id)
    return media_allowance(
        account, items_owned=CreatorMedia.objects.filter(workspace_id=workspace_id).count()
    )


def media_upload(*, owner: User, upload: UploadedFile, name: str = "", role: str = "other") -> CreatorMedia:
    """Check, prepare and keep one of the creator's own images, within the plan's cap.

    Bad files raise ValidationError and a full library MediaLimitReached; either way nothing is
    stored."""
    if role not in CreatorMedia.Role.values:
        raise ValidationError({"role": "Choose face, mascot, game art, logo or other."})
    name = " ".join((name or "").split())[:MEDIA_NAME_CHARS]
    if not name:
        stem = (upload.name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        name = " ".join(stem.replace("_", " ").replace("-", " ").split())[:MEDIA_NAME_CHARS] or "My image"
    try:
        prepared = media.prepare_media(upload)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from None
    written: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            from django.contrib.auth import get_user_model

            workspace_id = workspace_id_for(owner.pk)
            require_acting(workspace_id)
            get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
            allowance = media_allowance_for(owner, workspace_id)
            if not allowance.may_add:
                raise MediaLimitReached(allowance)
            item = CreatorMedia(
                owner=owner,
                workspace_id=workspace_id,
                name=name,
                role=role,
                kind=prepared.kind,
                width=prepared.width,
                height=prepared.height,
                bytes=len(prepared.image_png),
            )
            _save_file(
                CreatorMedia._meta.get_field("image"),
                item,
                f"{uuid.uuid4().hex}.png",
                prepared.image_png,
                written,
            )
            item.save()
    except Exception:
        _discard(written)
        raise
    return item


@transaction.atomic
def media_update(*, item: CreatorMedia, name: str | None = None, role: str | None = None) -> CreatorMedia:
    """Rename an image or change what it is; ValidationError for an empty name or unknown role."""
    require_acting(item.workspace_id)
    if name is not None:
        name = " ".join(name.split())[:MEDIA_NAME_CHARS]
        if not name:
            raise ValidationError({"name": "Give the image a name."})
        item.name = name
    if role is not None:
        if role not in CreatorMedia.Role.values:
            raise ValidationError({"role": "Choose face, mascot, game art, logo or other."})
        item.role = role
    item.save(update_fields=["name", "role"])
    return item


@transaction.atomic
def media_delete(*, item: CreatorMedia) -> None:
    """Delete an image: gone from the list and from every choice of a new job at once, its file
    kept (jobs that recorded it still read it) and restorable during the undo window
    (``media_restore``), then purged with the file. Assets already made with it keep it."""
    require_acting(item.workspace_id)
    item.deleted_at = timezone.now()
    item.save(update_fields=["deleted_at"])


@transaction.atomic
def media_restore(*, item: CreatorMedia) -> CreatorMedia | None:
    """Undo a delete within the undo window: the image comes back as it was. None when it is
    too late. Refused (MediaLimitReached), like a new image, when the plan's room is used again."""
    require_acting(item.workspace_id)
    item = CreatorMedia.all_objects.select_for_update().get(pk=item.pk, workspace_id=item.workspace_id)
    if item.deleted_at is None:
        return item  # restored already (a second click on Undo)
    if item.deleted_at < undo_window_start():
        return None
    allowance = media_allowance_for(item.owner, item.workspace_id)
    if not allowance.may_add:
        raise MediaLimitReached(allowance)
    item.deleted_at = None
    item.save(update_fields=["deleted_at"])
    return item


def media_purge(*, now: dt.datetime | None = None) -> int:
    """Remove images deleted longer ago than the undo window (rows now, files on commit)."""
    return undo_purge(CreatorMedia.all_objects, now=now)
