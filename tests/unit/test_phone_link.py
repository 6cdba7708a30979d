"""Issue 10 without a server: the QR code as text, the phone keys, the settings, the page."""

from __future__ import annotations

from pathlib import Path

import pytest

from privet_tui.config import load_settings
from privet_tui.errors import ConfigError
from privet_tui.qr_text import ansi_lines, qr_lines, qr_size
from privet_tui.services.phone_upload import _original_name, page_html
from privet_tui.storage.keys import phone_form_key, phone_upload_prefix, validate_key

#: A link as long as a real one: a LAN address with a port, the bucket, 22 token characters.
LINK = "http://192.168.100.200:9000/privet-bucket/u#q2W3e4R5t6Y7u8I9o0P1aS"


def test_qr_of_a_link_fits_beside_text_in_80x24() -> None:
    lines = qr_lines(LINK)
    assert qr_size(LINK) == (41, 21)  # version 4: 33 modules + 2×4 quiet zone, 2 rows a cell
    assert {len(line) for line in lines} == {41}
    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert lines[0] == lines[1] == " " * 41  # the quiet zone is light
    assert lines[-1][:4] == "    "
    assert qr_size(LINK, border=2) == (37, 19)
    assert ansi_lines(["ab"]) == ["\x1b[30;107mab\x1b[0m"]
    with pytest.raises(ValueError, match="empty"):
        qr_lines("")


def test_phone_keys() -> None:
    assert phone_upload_prefix(3, 7) == "phone/3/7/"
    assert phone_upload_prefix(3, 7, "6a0b1c2d00ff00ff") == "phone/3/7/6a0b1c2d00ff00ff/"
    with pytest.raises(ValueError, match="hex"):
        phone_upload_prefix(3, 7, "../x")
    assert phone_form_key("A" * 22) == "u/" + "A" * 22
    for bad in ("short", "A" * 21 + "/", "A" * 21 + "."):
        with pytest.raises(ValueError, match="token"):
            phone_form_key(bad)
    assert validate_key(phone_form_key("-_" * 11))


def test_original_name_comes_from_the_key_and_stays_printable() -> None:
    assert _original_name("0a1b2c3d4e5f6a7b-IMG 0001.HEIC") == "IMG 0001.HEIC"
    assert _original_name("no-random-part") == "random-part"
    assert _original_name("plain.jpg") == "plain.jpg"
    assert _original_name("ab-\u202e\x07") == "фото"  # a bidi override and a bell: no name
    assert len(_original_name("ab-" + "я" * 500)) == 120


def test_public_endpoint_setting(tmp_path: Path) -> None:
    base = {
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "S3_ENDPOINT": "http://minio:9000",
        "S3_ACCESS_KEY": "a",
        "S3_SECRET_KEY": "b",
    }
    inside = load_settings(base, cwd=tmp_path)
    assert inside.public_endpoint == "http://minio:9000"
    assert inside.phone_link_minutes == 15
    public = load_settings(
        {**base, "S3_PUBLIC_ENDPOINT": "https://files.example", "PHONE_LINK_MINUTES": "5"},
        cwd=tmp_path,
    )
    assert public.public_endpoint == "https://files.example"
    assert public.phone_link_minutes == 5
    with pytest.raises(ConfigError, match="S3_PUBLIC_ENDPOINT"):
        load_settings({**base, "S3_PUBLIC_ENDPOINT": "files.example"}, cwd=tmp_path)
    with pytest.raises(ConfigError, match="PHONE_LINK_MINUTES"):
        load_settings({**base, "PHONE_LINK_MINUTES": "2000"}, cwd=tmp_path)
    assert (
        load_settings({"PRIVET_DATA_DIR": str(tmp_path / "d")}, cwd=tmp_path).public_endpoint
        is None
    )


def test_page_is_self_contained_russian_and_mobile_first() -> None:
    page = page_html().decode("utf-8")
    assert '<html lang="ru">' in page
    assert 'name="viewport"' in page
    assert 'accept="image/*"' in page
    assert 'capture="environment"' in page
    assert "multiple" in page
    assert "XMLHttpRequest" in page
    assert "upload.onprogress" in page
    assert 'createElement("progress")' in page
    assert "Ссылка устарела" in page
    assert "innerHTML" not in page  # file names are shown as text, never as markup
    assert "http://" not in page
    assert "https://" not in page


def test_half_blocks_carry_exactly_the_modules() -> None:
    import segno

    expected = [[bool(m) for m in row] for row in segno.make(LINK, error="l").matrix_iter(border=4)]
    top = {"█": True, "▀": True, "▄": False, " ": False}
    bottom = {"█": True, "▀": False, "▄": True, " ": False}
    decoded: list[list[bool]] = []
    for line in qr_lines(LINK):
        decoded.append([top[ch] for ch in line])
        decoded.append([bottom[ch] for ch in line])
    assert decoded[: len(expected)] == expected
    assert len(decoded) == len(expected) + 1  # 41 module rows: the last cell row's bottom
    assert not any(decoded[-1])  # half is padding, light like the quiet zone
