"""The installed `privet-tui` command: one clear line and a non-zero exit on bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXE = shutil.which("privet-tui", path=str(Path(sys.executable).parent)) or "privet-tui"


def run(
    *args: str, env: dict[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_"))}
    full_env.update(env or {})
    return subprocess.run(
        [EXE, *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=120
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_help_lists_every_public_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in ("run", "demo", "db", "master", "tariffs", "client-view", "doctor"):
        assert name in result.stdout


def test_unknown_command() -> None:
    assert "No such command" in _one_line_error(run("frobnicate"))


def test_unreachable_database(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none", "PRIVET_DATA_DIR": str(tmp_path)}
    line = _one_line_error(run("master", "list", env=env))
    assert "cannot connect" in line


def test_wrong_database_scheme(tmp_path: Path) -> None:
    env = {"DATABASE_URL": "mysql://x@y/z", "PRIVET_DATA_DIR": str(tmp_path)}
    assert "postgresql://" in _one_line_error(run("db", "current", env=env))


def test_not_migrated_database(bare_db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": bare_db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    assert "db upgrade" in _one_line_error(run("master", "list", env=env))


def test_master_lifecycle_and_errors(db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    ok = run("master", "add", "Boss@Privet.local", "--name", "Босс", "--admin",
             "--password-stdin", env=env, stdin="long-enough-pass\n")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    dup = run("master", "add", "boss@privet.LOCAL", "--name", "X", "--password-stdin",
              env=env, stdin="long-enough-pass\n")  # fmt: skip
    assert "уже есть" in _one_line_error(dup)
    empty = run("master", "add", "new@privet.local", "--name", "X", "--password-stdin",
                env=env, stdin="\n")  # fmt: skip
    assert "Пароль" in _one_line_error(empty)
    no_tty = run("master", "add", "new@privet.local", "--name", "X", env=env)
    assert "--password-stdin" in _one_line_error(no_tty)
    listed = run("master", "list", env=env)
    assert "boss@privet.local" in listed.stdout
    assert "new@privet.local" not in listed.stdout
    assert run("master", "disable", "boss@privet.local", env=env).returncode == 0
    assert "disabled" in run("master", "list", env=env).stdout
    assert "не найден" in _one_line_error(run("master", "unlock", "ghost@privet.local", env=env))


def test_db_commands(db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    assert "up to date" in run("db", "current", env=env).stdout
    check = run("db", "check", env=env)
    assert check.returncode == 0, check.stderr


def test_password_is_never_an_argument() -> None:
    result = run("master", "add", "--help")
    assert "--password-stdin" in result.stdout
    assert "--password " not in result.stdout


@pytest.mark.parametrize("args", [("master", "add", "a@b.c", "--password", "x", "--name", "n")])
def test_password_option_does_not_exist(args: tuple[str, ...]) -> None:
    assert "No such option" in _one_line_error(run(*args))


def test_tariffs_import_and_list(db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    example = Path(__file__).resolve().parents[2] / "privet_tui" / "data" / "tariffs.example.toml"
    imported = run("tariffs", "import", str(example), env=env)
    assert imported.returncode == 0, imported.stderr
    assert "3 created" in imported.stdout
    listed = run("tariffs", "list", env=env)
    assert "Базовый" in listed.stdout
    assert "Премиум" in listed.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text('[[tariff]]\ncode = "x"\nname = "X"\nmonthly_fee = -5\n', encoding="utf-8")
    line = _one_line_error(run("tariffs", "import", str(broken), env=env))
    assert "broken.toml" in line
    missing = _one_line_error(run("tariffs", "import", str(tmp_path / "nope.toml"), env=env))
    assert "nope.toml" in missing


def test_upgrade_of_a_database_without_the_client_tables(bare_db_url: str, tmp_path: Path) -> None:
    env = {"DATABASE_URL": bare_db_url, "PRIVET_DATA_DIR": str(tmp_path)}
    assert "users/devices" in _one_line_error(run("db", "upgrade", env=env))
    assert "Can't locate revision" in _one_line_error(run("db", "downgrade", "nonsense", env=env))
