"""Nothing secret reaches a log or an audit table: a whole client, from claim to invoice, with
S3 (moto's HTTP server) failing once on the way, a wrong code typed, the full passport revealed,
all with the app's logging at DEBUG and SQL statement logging on. Afterwards the log files,
the raw log records and the audit tables are scanned for every OTP code sent and for the
passport number; and the file handler's redaction filter is checked as the second line of
defence for a code or a number logged by mistake."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterDevice, MasterPassport
from privet_tui.errors import StorageError
from privet_tui.services.actor import Actor
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps import passport as passports
from privet_tui.services.steps.contract_signing import CodeRejected
from privet_tui.storage.s3 import S3Store
from tests.conftest import attach_files
from tests.faults.secret_scan import (
    audit_text,
    issued_codes,
    log_files_text,
    passport_secrets,
    secrets_in,
)
from tests.faults.servers import MotoStarter
from tests.faults.state import latest_code, wrong_code
from tests.faults.workflow import PASSPORT_NUMBER, PASSPORT_SERIES, add_people, drive

pytestmark = pytest.mark.faults


def test_a_whole_client_with_faults_leaves_no_code_or_passport_in_logs_or_audit(
    db: Database,
    settings: Settings,
    master: Actor,
    photo_file: Path,
    moto_starter: MotoStarter,
    bucket: str,
    app_log: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, endpoint = moto_starter(0)
    port = int(endpoint.rsplit(":", 1)[1])
    store = S3Store(endpoint, "log-access", "log-secret-key-xyz", bucket, retry_budget=1.0)
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "tariff")
    with db.reading() as session:
        device_id = session.scalars(
            select(MasterDevice.id).where(MasterDevice.client_id == client_id)
        ).one()
        assert session.scalars(select(MasterPassport.number)).one() == PASSPORT_NUMBER
    (outcome,) = attach_files(db, store, master, client_id, device_id, [photo_file])
    assert outcome.photo is not None
    with db.transaction() as session:  # the audited full view of the passport
        shown = passports.reveal_passport(session, master, client_id)
    assert shown.number == PASSPORT_NUMBER

    server.stop()
    with pytest.raises(StorageError):
        drive(db, store, settings, master, user_id, "contract", start="tariff")
    moto_starter(port)
    drive(db, store, settings, master, user_id, "contract", start="tariff")
    code = latest_code(db, user_id)
    with pytest.raises(CodeRejected), db.transaction() as session:
        contract_signing.confirm_signature(
            session, master, store, settings, client_id, wrong_code(code)
        )
    drive(db, store, settings, master, user_id, "invoiced", start="contract")

    codes = issued_codes(db)
    assert codes == [code]
    logs = log_files_text(app_log)
    assert "retry" in logs  # the outage was logged (the scan looks at real log lines)
    assert "INSERT INTO master_passports" in caplog.text
    for where, haystack in (
        ("log files", logs),
        ("log records", caplog.text),
        ("audit tables", audit_text(db)),
    ):
        assert secrets_in(haystack, codes) == [], f"an OTP code in the {where}"
        assert secrets_in(haystack, passport_secrets()) == [], f"a passport number in the {where}"
        assert "log-secret-key-xyz" not in haystack, f"the S3 secret in the {where}"


def _logged_through_the_app_handler(app_log: Path, message: str) -> str:
    """Log `message` as a careless module would and return what reached the file."""
    logging.getLogger("privet_tui.careless").warning(message)
    for handler in logging.getLogger().handlers:
        handler.flush()
    return log_files_text(app_log)


def test_redaction_filter_masks_a_code_logged_by_mistake(app_log: Path) -> None:
    written = _logged_through_the_app_handler(app_log, "otp 5123456 for contract")
    assert "5123456" not in written
    assert "otp" in written


@pytest.mark.parametrize(
    "message",
    [
        f"паспорт {PASSPORT_SERIES} {PASSPORT_NUMBER}",
        f"passport={PASSPORT_SERIES}{PASSPORT_NUMBER}",
        "Код для подписания: 123456",
    ],
    ids=["passport-series-and-number", "passport-joined", "otp-message-body"],
)
def test_redaction_filter_leaves_no_digit_of_the_secret(app_log: Path, message: str) -> None:
    written = _logged_through_the_app_handler(app_log, message)
    line = next(line for line in written.splitlines() if "careless" in line)
    logged = line.split("privet_tui.careless: ", 1)[1]
    assert not re.search(r"[0-9]", logged), logged
