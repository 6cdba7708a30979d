"""`privet-tui client-view WHO`: the client's side of the support channel.

WHO is the app's user id (`users.id`, as the card and `clients find` show it), a phone, or
a contract number.
"""

from __future__ import annotations

import typer

from privet_tui.cli.common import fail, gateway

#: Longer digit strings are phone numbers, not ids.
_MAX_ID_DIGITS = 9


def client_view(
    who: str = typer.Argument(..., help="users.id, a phone or a contract number (ПМ-2026-…)."),
) -> None:
    """Print the client's master-channel ticket as the «Привет Супер» app shows it."""
    from privet_tui.services.client_view import render_client_view
    from privet_tui.services.clients.lookup import find_people

    door = gateway()
    text = who.strip()
    if text.isdigit() and len(text) <= _MAX_ID_DIGITS:
        user_id = int(text)
    else:
        found = door.read(find_people, text, limit=5)
        if not found:
            fail(f"nobody matches {who!r}: give a users.id, a phone or a contract number")
        if len(found) > 1:
            ids = ", ".join(str(p.user_id) for p in found)
            fail(f"{who!r} matches several people (users.id {ids}): give one users.id")
        user_id = found[0].user_id
    typer.echo(door.read(render_client_view, user_id, door.settings.zone))
