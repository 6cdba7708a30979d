"""`privet-tui doctor`: one line per check, exit 1 when any check fails."""

from __future__ import annotations

from collections.abc import Callable

import typer

from privet_tui.config import Settings, load_settings
from privet_tui.errors import PrivetError

Check = Callable[[], str]

#: A seal certificate closer than this to its end is reported as a warning.
_SEAL_WARN_DAYS = 30
#: The largest QR code «Фото с телефона» draws in an 80x24 terminal, in cells (columns,
#: rows): 80 less the modal's side column, 24 less its title, footer and the link's line.
#: Links up to 78 characters give 41x21 (a version-4 code with its quiet zone).
_QR_CELLS_80X24 = (56, 21)


def doctor() -> None:
    """Check config and permissions, the database and its migrations, storage, the phone
    upload page at the public endpoint, fonts, seal."""
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

    def phone_page() -> str:
        return _phone_page(settings)

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
        ("phone page", phone_page),
        ("fonts", fonts),
        ("seal", seal),
        ("ssh session", _ssh_session),
    ]


def _phone_page(settings: Settings) -> str:
    """Publish the upload page, then fetch it as a phone would (httpx, no credentials) from
    `S3_PUBLIC_ENDPOINT`, and prove a raw upload is NOT readable that way; warn when a link
    is too long for its QR code to fit an 80x24 terminal."""
    import secrets

    import httpx

    from privet_tui.qr_text import qr_size
    from privet_tui.services.phone_upload import TOKEN_BYTES, page_html
    from privet_tui.storage.factory import open_store
    from privet_tui.storage.keys import PHONE_PAGE_KEY, PHONE_UPLOAD_ROOT
    from privet_tui.storage.s3_public import PublicUploads

    store = open_store(settings)
    if not isinstance(store, PublicUploads) or not settings.public_endpoint:
        return "not available with the local store (set S3_ENDPOINT and S3_PUBLIC_ENDPOINT)"
    page = page_html()
    store.publish(PHONE_PAGE_KEY, page, "text/html; charset=utf-8")
    base = f"{settings.public_endpoint.rstrip('/')}/{store.bucket}/"
    probe = f"{PHONE_UPLOAD_ROOT}.privet-check"
    store.put(probe, b"must not be public", "text/plain")
    try:
        with httpx.Client(timeout=5.0, follow_redirects=False) as http:
            got = http.get(base + PHONE_PAGE_KEY)
            private = http.get(base + probe)
    except httpx.HTTPError as exc:
        raise PrivetError(
            f"phones cannot reach {base}{PHONE_PAGE_KEY} ({exc.__class__.__name__}): "
            "check S3_PUBLIC_ENDPOINT"
        ) from None
    finally:
        store.delete(probe)
    if got.status_code != 200 or got.content != page:
        raise PrivetError(
            f"{base}{PHONE_PAGE_KEY} answers HTTP {got.status_code} without credentials: allow "
            f"anonymous s3:GetObject on {PHONE_PAGE_KEY} and u/* (docs/deploy.md)"
        )
    if private.status_code < 400:
        raise PrivetError(
            f"the bucket {store.bucket} lets anyone read raw uploads ({base}{probe}): "
            "remove its public-read policy, keep only u and u/* (docs/deploy.md)"
        )
    link = f"{base}{PHONE_PAGE_KEY}#{secrets.token_urlsafe(TOKEN_BYTES)}"  # a link's shape
    columns, rows = qr_size(link)
    shape = f"links {len(link)} characters, QR code {columns}x{rows} cells"
    found = f"{base}{PHONE_PAGE_KEY} reachable without credentials, raw uploads private"
    most_columns, most_rows = _QR_CELLS_80X24
    if columns > most_columns or rows > most_rows:
        return (
            f"WARN {found}; but {shape}: more than an 80x24 terminal shows (the modal then "
            "asks for a bigger window), shorten S3_PUBLIC_ENDPOINT or S3_BUCKET (docs/deploy.md)"
        )
    return f"{found}; {shape}"


def _ssh_session() -> str:
    from privet_tui.cli.detach import doctor_check

    return doctor_check()


def _pooler(settings: Settings) -> str:
    from privet_tui.cli.doctor_pool import pooler_check

    return pooler_check(settings)
