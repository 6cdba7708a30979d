"""The TUI's own figures: start to login, login to a filled list at 100,000 users, screen
switches, idle memory and idle CPU. Printed against the targets of issue 5, not asserted.

Runs on a throwaway database on the server named by `PRIVET_BENCH_SERVER_URL` (a role that
may create databases; default: the local PostgreSQL at 127.0.0.1:5432 as `postgres`).
The real-terminal figures need tmux and the installed `privet-tui`.

    .venv/bin/python benchmarks/bench_tui.py [--users 100000] [--runs 5] [--idle 10]
        [--keep | --database NAME]   (keep the seeded database / reuse a kept one; drop it after)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import text

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.engine import database_from_url
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.services import accounts

SERVER = os.environ.get("PRIVET_BENCH_SERVER_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
EMAIL, PASSWORD = "bench@privet.local", "bench-password-1"
SECRET = "bench-secret-key-0123456789abcdef"  # noqa: S105 - a throwaway database
SEED = """
INSERT INTO users (last_name, first_name, middle_name, phone, email, created_at)
SELECT (ARRAY['Иванов','Петров','Сидоров','Кузнецов','Смирнов','Попов'])[1 + g % 6],
       (ARRAY['Иван','Анна','Олег','Мария','Сергей'])[1 + g % 5], 'Сергеевич',
       '+7916' || lpad(g::text, 7, '0'), 'user' || g || '@example.ru',
       now() - make_interval(secs => (:n - g)::float8)
FROM generate_series(1, :n) AS g
"""
CHILD_START = """
import os, time
t0 = float(os.environ["BENCH_T0"])
from privet_tui.config import load_settings
from privet_tui.tui.app import create_app
app = create_app(load_settings(), live_updates=False)
async def ready(pilot):
    print(f"{time.time() - t0:.4f}")
    app.exit()
app.run(headless=True, size=(80, 24), auto_pilot=ready)
"""


def scratch_database(users: int) -> tuple[str, str]:
    """Create, migrate and fill a database; return (its URL, its name)."""
    name = f"privet_bench_tui_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    db = database_from_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with db.engine.begin() as conn:
        create_fixture_tables(conn)
    migrate.upgrade(db)
    with db.transaction() as session:
        session.execute(text(SEED), {"n": users})
        accounts.create_master(session, EMAIL, "Мастер Бенчмарк", PASSWORD)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    db.dispose()
    return url, name


def drop_database(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def child_env(url: str, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": SECRET,
        "PRIVET_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
    }


def start_to_login_headless(url: str, home: Path, runs: int) -> list[float]:
    """A fresh interpreter each time: imports, settings, the login screen mounted."""
    found = []
    for _ in range(runs):
        env = child_env(url, home) | {"BENCH_T0": repr(time.time())}
        done = subprocess.run(
            [sys.executable, "-c", CHILD_START],
            env=env,
            capture_output=True,
            text=True,
            cwd=home,
            check=True,
        )
        found.append(float(done.stdout.strip().splitlines()[-1]))
    return found


async def in_app(settings: Settings, body: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Run `body(app, pilot)` inside the real app at 80x24 (live updates on)."""
    from privet_tui.tui.app import create_app

    app = create_app(settings)
    # Tab underlines slide; pilot.press waits for that, a master does not (data is shown).
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await body(app, pilot)


async def until(condition: Callable[[], object], limit: float = 30.0) -> None:
    """Yield to the app until `condition` holds (checked every event-loop turn)."""
    deadline = time.perf_counter() + limit
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there")
        await asyncio.sleep(0.0005)


