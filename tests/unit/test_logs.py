"""The log's second line of defence: digits after «код»/«паспорт» never reach the file."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from privet_tui.logs import redact, setup_logging


@pytest.mark.parametrize(
    ("message", "secret"),
    [
        ("паспорт 4608 739146 выдан", "739146"),
        ("Паспорт: серия 4608", "4608"),
        ("Код для подписания: 123456, ok", "123456"),
        ("otp=654321", "654321"),
        ("wrong code 000042 entered", "000042"),
    ],
)
def test_digits_after_sensitive_words_are_hidden(message: str, secret: str) -> None:
    cleaned = redact(message)
    assert secret not in cleaned
    assert not any(part in cleaned for part in (secret[:3], secret[-3:]))


def test_ordinary_numbers_stay() -> None:
    assert redact("client 42 saved, version 7") == "client 42 saved, version 7"


def test_log_file_gets_the_redacted_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging()
        logging.getLogger("privet_tui.test").info("Код для подписания: %s", "987654")
        for handler in root.handlers:
            handler.flush()
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    logs = list(tmp_path.rglob("*.log"))
    assert logs
    text = logs[0].read_text(encoding="utf-8")
    assert "Код для подписания" in text
    assert "987654" not in text
    assert logs[0].stat().st_mode & 0o077 == 0
