"""Compose an asset: fit the provider's art to the canvas, then set every word and the logo.

The provider's art never carries text. Here the engine cuts subjects out (emotes, badges,
icons), cover-crops backgrounds, sets the words in the brand's fonts and exact colours with
strokes and shadows, places the logo, and keeps all of it inside the safe zone and clear of the
platform's UI. Each family has one recipe; every placement is recorded for validation.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

from platforms.types import PlatformSpec, Rect

from . import badge as badges
from . import geometry as geo
from . import layout, paint, reading
from .artwork import contain, decode_image
from .canvas import MIN_TEXT_CONTRAST, Canvas, Composition
from .colors import contrast_ratio, darken
from .paint import dilate
from .providers.direction import mark_colors
from .text import TextLayout, draw_text, layout_text, place
from .types import BrandSnapshot, Brief

# The recipes that set the brand's logo in a top corner (``Canvas.corner_logo``): the only
# ones where "move the logo left/right" means something.
CORNER_LOGO_FAMILIES = frozenset({"thumbnail", "scene", "cover"})
# The recipes whose text room follows ``Tweaks.text_scale`` (``Canvas.grow``, the thumbnail's
# column, ``text_block``'s title share); the others size their words from the layout alone.
TEXT_SCALE_FAMILIES = frozenset({"thumbnail", "banner", "scene", "cover"})


class Composer(Canvas):
    """One recipe per asset family, drawn with the canvas's tools."""

    # --- recipes -----------------------------------------------------------------------

    def compose(self) -> Composition:
        family = self.spec.family
        recipe = {
            "emote": self.emote,
            "icon": self.emote,
            "badge": self.badge,
            "avatar": self.avatar,
            "thumbnail": self.thumbnail,
            "banner": self.banner,
            "scene": self.scene,
            "cover": self.cover,
            "panel": self.panel,
            "overlay": self.overlay,
        }[family]
        recipe()
        return self.result

    def emote(self) -> None:
        w = self.w
        subject = self.subject()
        if self.spec.asset_type == "watermark" and self.logo() is not None:
            logo = self.logo()
            assert logo is not None
            subject = logo
            self.record("logo", "logo", Rect(0, 0, w, w))
        sticker = self.spec.asset_type == "sticker"
        title = self.plan.title
        subject_box, text_box = layout.emote_boxes(w, title, sticker=sticker)
        fitted = contain(subject, subject_box.width, subject_box.height)
        x = subject_box.x + (subject_box.width - fitted.width) // 2
        y = subject_box.y + (subject_box.height - fitted.height) // 2 if not title else subject_box.y
        paint.place_on_empty(self.canvas, fitted, (x, y))
        if title:
            fill, stroke = self.chat_text_colours()
            style = self.heading_style(
                fill, stroke, stroke_ratio=0.15, shadow=None, line_height=0.9, max_lines=2
            )
            self.add_text(title, text_box, style, label="text", primary=True, valign="bottom")
        if sticker:
            self.die_cut(round(w * 0.035))

    def die_cut(self, width: int) -> None:
        """A white sticker border around everything drawn so far."""
        alpha = self.canvas.getchannel("A")
        border = Image.new("RGBA", self.canvas.size, (255, 255, 255, 0))
        border.putalpha(dilate(alpha, width))
        border.alpha_composite(self.canvas)
        self.result.image = border

    def badge(self) -> None:
        w = self.w
        level = badges.tier_level(self.spec, self.brief.tier)
        chat = mark_colors(self.brand.palette, for_chat=True)
        frame = badges.draw_frame(w, level, chat)
        # The canvas is still empty: compositing the frame onto it would copy it (frames keep
        # no colour in their fully transparent pixels).
        self.result.image = frame.copy()
        tier_text = self.plan.tier
        cx, cy, side = badges.subject_box(w, with_tier=bool(tier_text))
        fitted = contain(self.subject(), side, side)
        self.canvas.alpha_composite(fitted, (cx - fitted.width // 2, cy - fitted.height // 2))
        if tier_text:
            x, y, pw, ph = badges.pill_box(w)
            ornament = badges.LEVELS[level]
            edge = chat.second if ornament.ring == "brand" else badges.METALS[ornament.ring]
            fill, _ = self.chat_text_colours()
            if contrast_ratio(fill, chat.dark) < MIN_TEXT_CONTRAST:
                fill = chat.light
            self.pill(
                tier_text,
                Rect(x, y, pw, ph),
                fill=fill,
                plate=chat.dark,
                edge=edge,
                label="tier",
                font=self.heading_font,
            )

    def avatar(self) -> None:
        self.backdrop()
        if self.plan.title:
            band = geo.circle_band(
                self.w, round(self.h * 0.66), round(self.h * 0.84), margin=round(self.w * 0.05)
            )
            fill, stroke = self.text_colours()
            self.add_text(
                self.plan.title,
                band,
                self.heading_style(fill, stroke, stroke_ratio=0.1),
                label="text",
                primary=True,
            )

    def thumbnail(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        w, h, safe = self.w, self.h, self.safe
        k = self.k
        if frame.name == "big_subject":
            self.side_scrim(darken(self.colors.background, 0.3), 0.62, 190, right=frame.mirrored)
            # A solid bar in the brand's secondary colour along the headline's edge: whatever the
            # provider painted, the kit's colours are in the file exactly.
            bar_w = max(4, round(w * 0.008))
            bar_x = w - round(safe.x * 0.35) - bar_w if frame.mirrored else round(safe.x * 0.35)
            bar = Rect(bar_x, safe.y, bar_w, safe.height)
            ImageDraw.Draw(self.canvas).rectangle(
                (bar.x, bar.y, bar.x + bar.width - 1, bar.y + bar.height - 1), fill=self.colors.secondary
            )
        region = geo.scale(frame.text, k)
        number = reading.list_number(f"{self.brief.text} {self.brief.base} {self.brief.prompt}")
        if frame.name == "top_list" and not number:
            # No number written: the words take its room.
            region = Rect(safe.x, region.y, geo.right(region) - safe.x, region.height)
        # The corner logo goes top left, or bottom left where the words sit across the top.
        top_words = frame.name in ("versus", "before_after")
        logo_box = (
            Rect(safe.x, geo.bottom(safe) - round(h * 0.12), round(w * 0.2), round(h * 0.12))
            if top_words or frame.name == "title_card"
            else Rect(safe.x, safe.y, round(w * 0.2), round(h * 0.12))
        )
        logo_rect = self.corner_logo(logo_box)
        if logo_rect is not None and geo.intersects(logo_rect, region) and self.tweaks.logo_side != "right":
            top = geo.bottom(logo_rect) + round(h * 0.02)
            region = Rect(region.x, top, region.width, max(0, geo.bottom(region) - top))
        if frame.name == "big_subject" and frame.mirrored:
            left = geo.right(region) - round(region.width * self.tweaks.text_scale)
            region = self.clear(Rect(left, region.y, geo.right(region) - left, region.height))
        elif frame.name == "big_subject":
            width = round((frame.text.x + frame.text.width) * k * self.tweaks.text_scale) - region.x
            region = self.clear(Rect(region.x, region.y, width, region.height))
        else:
            region = self.grow(region)
            self.scrim(
                geo.inset(region, -round(region.width * 0.06), -round(region.height * 0.12)),
                darken(self.colors.background, 0.4),
                90 if frame.name == "title_card" else 150,  # a title card's own card lifts it
            )
        self.headline(region, align=frame.align, max_lines=3 if frame.name != "versus" else 2)
        self.layout_marks(frame, number)
        self.kit_strip()

    def kit_strip(self) -> None:
        """A thin strip of the kit's three colours along the top edge: whatever the provider
        painted, the kit's colours are in the file exactly, in every composition."""
        colours = (self.colors.primary, self.colors.secondary, self.colors.accent)
        height = max(6, round(self.h * 0.014))
        draw = ImageDraw.Draw(self.canvas)
        for index, colour in enumerate(colours):
            x0 = round(self.w * index / 3)
            x1 = round(self.w * (index + 1) / 3) - 1
            draw.rectangle((x0, 0, x1, height - 1), fill=colour)

    def headline(self, column: Rect, *, align: str, max_lines: int = 3) -> None:
        """The thumbnail's headline (its last line in an emphasis colour) and subtext pill,
        stacked and centred in ``column``."""
        column = self.clear(column)
        h = self.h
        fill, stroke = self.text_colours()
        sub_h = round(h * 0.1) if self.plan.subtitle else 0
        gap = round(h * 0.03) if sub_h else 0
        headline_box = self.clear(Rect(column.x, column.y, column.width, column.height - sub_h - gap))
        options: dict[str, object] = {
            "align": align,
            "max_lines": max_lines,
            "stroke_ratio": 0.075,
            "line_height": 0.95,
        }
        style = self.heading_style(fill, stroke, **options)
        text_layout = (
            layout_text(self.plan.title, style, headline_box.width, headline_box.height)
            if self.plan.title
            else None
        )
        if text_layout is not None and len(text_layout.lines) > 1:
            accent = self.emphasis(fill, stroke)
            fills = tuple([fill] * (len(text_layout.lines) - 1) + [accent])
            style = self.heading_style(fill, stroke, line_fills=fills, **options)
            text_layout = layout_text(self.plan.title, style, headline_box.width, headline_box.height)
        block_h = (text_layout.ink_height + 2 * text_layout.margin if text_layout else 0) + gap + sub_h
        y0 = column.y + max(0, (column.height - block_h) // 2)
        if text_layout is not None:
            x, _ = place(text_layout, headline_box)
            y = y0 + text_layout.margin
            placed = draw_text(self.ink, text_layout, x, y, label="headline", primary=True)
            self.result.texts.append(placed)
            self.record("text", "headline", placed.rect)
            y0 = geo.bottom(placed.rect) + gap
        if self.plan.subtitle:
            plate = (
                self.colors.primary
                if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
                else self.colors.background
            )
            self.pill(
                self.plan.subtitle,
                Rect(column.x, y0, column.width, sub_h),
                fill=fill,
                plate=plate,
                edge=None,
                label="subtext",
                align=align,
                valign="top",
            )

    def layout_marks(self, frame: layout.Frame, number: str) -> None:
        """The words a composition sets itself: "VS", the list's number, BEFORE and AFTER."""
        fill, stroke = self.text_colours()
        vs = frame.mark("vs")
        if vs is not None:
            self.add_text(
                "VS",
                geo.scale(vs, self.k),
                self.heading_style(fill, self.colors.dark, max_lines=1, stroke_ratio=0.1),
                label="vs",
            )
        box = frame.mark("number")
        if box is not None and number:
            self.add_text(
                number if len(number) > 1 else f"#{number}",
                geo.scale(box, self.k),
                self.heading_style(fill, stroke, max_lines=1, stroke_ratio=0.06),
                label="number",
            )
        for kind, words in (("before", "BEFORE"), ("after", "AFTER")):
            box = frame.mark(kind)
            if box is None:
                continue
            plate = self.colors.background if kind == "before" else self.colors.primary
            if contrast_ratio(fill, plate) < MIN_TEXT_CONTRAST:
                plate = self.colors.background
            self.pill(
                words, geo.scale(box, self.k), fill=fill, plate=plate, edge=self.colors.accent, label=kind
            )

    def text_block(
        self, region: Rect, *, align: str = "center", title_share: float = 0.5, with_logo: bool = True
    ) -> None:
        """Title, subtitle and detail stacked and centred in ``region``; the logo to their left."""
        # A hair inside the area, so strokes and shadows rounded at the edge stay within it.
        region = geo.inset(self.clear(region), 0, max(2, round(region.height * 0.012)))
        fill, stroke = self.text_colours()
        logo = self.logo() if with_logo else None
        logo_w = 0
        if logo is not None:
            logo_h = round(region.height * 0.5)
            logo_w = min(round(logo_h * logo.width / max(1, logo.height)), round(region.width * 0.22))
        gap = round(region.height * 0.06)
        column_w = region.width - (logo_w + gap if logo_w else 0)
        plan = self.plan
        shares = [
            ("title", plan.title, title_share * self.tweaks.text_scale),
            ("subtitle", plan.subtitle, 0.22),
            ("detail", plan.detail, 0.16),
        ]
        present = [(label, text, share) for label, text, share in shares if text]
        if not present:
            if logo is not None:
                self.place_logo(region, align="center")
            return
        total_share = sum(share for _, _, share in present)
        usable = region.height - gap * (len(present) - 1)
        text_align = "left" if logo_w else align
        detail_plate = (
            self.colors.primary
            if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
            else darken(self.colors.background, 0.2)
        )
        rows: list[tuple[str, str, TextLayout, int, int]] = []  # label, text, layout, width, height
        for label, text, share in present:
            box_h = round(usable * share / total_share)
            if label == "detail":
                laid = self.pill_layout(text, Rect(0, 0, column_w, box_h), fill, align=text_align)
                if laid is not None:
                    rows.append((label, text, laid[0], laid[1], box_h))
                continue
            if label == "title":
                style = self.heading_style(fill, stroke, align=text_align, max_lines=2)
            else:
                style = self.body_style(
                    fill, stroke, align=text_align, max_lines=2, shadow=darken(stroke, 0.5), shadow_alpha=120
                )
            text_layout = layout_text(text, style, column_w, box_h)
            if text_layout is not None:
                m = text_layout.margin
                rows.append(
                    (label, text, text_layout, text_layout.ink_width + 2 * m, text_layout.ink_height + 2 * m)
                )
        if not rows:
            return
        block_h = sum(row[4] for row in rows) + gap * (len(rows) - 1)
        block_w = max(row[3] for row in rows)
        group_w = block_w + (logo_w + gap if logo_w else 0)
        gx = region.x + (region.width - group_w) // 2
        y = region.y + (region.height - block_h) // 2
        if logo_w:
            logo_box = Rect(gx, y, logo_w, block_h)
            placed_logo = self.place_logo(logo_box, align="left")
            gx += (placed_logo.width if placed_logo else logo_w) + gap
        column = Rect(gx, region.y, block_w, region.height)
        for label, text, text_layout, _, height in rows:
            if label == "detail":
                self.pill(
                    text,
                    Rect(column.x, y, column.width, height),
                    fill=fill,
                    plate=detail_plate,
                    edge=self.colors.accent,
                    label=label,
                    align=text_align,
                )
            else:
                x, _ = place(text_layout, column)
                placed = draw_text(
                    self.ink, text_layout, x, y + text_layout.margin, label=label, primary=label == "title"
                )
                self.result.texts.append(placed)
                self.record("text", label, placed.rect)
            y += height + gap

    def frame_region(self) -> Rect:
        """The composition's text block on the canvas, grown by the text-size tweak."""
        frame = self.frame or layout.frame(self.spec, "")
        return self.grow(geo.scale(frame.text, self.k))

    def banner(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        region = self.frame_region()
        self.scrim(
            geo.inset(region, -round(region.width * 0.04), -round(region.height * 0.05)),
            darken(self.colors.background, 0.4),
            120 if frame.name != "pattern" else 170,
        )
        self.text_block(region, title_share=0.56, align=frame.align)

    def scene(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        w, h, safe = self.w, self.h, self.safe
        region = self.words_below_logo(
            Rect(safe.x, safe.y, round(w * 0.16), round(h * 0.1)), self.frame_region()
        )
        self.scrim(
            geo.inset(region, -round(region.width * 0.06), -round(region.height * 0.06)),
            darken(self.colors.background, 0.4),
            110 if frame.name != "pattern" else 170,
        )
        self.text_block(region, title_share=0.56, with_logo=False, align=frame.align)

    def cover(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        safe = self.safe
        region = self.words_below_logo(
            Rect(safe.x, safe.y, round(safe.width * 0.26), round(safe.height * 0.07)), self.frame_region()
        )
        if self.plan.title or self.plan.subtitle:
            self.scrim(
                geo.inset(region, -round(region.width * 0.02)),
                darken(self.colors.background, 0.4),
                110 if frame.name != "pattern" else 170,
            )
        self.text_block(region, title_share=0.62, with_logo=False, align=frame.align)

    def words_below_logo(self, logo_box: Rect, region: Rect) -> Rect:
        """Place the corner logo; the words' region starts below it when they would meet."""
        logo_rect = self.corner_logo(logo_box)
        if logo_rect is None or not geo.intersects(logo_rect, region):
            return region
        top = geo.bottom(logo_rect) + round(self.h * 0.02)
        return Rect(region.x, top, region.width, max(0, geo.bottom(region) - top))

    def panel(self) -> None:
        self.backdrop()
        frame = self.frame or layout.frame(self.spec, "")
        box = geo.scale(frame.text, self.k)
        fill, stroke = self.text_colours()
        # A panel label reads best on one line; long labels may take two.
        lines = 1 if len(self.plan.title) <= 16 else 2
        style = self.heading_style(fill, stroke, max_lines=lines, stroke_ratio=0.08, shadow_offset=0.04)
        self.add_text(self.plan.title, box, style, label="title", primary=True)

    def overlay(self) -> None:
        self.backdrop()
        bar = self.safe
        pad = round(bar.height * 0.16)
        inner = geo.inset(bar, pad)
        x = inner.x
        logo_rect = self.place_logo(Rect(x, inner.y, round(inner.height * 1.6), inner.height), align="left")
        if logo_rect is not None:
            x = geo.right(logo_rect) + pad
        fill, stroke = self.text_colours()
        mark_room = round(bar.height * 1.1)
        name_w = round((geo.right(inner) - x - mark_room) * 0.55)
        self.add_text(
            self.plan.title,
            Rect(x, inner.y, name_w, inner.height),
            self.heading_style(fill, stroke, align="left", max_lines=1),
            label="title",
            primary=True,
        )
        info_x = x + name_w + pad
        info_w = geo.right(inner) - mark_room - info_x
        if self.plan.subtitle:
            self.add_text(
                self.plan.subtitle,
                Rect(info_x, inner.y, info_w, inner.height // 2),
                self.body_style(fill, None, align="right"),
                label="subtitle",
                valign="bottom",
            )
        if self.plan.detail:
            plate = (
                self.colors.primary
                if contrast_ratio(fill, self.colors.primary) >= MIN_TEXT_CONTRAST
                else darken(self.colors.background, 0.2)
            )
            self.pill(
                self.plan.detail,
                Rect(info_x, inner.y + inner.height // 2 + pad // 2, info_w, inner.height // 2 - pad // 2),
                fill=fill,
                plate=plate,
                edge=None,
                label="detail",
                align="right",
            )
        self.punch_holes()

    def punch_holes(self) -> None:
        """Make the overlay's holes fully transparent again, whatever was drawn over them."""
        alpha = self.canvas.getchannel("A")
        draw = ImageDraw.Draw(alpha)
        for hole in self.spec.transparent_areas:
            r = geo.scale(hole, self.k)
            draw.rectangle((r.x, r.y, geo.right(r) - 1, geo.bottom(r) - 1), fill=0)
        self.canvas.putalpha(alpha)


def compose(
    *,
    spec: PlatformSpec,
    brief: Brief,
    brand: BrandSnapshot,
    art_png: bytes | None = None,
    art_image: Image.Image | None = None,
    words_apart: bool = False,
) -> Composition:
    """Fit the provider's art (PNG bytes, or an image from an in-process provider) and set the
    brand's words and logo: the master canvas at the work size. ``words_apart``: the words on
    a layer of their own (``Composition.words``), for motion."""
    if art_image is None:
        if art_png is None:
            raise ValueError("compose needs art_png or art_image")
        art_image = decode_image(art_png)
    elif art_image.mode not in ("RGB", "RGBA"):
        art_image = art_image.convert("RGBA")
    return Composer(spec=spec, brief=brief, brand=brand, art=art_image, words_apart=words_apart).compose()
