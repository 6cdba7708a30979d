"""Settings: search order, DATABASE_URL forms, and the refusal of unsafe files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from privet_tui.config import load_settings, normalize_database_url
from privet_tui.errors import ConfigError


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated home: XDG config in tmp, no /etc file influence is assumed absent."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    return tmp_path


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {"XDG_CONFIG_HOME": str(home / "xdg"), "PRIVET_DATA_DIR": str(home / "data")}
    env.update(extra)
    return env


def _write(path: Path, text: str, mode: int = 0o600) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_environment_beats_dotenv_beats_user_toml(home: Path) -> None:
    cwd = home / "work"
    _write(cwd / ".env", "S3_BUCKET=from-dotenv\nIDLE_LOCK_MINUTES=7\n")
    _write(
        home / "xdg" / "privet-tui" / "config.toml",
        's3_bucket = "from-toml"\nidle_lock_minutes = 3\ninvoice_due_days = 9\n',
    )
    s = load_settings(_env(home, S3_BUCKET="from-env"), cwd=cwd)
    assert s.s3_bucket == "from-env"
    assert s.idle_lock_minutes == 7
    assert s.invoice_due_days == 9
    assert s.files[0] == cwd / ".env"


def test_privet_config_replaces_the_search(home: Path) -> None:
    cwd = home / "work"
    _write(cwd / ".env", "S3_BUCKET=from-dotenv\n")
    chosen = _write(home / "chosen.toml", 's3_bucket = "chosen"\n')
    s = load_settings(_env(home, PRIVET_CONFIG=str(chosen)), cwd=cwd)
    assert s.s3_bucket == "chosen"
    assert s.files == (chosen,)


def test_missing_privet_config_is_an_error(home: Path) -> None:
    with pytest.raises(ConfigError, match="PRIVET_CONFIG"):
        load_settings(_env(home, PRIVET_CONFIG=str(home / "nope.toml")), cwd=home)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_url_forms(given: str, expected: str) -> None:
    assert normalize_database_url(given) == expected


def test_foreign_database_url_refused() -> None:
    with pytest.raises(ConfigError, match="postgresql://"):
        normalize_database_url("mysql://u@h/db")


@pytest.mark.parametrize("mode", [0o644, 0o604])
def test_secret_file_readable_by_others_is_refused(home: Path, mode: int) -> None:
    cfg = _write(home / "c.toml", 'secret_key = "0123456789abcdef0123"\n', mode)
    with pytest.raises(ConfigError) as err:
        load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home)
    assert str(cfg) in err.value.message
    assert "chmod 600" in err.value.message


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to hand the file to another user")
def test_group_readable_secret_file_of_a_user_is_refused(home: Path) -> None:
    cfg = _write(home / "c.toml", 'secret_key = "0123456789abcdef0123"\n', 0o640)
    os.chown(cfg, 65534, 65534)
    with pytest.raises(ConfigError) as err:
        load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home)
    assert str(cfg) in err.value.message
    assert "chmod 600" in err.value.message


@pytest.mark.skipif(os.geteuid() != 0, reason="the deployment file is root-owned")
def test_root_owned_group_readable_system_file_is_accepted(home: Path) -> None:
    cfg = _write(home / "c.toml", 'secret_key = "0123456789abcdef0123"\n', 0o640)
    assert load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home).secret_key.startswith("0123")


def test_password_in_database_url_counts_as_secret(home: Path) -> None:
    cfg = _write(home / ".env", "DATABASE_URL=postgresql://u:hunter22@h/db\n", 0o644)
    with pytest.raises(ConfigError, match="chmod"):
        load_settings(_env(home), cwd=cfg.parent)


def test_file_without_secrets_may_be_world_readable(home: Path) -> None:
    cfg = _write(home / "c.toml", 's3_bucket = "b"\n', 0o644)
    assert load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home).s3_bucket == "b"


def test_world_writable_file_is_refused(home: Path) -> None:
    cfg = _write(home / "c.toml", 's3_bucket = "b"\n', 0o666)
    with pytest.raises(ConfigError, match="writable"):
        load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home)


def test_unknown_toml_key_is_refused(home: Path) -> None:
    cfg = _write(home / "c.toml", 'databse_url = "x"\n')
    with pytest.raises(ConfigError, match="databse_url"):
        load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home)


def test_generated_secret_key_is_private_and_stable(home: Path) -> None:
    first = load_settings(_env(home), cwd=home)
    second = load_settings(_env(home), cwd=home)
    assert first.secret_key_generated
    assert first.secret_key == second.secret_key
    assert (home / "data" / "secret_key").stat().st_mode & 0o777 == 0o600


def test_s3_endpoint_needs_keys_and_a_scheme(home: Path) -> None:
    with pytest.raises(ConfigError, match="S3_ACCESS_KEY"):
        load_settings(_env(home, S3_ENDPOINT="http://127.0.0.1:9000"), cwd=home)
    with pytest.raises(ConfigError, match="S3_ENDPOINT"):
        load_settings(
            _env(home, S3_ENDPOINT="127.0.0.1:9000", S3_ACCESS_KEY="a", S3_SECRET_KEY="b"),
            cwd=home,
        )


def test_company_requisites_from_toml(home: Path) -> None:
    cfg = _write(home / "c.toml", 'company_name = "ООО «Тест»"\ncompany_inn = "123"\n')
    s = load_settings(_env(home, PRIVET_CONFIG=str(cfg)), cwd=home)
    assert s.company.name == "ООО «Тест»"
    assert s.company.inn == "123"


def test_bad_number_is_refused(home: Path) -> None:
    with pytest.raises(ConfigError, match=r"idle_lock_minutes"):
        load_settings(_env(home, IDLE_LOCK_MINUTES="soon"), cwd=home)
