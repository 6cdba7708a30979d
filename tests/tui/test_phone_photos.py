"""«Фото с телефона» on step 3 (issue 10): the modal's QR code and link against moto's S3,
httpx posting as the phone while it is open, each outcome in its list, and the one line it
shows with the local store."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto.server import ThreadedMotoServer
from PIL import Image
from textual.pilot import Pilot
from textual.widgets import Static

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import Gateway
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.tui.screens.steps.devices import DevicesScreen
from privet_tui.tui.screens.steps.phone_photos import PhonePhotosModal
from tests.integration.conftest import free_port, start_moto, unique_bucket
from tests.integration.phone import post_file
from tests.tui.step_data import claimed_client
from tests.tui.step_screens import Settle, open_step, screen_text, step_app


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 for this module."""
    server: ThreadedMotoServer
    server, endpoint = start_moto()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_settings(settings: Settings, moto_endpoint: str) -> Settings:
    """The test's settings on a fresh bucket of moto's (phones reach the same endpoint)."""
    return dataclasses.replace(
        settings,
        s3_endpoint=moto_endpoint,
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
        s3_bucket=unique_bucket(),
    )


def jpeg(colour: str, size: tuple[int, int] = (640, 480)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def a_device(gateway: Gateway, master: Actor, user_id: int) -> tuple[int, int]:
    client_id = claimed_client(gateway, master, user_id)
    version = gateway.client_card_by_id(master, client_id).version
    assert version is not None
    device = gateway.add_device(master, client_id, version, DeviceInput("tv", "LG", "X1"))
    return client_id, device.device_id


async def until(pilot: Pilot[Any], done: Callable[[], bool], seconds: float = 15) -> None:
    """Let the app run until `done()` (the modal's own poll brings the event), at most
    `seconds` — a bound for a hung test, not a measure of speed (see benchmarks/)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not done():
        assert loop.time() < deadline, "the modal never showed it"
        await pilot.pause(0.05)


async def test_qr_link_and_uploads_attached_live(
    s3_settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(s3_settings, db, master) as (app, pilot, gateway):
        client_id, device_id = a_device(gateway, master, user_id)
        # A photo sent through an earlier link while no modal was open.
        earlier = gateway.phone_link(master, client_id, device_id)
        post_file(earlier.url, "раньше.jpg", jpeg("green"))
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("t")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PhonePhotosModal)
        await until(pilot, lambda: modal.link is not None and modal.attached == 1)
        assert modal.link is not None
        text = screen_text(app)
        assert modal.link.url in text
        assert all(line.rstrip() in text for line in modal.qr)  # the whole QR code shows
        assert "Ссылка действует до" in text
        assert "+ раньше.jpg: добавлено, 640x480" in text

        url = modal.link.url
        for name, data in (("front.jpg", jpeg("red")), ("notes.jpg", b"not a photo")):
            response = await asyncio.to_thread(post_file, url, name, data)
            assert response.status_code < 300
        await until(pilot, lambda: modal.attached + modal.refused == 3)
        # Uploads that arrive together are judged in the store's listing order (random keys).
        lines = sorted(line.plain for line in modal.lines[1:])
        assert lines[0] == "! notes.jpg: Файл не является изображением"
        assert lines[1].startswith("+ front.jpg: добавлено, 640x480, ")
        assert "Добавлено: 2, не принято: 1." in screen_text(app)

        modal._fit(48, 16)  # a phone-sized window: the link and the list stay
        assert not modal.query_one("#phone-qr").display
        hint = str(modal.query_one("#phone-hint", Static).render())
        assert hint.startswith("QR-код не помещается: нужно окно 65x24")
        modal._fit(80, 24)

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DevicesScreen)
        assert "Фото устройства (2)" in screen_text(app)


async def test_local_store_says_what_to_configure(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(settings, db, master) as (app, pilot, gateway):
        client_id, _ = a_device(gateway, master, user_id)
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, PhonePhotosModal)
        text = screen_text(app)
        assert "работают только с S3-хранилищем: задайте S3_ENDPOINT" in text
        assert "privet-tui photos add" in text
        assert "Новая ссылка" not in text  # no link can be made here


async def test_store_down_is_said_in_the_modal(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    down = dataclasses.replace(
        settings,
        s3_endpoint=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
    )
    async with step_app(down, db, master) as (app, pilot, gateway):
        client_id, _ = a_device(gateway, master, user_id)
        await open_step(app, pilot, gateway, master, 3, client_id)
        await pilot.press("t")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PhonePhotosModal)
        status = modal.query_one("#phone-status", Static)
        await until(pilot, lambda: "Повторим через 1,5 с." in str(status.render()))
        assert str(status.render()).startswith("! Хранилище недоступно")
        assert modal.link is None
        assert not modal.query_one("#phone-qr").display
