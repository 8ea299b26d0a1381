"""Logo uploads: refusal of hostile files, re-encoding, trimming and background removal."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageDraw

from brandkits.logos import LOGO_MAX_SIDE, TRIM_MARGIN, ProcessedLogo, process_logo, remove_background
from tests.brandkits.bad_uploads import (
    bad_image_uploads,
    png_chunk,
    sanitised_image_uploads,
    with_chunk_after_header,
)

PURPLE = (0x7C, 0x3A, 0xED)


def upload(
    image: Image.Image, name: str = "logo.png", format: str = "PNG", **options: object
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{format.lower()}")


def ring_on_white() -> Image.Image:
    """A purple ring (white hole in the middle) on white, anti-aliased by drawing large."""
    big = Image.new("RGB", (800, 800), "#FFFFFF")
    draw = ImageDraw.Draw(big)
    draw.ellipse((160, 160, 640, 640), "#7C3AED")
    draw.ellipse((320, 320, 480, 480), "#FFFFFF")
    return big.resize((200, 200), Image.Resampling.LANCZOS)


def pixels(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGBA"))


def test_a_logo_on_white_reports_its_flat_background() -> None:
    logo = process_logo(upload(ring_on_white()))
    assert isinstance(logo, ProcessedLogo)
    assert logo.flat_background == "#FFFFFF"
    assert logo.has_transparency is False
    assert (logo.width, logo.height) == (200, 200)
    assert pixels(logo.original_png).shape == (200, 200, 4)


def test_removing_the_background_clears_the_outside_and_keeps_white_inside() -> None:
    logo = process_logo(upload(ring_on_white()))
    cut = pixels(remove_background(logo.original_png))
    h, w = cut.shape[:2]
    alpha = cut[..., 3]
    for y, x in ((0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)):
        assert alpha[y, x] == 0
    # The hole in the ring is the same white as the background but not connected to it.
    assert tuple(cut[h // 2, w // 2]) == (255, 255, 255, 255)
    # The ring itself is untouched purple.
    assert tuple(cut[h // 2, w // 2 + 30]) == (*PURPLE, 255)
    # Soft edge: the anti-aliased rim gets partial alpha, and its colour is the ring's, not a
    # white-tinted halo.
    rim = (alpha > 30) & (alpha < 225)
    assert rim.sum() > 50
    rim_colour = cut[rim][:, :3].astype(float).mean(axis=0)
    assert np.abs(rim_colour - PURPLE).max() < 20
    # Trimmed to the ring (120 px across at this scale) plus the 6% margin.
    assert h == w == pytest.approx(120 * (1 + 2 * TRIM_MARGIN), abs=4)


def test_removal_follows_the_background_into_open_shapes() -> None:
    # A "C": its inside opens to the border, so it is background and must go.
    image = Image.new("RGB", (120, 120), "#FFFFFF")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 99, 99), "#F43F5E")
    draw.rectangle((45, 45, 119, 74), "#FFFFFF")
    cut = pixels(remove_background(process_logo(upload(image)).original_png))
    margin = round(TRIM_MARGIN * 80)
    assert cut[margin + 40, margin + 70, 3] == 0  # inside the C's mouth
    assert cut[margin + 40, margin + 10, 3] == 255  # the C's spine


def test_the_trimmed_logo_is_cropped_to_content_with_a_transparent_margin() -> None:
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((100, 50, 199, 99), "#22D3EE")  # 100×50 of content
    logo = process_logo(upload(image))
    assert logo.has_transparency is True
    assert logo.flat_background is None
    trimmed = pixels(logo.trimmed_png)
    margin = round(TRIM_MARGIN * 100)
    assert trimmed.shape[:2] == (50 + 2 * margin, 100 + 2 * margin)
    assert trimmed[0, 0, 3] == 0
    assert tuple(trimmed[margin, margin]) == (0x22, 0xD3, 0xEE, 255)


def test_exif_is_stripped_and_orientation_applied() -> None:
    image = Image.new("RGB", (60, 40), "#FFFFFF")
    ImageDraw.Draw(image).rectangle((0, 0, 9, 9), "#FF0000")  # a marker, top-left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "SpyCam Industries"
    logo = process_logo(upload(image, "photo.jpg", "JPEG", exif=exif, quality=95))
    assert (logo.width, logo.height) == (40, 60)
    stored = Image.open(io.BytesIO(logo.original_png))
    assert "exif" not in stored.info
    assert not stored.getexif()
    assert b"SpyCam" not in logo.original_png
    assert b"eXIf" not in logo.original_png
    # Rotated clockwise, the stored top-left marker is now at the top right.
    r, g, b, _ = pixels(logo.original_png)[3, 36]
    assert r > 200
    assert max(g, b) < 60


def test_processing_is_deterministic() -> None:
    first = process_logo(upload(ring_on_white()))
    second = process_logo(upload(ring_on_white()))
    assert first == second
    assert remove_background(first.original_png) == remove_background(second.original_png)


def test_a_jpeg_on_white_still_counts_as_a_flat_background() -> None:
    logo = process_logo(upload(ring_on_white(), "logo.jpg", "JPEG", quality=75))
    assert logo.flat_background is not None
    assert all(int(logo.flat_background[i : i + 2], 16) >= 245 for i in (1, 3, 5))
    cut = pixels(remove_background(logo.original_png))
    assert cut[0, 0, 3] == 0
    assert cut[cut.shape[0] // 2, cut.shape[1] // 2, 3] == 255


def test_a_logo_without_a_flat_background_cannot_have_it_removed() -> None:
    gradient = Image.linear_gradient("L").resize((120, 80)).convert("RGB")
    logo = process_logo(upload(gradient))
    assert logo.flat_background is None
    with pytest.raises(ValidationError, match="nothing to remove"):
        remove_background(logo.original_png)


def test_a_blank_image_offers_no_removal() -> None:
    assert process_logo(upload(Image.new("RGB", (50, 50), "#FFFFFF"))).flat_background is None


def test_remove_background_refuses_bytes_that_are_not_a_png_and_bad_tolerances() -> None:
    with pytest.raises(ValidationError, match="could not be read"):
        remove_background(b"<html>")
    with pytest.raises(ValueError, match="tolerance"):
        remove_background(process_logo(upload(ring_on_white())).original_png, tolerance=300)


def test_a_large_logo_is_scaled_down_to_the_largest_canvas() -> None:
    logo = process_logo(upload(Image.new("RGB", (3200, 800), "#7C3AED")))
    assert (logo.width, logo.height) == (LOGO_MAX_SIDE, 640)


def test_sixteen_bit_greyscale_keeps_its_tones() -> None:
    logo = process_logo(upload(Image.new("I;16", (20, 20), 0x8080)))
    assert tuple(pixels(logo.original_png)[10, 10]) == (128, 128, 128, 255)


def test_an_srgb_profile_keeps_brand_colours_exact_and_a_broken_profile_is_ignored() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exact = process_logo(upload(Image.new("RGB", (20, 20), "#7C3AED"), icc_profile=srgb))
    assert tuple(pixels(exact.original_png)[5, 5]) == (*PURPLE, 255)
    assert b"iCCP" not in exact.original_png

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "#7C3AED").save(buffer, format="PNG")
    broken = with_chunk_after_header(
        buffer.getvalue(), png_chunk(b"iCCP", b"junk\x00\x00" + zlib.compress(b"not a profile" * 10))
    )
    logo = process_logo(SimpleUploadedFile("logo.png", broken))
    assert tuple(pixels(logo.original_png)[5, 5]) == (*PURPLE, 255)


# --- the hostile corpus ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "fragment"),
    [pytest.param(file, fragment, id=case) for case, file, fragment in bad_image_uploads()],
)
def test_hostile_and_broken_images_are_refused_in_plain_words(
    file: SimpleUploadedFile, fragment: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        process_logo(file)
    message = " ".join(caught.value.messages)
    assert fragment in message
    assert "WebP, GIF" not in message  # logo uploads never invite a GIF


@pytest.mark.parametrize(
    ("file", "forbidden"),
    [pytest.param(file, forbidden, id=case) for case, file, forbidden in sanitised_image_uploads()],
)
def test_extra_data_in_a_real_image_does_not_survive(file: SimpleUploadedFile, forbidden: bytes) -> None:
    logo = process_logo(file)
    assert forbidden not in logo.original_png
    assert forbidden not in logo.trimmed_png
    for png in (logo.original_png, logo.trimmed_png):
        stored = Image.open(io.BytesIO(png))
        assert stored.format == "PNG"
        assert not stored.info.keys() - {"dpi", "gamma"}  # no text, EXIF or profile chunks


def test_colour_hidden_under_transparent_pixels_is_cleared() -> None:
    image = Image.new("RGBA", (40, 40), (12, 34, 56, 0))  # invisible, but a file would keep it
    ImageDraw.Draw(image).rectangle((10, 10, 29, 29), "#7C3AED")
    logo = process_logo(upload(image))
    for png in (logo.original_png, logo.trimmed_png):
        stored = pixels(png)
        assert not stored[stored[..., 3] == 0].any()


def _flood_by_breadth_first_search(mask: np.ndarray) -> np.ndarray:
    h, w = mask.shape
    seen = np.zeros_like(mask)
    queue = [
        (y, x) for y in range(h) for x in range(w) if (y in (0, h - 1) or x in (0, w - 1)) and mask[y, x]
    ]
    for y, x in queue:
        seen[y, x] = True
    while queue:
        y, x = queue.pop()
        for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
            if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                seen[ny, nx] = True
                queue.append((ny, nx))
    return seen


@pytest.mark.parametrize("seed", range(12))
def test_the_run_based_flood_fill_matches_a_plain_one(seed: int) -> None:
    from brandkits.logos import _border_connected

    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 60)), int(rng.integers(1, 60)))
    mask = rng.random(shape) < rng.uniform(0.3, 0.75)
    assert np.array_equal(_border_connected(mask), _flood_by_breadth_first_search(mask))


def test_the_flood_fill_follows_a_long_spiral() -> None:
    from brandkits.logos import _border_connected

    # One corridor, a pixel wide, spiralling in from the corner with one-pixel walls: the
    # worst case for fills that grow a step at a time. All of it is reachable from the border.
    size = 61
    corridor = np.zeros((size, size), dtype=bool)
    y = x = direction = 0
    corridor[0, 0] = True
    steps = ((0, 1), (1, 0), (0, -1), (-1, 0))
    while True:
        for _ in range(2):  # carry on, or turn right once
            dy, dx = steps[direction]
            ny, nx, ay, ax = y + dy, x + dx, y + 2 * dy, x + 2 * dx
            ahead_open = not (0 <= ay < size and 0 <= ax < size and corridor[ay, ax])
            if 0 <= ny < size and 0 <= nx < size and not corridor[ny, nx] and ahead_open:
                y, x = ny, nx
                corridor[y, x] = True
                break
            direction = (direction + 1) % 4
        else:
            break
    assert corridor.sum() > size * size // 2
    assert corridor[size // 2, size // 2]  # it really winds all the way in
    assert np.array_equal(_border_connected(corridor), corridor)
    assert np.array_equal(_border_connected(corridor), _flood_by_breadth_first_search(corridor))
