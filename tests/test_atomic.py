"""The atomic writer: only regular files are written over, links are followed, modes are kept."""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from foerdermittel.errors import FoerdermittelError
from foerdermittel.io import atomic
from foerdermittel.io.atomic import WriteTargetError, write_atomic


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _directory(path: Path) -> str:
    path.mkdir()
    return "das ist ein Ordner"


def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "das ist eine Pipe (FIFO)"


def _socket(path: Path) -> str:
    if len(os.fsencode(path)) > 100:  # pragma: no cover - the limit of a socket's name
        pytest.skip("path too long for a Unix socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(os.fspath(path))
    sock.close()
    return "das ist ein Socket"


def _link_to_device(path: Path) -> str:
    path.symlink_to(os.devnull)
    return f"ein Verweis auf {os.devnull}, das ist ein Gerät (wie /dev/null oder ein Terminal)"


def _link_to_fifo(path: Path) -> str:
    os.mkfifo(path.with_name("pipe"))
    path.symlink_to("pipe")
    return "ein Verweis auf pipe, das ist eine Pipe (FIFO)"


def _link_to_folder(path: Path) -> str:
    path.with_name("ordner").mkdir()
    path.symlink_to("ordner")
    return "ein Verweis auf ordner, das ist ein Ordner"


def _dangling_link(path: Path) -> str:
    path.symlink_to("gibt-es-nicht.ics")
    return "ein Verweis auf gibt-es-nicht.ics, das es nicht gibt"


def _link_loop(path: Path) -> str:
    path.symlink_to(path.name)
    return f"ein Verweis auf {path.name}, der sich im Kreis dreht"


REFUSED: list[tuple[str, Callable[[Path], str]]] = [
    ("directory", _directory),
    ("fifo", _fifo),
    ("socket", _socket),
    ("link to a device", _link_to_device),
    ("link to a fifo", _link_to_fifo),
    ("link to a folder", _link_to_folder),
    ("dangling link", _dangling_link),
    ("link loop", _link_loop),
]


@pytest.mark.parametrize(("kind", "make"), REFUSED, ids=[kind for kind, _ in REFUSED])
def test_only_regular_files_are_written_over(
    tmp_path: Path, kind: str, make: Callable[[Path], str]
) -> None:
    target = tmp_path / "ziel.ics"
    reason = make(target)
    before = sorted(os.listdir(tmp_path))
    kind_before = stat.S_IFMT(target.lstat().st_mode)
    with pytest.raises(WriteTargetError) as caught:
        write_atomic(target, b"BEGIN:VCALENDAR\r\n")
    err = caught.value
    assert str(err).startswith(f"{target}: nicht schreibbar: {reason}")
    assert err.filename == str(target)
    assert isinstance(err, FoerdermittelError)
    assert isinstance(err, OSError)
    # Nothing replaced, nothing left behind.
    assert stat.S_IFMT(target.lstat().st_mode) == kind_before
    assert sorted(os.listdir(tmp_path)) == before


def test_a_device_is_refused_and_stays_a_device() -> None:
    with pytest.raises(WriteTargetError, match="das ist ein Gerät"):
        write_atomic(os.devnull, b"x")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.parametrize("name", ["", " ", "\t"])
def test_an_empty_name_is_refused(name: str) -> None:
    with pytest.raises(WriteTargetError, match="kein Dateiname angegeben"):
        write_atomic(name, b"x")


def test_a_link_is_followed_and_stays_a_link(tmp_path: Path) -> None:
    shared = tmp_path / "ablage"
    shared.mkdir()
    real = shared / "bochum.ics"
    real.write_bytes(b"alt")
    real.chmod(0o640)
    first = tmp_path / "verweis.ics"
    first.symlink_to(tmp_path / "zwischen.ics")
    (tmp_path / "zwischen.ics").symlink_to(Path("ablage") / "bochum.ics")
    write_atomic(first, b"neu")
    assert first.is_symlink()
    assert (tmp_path / "zwischen.ics").is_symlink()
    assert real.read_bytes() == b"neu"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(os.listdir(shared)) == ["bochum.ics"]  # the temporary file was beside it


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o660, 0o755])
def test_an_existing_file_keeps_its_permissions(tmp_path: Path, umask_022: None, mode: int) -> None:
    target = tmp_path / "mappe.xlsx"
    target.write_bytes(b"alt")
    target.chmod(mode)
    write_atomic(target, b"neu")
    assert target.read_bytes() == b"neu"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_an_existing_file_keeps_its_group(tmp_path: Path) -> None:
    target = tmp_path / "mappe.xlsx"
    target.write_bytes(b"alt")
    before = target.stat()
    write_atomic(target, b"neu")
    after = target.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # replaced by a rename, not written in place


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "neu.ics", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "neu.ics").stat().st_mode) == mode


def test_a_failed_rename_keeps_the_old_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "fall.json"
    target.write_bytes(b"alt")

    def failing(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"neu")
    assert target.read_bytes() == b"alt"
    assert os.listdir(tmp_path) == ["fall.json"]


def test_a_missing_folder_names_the_target(tmp_path: Path) -> None:
    target = tmp_path / "fehlt" / "x.ics"
    with pytest.raises(FileNotFoundError) as caught:
        write_atomic(target, b"x")
    assert caught.value.filename == str(target)
    assert not isinstance(caught.value, WriteTargetError)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="Linux's /proc")
@pytest.mark.parametrize("deleted", [False, True])
@pytest.mark.parametrize("via", ["/proc/self/fd/{fd}", "/dev/fd/{fd}", "link"])
def test_a_link_to_an_open_file_is_refused(tmp_path: Path, deleted: bool, via: str) -> None:
    """Like /dev/stdout redirected to a file: the name would be the descriptor's description."""
    opened = tmp_path / "umgeleitet.txt"
    with opened.open("wb") as handle:
        if deleted:
            opened.unlink()
        name = via.format(fd=handle.fileno())
        if via == "link":
            (tmp_path / "ausgabe").symlink_to(f"/proc/self/fd/{handle.fileno()}")
            name = str(tmp_path / "ausgabe")
        with pytest.raises(WriteTargetError, match="einen offenen Datenstrom"):
            write_atomic(name, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["ausgabe"] * (via == "link") + ["umgeleitet.txt"] * (not deleted)
    )
    assert not Path(f"{opened} (deleted)").exists()
