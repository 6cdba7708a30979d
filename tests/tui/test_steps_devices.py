"""Step 3 «Устройства»: the table, the form with good and bad input, removal after a
confirmation, and photos through the picker with per-file progress."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select
from textual import events
from textual.widgets import Input, ProgressBar, Select, Static

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterDevice, MasterDevicePhoto
from privet_tui.services.actor import Actor
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.tui.paste_guard import _GuardedParser
from privet_tui.tui.screens.steps._form import FormField
from privet_tui.tui.screens.steps.device_form import DeviceFormModal
from privet_tui.tui.screens.steps.device_photos_panel import PhotoList
from privet_tui.tui.screens.steps.devices import DevicesScreen
from privet_tui.tui.screens.steps.photo_picker import ImageTree, PathInput, PhotoPickerModal
from privet_tui.tui.widgets.photo_preview import HalfBlockImage, PhotoPreview
from tests.tui.step_data import claimed_client, count_rows, make_jpeg
from tests.tui.step_screens import Settle, answer_deliberately, open_step, screen_text, step_app

CANON = Path(__file__).resolve().parents[3] / "shared" / "testdata" / "photos" / "Canon_40D.jpg"


async def test_device_added_refused_when_incomplete_then_removed(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, DeviceFormModal)
        # A burst «LG, Enter, OLED55» in one read: the model goes into the model's field.
        form.query_one("#field-brand Input", Input).focus()
        await settle(pilot)
        for event in _GuardedParser(debug=False).feed("LG\rOLED55"):
            app.post_message(event)
        await settle(pilot)
        assert form.query_one("#field-brand Input", Input).value == "LG"
        assert form.query_one("#field-model Input", Input).value == "OLED55"
        form.query_one("#field-brand Input", Input).value = ""  # refused without a brand below
        form.query_one(Select).value = "tv"
        form.query_one("#field-model Input", Input).value = "OLED55"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Марка" in (form.query_one("#field-brand", FormField).error or "")
        assert form.query_one("#field-model Input", Input).value == "OLED55"
        assert count_rows(db, MasterDevice, client_id=client_id) == 0
        form.query_one("#field-brand Input", Input).value = "LG"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DevicesScreen)
        assert count_rows(db, MasterDevice, client_id=client_id) == 1
        assert "OLED55" in screen_text(app)
        await pilot.press("enter")  # edit
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, DeviceFormModal)
        assert edit.query_one("#field-brand Input", Input).value == "LG"
        edit.query_one("#field-serial Input", Input).value = "SN-42"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "SN-42" in screen_text(app)
        with db.reading() as session:
            assert session.query(MasterDevice).filter_by(client_id=client_id).one().serial == (
                "SN-42"
            )
        await pilot.press("d")
        await settle(pilot)
        assert "Удалить устройство?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert count_rows(db, MasterDevice, client_id=client_id) == 0
        assert "Устройств пока нет" in screen_text(app)


async def test_photos_attached_from_the_inbox_with_progress_and_preview(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    inbox = settings.photo_inbox
    make_jpeg(inbox / "a_generated.jpg")
    (inbox / "b_not_a_photo.jpg").write_text("just text")
    (inbox / "notes.txt").write_text("not listed")
    if CANON.exists():
        shutil.copy(CANON, inbox / "c_canon.jpg")
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        device = gateway.add_device(master, client_id, version, DeviceInput("tv", "LG", "X1"))
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("p")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PhotoPickerModal)
        text = screen_text(app)
        assert "a_generated.jpg" in text
        assert "notes.txt" not in text
        await pilot.press("down")
        await settle(pilot)
        assert picker.query_one(HalfBlockImage).has_image
        await pilot.press("space", "down", "space")
        if CANON.exists():
            await pilot.press("down", "space")
        assert "[x] a_generated.jpg" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "+ a_generated.jpg: добавлено (320x200)" in text
        assert "! b_not_a_photo.jpg: Файл не является изображением" in text
        expected = 2 if CANON.exists() else 1
        if CANON.exists():
            assert "+ c_canon.jpg: добавлено" in text
        bar = picker.query_one(ProgressBar)
        assert bar.progress == bar.total == expected + 1
        assert picker.query_one(ImageTree).marked == []
        assert count_rows(db, MasterDevicePhoto, device_id=device.device_id) == expected
        await pilot.press("up")
        if CANON.exists():
            await pilot.press("up")
        await pilot.press("enter")  # a_generated.jpg once more
        await settle(pilot)
        assert "Это фото уже добавлено к устройству" in screen_text(app)
        assert count_rows(db, MasterDevicePhoto, device_id=device.device_id) == expected
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DevicesScreen)
        assert f"Фото устройства ({expected})" in screen_text(app)
        assert app.screen.query_one("#device-preview HalfBlockImage", HalfBlockImage).has_image


async def test_pasted_paths_and_folders_are_attached_or_refused_in_russian(
    settings: Settings, db: Database, master: Actor, user_id: int, tmp_path: Path, settle: Settle
) -> None:
    folder = tmp_path / "с телефона"
    make_jpeg(folder / "a 1.jpg", colour="red")
    make_jpeg(folder / "b.jpg", colour="blue")
    (folder / "notes.txt").write_text("not listed")
    (tmp_path / "пусто").mkdir()
    first = folder / "a 1.jpg"
    spaced = make_jpeg(tmp_path / "elsewhere" / "фото 1.jpg", colour="green")
    escaped = str(spaced).replace(" ", "\\ ")
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        device = gateway.add_device(master, client_id, version, DeviceInput("tv", "LG", "X1"))
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("p")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PhotoPickerModal)
        await pilot.press("ctrl+o")
        field = picker.query_one(PathInput)
        # As a terminal pastes dragged files: quoted, double-quoted, backslash-escaped.
        field.value = f"'{first}' \"{tmp_path / 'missing.jpg'}\" {escaped}"
        await pilot.press("enter")
        await settle(pilot)
        lines = [line.plain for line in picker.lines]
        assert lines[0] == "+ a 1.jpg: добавлено (320x200)"
        assert lines[1].startswith("! missing.jpg: Файл не найден")
        assert lines[2] == "+ фото 1.jpg: добавлено (320x200)"
        # As a file manager's copy pastes: one path a line, unquoted; two folders.
        field.value = ""
        field.post_message(events.Paste(f"{folder}\n{tmp_path / 'пусто'}\n"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert [line.plain for line in picker.lines[3:]] == [
            "+ Папка «с телефона»: 2 снимка",
            "! Папка «пусто»: снимков нет",
            "! a 1.jpg: Это фото уже добавлено к устройству",
            "+ b.jpg: добавлено (320x200)",
        ]
        assert count_rows(db, MasterDevicePhoto, device_id=device.device_id) == 3


async def test_photos_listed_with_previews_and_one_removed_after_a_question(
    settings: Settings, db: Database, master: Actor, user_id: int, tmp_path: Path, settle: Settle
) -> None:
    files = [make_jpeg(tmp_path / f"{c}.jpg", colour=c) for c in ("red", "blue")]
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id = claimed_client(gateway, master, user_id)
        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        device = gateway.add_device(master, client_id, version, DeviceInput("tv", "LG", "X1"))
        gateway.attach_photos(master, client_id, device.device_id, files)
        screen = await open_step(app, pilot, gateway, master, 3, client_id)
        text = screen_text(app)
        assert "red.jpg  320x200" in text
        assert "blue.jpg  320x200" in text
        preview = screen.query_one("#device-preview", PhotoPreview)
        assert preview.query_one(HalfBlockImage).has_image
        await pilot.press("tab")
        assert isinstance(app.focused, PhotoList)
        assert "d Удалить фото" in screen_text(app)
        await pilot.press("up")  # red.jpg, the older one
        await settle(pilot)
        assert "red.jpg" in str(preview.query_one("#preview-caption", Static).render())
        await pilot.press("d")
        await settle(pilot)
        assert "Удалить фото?" in screen_text(app)
        assert "red.jpg (LG X1)" in screen_text(app)
        await answer_deliberately(pilot)
        await settle(pilot)
        with db.reading() as session:
            names = session.scalars(
                select(MasterDevicePhoto.original_name).filter_by(device_id=device.device_id)
            ).all()
        assert names == ["blue.jpg"]
        assert "Фото устройства (1)" in screen_text(app)
        assert "red.jpg" not in screen_text(app)