def login_and_switch(settings: Settings, runs: int) -> dict[str, list[float]]:
    """Actions called directly (no Pilot key plumbing), timed until the data is shown."""
    from textual.widgets import DataTable, Input

    from privet_tui.tui.screens.card import CardScreen
    from privet_tui.tui.screens.clients import ClientsScreen

    figures: dict[str, list[float]] = {}

    def note(name: str, seconds: float) -> None:
        figures.setdefault(name, []).append(seconds)

    async def body(app: Any, pilot: Any) -> None:
        await until(lambda: app.screen.query("#password"))
        await until(lambda: app._gateway is not None and app._gateway._database)
        await pilot.pause()
        t0 = time.perf_counter()
        app._gateway.login(EMAIL, PASSWORD)
        note("argon2 login check alone (service)", time.perf_counter() - t0)
        app.screen.query_one("#email", Input).value = EMAIL
        app.screen.query_one("#password", Input).value = PASSWORD
        t0 = time.perf_counter()
        app.screen.action_submit()
        await until(
            lambda: (
                isinstance(app.screen, ClientsScreen)
                and any(table.row_count > 0 for table in app.screen.query(DataTable))
            )
        )
        note("login → filled list (incl. argon2)", time.perf_counter() - t0)
        clients_screen = app.screen
        table = clients_screen.query_one("#clients", DataTable)
        for _ in range(runs):
            await pilot.pause()
            t0 = time.perf_counter()
            clients_screen.action_open()
            await until(lambda: isinstance(app.screen, CardScreen) and app.screen.card)
            note("list → card (loaded)", time.perf_counter() - t0)
            await pilot.pause()
            t0 = time.perf_counter()
            app.screen.action_back()
            await until(lambda: app.screen is clients_screen)
            note("card → list", time.perf_counter() - t0)
            for tab in ("mine", "new"):
                await pilot.pause()
                t0 = time.perf_counter()
                clients_screen.show_tab(tab)
                await until(lambda tab=tab: clients_screen.tab == tab)
                await until(lambda: not clients_screen._loading)
                note("tab switch (fetched, shown)", time.perf_counter() - t0)
            await pilot.pause()
            t0 = time.perf_counter()
            table.action_scroll_bottom()
            await until(lambda: table.row_count >= 300 and not clients_screen._loading)
            note("next page at the end (+150 rows)", time.perf_counter() - t0)
            clients_screen.query_one("#search", Input).value = "Смирнов Мария"
            await pilot.pause()
            t0 = time.perf_counter()
            clients_screen._apply_search()
            await until(lambda: not clients_screen._loading)
            note("search in 100k (Enter → shown)", time.perf_counter() - t0)
            clients_screen.query_one("#search", Input).value = ""
            clients_screen._apply_search()
            await until(lambda: not clients_screen._loading)
        await step_switches(app, pilot, note, runs)

    for _ in range(2):
        asyncio.run(in_app(settings, body))
    return figures


async def step_switches(
    app: Any, pilot: Any, note: Callable[[str, float], None], runs: int
) -> None:
    """Card → step screen → card, for every registered step, when the registry exists."""
    try:
        from privet_tui.tui.screens.steps.registry import STEP_SCREENS
    except ImportError:
        return
    from privet_tui.tui.screens.card import CardScreen

    app.screen.action_open()
    await until(lambda: isinstance(app.screen, CardScreen) and app.screen.card)
    card = app.screen
    card.action_claim()
    await until(lambda: card.card is not None and card.card.status != "new")
    for number in sorted(STEP_SCREENS):
        for _ in range(runs):
            await pilot.pause()
            t0 = time.perf_counter()
            card.action_step(number)
            await until(lambda: app.screen is not card and getattr(app.screen, "loaded", True))
            note("card → step screen (loaded)", time.perf_counter() - t0)
            await pilot.pause()
            t0 = time.perf_counter()
            app.pop_screen()
            await until(lambda: app.screen is card)
            note("step screen → card", time.perf_counter() - t0)


def real_terminal(url: str, home: Path, idle_seconds: float) -> dict[str, list[float]]:
    """The installed `privet-tui run` in tmux: start → login, RSS and CPU while idle."""
    tmux, cli = shutil.which("tmux"), Path(sys.executable).with_name("privet-tui")
    if tmux is None or not cli.exists():
        return {}
    sock = f"privet-bench-{uuid.uuid4().hex[:6]}"
    env = child_env(url, home)
    keep = ("DATABASE_URL", "SECRET_KEY", "PRIVET_DATA_DIR", "XDG_CONFIG_HOME", "XDG_STATE_HOME")
    command = " ".join(["env", *(shlex.quote(f"{k}={env[k]}") for k in keep), str(cli), "run"])

    def tmux_do(*args: str) -> str:
        return subprocess.run([tmux, "-L", sock, *args], capture_output=True, text=True).stdout

    def wait(word: str, gone: str | None = None) -> float:
        t0 = time.perf_counter()
        while True:
            shown = tmux_do("capture-pane", "-p", "-t", "b")
            if word in shown and (gone is None or gone not in shown):
                return time.perf_counter()
            if time.perf_counter() - t0 > 30:
                raise TimeoutError(f"{word!r} did not appear; the screen shows:\n{shown}")
            time.sleep(0.003)

    def timed(keys: str, word: str, gone: str | None = None) -> float:
        time.sleep(0.3)
        t0 = time.perf_counter()
        tmux_do("send-keys", "-t", "b", keys)
        return wait(word, gone) - t0

    try:
        t0 = time.perf_counter()
        tmux_do("new-session", "-d", "-s", "b", "-x", "80", "-y", "24", "-c", str(home), command)
        shown = wait("Пароль") - t0
        time.sleep(1.0)  # let the warm-up connect, as a master reading the screen would
        tmux_do("send-keys", "-t", "b", EMAIL, "Tab", PASSWORD)
        time.sleep(0.2)
        t1 = time.perf_counter()
        tmux_do("send-keys", "-t", "b", "Enter")
        listed = wait("Показано") - t1
        switches: dict[str, list[float]] = {}
        for _ in range(5):
            switches.setdefault("list → card painted", []).append(timed("Enter", "Шаги (клавиши"))
            switches.setdefault("card → list painted (key b)", []).append(
                timed("b", "Показано", gone="Шаги (клавиши")
            )
            timed("Enter", "Шаги (клавиши")
            # A lone Esc byte is held back while the terminal might be sending a sequence.
            switches.setdefault("card → list painted (Esc)", []).append(
                timed("Escape", "Показано", gone="Шаги (клавиши")
            )
            # «Мои» holds only clients in work (the step timing above claimed one).
            switches.setdefault("tab switch painted", []).append(
                timed("2", "Показано", gone="Новый")
            )
            switches.setdefault("tab switch painted", []).append(timed("1", "Новый"))
        switches.update(esc_on_a_step(timed))
        pid = int(tmux_do("list-panes", "-t", "b", "-F", "#{pane_pid}").split()[0])
        time.sleep(2.0)
        rss = _rss_mb(pid)
        ticks0, w0 = _cpu_ticks(pid), time.perf_counter()
        time.sleep(idle_seconds)
        ticks1, w1 = _cpu_ticks(pid), time.perf_counter()
        cpu = (ticks1 - ticks0) / os.sysconf("SC_CLK_TCK") / (w1 - w0) * 100
        return {
            "start → login painted (real terminal, installed CLI)": [shown],
            "login → list painted (real terminal)": [listed],
            **switches,
            "idle RSS, MB": [rss],
            f"idle CPU over {idle_seconds:.0f} s, %": [cpu],
        }
    finally:
        tmux_do("kill-server")


