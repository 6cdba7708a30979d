"""Issue 11, item 2, on the real terminal path: over a slow link an arrow key's sequence may
arrive split, `ESC` in one write and `[A` in the next; the lone ESC is read as Esc (back).
On a changed form that only asks; nothing typed is lost and the `[A` types nothing."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from privet_tui.db.engine import Database
from privet_tui.demo.seed import DEMO_PASSWORD
from tests.tui.step_data import demo_client
from tests.tui.test_tmux import TMUX, Terminal, _start, terminal

__all__ = ["terminal"]  # the fixture, shared with test_tmux

if TMUX is None:  # pragma: no cover - the suite's machines have tmux
    import pytest

    pytest.skip("tmux is not installed", allow_module_level=True)

#: How long a screen may take on a loaded CI machine (argon2 at login, the first queries).
WAIT = 60.0
#: Longer than Textual's wait for the rest of a sequence (ESCDELAY, 100 ms), as a slow link.
SPLIT_SECONDS = 0.15


def _send_bytes(terminal: Terminal, data: bytes) -> None:
    terminal.tmux("send-keys", "-t", "app", "-H", *(f"{byte:02x}" for byte in data))


def test_an_arrow_split_after_its_esc_on_a_changed_form_loses_nothing(
    terminal: Terminal, demo_db_url: str, demo_db: Database, tmp_path: Path
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    with demo_db.reading() as s:
        phone = s.execute(
            text("SELECT phone FROM master_clients WHERE id = :c"), {"c": client_id}
        ).scalar_one()
    _start(terminal, demo_db_url, tmp_path, "xterm-256color")
    terminal.keys(master.email, "Tab", DEMO_PASSWORD, "Enter")
    terminal.wait_for(lambda s: "Обработанные" in s, "the client list", seconds=WAIT)
    terminal.keys("2")
    terminal.wait_for(lambda s: "Обработан " not in s, "the tab «Мои»", seconds=WAIT)
    time.sleep(1.0)
    terminal.keys("/")
    time.sleep(1.0)  # the search box takes the focus (digits elsewhere switch tabs)
    terminal.keys(phone[2:])
    terminal.wait_for(lambda s: "Показано: 1" in s, "the one client found", seconds=WAIT)
    terminal.keys("Enter")
    time.sleep(0.3)
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "ID в приложении" in s, "the card", seconds=WAIT)
    terminal.keys("1")
    terminal.wait_for(lambda s: "Шаг 1 из 7" in s and "^s" in s, "step 1, loaded", seconds=WAIT)
    time.sleep(0.5)
    terminal.keys("C-u")  # the name field has the focus: clear it, then type a new name
    terminal.wait_for(lambda s: "Фамилия Имя Отчество" in s, "the cleared name", seconds=WAIT)
    terminal.keys("Testov")
    terminal.wait_for(lambda s: "Testov" in s, "the typed name", seconds=WAIT)

    _send_bytes(terminal, b"\x1b")
    time.sleep(SPLIT_SECONDS)
    _send_bytes(terminal, b"[A")
    asked = terminal.wait_for(
        lambda s: "Остаться" in s, "the question before leaving", seconds=WAIT
    )
    assert "Не сохранено: ФИО." in asked
    time.sleep(0.5)  # whatever of the split sequence came late has been read by now
    terminal.keys("n")  # «Остаться»
    shown = terminal.wait_for(lambda s: "Остаться" not in s, "the form again", seconds=WAIT)
    assert "Шаг 1 из 7" in shown
    assert "Testov" in shown
    assert "[A" not in shown
    assert "Testov[A" not in shown
