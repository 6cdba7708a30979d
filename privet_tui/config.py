"""Settings: one typed object, loaded once per process.

Search order, first found wins per key:

1. the process environment (`DATABASE_URL`, `S3_ENDPOINT`, …, upper case);
2. `PRIVET_CONFIG`, when set, names the one file to read instead of 3–5 (TOML, or a
   `.env`-style file when it ends in `.env`);
3. `./.env` in the working directory (`KEY=value` lines, upper-case keys);
4. `~/.config/privet-tui/config.toml` (top-level keys, the same names in lower case);
5. `/etc/privet-tui/config.toml`.

A file that holds a password or secret (`secret_key`, `s3_secret_key`, a `database_url`
with a password) is refused when others can read it, or when its group can read it and it
is not owned by root (a root-owned `root:privet 0640` file is the recommended deployment;
a master's own file must be 0600). Every file is refused when others can write it.
"""

from __future__ import annotations

import os
import secrets
import stat
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from privet_tui import paths
from privet_tui.errors import ConfigError


@dataclass(frozen=True)
class Company:
    """The company's requisites printed on contracts and invoices."""

    name: str = "ООО «Привет Сервис»"
    inn: str = "7701234567"
    kpp: str = "770101001"
    ogrn: str = "1207700123456"
    address: str = "123456, г. Москва, ул. Примерная, д. 1, офис 10"
    bank: str = "ПАО «Банк»"
    bik: str = "044525225"
    account: str = "40702810900000012345"
    corr_account: str = "30101810400000000225"
    phone: str = "+7 495 123-45-67"
    email: str = "info@privet.example"
    city: str = "Москва"


@dataclass(frozen=True)
class Settings:
    """Every knob of the app; `source` records where each configured key came from."""

    #: SQLAlchemy URL of the shared database; None → the embedded server in the data dir.
    database_url: str | None = None
    #: A URL straight to PostgreSQL for `db upgrade` and the demo seed when `database_url`
    #: points at a pooler (PgBouncer); None → migrate through `database_url`.
    database_migrate_url: str | None = None
    #: Connections one process keeps open to the database or pooler (an idle session), and
    #: how many more it may open while busy: the connection budget (docs/deploy.md).
    database_pool_size: int = 1
    database_pool_overflow: int = 1
    #: S3/MinIO endpoint with scheme (`http://host:9000`); None → the local object store.
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_bucket: str = "privet-bucket"
    #: How long presigned links sent to clients stay valid.
    s3_link_expiry_hours: int = 168
    #: The S3 address the masters' phones reach (`https://files.example`); None → `s3_endpoint`.
    s3_public_endpoint: str | None = None
    #: Minutes a «Фото с телефона» link (its QR code and upload form) stays valid.
    phone_link_minutes: int = 15
    #: HMAC key for OTP codes; must be the same on every workstation of one deployment.
    secret_key: str = ""
    #: True when `secret_key` was generated in the data dir rather than configured.
    secret_key_generated: bool = False
    #: Minutes of inactivity before the screen is locked.
    idle_lock_minutes: int = 15
    #: Minutes after login when the password is asked again (the web app's setting).
    master_access_token_expire_minutes: int = 120
    #: Wrong passwords before an account is locked, and for how long.
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    #: Folder the photo picker opens in.
    photo_inbox: Path = field(default_factory=Path.home)
    #: Days an invoice is payable.
    invoice_due_days: int = 5
    #: The business time zone (IANA name): every date, time and year on a document or a
    #: screen is in it, never in the host's zone.
    time_zone: str = "Europe/Moscow"
    #: The company seal that signs contracts and invoices (PEM certificate and private key);
    #: None → the self-signed seal `privet-tui seal init` makes in the data dir.
    seal_cert_file: Path | None = None
    seal_key_file: Path | None = None
    data_dir: Path = field(default_factory=paths.data_dir)
    company: Company = field(default_factory=Company)
    #: Files that contributed to these settings, in the order read.
    files: tuple[Path, ...] = ()

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def uses_s3(self) -> bool:
        return self.s3_endpoint is not None

    @property
    def public_endpoint(self) -> str | None:
        """Where phones reach the bucket: `S3_PUBLIC_ENDPOINT`, else `S3_ENDPOINT`."""
        return self.s3_public_endpoint or self.s3_endpoint

    @property
    def zone(self) -> ZoneInfo:
        """The business time zone (validated when the settings were read)."""
        return ZoneInfo(self.time_zone)


