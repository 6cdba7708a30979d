"""Config security: every secret-holding config file that others (or, unless root owns it,
its group) can read is refused, as is any file others can write — checked over every secret
key, mode and owner, in every place the settings are read from, and through the installed
CLI. Secrets never come from the command line: no option of any command takes one.

The rule (privet_tui/config.py): others-readable with a secret → refused; group-readable
with a secret → refused unless owned by root; others-writable → refused, secret or not.
"""

from __future__ import annotations

import itertools
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from privet_tui.cli import app
from privet_tui.config import load_settings
from privet_tui.errors import ConfigError

pytestmark = pytest.mark.faults

SECRET_VALUE = "s3cr3t-VALUE-never-echoed-0123456789"
#: Each way a file can hold a secret, as TOML and as .env text.
SECRETS = {
    "secret_key": (
        f'secret_key = "{SECRET_VALUE}"\n',
        f"SECRET_KEY={SECRET_VALUE}\n",
    ),
    "s3_secret_key": (
        f's3_endpoint = "http://127.0.0.1:9000"\ns3_access_key = "a"\n'
        f's3_secret_key = "{SECRET_VALUE}"\n',
        f"S3_ENDPOINT=http://127.0.0.1:9000\nS3_ACCESS_KEY=a\nS3_SECRET_KEY={SECRET_VALUE}\n",
    ),
    "database_url password": (
        f'database_url = "postgresql://u:{SECRET_VALUE}@db/x"\n',
        f"DATABASE_URL=postgresql://u:{SECRET_VALUE}@db/x\n",
    ),
    "web app jwt secret": (
        f'master_jwt_secret = "{SECRET_VALUE}"\n',
        f"MASTER_JWT_SECRET={SECRET_VALUE}\n",
    ),
    "no secret": ('s3_bucket = "photos"\n', "S3_BUCKET=photos\n"),
}
MODES = [0o600, 0o400, 0o640, 0o440, 0o660, 0o644, 0o604, 0o606, 0o602, 0o666, 0o622]
IS_ROOT = os.geteuid() == 0
OWNERS = ["root", "user"] if IS_ROOT else ["user"]
NOBODY = 65534


def refused_by_the_rule(mode: int, owner: str, has_secret: bool) -> bool:
    """The documented rule, written out independently of the implementation."""
    if mode & stat.S_IWOTH:
        return True
    if not has_secret:
        return False
    return bool(mode & stat.S_IROTH) or bool(mode & stat.S_IRGRP and owner != "root")


def _place(home: Path, where: str, kind: str) -> tuple[Path, dict[str, str], Path]:
    """Where the file goes for `where`, the environment that makes it be read, and the cwd."""
    env = {"XDG_CONFIG_HOME": str(home / "xdg"), "PRIVET_DATA_DIR": str(home / "data")}
    cwd = home / "work"
    cwd.mkdir(parents=True, exist_ok=True)
    suffix = ".toml" if kind == "toml" else ".env"
    if where == "PRIVET_CONFIG":
        path = home / f"chosen{suffix}"
        env["PRIVET_CONFIG"] = str(path)
    elif where == "./.env":
        path = cwd / ".env"
    else:
        path = home / "xdg" / "privet-tui" / "config.toml"
    return path, env, cwd


PLACES = [("PRIVET_CONFIG", "toml"), ("PRIVET_CONFIG", "env"), ("./.env", "env"), ("user", "toml")]


