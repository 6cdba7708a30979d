"""A master's app as a child process that a test kills at the dangerous moment: gates (marker
files the child arrives at and waits), an object store that stops at a gate after an upload,
and the child itself (`start_child` runs `child_main` in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from privet_tui.config import Settings
from privet_tui.db.engine import database_from_url
from privet_tui.services.actor import Actor
from privet_tui.storage.base import ObjectStore, SharedLink, StoredObject
from tests.faults.state import client_id_of, first_device
from tests.faults.workflow import step_action

#: The checkout, put first on the child's sys.path so that it imports these very modules.
ROOT = Path(__file__).resolve().parents[2]


class Gate:
    """A directory of marker files: the child `arrive()`s and waits; the parent kills it."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def arrive(self, name: str, *, hold: float = 120.0) -> None:
        """Say we are at `name`, then wait for `release(name)` (normally a SIGKILL comes first)."""
        self.mark(name)
        release = self.directory / f"go-{name}"
        deadline = time.monotonic() + hold
        while not release.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gate {name} was never released")
            time.sleep(0.02)

    def mark(self, name: str) -> None:
        """Say we are at `name` and go on."""
        (self.directory / f"at-{name}").write_text(str(os.getpid()))

    def reached(self, name: str) -> bool:
        return (self.directory / f"at-{name}").exists()

    def release(self, name: str) -> None:
        (self.directory / f"go-{name}").write_text("go")


class GatedStore:
    """An object store that stops at the gate right after an upload whose key matches."""

    def __init__(self, inner: ObjectStore, gate: Gate, after_put: str | None) -> None:
        self.inner = inner
        self.gate = gate
        self.after_put = after_put
        self.description = f"gated {inner.description}"

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.inner.put(key, data, content_type)
        if self.after_put is not None and self.after_put in key:
            self.gate.arrive("uploaded")

    def get(self, key: str) -> bytes:
        return self.inner.get(key)

    def exists(self, key: str) -> bool:
        return self.inner.exists(key)

    def delete(self, key: str) -> None:
        self.inner.delete(key)

    def list(self, prefix: str = "") -> Iterator[StoredObject]:
        return self.inner.list(prefix)

    def link(self, key: str) -> str:
        return self.inner.link(key)

    def shareable_link(self, key: str) -> SharedLink | None:
        return self.inner.shareable_link(key)

    def check(self) -> None:
        self.inner.check()


@dataclass(frozen=True)
class ChildSpec:
    """What a child process does: one step for one client, frozen at `hold` (see `child_main`)."""

    db_url: str
    store_root: str
    secret_key: str
    data_dir: str
    actor: dict[str, Any]
    user_id: int
    step: str
    gate_dir: str
    #: "before_commit" | "after_commit" | "render" | "put:<key part>"
    hold: str
    photo: str | None = None


def actor_dict(actor: Actor) -> dict[str, Any]:
    """The actor as `ChildSpec.actor` carries it."""
    return asdict(actor)


def child_main(spec_json: str) -> None:
    """Run one step as the app would, stopping at the gate named by `spec.hold`."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from privet_tui.storage.local import LocalStore

    spec = ChildSpec(**json.loads(spec_json))
    gate = Gate(Path(spec.gate_dir))
    db = database_from_url(spec.db_url)
    settings = Settings(
        database_url=spec.db_url, secret_key=spec.secret_key, data_dir=Path(spec.data_dir)
    )
    actor = Actor(**spec.actor)
    after_put = spec.hold.removeprefix("put:") if spec.hold.startswith("put:") else None
    store = GatedStore(LocalStore(Path(spec.store_root)), gate, after_put)

    if spec.hold == "before_commit":

        @event.listens_for(Session, "before_commit")
        def _hold_before_commit(session: Session) -> None:
            session.flush()  # every statement of the step has run; only COMMIT is missing
            gate.arrive("before_commit")

    elif spec.hold == "after_commit":

        @event.listens_for(Session, "after_commit")
        def _hold_after_commit(session: Session) -> None:
            gate.arrive("after_commit")

    elif spec.hold == "render":
        from privet_tui.services.steps import contract, contract_signing, invoice

        real_contract, real_invoice = contract.render_contract, invoice.render_invoice

        def render_contract(*args: Any, **kwargs: Any) -> bytes:
            gate.arrive("render")
            return real_contract(*args, **kwargs)

        def render_invoice(*args: Any, **kwargs: Any) -> bytes:
            gate.arrive("render")
            return real_invoice(*args, **kwargs)

        contract.render_contract = render_contract
        contract_signing.render_contract = render_contract
        invoice.render_invoice = render_invoice

    if spec.step == "photo":
        from privet_tui.photos import prepare
        from privet_tui.services.steps import device_photos as photos

        assert spec.photo is not None
        client_id = client_id_of(db, spec.user_id)
        device_id = first_device(db, client_id)
        prepared = prepare(spec.photo)
        with db.transaction() as session:
            photos.attach_photo(session, store, actor, client_id, device_id, prepared, "p.jpg")
    else:
        step_action(spec.step, db, store, settings, actor, spec.user_id)
    gate.mark("finished")


def start_child(spec: ChildSpec) -> subprocess.Popen[bytes]:
    """Start `child_main(spec)` in a fresh interpreter (a separate process, like a 2nd terminal)."""
    code = "import sys; sys.path.insert(0, sys.argv[1]); "
    code += "from tests.faults.child_process import child_main; child_main(sys.argv[2])"
    return subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT), json.dumps(asdict(spec))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
