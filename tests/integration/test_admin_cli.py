"""`privet-tui clients find|reassign|release|cancel` and `client-view` by phone or contract
number, on the demo's clients (issue 13, item 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from privet_tui.db.engine import Database
from privet_tui.demo.seed import SECOND_EMAIL
from privet_tui.services.clients.lookup import find_people
from tests.integration.test_cli import run


@pytest.fixture
def env(demo_db_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": demo_db_url,
        "PRIVET_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "SECRET_KEY": "admin-cli-test-secret-key-0123456789",
        "LOGNAME": "ops-ivan",
        "USER": "ops-ivan",
    }


def _one(db: Database, sql: str) -> tuple:  # type: ignore[type-arg]
    with db.reading() as s:
        return tuple(s.execute(text(sql)).one())


def _refusal(done: object) -> str:
    assert done.returncode == 1  # type: ignore[attr-defined]
    assert "Traceback" not in done.stderr  # type: ignore[attr-defined]
    lines = done.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1
    assert lines[0].startswith("privet-tui: ошибка: ")
    return lines[0]


def test_find_by_contract_number_phone_and_name(env: dict[str, str], demo_db: Database) -> None:
    number, client_id, user_id, phone, name = _one(
        demo_db,
        "SELECT k.number, c.id, c.user_id, c.phone, c.full_name FROM master_contracts k"
        " JOIN master_clients c ON c.id = k.client_id ORDER BY k.id LIMIT 1",
    )
    with demo_db.reading() as s:
        pasted = number.lower().replace("-", "–")  # lower case, en dashes
        for query in (
            number,
            number.lower().replace("пм", "PM"),
            pasted,
            phone,
            "8" + phone[2:],
            name,
        ):
            found = find_people(s, query)
            assert (client_id, user_id) in [(p.client_id, p.user_id) for p in found], query
        assert find_people(s, "ПМ-1999-000001") == []
    done = run("clients", "find", phone, env=env)
    assert done.returncode == 0, done.stderr
    assert f"клиент {client_id} | пользователь {user_id} | {name}" in done.stdout
    assert number in done.stdout
    assert "никто не найден" in _refusal(run("clients", "find", "ПМ-1999-000001", env=env))
    viewed = run("client-view", number, env=env)
    assert viewed.returncode == 0, viewed.stderr
    assert viewed.stdout == run("client-view", str(user_id), env=env).stdout


def test_reassign_release_cancel_from_the_shell(env: dict[str, str], demo_db: Database) -> None:
    (client_id,) = _one(
        demo_db, "SELECT id FROM master_clients WHERE status = 'in_progress' ORDER BY id LIMIT 1"
    )
    done = run("clients", "reassign", str(client_id), "--to", SECOND_EMAIL, env=env)
    assert done.returncode == 0, done.stderr
    assert _one(
        demo_db,
        f"SELECT u.email FROM master_clients c JOIN master_users u"
        f" ON u.id = c.assigned_master_id WHERE c.id = {client_id}",
    ) == (SECOND_EMAIL,)
    assert run("clients", "release", str(client_id), env=env).returncode == 0
    assert _one(demo_db, f"SELECT status FROM master_clients WHERE id = {client_id}") == ("new",)
    assert "Заполните поле" in _refusal(
        run("clients", "cancel", str(client_id), "--reason", "  ", env=env)
    )
    done = run("clients", "cancel", str(client_id), "--reason", "Заявка-дубль", env=env)
    assert done.returncode == 0, done.stderr
    assert _one(
        demo_db, f"SELECT status, cancel_reason FROM master_clients WHERE id = {client_id}"
    ) == (
        "cancelled",
        "Заявка-дубль",
    )
    (operator_lines,) = _one(
        demo_db,
        "SELECT count(*) FROM master_support_messages WHERE payload->>'operator' = 'ops-ivan'",
    )
    assert operator_lines == 3


def test_refusals_are_one_russian_line(env: dict[str, str], demo_db: Database) -> None:
    (paid,) = _one(demo_db, "SELECT id FROM master_clients WHERE status = 'paid' LIMIT 1")
    assert "отменить клиента" in _refusal(
        run("clients", "cancel", str(paid), "--reason", "передумал", env=env)
    )
    assert "Клиент не найден" in _refusal(run("clients", "release", "999999", env=env))
    assert "нет учётной записи" in _refusal(
        run("clients", "reassign", str(paid), "--to", "nobody@example.com", env=env)
    )
