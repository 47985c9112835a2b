"""The output of the commands: standard output, standard error, and the file ``-``.

What every command shares: a rendered text written with its control characters shown
(`_emit`), one line on standard error (`_say`, `_fail`), the name ``-`` for standard output
(`STDOUT`), JSON with the characters a terminal would act on escaped (`_json_text`), and the
German reasons for a file that cannot be written (`_OS_ERRORS`).
"""

from __future__ import annotations

import contextlib
import errno
import re
import sys
from typing import BinaryIO, TextIO

from foerdermittel import fmt
from foerdermittel.cli.exit_status import EXIT_INPUT

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
