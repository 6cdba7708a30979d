"""Screenshots of the seven step screens, the device form and the photo picker at 80x24,
48x16 and 120x40 (tests/tui/sizes.py).

Each test brings one client to a state through the gateway (the calls the screens make),
logs in, opens the step as the card does and takes the picture. What would change from run
to run is held still: the services' clock (`workflow.now`), the contract screen's countdown
clock, the object store's links (they would show pytest's temporary folder) and the photo
inbox (a relative folder, so the tree shows its name, not a temporary path).

Update after a deliberate change with
`pytest tests/tui/test_snapshots_steps.py --snapshot-update`.
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services import workflow
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway, open_gateway
from privet_tui.services.phone_upload import UploadLink, UploadOutcome
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.rules.passport import PassportInput
from privet_tui.services.rules.validation import ContactInput
from privet_tui.services.steps.device_photos import PhotoInfo
from privet_tui.services.steps.payment import PaymentInput
from privet_tui.services.steps.tariff import ensure_default_tariffs
from privet_tui.storage.local import LocalStore
from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.steps import contract as contract_screen
from privet_tui.tui.screens.steps.registry import STEP_SCREENS
from tests.tui.people import EMAIL, FIXED_DAY, PASSWORD
from tests.tui.shell import login
from tests.tui.sizes import Shots
from tests.tui.step_data import latest_code
from tests.tui.step_screens import wait_for_workers

#: Where the screenshots say the objects are (the real folder is a temporary one).
SHOWN_STORE = PurePosixPath("/var/lib/privet-tui/objects")
#: The photo inbox, relative to the test's own working directory.
INBOX = Path("Снимки")
ADDRESS = "г. Москва, ул. Ленина, д. 1, кв. 2"
PASSPORT = PassportInput(
    series="4510",
    number="123678",
    issue_date="20.05.2015",
    issued_by="ОВД района Хамовники г. Москвы",
    department_code="770-001",
    birth_date="15.03.1990",
    birth_place="г. Москва",
    registration_address=ADDRESS,
)
DEVICES = (
    DeviceInput("tv", "LG", "OLED55C3", "SN-0042-TV"),
    DeviceInput("fridge", "Bosch", "KGN39VL", None),
)


class ShownStore(LocalStore):
    """The local store, with links under a fixed folder instead of the temporary one."""

    def link(self, key: str) -> str:
        return SHOWN_STORE.joinpath(*key.split("/")).as_uri()


# --- fixtures: a still clock, fixed links, a relative inbox ------------------------------


@pytest.fixture(autouse=True)
def _still_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Services see FIXED_DAY as now (contract and invoice numbers, due dates, the code's
    validity); the contract screen's countdown clock moves by a millisecond a reading, so
    the code shows 09:59 left and the resend 60 s, whatever the machine's speed."""
    original = workflow.now

    def fixed() -> Any:
        return FIXED_DAY

    for name, module in list(sys.modules.items()):
        if name.startswith("privet_tui") and module is not None:
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, fixed)
    ticks = itertools.count()
    clock = SimpleNamespace(monotonic=lambda: 5000.0 + next(ticks) / 1000)
    monkeypatch.setattr(contract_screen, "time", clock)


