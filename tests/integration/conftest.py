"""Fixtures for the object-store tests: moto's S3 HTTP server on 127.0.0.1, and both backends."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from privet_tui.storage.base import ObjectStore
from privet_tui.storage.local import LocalStore
from privet_tui.storage.s3 import S3Store


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_moto(port: int = 0) -> tuple[ThreadedMotoServer, str]:
    """Start an in-process moto server; its state is process-global, shared by all servers."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return server, f"http://{host}:{bound}"


def unique_bucket() -> str:
    return f"t-{uuid.uuid4().hex[:24]}"


MotoStarter = Callable[[int], tuple[ThreadedMotoServer, str]]


@pytest.fixture
def moto_starter() -> Iterator[MotoStarter]:
    """Start extra moto servers (port 0 = any) that a test may stop; all stopped afterwards."""
    started: list[ThreadedMotoServer] = []

    def start(port: int = 0) -> tuple[ThreadedMotoServer, str]:
        server, endpoint = start_moto(port)
        started.append(server)
        return server, endpoint

    yield start
    for server in started:
        server.stop()  # stopping twice is harmless


@pytest.fixture
def closed_endpoint() -> str:
    """An http:// endpoint on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def bucket_name() -> Callable[[], str]:
    """A maker of fresh bucket names, so tests sharing the moto server never collide."""
    return unique_bucket


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """The shared S3 endpoint (moto accepts any credentials here)."""
    server, endpoint = start_moto()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_store(moto_endpoint: str) -> S3Store:
    """An S3 store on a bucket of its own, not yet created."""
    return S3Store(moto_endpoint, "test-access", "test-secret-key", unique_bucket())


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path, moto_endpoint: str) -> ObjectStore:
    """Each test using this runs against the local directory and against S3."""
    if request.param == "local":
        return LocalStore(tmp_path / "objects")
    return S3Store(moto_endpoint, "test-access", "test-secret-key", unique_bucket())


@dataclass(frozen=True)
class AuthMoto:
    """A moto server that checks signatures and IAM policies, with two real key pairs."""

    endpoint: str
    allowed: tuple[str, str]  # may do anything
    denied: tuple[str, str]  # valid keys without any policy


@pytest.fixture(scope="module")
def auth_moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthMoto]:
    """A separate moto process with authentication on (it is process-global in moto)."""
    boto3 = pytest.importorskip("boto3")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    # The first 5 requests (the IAM setup below) are let through unauthenticated.
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "5"}
    log_path = tmp_path_factory.mktemp("auth-moto") / "moto.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto server did not start: {log_path.read_text()[-2000:]}")
                time.sleep(0.05)
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="setup",
            aws_secret_access_key="setup",
        )
        policy = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        }
        iam.create_user(UserName="master")
        iam.put_user_policy(UserName="master", PolicyName="all", PolicyDocument=json.dumps(policy))
        allowed = iam.create_access_key(UserName="master")["AccessKey"]
        iam.create_user(UserName="nobody")
        denied = iam.create_access_key(UserName="nobody")["AccessKey"]
        yield AuthMoto(
            endpoint=endpoint,
            allowed=(allowed["AccessKeyId"], allowed["SecretAccessKey"]),
            denied=(denied["AccessKeyId"], denied["SecretAccessKey"]),
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
