"""Attaching photos to devices (both stores), batch upload from the CLI, and `gc`."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from privet_tui.db.engine import Database
from privet_tui.db.models.clients import MasterClient, MasterDevicePhoto
from privet_tui.errors import ConflictError, NotFoundError, StateError, ValidationError
from privet_tui.photos import prepare
from privet_tui.services import orphans
from privet_tui.services.actor import Actor
from privet_tui.services.audit import client_log
from privet_tui.services.clients import claims as clients
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.steps import device_photos, devices
from privet_tui.storage.base import ObjectStore
from privet_tui.storage.local import LocalStore
from tests.conftest import attach_files


def _jpeg(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (1600, 1200)) -> Path:
    Image.new("RGB", size, colour).save(path, "JPEG", quality=90)
    return path


@pytest.fixture
def device(db: Database, master: Actor, user_id: int) -> tuple[int, int]:
    with db.transaction() as s:
        card = clients.claim_client(s, master, user_id)
    assert card.client_id is not None
    assert card.version is not None
    with db.transaction() as s:
        saved = devices.add_device(
            s, master, card.client_id, card.version, DeviceInput("tv", "LG", "OLED55", "X1")
        )
    return card.client_id, saved.device_id


def test_attach_then_duplicate_refused(
    db: Database, store: ObjectStore, master: Actor, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    prepared = prepare(_jpeg(tmp_path / "a.jpg", (200, 30, 30)))
    with db.transaction() as s:
        info = device_photos.attach_photo(s, store, master, client_id, device_id, prepared, "a.jpg")
    assert info.key == f"clients/{client_id}/devices/{device_id}/{Path(info.key).name}"
    assert (info.width, info.height) == (1200, 900)
    assert store.get(info.key) == prepared.data
    with pytest.raises(ValidationError, match="уже добавлено"), db.transaction() as s:
        device_photos.attach_photo(s, store, master, client_id, device_id, prepared, "a.jpg")
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(MasterDevicePhoto)) == 1
        assert [p.id for p in device_photos.list_photos(s, device_id)] == [info.id]
        assert device_photos.photo_bytes(s, store, info.id) == prepared.data


def test_batch_keeps_good_files_and_reports_bad_ones(
    db: Database, master: Actor, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    store = LocalStore(tmp_path / "objects")
    good = _jpeg(tmp_path / "Фото 1.jpg", (10, 120, 10))
    text = tmp_path / "notes.jpg"
    text.write_text("not a photo", encoding="utf-8")
    seen: list[int] = []
    outcomes = attach_files(
        db, store, master, client_id, device_id, [good, text, tmp_path / "missing.jpg"],
        on_progress=lambda done, total, outcome: seen.append(done),
    )  # fmt: skip
    assert seen == [1, 2, 3]
    assert [o.ok for o in outcomes] == [True, False, False]
    assert outcomes[1].error is not None
    assert "изображением" in outcomes[1].error
    with db.reading() as s:
        assert len(device_photos.list_photos(s, device_id)) == 1


def test_photos_are_read_only_after_signing(
    db: Database, master: Actor, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    with db.transaction() as s:
        s.get_one(MasterClient, client_id).status = "signed"
    prepared = prepare(_jpeg(tmp_path / "b.jpg", (1, 2, 3)))
    with pytest.raises(StateError), db.transaction() as s:
        device_photos.attach_photo(
            s, LocalStore(tmp_path / "o"), master, client_id, device_id, prepared
        )


def test_one_photo_removed_audited_and_left_for_gc(
    db: Database, master: Actor, other_master: Actor, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    store = LocalStore(tmp_path / "objects")
    kept, gone = (
        attach_files(db, store, master, client_id, device_id, [_jpeg(tmp_path / n, c)])[0].photo
        for n, c in (("kept.jpg", (9, 9, 9)), ("gone.jpg", (200, 9, 9)))
    )
    assert kept is not None
    assert gone is not None
    with pytest.raises(ConflictError), db.transaction() as s:  # another master's client
        device_photos.remove_photo(s, other_master, client_id, gone.id)
    with db.transaction() as s:
        removed = device_photos.remove_photo(s, master, client_id, gone.id)
    assert removed.orphaned_key == gone.key
    with pytest.raises(NotFoundError, match="уже удалили"), db.transaction() as s:
        device_photos.remove_photo(s, master, client_id, gone.id)
    with db.reading() as s:
        assert [p.id for p in device_photos.list_photos(s, device_id)] == [kept.id]
        assert client_log(s, client_id)[-1].body == (
            "Фото «gone.jpg» удалено с устройства «LG OLED55»"
        )
        assert orphans.collect_garbage(s, store, grace=timedelta(0)) == [gone.key]


def test_gc_removes_only_old_unreferenced_objects(
    db: Database, master: Actor, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    store = LocalStore(tmp_path / "objects")
    with db.transaction() as s:
        kept = device_photos.attach_photo(
            s, store, master, client_id, device_id, prepare(_jpeg(tmp_path / "k.jpg", (9, 9, 9)))
        )
    orphan = f"clients/{client_id}/devices/{device_id}/orphan.jpg"
    store.put(orphan, b"\xff\xd8 left by a failed commit", "image/jpeg")
    with db.reading() as s:
        assert orphans.collect_garbage(s, store) == []  # younger than the grace period
        later = orphans.collect_garbage(s, store, grace=timedelta(0), dry_run=True)
    assert later == [orphan]
    assert store.exists(orphan)
    with db.reading() as s:
        assert orphans.collect_garbage(s, store, grace=timedelta(0)) == [orphan]
    assert not store.exists(orphan)
    assert store.exists(kept.key)


def test_cli_photos_add_and_gc(
    db_url: str, db: Database, device: tuple[int, int], tmp_path: Path
) -> None:
    client_id, device_id = device
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_"))},
        "DATABASE_URL": db_url,
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "LOGNAME": "ops-olga",
        "USER": "ops-olga",
    }
    exe = str(Path(sys.executable).parent / "privet-tui")
    good = _jpeg(tmp_path / "good.jpg", (50, 60, 70))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xe0 truncated")
    result = subprocess.run(
        [exe, "photos", "add", str(client_id), str(device_id), str(good), str(bad)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Сохранено: 1, не принято: 1" in result.stdout
    assert "bad.jpg: не принят: " in result.stdout  # one language: no «FAILED: Файл …»
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"\S*/\S*", "", result.stdout))
    assert "Traceback" not in result.stderr
    with db.reading() as s:
        assert len(device_photos.list_photos(s, device_id)) == 1
    store = LocalStore(tmp_path / "data" / "objects")
    store.put(f"clients/{client_id}/stray.pdf", b"%PDF-", "application/pdf")
    time.sleep(0.01)
    gc = subprocess.run(
        [exe, "gc", "--grace-minutes", "0"], env=env, capture_output=True, text=True, timeout=120
    )
    assert gc.returncode == 0, gc.stderr
    assert "1 orphaned object(s) removed" in gc.stdout
    with db.reading() as s:  # issue 13: the CLI's photo is audited with the operator
        added = [e for e in client_log(s, client_id) if e.action == "device.photo_added"]
    assert [e.master_name for e in added] == ["оператор ops-olga"]
