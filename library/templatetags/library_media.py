"""How an asset's file is shown on our pages: animated files hold still for viewers who ask for
reduced motion (a <picture> whose first source is the file's first frame under
``prefers-reduced-motion: reduce``), and the motion toggle (``static/js/motion.js``) pauses and
plays them by switching that source on or off. Tiles and lists of many assets show a small
thumbnail of the file instead (``library/thumbnails.py``), held still the same way."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from library.models import Asset, Rendition
from library.thumbnails import thumbnail_of, thumbnail_urls

register = template.Library()

REDUCED_MOTION = "(prefers-reduced-motion: reduce)"


def file_urls(asset: Asset, rendition: Rendition, token: str = "") -> tuple[str, str]:
    """(the file shown inline, its first frame) for the owner, or through a share token."""
    if token:
        return (
            reverse("library:shared_file", args=[token, rendition.label]),
            reverse("library:shared_still", args=[token, rendition.label]),
        )
    return (
        reverse("library:rendition_download", args=[asset.pk, rendition.label]) + "?inline=1",
        reverse("library:rendition_still", args=[asset.pk, rendition.label]),
    )


def _picture(
    src: str,
    still: str,
    *,
    width: int | str,
    height: int | str,
    alt: str,
    css: str,
    style: str,
    loading: str,
    moving: bool,
) -> SafeString:
    image = format_html(
        '<img src="{}" width="{}" height="{}" alt="{}" class="{}"{} loading="{}" decoding="async">',
        src,
        width,
        height,
        alt,
        css,
        format_html(' style="{}"', style) if style else "",
        loading,
    )
    if not moving:
        return image
    return format_html(
        '<picture data-motion class="contents"><source media="{}" srcset="{}" data-still>{}</picture>',
        REDUCED_MOTION,
        still,
        image,
    )


@register.simple_tag
def asset_picture(
    asset: Asset,
    rendition: Rendition,
    width: int | str,
    height: int | str,
    alt: str = "",
    css: str = "",
    style: str = "",
    loading: str = "lazy",
    token: str = "",
    fixed: bool = False,
) -> SafeString:
    """The file as an <img>; an animated one inside a <picture> that holds its first frame for
    reduced motion (and for the pause button). ``fixed``: shown at exactly width × height px."""
    src, still = file_urls(asset, rendition, token)
    if fixed:
        style = f"width: {width}px; height: {height}px"
    return _picture(
        src,
        still,
        width=width,
        height=height,
        alt=alt,
        css=css,
        style=style,
        loading=loading,
        moving=asset.animated,
    )


@register.simple_tag
def thumbnail_picture(asset: Asset, rendition: Rendition, alt: str = "", css: str = "") -> SafeString:
    """A tile's image: the small thumbnail of ``rendition`` (a grid, the dashboard), laid out at
    the thumbnail's size; an animated asset's moves, held still for reduced motion."""
    thumbnail = thumbnail_of(rendition)
    return _picture(
        thumbnail.url,
        thumbnail.still_url,
        width=thumbnail.width,
        height=thumbnail.height,
        alt=alt,
        css=css,
        style="",
        loading="lazy",
        moving=asset.animated,
    )


@register.simple_tag
def file_picture(asset_id: object, label: str, alt: str = "", css: str = "") -> SafeString:
    """A small thumbnail known only by its asset's id and label (a job list): held still for
    reduced motion whatever it is (a still file's first frame is itself)."""
    src, still = thumbnail_urls(asset_id, label)
    return _picture(src, still, width="", height="", alt=alt, css=css, style="", loading="lazy", moving=True)


@register.simple_tag
def still_url(asset: Asset, rendition: Rendition, token: str = "") -> str:
    return file_urls(asset, rendition, token)[1]
