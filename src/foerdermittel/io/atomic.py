"""Atomic file writing: a temporary file beside the target, then a rename.

An error while writing never leaves half a file: the target keeps its old content and the
temporary file is removed.

Only regular files are written. A rename puts a new regular file where the name was, so over a
device (``/dev/null``, a terminal), a named pipe, a socket or a folder it would not write to the
thing the name stands for but replace it; such a target is refused with
[`WriteTargetError`][foerdermittel.io.atomic.WriteTargetError]. A symbolic link is followed: the
file it points to (through any number of links) is written atomically and the link stays a
link; a link to something that does not exist, to something that is not a regular file, or to
an open file of the process (``/dev/stdout``, ``/dev/fd/1``: even when standard output is
redirected to a file, the name would not be that file's) is refused. Standard output is written
by the caller, not through a name (``-`` in the command line).

A file that exists keeps its permissions (and, where the system allows it, its owner and
group); a new file gets the permissions an ordinary ``open()`` would give (0666 less the umask),
not the 0600 of a bare temporary file. A file with several hard links loses the link to the
other names: they keep the old content.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from foerdermittel.errors import FoerdermittelError

__all__ = ["WriteTargetError", "write_atomic"]


class WriteTargetError(FoerdermittelError, OSError):
    """A file name that must not be written over: empty, or not naming a regular file.

    Also an ``OSError``, so code that handles failed writes handles this one too. ``filename``
    is the name as given; the message says what it names, in German.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: nicht schreibbar: {reason}")
        self.filename = path
        self.reason = reason

    def __str__(self) -> str:
        return str(self.args[0])


_KINDS = (
    (stat.S_ISDIR, "ein Ordner"),
    (stat.S_ISCHR, "ein Gerät (wie /dev/null oder ein Terminal)"),
    (stat.S_ISBLK, "ein Gerät (Blockgerät)"),
    (stat.S_ISFIFO, "eine Pipe (FIFO)"),
    (stat.S_ISSOCK, "ein Socket"),
)
_ONLY_REGULAR = "überschrieben werden nur gewöhnliche Dateien"


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "keine gewöhnliche Datei"  # pragma: no cover - door, port, whiteout


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _resolve(given: str) -> tuple[Path, os.stat_result | None]:
    """The regular file to write for ``given`` (links followed) and its status, if it exists.

    Raises:
        WriteTargetError: the name is empty, or names something other than a regular file.
    """
    if not given.strip():
        raise WriteTargetError(repr(given), "kein Dateiname angegeben")
    target = Path(given)
    try:
        status = target.lstat()
    except FileNotFoundError:
        return target, None  # a new file
    except OSError:
        return target, None  # the folder is missing or closed: the write names the reason
    if stat.S_ISLNK(status.st_mode):
        points_to = os.readlink(target)
        try:
            status = target.stat()
        except FileNotFoundError:
            reason = f"ein Verweis auf {points_to}, das es nicht gibt"
            raise WriteTargetError(given, reason) from None
        except OSError as exc:
            reason = "der sich im Kreis dreht" if exc.errno == errno.ELOOP else "unzugänglich"
            raise WriteTargetError(given, f"ein Verweis auf {points_to}, {reason}") from None
        if not stat.S_ISREG(status.st_mode):
            raise WriteTargetError(
                given,
                f"ein Verweis auf {points_to}, das ist {_kind(status.st_mode)}; {_ONLY_REGULAR}",
            )
        real = _through_links(target)
        if real is None:
            raise WriteTargetError(
                given,
                f"ein Verweis auf {points_to}, einen offenen Datenstrom des Programms (wie "
                f"/dev/stdout); {_ONLY_REGULAR}",
            )
        target = real
    elif not stat.S_ISREG(status.st_mode):
        raise WriteTargetError(given, f"das ist {_kind(status.st_mode)}; {_ONLY_REGULAR}")
    return target, status


_DESCRIPTORS = re.compile(r"/proc/[^/]+(/task/[^/]+)?/fd")
"""The folders of a process's open files (``/dev/stdout`` leads there on Linux)."""


def _through_links(link: Path) -> Path | None:
    """The file a chain of links ends in; ``None`` if the chain passes through a descriptor.

    A link such as ``/dev/stdout`` points at an open file of the process, not at a name: its
    target may be a deleted file or a pipe, and writing "there" by a rename would create a
    file named after the descriptor's description. The end of the chain must be the very file
    the link reaches (same device and inode).
    """
    current = link
    for _ in range(40):  # the kernel's own limit of links in a row
        if _DESCRIPTORS.fullmatch(os.path.realpath(current.parent)):
            return None
        if not current.is_symlink():
            break
        current = current.parent / os.readlink(current)
    real = Path(os.path.realpath(link))
    try:
        same = os.path.samestat(real.stat(), link.stat())
    except OSError:
        return None
    return real if same else None


def _keep_owner_and_mode(tmp: str, old: os.stat_result | None) -> None:
    if old is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    if hasattr(os, "chown"):
        try:
            os.chown(tmp, old.st_uid, old.st_gid)
        except OSError:  # another user's file: at least its group, where we belong to it
            with contextlib.suppress(OSError):
                os.chown(tmp, -1, old.st_gid)
    os.chmod(tmp, stat.S_IMODE(old.st_mode))  # after chown, which may clear set-id bits


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, only over a regular file.

    Raises:
        WriteTargetError: the name is empty or names a folder, device, pipe, socket, a link
            to one of them or a link to nothing (also an ``OSError``).
        OSError: the folder does not exist or cannot be written; ``filename`` is the target.
    """
    given = os.fspath(path)
    target, old = _resolve(given)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, given) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        _keep_owner_and_mode(tmp, old)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
