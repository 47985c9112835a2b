"""Golden files: whole outputs of the Bochum example, stored beside this module.

The portfolio's files (``portfolio-*``: the overview in German and English, the calendar, the
workbook's cells) are the outputs of ``foerdermittel portfolio`` for
``examples/portfolio/portfolio.toml``, the Bochum case among three further grants.

Each file is what a command prints for ``examples/bochum-mpsc.toml`` on a fixed key date, run
in-process through [`cli.main`][foerdermittel.cli.main] exactly as a user types it (German
text, JSON, iCalendar), or, for the workbook, the value or formula and number format of every
cell (not the zip bytes). Nothing depends on the clock, the locale or the time zone: every
command gets ``--as-of``, and the library formats with an explicit locale.

``tests/test_golden.py`` compares every file byte for byte and shows a unified diff where an
output changed. After a change that is meant to change an output, regenerate them all with::

    PYTHONPATH=src python -m tests.golden

and read ``git diff tests/golden/`` before committing it.

The files named ``*.en.*`` are the same outputs with ``--lang en``: the same finding data, the
words of the English catalogue. The English JSON report is stored without its vouchers (they are
the German report's, word for word).

Two outputs are stored in two files each, so that the report itself stays readable: the
counted vouchers of the JSON report (the ledger, echoed) and the workbook's Belegliste (found
by its name in the workbook's language: the last of ``excel.sheet_names(lang)``). The
split is exact: the stored parts joined again give the output byte for byte.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import io
import json
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from foerdermittel import cli
from foerdermittel.export import excel

__all__ = ["FILES", "GOLDEN_DIR", "UPDATE_COMMAND", "mismatch", "render", "update"]

GOLDEN_DIR = Path(__file__).resolve().parent
ROOT = GOLDEN_DIR.parent.parent
CASE = ROOT / "examples" / "bochum-mpsc.toml"
PORTFOLIO = ROOT / "examples" / "portfolio" / "portfolio.toml"
UPDATE_COMMAND = "PYTHONPATH=src python -m tests.golden"

KEY_DATE = "30.06.2025"
LATER_KEY_DATE = "01.12.2026"  # after the end of phase B: the final account, projected no more


def _argv(command: str, key_date: str, *options: str) -> tuple[str, ...]:
    return (command, str(CASE), "--as-of", key_date, *options)


@functools.cache
def _output(*argv: str) -> bytes:
    """What ``foerdermittel ARGV`` writes to standard output (status 0 or 1 expected)."""
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="\n", write_through=True)
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = cli.main(list(argv), stdout=stdout)
    if status not in (cli.EXIT_OK, cli.EXIT_FINDINGS):
        raise AssertionError(
            f"foerdermittel {' '.join(argv)} ended with status {status}:\n{stderr.getvalue()}"
        )
    stdout.flush()
    buffer = stdout.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()


# --- the JSON report: the counted vouchers in their own file ------------------------------------

_VOUCHERS_OPEN = '    "vouchers": [\n'  # proof_of_use.vouchers, two levels deep
_VOUCHERS_CLOSE = "    ]"


def _marker(part: str) -> str:
    return f'      "→ {part}"\n'


def split_json(text: str, part: str) -> tuple[str, str]:
    """The report JSON without its counted vouchers, and the vouchers as a JSON array.

    In the report, the array holds one string naming ``part``, the file the vouchers went to.
    A report without that array (no vouchers, or a renamed field) stays whole; the vouchers
    file is then an empty array and the report's diff shows what changed.
    """
    lines = text.splitlines(keepends=True)
    try:
        start = lines.index(_VOUCHERS_OPEN)
    except ValueError:
        return text, "[\n]\n"
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(_VOUCHERS_CLOSE))
    report = "".join([*lines[: start + 1], _marker(part), *lines[end:]])
    return report, "".join(["[\n", *lines[start + 1 : end], "]\n"])


def join_json(report: str, vouchers: str, part: str) -> str:
    """The JSON report as the command printed it, from the two stored parts."""
    items = vouchers.removeprefix("[\n").removesuffix("]\n")
    if _marker(part) not in report:
        return report
    return report.replace(_marker(part), items, 1)


@functools.cache
def _json_parts(key_date: str, lang: str = "de") -> tuple[bytes, bytes]:
    text = _output(*_argv("report", key_date, "--json", "--lang", lang)).decode()
    part = f"report-{_iso(key_date)}.vouchers.json"
    report, vouchers = split_json(text, part)
    if join_json(report, vouchers, part) != text:  # the split must lose nothing
        raise AssertionError(f"the JSON report does not split exactly at {_VOUCHERS_OPEN!r}")
    return report.encode(), vouchers.encode()


# --- the workbook: every cell's value or formula and number format ------------------------------


def _voucher_sheet(lang: str) -> str:
    """The voucher list's sheet name in the workbook's language (the last sheet)."""
    return excel.sheet_names(lang)[-1]


def _value(cell: openpyxl.cell.cell.Cell) -> str:
    """A cell's content: text quoted as JSON, a formula as written, numbers, ISO dates."""
    value = cell.value
    if cell.data_type == "f":
        return str(getattr(value, "text", value))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, date | time | datetime):
        return value.isoformat()
    return repr(value)


