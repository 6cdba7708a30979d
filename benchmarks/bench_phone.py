"""Photos from the phone (issue 10): the link's length, its QR code in terminal cells, and the
time from an upload's arrival in the bucket to its row on the device.

Run on demand: `.venv/bin/python benchmarks/bench_phone.py [--poll SECONDS]`.
S3 is moto's threaded server on 127.0.0.1 (as the tests), the database a scratch one. The
"phone" is httpx posting the presigned form as the page does; a poller calls
`collect_phone_photos` every `--poll` seconds as the modal and `photos link --wait` do.
Arrival → row = the moment the POST returned (the object is in the bucket) to the moment
`collect` reported the photo attached (row committed): the wait for the next poll plus
download, `prepare()`, upload of the JPEG and the transaction. Target: < 10 s end to end.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

from moto.server import ThreadedMotoServer
from scratch import scratch_database  # benchmarks/ is on sys.path when run

from privet_tui.config import Settings
from privet_tui.db import migrate
from privet_tui.db.legacy import create_fixture_tables
from privet_tui.qr_text import qr_size
from privet_tui.services.gateway import open_gateway
from privet_tui.services.phone_upload import UploadOutcome
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.storage.s3 import S3Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the checkout, for `tests`

from tests.conftest import add_master, add_user
from tests.integration.phone import open_form, post_file

PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "photos"
TARGET_SECONDS = 10.0
MOTO_SECRET = uuid.uuid4().hex  # moto accepts any key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poll", type=float, default=2.0, help="seconds between collects")
    args = parser.parse_args()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        with scratch_database() as (db, url, tmp):
            with db.engine.begin() as conn:
                create_fixture_tables(conn)
            migrate.upgrade(db)
            store = S3Store(endpoint, "bench", MOTO_SECRET, "privet-bench")
            settings = Settings(
                database_url=url,
                secret_key=f"bench-{uuid.uuid4().hex}",  # a throwaway key for this run
                data_dir=tmp / "data",
                s3_endpoint=endpoint,
                s3_access_key="bench",
                s3_secret_key=MOTO_SECRET,
                s3_bucket="privet-bench",
            )
            run(open_gateway(settings, database=db, store=store), db, args)
    finally:
        server.stop()


def run(door, db, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    master = add_master(db, "bench@privet.local", "Мастер Бенчмарк")
    card = door.claim_client(master, add_user(db))
    saved = door.add_device(master, card.client_id, card.version, DeviceInput("tv", "LG", "A", "1"))
    started = time.perf_counter()
    link = door.phone_link(master, card.client_id, saved.device_id)
    link_ms = (time.perf_counter() - started) * 1000
    lan = dataclasses.replace(
        link, url=link.url.replace(door.settings.s3_endpoint, "http://192.168.100.200:9000")
    )
    print(
        f"link: {len(link.url)} chars here ({link.url.split('#')[0]}#…), made in {link_ms:.0f} ms"
    )
    for url in (lan.url, "https://files.privet-service.example/privet-bucket/u#" + "x" * 22):
        cols, rows = qr_size(url)
        slim = qr_size(url, border=2)
        print(
            f"  {len(url)} chars ({url[: url.index('#')]}#…): QR {cols}×{rows} cells "
            f"(quiet zone 4), {slim[0]}×{slim[1]} (quiet zone 2); fits 80×24: {rows <= 22}"
        )
    presigned = door.store._client.presigned_put_object(door.store.bucket, link.prefix + "x.jpg")
    print(
        f"  (a presigned PUT URL instead would be {len(presigned)} chars: QR {qr_size(presigned)})"
    )

    files = sorted(p for p in (PHOTOS / "mobile").glob("*.jpg")) + sorted(
        (PHOTOS / "heic").glob("*")
    )
    if not files:
        raise SystemExit(f"{PHOTOS} is absent")
    done: dict[str, float] = {}
    outcomes: list[UploadOutcome] = []
    stop = threading.Event()

    def on_outcome(outcome: UploadOutcome) -> None:
        done[outcome.name] = time.perf_counter()
        outcomes.append(outcome)

    def poller() -> None:
        while not stop.is_set():
            door.collect_phone_photos(master, card.client_id, saved.device_id, on_outcome)
            stop.wait(args.poll)

    thread = threading.Thread(target=poller, daemon=True)
    thread.start()
    form = open_form(link.url)

    def upload(source: Path, name: str, data: bytes | None = None) -> str:
        post_file(link.url, name, data or source.read_bytes(), form=form).raise_for_status()
        arrived[name] = time.perf_counter()
        return name

    def wait_for(names: list[str]) -> list[float]:
        deadline = time.perf_counter() + 120
        while any(n not in done for n in names) and time.perf_counter() < deadline:
            time.sleep(0.02)
        return [done[n] - arrived[n] for n in names if n in done]

    arrived: dict[str, float] = {}
    # One photo at a time, as a master photographs one device: the usual case.
    single: list[float] = []
    for n, source in enumerate(files):
        single.append(wait_for([upload(source, f"one-{source.name}")])[0])
        time.sleep((n * 0.37) % args.poll)  # land at different points of the poll cycle
    # A burst: every test photo picked at once (each waits for the ones before it), on a
    # second device (the same photos again would be refused as duplicates).
    other = door.add_device(
        master, card.client_id, saved.version, DeviceInput("tv", "LG", "B", "2")
    )
    stop.set()
    thread.join()
    stop.clear()
    saved = other
    link = door.phone_link(master, card.client_id, other.device_id)
    form = open_form(link.url)
    thread = threading.Thread(target=poller, daemon=True)
    thread.start()
    burst = wait_for([upload(f, f"burst-{f.name}") for f in files])
    stop.set()
    thread.join()
    refused = [o for o in outcomes if not o.attached]
    sizes = ", ".join(f"{f.name} {f.stat().st_size / 2**20:.1f} MB" for f in files)
    print(f"photos: {sizes}; poll every {args.poll:.1f} s")
    for label, waits in (("one at a time", single), (f"burst of {len(files)}", burst)):
        verdict = "met" if waits and max(waits) < TARGET_SECONDS else "MISSED"
        print(
            f"  arrival → row, {label}: median {statistics.median(waits):.2f} s, "
            f"max {max(waits):.2f} s over {len(waits)} (target < {TARGET_SECONDS:.0f} s: {verdict})"
        )
    if refused:
        print(f"  refused: {[(o.name, o.reason) for o in refused]}")


if __name__ == "__main__":
    main()
