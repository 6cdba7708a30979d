"""Issue 11, item 2: typed input is never discarded silently. Leaving a changed form (Esc, b,
Ctrl+Q, the idle lock's log-out) asks «Уйти» / «Остаться»; an unchanged form leaves at once;
Ctrl+R after a conflict shows the typed values beside the saved ones; the lock keeps them."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.demo.seed import DEMO_PASSWORD
from privet_tui.services.rules.validation import ContactInput
from privet_tui.tui.drafts import LEAVE_QUESTION
from privet_tui.tui.quitting import QUIT_QUESTION
from privet_tui.tui.screens.lock import LockScreen
from privet_tui.tui.screens.steps._form import FormField
from privet_tui.tui.screens.steps.base import StepScreen
from privet_tui.tui.screens.steps.device_form import DeviceFormModal
from privet_tui.tui.widgets.confirm import ConfirmModal
from privet_tui.tui.widgets.draft_conflict import DraftConflictModal
from tests.tui.step_data import demo_client
from tests.tui.step_screens import Settle, field, open_step, screen_text, set_value, step_app, value

#: A demo client in work with no passport on record: step 2 shows an empty form.
NO_PASSPORT = (
    "c.status = 'in_progress'"
    " AND NOT EXISTS (SELECT 1 FROM master_passports p WHERE p.client_id = c.id)"
)


async def _question(pilot: Pilot[Any], settle: Settle, question_id: str | None) -> ConfirmModal:
    await settle(pilot)
    question = pilot.app.screen
    assert isinstance(question, ConfirmModal), type(question)
    assert question.id == question_id
    return question


async def _answer(pilot: Pilot[Any], settle: Settle, button: str) -> None:
    """Press «Уйти» (#yes) or «Остаться» (#no) as a person does, after reading."""
    question = pilot.app.screen
    assert isinstance(question, ConfirmModal)
    while question.deaf:
        await pilot.pause(0.05)
    await pilot.click(f"#{button}")
    await settle(pilot)


async def test_typed_passport_then_esc_asks_and_stay_keeps_it(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, NO_PASSPORT)
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 2, client_id)
        assert screen.unsaved_fields() == []
        field(screen, "series_number").query_one(Input).focus()
        await pilot.press(*"4513102202")
        assert value(screen, "series_number") == "45 13 102202"

        await pilot.press("escape")
        await _question(pilot, settle, LEAVE_QUESTION)
        shown = screen_text(app)
        assert "Не сохранено: Серия и номер." in shown
        assert "Уйти" in shown
        assert "Остаться" in shown
        await pilot.press("y", "н", "enter")  # no letter leaves; Enter is on «Остаться»
        await settle(pilot)
        assert app.screen is screen
        assert value(screen, "series_number") == "45 13 102202"

        await pilot.press("escape", "escape")  # a second Esc answers «Остаться», stacks nothing
        await settle(pilot)
        assert app.screen is screen

        await pilot.press("escape")
        await _question(pilot, settle, LEAVE_QUESTION)
        await _answer(pilot, settle, "no")  # «Остаться»
        assert app.screen is screen
        assert value(screen, "series_number") == "45 13 102202"

        screen.query_one("#save").focus()  # off the field, `b` is the plain key for back
        await pilot.press("b")
        await _question(pilot, settle, LEAVE_QUESTION)
        await _answer(pilot, settle, "yes")  # «Уйти»
        assert screen not in app.screen_stack


