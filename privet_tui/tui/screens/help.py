"""The help screen: the workflow and the photo options in a few lines, then every key of the
screen beneath and of the whole app, with what it does."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from privet_tui.tui import texts
from privet_tui.tui.widgets.footer import PrivetFooter

__all__ = ["HelpScreen", "key_lines"]


def key_lines(screen: Screen[Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(screen keys, app keys) as (keys, description) pairs: the bindings with an id."""
    merged: dict[tuple[int, str], tuple[list[str], str, bool]] = {}  # (node, description)
    for active in screen.active_bindings.values():
        binding = active.binding
        node = active.node
        if not (binding.id and binding.description):
            continue  # Textual's own keys (cursor moves, focus) need no explaining
        display = binding.key_display or screen.app.get_key_display(binding)
        slot = merged.setdefault(
            (id(node), binding.description), ([], binding.description, node is screen.app)
        )
        if display not in slot[0]:
            slot[0].append(display)
    own: list[tuple[str, str]] = []
    app: list[tuple[str, str]] = []
    for keys, description, is_app in merged.values():
        (app if is_app else own).append(("/".join(keys), description))
    return own, app


class HelpScreen(ModalScreen[None]):
    """Lists the keys of the screen it was opened over."""

    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,й,question_mark", "close", texts.KEY_CLOSE, id="help.close", key_display="Esc"
        ),
    ]

    def __init__(self, beneath: Screen[Any]) -> None:
        super().__init__()
        self._own, self._app = key_lines(beneath)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Label(texts.HELP_TITLE, id="help-title")
            with VerticalScroll():
                yield Static(self._render_keys(), id="help-keys")
            yield Label(texts.HELP_FOOTER, id="help-hint")
        yield PrivetFooter()

    def _render_keys(self) -> Text:
        out = Text()
        out.append(texts.HELP_WORKFLOW_TITLE + "\n", style="bold")
        out.append(texts.HELP_WORKFLOW + "\n\n")
        for heading, lines in ((texts.HELP_SCREEN, self._own), (texts.HELP_GLOBAL, self._app)):
            if not lines:
                continue
            out.append(heading + "\n", style="bold")
            for keys, description in lines:
                out.append(f"  {keys:<14}", style="bold")
                out.append(description + "\n")
            out.append("\n")
        out.rstrip()
        return out

    def action_close(self) -> None:
        """Back to the screen beneath."""
        self.dismiss(None)
