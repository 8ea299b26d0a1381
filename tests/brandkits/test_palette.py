"""Palette extraction from images and the font pairing it suggests."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from brandkits.font_choices import BUNDLED_FONTS, FONT_CHOICES, FONTS_BY_KEY, font_name
from brandkits.palette import SuggestedColor, extract_palette, suggest_font_pairing
from core.colors import contrast_ratio, delta_e

BLOCKS = {"#101020": 0.40, "#7C3AED": 0.25, "#F43F5E": 0.15, "#22D3EE": 0.10, "#FFFFFF": 0.10}


def block_image() -> Image.Image:
    """400×300: 40% #101020 background and blocks of 25%, 15%, 10% and 10%."""
    image = Image.new("RGB", (400, 300), "#101020")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 249, 119), "#7C3AED")  # 30 000 px
    draw.rectangle((250, 0, 399, 119), "#F43F5E")  # 18 000 px
    draw.rectangle((0, 120, 119, 219), "#22D3EE")  # 12 000 px
    draw.rectangle((120, 120, 239, 219), "#FFFFFF")  # 12 000 px
    return image


def by_role(palette: list[SuggestedColor]) -> dict[str, SuggestedColor]:
    return {colour.role: colour for colour in palette}


def test_known_colour_blocks_come_back_with_their_roles() -> None:
    palette = extract_palette(block_image())
    roles = by_role(palette)
    assert [c.role for c in palette] == ["background", "text", "primary", "secondary", "accent"]
    expected = {
        "background": "#101020",
        "text": "#FFFFFF",
        "primary": "#7C3AED",
        "secondary": "#F43F5E",
        "accent": "#22D3EE",
    }
    for role, hex_ in expected.items():
        assert delta_e(roles[role].hex, hex_) < 10, (role, roles[role].hex)
        assert roles[role].share == pytest.approx(BLOCKS[hex_], abs=0.02)


def test_a_jpeg_of_the_blocks_gives_the_same_palette() -> None:
    buffer = io.BytesIO()
    block_image().save(buffer, format="JPEG", quality=80)
    palette = extract_palette(Image.open(io.BytesIO(buffer.getvalue())))
    roles = by_role(palette)
    assert delta_e(roles["background"].hex, "#101020") < 10
    assert delta_e(roles["primary"].hex, "#7C3AED") < 10
    assert delta_e(roles["secondary"].hex, "#F43F5E") < 10
    assert delta_e(roles["accent"].hex, "#22D3EE") < 10


def test_extraction_is_deterministic() -> None:
    image = block_image()
    assert extract_palette(image) == extract_palette(image.copy()) == extract_palette(block_image())
    noise = Image.effect_noise((300, 300), 80).convert("RGB")
    assert extract_palette(noise) == extract_palette(noise.copy())


def test_transparent_pixels_are_ignored() -> None:
    # The hidden colour under alpha 0 is a loud green: it must not show up anywhere.
    image = Image.new("RGBA", (200, 200), (0, 255, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 180, 180), "#7C3AED")
    draw.ellipse((70, 70, 130, 130), "#FFFFFF")
    palette = extract_palette(image)
    assert all(delta_e(c.hex, "#00FF00") > 30 for c in palette)
    from_image = [c for c in palette if c.share > 0]
    assert sum(c.share for c in from_image) == pytest.approx(1, abs=0.02)
    assert delta_e(by_role(palette)["primary"].hex, "#7C3AED") < 10


def test_a_transparent_logo_without_neutrals_gets_a_plain_background() -> None:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 180, 180), "#7C3AED")
    roles = by_role(extract_palette(image))
    # The logo's own colour is the brand colour, not the backdrop.
    assert roles["primary"].hex == "#7C3AED"
    assert roles["background"].share == 0
    assert roles["background"].hex in ("#000000", "#FFFFFF")
    assert contrast_ratio(roles["text"].hex, roles["background"].hex) >= 4.5