async def test_an_unchanged_form_leaves_at_once(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        assert value(screen, "full_name")  # filled from the card: loaded, not typed
        await pilot.press("escape")
        await settle(pilot)
        assert screen not in app.screen_stack
        assert not isinstance(app.screen, ConfirmModal)

        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        screen.query_one("#save").focus()
        await pilot.press("b")
        await settle(pilot)
        assert screen not in app.screen_stack

        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        before = value(screen, "address")
        set_value(screen, "address", before + " кв. 9")
        set_value(screen, "address", before)  # typed and taken back: nothing to lose
        await pilot.press("escape")
        await settle(pilot)
        assert screen not in app.screen_stack


async def test_a_key_typed_into_a_filled_field_adds_to_its_value(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    """Focus does not select a loaded value: the first key typed is added, not a replacement
    of the whole address (Textual's Input selects all on focus by default)."""
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        before = value(screen, "address")
        assert before
        field(screen, "address").query_one(Input).focus()
        await settle(pilot)
        await pilot.press("9")
        assert value(screen, "address") == before + "9"


async def test_ctrl_q_names_the_unsaved_fields_and_only_leave_closes(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        exits: list[object] = []
        app.exit = lambda *args, **kwargs: exits.append(args)  # type: ignore[method-assign]
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "phone", "+7 999 000-00-00")
        await pilot.press("ctrl+q")
        await _question(pilot, settle, QUIT_QUESTION)
        assert "Не сохранено: Шаг 1 из 7: Контакты (Телефон)." in screen_text(app)
        await _answer(pilot, settle, "no")
        assert not exits
        assert value(screen, "phone") == "+7 999 000-00-00"
        await pilot.press("ctrl+q")
        await _question(pilot, settle, QUIT_QUESTION)
        await _answer(pilot, settle, "yes")
        assert exits


async def test_ctrl_r_after_a_conflict_shows_mine_beside_saved(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        assert screen.version is not None
        other = ContactInput(
            value(screen, "full_name"), "+79160000001", value(screen, "email"), "[b]Новый[/b]"
        )
        gateway.save_contacts(master, client_id, screen.version, other)  # «another master»
        set_value(screen, "phone", "+7 916 555-44-33")
        set_value(screen, "address", "г. Тула, [i]ул. Мира[/i]")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "обновите" in screen_text(app)

        await pilot.press("ctrl+r")
        await settle(pilot)
        conflict = app.screen
        assert isinstance(conflict, DraftConflictModal)
        assert conflict.rows == (
            ("Телефон", "+7 916 555-44-33", "+7 916 000-00-01"),
            ("Адрес", "г. Тула, [i]ул. Мира[/i]", "[b]Новый[/b]"),
        )
        shown = screen_text(app)
        assert "[i]ул. Мира[/i]" in shown  # literal, not markup
        assert "[b]Новый[/b]" in shown
        # the typed values are back on the form already, whatever the answer
        assert value(screen, "address") == "г. Тула, [i]ул. Мира[/i]"

        await pilot.click("#saved")  # «Взять сохранённое»
        await settle(pilot)
        assert app.screen is screen
        assert value(screen, "address") == "[b]Новый[/b]"
        assert value(screen, "phone") == "+7 916 000-00-01"
        assert screen.unsaved_fields() == []


async def test_the_idle_lock_keeps_typed_input_and_its_log_out_asks(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        field(screen, "address").query_one(Input).focus()
        set_value(screen, "address", "г. Тула, ул. Мира, д. 3")
        app.lock("Экран заблокирован.")
        await settle(pilot)
        assert isinstance(app.screen, LockScreen)
        assert "ул. Мира" not in screen_text(app)  # covered

        await pilot.press("ctrl+o")  # log out: the typed address would be lost
        await _question(pilot, settle, None)
        assert "Выйти и потерять введённое?" in screen_text(app)
        await _answer(pilot, settle, "no")
        assert isinstance(app.screen, LockScreen)

        password = app.screen.query_one("#lock-password", Input)
        password.value = DEMO_PASSWORD
        password.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # the same screen, the typed text still there
        assert value(screen, "address") == "г. Тула, ул. Мира, д. 3"

        app.lock("Экран заблокирован.")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await _answer(pilot, settle, "yes")
        assert app.actor is None
        assert not any(isinstance(each, StepScreen) for each in app.screen_stack)


async def test_the_device_form_and_the_palettes_tabs_ask_too(
    demo_settings: Settings, demo_db: Database, settle: Settle
) -> None:
    client_id, master = demo_client(demo_db, "c.status = 'in_progress'")
    async with step_app(demo_settings, demo_db, master) as (app, pilot, gateway):
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeviceFormModal)
        await pilot.press("escape")  # untouched: closes at once
        await settle(pilot)
        assert form not in app.screen_stack

        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeviceFormModal)
        form.query_one("#field-brand", FormField).query_one(Input).value = "Bosch"
        await pilot.press("escape")
        await _question(pilot, settle, LEAVE_QUESTION)
        assert "Не сохранено: Марка." in screen_text(app)
        await _answer(pilot, settle, "no")
        assert app.screen is form
        await pilot.click("#cancel")
        await _question(pilot, settle, LEAVE_QUESTION)
        await _answer(pilot, settle, "yes")
        assert form not in app.screen_stack

        screen = await open_step(app, pilot, gateway, master, 1, client_id)
        set_value(screen, "email", "new@example.ru")
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Мои кл", "enter")
        await _question(pilot, settle, LEAVE_QUESTION)
        assert "Шаг 1 из 7: Контакты (Email)" in screen_text(app)
        await _answer(pilot, settle, "no")
        assert app.screen is screen
        assert value(screen, "email") == "new@example.ru"
