"""The one door the TUI and the CLI go through, and the one owner of transactions.

Services take a `Session` and never commit; `Gateway.call` opens one transaction per
action, tags it with this process's origin (so live updates can tell our own changes from
others'), runs the service and commits — or rolls back on a refusal, except a
`RecordedRefusal` (a wrong code, a failed login), whose record is committed before it is
raised. The named methods below are the screens' vocabulary: each is one `call` with the
gateway's own object store and settings filled in. Methods block: the TUI calls them from
thread workers only (the administration ones live in `gateway_admin`). `open_gateway(settings)`
is the one factory of the CLI, the TUI and the tests.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from privet_tui.config import Settings
from privet_tui.db.engine import Database, open_database
from privet_tui.errors import PrivetError
from privet_tui.pdf import faces
from privet_tui.pdf.seal import warm_up
from privet_tui.photos import prepare
from privet_tui.seal_files import load_company_seal
from privet_tui.services import accounts, audit, reports, support
from privet_tui.services.actor import Actor
from privet_tui.services.audit import AuditEntry
from privet_tui.services.channels import ORIGIN_KEY
from privet_tui.services.clients import claims
from privet_tui.services.clients.card import CardView, ClientCard, card_view, client_card
from privet_tui.services.clients.listing import ClientPage, ListCursor, Tab, list_clients
from privet_tui.services.gateway_admin import ClientAdministration
from privet_tui.services.gateway_login import LoginDoor
from privet_tui.services.gateway_phone import PhoneUploads
from privet_tui.services.gateway_photos import DevicePhotoEdits
from privet_tui.services.live import LiveFeed, Notice
from privet_tui.services.reports import PeriodReport
from privet_tui.services.steps import (
    contacts,
    contract,
    contract_signing,
    device_photos,
    devices,
    invoice,
    passport,
    payment,
    tariff,
)
from privet_tui.services.steps.device_photos import PhotoInfo, PhotoOutcome
from privet_tui.services.support import ChatMessage
from privet_tui.storage.factory import open_store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from privet_tui.pdf.seal import CompanySeal
    from privet_tui.services.rules.catalog import DeviceInput
    from privet_tui.services.rules.passport import PassportData, PassportInput
    from privet_tui.services.rules.pricing import Quote
    from privet_tui.services.rules.validation import ContactInput
    from privet_tui.services.steps.contract import ContractInfo, ContractState
    from privet_tui.services.steps.contract_signing import CodeSent, SignatureInfo
    from privet_tui.services.steps.devices import DeviceRemoved, DeviceRow, DeviceSaved
    from privet_tui.services.steps.invoice import InvoiceInfo
    from privet_tui.services.steps.passport import PassportSaved
    from privet_tui.services.steps.payment import PaymentInfo, PaymentInput
    from privet_tui.services.steps.tariff import TariffRow
    from privet_tui.storage.base import ObjectStore

__all__ = ["PAGE_SIZE", "Gateway", "open_gateway"]

P = ParamSpec("P")
T = TypeVar("T")

#: Rows fetched per page of the client list: enough to fill a tall terminal a few times,
#: few enough that DataTable measures them in a few milliseconds.
PAGE_SIZE = 150


class Gateway(LoginDoor, ClientAdministration, DevicePhotoEdits, PhoneUploads):
    """Database + object store of one process, exposed as one method per screen action."""

    def __init__(
        self,
        settings: Settings,
        *,
        database: Database | None = None,
        store: ObjectStore | None = None,
    ) -> None:
        self.settings = settings
        self._database = database
        self._owns_database = database is None
        self._store = store
        self._lock = threading.Lock()
        #: Tags this process's NOTIFYs, so its own screens can skip what they caused.
        self.origin = f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self.policy = accounts.LoginPolicy(
            max_failures=settings.login_max_failures,
            lockout=timedelta(minutes=settings.login_lockout_minutes),
            zone=settings.zone,
        )

    # --- plumbing -------------------------------------------------------------------------

    def today(self) -> date:
        """The business day now (`TIME_ZONE`), never the host's."""
        return datetime.now(self.settings.zone).date()

    @property
    def db(self) -> Database:
        """The database, opened (and pinged) on first use; thread-safe."""
        with self._lock:
            if self._database is None:
                self._database = open_database(self.settings)
            return self._database

    @property
    def store(self) -> ObjectStore:
        """The object store the settings ask for, opened on first use."""
        with self._lock:
            if self._store is None:
                self._store = open_store(self.settings)
            return self._store

    def connect(self) -> None:
        """Open the database now and make the login's dummy hash (the app warms up after
        its first paint, while the master types)."""
        _ = self.db
        self.prepare_login()

    def live_feed(
        self, on_notice: Callable[[Notice], object], on_status: Callable[[bool], object]
    ) -> LiveFeed:
        """Live updates for this process: run `feed.run()` in a thread, `feed.stop()` to end.

        The feed polls through this gateway's own pool: no connection of its own."""
        return LiveFeed(lambda: self.db, on_notice, on_status, origin=self.origin)

    def close(self) -> None:
        """Close the pool when this gateway opened it."""
        with self._lock:
            if self._database is not None and self._owns_database:
                self._database.dispose()
                self._database = None

    def call(
        self,
        operation: Callable[Concatenate[Session, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run `operation(session, *args, **kwargs)` in one transaction of its own and commit."""
        with self.db.transaction() as session:
            session.info[ORIGIN_KEY] = self.origin
            return operation(session, *args, **kwargs)

    def read(
        self,
        operation: Callable[Concatenate[Session, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """Run a read-only `operation(session, …)`; nothing it does is committed."""
        with self.db.reading() as session:
            return operation(session, *args, **kwargs)

    # --- client list and card -------------------------------------------------------------

    def list_clients(
        self,
        actor: Actor,
        tab: Tab,
        *,
        search: str = "",
        after: ListCursor | None = None,
        limit: int = PAGE_SIZE,
    ) -> ClientPage:
        """One keyset page of a tab of the client list."""
        return self.call(list_clients, actor, tab, search=search, after=after, limit=limit)

    def client_card(self, actor: Actor, user_id: int) -> ClientCard:
        """Everything the card shows about one person (steps, contacts, masked passport)."""
        return self.call(client_card, actor, user_id, today=self.today())

    def client_card_by_id(self, actor: Actor, client_id: int) -> ClientCard:
        """The card of a claimed client by its `master_clients.id` (what step screens hold)."""
        return self.call(client_card, actor, client_id=client_id, today=self.today())

    def claim_client(self, actor: Actor, user_id: int) -> ClientCard:
        """Take the person into work (a no-op when already mine) and return the fresh card;
        ConflictError names the master who was first."""
        return self.call(claims.claim_client, actor, user_id, today=self.today())

    def card_view(self, actor: Actor, user_id: int) -> CardView:
        """The card, its audit log and the whole conversation, read in one transaction."""
        return self.call(card_view, actor, user_id, self.today())

    def client_log(self, client_id: int, *, limit: int = 200) -> list[AuditEntry]:
        """The newest entries of a client's audit log, oldest first."""
        return self.call(audit.client_log, client_id, limit=limit)

    # --- support chat ---------------------------------------------------------------------

    def conversation(self, user_id: int, *, after_id: int | None = None) -> list[ChatMessage]:
        """The client's ticket conversation (client replies included), oldest first."""
        return self.call(support.conversation, user_id, after_id=after_id)

    def post_support_reply(self, actor: Actor, user_id: int, body: str) -> int:
        """Send a chat message to the client; returns the new message id."""
        return self.call(support.post_support_reply, actor, user_id, body)

    # --- steps 1-4 ------------------------------------------------------------------------

    def save_contacts(self, actor: Actor, client_id: int, version: int, form: ContactInput) -> int:
        """Step 1: store the contacts; returns the client's new version."""
        return self.call(contacts.save_contacts, actor, client_id, version, form)

    def save_passport(
        self, actor: Actor, client_id: int, version: int, form: PassportInput
    ) -> PassportSaved:
        """Step 2: store the passport (FieldErrors names every wrong field)."""
        return self.call(
            passport.save_passport, actor, client_id, version, form, today=self.today()
        )

    def reveal_passport(self, actor: Actor, client_id: int) -> PassportData:
        """Step 2: the full passport, the view recorded in the audit log."""
        return self.call(passport.reveal_passport, actor, client_id)

    def list_devices(self, actor: Actor, client_id: int) -> list[DeviceRow]:
        """Step 3: the client's devices with their photo counts."""
        return self.call(devices.list_devices, actor, client_id)

    def add_device(
        self, actor: Actor, client_id: int, version: int, device: DeviceInput
    ) -> DeviceSaved:
        """Step 3: register a device."""
        return self.call(devices.add_device, actor, client_id, version, device)

    def update_device(
        self, actor: Actor, client_id: int, version: int, device_id: int, device: DeviceInput
    ) -> int:
        """Step 3: change a device; returns the client's new version."""
        return self.call(devices.update_device, actor, client_id, version, device_id, device)

    def remove_device(
        self, actor: Actor, client_id: int, version: int, device_id: int
    ) -> DeviceRemoved:
        """Step 3: delete a device and its photo rows."""
        return self.call(devices.remove_device, actor, client_id, version, device_id)

    def list_photos(self, device_id: int) -> list[PhotoInfo]:
        """Step 3: the photos of a device, oldest first."""
        return self.call(device_photos.list_photos, device_id)

    def photo_bytes(self, photo_id: int) -> bytes:
        """Step 3: a stored photo's JPEG (for the preview)."""
        return self.call(device_photos.photo_bytes, self.store, photo_id)

    def attach_photos(
        self,
        actor: Actor | None,
        client_id: int,
        device_id: int,
        paths: Sequence[str | os.PathLike[str]],
        on_progress: Callable[[int, int, PhotoOutcome], None] | None = None,
    ) -> list[PhotoOutcome]:
        """Step 3: prepare, upload and record each file, one transaction per file, so one bad
        file stops nothing; `actor` None is an operator's batch from the CLI."""
        sources = [Path(p) for p in paths]
        outcomes: list[PhotoOutcome] = []
        for done, source in enumerate(sources, start=1):
            try:
                prepared = prepare(source)
                photo = self.call(
                    device_photos.attach_photo,
                    self.store,
                    actor,
                    client_id,
                    device_id,
                    prepared,
                    source.name,
                )
                outcome = PhotoOutcome(source, photo, None)
            except PrivetError as exc:
                outcome = PhotoOutcome(source, None, exc.message)
            outcomes.append(outcome)
            if on_progress is not None:
                on_progress(done, len(sources), outcome)
        return outcomes

    def list_tariffs(self) -> list[TariffRow]:
        """Step 4: the active tariff plans."""
        return self.call(tariff.list_tariffs)

    def quote(self, actor: Actor, client_id: int, tariff_id: int) -> Quote:
        """Step 4: what the plan would cost for the client's devices (nothing written)."""
        return self.call(tariff.quote_for_client, actor, client_id, tariff_id)

    def apply_tariff(self, actor: Actor, client_id: int, version: int, tariff_id: int) -> Quote:
        """Step 4: fix the plan's calculation for the client."""
        return self.call(tariff.apply_tariff, actor, client_id, version, tariff_id)

    # --- steps 5-7 ------------------------------------------------------------------------

    def generate_contract(self, actor: Actor, client_id: int, version: int) -> ContractInfo:
        """Step 5: number, snapshot, draft PDF, and the code sent into the client's chat."""
        return self.call(
            contract.generate_contract, actor, self.store, self.settings, client_id, version
        )

    def contract_state(self, actor: Actor, client_id: int) -> ContractState | None:
        """Step 5: the latest contract with its code's countdowns and PDF links."""
        return self.call(contract.contract_state, actor, client_id, store=self.store)

    def resend_code(self, actor: Actor, client_id: int) -> CodeSent:
        """Step 5: a new code for the unsigned contract (the old one stops working)."""
        return self.call(
            contract_signing.resend_code, actor, self.settings, client_id, store=self.store
        )

    def confirm_signature(self, actor: Actor, client_id: int, code: str) -> SignatureInfo:
        """Step 5: sign with the client's code; a wrong try is committed before CodeRejected.
        Without a usable company seal, SealError before the code is even tried."""
        seal = self.company_seal()
        return self.call(
            contract_signing.confirm_signature,
            actor,
            self.store,
            self.settings,
            client_id,
            code,
            seal=seal,
        )

    def confirm_payment(
        self, actor: Actor, client_id: int, version: int, form: PaymentInput
    ) -> PaymentInfo:
        """Step 6: record the payment and tell the client it was received."""
        return self.call(payment.confirm_payment, actor, self.settings, client_id, version, form)

    def invoice_for_client(self, actor: Actor, client_id: int) -> InvoiceInfo | None:
        """Step 7 again: the invoice already issued, if any."""
        del actor  # any master may look
        return self.read(invoice.invoice_for_client, self.store, client_id)

    def issue_invoice(self, actor: Actor, client_id: int, version: int) -> InvoiceInfo:
        """Step 7: the sealed invoice PDF and its message to the client; closes the case."""
        seal = self.company_seal()
        return self.call(
            invoice.issue_invoice, actor, self.store, self.settings, client_id, version, seal=seal
        )

    def period_report(self, actor: Actor, start: date, end: date) -> PeriodReport:
        """The report screen: `start`…`end` in the business zone, as `actor` may see it."""
        return self.read(reports.report_for, actor, start, end, self.settings.zone)

    def company_seal(self) -> CompanySeal:
        """The seal that signs contracts and invoices, read from its files (parsed once per
        content, so a new seal is picked up without a restart); SealError when unusable."""
        return load_company_seal(self.settings)

    def prepare_seal(self) -> None:
        """Load the document fonts, the seal and the signing code ahead of a signature
        (SealError when the seal is unusable)."""
        faces.warm_up()
        self.company_seal()
        warm_up()


def open_gateway(
    settings: Settings,
    *,
    database: Database | None = None,
    store: ObjectStore | None = None,
) -> Gateway:
    """The gateway of one process — the TUI's, a CLI command's or a test's."""
    return Gateway(settings, database=database, store=store)
