"""The one door the TUI goes through: plain methods over the services, one transaction each.

Screens never see a Session. `Gateway` owns the Database and the object store of one app
process; every method opens its own transaction, calls a service and returns plain
dataclasses (or raises a `PrivetError` fit to show). Methods are blocking: the TUI calls
them from thread workers only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from privet_tui.config import Settings
from privet_tui.db.engine import Database, open_database
from privet_tui.errors import AuthError
from privet_tui.services import accounts, audit, clients, support
from privet_tui.services.actor import Actor
from privet_tui.services.audit import AuditEntry
from privet_tui.services.clients import ClientCard, ClientPage, ListCursor, Tab
from privet_tui.services.support import ChatMessage

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from privet_tui.services.contacts import ContactsInput
    from privet_tui.services.contracts import CodeSent, ContractInfo, ContractState, SignatureInfo
    from privet_tui.services.devices import DeviceInput, DeviceRemoved, DeviceRow, DeviceSaved
    from privet_tui.services.invoices import InvoiceInfo
    from privet_tui.services.passports import PassportData, PassportInput, PassportSaved
    from privet_tui.services.payments import PaymentInfo, PaymentInput
    from privet_tui.services.photos import PhotoInfo, PhotoOutcome
    from privet_tui.services.pricing import Quote
    from privet_tui.services.tariffs import TariffRow
    from privet_tui.storage import ObjectStore

__all__ = ["PAGE_SIZE", "CardView", "Gateway", "ListCursor", "Tab"]

#: Rows fetched per page of the client list: enough to fill a tall terminal a few times,
#: few enough that DataTable measures them in a few milliseconds.
PAGE_SIZE = 150


@dataclass(frozen=True)
class CardView:
    """What the card screen shows when it opens: the card, its log, its conversation."""

    card: ClientCard
    log: list[AuditEntry]
    messages: list[ChatMessage]


class Gateway:
    """Database + object store of one app process, exposed as one method per screen action."""

    def __init__(self, settings: Settings, *, database: Database | None = None) -> None:
        self.settings = settings
        self._database = database
        self._owns_database = database is None
        self._store: ObjectStore | None = None
        self._lock = threading.Lock()
        self.policy = accounts.LoginPolicy(
            max_failures=settings.login_max_failures,
            lockout=timedelta(minutes=settings.login_lockout_minutes),
        )

    # --- plumbing -------------------------------------------------------------------------

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
                from privet_tui.services.stores import open_store

                self._store = open_store(self.settings)
            return self._store

    def connect(self) -> None:
        """Open the database now (the app warms up after its first paint)."""
        _ = self.db

    def notification_dsn(self) -> str:
        """A libpq URL for the LISTEN connection of the live updates (password included)."""
        url = self.db.engine.url.set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def close(self) -> None:
        """Close the pool when this gateway opened it."""
        with self._lock:
            if self._database is not None and self._owns_database:
                self._database.dispose()
                self._database = None

    # --- accounts -------------------------------------------------------------------------

    def login(self, email: str, password: str) -> Actor:
        """Check email + password under the configured lockout policy; AuthError on failure."""
        return accounts.authenticate(self.db, email, password, policy=self.policy)

    def verify_password(self, actor: Actor, password: str) -> Actor:
        """Re-check the logged-in master's password (idle lock, session expiry)."""
        again = accounts.authenticate(self.db, actor.email, password, policy=self.policy)
        if again.id != actor.id:
            raise AuthError("Войдите под своей учётной записью")
        return again

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
        with self.db.transaction() as session:
            return clients.list_clients(
                session, actor, tab, search=search, after=after, limit=limit
            )

    def client_card(self, actor: Actor, user_id: int) -> ClientCard:
        """Everything the card shows about one person (steps, contacts, masked passport)."""
        with self.db.transaction() as session:
            return clients.client_card(session, actor, user_id)

    def claim_client(self, actor: Actor, user_id: int) -> ClientCard:
        """Take the person into work (a no-op when already mine) and return the fresh card;
        ConflictError names the master who was first."""
        with self.db.transaction() as session:
            return clients.claim_client(session, actor, user_id)

    def card_view(self, actor: Actor, user_id: int) -> CardView:
        """The card, its audit log and the whole conversation, read in one transaction."""
        with self.db.transaction() as session:
            card = clients.client_card(session, actor, user_id)
            log = audit.client_log(session, card.client_id) if card.client_id is not None else []
            messages = support.conversation(session, user_id)
        return CardView(card, log, messages)

    def client_log(self, client_id: int, *, limit: int = 200) -> list[AuditEntry]:
        """The newest entries of a client's audit log, oldest first."""
        with self.db.transaction() as session:
            return audit.client_log(session, client_id, limit=limit)

    # --- support chat ---------------------------------------------------------------------

    def conversation(self, user_id: int, *, after_id: int | None = None) -> list[ChatMessage]:
        """The client's ticket conversation (client replies included), oldest first."""
        with self.db.transaction() as session:
            return support.conversation(session, user_id, after_id=after_id)

    def post_support_reply(self, actor: Actor, user_id: int, body: str) -> int:
        """Send a chat message to the client; returns the new message id."""
        with self.db.transaction() as session:
            return support.post_support_reply(session, actor, user_id, body)

    # --- steps (step screens) -------------------------------------------------------------
    # Methods for the step screens (1-7) go below this line.

    def client_card_by_id(self, actor: Actor, client_id: int) -> ClientCard:
        """The card of a claimed client by its `master_clients.id` (what step screens hold)."""
        with self.db.transaction() as session:
            return clients.client_card(session, actor, client_id=client_id)

    def save_contacts(self, actor: Actor, client_id: int, version: int, form: ContactsInput) -> int:
        """Step 1: store the contacts; returns the client's new version."""
        from privet_tui.services import contacts

        with self.db.transaction() as session:
            return contacts.save_contacts(session, actor, client_id, version, form)

    def save_passport(
        self, actor: Actor, client_id: int, version: int, form: PassportInput
    ) -> PassportSaved:
        """Step 2: store the passport (FieldErrors names every wrong field)."""
        from privet_tui.services import passports

        with self.db.transaction() as session:
            return passports.save_passport(session, actor, client_id, version, form)

    def reveal_passport(self, actor: Actor, client_id: int) -> PassportData:
        """Step 2: the full passport, the view recorded in the audit log."""
        from privet_tui.services import passports

        with self.db.transaction() as session:
            return passports.reveal_passport(session, actor, client_id)

    def list_devices(self, actor: Actor, client_id: int) -> list[DeviceRow]:
        """Step 3: the client's devices with their photo counts."""
        from privet_tui.services import devices

        with self.db.transaction() as session:
            return devices.list_devices(session, actor, client_id)

    def add_device(
        self, actor: Actor, client_id: int, version: int, device: DeviceInput
    ) -> DeviceSaved:
        """Step 3: register a device."""
        from privet_tui.services import devices

        with self.db.transaction() as session:
            return devices.add_device(session, actor, client_id, version, device)

    def update_device(
        self, actor: Actor, client_id: int, version: int, device_id: int, device: DeviceInput
    ) -> int:
        """Step 3: change a device; returns the client's new version."""
        from privet_tui.services import devices

        with self.db.transaction() as session:
            return devices.update_device(session, actor, client_id, version, device_id, device)

    def remove_device(
        self, actor: Actor, client_id: int, version: int, device_id: int
    ) -> DeviceRemoved:
        """Step 3: delete a device and its photo rows."""
        from privet_tui.services import devices

        with self.db.transaction() as session:
            return devices.remove_device(session, actor, client_id, version, device_id)

    def list_photos(self, device_id: int) -> list[PhotoInfo]:
        """Step 3: the photos of a device, oldest first."""
        from privet_tui.services import photos

        with self.db.transaction() as session:
            return photos.list_photos(session, device_id)

    def photo_bytes(self, photo_id: int) -> bytes:
        """Step 3: a stored photo's JPEG (for the preview)."""
        from privet_tui.services import photos

        with self.db.transaction() as session:
            return photos.photo_bytes(session, self.store, photo_id)

    def attach_photos(
        self,
        actor: Actor,
        client_id: int,
        device_id: int,
        paths: Sequence[Path],
        on_progress: Callable[[int, int, PhotoOutcome], None] | None = None,
    ) -> list[PhotoOutcome]:
        """Step 3: prepare, upload and record each file (one transaction per file)."""
        from privet_tui.services import photos

        return photos.attach_files(
            self.db, self.store, actor, client_id, device_id, paths, on_progress=on_progress
        )

    def list_tariffs(self) -> list[TariffRow]:
        """Step 4: the active tariff plans."""
        from privet_tui.services import tariffs

        with self.db.transaction() as session:
            return tariffs.list_tariffs(session)

    def quote(self, actor: Actor, client_id: int, tariff_id: int) -> Quote:
        """Step 4: what the plan would cost for the client's devices (nothing written)."""
        from privet_tui.services import tariffs

        with self.db.transaction() as session:
            return tariffs.quote_for_client(session, actor, client_id, tariff_id)

    def apply_tariff(self, actor: Actor, client_id: int, version: int, tariff_id: int) -> Quote:
        """Step 4: fix the plan's calculation for the client."""
        from privet_tui.services import tariffs

        with self.db.transaction() as session:
            return tariffs.apply_tariff(session, actor, client_id, version, tariff_id)

    def generate_contract(self, actor: Actor, client_id: int, version: int) -> ContractInfo:
        """Step 5: number, snapshot, draft PDF, and the code sent into the client's chat."""
        from privet_tui.services import contracts

        with self.db.transaction() as session:
            return contracts.generate_contract(
                session, actor, self.store, self.settings, client_id, version
            )

    def contract_state(self, actor: Actor, client_id: int) -> ContractState | None:
        """Step 5: the latest contract with its code's countdowns and PDF links."""
        from privet_tui.services import contracts

        with self.db.transaction() as session:
            return contracts.contract_state(session, actor, client_id, store=self.store)

    def resend_code(self, actor: Actor, client_id: int) -> CodeSent:
        """Step 5: a new code for the unsigned contract (the old one stops working)."""
        from privet_tui.services import contracts

        with self.db.transaction() as session:
            return contracts.resend_code(session, actor, self.settings, client_id, store=self.store)

    def confirm_signature(self, actor: Actor, client_id: int, code: str) -> SignatureInfo:
        """Step 5: sign with the client's code; a wrong try is committed before CodeRejected."""
        from privet_tui.services import contracts

        with self.db.transaction() as session:
            return contracts.confirm_signature(
                session, actor, self.store, self.settings, client_id, code
            )

    def confirm_payment(
        self, actor: Actor, client_id: int, version: int, payment: PaymentInput
    ) -> PaymentInfo:
        """Step 6: record the payment and tell the client it was received."""
        from privet_tui.services import payments

        with self.db.transaction() as session:
            return payments.confirm_payment(
                session, actor, self.settings, client_id, version, payment
            )

    def invoice_for_client(self, actor: Actor, client_id: int) -> InvoiceInfo | None:
        """Step 7 again: the invoice already issued, if any."""
        from privet_tui.services import invoices

        with self.db.reading() as session:
            return invoices.invoice_for_client(session, self.store, client_id)

    def issue_invoice(self, actor: Actor, client_id: int, version: int) -> InvoiceInfo:
        """Step 7: the invoice PDF and its message to the client; closes the case."""
        from privet_tui.services import invoices

        with self.db.transaction() as session:
            return invoices.issue_invoice(
                session, actor, self.store, self.settings, client_id, version
            )
