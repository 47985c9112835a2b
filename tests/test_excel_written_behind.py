"""The Belegliste's rows are compressed by a thread of their own; errors and order hold.

``_splice`` makes the rows' XML and hands chunks to ``_WrittenBehind``, which writes them into
the zip entry in order while the next chunk is made. A failing write must reach the caller,
a failing row must end the writing without hanging, and the bytes must be those written in
one thread.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest

from foerdermittel.export.excel import package
from foerdermittel.export.excel.package import _splice, _WrittenBehind

HEAD = b'<worksheet><dimension ref="A1"/><sheetData/></worksheet>'


def _rows(count: int) -> Iterator[str]:
    for number in range(count):
        yield f'<row r="{number + 2}"><c><v>{number}</v></c></row>'


def test_chunks_are_written_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "_CHUNK_ROWS", 7)
    out = io.BytesIO()
    _splice(HEAD, _rows(100), 101, out)
    expected = (
        b'<worksheet><dimension ref="A1:L101"/><sheetData>'
        + "".join(_rows(100)).encode()
        + b"</sheetData></worksheet>"
    )
    assert out.getvalue() == expected


class _FailingOut(io.BytesIO):
    def __init__(self, after: int) -> None:
        super().__init__()
        self.calls = 0
        self.after = after

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.calls += 1
        if self.calls > self.after:
            raise OSError(28, "No space left on device")
        return super().write(data)


def test_a_failing_write_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "_CHUNK_ROWS", 3)
    out = _FailingOut(after=2)  # the head and one chunk, then the disk is full
    with pytest.raises(OSError, match="No space left"):
        _splice(HEAD, _rows(1000), 1001, out)
    assert not [t for t in threading.enumerate() if t.name == "xlsx-rows"]


def test_a_failing_row_ends_the_writing_and_passes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "_CHUNK_ROWS", 3)

    def rows() -> Iterator[str]:
        yield from _rows(20)
        raise ValueError("Beleg kaputt")

    out = io.BytesIO()
    with pytest.raises(ValueError, match="Beleg kaputt"):
        _splice(HEAD, rows(), 21, out)
    assert not [t for t in threading.enumerate() if t.name == "xlsx-rows"]
    assert out.getvalue().endswith("".join(_rows(18)).encode())  # every full chunk written


def test_the_error_of_the_writing_wins_over_nothing_at_the_end() -> None:
    out = _FailingOut(after=0)
    with pytest.raises(OSError, match="No space left"), _WrittenBehind(out) as behind:
        behind.write(b"x")