@pytest.fixture
def settings(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The suite's settings with the photo inbox as a folder relative to tmp_path."""
    monkeypatch.chdir(tmp_path)
    return dataclasses.replace(settings, photo_inbox=INBOX)


@pytest.fixture
def gateway(settings: Settings, db: Database) -> Gateway:
    """The app's gateway (used by `make_app` too) with the fixed-link store."""
    return open_gateway(settings, database=db, store=ShownStore(settings.data_dir / "objects"))


# --- helpers ------------------------------------------------------------------------------


async def open_step(
    pilot: Pilot[Any], gateway: Gateway, actor: Actor, step: int, client: int
) -> Screen[object]:
    """Log in through the login screen, then push the step's screen as the card does."""
    await login(pilot, EMAIL, PASSWORD)
    step_screen = STEP_SCREENS[step](gateway, actor, client)
    await pilot.app.push_screen(step_screen)
    await wait_for_workers(pilot)
    return step_screen


def version(gateway: Gateway, actor: Actor, client_id: int) -> int:
    """The client's stored version."""
    card_version = gateway.client_card_by_id(actor, client_id).version
    assert card_version is not None
    return card_version


def make_jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (320, 200)) -> None:
    """A small photo: a colour with a horizontal gradient (the same bytes every run)."""
    image = Image.new("RGB", size, colour)
    for x in range(size[0]):
        for y in range(size[1] // 3):
            image.putpixel((x, y), (x * 255 // size[0], 80, 160))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "JPEG", quality=85)


def advance(gateway: Gateway, db: Database, actor: Actor, user_id: int, upto: int) -> int:
    """Claim the person and do steps 1..`upto` through the gateway; return the client id."""
    card = gateway.claim_client(actor, user_id)
    client_id = card.client_id
    assert client_id is not None
    if upto >= 1:
        form = ContactInput(
            card.app_full_name or "", card.app_phone or "", card.app_email or "", ADDRESS
        )
        gateway.save_contacts(actor, client_id, version(gateway, actor, client_id), form)
    if upto >= 2:
        gateway.save_passport(actor, client_id, version(gateway, actor, client_id), PASSPORT)
    if upto >= 3:
        for device in DEVICES:
            gateway.add_device(actor, client_id, version(gateway, actor, client_id), device)
    if upto >= 4:
        with db.transaction() as session:
            ensure_default_tariffs(session)
        basic = gateway.list_tariffs()[0]
        gateway.apply_tariff(actor, client_id, version(gateway, actor, client_id), basic.id)
    if upto >= 5:
        gateway.generate_contract(actor, client_id, version(gateway, actor, client_id))
    if upto >= 6:
        gateway.confirm_signature(actor, client_id, latest_code(db, user_id))
    if upto >= 7:
        due = gateway.contract_state(actor, client_id)
        assert due is not None
        payment = PaymentInput("card", due.total_due, "Чек 0042")
        gateway.confirm_payment(actor, client_id, version(gateway, actor, client_id), payment)
    return client_id


Act = Callable[[Pilot[Any], Screen[object]], Awaitable[None]]


@dataclasses.dataclass
class StepShot:
    """Screenshots of step screens: `client(upto=n)` brings a person through steps 1..n,
    then `shot(client_id, step, act)` logs in, opens the step as the card does, lets `act`
    press keys or fill fields, and compares the screen with the stored snapshots."""

    shots: Shots
    make_app: Callable[..., PrivetApp]
    gateway: Gateway
    db: Database
    actor: Actor
    people: list[int]

    def client(self, *, upto: int, person: int = 0) -> int:
        return advance(self.gateway, self.db, self.actor, self.people[person], upto=upto)

    def __call__(self, client_id: int, step: int, act: Act | None = None) -> None:
        async def run_before(pilot: Pilot[Any]) -> None:
            screen = await open_step(pilot, self.gateway, self.actor, step, client_id)
            if act is not None:
                await act(pilot, screen)
                await wait_for_workers(pilot)

        self.shots(self.make_app(), run_before)


@pytest.fixture
def shot(
    shots: Shots,
    make_app: Callable[..., PrivetApp],
    gateway: Gateway,
    db: Database,
    login_master: Actor,
    people: list[int],
) -> StepShot:
    return StepShot(shots, make_app, gateway, db, login_master, people)


def keys(*pressed: str) -> Act:
    """An `act` that presses keys."""

    async def act(pilot: Pilot[Any], screen: Screen[object]) -> None:
        await pilot.press(*pressed)

    return act


# --- step 1: Контакты ---------------------------------------------------------------------


def test_contacts_filled(shot: StepShot) -> None:
    shot(shot.client(upto=1), step=1)


def test_contacts_field_errors(shot: StepShot) -> None:
    async def wrong_phone_and_email(pilot: Pilot[Any], screen: Screen[object]) -> None:
        screen.query_one("#field-phone Input", Input).value = "12345"
        screen.query_one("#field-email Input", Input).value = "oleg.k@"
        await pilot.press("ctrl+s")

    shot(shot.client(upto=0, person=2), step=1, act=wrong_phone_and_email)


# --- step 2: Паспорт ----------------------------------------------------------------------


def test_passport_stored_masked(shot: StepShot) -> None:
    shot(shot.client(upto=2), step=2)


def test_passport_revealed(shot: StepShot) -> None:
    shot(shot.client(upto=2), step=2, act=keys("ctrl+o"))


# --- step 3: Устройства, the device form, the photo picker --------------------------------


def test_devices_two_with_a_photo(shot: StepShot, settings: Settings) -> None:
    client_id = shot.client(upto=3)
    photo = settings.photo_inbox / "tv-front.jpg"
    make_jpeg(photo, (200, 40, 40))
    tv = shot.gateway.list_devices(shot.actor, client_id)[0]
    outcomes = shot.gateway.attach_photos(shot.actor, client_id, tv.id, [photo])
    assert all(outcome.ok for outcome in outcomes)
    shot(client_id, step=3)


def test_device_form_editing(shot: StepShot) -> None:
    shot(shot.client(upto=3), step=3, act=keys("e"))


def test_device_form_new_with_errors(shot: StepShot) -> None:
    async def brand_only(pilot: Pilot[Any], screen: Screen[object]) -> None:
        await pilot.press("a")
        await wait_for_workers(pilot)
        pilot.app.screen.query_one("#field-brand Input", Input).value = "Samsung"
        await pilot.press("ctrl+s")

    shot(shot.client(upto=3), step=3, act=brand_only)


def test_photo_picker_marked_and_previewed(shot: StepShot, settings: Settings) -> None:
    client_id = shot.client(upto=3)
    make_jpeg(settings.photo_inbox / "tv-back.jpg", (40, 120, 40))
    make_jpeg(settings.photo_inbox / "tv-front.jpg", (200, 40, 40))
    make_jpeg(settings.photo_inbox / "2026-01" / "label.jpg", (40, 40, 200))
    (settings.photo_inbox / "notes.txt").write_text("не снимок\n", encoding="utf-8")

    async def mark_one_look_at_another(pilot: Pilot[Any], screen: Screen[object]) -> None:
        await pilot.press("p")
        await wait_for_workers(pilot)
        await pilot.press("down", "down", "space", "down")

    shot(client_id, step=3, act=mark_one_look_at_another)


def test_phone_photos_modal(shot: StepShot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The QR code, the link, its validity and two outcomes; the link and the outcomes are
    fixed here (test_phone_photos.py makes real ones against moto)."""
    client_id = shot.client(upto=3)
    link = UploadLink(
        url="https://files.privet.example/privet-bucket/u#Q2xpZW50UGhvdG9zMTIzNA",
        expires_at=datetime(2099, 1, 15, 6, 15, tzinfo=UTC),
        prefix="phone/1/1/f0000000aaaaaaaa/",
        life=timedelta(minutes=15),
        form_key="u/Q2xpZW50UGhvdG9zMTIzNA",
    )
    photo = PhotoInfo(
        1, 1, "clients/1/devices/1/a.jpg", 1200, 900, 251_000, "0" * 64, None, FIXED_DAY
    )
    arrived = [
        UploadOutcome("IMG_0042.jpg", True, 3_400_000, None, photo),
        UploadOutcome("scan.pdf", False, 80_000, "Файл не является изображением"),
    ]

    def collect(self: Gateway, *args: Any, on_outcome: Any = None) -> list[UploadOutcome]:
        outcomes, arrived[:] = list(arrived), []
        for outcome in outcomes:
            on_outcome(outcome)
        return outcomes

    monkeypatch.setattr(Gateway, "phone_link", lambda self, *args: link)
    monkeypatch.setattr(Gateway, "collect_phone_photos", collect)
    shot(client_id, step=3, act=keys("t"))


# --- step 4: Тариф ------------------------------------------------------------------------


def test_tariff_with_a_quote(shot: StepShot) -> None:
    client_id = shot.client(upto=3)
    with shot.db.transaction() as session:
        ensure_default_tariffs(session)
    shot(client_id, step=4, act=keys("down"))


# --- step 5: Договор ----------------------------------------------------------------------


def test_contract_awaiting_signature(shot: StepShot) -> None:
    shot(shot.client(upto=5), step=5)


# --- step 6: Оплата -----------------------------------------------------------------------


def test_payment_form(shot: StepShot) -> None:
    async def cash_with_a_surplus(pilot: Pilot[Any], screen: Screen[object]) -> None:
        screen.query_one(Select).value = "cash"
        screen.query_one("#payment-amount", Input).value = "1000"
        screen.query_one("#field-receipt Input", Input).value = "Чек 0042"
        screen.query_one("#field-reason Input", Input).focus()

    shot(shot.client(upto=6), step=6, act=cash_with_a_surplus)


# --- step 7: Счёт -------------------------------------------------------------------------


def test_invoice_blocked_before_payment(shot: StepShot) -> None:
    shot(shot.client(upto=6), step=7)


def test_invoice_issued(shot: StepShot) -> None:
    client_id = shot.client(upto=7)
    version = shot.gateway.client_card_by_id(shot.actor, client_id).version
    assert version is not None
    issued = shot.gateway.issue_invoice(shot.actor, client_id, version)
    assert issued.amount == Decimal("990.00")
    shot(client_id, step=7)
