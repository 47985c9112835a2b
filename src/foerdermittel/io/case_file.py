"""Case files: TOML or JSON in, JSON out.

TOML is read with ``parse_float=Decimal`` and JSON with ``parse_float=Decimal`` so that no
amount ever passes through a float. Writing goes to a temporary file that is then renamed,
so an error never leaves half a file.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from foerdermittel._files import not_a_regular_file
from foerdermittel.errors import CaseError, Problem, shown
from foerdermittel.io.atomic import write_atomic
from foerdermittel.model.case import Case
from foerdermittel.model.voucher_columns import VoucherColumns

__all__ = [
    "MAX_DEPTH",
    "attach_base_rates",
    "attach_ledger",
    "attach_rule_files",
    "case_json_schema",
    "dump_case",
    "load_case",
    "loads_case",
    "parse_table",
    "read_text_file",
    "save_case",
]


MAX_DEPTH = 32
"""The deepest nesting of tables and lists a case file may have (a case needs about five)."""

_SHOWN_DIGITS = 20


def loads_case(text: str, *, fmt: Literal["toml", "json"], file: str | None = None) -> Case:
    """Read a case from TOML or JSON text.

    The format is read strictly: a key given twice is refused in JSON as TOML refuses it, and
    so are integers longer than Python reads (``sys.get_int_max_str_digits``) and nesting
    deeper than ``MAX_DEPTH`` levels.

    Raises:
        CaseError: malformed text (with its line number) or invalid content.
    """
    return Case.from_data(parse_table(text, fmt=fmt, file=file), file=file)


_TOO_DEEP = (
    "zu tief verschachtelt: eine Falldatei hat höchstens {depth} Ebenen von Tabellen und "
    "Listen (Klammern)"
)


def _parse_toml(text: str, file: str | None) -> Any:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError.single("", None, f"kein gültiges TOML: {exc}", file=file) from None
    except RecursionError:
        raise CaseError.single("", None, _TOO_DEEP.format(depth=MAX_DEPTH), file=file) from None
    except ValueError as exc:  # an integer longer than Python converts
        raise CaseError([_long_integer_in_toml(text, exc)], file=file) from None
    problems = _structure_problems(data, {})
    if problems:
        raise CaseError(problems, file=file)
    return data


def _parse_json(text: str, file: str | None) -> Any:
    duplicates: dict[int, list[tuple[str, Any, Any]]] = {}

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in items:
            if key in obj:
                duplicates.setdefault(id(obj), []).append((key, obj[key], value))
            obj[key] = value
        return obj

    try:
        data = json.loads(text, parse_float=Decimal, parse_int=_json_int, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise CaseError.single(
            "",
            None,
            f"kein gültiges JSON: {exc.msg} (Zeile {exc.lineno}, Spalte {exc.colno})",
            file=file,
        ) from None
    except RecursionError:
        raise CaseError.single("", None, _TOO_DEEP.format(depth=MAX_DEPTH), file=file) from None
    problems = _structure_problems(data, duplicates)
    if problems:
        raise CaseError(problems, file=file)
    return data


class _LongInteger:
    """An integer in a JSON file too long for Python to read; reported with its field."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _json_int(text: str) -> int | _LongInteger:
    try:
        return int(text)
    except ValueError:
        return _LongInteger(text)


def _long_integer_message(digits: int) -> str:
    limit = sys.get_int_max_str_digits()
    return f"ganze Zahl mit {digits} Stellen ist zu lang (höchstens {limit} Stellen)"


def _shortened(text: str) -> str:
    if len(text) <= 2 * _SHOWN_DIGITS:
        return text
    return f"{text[:_SHOWN_DIGITS]}…{text[-_SHOWN_DIGITS:]}"


def _long_integer_in_toml(text: str, exc: ValueError) -> Problem:
    """The problem of a TOML integer longer than Python reads, with its line where found."""
    limit = sys.get_int_max_str_digits() or 4300
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.search(rf"[+-]?[0-9A-Fa-fxob_]{{{limit + 1},}}", line)
        if match is None:
            continue
        key = re.match(r"\s*([^=\s]+)\s*=", line)
        where = f"Zeile {number}" + (f", Schlüssel {key.group(1)}" if key else "")
        digits = len(match.group().lstrip("+-").replace("_", ""))
        return Problem("", _shortened(match.group()), f"{where}: {_long_integer_message(digits)}")
    return Problem("", None, f"kein gültiges TOML: {exc}")


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | Decimal | bool | _LongInteger)


def _shown_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, _LongInteger):
        return _shortened(value.text)
    return shown(value if not isinstance(value, str) else _shortened(value))