def test_a_fully_transparent_image_has_no_palette() -> None:
    assert extract_palette(Image.new("RGBA", (50, 50), (255, 0, 0, 0))) == []


def test_text_falls_back_to_black_or_white_when_nothing_in_the_image_reads() -> None:
    image = Image.new("RGB", (100, 100), "#777777")
    ImageDraw.Draw(image).rectangle((0, 0, 49, 99), "#8A8A8A")
    roles = by_role(extract_palette(image))
    assert roles["text"].hex in ("#000000", "#FFFFFF")
    assert roles["text"].share == 0
    assert contrast_ratio(roles["text"].hex, roles["background"].hex) >= 4.5


def test_vivid_colours_stay_brand_colours_on_a_light_background() -> None:
    # A purple that would pass as text on white is still the primary; text is a neutral.
    image = Image.new("RGB", (200, 100), "#FFFFFF")
    ImageDraw.Draw(image).rectangle((0, 0, 79, 99), "#5B21B6")
    roles = by_role(extract_palette(image))
    assert roles["background"].hex == "#FFFFFF"
    assert roles["primary"].hex == "#5B21B6"
    assert roles["text"].hex == "#000000"


def test_count_limits_the_palette() -> None:
    assert len(extract_palette(block_image(), count=3)) == 3
    assert [c.role for c in extract_palette(block_image(), count=3)] == ["background", "text", "primary"]
    with pytest.raises(ValueError, match="at least"):
        extract_palette(block_image(), count=1)


# --- fonts ------------------------------------------------------------------------------------


def test_font_choices_mirror_the_engines_bundled_families() -> None:
    # Tests may import generation; brandkits itself must not.
    from generation.engine.fonts import _BUNDLED, FONTS

    engine = {key: (name, category) for key, name, category, *_ in _BUNDLED}
    ours = {font.key: (font.name, font.category) for font in BUNDLED_FONTS}
    assert ours == engine
    assert set(ours) <= set(FONTS)  # installed, so a brand kit never names a missing family
    assert FONT_CHOICES[0] == ("fredoka-one", "Fredoka One")
    assert font_name("manrope") == "Manrope"
    assert font_name("/media/fonts/x.ttf") == "/media/fonts/x.ttf"


def _pairing_is_valid(heading: str, body: str) -> None:
    assert heading in FONTS_BY_KEY
    assert FONTS_BY_KEY[body].category == "sans"


def test_a_vivid_dark_palette_gets_a_display_heading() -> None:
    heading, body = suggest_font_pairing(extract_palette(block_image()))
    _pairing_is_valid(heading, body)
    assert FONTS_BY_KEY[heading].category == "display"
    assert heading == "fjalla-one"


def test_a_vivid_light_palette_gets_a_rounded_display_heading() -> None:
    image = Image.new("RGB", (200, 100), "#FFF7ED")
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), "#F43F5E")
    heading, body = suggest_font_pairing(extract_palette(image))
    _pairing_is_valid(heading, body)
    assert heading == "fredoka-one"


def test_a_muted_palette_gets_a_clean_sans_heading() -> None:
    image = Image.new("RGB", (200, 100), "#F5F5F4")
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), "#78716C")
    heading, body = suggest_font_pairing(extract_palette(image))
    _pairing_is_valid(heading, body)
    assert FONTS_BY_KEY[heading].category == "sans"


@pytest.mark.parametrize(
    ("hint", "heading"),
    [
        ("cozy cottagecore streams", "fredoka-one"),
        ("Competitive FPS / esports", "fjalla-one"),
        ("hand-drawn doodle art", "amatic-sc"),
        ("clean and minimal", "manrope"),
    ],
)
def test_a_mood_hint_decides_the_heading(hint: str, heading: str) -> None:
    chosen, body = suggest_font_pairing(extract_palette(block_image()), mood_hint=hint)
    assert chosen == heading
    _pairing_is_valid(chosen, body)


def test_an_empty_palette_gets_the_defaults() -> None:
    heading, body = suggest_font_pairing([])
    _pairing_is_valid(heading, body)