_SECRET_KEYS = ("secret_key", "s3_secret_key", "master_jwt_secret", "jwt_secret")
_INT_KEYS = {f.name for f in fields(Settings) if f.type == "int"}
_STR_KEYS = {
    "database_url",
    "database_migrate_url",
    "s3_endpoint",
    "s3_access_key",
    "s3_secret_key",
    "s3_bucket",
    "s3_public_endpoint",
    "secret_key",
    "time_zone",
}
_COMPANY_KEYS = {f"company_{f.name}" for f in fields(Company)}
_PATH_KEYS = {"photo_inbox", "seal_cert_file", "seal_key_file"}
KNOWN_KEYS = _INT_KEYS | _STR_KEYS | _COMPANY_KEYS | _PATH_KEYS | {"privet_data_dir"}
#: A phone link longer than a day is a standing invitation to the bucket.
_MAX_PHONE_LINK_MINUTES = 24 * 60
# Keys of the web app's .env that are harmless here.
_IGNORED_KEYS = {"jwt_secret", "master_jwt_secret"}


def load_settings(environ: dict[str, str] | None = None, cwd: Path | None = None) -> Settings:
    """Read the settings in the documented order; raises ConfigError on a bad or unsafe file."""
    env = dict(os.environ if environ is None else environ)
    cwd = Path.cwd() if cwd is None else cwd
    merged: dict[str, Any] = {}
    used: list[Path] = []
    for path in reversed(_candidate_files(env, cwd)):
        values = _read_file(path)
        _refuse_unsafe_permissions(path, values)
        merged.update(values)
        used.append(path)
    for key, value in env.items():
        low = key.lower()
        if low in KNOWN_KEYS and value != "":
            merged[low] = value
    return _build(merged, tuple(reversed(used)))


