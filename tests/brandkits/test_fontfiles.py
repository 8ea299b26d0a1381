"""Font uploads: real TTF/OTF files accepted and described; everything else refused."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables.DefaultTable import DefaultTable
from PIL import ImageFont

from brandkits.fontfiles import FontInfo, validate_font
from tests.brandkits.bad_uploads import bad_font_uploads, build_font, roboto_bytes, source_sans_otf_bytes


def font_upload(data: bytes, name: str = "brand.ttf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="font/ttf")


def test_a_bundled_ttf_is_accepted_and_described() -> None:
    info = validate_font(font_upload(roboto_bytes(), "Roboto-Bold.ttf"))
    assert isinstance(info, FontInfo)
    assert (info.family, info.style, info.weight, info.format, info.suffix) == (
        "Roboto",
        "Bold",
        700,
        "TTF",
        ".ttf",
    )
    # What is stored is a font both fontTools and FreeType (the engine's renderer) can read.
    assert TTFont(io.BytesIO(info.data)).getBestCmap()[ord("A")]
    assert ImageFont.truetype(io.BytesIO(info.data), 32).getbbox("Hello")[2] > 0


def test_an_otf_is_accepted() -> None:
    info = validate_font(font_upload(source_sans_otf_bytes(), "SourceSansPro-Regular.otf"))
    assert (info.family, info.style, info.weight, info.format, info.suffix) == (
        "Source Sans Pro",
        "Regular",
        400,
        "OTF",
        ".otf",
    )
    assert info.data[:4] == b"OTTO"


def test_the_name_does_not_decide_the_type() -> None:
    assert validate_font(font_upload(roboto_bytes(), "not-a-font.exe")).format == "TTF"


def test_validation_is_deterministic() -> None:
    assert validate_font(font_upload(roboto_bytes())) == validate_font(font_upload(roboto_bytes()))


def test_unknown_tables_and_the_stale_signature_are_dropped() -> None:
    font = TTFont(io.BytesIO(build_font()))
    private = newTable("ZZZZ")
    private.data = b"<script>alert(1)</script>"
    font["ZZZZ"] = private
    signature = DefaultTable("DSIG")  # raw bytes, as read from a signed font
    signature.data = b"\x00\x00\x00\x01\x00\x00\x00\x00"
    font["DSIG"] = signature
    buffer = io.BytesIO()
    font.save(buffer)
    info = validate_font(font_upload(buffer.getvalue()))
    stored = TTFont(io.BytesIO(info.data))
    assert "ZZZZ" not in stored
    assert "DSIG" not in stored
    assert b"<script>" not in info.data


@pytest.mark.parametrize(
    "fs_type",
    [
        0x0000,  # installable
        0x0004,  # preview & print
        0x0008,  # editable
        0x000A,  # restricted *and* editable: the least restrictive bit wins
        0x0200,  # bitmap embedding only: not a licence refusal
    ],
)
def test_embeddable_licences_are_accepted(fs_type: int) -> None:
    assert validate_font(font_upload(build_font(fs_type=fs_type))).family == "Corpus Sans"


def test_names_are_cleaned_for_display() -> None:
    data = build_font(family="Evil\u202eFont\x00 \n Name", style="Bold\u200b", weight=700)
    info = validate_font(font_upload(data))
    assert (info.family, info.style, info.weight) == ("EvilFont Name", "Bold", 700)


def test_a_lower_size_limit_is_honoured() -> None:
    with pytest.raises(ValidationError, match=r"That font file is 299\.8 KB; the limit is 97\.6 KB\."):
        validate_font(font_upload(roboto_bytes()), max_bytes=100_000)


@pytest.mark.parametrize(
    ("file", "fragment"),
    [pytest.param(file, fragment, id=case) for case, file, fragment in bad_font_uploads()],
)
def test_hostile_and_broken_fonts_are_refused_in_plain_words(file: SimpleUploadedFile, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_font(file)
    assert fragment in " ".join(caught.value.messages)


def test_format_refusals_name_the_formats_we_take() -> None:
    for case, file, _ in bad_font_uploads():
        if case in ("woff", "woff2", "ttc", "exe-named-ttf", "zip-named-otf", "png-named-ttf", "zero-bytes"):
            with pytest.raises(ValidationError) as caught:
                validate_font(file)
            assert "Upload a TTF or OTF font file." in caught.value.messages[0], case
