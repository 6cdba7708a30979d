"""The app's own keys, on every screen: quit, help (`?`, and F1 where a focused field takes
`?` as text), the command palette and the lock."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from privet_tui.tui import texts

__all__ = ["APP_BINDINGS"]

APP_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+q",
        "quit",
        texts.KEY_QUIT,
        id="app.quit",
        tooltip=texts.KEY_QUIT_TIP,
        priority=True,
        key_display="^q",
    ),
    Binding(
        "question_mark",
        "help",
        texts.KEY_HELP,
        id="app.help",
        tooltip=texts.KEY_HELP_TIP,
        key_display="?",
    ),
    # «?» goes into a focused field as text, so the footer would lose its help key there;
    # F1 stands in for it (a tap on the footer's «F1 Помощь» presses F1, not a character).
    Binding(
        "f1",
        "help",
        texts.KEY_HELP,
        id="app.help_f1",
        tooltip=texts.KEY_HELP_TIP,
        key_display="F1",
    ),
    Binding(
        "ctrl+p",
        "command_palette",
        texts.KEY_PALETTE,
        id="app.palette",
        tooltip=texts.KEY_PALETTE_TIP,
        priority=True,
        key_display="^p",
    ),
    Binding(
        "ctrl+l",
        "lock",
        texts.KEY_LOCK,
        id="app.lock",
        tooltip=texts.KEY_LOCK_TIP,
        show=False,
        key_display="^l",
    ),
]
