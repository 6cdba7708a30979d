"""The object store down (moto's S3 HTTP server stopped, or an endpoint where nothing
listens): the photo, contract, signature and invoice steps fail with a StorageError a master
can read, the database is exactly as before, and the same action succeeds once S3 is back."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.billing import MasterContract, MasterInvoice
from privet_tui.db.models.clients import MasterDevice
from privet_tui.errors import StorageError
from privet_tui.photos import prepare
from privet_tui.services.actor import Actor
from privet_tui.services.steps import contract as contracts
from privet_tui.services.steps import contract_signing
from privet_tui.services.steps import device_photos as photos
from privet_tui.services.steps import invoice as invoices
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store
from tests.conftest import attach_files
from tests.faults.figures import Figures
from tests.faults.servers import MotoStarter, free_port
from tests.faults.state import client_state, latest_code, object_keys, sha256, snapshot
from tests.faults.workflow import add_people, drive

pytestmark = pytest.mark.faults

ACCESS, SECRET = "faults-access", "faults-secret-key"


def _s3(endpoint: str, bucket: str) -> S3Store:
    return S3Store(endpoint, ACCESS, SECRET, bucket)


def _device_id(db: Database, client_id: int) -> int:
    with db.reading() as session:
        return session.scalars(
            select(MasterDevice.id).where(MasterDevice.client_id == client_id)
        ).one()


def _refused(action: Any) -> tuple[StorageError, float]:
    """Run `action`, expecting a StorageError; return it and how long the failure took."""
    started = time.perf_counter()
    with pytest.raises(StorageError) as caught:
        action()
    return caught.value, time.perf_counter() - started


def test_photo_and_contract_fail_cleanly_then_succeed_when_s3_is_back(
    db: Database,
    settings: Settings,
    master: Actor,
    photo_file: Path,
    moto_starter: MotoStarter,
    bucket: str,
    figures: Figures,
) -> None:
    server, endpoint = moto_starter(0)
    port = int(endpoint.rsplit(":", 1)[1])
    store = _s3(endpoint, bucket)
    store.check()  # the app worked with this store (bucket made) before S3 went away
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "tariff")
    device_id = _device_id(db, client_id)
    prepared = prepare(photo_file)

    server.stop()
    before = snapshot(db)
    state = client_state(db, client_id)

    def attach() -> None:
        with db.transaction() as session:
            photos.attach_photo(session, store, master, client_id, device_id, prepared)

    def generate() -> None:
        with db.transaction() as session:
            contracts.generate_contract(session, master, store, settings, client_id, state.version)

    photo_error, photo_took = _refused(attach)
    contract_error, contract_took = _refused(generate)
    for error in (photo_error, contract_error):
        assert endpoint in error.message
        assert "недоступно" in error.message or "не отвечает" in error.message
        assert SECRET not in error.message
    # The batch path the TUI uses turns it into a per-file message, not an exception.
    (outcome,) = attach_files(db, store, master, client_id, device_id, [photo_file])
    assert outcome.photo is None
    assert outcome.error == photo_error.message
    figures("S3 down: photo step fails after", f"{photo_took:.2f} s")
    figures("S3 down: contract step fails after", f"{contract_took:.2f} s")

    assert snapshot(db) == before  # no photo row, no contract, no message, no audit event
    assert client_state(db, client_id) == state

    moto_starter(port)  # S3 is back on the same address (moto keeps the bucket)
    attach()
    with db.transaction() as session:
        info = contracts.generate_contract(
            session, master, store, settings, client_id, state.version
        )
    assert sha256(store.get(info.draft_key)) == info.draft_sha256
    assert client_state(db, client_id).status == "awaiting_signature"
    assert len(object_keys(store)) == 2  # the photo and the draft: nothing else, nothing less


def test_signature_and_invoice_wait_for_the_store_without_burning_the_code(
    db: Database,
    settings: Settings,
    master: Actor,
    moto_starter: MotoStarter,
    bucket: str,
) -> None:
    """Signing with S3 down neither signs nor counts a try: the same code works afterwards."""
    server, endpoint = moto_starter(0)
    port = int(endpoint.rsplit(":", 1)[1])
    store = _s3(endpoint, bucket)
    (user_id,) = add_people(db, 1)
    client_id = drive(db, store, settings, master, user_id, "contract")
    code = latest_code(db, user_id)

    server.stop()
    before = snapshot(db)

    def confirm() -> contract_signing.SignatureInfo:
        with db.transaction() as session:
            return contract_signing.confirm_signature(
                session, master, store, settings, client_id, code
            )

    _refused(confirm)
    assert snapshot(db) == before
    with db.reading() as session:
        contract = session.scalars(
            select(MasterContract).where(MasterContract.client_id == client_id)
        ).one()
        assert (contract.status, contract.otp_attempts, contract.signed_at) == (
            "awaiting_signature",
            0,
            None,
        )

    server, _ = moto_starter(port)
    signed = confirm()
    assert sha256(store.get(signed.signed_key)) == signed.signed_sha256
    drive(db, store, settings, master, user_id, "paid", start="signed")

    server.stop()
    before = snapshot(db)
    version = client_state(db, client_id).version

    def invoice() -> invoices.InvoiceInfo:
        with db.transaction() as session:
            return invoices.issue_invoice(session, master, store, settings, client_id, version)

    _refused(invoice)
    assert snapshot(db) == before
    moto_starter(port)
    issued = invoice()
    assert sha256(store.get(issued.pdf_key)) == issued.pdf_sha256
    with db.reading() as session:
        assert session.scalars(select(MasterInvoice.number)).all() == [issued.number]
    assert client_state(db, client_id).status == "processed"


def test_unreachable_endpoint_fails_fast_and_a_local_store_takes_over(
    db: Database, settings: Settings, master: Actor, photo_file: Path, tmp_path: Path
) -> None:
    """A store that was never there (a closed port) refuses the upload; nothing is written,
    and the same step against a working store (the local one) then succeeds."""
    dead = _s3(f"http://127.0.0.1:{free_port()}", "faults-never-there")
    (user_id,) = add_people(db, 1)
    client_id = drive(db, dead, settings, master, user_id, "tariff")
    device_id = _device_id(db, client_id)
    prepared = prepare(photo_file)
    before = snapshot(db)

    def attach(store: Any) -> photos.PhotoInfo:
        with db.transaction() as session:
            return photos.attach_photo(session, store, master, client_id, device_id, prepared)

    error, took = _refused(lambda: attach(dead))
    assert "127.0.0.1" in error.message
    assert took < 10  # bounded retries: the master is not left waiting
    assert snapshot(db) == before
    local = LocalStore(tmp_path / "objects")
    info = attach(local)
    assert local.exists(info.key)
