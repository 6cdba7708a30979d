"""Issue 13, item 6: each CLI command speaks one language; `documents get` stays English when
the database drops (the service's message for that is a master's, in Russian)."""

from __future__ import annotations

from typing import Any

import pytest

from privet_tui.cli import documents
from privet_tui.db.engine import LOST_CONNECTION
from privet_tui.errors import DatabaseError


class _LostDatabase:
    def read(self, *args: Any, **kwargs: Any) -> Any:
        raise DatabaseError(LOST_CONNECTION)


def test_documents_get_says_a_lost_database_in_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(documents, "gateway", _LostDatabase)
    with pytest.raises(SystemExit) as exited:
        documents.get("ПМ-2026-000001", output="/dev/null")
    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        "privet-tui: error: the database connection was lost; try again\n"
    )


def test_report_says_a_lost_database_in_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from privet_tui.cli import report
    from privet_tui.config import Settings

    monkeypatch.setattr(report, "gateway", _LostDatabase)
    monkeypatch.setattr(report, "settings", lambda: Settings(database_url="postgresql://x/y"))
    with pytest.raises(SystemExit) as exited:
        report.report(start=None, end=None, master=None, as_csv=False)
    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        "privet-tui: error: the database connection was lost; try again\n"
    )
