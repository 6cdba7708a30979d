"""`privet-tui client-view USER_ID`: the client's side of the support channel."""

from __future__ import annotations

import typer

from privet_tui.cli.common import gateway


def client_view(user_id: int = typer.Argument(..., help="users.id of the client.")) -> None:
    """Print the client's master-channel ticket as the «Привет Супер» app shows it."""
    from privet_tui.services.client_view import render_client_view

    door = gateway()
    typer.echo(door.read(render_client_view, user_id, door.settings.zone))
