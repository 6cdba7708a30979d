"""The upload page in a real browser (issue 10): Debian's chromium, headless, driven through
chromium-driver by selenium (no browser download), opens the link, chooses the HEIC and a
rotated JPEG, and the page posts them to the bucket; `collect` then attaches both, upright."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from privet_tui.config import Settings
from privet_tui.db.engine import Database
from privet_tui.services import phone_upload
from privet_tui.services.actor import Actor
from privet_tui.services.gateway import open_gateway
from privet_tui.services.rules.catalog import DeviceInput
from privet_tui.services.steps import devices
from privet_tui.storage.s3 import S3Store
from tests.conftest import SHARED_TESTDATA

PHOTOS = SHARED_TESTDATA / "photos"
HEIC = PHOTOS / "heic" / "IMG_5195.HEIC"
ROTATED = PHOTOS / "orientation" / "portrait_6.jpg"  # EXIF orientation 6: upright is portrait
CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None or DRIVER is None, reason="chromium and chromium-driver are not installed"
    ),
    pytest.mark.skipif(not HEIC.is_file() or not ROTATED.is_file(), reason=f"{PHOTOS} is absent"),
]


def test_page_in_chromium_uploads_two_photos_that_get_attached(
    settings: Settings,
    db: Database,
    master: Actor,
    user_id: int,
    moto_endpoint: str,
    s3_store: S3Store,
    tmp_path: Path,
) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    config = dataclasses.replace(
        settings,
        s3_endpoint=moto_endpoint,
        s3_access_key="test-access",
        s3_secret_key="test-secret-key",
        s3_bucket=s3_store.bucket,
    )
    door = open_gateway(config, database=db, store=s3_store)
    card = door.claim_client(master, user_id)
    assert card.client_id is not None
    assert card.version is not None
    with db.transaction() as s:
        saved = devices.add_device(
            s, master, card.client_id, card.version, DeviceInput("tv", "LG", "OLED55", "X1")
        )
    link = door.phone_link(master, card.client_id, saved.device_id)

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    browser = webdriver.Chrome(options=options, service=Service(executable_path=str(DRIVER)))
    try:
        browser.set_window_size(390, 844)  # a phone's viewport
        browser.get(link.url)
        wait = WebDriverWait(browser, 30)
        wait.until(lambda b: b.find_element(By.ID, "form").is_displayed())
        assert "Ссылка действует до" in browser.find_element(By.ID, "valid").text
        browser.find_element(By.ID, "files").send_keys(f"{HEIC}\n{ROTATED}")
        wait.until(
            lambda b: len(b.find_elements(By.CSS_SELECTOR, "#list li.ok, #list li.fail")) == 2
        )
        rows = browser.find_elements(By.CSS_SELECTOR, "#list li")
        assert [r.get_attribute("class") for r in rows] == ["ok", "ok"], [r.text for r in rows]
        assert all("Отправлено" in r.text for r in rows)
        # An expired link, and one whose form is gone (gc'd or never made): clear messages.
        old = phone_upload.create_link(
            s3_store,
            config,
            card.client_id,
            saved.device_id,
            at=datetime.now(UTC) - timedelta(hours=1),
        )
        for url, words in [
            (old.url, "Ссылка устарела"),
            (link.url.replace("#", "#x") + "x", "Ссылка больше не действует"),
        ]:
            browser.get("about:blank")
            browser.get(url)
            wait.until(lambda b, w=words: w in b.find_element(By.ID, "message").text)
            assert not browser.find_element(By.ID, "form").is_displayed()
    finally:
        browser.quit()

    outcomes = door.collect_phone_photos(master, card.client_id, saved.device_id)
    by_name = {o.name: o for o in outcomes}
    assert set(by_name) == {HEIC.name, ROTATED.name}
    for outcome in outcomes:
        assert outcome.photo is not None, outcome.reason
        assert max(outcome.photo.width, outcome.photo.height) <= 1200
    turned = by_name[ROTATED.name].photo
    assert turned is not None
    assert turned.height > turned.width  # upright
