"""Bytes on the wire (issue 11 item 4): the installed `privet-tui run` in a real pty at 80x24
on the demo data, counting what the app writes to the terminal for each screen switch, an
echoed keystroke, an idle minute and one client's onboarding. Printed against the targets,
not asserted.

Runs on a throwaway database on the server named by `PRIVET_BENCH_SERVER_URL` (a role that
may create databases; default: the local PostgreSQL at 127.0.0.1:5432 as `postgres`),
seeded by `privet-tui demo --seed-only`. The screen is read with `pyte` (a terminal
emulator) fed with the same bytes, so a phase ends when its text is shown and the app has
then been quiet for `--quiet` seconds.

    .venv/bin/python benchmarks/bench_wire.py [--idle 60] [--raw] [--cli PATH] [--dump DIR]

`--raw` turns the output filter off (`PRIVET_WIRE_FILTER=0`); `--cli` measures another
install (the "before" figures: main's `.venv/bin/privet-tui`); `--dump` keeps each phase's
bytes (the frames in `tests/unit/wire_frames` came from `--raw --dump`). The onboarding
claims the demo's first new client and goes through steps 1-7 by keys (a TV without photo;
the contract code read from the client's ticket, as the client app reads it).
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pyte

SERVER = os.environ.get("PRIVET_BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "bench-wire-secret-key-0123456789abcdef"  # noqa: S105 - a throwaway database
EMAIL, PASSWORD = "demo@privet.local", "privet-demo"
COLS, ROWS = 80, 24
KB = 1024

TARGETS = {
    "switch": 8 * KB,
    "keystroke": 300,
    "idle": 0,
    "onboarding": 150 * KB,
}


class Terminal:
    """One child process on a pty of its own; every byte it writes is kept with its time and
    fed to a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.total = 0
        self.last_write = time.monotonic()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self._lock:
                now = time.monotonic()
                self.raw += data
                self.total += len(data)
                self.last_write = now
                self.stream.feed(data)
                # The app asks the terminal for things (device attributes, cursor position);
                # answer as xterm would, so nothing waits for a reply.
                if b"\x1b[c" in data:
                    os.write(self.fd, b"\x1b[?62;22c")

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def send(self, data: str | bytes) -> None:
        with self._lock:  # a phase's quiet time counts from the last key too
            self.last_write = max(self.last_write, time.monotonic())
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def keys(self, *keys: str, gap: float = 0.05) -> None:
        """Type keys one by one, as a person (or a slow link) would."""
        for key in keys:
            self.send(key)
            # a key that moves the focus or opens a list is followed by a pause, as a
            # person's is: what is typed next belongs to the new place
            time.sleep(0.3 if key in ("\t", "\r", "\x1b[B") else gap)

    def wait(self, seen: Callable[[str], bool], what: str, seconds: float = 120.0) -> None:
        deadline = time.monotonic() + seconds
        while not seen(self.text()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise TimeoutError(f"{what} did not appear; the screen shows:\n{self.text()}")
            time.sleep(0.01)

    def settle(self, quiet: float, limit: float = 8.0) -> None:
        """Wait until the app has written nothing for `quiet` seconds (at most `limit`: a
        screen with a running countdown is never quiet)."""
        deadline = time.monotonic() + limit
        while True:
            with self._lock:
                idle = time.monotonic() - self.last_write
            if idle >= quiet or time.monotonic() > deadline:
                return
            time.sleep(min(0.05, quiet - idle))

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
            self.process.wait()
        os.close(self.fd)


class Meter:
    """Phases of a session and the bytes each cost."""

    def __init__(self, term: Terminal, quiet: float) -> None:
        self.term = term
        self.quiet = quiet
        self.rows: list[tuple[str, int, str]] = []
        self.verbose = False
        self.dump: Path | None = None

    @contextmanager
    def phase(self, name: str, kind: str) -> Iterator[None]:
        start = self.term.total
        yield
        self.term.settle(self.quiet)
        self.rows.append((name, self.term.total - start, kind))
        if self.dump is not None:
            slug = re.sub(r"\W+", "-", name).strip("-")
            (self.dump / f"{len(self.rows):02d}-{slug}.bin").write_bytes(self.term.raw[start:])
        if self.verbose:
            print(f"  … {name}: {self.term.total - start} B", file=sys.stderr, flush=True)

    def step(self, name: str, kind: str, keys: list[str], seen: Callable[[str], bool]) -> None:
        with self.phase(name, kind):
            self.term.keys(*keys)
            self.term.wait(seen, name)


def scratch_database(cli: Path, env: dict[str, str], home: Path) -> str:
    name = f"privet_bench_wire_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    env["DATABASE_URL"] = url
    subprocess.run(
        [str(cli), "demo", "--seed-only"], env=env, cwd=home, check=True, capture_output=True
    )
    return name


def drop_database(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def latest_code(url: str) -> str:
    """The newest contract code, read as the client app reads its ticket."""
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT payload->>'code' FROM support_messages"
            " WHERE payload->>'type' = 'contract_otp' ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert row is not None
    return str(row[0])


def has(*words: str) -> Callable[[str], bool]:
    return lambda shown: all(word in shown for word in words)


def run_session(cli: Path, env: dict[str, str], home: Path, args: argparse.Namespace) -> Meter:
    term = Terminal([str(cli), "run"], env, home)
    meter = Meter(term, args.quiet)
    meter.verbose = args.verbose
    meter.dump = args.dump
    if args.dump is not None:
        args.dump.mkdir(parents=True, exist_ok=True)
    try:
        with meter.phase("login screen", "switch"):
            term.wait(has("Пароль", "Email"), "the login form")
        term.keys(*EMAIL[:-1])
        term.settle(args.quiet)
        keystrokes = []
        typed = EMAIL[:-1]
        for ch in EMAIL[-1:] + "xyz":
            typed += ch
            with meter.phase("x", "keystroke"):
                term.send(ch)
                term.wait(has(typed), "the echo")
            keystrokes.append(meter.rows.pop()[1])
        term.keys(*["\x7f"] * 3)
        term.settle(args.quiet)
        meter.rows.append(
            (
                f"one keystroke echoed (median of {len(keystrokes)})",
                sorted(keystrokes)[1],
                "keystroke",
            )
        )
        term.keys("\t", *PASSWORD)
        term.settle(args.quiet)
        meter.step("login → list", "switch", ["\r"], has("Показано"))
        if args.idle:
            with meter.phase(f"idle on the list, {args.idle:.0f} s", "idle"):
                time.sleep(args.idle)
        meter.step("list → card", "switch", ["\r"], has(CARD))
        meter.step("card → list", "switch", ["b"], has("Показано"))
        meter.step("list → card (again)", "switch", ["\r"], has(CARD))
        if args.idle:
            meter.step("card: chat tab", "other", ["v"], has("Ответ клиенту"))
            with meter.phase(f"idle on the card's chat, {args.idle:.0f} s", "idle"):
                time.sleep(args.idle)
            meter.step("card: log tab", "other", ["v"], lambda s: "Ответ клиенту" not in s)
            meter.step("card: overview tab", "other", ["v"], has(CARD))
        try:
            onboarding(term, meter, env["DATABASE_URL"], args)
        except TimeoutError as stopped:
            print(f"the onboarding stopped: {stopped}", file=sys.stderr)
    finally:
        term.close()
    return meter


CARD = "Шаги (клавиши"
DOWN, ESC, TAB, ENTER = "\x1b[B", "\x1b", "\t", "\r"
CTRL_S, CTRL_G = "\x13", "\x07"
PASSPORT = (
    "4510123678",
    "20052015",
    "ОВД района Хамовники г. Москвы",
    "770001",
    "15031990",
    "г. Москва",
    "г. Москва, ул. Ленина, д. 1, кв. 2",
)


def onboarding(term: Terminal, meter: Meter, url: str, args: argparse.Namespace) -> None:
    """Claim the new client the card shows and take them through the seven steps by keys,
    the contract code read from the client's ticket as the client app reads it."""
    start = term.total

    def act(name: str, keys: list[str], *words: str, kind: str = "") -> None:
        switch = name.startswith("card → step") or name.endswith("→ card")
        meter.step(name, kind or ("switch" if switch else "step"), keys, has(*words))

    def deliberately(name: str, keys: list[str], *words: str) -> None:
        """A deliberate question ignores keys for its first 0.3 s: read it, then answer."""
        term.settle(1.5)  # the step's data is shown before its key is pressed
        term.keys(*keys)
        term.wait(has("Да"), "the question")
        time.sleep(0.5)
        act(name, ["y"], *words)

    act("claim (c)", ["c"], "Мастер    Демо Мастер")
    term.wait(lambda s: "взят в работу" not in s, "the toast going", seconds=15)
    term.settle(args.quiet)
    act("card → step 1", ["1"], "Шаг 1 из 7", kind="switch")
    act("step 1 → card", [ESC], "Шаги", kind="switch")
    act("card → step 1 (again)", ["1"], "Шаг 1 из 7")
    term.settle(1.5)
    term.keys(TAB, TAB, TAB, *"г. Москва, ул. Ленина, д. 1, кв. 2")
    act("step 1 saved", [CTRL_S], "Контакты сохранены")
    act("step 1 → card", [ESC], "Шаги")
    act("card → step 2", ["2"], "Шаг 2 из 7")
    term.settle(1.5)
    for value in PASSPORT:
        term.keys(*value, TAB)
    act("step 2 saved", [CTRL_S], "Паспорт сохранён")
    act("step 2 → card", [ESC], "Шаги")
    act("card → step 3", ["3"], "Шаг 3 из 7")
    act("device form", ["a"], "Марка")
    term.settle(1.5)
    term.keys(ENTER, DOWN, ENTER, TAB, *"LG", TAB, *"OLED55")
    act("device saved", [CTRL_S], "LG")
    act("step 3 → card", [ESC], "Шаги")
    act("card → step 4", ["4"], "Шаг 4 из 7")
    act("step 4 applied", [CTRL_S], "Применён тариф")
    act("step 4 → card", [ESC], "Шаги")
    act("card → step 5", ["5"], "Шаг 5 из 7")
    deliberately("contract generated", [CTRL_G], "ждёт подписи")
    act("code typed", [*latest_code(url), ENTER], "signed.pdf")
    act("step 5 → card", [ESC], "Шаги")
    act("card → step 6", ["6"], "Шаг 6 из 7")
    term.settle(1.5)
    term.keys(ENTER, DOWN, ENTER, TAB, TAB, *"Чек 0042")
    deliberately("payment confirmed", [CTRL_S], "Оплата подтверждена")
    act("step 6 → card", [ESC], "Шаги")
    act("card → step 7", ["7"], "Шаг 7 из 7")
    deliberately("invoice issued", [CTRL_S], "СЧ-")
    act("step 7 → card", [ESC], "Шаги")
    meter.rows.append(("whole onboarding (claim … invoice)", term.total - start, "onboarding"))


def report(rows: list[tuple[str, int, str]]) -> None:
    for name, size, kind in rows:
        target = TARGETS.get(kind)
        mark = ""
        if target is not None:
            mark = "ok" if size <= target else "OVER"
        shown = f"{size / KB:8.1f} KB" if size >= KB else f"{size:8d} B "
        goal = (
            f"target ≤ {target / KB:.0f} KB" if target and target >= KB else f"target ≤ {target} B"
        )
        print(f"  {name:<44} {shown}   {goal if target is not None else '':<18} {mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=float, default=60.0, help="seconds of each idle phase")
    parser.add_argument("--quiet", type=float, default=0.6, help="silence that ends a phase")
    parser.add_argument("--verbose", action="store_true", help="each phase as it ends")
    parser.add_argument("--dump", type=Path, help="write each phase's bytes into this folder")
    parser.add_argument(
        "--cli", type=Path, help="the privet-tui to measure (e.g. main's, for the before figures)"
    )
    parser.add_argument("--raw", action="store_true", help="without the output filter")
    args = parser.parse_args()
    cli = args.cli or Path(sys.executable).with_name("privet-tui")
    home = Path(tempfile.mkdtemp(prefix="privet-bench-wire-"))
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "SECRET_KEY": SECRET,
        "PRIVET_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "PRIVET_WIRE_FILTER": "0" if args.raw else "1",
    }
    # a timeout's SIGTERM still closes the app and drops the database
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    name = scratch_database(cli, env, home)
    try:
        meter = run_session(cli, env, home, args)
        print(
            f"bytes written by `{cli} run` at {COLS}x{ROWS} (filter {'off' if args.raw else 'on'}):"
        )
        report(meter.rows)
    finally:
        drop_database(name)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
