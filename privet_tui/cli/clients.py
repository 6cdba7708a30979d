"""`privet-tui clients find|reassign|release|cancel`: an administrator's day from a shell.

These commands speak Russian throughout (their refusals are the workflow's own, the same
words the TUI shows). They act as the operator — no master is logged in — and the client's
log records the operating-system account (`оператор <user>`). CLIENT_ID is the
master-side client id that `find` prints (`клиент N`); the app's user id is shown beside it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NoReturn, TypeVar

import typer

from privet_tui.cli.common import gateway
from privet_tui.errors import PrivetError

app = typer.Typer(no_args_is_help=True, help="Клиенты: поиск, передача, возврат, отмена.")

T = TypeVar("T")


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"privet-tui: ошибка: {message}\n")
    raise SystemExit(1)


def _run(action: Callable[[], T]) -> T:
    """Run a service call; a refusal is one Russian line and exit status 1."""
    try:
        return action()
    except PrivetError as exc:
        _fail(exc.message)


@app.command()
def find(
    query: str = typer.Argument(..., help="Телефон, часть ФИО или email, номер договора."),
) -> None:
    """Найти человека: по строке на совпадение, с номерами для других команд."""
    from privet_tui.services.clients.lookup import find_people
    from privet_tui.services.rules.catalog import status_label

    found = _run(lambda: gateway().read(find_people, query))
    if not found:
        _fail(f"никто не найден по запросу «{query}»")
    for p in found:
        client = f"клиент {p.client_id}" if p.client_id is not None else "не взят"
        parts = [
            client,
            f"пользователь {p.user_id}",
            p.name or "—",
            p.phone or "—",
            status_label(p.status),
            p.master_name or "без мастера",
        ]
        if p.contract_number:
            parts.append(p.contract_number)
        typer.echo(" | ".join(parts))


@app.command()
def reassign(
    client_id: int = typer.Argument(..., help="Номер клиента (из `clients find`)."),
    to: str = typer.Option(..., "--to", help="Email мастера, которому передать клиента."),
) -> None:
    """Передать клиента другому мастеру."""
    from privet_tui.services.accounts import find_master
    from privet_tui.services.clients.claims import reassign_client

    door = gateway()
    target = door.read(find_master, to)
    if target is None:
        _fail(f"нет учётной записи мастера {to} (список: privet-tui master list)")
    _run(lambda: door.call(reassign_client, None, client_id, target.id))
    typer.echo(f"клиент {client_id} передан мастеру {to}")


@app.command()
def release(
    client_id: int = typer.Argument(..., help="Номер клиента (из `clients find`)."),
) -> None:
    """Вернуть клиента в «Новые» (данные сохраняются), пока договора нет."""
    from privet_tui.services.clients.claims import release_client

    _run(lambda: gateway().call(release_client, None, client_id))
    typer.echo(f"клиент {client_id} возвращён в «Новые»")


@app.command()
def cancel(
    client_id: int = typer.Argument(..., help="Номер клиента (из `clients find`)."),
    reason: str = typer.Option(..., "--reason", help="Причина (видна мастерам, не клиенту)."),
) -> None:
    """Отменить подключение клиента: неподписанный договор аннулируется, клиенту сообщается."""
    from privet_tui.services.clients.claims import cancel_client

    _run(lambda: gateway().call(cancel_client, None, client_id, reason))
    typer.echo(f"клиент {client_id} отменён")
