"""The output of the commands: standard output, standard error, and the file ``-``.

What every command shares: a rendered text written with its control characters shown
(`_emit`), one line on standard error (`_say`, `_fail`), the name ``-`` for standard output
(`STDOUT`), JSON with the characters a terminal would act on escaped (`_json_text`), and the
German reasons for a file that cannot be written (`_OS_ERRORS`, `_not_writable`), and the
writing of a workbook or a calendar to a file or to standard output (`_write_workbook`,
`_write_calendar`).
"""

from __future__ import annotations

import contextlib
import errno
import re
import sys
from collections.abc import Callable
from typing import BinaryIO, TextIO, TypeVar

from foerdermittel import fmt
from foerdermittel.cli.exit_status import EXIT_INPUT
from foerdermittel.errors import FoerdermittelError
from foerdermittel.export.written import WrittenCalendar

__all__: list[str] = []


_OS_ERRORS = {
    errno.ENOENT: "den Ordner gibt es nicht",
    errno.ENOTDIR: "ein Teil des Pfads ist kein Ordner",
    errno.EACCES: "keine Berechtigung",
    errno.EPERM: "keine Berechtigung",
    errno.EISDIR: "das ist ein Ordner",
    errno.ENOSPC: "kein Platz mehr auf dem Datenträger",
    errno.EROFS: "das Dateisystem ist schreibgeschützt",
}
"""German reasons for the errors of writing a file (the system's own texts are English)."""

STDOUT = "-"
"""The output file name that means standard output (``--xlsx -``, ``--ics -``)."""


def _target(path: str) -> str:
    return "Standardausgabe" if path == STDOUT else path


def _binary(out: TextIO) -> BinaryIO | None:
    buffer: BinaryIO | None = getattr(out, "buffer", None)
    return buffer


_JSON_RAW = re.compile("[\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""The characters of [`fmt.INVISIBLE`][foerdermittel.fmt.INVISIBLE] that JSON leaves raw: it
escapes only U+0000–U+001F."""


def _json_text(text: str) -> str:
    r"""JSON with DEL, the C1 controls and the direction marks as ``\u`` escapes.

    They can stand only inside strings, where ``\u009b`` means the same character, so the
    data read back is unchanged and the terminal shows them instead of acting on them.
    """
    return _JSON_RAW.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _emit(out: TextIO, text: str) -> None:
    """Write a rendered text; a control character a renderer let through is shown escaped."""
    out.write(fmt.visible(text, newlines=True))


def _say(message: str) -> None:
    """One line on standard error, controls shown escaped; a closed stderr does not matter."""
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nothing else can be told
        print(fmt.visible(message, newlines=True), file=sys.stderr)


def _fail(message: str, status: int = EXIT_INPUT) -> int:
    """Say what went wrong on standard error; returns ``status`` (2 unless told otherwise)."""
    _say(f"foerdermittel: {message}")
    return status


def _not_writable(option: str, target: str, exc: OSError) -> int:
    """The message for a file that could not be written, in German; returns exit status 2."""
    if isinstance(exc, FoerdermittelError):  # not a regular file: say how to reach stdout
        return _fail(f"{exc} (Standardausgabe: {option} -)")
    reason = _OS_ERRORS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return _fail(f"{_target(target)}: nicht schreibbar: {reason}")


_Written = TypeVar("_Written")


def _write_workbook(
    out: TextIO, target: str, example: str, write: Callable[[BinaryIO | str], _Written]
) -> _Written | int:
    """``write`` the workbook to the file ``target`` or, for ``-``, to standard output.

    Returns what ``write`` returns, or the exit status when it could not be written: a
    workbook is binary and is refused on a terminal (``example`` names the file to redirect
    to); a file that cannot be written is said in German. A closed pipe is left to the caller.
    """
    stream = _binary(out) if target == STDOUT else None
    if target == STDOUT and (stream is None or out.isatty()):
        return _fail(
            "--xlsx -: eine Arbeitsmappe ist binär und gehört nicht ins Terminal; bitte "
            f"umleiten, z. B. --xlsx - > {example}"
        )
    try:
        return write(stream if stream is not None else target)
    except BrokenPipeError:
        raise
    except OSError as exc:
        return _not_writable("--xlsx", target, exc)


def _write_calendar(
    out: TextIO,
    target: str,
    to_bytes: Callable[[], bytes],
    write: Callable[[str], WrittenCalendar],
) -> WrittenCalendar | int:
    """The calendar ``to_bytes`` gives on standard output (``-``), else ``write`` to ``target``.

    Returns what was written, or the exit status when the file could not be written.
    """
    try:
        if target != STDOUT:
            return write(target)
        data = to_bytes()
        stream = _binary(out)
        if stream is None:
            out.write(data.decode())
            out.flush()
        else:
            stream.write(data)
            stream.flush()
        return WrittenCalendar.of(None, data)
    except BrokenPipeError:
        raise
    except OSError as exc:
        return _not_writable("--ics", target, exc)
