"""An animated alert as OBS's browser source shows it: a WebM with alpha playing in Chromium over
a coloured page, which shows through wherever the alert is transparent."""

from __future__ import annotations

import base64

import pytest
from PIL import Image, ImageDraw

from generation.engine.motion.encode import encode_animation

PAGE_GREEN = (0x00, 0xA8, 0x6B)
DISC_RED = (230, 40, 60)
SIZE = 720


def alert_frames() -> list[Image.Image]:
    """One second at 30 fps: an opaque red disc sliding right over full transparency. The centre
    is always covered, the corners never, and the left edge only at the start."""
    frames = []
    for index in range(30):
        frame = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        centre = 200 + index * 320 // 29
        box = (centre - 200, 160, centre + 200, 560)
        ImageDraw.Draw(frame).ellipse(box, fill=(*DISC_RED, 255))
        frames.append(frame)
    return frames


def near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int) -> bool:
    return all(abs(channel - expected) <= tolerance for channel, expected in zip(pixel, colour, strict=False))


@pytest.fixture
def alert_page(new_page):
    alert = encode_animation(alert_frames(), [33, 33, 34] * 10, "WEBM", fps=30)
    source = "data:video/webm;base64," + base64.b64encode(alert.data).decode()
    page = new_page("http://127.0.0.1/")
    page.set_viewport_size({"width": SIZE, "height": SIZE})
    page.set_content(
        '<body style="margin:0;background:#00A86B">'
        f'<video autoplay muted loop playsinline width="{SIZE}" height="{SIZE}" src="{source}"></video>'
        "</body>"
    )
    return page


def test_a_transparent_webm_alert_shows_the_page_through_its_background(alert_page, tmp_path):
    alert_page.wait_for_function(
        "() => { const v = document.querySelector('video');"
        " return !v.paused && v.currentTime > 0.2 && v.readyState >= 3; }"
    )
    # Held on the last frame so the picture is the same every run.
    alert_page.evaluate(
        "() => new Promise(done => { const v = document.querySelector('video'); v.pause();"
        " v.addEventListener('seeked', () => requestAnimationFrame(() => requestAnimationFrame(done)),"
        " {once: true}); v.currentTime = 0.98; })"
    )
    shot = tmp_path / "alert.png"
    alert_page.screenshot(path=shot)
    picture = Image.open(shot).convert("RGB")

    assert picture.size == (SIZE, SIZE)
    for corner in [(20, 20), (700, 20), (20, 700), (700, 700)]:
        assert near(picture.getpixel(corner), PAGE_GREEN, 3), corner
    assert near(picture.getpixel((60, 360)), PAGE_GREEN, 3)  # where the disc began: no trail
    for on_disc in [(360, 360), (520, 360), (520, 200), (700, 360)]:
        assert near(picture.getpixel(on_disc), DISC_RED, 8), on_disc