@pytest.mark.parametrize(("where", "kind"), PLACES, ids=[f"{w}-{k}" for w, k in PLACES])
def test_every_secret_mode_and_owner_follows_the_rule(
    tmp_path: Path, where: str, kind: str
) -> None:
    checked = 0
    for (name, texts), mode, owner in itertools.product(SECRETS.items(), MODES, OWNERS):
        home = tmp_path / f"{checked}"
        path, env, cwd = _place(home, where, kind)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(texts[0] if kind == "toml" else texts[1], encoding="utf-8")
        path.chmod(mode)
        if owner == "user" and IS_ROOT:
            os.chown(path, NOBODY, NOBODY)
        expected = refused_by_the_rule(mode, owner, name != "no secret")
        what = f"{name} in {where} mode {oct(mode)} owner {owner}"
        try:
            load_settings(env, cwd=cwd)
            refusal = None
        except ConfigError as exc:
            refusal = exc.message
        if refusal is None:
            assert not expected, f"{what}: accepted"
        else:
            assert expected, f"{what}: refused although the rule allows it: {refusal}"
            assert str(path) in refusal
            assert SECRET_VALUE not in refusal
            assert "chmod" in refusal  # tells the operator how to fix it
        checked += 1
    assert checked == len(SECRETS) * len(MODES) * len(OWNERS)


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        (f'secret_key = "{SECRET_VALUE}\n', ".toml"),  # unterminated string
        (f"secret_key = {SECRET_VALUE}\n", ".toml"),  # bare value
        (f"{SECRET_VALUE}\n", ".env"),  # no KEY=
    ],
)
def test_a_malformed_file_is_refused_without_echoing_its_secret(
    tmp_path: Path, text: str, suffix: str
) -> None:
    path = tmp_path / f"config{suffix}"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(ConfigError) as refused:
        load_settings({"PRIVET_CONFIG": str(path), "PRIVET_DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert SECRET_VALUE not in refused.value.message


def test_the_installed_cli_refuses_an_unsafe_file_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(SECRETS["secret_key"][0], encoding="utf-8")
    path.chmod(0o644)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PRIVET_", "XDG_"))},
        "PRIVET_CONFIG": str(path),
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    for command in (["doctor"], ["db", "current"], ["tariffs", "list"]):
        done = subprocess.run(
            [str(Path(sys.executable).with_name("privet-tui")), *command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        output = done.stdout + done.stderr
        assert done.returncode != 0, command
        assert "readable by others" in output, output
        assert "Traceback" not in output
        assert SECRET_VALUE not in output


# --- the command line takes no secrets -------------------------------------------------------

SECRETISH = re.compile(r"pass|secret|key|token|otp|code|pin", re.IGNORECASE)


def _parameters() -> list[tuple[str, object]]:
    """(command path, click parameter) for every parameter of every command (Typer may
    vendor its own Click, so the walk goes by attributes, not by Click's classes)."""
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(command: object, path: str) -> None:
        found.extend((path, param) for param in getattr(command, "params", []))
        found.append((path, None))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(root, "privet-tui")
    return found


def test_no_command_takes_a_secret_as_an_argument() -> None:
    walked = _parameters()
    paths = {path for path, _ in walked}
    assert {"privet-tui master add", "privet-tui run", "privet-tui doctor"} <= paths
    parameters = [(path, param) for path, param in walked if param is not None]
    assert len(parameters) >= 5
    secretish = {
        (path, param.name)  # type: ignore[attr-defined]
        for path, param in parameters
        if SECRETISH.search(param.name or "")  # type: ignore[attr-defined]
        or any(SECRETISH.search(o) for o in getattr(param, "opts", []))
    }
    allowed = {(p, "password_stdin") for p, _ in parameters}
    assert secretish <= allowed, f"secrets on the command line: {sorted(secretish - allowed)}"
    for path, param in parameters:
        if getattr(param, "name", None) == "password_stdin":
            assert param.is_flag, f"{path}: --password-stdin must be a flag, not take a value"  # type: ignore[attr-defined]


def test_password_is_not_an_option_of_the_installed_cli(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("privet-tui")),
            "master",
            "add",
            "x@privet.local",
            "--name",
            "X",
            "--password",
            SECRET_VALUE,
        ],
        env={**os.environ, "PRIVET_DATA_DIR": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--password" in done.stderr
    assert "Traceback" not in done.stderr
