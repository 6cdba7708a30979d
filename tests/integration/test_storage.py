"""Both object stores, the same cases: the local directory and S3 over HTTP (moto on 127.0.0.1)."""

from __future__ import annotations

import logging
import os
import socket
import stat
import threading
import time
import traceback
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from minio import Minio

from privet_tui.errors import ConfigError, StorageError
from privet_tui.storage.base import ObjectNotFoundError, ObjectStore, StoredObject
from privet_tui.storage.keys import contract_key, invoice_key, photo_key
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from moto.server import ThreadedMotoServer

    MotoStarter = Callable[..., tuple[ThreadedMotoServer, str]]


class AuthMoto(Protocol):
    """The `auth_moto` fixture's value (see conftest.py)."""

    endpoint: str
    allowed: tuple[str, str]
    denied: tuple[str, str]


PDF = "application/pdf"
JPEG = "image/jpeg"


def fetch(url: str) -> httpx.Response | bytes:
    """Follow a link the way a client would: HTTP GET, or read the file of a file:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path)).read_bytes()
    return httpx.get(url, timeout=10)


def fetched_bytes(url: str) -> bytes:
    result = fetch(url)
    if isinstance(result, bytes):
        return result
    assert result.status_code == 200, result.text
    return result.content


# --- the common contract ------------------------------------------------------------------------


def test_put_get_exists_overwrite(store: ObjectStore) -> None:
    key = photo_key(1, 2, uuid.uuid4().hex)
    assert not store.exists(key)
    store.put(key, b"first", JPEG)
    assert store.exists(key)
    assert store.get(key) == b"first"
    store.put(key, b"second, longer", JPEG)
    assert store.get(key) == b"second, longer"


def test_get_missing_is_not_found(store: ObjectStore) -> None:
    store.put("clients/1/other.pdf", b"x", PDF)  # the bucket exists, the key does not
    with pytest.raises(ObjectNotFoundError) as caught:
        store.get("clients/1/missing.pdf")
    assert isinstance(caught.value, StorageError)
    assert "clients/1/missing.pdf" in caught.value.message


def test_delete_and_delete_missing(store: ObjectStore) -> None:
    store.put("clients/1/a.pdf", b"a", PDF)
    store.delete("clients/1/a.pdf")
    assert not store.exists("clients/1/a.pdf")
    store.delete("clients/1/a.pdf")  # again: no error
    store.delete("clients/404/never.pdf")


def test_list_by_prefix_in_key_order(store: ObjectStore) -> None:
    keys = [
        "clients/1/devices/5/b.jpg",
        "clients/1/devices/5/a.jpg",
        "clients/1/invoices/1.pdf",
        "clients/12/invoices/2.pdf",
        "clients/2/invoices/3.pdf",
    ]
    for number, key in enumerate(keys):
        store.put(key, b"x" * (number + 1), PDF)
    before = datetime.now(UTC) - timedelta(minutes=5)

    listed = list(store.list("clients/1/"))
    assert [o.key for o in listed] == sorted(keys[:3])
    assert {o.key: o.size for o in listed} == {keys[0]: 1, keys[1]: 2, keys[2]: 3}
    for item in listed:
        assert isinstance(item, StoredObject)
        assert item.modified.tzinfo is not None
        assert item.modified.utcoffset() == timedelta(0)
        assert before < item.modified < datetime.now(UTC) + timedelta(minutes=5)

    # A prefix is a string prefix, as in S3: "clients/1" also matches "clients/12/…".
    assert [o.key for o in store.list("clients/1")] == sorted(keys[:4])
    assert [o.key for o in store.list()] == sorted(keys)
    assert [o.key for o in store.list("clients/1/devices/5/a")] == [keys[1]]
    assert list(store.list("clients/3/")) == []


def test_link_fetches_the_bytes(store: ObjectStore) -> None:
    key = invoice_key(3, "СЧ-2026-000001")
    data = os.urandom(2048)
    store.put(key, data, PDF)
    url = store.link(key)
    assert fetched_bytes(url) == data
    if isinstance(store, LocalStore):
        assert url.startswith("file:///")
        assert Path(unquote(urlsplit(url).path)).is_absolute()
    else:
        assert url.startswith("http://127.0.0.1:")
        assert "X-Amz-Signature=" in url


@pytest.mark.parametrize(
    "key",
    [
        "clients/7/contracts/ПМ-2026-000123-draft.pdf",
        "clients/7/акты/акт приёмки №5 (копия).pdf",
        "clients/7/odd/a+b%20c&d=e;f@g.pdf",
    ],
)
def test_unusual_keys_round_trip(store: ObjectStore, key: str) -> None:
    data = f"документ {key}".encode()
    store.put(key, data, PDF)
    assert store.exists(key)
    assert store.get(key) == data
    assert [o.key for o in store.list("clients/7/")] == [key]
    assert fetched_bytes(store.link(key)) == data
    store.delete(key)
    assert not store.exists(key)


def test_contract_keys_with_cyrillic_number(store: ObjectStore) -> None:
    draft = contract_key(9, "ПМ-2026-000123", signed=False)
    signed = contract_key(9, "ПМ-2026-000123", signed=True)
    store.put(draft, b"draft", PDF)
    store.put(signed, b"signed", PDF)
    assert [o.key for o in store.list("clients/9/contracts/")] == [draft, signed]
    assert store.get(signed) == b"signed"


def test_large_object_round_trip(store: ObjectStore) -> None:
    data = os.urandom(6 * 1024 * 1024)  # above minio's 5 MiB part size: multipart upload
    store.put("clients/1/big.bin", data, "application/octet-stream")
    assert store.get("clients/1/big.bin") == data


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside",
        "clients/../../outside",
        "clients/./1",
        "clients//1",
        "clients/1/",
        "clients\\1",
        "clients/1/\x00",
        "clients/1/.privet-tmp-abc",
    ],
)
def test_bad_keys_refused(store: ObjectStore, key: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="key"):
        store.put(key, b"x", PDF)
    with pytest.raises(ValueError, match="key"):
        store.get(key)
    with pytest.raises(ValueError, match="key"):
        store.link(key)
    assert not (tmp_path / "outside").exists()


def test_bad_prefix_refused(store: ObjectStore) -> None:
    with pytest.raises(ValueError, match="key"):
        list(store.list("../"))


def test_check_passes_and_leaves_nothing(store: ObjectStore) -> None:
    store.check()
    store.check()
    assert list(store.list()) == []


def test_description_names_the_target(store: ObjectStore) -> None:
    if isinstance(store, S3Store):
        assert store.description.startswith("s3 http://127.0.0.1:")
        assert f"bucket {store.bucket}" in store.description
    else:
        assert isinstance(store, LocalStore)
        assert store.description == f"local {store.root}"


def test_concurrent_puts_share_one_lazy_bucket(store: ObjectStore) -> None:
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            store.put(f"clients/1/parallel/{number}.jpg", str(number).encode(), JPEG)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(list(store.list("clients/1/parallel/"))) == 8


# --- key helpers --------------------------------------------------------------------------------


def test_key_helpers() -> None:
    photo = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert photo_key(1, 2, str(photo)) == f"clients/1/devices/2/{photo}.jpg"
    assert photo_key(1, 2, photo.hex) == f"clients/1/devices/2/{photo}.jpg"  # one spelling
    assert photo_key(1, 2, photo) == f"clients/1/devices/2/{photo}.jpg"
    assert contract_key(5, "ПМ-2026-000123", signed=False) == (
        "clients/5/contracts/ПМ-2026-000123-draft.pdf"
    )
    assert contract_key(5, "ПМ-2026-000123", signed=True) == (
        "clients/5/contracts/ПМ-2026-000123-signed.pdf"
    )
    assert invoice_key(5, "СЧ-1") == "clients/5/invoices/СЧ-1.pdf"
    decomposed = "ПМ-Й".replace("Й", "И\u0306")  # the same text, NFD: one key all the same
    assert contract_key(5, decomposed, signed=False) == contract_key(5, "ПМ-Й", signed=False)


@pytest.mark.parametrize("number", ["", " ПМ-1", "a/b", "..", "ПМ\n1", "x\\y", "N" * 101])
def test_document_numbers_unfit_for_keys(number: str) -> None:
    with pytest.raises(ValueError, match="number"):
        contract_key(1, number, signed=False)
    with pytest.raises(ValueError, match="number"):
        invoice_key(1, number)


@pytest.mark.parametrize("bad_id", [0, -1, True])
def test_ids_must_be_positive(bad_id: int) -> None:
    with pytest.raises(ValueError, match="id"):
        photo_key(bad_id, 1, str(uuid.uuid4()))
    with pytest.raises(ValueError, match="id"):
        invoice_key(bad_id, "1")


def test_photo_key_needs_a_uuid() -> None:
    with pytest.raises(ValueError, match="UUID"):
        photo_key(1, 1, "../../etc/passwd")


# --- local directory specifics ------------------------------------------------------------------


def test_local_files_mode_0640_and_no_temp_left(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    key = contract_key(4, "ПМ-2026-000001", signed=False)
    store.put(key, b"one", PDF)
    store.put(key, b"two", PDF)
    path = tmp_path / "objects" / "clients" / "4" / "contracts" / "ПМ-2026-000001-draft.pdf"
    assert path.read_bytes() == b"two"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    leftovers = [p for p in (tmp_path / "objects").rglob("*") if ".privet-tmp-" in p.name]
    assert leftovers == []


def test_local_failed_write_keeps_old_file_and_no_temp(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    store.put("clients/1/a.pdf", b"old", PDF)
    # Make the target a directory: the rename fails after the temp file was written.
    (tmp_path / "objects" / "clients" / "1" / "dir.pdf").mkdir()
    with pytest.raises(StorageError, match="Не удалось записать"):
        store.put("clients/1/dir.pdf", b"new", PDF)
    assert store.get("clients/1/a.pdf") == b"old"
    names = [p.name for p in (tmp_path / "objects" / "clients" / "1").iterdir()]
    assert sorted(names) == ["a.pdf", "dir.pdf"]
    assert [o.key for o in store.list()] == ["clients/1/a.pdf"]


def test_local_list_ignores_temp_files(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    store.put("clients/1/a.pdf", b"a", PDF)
    (tmp_path / "clients" / "1" / ".privet-tmp-crashed").write_bytes(b"half")
    assert [o.key for o in store.list()] == ["clients/1/a.pdf"]


def test_local_check_fails_clearly_when_root_unusable(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    store = LocalStore(blocker / "objects")
    with pytest.raises(StorageError, match="Папка хранилища недоступна"):
        store.check()
    with pytest.raises(StorageError):
        store.put("clients/1/a.pdf", b"a", PDF)


def test_local_store_on_missing_root_lists_nothing(tmp_path: Path) -> None:
    assert list(LocalStore(tmp_path / "nowhere").list()) == []


# --- S3 specifics -------------------------------------------------------------------------------


def test_s3_bucket_created_on_first_use(moto_endpoint: str, bucket_name: Callable[[], str]) -> None:
    bucket = bucket_name()
    inspector = Minio(
        moto_endpoint.removeprefix("http://"),
        access_key="inspector",
        secret_key="inspector-secret",
        secure=False,
    )
    store = S3Store(moto_endpoint, "test-access", "test-secret-key", bucket)
    assert not inspector.bucket_exists(bucket)  # the constructor does no I/O
    assert not store.exists("clients/1/a.jpg")
    assert inspector.bucket_exists(bucket)
    store.put("clients/1/a.jpg", b"jpeg", JPEG)
    # A second store (another workstation) finds the bucket and uses it.
    other = S3Store(moto_endpoint, "test-access", "test-secret-key", bucket)
    assert other.get("clients/1/a.jpg") == b"jpeg"


def test_s3_content_type_is_set(s3_store: S3Store) -> None:
    s3_store.put("clients/1/c.pdf", b"%PDF-1.4", PDF)
    s3_store.put("clients/1/p.jpg", b"\xff\xd8\xff", JPEG)
    for key, content_type in (("clients/1/c.pdf", PDF), ("clients/1/p.jpg", JPEG)):
        response = fetch(s3_store.link(key))
        assert isinstance(response, httpx.Response)
        assert response.headers["content-type"] == content_type


def test_s3_link_expiry_is_in_the_url(moto_endpoint: str, bucket_name: Callable[[], str]) -> None:
    store = S3Store(
        moto_endpoint, "a", "b", bucket_name(), link_expiry=timedelta(hours=2), region="us-east-1"
    )
    store.put("clients/1/x.pdf", b"x", PDF)
    assert "X-Amz-Expires=7200" in store.link("clients/1/x.pdf")


@pytest.mark.parametrize(
    "endpoint",
    ["127.0.0.1:9000", "ftp://host", "http://", "http://host:9000/path", "http://host:notaport"],
)
def test_s3_endpoint_must_have_scheme_and_host(endpoint: str) -> None:
    with pytest.raises(ConfigError, match="S3_ENDPOINT"):
        S3Store(endpoint, "a", "b", "privet-bucket")


def test_s3_endpoint_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ConfigError) as caught:
        S3Store("http://user:hunter2@127.0.0.1:9000", "a", "b", "privet-bucket")
    assert "hunter2" not in str(caught.value)


def test_s3_constructor_checks(moto_endpoint: str) -> None:
    with pytest.raises(ConfigError, match="bucket"):
        S3Store(moto_endpoint, "a", "b", "Bad_Bucket")
    with pytest.raises(ConfigError, match="S3_SECRET_KEY"):
        S3Store(moto_endpoint, "a", "", "privet-bucket")
    with pytest.raises(ConfigError, match="7 days"):
        S3Store(moto_endpoint, "a", "b", "privet-bucket", link_expiry=timedelta(days=8))
    store = S3Store("https://s3.example.com", "a", "very-secret", "privet-bucket")
    assert store.description == "s3 https://s3.example.com bucket privet-bucket"
    assert "very-secret" not in repr(store)


def test_wrong_secret_is_reported_as_wrong_keys(
    auth_moto: AuthMoto, bucket_name: Callable[[], str]
) -> None:
    access_key, _secret = auth_moto.allowed
    store = S3Store(auth_moto.endpoint, access_key, "not-the-secret", bucket_name())
    with pytest.raises(StorageError) as caught:
        store.put("clients/1/a.jpg", b"x", JPEG)
    assert caught.value.message == "Хранилище отклонило ключи доступа (S3_ACCESS_KEY/S3_SECRET_KEY)"
    with pytest.raises(StorageError, match="ключи доступа"):
        store.check()


def test_unknown_access_key_is_reported_as_wrong_keys(
    auth_moto: AuthMoto, bucket_name: Callable[[], str]
) -> None:
    store = S3Store(auth_moto.endpoint, "AKIANOSUCHKEY0000000", "whatever", bucket_name())
    with pytest.raises(StorageError, match=r"S3_ACCESS_KEY/S3_SECRET_KEY"):
        store.exists("clients/1/a.jpg")


def test_key_without_rights_is_reported_as_access_denied(
    auth_moto: AuthMoto, bucket_name: Callable[[], str]
) -> None:
    store = S3Store(auth_moto.endpoint, auth_moto.denied[0], auth_moto.denied[1], bucket_name())
    with pytest.raises(StorageError, match="отказало в доступе"):
        store.put("clients/1/a.jpg", b"x", JPEG)


def test_right_keys_work_on_the_authenticating_server(
    auth_moto: AuthMoto, bucket_name: Callable[[], str]
) -> None:
    # Proves the tests above fail because of the keys, not because of the server.
    store = S3Store(auth_moto.endpoint, auth_moto.allowed[0], auth_moto.allowed[1], bucket_name())
    store.check()
    store.put("clients/1/a.jpg", b"x", JPEG)
    assert store.get("clients/1/a.jpg") == b"x"
    # (moto answers 500 to presigned URLs when its authentication is on, so links are
    # fetched only on the shared server, which accepts any signature.)


def test_secret_never_in_messages_or_logs(
    auth_moto: AuthMoto,
    closed_endpoint: str,
    bucket_name: Callable[[], str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "S3cr3t-" + uuid.uuid4().hex
    caplog.set_level(logging.DEBUG)
    failures: list[BaseException] = []
    for endpoint in (auth_moto.endpoint, closed_endpoint):
        store = S3Store(endpoint, auth_moto.allowed[0], secret, bucket_name(), retry_budget=0.5)
        with pytest.raises(StorageError) as caught:
            store.check()
        failures.append(caught.value)
    for failure in failures:
        assert secret not in "".join(traceback.format_exception(failure))
    assert secret not in caplog.text


def test_endpoint_down_fails_quickly_and_clearly(
    closed_endpoint: str, bucket_name: Callable[[], str]
) -> None:
    endpoint = closed_endpoint
    store = S3Store(endpoint, "a", "b", bucket_name())
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        store.put("clients/1/a.jpg", b"x", JPEG)
    elapsed = time.monotonic() - started
    assert caught.value.message == f"Хранилище недоступно: {endpoint} не отвечает"
    assert elapsed < 10  # loose: the retry budget is ~3 s
    with pytest.raises(StorageError, match="не отвечает"):
        store.check()
    with pytest.raises(StorageError, match="не отвечает"):
        list(store.list())


def test_endpoint_stopped_mid_batch_keeps_done_objects(
    moto_starter: MotoStarter, bucket_name: Callable[[], str]
) -> None:
    server, endpoint = moto_starter(0)
    port = int(endpoint.rsplit(":", 1)[1])
    bucket = bucket_name()
    store = S3Store(endpoint, "a", "b", bucket, retry_budget=1.0)
    batch = [photo_key(1, 1, str(uuid.uuid4())) for _ in range(5)]
    done: list[str] = []
    failed: list[str] = []
    messages: list[str] = []
    for number, key in enumerate(batch):
        if number == 3:
            server.stop()  # the endpoint goes away in the middle of the batch
        try:
            store.put(key, f"photo {number}".encode(), JPEG)
            done.append(key)
        except StorageError as exc:
            messages.append(exc.message)
            failed.append(key)
    assert done == batch[:3]
    assert failed == batch[3:]
    assert messages == [f"Хранилище недоступно: {endpoint} не отвечает"] * 2
    # moto keeps its state in this process, so a server started again on the same port shows
    # what the bucket holds after the outage: exactly the objects reported as done.
    _restarted, again = moto_starter(port)
    assert again == endpoint
    after = S3Store(endpoint, "a", "b", bucket)
    assert sorted(o.key for o in after.list()) == sorted(done)
    assert after.get(done[0]) == b"photo 0"


def test_endpoint_that_accepts_but_never_answers_times_out(
    bucket_name: Callable[[], str],
) -> None:
    # A listening socket nobody accepts from: TCP connects, the request is sent, no reply.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}"
        store = S3Store(endpoint, "a", "b", bucket_name(), read_timeout=0.3, retry_budget=1.0)
        started = time.monotonic()
        with pytest.raises(StorageError) as caught:
            store.put("clients/1/a.jpg", b"x", JPEG)
        assert caught.value.message == f"Хранилище недоступно: {endpoint} не отвечает"
        assert time.monotonic() - started < 10
