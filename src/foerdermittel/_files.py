"""Reading files given by name: only regular files are read.

A name may point to a FIFO, a device or a socket (``/dev/stdin``, a named pipe left in a
folder): opening one would block, or read without end. Readers check first and refuse with a
German reason; a missing file and a folder keep their own messages at the reader.
"""

from __future__ import annotations

import os
import stat

__all__ = ["not_a_regular_file"]

_KINDS = (
    (stat.S_ISFIFO, "eine benannte Pipe (FIFO)"),
    (stat.S_ISCHR, "ein Gerät"),
    (stat.S_ISBLK, "ein Gerät"),
    (stat.S_ISSOCK, "ein Socket"),
)


def not_a_regular_file(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a file to read (German), or ``None`` for a regular file.

    Links are followed. A path that does not exist, or a folder, gives ``None``: the reader
    reports those itself.

    Examples:
        >>> not_a_regular_file("examples/bochum-mpsc.toml") is None
        True
        >>> not_a_regular_file("/dev/null")
        'ist ein Gerät, keine Datei'
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    for test, kind in _KINDS:
        if test(mode):
            return f"ist {kind}, keine Datei"
    return None
