"""The engine's parts: byte-cap fitting, reading files back, fonts, text fitting, the art prompt."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from generation.engine.file_checks import check_file, read_header
from generation.engine.fit import PNG_COMPRESS_LEVEL, encode
from generation.engine.fonts import DEFAULT_FONT, FONTS, font_for_text, font_path, load_font
from generation.engine.geometry import avoid, closest_aspect_ratio
from generation.engine.layout import extract_on_image_text
from generation.engine.render import build_art_prompt
from generation.engine.text import TextStyle, layout_text, set_text
from generation.engine.types import BrandSnapshot, Brief, Palette, RenderedFile, RenderError
from platforms.loader import load_registry
from platforms.types import Rect

REGISTRY = load_registry()


def noise(size: tuple[int, int], mode: str = "RGBA", seed: int = 0) -> Image.Image:
    channels = 4 if mode == "RGBA" else 3
    pixels = np.random.default_rng(seed).integers(0, 256, (size[1], size[0], channels), dtype=np.uint8)
    if mode == "RGBA":
        pixels[..., 3] = np.where(pixels[..., 3] > 60, 255, 0)  # a cut-out with holes
    return Image.fromarray(pixels)


def test_a_noisy_png_that_starts_over_the_cap_is_quantised_to_fit_keeping_alpha():
    image = noise((112, 112))
    plain = io.BytesIO()
    image.save(plain, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    assert len(plain.getvalue()) > 25_000  # over the Twitch emote cap to begin with

    encoded = encode(image, "PNG", byte_cap=25_000)
    assert encoded.size <= 25_000
    assert encoded.steps > 1
    decoded = Image.open(io.BytesIO(encoded.data))
    assert decoded.format == "PNG"
    assert decoded.size == (112, 112)
    assert decoded.mode == "RGBA" or "transparency" in decoded.info
    assert decoded.convert("RGBA").getchannel("A").getextrema() == (0, 255)


def textured(size: tuple[int, int], mode: str = "RGB") -> Image.Image:
    """A gradient with soft grain: compresses like art (zlib's effort matters), unlike noise."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    grain = np.random.default_rng(1).integers(0, 12, (height, width))
    channels = [(x * 255 // width + grain) % 256, (y * 255 // height + grain) % 256, (x + y + grain) % 256]
    if mode == "RGBA":
        channels.append(np.where((x - width // 2) ** 2 + (y - height // 2) ** 2 < (width // 2) ** 2, 255, 0))
    return Image.fromarray(np.stack(channels, axis=-1).astype(np.uint8))


def png_bytes(image: Image.Image, level: int) -> int:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=level)
    return len(buffer.getvalue())


@pytest.mark.parametrize("mode", ["RGB", "RGBA"])
def test_a_png_under_its_cap_is_made_in_one_fast_lossless_encoding(mode):
    image = textured((320, 180), mode)
    encoded = encode(image, "PNG", byte_cap=png_bytes(image, 1))

    assert (encoded.steps, encoded.options) == (1, {"compress_level": 1})
    decoded = Image.open(io.BytesIO(encoded.data))
    assert (decoded.format, decoded.mode, decoded.size) == ("PNG", mode, (320, 180))
    assert np.array_equal(np.asarray(decoded), np.asarray(image))  # not a pixel changed


def test_a_png_just_over_its_cap_is_compressed_harder_before_any_colour_is_lost():
    image = textured((320, 180), "RGBA")
    fast, harder = png_bytes(image, 1), png_bytes(image, 6)
    assert harder < fast

    encoded = encode(image, "PNG", byte_cap=harder)

    assert encoded.size <= harder
    assert (encoded.steps, encoded.options) == (2, {"compress_level": 6})
    decoded = Image.open(io.BytesIO(encoded.data))
    assert decoded.mode == "RGBA"
    assert np.array_equal(np.asarray(decoded), np.asarray(image))


def test_a_jpeg_gets_optimised_tables_only_when_over_its_cap():
    image = textured((640, 360))
    first = encode(image, "JPEG", byte_cap=None)
    assert (first.options["quality"], first.options["optimize"]) == (92, False)

    tighter = encode(image, "JPEG", byte_cap=first.size - 1)

    assert (tighter.options["quality"], tighter.options["optimize"]) == (92, True)
    assert tighter.size < first.size
    assert Image.open(io.BytesIO(tighter.data)).size == (640, 360)


def test_jpeg_steps_down_its_quality_and_refuses_when_nothing_fits():
    image = noise((640, 360), mode="RGB")
    first = encode(image, "JPEG", byte_cap=None)
    encoded = encode(image, "JPEG", byte_cap=int(first.size * 0.7))
    assert encoded.size <= first.size * 0.7
    assert encoded.options["quality"] < 92
    assert Image.open(io.BytesIO(encoded.data)).size == (640, 360)
    with pytest.raises(RenderError, match="limit"):
        encode(image, "JPEG", byte_cap=1_000)


def test_encoding_is_deterministic_and_metadata_free():
    image = noise((64, 64), seed=3)
    image.info["comment"] = "should not be written"
    assert (
        encode(image, "PNG", byte_cap=8_000).data
        == encode(noise((64, 64), seed=3), "PNG", byte_cap=8_000).data
    )
    data = encode(noise((64, 64), seed=3), "PNG", byte_cap=None).data
    assert b"tIME" not in data
    assert b"tEXt" not in data
    assert b"eXIf" not in data


def test_gif_keeps_transparency():
    image = noise((56, 56), seed=5)
    decoded = Image.open(io.BytesIO(encode(image, "GIF", byte_cap=512_000).data))
    assert decoded.format == "GIF"
    assert "transparency" in decoded.info
    assert (
        decoded.convert("RGBA").getpixel(
            next((x, y) for y in range(56) for x in range(56) if image.getpixel((x, y))[3] == 0)
        )[3]
        == 0
    )


@pytest.mark.parametrize(
    ("mode", "options", "alpha"),
    [
        ("RGBA", {}, True),
        ("LA", {}, True),
        ("RGB", {}, False),
        ("P", {"transparency": 0}, True),
        ("P", {}, False),
        ("L", {"transparency": 3}, True),
    ],
)
def test_files_are_read_back_from_their_headers_as_a_decoder_reads_them(mode, options, alpha):
    buffer = io.BytesIO()
    Image.new(mode, (37, 21)).save(buffer, format="PNG", **options)
    header = read_header(buffer.getvalue())
    decoded = Image.open(io.BytesIO(buffer.getvalue()))
    assert (header.format, header.width, header.height) == (decoded.format, *decoded.size)
    assert header.alpha is alpha
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30)).save(jpeg, format="JPEG")
    assert (read_header(jpeg.getvalue()).width, read_header(jpeg.getvalue()).alpha) == (40, False)


def test_a_damaged_or_wrongly_sized_file_fails_its_checks():
    spec = REGISTRY.get("discord.role_icon")
    rendition = spec.renditions[0]
    data = encode(noise((64, 64)), "PNG", byte_cap=spec.byte_cap).data
    file = RenderedFile(label="64", width=64, height=64, format="PNG", data=data)
    assert all(check.ok for check in check_file(file, spec, rendition))

    damaged = data[:18] + bytes([data[18] ^ 0xFF]) + data[19:]  # a bit flipped in the size
    checks = check_file(RenderedFile("64", 64, 64, "PNG", damaged), spec, rendition)
    assert [(c.code, c.ok, c.message) for c in checks] == [("readable", False, "The 64 file cannot be read.")]

    wrong = encode(noise((60, 64)), "PNG", byte_cap=spec.byte_cap).data
    checks = {c.code: c for c in check_file(RenderedFile("64", 64, 64, "PNG", wrong), spec, rendition)}
    assert not checks["dimensions"].ok
    assert checks["dimensions"].message == "60×64 px, but Discord needs 64×64 px for a role icon."


def test_bundled_fonts_and_fallbacks(tmp_path):
    for key in (
        "fredoka-one",
        "fjalla-one",
        "roboto",
        "red-hat-display",
        "lato",
        "manrope",
        "source-sans-pro",
        "hanken-grotesk",
        "amatic-sc",
    ):
        family = FONTS[key]
        assert family.licence in ("OFL", "Apache")
        assert family.weights
        assert font_path(key).is_file()
    assert FONTS["amatic-sc"].category == "handwritten"
    assert font_path("roboto", "black").name == "Roboto-Black.ttf"
    assert font_path("roboto", "semibold").name == "Roboto-Bold.ttf"  # the nearest weight, heavier on a tie
    assert font_path("no-such-font") == FONTS[DEFAULT_FONT].nearest("bold")
    uploaded = font_path("fjalla-one")
    assert font_path(str(uploaded)) == uploaded  # an absolute path to an uploaded TTF/OTF
    assert load_font("manrope", 40) is load_font("manrope", 40)  # cached


def test_text_falls_back_to_a_font_that_has_the_glyphs():
    path = font_for_text("amatic-sc", "Road to Diamond → Ep. 12")
    from generation.engine.fonts import covers

    assert covers(path, "→")


def test_text_is_fitted_into_its_box_on_balanced_lines():
    style = TextStyle(
        font="fredoka-one", fill=(255, 255, 255), stroke=(0, 0, 0), stroke_ratio=0.08, max_lines=3
    )
    two_lines = TextStyle(font="manrope", fill=(255, 255, 255), max_lines=2)
    text_layout = layout_text("one two three four five six", two_lines, 500, 400)
    assert text_layout is not None
    assert text_layout.lines == [
        "one two three",
        "four five six",
    ]
    text_layout = layout_text("Road to Diamond episode twelve", style, 600, 300)
    assert text_layout is not None
    assert 1 < len(text_layout.lines) <= 3
    assert text_layout.ink_width + 2 * text_layout.margin <= 600
    assert text_layout.ink_height + 2 * text_layout.margin <= 300

    canvas = Image.new("RGBA", (800, 400), (0, 0, 0, 0))
    placed = set_text(canvas, "GG", Rect(100, 50, 600, 300), style, label="text")
    assert placed is not None
    r = placed.rect
    assert r.x >= 100
    assert r.y >= 50
    assert r.x + r.width <= 700
    assert r.y + r.height <= 350
    assert r.height > 150  # two letters fill the box
    bigger = layout_text("GG", style, 600, 300)
    smaller = layout_text("GG", style, 300, 150)
    assert bigger is not None
    assert smaller is not None
    assert bigger.size > smaller.size


def test_extract_on_image_text():
    assert extract_on_image_text('make a "GG" emote') == "GG"
    assert extract_on_image_text("a “HYPE” badge") == "HYPE"
    assert extract_on_image_text("say 'LET'S GO' loudly") == "LET'S GO"
    assert extract_on_image_text("don't stop the cat's party") == ""
    assert extract_on_image_text("no quotes here") == ""


def test_the_art_prompt_carries_brand_rules_and_no_text():
    brand = BrandSnapshot(
        palette=Palette(primary="#123456", secondary="#ABCDEF", accent="#FF8800", background="#000000"),
        art_style="flat vector",
        mood="hype",
        keywords=("esports", "fire"),
        avoid=("skulls",),
    )
    emote = build_art_prompt(
        REGISTRY.get("twitch.emote"), Brief(prompt='a cat emote saying "GG"', text="GG"), brand
    )
    for needle in (
        "#123456",
        "#ABCDEF",
        "#FF8800",
        "flat vector",
        "hype",
        "esports",
        "skulls",
        "outline",
        "flat, solid",
    ):
        assert needle in emote, needle
    assert "no text, no letters, no words" in emote.lower()
    assert '"GG"' not in emote  # the engine sets the words; the model never sees them as text to draw

    thumbnail = build_art_prompt(REGISTRY.get("youtube.thumbnail"), Brief(prompt="ranked grind"), brand)
    assert "bottom-right" in thumbnail
    assert "left" in thumbnail
    banner = build_art_prompt(REGISTRY.get("youtube.channel_banner"), Brief(prompt="night sky"), brand)
    assert "1546×423" in banner


def test_geometry_helpers():
    assert closest_aspect_ratio(1280, 720) == "16:9"
    assert closest_aspect_ratio(1080, 1920) == "9:16"
    assert closest_aspect_ratio(112, 112) == "1:1"
    assert avoid(Rect(0, 0, 100, 100), [Rect(80, 80, 20, 20)]) in (Rect(0, 0, 80, 100), Rect(0, 0, 100, 80))