def esc_on_a_step(timed: Callable[..., float], runs: int = 5) -> dict[str, list[float]]:
    """Esc on step 1 of the first client (claimed by the in-process part): back to the card
    from an unchanged form, and the «Уйти / Остаться» question on a changed one (issue 11).
    Esc waits for Textual's ESCDELAY (100 ms) first: a lone ESC may begin an arrow's bytes."""
    figures: dict[str, list[float]] = {}
    step = "Шаг 1 из 7"
    timed("Enter", "Шаги (клавиши")
    for _ in range(runs):
        timed("1", "^s")  # step 1, loaded (its save key is offered)
        figures.setdefault("step → card painted (Esc, unchanged form)", []).append(
            timed("Escape", "Шаги (клавиши", gone=step)
        )
        timed("1", "^s")
        timed("x", step)  # the name field has the focus: the form is changed now
        figures.setdefault("Esc on a changed form → question painted", []).append(
            timed("Escape", "Остаться")
        )
        timed("Tab", "Остаться")  # from «Остаться» (focused) to «Уйти»
        timed("Enter", "Шаги (клавиши", gone=step)
    timed("b", "Показано", gone="Шаги (клавиши")
    return figures


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


TARGETS = {
    "start → login painted": "≤ 0.6 s",
    "login → filled list": "≤ 0.3 s",
    "login → list painted": "≤ 0.3 s",
    "card": "≤ 0.1 s",
    "list painted": "≤ 0.3 s",
    "step screen": "≤ 0.1 s",
    "step → card": "≤ 0.1 s",
    "question painted": "≤ 0.1 s",
    "tab switch": "≤ 0.1 s",
    "idle RSS": "≤ 120 MB",
    "idle CPU": "≈ 0",
}


def report(name: str, values: list[float], unit: str = "s") -> None:
    target = next((t for key, t in TARGETS.items() if key in name), "")
    median = statistics.median(values)
    shown = f"{median * 1000:8.1f} ms" if unit == "s" else f"{median:8.1f}"
    spread = f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f}, n={len(values)})"
    print(f"  {name:<52} {shown}  {spread if unit == 's' else '':<26} target {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--database", help="a database kept by an earlier --keep run")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="privet-bench-tui-"))
    t0 = time.perf_counter()
    if name := args.database:
        url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    else:
        url, name = scratch_database(args.users)
        print(f"scratch database with {args.users:,} users in {time.perf_counter() - t0:.1f} s")
    try:
        settings = Settings(
            database_url=url.replace("postgresql://", "postgresql+psycopg://", 1),
            secret_key=SECRET,
            data_dir=home / "data",
        )
        print("in-process (Textual headless, 80x24), medians:")
        report(
            "start → login painted (headless, fresh interpreter)",
            start_to_login_headless(url, home, args.runs),
        )
        for label, values in login_and_switch(settings, args.runs).items():
            report(label, values)
        real = real_terminal(url, home, args.idle)
        if real:
            print("real terminal (tmux 80x24, installed privet-tui run):")
            for label, values in real.items():
                report(label, values, unit="" if label.startswith("idle") else "s")
    finally:
        if args.keep or args.database:
            print(f"database kept: --database {name}")
        else:
            drop_database(name)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
