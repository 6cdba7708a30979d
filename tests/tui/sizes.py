"""Screenshots of one screen at three terminal sizes from one run of the app: a phone
(48x16, the smallest laid out), the classic 80x24 and a large window (120x40).

`shots(app, run_before)` starts the app at 80x24, lets `run_before` bring it to the screen,
then resizes the terminal to each size in turn (as a phone turning, or a window dragged)
and compares each picture with its stored SVG, `<test>[<width>x<height>].svg`. One app run
for three pictures keeps the suite fast; the resizes exercise the breakpoints for real.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pytest_textual_snapshot import SVGImageExtension
from syrupy import SnapshotAssertion
from textual.pilot import Pilot

from privet_tui.tui.app import PrivetApp
from privet_tui.tui.screens.clients import ClientsScreen
from privet_tui.tui.widgets.client_table import ClientTable
from tests.tui.step_screens import wait_for_workers

#: (width, height), the first the size the app starts at.
SIZES = ((80, 24), (48, 16), (120, 40))

RunBefore = Callable[[Pilot[Any]], Awaitable[None]]
Shots = Callable[..., None]


async def settle_after_resize(pilot: Pilot[Any]) -> None:
    """Let the new size's layout land: the list refits its columns once resizing pauses."""
    await pilot.pause()
    await wait_for_workers(pilot)
    app = pilot.app
    for screen in app.screen_stack:
        if isinstance(screen, ClientsScreen):
            table = screen.query_one("#clients", ClientTable)
            for _ in range(40):
                if table.columns_for == app.size.width:
                    break
                await pilot.pause(0.05)
            await wait_for_workers(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _steady_picture(pilot: Pilot[Any], tries: int = 20) -> str:
    """The screen once two pictures 50 ms apart agree: on a loaded machine a late refresh
    (a footer, a restyle) can land after the workers are done."""
    picture = pilot.app.export_screenshot(title=pilot.app.title)
    for _ in range(tries):
        await pilot.pause(0.05)
        again = pilot.app.export_screenshot(title=pilot.app.title)
        if again == picture:
            break
        picture = again
    return picture


def sized_shots(snapshot: SnapshotAssertion) -> Shots:
    """The `shots` fixture (tests/tui/conftest.py): `shots(app, run_before, sizes=SIZES)`
    asserts that the screen matches its stored picture at every size."""
    svg_snapshot = snapshot.use_extension(SVGImageExtension)

    def take(
        app: PrivetApp, run_before: RunBefore, sizes: tuple[tuple[int, int], ...] = SIZES
    ) -> None:
        pictures: dict[tuple[int, int], str] = {}

        async def auto_pilot(pilot: Pilot[Any]) -> None:
            await run_before(pilot)
            for size in sizes:
                if pilot.app.size != size:
                    await pilot.resize_terminal(*size)
                await settle_after_resize(pilot)
                pictures[size] = await _steady_picture(pilot)
            pilot.app.exit()

        app.run(headless=True, size=sizes[0], auto_pilot=auto_pilot)
        assert set(pictures) == set(sizes), "the app ended before every picture was taken"
        matches = [
            svg_snapshot(name=f"{width}x{height}") == pictures[(width, height)]
            for width, height in sizes
        ]
        assert all(matches), [size for size, ok in zip(sizes, matches, strict=True) if not ok]

    return take
