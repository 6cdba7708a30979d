"""Sealed documents end to end on real PostgreSQL: the signed contract and the invoice the
services make carry the company seal (pdfsig and `documents verify` accept them, a changed
byte breaks them), nothing is signed or issued without a seal, the demo seals its documents,
and the operator commands `seal`, `documents get|verify` and `doctor`."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select, text
from test_contracts import T0, confirm, contract_row, generate, latest_code, ready_client
from test_payments_invoices import invoice, pay

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterClient
from privet_tui.demo.seed import seed_demo
from privet_tui.demo.states import seed_states
from privet_tui.pdf.seal import SealError, verify_pdf
from privet_tui.seal_files import create_self_signed_seal, load_company_seal, self_signed_paths
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import open_gateway
from privet_tui.storage.local import LocalStore

EXE = shutil.which("privet-tui", path=str(Path(sys.executable).parent)) or "privet-tui"
needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing")


@pytest.fixture
def store(settings: Settings) -> LocalStore:
    """The local store where the CLI, given the same data dir, looks too."""
    return LocalStore(settings.data_dir / "objects")


@pytest.fixture
def client_id(db: Database, master: Actor, user_id: int) -> int:
    return ready_client(db, master, user_id)


def pdfsig_holds(data: bytes, tmp_path: Path) -> bool:
    """pdfsig says the signature is valid and covers the whole document."""
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, timeout=60)
    return "Signature is Valid." in report.stdout and "Total document signed" in report.stdout


def unseal(settings: Settings) -> None:
    """Take the seal out of the settings' data dir (what a fresh workstation has)."""
    shutil.rmtree(self_signed_paths(settings.data_dir).certificate.parent)


def processed(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    user_id: int,
) -> tuple[str, str]:
    """Sign, pay and invoice a client; the contract and invoice numbers."""
    number = generate(db, master, store, settings, client_id).number
    confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)
    pay(db, master, settings, client_id)
    return number, invoice(db, master, store, settings, client_id).number


def cli(settings: Settings, *args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_", "SEAL_"))
    }
    env.update(
        DATABASE_URL=settings.database_url or "",
        PRIVET_DATA_DIR=str(settings.data_dir),
        SECRET_KEY=settings.secret_key,
    )
    streams: dict[str, object] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run([EXE, *args], env=env, timeout=120, **{**streams, **kwargs})  # type: ignore[call-overload,no-any-return]


@needs_pdfsig
def test_signed_contract_and_invoice_carry_the_seal(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    user_id: int,
    tmp_path: Path,
) -> None:
    number, invoice_number = processed(db, master, store, settings, client_id, user_id)
    ours = load_company_seal(settings).fingerprint
    row = contract_row(db, client_id)
    assert row.signed_key is not None
    with db.reading() as s:
        bill = s.scalar(select(MasterInvoice))
        assert bill is not None
        invoice_key = bill.pdf_key
    documents = [(row.signed_key, f"Договор № {number}"), (invoice_key, f"Счёт № {invoice_number}")]
    for key, reason in documents:
        data = store.get(key)
        check = verify_pdf(data, known=[ours])
        assert check.intact, (key, check.problem)
        assert check.known_signer
        assert check.reason == reason
        assert check.signer == settings.company.name
        assert pdfsig_holds(data, tmp_path), key
        changed = bytearray(data)
        changed[1000] ^= 0x20  # in the rendered document: inside the signed range
        assert not verify_pdf(bytes(changed)).intact
        assert not pdfsig_holds(bytes(changed), tmp_path)
    assert not verify_pdf(store.get(row.draft_key)).intact  # the draft is not sealed


def test_no_seal_no_signature_and_nothing_written(
    db: Database, master: Actor, store: LocalStore, settings: Settings, client_id: int, user_id: int
) -> None:
    generate(db, master, store, settings, client_id)
    code = latest_code(db, user_id)
    unseal(settings)
    before = contract_row(db, client_id)
    with pytest.raises(SealError, match="privet-tui seal init"):
        confirm(db, master, store, settings, client_id, code, T0)
    gateway = open_gateway(settings, database=db, store=store)
    with pytest.raises(SealError, match="Печать компании не настроена"):
        gateway.confirm_signature(master, client_id, code)
    after = contract_row(db, client_id)
    assert after.status == "awaiting_signature"
    assert (after.otp_attempts, after.signed_key) == (before.otp_attempts, None)
    assert not [key for key in store.list("clients/") if key.key.endswith("-signed.pdf")]
    create_self_signed_seal(settings)
    signed = confirm(db, master, store, settings, client_id, code, T0)  # the same code still works
    assert verify_pdf(store.get(signed.signed_key)).intact


def test_no_seal_no_invoice_and_no_number_spent(
    db: Database, master: Actor, store: LocalStore, settings: Settings, client_id: int, user_id: int
) -> None:
    generate(db, master, store, settings, client_id)
    confirm(db, master, store, settings, client_id, latest_code(db, user_id), T0)
    pay(db, master, settings, client_id)
    unseal(settings)

    def sequence() -> tuple[int, bool]:
        with db.reading() as s:
            found = s.execute(text("SELECT last_value, is_called FROM master_invoice_number_seq"))
            value, called = found.one()
            return int(value), bool(called)

    spent = sequence()
    with pytest.raises(SealError, match="privet-tui seal init"):
        invoice(db, master, store, settings, client_id)
    assert sequence() == spent
    with db.reading() as s:
        assert s.scalar(select(MasterInvoice)) is None
        client = s.get(MasterClient, client_id)
        assert client is not None
        assert client.status == "paid"


