"""«Фото с телефона» on step 3 (issue 10): the modal's QR code and link against moto's S3,
httpx posting as the phone while it is open, each outcome in its list, and the one line it
shows with the local store."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
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
        # Posted within one second: S3's Last-Modified cannot tell their order.
        refused, attached = sorted(line.plain for line in modal.lines[1:])
        assert attached.startswith("+ front.jpg: добавлено, 640x480, ")
        assert refused == "! notes.jpg: Файл не является изображением"
        assert "Добавлено: 2, не принято: 1." in screen_text(app)

        modal._fit(48, 16)  # a phone-sized window: the link and the list stay
        assert not modal.query_one("#phone-qr").display
        hint = str(modal.query_one("#phone-hint", Static).render())
        assert hint.startswith("QR-код не помещается: нужно окно 65x24")
        modal._fit(80, 24)

        # The link runs out while the modal is open: its code and link go, n makes a new one.
        dead = modal.link
        modal.link = dataclasses.replace(dead, expires_at=datetime.now(UTC) - timedelta(seconds=1))
        await until(pilot, lambda: not modal.query_one("#phone-qr").display)
        text = screen_text(app)
        assert dead.url not in text
        assert "Наведите камеру" not in text
        assert "Ссылка истекла в " in text
        await pilot.press("n")
        await until(pilot, lambda: modal.link is not None and modal.link.url != dead.url)
        await until(pilot, lambda: modal.query_one("#phone-qr").display)
        assert modal.link is not None
        assert modal.link.url in screen_text(app)

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


async def test_deleted_device_gets_no_link_and_no_waiting(
    s3_settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    async with step_app(s3_settings, db, master) as (app, pilot, gateway):
        client_id, device_id = a_device(gateway, master, user_id)
        await open_step(app, pilot, gateway, master, 3, client_id)
        version = gateway.client_card_by_id(master, client_id).version
        assert version is not None
        gateway.remove_device(master, client_id, version, device_id)  # another terminal
        await app.push_screen(PhonePhotosModal(gateway, master, client_id, device_id, "LG X1"))
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PhonePhotosModal)
        text = screen_text(app)
        assert "! Устройство не найдено у этого клиента" in text
        assert "Ждём фото" not in text  # nothing can arrive for it: no pretending
        assert "Новая ссылка" not in text
        assert not modal.polling


async def test_store_down_is_said_in_the_modal_and_the_link_follows_when_it_is_back(
    settings: Settings, db: Database, master: Actor, user_id: int, settle: Settle
) -> None:
    port = free_port()
    down = dataclasses.replace(
        settings,
        s3_endpoint=f"http://127.0.0.1:{port}",  # nothing listens there
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
        s3_bucket=unique_bucket(),
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
        assert "не отвечает. Повторим" in str(status.render())
        assert modal.link is None
        assert not modal.query_one("#phone-qr").display

        server, _ = start_moto(port)  # the bucket is back: the link comes without a key
        try:
            await until(pilot, lambda: modal.link is not None, seconds=30)
            await until(pilot, lambda: modal.query_one("#phone-qr").display)
            assert modal.link is not None
            assert modal.link.url in screen_text(app)
            assert "Ждём фото" in str(status.render())
        finally:
            server.stop()
