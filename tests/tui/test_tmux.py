"""The installed `privet-tui run` in a real terminal (tmux, 80x24): log in by typing and read
the client list off the screen. Skipped when tmux is not installed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from privet_tui.db.engine import Database
from privet_tui.demo.seed import DEMO_PASSWORD
from privet_tui.services.actor import Actor
from tests.tui.people import EMAIL, PASSWORD
from tests.tui.step_data import READY_FOR_CONTRACT, demo_client

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def _installed_cli() -> str:
    beside = Path(sys.executable).with_name("privet-tui")
    found = str(beside) if beside.exists() else shutil.which("privet-tui")
    if found is None:
        pytest.skip("privet-tui is not installed")
    return found


class Terminal:
    """One tmux server of our own (its own socket) running one 80x24 window."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run(
            [TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10
        )
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "app", *keys)

    def wait_for(self, seen: Callable[[str], bool], what: str, *, seconds: float = 20) -> str:
        """Read the screen every 0.1 s until `seen` holds; fail after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            text = self.screen()
            if seen(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} did not appear; the screen shows:\n{text}")
            time.sleep(0.1)


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    term = Terminal(f"privet-test-{uuid.uuid4().hex[:8]}")
    yield term
    term.tmux("kill-server")


def _start(terminal: Terminal, db_url: str, tmp_path: Path, term: str) -> None:
    env = {
        "DATABASE_URL": db_url,
        "SECRET_KEY": "tmux-test-secret-key-0123456789",
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "TERM": term,
        "LANG": "C.UTF-8",
    }
    command = " ".join(
        ["env", *(shlex.quote(f"{k}={v}") for k, v in env.items()), _installed_cli(), "run"]
    )
    terminal.tmux(
        "new-session", "-d", "-s", "app", "-x", "80", "-y", "24", "-c", str(tmp_path), command
    )
    terminal.wait_for(lambda s: "Пароль" in s and "Email" in s, "the login form")


@pytest.mark.parametrize("term", ["xterm-256color", "screen"])
def test_installed_app_logs_in_and_lists_clients(
    terminal: Terminal,
    db_url: str,
    tmp_path: Path,
    login_master: Actor,
    people: list[int],
    term: str,
) -> None:
    _start(terminal, db_url, tmp_path, term)
    terminal.keys(EMAIL, "Tab", "wrong-password", "Enter")
    terminal.wait_for(lambda s: "Осталось попыток: 4" in s, "the wrong-password message")
    terminal.keys(PASSWORD, "Enter")
    shown = terminal.wait_for(
        lambda s: "Кузнецов Олег" in s and "Enter Открыть" in s, "the client list and its keys"
    )
    lines = shown.splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    assert "Новые" in shown
    assert "Мои" in shown
    assert "Обработанные" in shown
    assert "Петров Иван Сергеевич" in shown
    assert "Смирнова Анна Алексеевна" in shown
    assert "15.01.26" in shown
    assert "Enter Открыть" in lines[23]  # the footer, on the last line
    terminal.keys("C-q")
    terminal.wait_for(lambda s: "Закрыть программу?" in s, "the question before closing")
    time.sleep(0.5)  # a deliberate question ignores keys for its first 0.3 s
    terminal.keys("y")
    terminal.wait_for(lambda s: "Новые" not in s, "the app closing", seconds=10)
    assert os.environ.get("DATABASE_URL") != db_url  # the test's env did not leak


def test_a_pasted_ctrl_q_byte_does_not_close_the_app(
    terminal: Terminal, db_url: str, tmp_path: Path, login_master: Actor, people: list[int]
) -> None:
    """Issue 13: `ESC[200~ x ESC[0m Ctrl+Q ESC[201~` pasted into the search box closed the app
    (Textual read what followed the ESC inside the paste as keys)."""
    _start(terminal, db_url, tmp_path, "xterm-256color")
    terminal.keys(EMAIL, "Tab", PASSWORD, "Enter")
    terminal.wait_for(lambda s: "Кузнецов Олег" in s, "the client list")
    terminal.keys("/")
    time.sleep(0.5)  # the search box takes the focus
    paste = b"\x1b[200~x\x1b[0m\x11\x1b[201~"
    terminal.tmux("send-keys", "-t", "app", "-H", *(f"{byte:02x}" for byte in paste))
    terminal.wait_for(lambda s: "x[0m" in s, "the pasted text in the search box")
    time.sleep(0.5)
    assert "Никого не нашлось" in terminal.screen()  # still running, the paste searched for
    terminal.keys("C-u")
    terminal.wait_for(lambda s: "Кузнецов Олег" in s, "the list again, the app still running")
    # A lone Esc acts by itself: the guard never holds it back for a key that may not come.
    terminal.keys("Escape")
    time.sleep(0.3)
    terminal.keys("o")
    terminal.wait_for(lambda s: "Отчёт за" in s, "the report screen")
    terminal.keys("Escape")
    terminal.wait_for(lambda s: "Кузнецов Олег" in s, "the list after one Esc and no other key")


def test_a_paste_or_a_key_sent_with_ctrl_g_generates_no_contract(
    terminal: Terminal, demo_db_url: str, demo_db: Database, tmp_path: Path
) -> None:
    """Issue 13: `C-g y` in one burst generated the contract and sent its code on a step
    screen's first question (the `y` reached «Да» before the question could ignore it)."""
    client_id, master = demo_client(demo_db, READY_FOR_CONTRACT)
    with demo_db.reading() as s:
        phone = s.execute(
            text("SELECT phone FROM master_clients WHERE id = :c"), {"c": client_id}
        ).scalar_one()
    _start(terminal, demo_db_url, tmp_path, "xterm-256color")
    terminal.keys(master.email, "Tab", DEMO_PASSWORD, "Enter")
    terminal.wait_for(lambda s: "Обработанные" in s, "the client list")
    terminal.keys("2", "/")
    time.sleep(0.5)
    terminal.keys(phone[2:])
    terminal.wait_for(lambda s: "Показано: 1" in s, "the one client found")
    terminal.keys("Enter")  # the search is applied and the list takes the focus
    time.sleep(0.3)
    terminal.keys("Enter")  # the one row
    terminal.wait_for(lambda s: "ID в приложении" in s, "the card")
    terminal.keys("5")
    terminal.wait_for(lambda s: "^g" in s, "step 5 with its generate key")
    time.sleep(1.0)  # the screen has settled: nothing else is in flight
    # Issue 13's first paste: a title-setting OSC ends in BEL, which Textual read as Ctrl+G.
    paste = b"\x1b[200~\x1b]0;x\x07\x1b[201~"
    terminal.tmux("send-keys", "-t", "app", "-H", *(f"{byte:02x}" for byte in paste))
    time.sleep(1.0)
    assert "Продолжить?" not in terminal.screen()  # nothing asked: no Ctrl+G was read
    terminal.keys("C-g", "y")  # one burst, as a terminal would deliver a paste or a typist
    time.sleep(1.5)
    with demo_db.reading() as s:
        made = s.scalar(
            text("SELECT count(*) FROM master_contracts WHERE client_id = :c"), {"c": client_id}
        )
    assert made == 0, terminal.screen()
    assert "Продолжить?" in terminal.screen()
    terminal.keys("n")