@needs_pdfsig
def test_the_demo_seals_every_document_it_makes(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    fresh = replace(settings, data_dir=tmp_path / "demo-data")  # no seal there yet
    seed_demo(db, extra=lambda d: seed_states(d, fresh))
    ours = load_company_seal(fresh).fingerprint
    demo_store = LocalStore(fresh.data_dir / "objects")
    with db.reading() as s:
        keys = [k for k in s.scalars(select(MasterContract.signed_key)) if k is not None]
        keys += list(s.scalars(select(MasterInvoice.pdf_key)))
    assert len(keys) >= 5  # signed, paid, 2 processed contracts; 2 invoices
    for key in keys:
        data = demo_store.get(key)
        assert verify_pdf(data, known=[ours]).known_signer, key
        assert pdfsig_holds(data, tmp_path), key


def test_documents_get_and_verify(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    user_id: int,
    tmp_path: Path,
) -> None:
    number, invoice_number = processed(db, master, store, settings, client_id, user_id)
    row = contract_row(db, client_id)
    assert row.signed_key is not None
    stored = store.get(row.signed_key)

    target = tmp_path / "out" / "contract.pdf"
    target.parent.mkdir()
    got = cli(settings, "documents", "get", number.lower(), "-o", str(target))
    assert got.returncode == 0, got.stderr
    assert target.read_bytes() == stored
    assert got.stdout == b""
    assert b"sealed contract (paid)" in got.stderr
    piped = cli(settings, "documents", "get", invoice_number)  # stdout is a pipe here
    assert piped.returncode == 0, piped.stderr
    assert verify_pdf(piped.stdout).intact
    assert piped.stdout.startswith(b"%PDF-")

    ok = cli(settings, "documents", "verify", str(target))
    assert ok.returncode == 0, ok.stderr
    assert b"intact" in ok.stdout
    assert settings.company.name.encode() in ok.stdout
    assert b"this installation's seal" in ok.stdout
    changed = bytearray(stored)
    changed[100] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(changed))
    bad = cli(settings, "documents", "verify", str(tampered))
    assert bad.returncode == 1
    assert b"NOT INTACT" in bad.stdout
    junk = tmp_path / "junk.pdf"
    junk.write_text("not a pdf")
    for path, expected in ((junk, b"not a PDF"), (tmp_path / "missing.pdf", b"cannot read")):
        result = cli(settings, "documents", "verify", str(path))
        assert result.returncode == 1
        assert expected in result.stdout + result.stderr
        assert b"Traceback" not in result.stderr

    unknown = cli(settings, "documents", "get", "ПМ-1999-000001", "-o", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 1
    assert unknown.stderr.decode().strip().splitlines() == [
        "privet-tui: error: no contract or invoice is numbered 'ПМ-1999-000001'"
    ]
    assert not (tmp_path / "x.pdf").exists()
    store.put(row.signed_key, bytes(changed), "application/pdf")  # the store copy altered
    altered = cli(settings, "documents", "get", number, "-o", str(tmp_path / "y.pdf"))
    assert altered.returncode == 1
    assert b"does not match the SHA-256" in altered.stderr
    assert not (tmp_path / "y.pdf").exists()
    store.delete(row.signed_key)
    gone = cli(settings, "documents", "get", number, "-o", str(tmp_path / "z.pdf"))
    assert gone.returncode == 1
    assert b"missing from the store" in gone.stderr
    assert b"Traceback" not in gone.stderr


def test_documents_get_never_writes_binary_to_a_terminal(
    db: Database,
    master: Actor,
    store: LocalStore,
    settings: Settings,
    client_id: int,
    user_id: int,
    tmp_path: Path,
) -> None:
    _, invoice_number = processed(db, master, store, settings, client_id, user_id)
    leader, follower = pty.openpty()
    try:
        refused = cli(settings, "documents", "get", invoice_number, "-o", "-", stdout=follower)
        assert refused.returncode == 1
        assert b"terminal" in refused.stderr
        work = tmp_path / "cwd"
        work.mkdir()
        wrote = cli(settings, "documents", "get", invoice_number, stdout=follower, cwd=work)
        assert wrote.returncode == 0, wrote.stderr
        again = cli(settings, "documents", "get", invoice_number, stdout=follower, cwd=work)
    finally:
        os.close(follower)
        os.close(leader)
    assert verify_pdf((work / f"{invoice_number}.pdf").read_bytes()).intact
    assert again.returncode == 1
    assert b"already exists" in again.stderr


def test_seal_commands_and_doctor(settings: Settings) -> None:
    def doctor_seal_line() -> str:
        report = cli(settings, "doctor").stdout.decode()
        return next(line for line in report.splitlines() if line.split()[1:2] == ["seal"])

    assert doctor_seal_line().startswith("ok")
    shown = cli(settings, "seal", "show")
    assert shown.returncode == 0
    assert load_company_seal(settings).fingerprint.encode() in shown.stdout
    again = cli(settings, "seal", "init")
    assert again.returncode == 1
    assert b"--force" in again.stderr
    self_signed_paths(settings.data_dir).key.chmod(0o644)
    assert doctor_seal_line().startswith("FAIL")
    assert "chmod 600" in doctor_seal_line()
    unseal(settings)
    assert "seal init" in doctor_seal_line()
    made = cli(settings, "seal", "init")
    assert made.returncode == 0, made.stderr
    assert doctor_seal_line().startswith("ok")
