"""Pasted paths in the photo picker: every shape terminals and file managers paste."""

from __future__ import annotations

from pathlib import Path

from privet_tui.tui.photo_paths import expand_folders, one_line, pasted_paths


def test_pasted_shapes(tmp_path: Path) -> None:
    spaced = tmp_path / "фото 1.jpg"
    spaced.write_bytes(b"")
    assert pasted_paths(f"'{spaced}' \"/b c.jpg\" /d\\ e.jpg /f.jpg") == [
        spaced,
        Path("/b c.jpg"),
        Path("/d e.jpg"),
        Path("/f.jpg"),
    ]
    # one a line, unquoted with spaces (stays whole when it exists), a file:// URI, a repeat
    uri = "file:///tmp/%D1%84%D0%BE%D1%82%D0%BE%202.jpg"
    assert pasted_paths(f"{spaced}\n\n{uri}\r\n{spaced}\n") == [spaced, Path("/tmp/фото 2.jpg")]
    assert pasted_paths("/x/it's.jpg") == [Path("/x/it's.jpg")]  # an unbalanced quote
    assert pasted_paths(one_line(f"{spaced}\n/a'b.jpg")) == [spaced, Path("/a'b.jpg")]


def test_folders_give_their_images_sorted(tmp_path: Path) -> None:
    folder = tmp_path / "снимки"
    folder.mkdir()
    for name in ("b.HEIC", "a.jpg", ".hidden.jpg", "notes.txt"):
        (folder / name).write_bytes(b"")
    (folder / "inner.jpg").mkdir()
    picked = expand_folders([tmp_path / "x.jpg", folder, folder / "a.jpg"])
    assert picked.files == [tmp_path / "x.jpg", folder / "a.jpg", folder / "b.HEIC"]
    assert picked.folders == [(folder, 2)]