def _candidate_files(env: dict[str, str], cwd: Path) -> list[Path]:
    """The files to read, highest priority first; only those that exist."""
    explicit = env.get("PRIVET_CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigError(f"PRIVET_CONFIG names {path}, which is not a readable file")
        return [path]
    xdg = env.get("XDG_CONFIG_HOME")
    user_file = Path(xdg) / "privet-tui" / "config.toml" if xdg else paths.user_config_file()
    found = [cwd / ".env", user_file, paths.SYSTEM_CONFIG]
    return [p for p in found if p.is_file()]


def _read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from exc
    if path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        values = {str(k).lower(): v for k, v in data.items()}
    else:
        values = _parse_dotenv(path, text)
    unknown = sorted(set(values) - KNOWN_KEYS - _IGNORED_KEYS)
    # A .env shared with other tools may hold anything; a TOML file of ours must not.
    if unknown and path.suffix == ".toml":
        raise ConfigError(f"config file {path}: unknown key(s) {', '.join(unknown)}")
    return {k: v for k, v in values.items() if k in KNOWN_KEYS or k in _IGNORED_KEYS}


def _parse_dotenv(path: Path, text: str) -> dict[str, str]:
    """`KEY=value` lines; `#` comments, optional `export `, single or double quotes."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        line = line.removeprefix("export ").strip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip().lower()] = value
    return values


def _holds_secret(values: dict[str, Any]) -> bool:
    if any(values.get(k) for k in _SECRET_KEYS):
        return True
    for key in ("database_url", "database_migrate_url"):
        url = values.get(key)
        if isinstance(url, str) and url:
            try:
                if urlsplit(url).password:
                    return True
            except ValueError:
                return True
    return False


def _refuse_unsafe_permissions(path: Path, values: dict[str, Any]) -> None:
    mode = path.stat().st_mode
    owner = path.stat().st_uid
    if mode & stat.S_IWOTH:
        raise ConfigError(f"config file {path} is writable by others; run: chmod o-w {path}")
    if not _holds_secret(values):
        return
    if mode & stat.S_IROTH:
        raise ConfigError(
            f"config file {path} holds a password or secret and is readable by others; "
            f"run: chmod 600 {path}"
            + (" (or chmod 640 with a dedicated group)" if owner == 0 else "")
        )
    if mode & stat.S_IRGRP and owner != 0:
        raise ConfigError(
            f"config file {path} holds a password or secret and is readable by its group; "
            f"run: chmod 600 {path}"
        )


def _build(merged: dict[str, Any], files: tuple[Path, ...]) -> Settings:
    kwargs: dict[str, Any] = {"files": files}
    for key in _STR_KEYS:
        value = merged.get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"setting {key} must be a string")
        if value:
            kwargs[key] = value.strip()
    for key in _INT_KEYS:
        if key in merged:
            kwargs[key] = _positive_int(key, merged[key])
    if merged.get("privet_data_dir"):
        kwargs["data_dir"] = Path(str(merged["privet_data_dir"])).expanduser().resolve()
    for key in _PATH_KEYS:
        if merged.get(key):
            kwargs[key] = Path(str(merged[key])).expanduser()
    if "time_zone" in kwargs:
        _check_time_zone(kwargs["time_zone"])
    company = {k.removeprefix("company_"): str(v) for k, v in merged.items() if k in _COMPANY_KEYS}
    kwargs["company"] = Company(**company)
    if "database_url" in kwargs:
        kwargs["database_url"] = normalize_database_url(kwargs["database_url"])
    if "database_migrate_url" in kwargs:
        kwargs["database_migrate_url"] = normalize_database_url(
            kwargs["database_migrate_url"], "DATABASE_MIGRATE_URL"
        )
    if "s3_endpoint" in kwargs:
        _check_endpoint(kwargs["s3_endpoint"])
        if not kwargs.get("s3_access_key") or not kwargs.get("s3_secret_key"):
            raise ConfigError("S3_ENDPOINT is set but S3_ACCESS_KEY or S3_SECRET_KEY is missing")
    if "s3_public_endpoint" in kwargs:
        _check_endpoint(kwargs["s3_public_endpoint"], "S3_PUBLIC_ENDPOINT")
    if kwargs.get("phone_link_minutes", 15) > _MAX_PHONE_LINK_MINUTES:
        raise ConfigError(
            f"PHONE_LINK_MINUTES must be at most {_MAX_PHONE_LINK_MINUTES} (one day), "
            f"got {kwargs['phone_link_minutes']}"
        )
    data_dir = kwargs.get("data_dir") or paths.data_dir()
    kwargs["data_dir"] = data_dir
    if not kwargs.get("secret_key"):
        kwargs["secret_key"] = generated_secret_key(data_dir)
        kwargs["secret_key_generated"] = True
    elif len(kwargs["secret_key"]) < 16:
        raise ConfigError("SECRET_KEY is too short: use at least 16 characters")
    return Settings(**kwargs)


def _positive_int(key: str, value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"setting {key} must be a whole number, got {value!r}") from None
    if number <= 0:
        raise ConfigError(f"setting {key} must be positive, got {number}")
    return number


def normalize_database_url(url: str, key: str = "DATABASE_URL") -> str:
    """Accept `postgresql://` and `postgresql+psycopg://` (the web app's form) alike."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ConfigError(f"{key} is not a valid URL") from None
    scheme = parts.scheme
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg" + url[len(scheme) :]
    if scheme == "postgresql+psycopg":
        return url
    raise ConfigError(
        f"{key} must start with postgresql:// or postgresql+psycopg://, not {scheme}://"
    )


def _check_time_zone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"TIME_ZONE must be an IANA time zone name such as Europe/Moscow, got {name!r}"
        ) from None


def _check_endpoint(endpoint: str, name: str = "S3_ENDPOINT") -> None:
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must look like http://host:9000, got {endpoint!r}")


def generated_secret_key(data_dir: Path) -> str:
    """The workstation-local key (0600 in the data dir), made on first use."""
    path = data_dir / "secret_key"
    if path.is_file():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    os.replace(tmp, path)
    return key
