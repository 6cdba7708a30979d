"""Photos from the phone (issue 10): the link, its POST policy, the public/private split of the
bucket, httpx posting as the phone, `collect` attaching, bad input, `gc`, and the CLI twin."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import update

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterClient
from privet_tui.errors import NotFoundError, StateError, StorageError
from privet_tui.services import orphans
from privet_tui.services.actor import Actor
from privet_tui.services.audit import client_log
from privet_tui.services.clients import claims
from privet_tui.services.gateway import Gateway, open_gateway
from privet_tui.services.phone_upload import MAX_UPLOAD_BYTES, PhoneUploadUnavailable
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.steps import devices
from privet_tui.storage.keys import phone_upload_prefix
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store
from privet_tui.storage.s3_public import public_read_statement
from tests.conftest import SHARED_TESTDATA
from tests.integration.conftest import MotoStarter, unique_bucket
from tests.integration.phone import bucket_url, open_form, post_file

ROTATED = SHARED_TESTDATA / "photos" / "orientation" / "portrait_6.jpg"


def _jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def device(db: Database, master: Actor, user_id: int) -> tuple[int, int]:
    with db.transaction() as s:
        card = claims.claim_client(s, master, user_id)
    assert card.client_id is not None
    assert card.version is not None
    with db.transaction() as s:
        saved = devices.add_device(
            s, master, card.client_id, card.version, DeviceInput("tv", "LG", "OLED55", "X1")
        )
    return card.client_id, saved.device_id


@pytest.fixture
def s3_settings(settings: Settings, moto_endpoint: str, s3_store: S3Store) -> Settings:
    return dataclasses.replace(
        settings,
        s3_endpoint=moto_endpoint,
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
        s3_bucket=s3_store.bucket,
    )


@pytest.fixture
def door(s3_settings: Settings, db: Database, s3_store: S3Store) -> Gateway:
    return open_gateway(s3_settings, database=db, store=s3_store)


def test_link_is_short_and_its_policy_allows_only_this_device(
    door: Gateway, master: Actor, device: tuple[int, int], s3_store: S3Store
) -> None:
    client_id, device_id = device
    before = datetime.now(UTC)
    link = door.phone_link(master, client_id, device_id)
    page, _, token = link.url.partition("#")
    assert page == f"{door.settings.s3_endpoint}/{s3_store.bucket}/u"
    assert len(base64.urlsafe_b64decode(token + "==")) == 16  # 128 bits
    assert len(link.url) <= 80
    assert link.prefix.startswith(phone_upload_prefix(client_id, device_id))
    assert link.life == timedelta(minutes=15)
    assert timedelta(minutes=14) < link.expires_at - before <= timedelta(minutes=15)

    form = open_form(link.url)  # anonymous, like the phone
    assert form["prefix"] == link.prefix
    assert form["max_bytes"] == 30 * 1024 * 1024
    policy = json.loads(base64.b64decode(form["fields"]["policy"]))
    conditions = policy["conditions"]
    assert ["starts-with", "$key", link.prefix] in conditions
    assert ["starts-with", "$Content-Type", "image/"] in conditions
    assert ["content-length-range", 1, MAX_UPLOAD_BYTES] in conditions
    assert ["eq", "$bucket", s3_store.bucket] in conditions
    expiry = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert abs(expiry - link.expires_at) < timedelta(seconds=1)

    anonymous = httpx.get(page, timeout=10)
    assert anonymous.status_code == 200
    assert "text/html" in anonymous.headers["content-type"]
    assert 'accept="image/*"' in anonymous.text
    assert "capture=" in anonymous.text
    # Only the page and the per-link forms are public: a raw upload is not (moto enforces
    # the bucket policy on anonymous object reads, not on listings: the document says no list).
    assert post_file(link.url, "a.jpg", _jpeg((1, 2, 3)), form=form).status_code in (200, 201, 204)
    raw = next(iter(s3_store.list(link.prefix))).key
    assert httpx.get(bucket_url(link.url) + raw, timeout=10).status_code == 403
    bucket_policy = json.loads(s3_store._client.get_bucket_policy(s3_store.bucket))
    assert bucket_policy["Statement"] == [public_read_statement(s3_store.bucket)]


def test_phone_uploads_are_attached_once_upright_and_audited(
    door: Gateway, db: Database, master: Actor, device: tuple[int, int], s3_store: S3Store
) -> None:
    client_id, device_id = device
    link = door.phone_link(master, client_id, device_id)
    form = open_form(link.url)
    good = _jpeg((200, 30, 30))
    for name, data, kind in [
        ("Фото 1.jpg", good, "image/jpeg"),
        ("notes.jpg", b"not a photo at all", "image/jpeg"),
    ]:
        assert post_file(link.url, name, data, kind, form=form).status_code < 300
    seen: list[str] = []
    outcomes = door.collect_phone_photos(master, client_id, device_id, on_outcome=seen.append)
    by_name = {o.name: o for o in outcomes}
    assert set(by_name) == {"Фото 1.jpg", "notes.jpg"}
    assert len(seen) == 2
    attached = by_name["Фото 1.jpg"]
    assert attached.attached
    assert attached.photo is not None
    assert attached.reason is None
    assert (attached.photo.width, attached.photo.height) == (1200, 900)
    assert attached.photo.original_name == "Фото 1.jpg"
    refused = by_name["notes.jpg"]
    assert not refused.attached
    assert refused.reason == "Файл не является изображением"
    assert list(s3_store.list("phone/")) == []  # every raw upload judged is gone
    assert door.collect_phone_photos(master, client_id, device_id) == []
    # The same photo again is refused as today.
    assert post_file(link.url, "again.jpg", good, form=form).status_code < 300
    [again] = door.collect_phone_photos(master, client_id, device_id)
    assert not again.attached
    assert again.reason == "Это фото уже добавлено к устройству"
    with db.reading() as s:
        added = [e for e in client_log(s, client_id) if e.action == "device.photo_added"]
    assert [e.master_name for e in added] == [master.name]
    if ROTATED.is_file():  # EXIF orientation 6: a portrait once upright
        post_file(link.url, ROTATED.name, ROTATED.read_bytes(), form=form)
        [turned] = door.collect_phone_photos(master, client_id, device_id)
        assert turned.photo is not None
        assert turned.photo.height > turned.photo.width


def test_untrusted_arrivals_are_refused_and_removed(
    door: Gateway, master: Actor, device: tuple[int, int], s3_store: S3Store
) -> None:
    """Moto does not enforce the policy, so these reach the bucket: the workstation judges."""
    client_id, device_id = device
    link = door.phone_link(master, client_id, device_id)
    form = open_form(link.url)
    post_file(link.url, "big.jpg", b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES), form=form)
    post_file(link.url, "paper.pdf", b"%PDF-1.4\n", "application/pdf", form=form)
    # A stale link's folder (expired an hour ago) and another device's folder.
    stale = phone_upload_prefix(
        client_id, device_id, f"{int(datetime.now(UTC).timestamp()) - 3600:x}00000000"
    )
    post_file(link.url, "late.jpg", _jpeg((9, 9, 9)), form=form, key=f"{stale}ab-late.jpg")
    elsewhere = phone_upload_prefix(client_id, device_id + 1000, "0" * 16)
    post_file(link.url, "other.jpg", _jpeg((5, 5, 5)), form=form, key=f"{elsewhere}x-other.jpg")
    outcomes = {o.name: o for o in door.collect_phone_photos(master, client_id, device_id)}
    assert set(outcomes) == {"big.jpg", "paper.pdf", "late.jpg"}
    assert not any(o.attached for o in outcomes.values())
    assert outcomes["big.jpg"].reason == "Файл больше 30 МБ"
    assert outcomes["late.jpg"].reason == "Ссылка уже не действовала, когда пришёл файл"
    assert outcomes["paper.pdf"].reason
    assert [o.key for o in s3_store.list("phone/")] == [f"{elsewhere}x-other.jpg"]


def test_deleted_device_and_signed_client_get_clear_refusals(
    door: Gateway, db: Database, master: Actor, device: tuple[int, int], s3_store: S3Store
) -> None:
    client_id, device_id = device
    link = door.phone_link(master, client_id, device_id)
    post_file(link.url, "a.jpg", _jpeg((1, 100, 1)))
    with db.transaction() as s:
        s.execute(update(MasterClient).where(MasterClient.id == client_id).values(status="signed"))
    [late] = door.collect_phone_photos(master, client_id, device_id)
    assert not late.attached
    assert late.reason
    assert "подписания" in late.reason
    with pytest.raises(StateError, match="подписания"):
        door.phone_link(master, client_id, device_id)
    with db.transaction() as s:
        s.execute(
            update(MasterClient).where(MasterClient.id == client_id).values(status="in_progress")
        )
    post_file(link.url, "b.jpg", _jpeg((1, 1, 100)))
    version = door.client_card_by_id(master, client_id).version
    assert version is not None
    door.remove_device(master, client_id, version, device_id)
    [gone] = door.collect_phone_photos(master, client_id, device_id)
    assert gone.reason == "Устройство не найдено у этого клиента"
    assert list(s3_store.list("phone/")) == []
    with pytest.raises(NotFoundError):
        door.phone_link(master, client_id, device_id)


def test_local_store_says_what_to_configure_and_s3_down_is_a_storage_error(
    settings: Settings,
    db: Database,
    master: Actor,
    device: tuple[int, int],
    tmp_path: Path,
    closed_endpoint: str,
) -> None:
    client_id, device_id = device
    local = open_gateway(settings, database=db, store=LocalStore(tmp_path / "objects"))
    assert not local.phone_uploads_available()
    with pytest.raises(PhoneUploadUnavailable) as caught:
        local.phone_link(master, client_id, device_id)
    assert "S3_PUBLIC_ENDPOINT" in caught.value.message
    assert "\n" not in caught.value.message
    assert local.collect_phone_photos(master, client_id, device_id) == []
    down = S3Store(closed_endpoint, "k", "secret-key", "down", retries=0)
    config = dataclasses.replace(settings, s3_endpoint=closed_endpoint, s3_access_key="k")
    dead = open_gateway(config, database=db, store=down)
    with pytest.raises(StorageError, match="недоступно"):
        dead.phone_link(master, client_id, device_id)
    with pytest.raises(StorageError, match="недоступно"):
        dead.collect_phone_photos(master, client_id, device_id)


def test_gc_removes_uploads_and_forms_older_than_a_link(
    door: Gateway, master: Actor, device: tuple[int, int], s3_store: S3Store
) -> None:
    client_id, device_id = device
    link = door.phone_link(master, client_id, device_id)
    post_file(link.url, "a.jpg", _jpeg((3, 3, 3)))
    later = datetime.now(UTC) + timedelta(minutes=16)
    kept = door.read(
        orphans.collect_garbage, s3_store, at=datetime.now(UTC), phone_link_life=link.life
    )
    assert kept == []
    removed = door.read(orphans.collect_garbage, s3_store, at=later, phone_link_life=link.life)
    assert len(removed) == 2
    assert link.form_key in removed
    assert [o.key for o in s3_store.list("u")] == ["u"]  # the page stays
    assert list(s3_store.list("phone/")) == []


def test_cli_link_prints_the_link_then_attaches_what_arrives(
    db_url: str, device: tuple[int, int], tmp_path: Path, s3_settings: Settings
) -> None:
    client_id, device_id = device
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_"))},
        "DATABASE_URL": db_url,
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "S3_ENDPOINT": str(s3_settings.s3_endpoint),
        "S3_ACCESS_KEY": "test-access",
        "S3_SECRET_KEY": "test-secret-key",
        "S3_BUCKET": s3_settings.s3_bucket,
    }
    exe = str(Path(sys.executable).parent / "privet-tui")
    with subprocess.Popen(
        [exe, "photos", "link", str(client_id), str(device_id), "--wait", "8"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) as proc:  # fmt: skip
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith(f"{s3_settings.s3_endpoint}/{s3_settings.s3_bucket}/u#")
        post_file(url, "good.jpg", _jpeg((40, 50, 60)))
        post_file(url, "bad.jpg", b"\xff\xd8\xff\xe0 truncated")
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    assert "good.jpg: принято, 1200x900" in out
    assert "bad.jpg: не принято: " in out
    assert "Traceback" not in err


def test_doctor_fetches_the_page_as_a_phone_and_refuses_a_public_bucket(
    s3_settings: Settings, s3_store: S3Store, settings: Settings, closed_endpoint: str
) -> None:
    from privet_tui.cli.doctor import _phone_page
    from privet_tui.errors import PrivetError

    found = _phone_page(s3_settings)
    assert "reachable without credentials, raw uploads private" in found
    assert "QR code 41x21 cells" in found
    assert not found.startswith("WARN ")
    assert "local store" in _phone_page(settings)
    # A public address + bucket too long for the QR code to fit in 80x24: said, not fatal.
    long_bucket = dataclasses.replace(s3_settings, s3_bucket=f"{unique_bucket()}-photos-of-devices")
    warned = _phone_page(long_bucket)
    assert warned.startswith("WARN ")
    assert "QR code 45x23 cells" in warned
    assert "shorten S3_PUBLIC_ENDPOINT or S3_BUCKET" in warned
    unreachable = dataclasses.replace(s3_settings, s3_public_endpoint=closed_endpoint)
    with pytest.raises(PrivetError, match=r"phones cannot reach .* S3_PUBLIC_ENDPOINT"):
        _phone_page(unreachable)
    everything = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": ["*"]},
                "Action": ["s3:GetObject"],
                "Resource": [f"arn:aws:s3:::{s3_store.bucket}/*"],
            }
        ],
    }
    s3_store._client.set_bucket_policy(s3_store.bucket, json.dumps(everything))
    with pytest.raises(PrivetError, match="lets anyone read raw uploads"):
        _phone_page(s3_settings)


def test_s3_down_while_collecting_attaches_nothing_and_loses_nothing(
    settings: Settings,
    db: Database,
    master: Actor,
    device: tuple[int, int],
    moto_starter: MotoStarter,
) -> None:
    client_id, device_id = device
    server, endpoint = moto_starter(0)
    port = int(endpoint.rsplit(":", 1)[1])
    store = S3Store(endpoint, "k", "secret-key", unique_bucket(), retries=0)
    config = dataclasses.replace(
        settings, s3_endpoint=endpoint, s3_access_key="k", s3_secret_key="secret-key"
    )
    door = open_gateway(config, database=db, store=store)
    link = door.phone_link(master, client_id, device_id)
    post_file(link.url, "a.jpg", _jpeg((7, 70, 7)))
    server.stop()
    with pytest.raises(StorageError, match="недоступно"):
        door.collect_phone_photos(master, client_id, device_id)
    assert door.list_photos(device_id) == []
    moto_starter(port)  # S3 is back on the same address (moto keeps its objects)
    [outcome] = door.collect_phone_photos(master, client_id, device_id)
    assert outcome.attached
    assert [p.original_name for p in door.list_photos(device_id)] == ["a.jpg"]
