"""One simulated master of `bench_scale.py`: a gateway with the app's connection budget, its
live feed (counting losses, doubles and delays) and the whole onboarding with think times."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from privet_tui.config import Settings
from privet_tui.services.actor import Actor

# --- PDF work stays on the workstation: real for a few sessions, pre-rendered for the rest --

_REAL_PDF = threading.local()
#: client id → wall-clock times its steps committed (this process's sessions): a notice's
#: delay is measured from the commit of the step that made it, not from its transaction's start.
COMMITS: dict[int, list[float]] = {}


def patch_pdf_rendering() -> None:
    from privet_tui.services.steps import contract, contract_signing, invoice

    cache: dict[str, bytes] = {}

    def keep(name: str, real: Callable[..., bytes]) -> Callable[..., bytes]:
        def render(*args: Any, **kwargs: Any) -> bytes:
            if getattr(_REAL_PDF, "on", False) or name not in cache:
                cache[name] = real(*args, **kwargs)
            return cache[name]

        return render

    contract.render_contract = keep("contract", contract.render_contract)  # type: ignore[assignment]
    contract_signing.render_contract = keep("signed", contract_signing.render_contract)  # type: ignore[assignment]
    contract_signing.seal_pdf = keep("seal", contract_signing.seal_pdf)  # type: ignore[assignment]
    invoice.render_invoice = keep("invoice", invoice.render_invoice)  # type: ignore[assignment]
    invoice.seal_pdf = keep("invoice seal", invoice.seal_pdf)  # type: ignore[assignment]


# --- one master --------------------------------------------------------------------------


class Session:
    """One master: a gateway with the app's budget, its live feed, its onboarding."""

    def __init__(self, settings: Settings, actor: Actor, user_id: int, real_pdf: bool) -> None:
        from privet_tui.services.gateway import open_gateway

        self.door = open_gateway(settings)
        self.actor, self.user_id, self.real_pdf = actor, user_id, real_pdf
        self.times: dict[str, list[float]] = {}
        self.delays: Counter[int] = Counter()
        #: The feed's position when the run started (set once every feed polled once).
        self.first: int | None = None
        self.seen = bytearray()
        self.doubled = 0
        self.errors: list[str] = []
        self.feed = self.door.live_feed(lambda notice: None, lambda connected: None)
        self.feed.observer = self._observe

    def _observe(self, event_id: int, created_at: datetime, payload: dict[str, Any]) -> None:
        arrived = time.time()
        offset = event_id - (self.first or 0)
        if offset >= len(self.seen):
            self.seen.extend(b"\0" * (offset - len(self.seen) + 4096))
        if offset >= 0:
            self.doubled += self.seen[offset]
            self.seen[offset] = 1
        commits = COMMITS.get(payload.get("client_id", -1))
        if commits is not None:  # a change of this process's sessions: its commit is known
            began = created_at.timestamp()
            committed = next((t for t in commits if t >= began), arrived)
            self.delays[max(0, int((arrived - committed) * 100))] += 1

    def timed(self, name: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        result = action()
        self.times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        client_id = getattr(result, "client_id", None) or getattr(self, "client_id", None)
        if client_id is not None:
            self.client_id = client_id
            COMMITS.setdefault(client_id, []).append(time.time())
        return result

    def onboard(self, think: float, rng: random.Random) -> None:
        """The whole onboarding, as the demo's walk does it, with think times."""
        from privet_tui.demo.states import _DEMO_DEVICES, _code_from_ticket
        from privet_tui.services.rules.passport import PassportInput
        from privet_tui.services.rules.validation import ContactInput
        from privet_tui.services.steps.payment import PaymentInput

        _REAL_PDF.on = self.real_pdf
        door, actor, n = self.door, self.actor, self.user_id

        def pause() -> None:
            time.sleep(think * rng.uniform(0.5, 1.5))

        def version() -> int:
            card = self.timed("card", lambda: door.client_card_by_id(actor, client_id))
            return int(card.version)

        card = self.timed("claim", lambda: door.claim_client(actor, n))
        client_id = card.client_id
        pause()
        contact = ContactInput(
            full_name="Иванов Пётр Сергеевич",
            phone=f"+7916{n % 10_000_000:07d}",
            email=f"c{n}@example.ru",
            address="г. Москва, ул. Лесная, д. 12, кв. 34",
        )
        v = version()
        self.timed("contacts", lambda: door.save_contacts(actor, client_id, v, contact))
        pause()
        passport = PassportInput(
            series=f"45 {10 + n % 80:02d}",
            number=f"{(123456 + n * 7919) % 1_000_000:06d}",
            issue_date="15.03.2015",
            issued_by="ГУ МВД России по г. Москве",
            department_code="770-001",
            birth_date="12.04.1990",
            birth_place="г. Москва",
            registration_address="г. Москва, ул. Лесная, д. 12, кв. 34",
        )
        v = version()
        self.timed("passport", lambda: door.save_passport(actor, client_id, v, passport))
        for device in _DEMO_DEVICES[: 1 + n % 3]:
            pause()
            v = version()
            self.timed("device", lambda d=device, v=v: door.add_device(actor, client_id, v, d))  # type: ignore[misc]
        pause()
        tariff_id = door.list_tariffs()[1].id
        v = version()
        self.timed("tariff", lambda: door.apply_tariff(actor, client_id, v, tariff_id))
        pause()
        v = version()
        self.timed("contract", lambda: door.generate_contract(actor, client_id, v))
        pause()
        code = self.timed("otp read", lambda: door.read(_code_from_ticket, n))
        self.timed("signature", lambda: door.confirm_signature(actor, client_id, code))
        pause()
        due = door.client_card_by_id(actor, client_id).contract.total_due
        form = PaymentInput(method="cash", amount=due, receipt=f"ЧЕК-{n}")
        v = version()
        self.timed("payment", lambda: door.confirm_payment(actor, client_id, v, form))
        pause()
        v = version()
        self.timed("invoice", lambda: door.issue_invoice(actor, client_id, v))
