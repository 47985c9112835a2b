"""Limits on what a ledger import reads: file size, unpacked size, compression, digits.

A file larger than ``max_bytes`` is refused before it is read; a workbook (a ZIP archive) may
unpack to at most five times as much, and no member may be compressed more than a hundredfold,
so a zip bomb is refused before openpyxl opens it. Amounts have at most fifteen digits before
the decimal separator, as [`foerdermittel.money`][foerdermittel.money].
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from foerdermittel.io.ledger.errors import LedgerError

__all__: list[str] = []

_MAX_DIGITS = 15  # as foerdermittel.money: up to 999 999 999 999 999.99 €


_MAX_RATIO = 100  # largest compression ratio accepted for a member of an XLSX archive


_MAX_UNPACKED = 5  # the unpacked archive may be at most this many times max_bytes


def _de_number(value: int) -> str:
    """A whole number with German thousands separators, e.g. ``1.048.576``."""
    return f"{value:,}".replace(",", ".")


def _size_checked(file: Path, name: str, max_bytes: int) -> int:
    """The file's size; missing, unreadable or too large files raise."""
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise LedgerError.single("", None, "Datei nicht gefunden", file=name) from None
    except OSError as exc:
        raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
    if file.is_dir():
        raise LedgerError.single("", None, "ist ein Verzeichnis, keine Datei", file=name)
    _refuse_size(size, max_bytes, name)
    return size


def _refuse_size(size: int, max_bytes: int, name: str) -> None:
    """Raise when ``size`` exceeds ``max_bytes``."""
    if size > max_bytes:
        raise LedgerError.single(
            "",
            None,
            f"Datei zu groß: {_de_number(size)} Bytes, erlaubt sind höchstens "
            f"{_de_number(max_bytes)} Bytes (max_bytes)",
            file=name,
        )


def _check_archive(file: Path, name: str, max_bytes: int) -> None:
    """Refuse an archive that is no ZIP file or unpacks to too much (a zip bomb)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise LedgerError.single(
            "", None, f"keine Excel-Arbeitsmappe (kein gültiges ZIP-Archiv: {exc})", file=name
        ) from None
    except OSError as exc:
        raise LedgerError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None
    unpacked = sum(member.file_size for member in members)
    limit = _MAX_UNPACKED * max_bytes
    if unpacked > limit:
        raise LedgerError.single(
            "",
            None,
            f"Arbeitsmappe entpackt zu groß: {_de_number(unpacked)} Bytes, erlaubt sind "
            f"höchstens {_de_number(limit)} Bytes ({_MAX_UNPACKED} × max_bytes)",
            file=name,
        )
    for member in members:
        if member.file_size > _MAX_RATIO * member.compress_size:
            raise LedgerError.single(
                "",
                member.filename,
                f"Arbeitsmappe verdächtig stark komprimiert ({_de_number(member.compress_size)} "
                f"Bytes entpackt zu {_de_number(member.file_size)} Bytes, mehr als "
                f"{_MAX_RATIO}-fach); sie wird aus Sicherheitsgründen nicht gelesen",
                file=name,
            )