def _format(cell: openpyxl.cell.cell.Cell) -> str:
    return "" if cell.number_format == "General" else cell.number_format


def _cells(sheet: Worksheet) -> Iterator[openpyxl.cell.cell.Cell]:
    for row in sheet.iter_rows():
        yield from (cell for cell in row if cell.value is not None)


def _sheet_lines(sheet: Worksheet) -> list[str]:
    """One line per cell: coordinate, content, number format (unless General), tab-separated."""
    lines = [f"== {sheet.title} ({sheet.dimensions}) =="]
    for cell in _cells(sheet):
        fields = [cell.coordinate, _value(cell), _format(cell)]
        lines.append("\t".join(fields).rstrip("\t"))
    return lines


def _voucher_lines(sheet: Worksheet) -> list[str]:
    """One line per row: the row number, then ``A=content {format}`` per cell, tab-separated."""
    lines = [f"== {sheet.title} ({sheet.dimensions}) =="]
    for row in sheet.iter_rows():
        cells = [cell for cell in row if cell.value is not None]
        if not cells:
            continue
        fields = [str(cells[0].row)]
        for cell in cells:
            number_format = _format(cell)
            suffix = f" {{{number_format}}}" if number_format else ""
            fields.append(f"{cell.column_letter}={_value(cell)}{suffix}")
        lines.append("\t".join(fields))
    return lines


@functools.cache
def _workbook_parts(key_date: str, lang: str = "de") -> tuple[bytes, bytes]:
    data = _output(*_argv("report", key_date, "--xlsx", "-", "--lang", lang))
    book = openpyxl.load_workbook(io.BytesIO(data))
    lines = [f"Arbeitsmappe, Stichtag {key_date}: {len(book.sheetnames)} Blätter"]
    lines += [f"  {title}" for title in book.sheetnames]
    lines.append("Namen:")
    lines += [f"  {name} = {book.defined_names[name].attr_text}" for name in book.defined_names]
    vouchers: list[str] = []
    suffix = "" if lang == "de" else f".{lang}"
    for sheet in book.worksheets:
        if sheet.title == _voucher_sheet(lang):
            part = f"workbook-{_iso(key_date)}{suffix}.belegliste.txt"
            lines += ["", f"== {sheet.title}: {part} =="]
            vouchers = _voucher_lines(sheet)
        else:
            lines += ["", *_sheet_lines(sheet)]
    return ("\n".join(lines) + "\n").encode(), ("\n".join(vouchers) + "\n").encode()


@functools.cache
def _portfolio_workbook(key_date: str) -> bytes:
    data = _output("portfolio", str(PORTFOLIO), "--as-of", key_date, "--xlsx", "-")
    book = openpyxl.load_workbook(io.BytesIO(data))
    lines = [f"Arbeitsmappe des Portfolios, Stichtag {key_date}: {len(book.sheetnames)} Blätter"]
    lines += [f"  {title}" for title in book.sheetnames]
    for sheet in book.worksheets:
        lines += ["", *_sheet_lines(sheet)]
    return ("\n".join(lines) + "\n").encode()


# --- the files ---------------------------------------------------------------------------------


def _iso(key_date: str) -> str:
    day, month, year = key_date.split(".")
    return f"{year}-{month}-{day}"


def _text(command: str, key_date: str, *options: str) -> Callable[[], bytes]:
    return lambda: _output(*_argv(command, key_date, *options))


def _portfolio(key_date: str, *options: str) -> Callable[[], bytes]:
    return lambda: _output("portfolio", str(PORTFOLIO), "--as-of", key_date, *options)


