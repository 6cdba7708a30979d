"""«Фото с телефона» as the master sees it (issue 10): from the key `t` to the QR code on
screen, and from a phone's upload reaching the bucket to its line in the modal.

Run on demand: `.venv/bin/python benchmarks/bench_phone_modal.py`.
The real app runs headless at 80x24 on a scratch database, S3 is moto's threaded server on
127.0.0.1 (as the tests), the "phone" is httpx posting the presigned form as the upload page
does, one photo at a time (../shared/testdata/photos: the phone photos, the HEIC, the
rotated JPEGs).
Upload → line = the moment the POST returned to the moment the modal shows the photo
attached: the wait for the modal's next poll (every `POLL_SECONDS`), the download,
`prepare()`, the stored JPEG and the commit. Targets: picked up within 3 s, on the device in
under 10 s end to end. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

from moto.server import ThreadedMotoServer
from scratch import scratch_database  # benchmarks/ is on sys.path when run

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.engine import Database
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.services.gateway import open_gateway
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.tui.app import create_app
from privet_tui.tui.screens.steps.phone_photos import POLL_SECONDS, PhonePhotosModal
from privet_tui.tui.screens.steps.registry import STEP_SCREENS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, for `tests`

from tests.conftest import add_master, add_user
from tests.integration.phone import post_file

PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "photos"
PICKUP_TARGET, END_TO_END_TARGET = 3.0, 10.0


async def measure(settings: Settings, db: Database, files: list[Path]) -> None:
    gateway = open_gateway(settings, database=db)
    master = add_master(db, "bench@privet.local", "Мастер Бенчмарк")
    card = gateway.claim_client(master, add_user(db))
    assert card.client_id is not None
    assert card.version is not None
    gateway.add_device(master, card.client_id, card.version, DeviceInput("tv", "LG", "A"))
    app = create_app(settings, gateway=gateway, live_updates=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.actor = master
        await app.push_screen(STEP_SCREENS[3](gateway, master, card.client_id))
        await pilot.pause(1.0)
        opened = time.perf_counter()
        await pilot.press("t")
        modal = app.screen
        assert isinstance(modal, PhonePhotosModal)
        while modal.link is None or not modal.query_one("#phone-qr").display:
            await pilot.pause(0.01)
        to_qr = time.perf_counter() - opened
        url = modal.link.url
        waits: list[float] = []
        for source in files:
            seen = len(modal.lines)
            response = await asyncio.to_thread(post_file, url, source.name, source.read_bytes())
            response.raise_for_status()
            arrived = time.perf_counter()
            while len(modal.lines) == seen:
                await pilot.pause(0.01)
            waits.append(time.perf_counter() - arrived)
            await pilot.pause((len(waits) * 0.37) % POLL_SECONDS)  # vary the poll phase
        refused = [line.plain for line in modal.lines if not line.plain.startswith("+")]
    sizes = ", ".join(f"{f.name} {f.stat().st_size / 2**20:.1f} MB" for f in files)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"photos: {sizes}; the modal polls every {POLL_SECONDS:g} s; load average {load}")
    print(f"  key t → QR code on screen: {to_qr * 1000:.0f} ms")
    within = sum(1 for wait in waits if wait < PICKUP_TARGET)
    whole = "met" if max(waits) < END_TO_END_TARGET else "MISSED"
    print(
        f"  upload in the bucket → attached and shown in the modal: median "
        f"{statistics.median(waits):.2f} s, max {max(waits):.2f} s over {len(waits)}; "
        f"{within} of {len(waits)} within {PICKUP_TARGET:g} s (the pick-up target, here "
        f"including the processing); all < {END_TO_END_TARGET:g} s: {whole}"
    )
    if refused:
        print(f"  refused: {refused}")


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    files = [
        *sorted((PHOTOS / "mobile").glob("*.jpg")),
        *sorted((PHOTOS / "heic").glob("*")),
        *sorted((PHOTOS / "orientation").glob("*.jpg")),
    ]
    if not files:
        raise SystemExit(f"{PHOTOS} is absent")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with scratch_database() as (db, url, tmp):
            with db.engine.begin() as conn:
                create_fixture_tables(conn)
            migrate.upgrade(db)
            settings = Settings(
                database_url=url,
                secret_key=f"bench-{uuid.uuid4().hex}",  # a throwaway key for this run
                data_dir=tmp / "data",
                s3_endpoint=endpoint,
                s3_access_key="bench",
                s3_secret_key=uuid.uuid4().hex,  # moto accepts any key
                s3_bucket="privet-bench",
            )
            asyncio.run(measure(settings, db, files))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
