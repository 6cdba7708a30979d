"""`privet-tui doctor`: one line per check, exit 1 when any check fails."""

from __future__ import annotations

from collections.abc import Callable

import typer

from privet_tui.config import Settings, load_settings
from privet_tui.errors import PrivetError

Check = Callable[[], str]

#: A seal certificate closer than this to its end is reported as a warning.
_SEAL_WARN_DAYS = 30


def doctor() -> None:
    """Check config and permissions, the database and its migrations, storage, fonts, seal."""
    failures = 0
    settings: Settings | None = None
    try:
        settings = load_settings()
        files = ", ".join(str(f) for f in settings.files) or "environment only"
        _line("ok", "config", files)
    except PrivetError as exc:
        _line("FAIL", "config", exc.message)
        failures += 1
    if settings is not None:
        for name, check in _checks(settings):
            try:
                detail = check()
            except PrivetError as exc:
                _line("FAIL", name, exc.message)
                failures += 1
            except Exception as exc:
                _line("FAIL", name, f"{exc.__class__.__name__}: {exc}")
                failures += 1
            else:
                level = "WARN" if detail.startswith("WARN ") else "ok"
                _line(level, name, detail.removeprefix("WARN "))
    if failures:
        raise SystemExit(1)


def _line(level: str, name: str, detail: str) -> None:
    typer.echo(f"{level:<5} {name:<12} {detail}")


def _checks(settings: Settings) -> list[tuple[str, Check]]:
    def secret() -> str:
        if settings.secret_key_generated and settings.database_url:
            return (
                "WARN SECRET_KEY is generated on this workstation but the database is shared: "
                "set one SECRET_KEY for every workstation, or OTP codes fail elsewhere"
            )
        if settings.secret_key_generated:
            return "generated, in the data dir (fine for a single workstation)"
        return "configured"

    def database() -> str:
        from privet_tui.db import migrate
        from privet_tui.db.engine import open_database

        db = open_database(settings)
        try:
            if not migrate.is_up_to_date(db):
                current = migrate.current_revision(db) or "empty"
                raise PrivetError(
                    f"{db.url} reachable but not migrated (at {current}): run privet-tui db upgrade"
                )
            return f"{db.url} reachable, migrations at head"
        finally:
            db.dispose()

    def storage() -> str:
        from privet_tui.storage.factory import open_store

        store = open_store(settings)
        store.check()
        return f"{store.description} writable"

    def fonts() -> str:
        from privet_tui.pdf.layout import check_fonts, font_paths

        check_fonts()
        return ", ".join(p.name for p in font_paths())

    def seal() -> str:
        from datetime import UTC, datetime, timedelta

        from privet_tui.pdf.seal import SealError
        from privet_tui.seal_files import load_company_seal, seal_files

        try:
            files = seal_files(settings)
            company = load_company_seal(settings)
        except SealError as exc:
            raise PrivetError(exc.detail) from None
        assert files is not None
        origin = "SEAL_CERT_FILE" if files.configured else "self-signed"
        until = f"{company.not_after:%Y-%m-%d}"
        if company.not_after - datetime.now(UTC) < timedelta(days=_SEAL_WARN_DAYS):
            return f"WARN {company.subject} ({origin}): the certificate expires on {until}"
        return f"{company.subject} ({origin}, {files.certificate}), valid until {until}"

    return [
        ("secret key", secret),
        ("database", database),
        ("pooler", lambda: _pooler(settings)),
        ("storage", storage),
        ("fonts", fonts),
        ("seal", seal),
    ]


def _pooler(settings: Settings) -> str:
    from privet_tui.cli.doctor_pool import pooler_check

    return pooler_check(settings)
