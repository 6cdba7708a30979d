"""The phases of the many-masters load (see `load`): every terminal runs one of these at once.
Two terminals of a master meet at their pair's barrier, so that their saves really race; a
refused save (conflict) is counted, never an error."""

from __future__ import annotations

import functools
import random
import threading
from collections.abc import Callable
from typing import Any

from privet_tui.config import Settings
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps import contract_signing
from tests.conftest import log_in
from tests.faults.load import PASSWORD, WRONG_PASSWORD, Load, Tally, Terminal, attempt
from tests.faults.state import client_version, latest_code, total_due, user_of
from tests.faults.workflow import CONTACTS, PASSPORT


def phase_logins(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Every terminal logs in; then all of them guess the first master's password at once."""
    from privet_tui.errors import AuthError

    actor = log_in(terminal.db, terminal.master.email, PASSWORD)
    assert actor.id == terminal.master.id
    tally.ok += 1
    victim = load.terminals[0].master
    # Everyone has logged in before anyone guesses, so the guessing starts together and no
    # five quick guesses lock the victim out of its own first login.
    load.everyone.wait()
    try:
        log_in(terminal.db, victim.email, WRONG_PASSWORD)
    except AuthError as exc:
        tally.refused += 1
        tally.events.append(("guess", exc.message))
    else:
        raise AssertionError("a wrong password was accepted")


def phase_claims(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Claim the hot users (every terminal of every master wants them); terminal A also
    claims this master's wishlist (each of those users is on two masters' lists)."""
    from privet_tui.services.clients import claims as clients

    wanted = list(load.hot_users)
    if terminal.name == "A":
        wanted += load.wishlists[terminal.master.id]
    random.Random(f"{terminal.master.id}{terminal.name}").shuffle(wanted)
    for user_id in wanted:
        won, card = attempt(terminal, tally, clients.claim_client, terminal.master, user_id)
        if won:
            assert card.master_id == terminal.master.id
            tally.events.append(("won", user_id, terminal.master.id))
        else:
            tally.events.append(("lost", user_id, terminal.master.id))


def _contacts(terminal: Terminal) -> ContactInput:
    return ContactInput(
        CONTACTS.full_name,
        CONTACTS.phone,
        CONTACTS.email,
        f"г. Москва, ул. Терминальная, д. {terminal.name}",
    )


def _race(
    terminal: Terminal,
    tally: Tally,
    pair: threading.Barrier,
    kind: str,
    client_id: int,
    action: Callable[[Any, int, int], Any],
) -> None:
    """Both terminals read the version, meet, and do `action` at once: one may win, and the
    winner records `(kind, client_id, terminal, version read, what the action returned)`."""
    version = client_version(terminal.db, client_id)
    pair.wait()
    done, result = attempt(terminal, tally, action, client_id, version)
    if done:
        tally.events.append((kind, client_id, terminal.name, version, result))


def phase_contacts(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Both terminals of a master save different contacts on the same version at once."""
    from privet_tui.services.steps import contacts

    me, pair, typed = terminal.master, load.pair[terminal.master.id], _contacts(terminal)
    for client_id in load.owned[me.id]:
        _race(
            terminal,
            tally,
            pair,
            "saved",
            client_id,
            lambda s, c, v: contacts.save_contacts(s, me, c, v, typed),
        )


def phase_devices(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Both terminals add a device to every client, re-reading the version on a conflict."""
    from privet_tui.services.steps import devices

    for client_id in load.owned[terminal.master.id]:
        device = DeviceInput("tv", f"Brand{terminal.name}", "X1", f"SN-{terminal.name}")
        for _ in range(50):
            version = client_version(terminal.db, client_id)
            added, _ = attempt(
                terminal, tally, devices.add_device, terminal.master, client_id, version, device
            )
            if added:
                break
        else:
            raise AssertionError(f"client {client_id}: device never saved in 50 tries")


def phase_flow(load: Load, terminal: Terminal, tally: Tally) -> None:
    """Steps 2, 4 by terminal A; contract, payment and invoice raced by both; A signs."""
    from privet_tui.services.steps import contract as contracts
    from privet_tui.services.steps import invoice as invoices
    from privet_tui.services.steps import passport as passports
    from privet_tui.services.steps import payment as payments
    from privet_tui.services.steps import tariff as tariffs

    me, pair = terminal.master, load.pair[terminal.master.id]
    store, settings = load.store, load.settings
    for client_id in load.owned[me.id][: load.flows_per_master]:
        if terminal.name == "A":
            version = client_version(terminal.db, client_id)
            with terminal.db.transaction() as session:
                passports.save_passport(session, me, client_id, version, PASSPORT)
            version = client_version(terminal.db, client_id)
            with terminal.db.transaction() as session:
                tariffs.apply_tariff(session, me, client_id, version, load.tariff_id)
            tally.ok += 2
        pair.wait()
        _race(
            terminal,
            tally,
            pair,
            "contract",
            client_id,
            lambda s, c, v: contracts.generate_contract(s, me, store, settings, c, v),
        )
        pair.wait()
        if terminal.name == "A":
            code = latest_code(terminal.db, user_of(terminal.db, client_id))
            with terminal.db.transaction() as session:
                contract_signing.confirm_signature(session, me, store, settings, client_id, code)
            tally.ok += 1
        pair.wait()
        due = total_due(terminal.db, client_id)
        payment = payments.PaymentInput(method="card", amount=due, receipt=terminal.name)
        _race(
            terminal,
            tally,
            pair,
            "paid",
            client_id,
            functools.partial(_pay, me=me, settings=settings, payment=payment),
        )
        pair.wait()
        _race(
            terminal,
            tally,
            pair,
            "invoice",
            client_id,
            lambda s, c, v: invoices.issue_invoice(s, me, store, settings, c, v),
        )
        pair.wait()


def _pay(
    session: Any,
    client_id: int,
    version: int,
    *,
    me: Actor,
    settings: Settings,
    payment: Any,
) -> Any:
    from privet_tui.services.steps import payment as payments

    return payments.confirm_payment(session, me, settings, client_id, version, payment)