def _structure_problems(
    data: Any, duplicates: dict[int, list[tuple[str, Any, Any]]]
) -> list[Problem]:
    """Keys given twice, integers too long, nesting too deep: each with its field path."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, _LongInteger):
            digits = len(value.text.lstrip("-"))
            problems.append(Problem(path, _shortened(value.text), _long_integer_message(digits)))
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_DEPTH:
            problems.append(Problem(path, None, _TOO_DEEP.format(depth=MAX_DEPTH)))
            continue
        if isinstance(value, dict):
            for key, first, second in duplicates.get(id(value), ()):
                values = ""
                if _scalar(first) and _scalar(second):
                    values = f" (zuerst {_shown_scalar(first)}, dann {_shown_scalar(second)})"
                problems.append(
                    Problem(
                        f"{path}.{key}" if path else key,
                        None,
                        f"Schlüssel doppelt angegeben{values}; JSON behielte stillschweigend "
                        "den letzten Wert, eine Falldatei nennt jeden Schlüssel einmal",
                    )
                )
            children = [(v, f"{path}.{k}" if path else str(k)) for k, v in value.items()]
        else:
            children = [(v, f"{path}[{i}]") for i, v in enumerate(value)]
        stack.extend((child, where, depth + 1) for child, where in reversed(children))
    return problems


def load_case(path: str | os.PathLike[str]) -> Case:
    """Load a case file (``.toml`` or ``.json``).

    A Basiszinssatz file named in ``settings.base_rate_file`` is read too, relative to the case
    file's folder ([`attach_base_rates`][foerdermittel.io.case_file.attach_base_rates]), and so
    are the rulebook and programme files named in ``grant.rulebook_file`` and
    ``grant.programme_file`` ([`attach_rule_files`][foerdermittel.io.case_file.attach_rule_files]).

    Raises:
        CaseError: the file is missing, unreadable, malformed, or its content invalid; the
            message names the file, the field and the value.

    Examples:
        >>> load_case("examples/bochum-mpsc.toml").grant.recipient
        'Stadt Bochum'
    """
    file = Path(path)
    name = str(path)
    suffix = file.suffix.lower()
    if suffix not in {".toml", ".json"}:
        raise CaseError.single(
            "", suffix or name, "unbekanntes Dateiformat; erwartet .toml oder .json", file=name
        )
    text = read_text_file(file, name)
    case = loads_case(text, fmt="toml" if suffix == ".toml" else "json", file=name)
    case = attach_rule_files(case, base_dir=file.parent, case_file=name)
    return attach_base_rates(case, base_dir=file.parent, case_file=name)


def read_text_file(file: Path, name: str) -> str:
    """The text of a UTF-8 file a loader reads (a BOM is dropped).

    Raises:
        CaseError: the file is missing, a folder, a pipe or device, not UTF-8, or unreadable;
            the message names ``name``.
    """
    if (reason := not_a_regular_file(file)) is not None:
        raise CaseError.single("", None, reason, file=name)
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CaseError.single("", None, "Datei nicht gefunden", file=name) from None
    except IsADirectoryError:
        raise CaseError.single("", None, "ist ein Verzeichnis, keine Datei", file=name) from None
    except UnicodeDecodeError as exc:
        raise CaseError.single(
            "", None, f"keine UTF-8-Textdatei (Byte {exc.start})", file=name
        ) from None
    except OSError as exc:
        raise CaseError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None


def parse_table(
    text: str, *, fmt: Literal["toml", "json"], file: str | None = None
) -> dict[str, Any]:
    """The table a TOML or JSON file holds, read as strictly as a case file.

    Floats are read as ``Decimal``; a key given twice, an integer too long and nesting deeper
    than ``MAX_DEPTH`` are refused, each with its field path.

    Raises:
        CaseError: malformed text, or not a table at the top.
    """
    data = _parse_toml(text, file) if fmt == "toml" else _parse_json(text, file)
    if not isinstance(data, dict):
        raise CaseError.single(
            "", None, "die Datei muss eine Tabelle (Objekt) enthalten", file=file
        )
    return data


def attach_rule_files(
    case: Case,
    *,
    base_dir: str | os.PathLike[str] = ".",
    case_file: str | None = None,
) -> Case:
    """The case with the rulebook and programme files its grant names read into it.

    The files are ``grant.rulebook_file`` and ``grant.programme_file`` relative to ``base_dir``
    (the case file's folder), read strictly by
    [`load_rule_file`][foerdermittel.rules.files.load_rule_file] into ``grant.loaded_rulebook``
    and ``grant.loaded_programme``; the checks that span the case (phase kinds, rate tiers,
    overrides) then run with them. Without files, or with them already read, the case is
    returned unchanged.

    Raises:
        CaseError: a file is missing (naming the case file, the field and the path), or it is
            not a valid rulebook file (naming the rulebook file, the field path inside it and
            the value), or the case does not fit the rules it holds.
    """
    from foerdermittel.rules.files import load_programme_file, load_rulebook_file, shipped_rules

    grant = case.grant
    update: dict[str, Any] = {}
    for field, name, loaded in (
        ("rulebook_file", grant.rulebook_file, grant.loaded_rulebook),
        ("programme_file", grant.programme_file, grant.loaded_programme),
    ):
        if name is None or loaded is not None:
            continue
        path = Path(base_dir) / name
        try:
            special = not_a_regular_file(path)  # a FIFO or device: the reader says so
        except ValueError:  # a NUL in the name: no such file
            special = None
        if special is None and not path.is_file():
            what = "Regelwerksdatei" if field == "rulebook_file" else "Programmdatei"
            raise CaseError.single(
                f"grant.{field}", name, f"{what} nicht gefunden (gesucht: {path})", file=case_file
            )
        if field == "rulebook_file":
            update["loaded_rulebook"] = load_rulebook_file(path)
        else:
            known = [e.id for e in shipped_rules().editions]
            if "loaded_rulebook" in update:
                known.append(update["loaded_rulebook"].id)
            update["loaded_programme"] = load_programme_file(path, known_rulebooks=known)
    if not update:
        return case
    attached = case.model_copy(update={"grant": grant.model_copy(update=update)})
    problems = attached.reference_problems()
    if problems:
        raise CaseError(problems, file=case_file)
    return attached


def attach_base_rates(
    case: Case,
    *,
    base_dir: str | os.PathLike[str] = ".",
    case_file: str | None = None,
) -> Case:
    """The case with the rows of its Basiszinssatz file in ``settings.base_rates``.

    The file is ``settings.base_rate_file`` relative to ``base_dir`` (the case file's folder):
    a CSV download of the Bundesbank series BBK01.SU0115 (see
    [`parse_base_rate_file`][foerdermittel.rules.base_rate.parse_base_rate_file]). Without a file,
    or with its rows already read, the case is returned unchanged.

    Raises:
        CaseError: the file is missing (naming the case file and ``settings.base_rate_file``),
            a line of it cannot be read, or a rate disagrees with the shipped table (naming
            the rate file, the line, the date and both values).
    """
    from foerdermittel.rules.base_rate import rate_table, read_base_rate_file

    settings = case.settings
    if settings.base_rate_file is None or settings.base_rates:
        return case
    path = Path(base_dir) / settings.base_rate_file
    if not path.is_file():
        raise CaseError.single(
            "settings.base_rate_file",
            settings.base_rate_file,
            f"Basiszinssatz-Datei nicht gefunden (gesucht: {path})",
            file=case_file,
        )
    rows = read_base_rate_file(path)
    rate_table(rows, file=str(path))
    new_settings = settings.model_copy(update={"base_rates": rows})
    return case.model_copy(update={"settings": new_settings})


def attach_ledger(
    case: Case,
    *,
    base_dir: str | os.PathLike[str] = ".",
    ledger: str | os.PathLike[str] | None = None,
) -> Case:
    """The case with the entries of its ledger file added to ``expenditures`` and ``income``.

    The file is ``ledger`` if given, else ``case.ledger.file`` relative to ``base_dir`` (the
    case file's folder). The returned case no longer refers to the file: its entries are in
    it. Without a ledger the case is returned unchanged.

    Raises:
        CaseError: the ledger cannot be read; every row that cannot is named (``LedgerError``).
    """
    from foerdermittel.io.ledger import read_ledger

    ref = case.ledger
    if ledger is None and ref is None:
        return case
    path = Path(ledger) if ledger is not None else Path(base_dir) / (ref.file if ref else "")
    read = read_ledger(
        path,
        columns=ref.columns if ref else None,
        delimiter=ref.delimiter if ref else ";",
        sheet=ref.sheet if ref else None,
        max_bytes=ref.max_bytes if ref else 200_000_000,
        line_ids=[line.id for line in case.plan.lines],
        source_ids=[source.id for source in case.plan.sources],
    )
    # The entries were validated row by row as they were read; only the checks that span the
    # case (ids that must match) run again, on the case with its entries.
    attached = case.model_copy(
        update={
            "ledger": None,
            "expenditures": VoucherColumns.joined(
                (VoucherColumns.of(case.expenditures), read.expenditures)
            ),
            "income": (*case.income, *read.income),
        }
    )
    problems = attached.reference_problems()
    if problems:
        raise CaseError(problems, file=str(path))
    return attached


def dump_case(case: Case) -> str:
    """The case as JSON text.

    Reading it back with [`loads_case`][foerdermittel.io.case_file.loads_case] gives an equal case.
    """
    return case.model_dump_json(indent=2, exclude_defaults=False) + "\n"


def save_case(case: Case, path: str | os.PathLike[str]) -> None:
    """Write the case as JSON, atomically (temporary file, then rename)."""
    write_atomic(path, dump_case(case).encode("utf-8"))


def case_json_schema() -> dict[str, Any]:
    """The JSON schema of a case file, with the German term in each field's description."""
    schema = Case.model_json_schema(mode="validation")
    schema["title"] = "Förderfall (foerdermittel)"
    return schema