FILES: dict[str, Callable[[], bytes]] = {
    f"report-{_iso(KEY_DATE)}.txt": _text("report", KEY_DATE),
    f"report-{_iso(LATER_KEY_DATE)}.txt": _text("report", LATER_KEY_DATE),
    f"report-{_iso(KEY_DATE)}.json": lambda: _json_parts(KEY_DATE)[0],
    f"report-{_iso(KEY_DATE)}.vouchers.json": lambda: _json_parts(KEY_DATE)[1],
    f"proof-{_iso(KEY_DATE)}.txt": _text("proof", KEY_DATE),
    f"deadlines-{_iso(KEY_DATE)}.txt": _text("deadlines", KEY_DATE),
    f"deadlines-{_iso(KEY_DATE)}.ics": _text("deadlines", KEY_DATE, "--ics", "-"),
    f"compare-{_iso(KEY_DATE)}.txt": _text("compare", KEY_DATE),
    f"workbook-{_iso(KEY_DATE)}.txt": lambda: _workbook_parts(KEY_DATE)[0],
    f"workbook-{_iso(KEY_DATE)}.belegliste.txt": lambda: _workbook_parts(KEY_DATE)[1],
    f"portfolio-{_iso(KEY_DATE)}.txt": _portfolio(KEY_DATE),
    f"portfolio-{_iso(KEY_DATE)}.ics": _portfolio(KEY_DATE, "--ics", "-"),
    f"portfolio-workbook-{_iso(KEY_DATE)}.txt": lambda: _portfolio_workbook(KEY_DATE),
    # the same outputs in English (--lang en): the same data, the words of the English catalogue
    f"report-{_iso(KEY_DATE)}.en.txt": _text("report", KEY_DATE, "--lang", "en"),
    f"report-{_iso(LATER_KEY_DATE)}.en.txt": _text("report", LATER_KEY_DATE, "--lang", "en"),
    f"report-{_iso(KEY_DATE)}.en.json": lambda: _json_parts(KEY_DATE, "en")[0],
    f"proof-{_iso(KEY_DATE)}.en.txt": _text("proof", KEY_DATE, "--lang", "en"),
    f"deadlines-{_iso(KEY_DATE)}.en.txt": _text("deadlines", KEY_DATE, "--lang", "en"),
    f"deadlines-{_iso(KEY_DATE)}.en.ics": _text(
        "deadlines", KEY_DATE, "--ics", "-", "--lang", "en"
    ),
    f"compare-{_iso(KEY_DATE)}.en.txt": _text("compare", KEY_DATE, "--lang", "en"),
    f"workbook-{_iso(KEY_DATE)}.en.txt": lambda: _workbook_parts(KEY_DATE, "en")[0],
    f"workbook-{_iso(KEY_DATE)}.en.belegliste.txt": lambda: _workbook_parts(KEY_DATE, "en")[1],
    f"portfolio-{_iso(KEY_DATE)}.en.txt": _portfolio(KEY_DATE, "--lang", "en"),
}
"""Every golden file by name, with the function that renders it now."""


def render(name: str) -> bytes:
    """The output ``name`` as the library renders it now."""
    return FILES[name]()


_DIFF_LINES = 120


def mismatch(name: str, actual: bytes) -> str | None:
    """``None`` if ``actual`` is the stored file ``name``; otherwise what differs, as a diff."""
    path = GOLDEN_DIR / name
    hint = f"If the change is intended, regenerate the golden files: {UPDATE_COMMAND}"
    if not path.exists():
        return f"{name}: no golden file; {hint}"
    expected = path.read_bytes()
    if actual == expected:
        return None
    old = expected.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    new = actual.decode("utf-8", "backslashreplace").splitlines(keepends=True)
    diff = list(difflib.unified_diff(old, new, f"stored {name}", f"rendered {name}", n=2))
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:_DIFF_LINES])
    if len(diff) > _DIFF_LINES:
        shown += f"… {len(diff) - _DIFF_LINES} more diff lines\n"
    if not diff:
        shown = "the texts read the same; the bytes differ (encoding or line endings)\n"
    return f"{name} differs from its golden file:\n{shown}{hint}"


def update() -> list[str]:
    """Write every golden file that changed; returns their names."""
    written = []
    for name in FILES:
        actual = render(name)
        path = GOLDEN_DIR / name
        if not path.exists() or path.read_bytes() != actual:
            path.write_bytes(actual)
            written.append(name)
    return written
