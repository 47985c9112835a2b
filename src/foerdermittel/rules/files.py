r"""Rulebook files: editions and programme calls as TOML, each group of values with its source.

The shipped rulebooks are files in ``foerdermittel/rules/data/``, one per ANBest edition, Land
variant and programme call; a user's own file has the same form. A file begins with its
format version and its kind, then the values of a
[`Rulebook`][foerdermittel.rules.model.Rulebook] (``kind = "edition"``, also for a Land
variant, which names its ``land``) or of a
[`ProgrammeRules`][foerdermittel.rules.model.ProgrammeRules] (``kind = "programme"``)::

    schema_version = 1
    kind = "edition"
    id = "anbest-gk-2019"
    title = "ANBest-Gk, Ausgabe 13.06.2019"
    edition = "13.06.2019"
    valid_from = 2019-06-13

    [use_window]
    window = { amount = 6, unit = "weeks" }
    source = "ANBest-Gk (13.06.2019) Nr. 8.5"
    read_in = "Formularschrank des Bundes, Datei 2038"

Every group of values names its legal basis (``source``, required and not empty) and may say
where the values were read (``read_in``). Reading is strict: an unknown key, a group without
its source, an edition or call dated after today, a share above 100 %, a programme whose
default tier or default edition does not exist — each is a
[`CaseError`][foerdermittel.errors.CaseError] naming the file, the field path and the value.
Numbers are read as ``Decimal`` (``parse_float=Decimal``), never as floats.

Examples:
    >>> rulebook = load_rule_file(shipped_rule_dir() / "anbest-gk-2019.toml")
    >>> rulebook.use_window.window.amount, rulebook.use_window.source
    (6, 'ANBest-Gk (13.06.2019) Nr. 8.5')
    >>> loads_rule_file('schema_version = 1\nkind = "ausgabe"', file="x.toml")
    Traceback (most recent call last):
    ...
    foerdermittel.errors.CaseError: x.toml: kind: unbekannte Art; erlaubt: edition ...
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from collections.abc import Collection, Iterator, Mapping
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from foerdermittel._files import not_a_regular_file
from foerdermittel.errors import CaseError, Problem, german_message
from foerdermittel.rules.model import ProgrammeRules, Rulebook

__all__ = [
    "KINDS",
    "RULE_FILE_VERSION",
    "RuleFile",
    "ShippedRules",
    "content_problems",
    "load_programme_file",
    "load_rule_file",
    "load_rulebook_file",
    "loads_rule_file",
    "rulebook_json_schema",
    "shipped_edition",
    "shipped_programme",
    "shipped_rule_dir",
    "shipped_rules",
]

RULE_FILE_VERSION: Final = 1
"""The version of the rulebook-file format this library reads and ships."""

KINDS: Final[Mapping[str, str]] = {
    "edition": "Ausgabe der Nebenbestimmungen (ANBest) oder Landesvariante",
    "programme": "Förderprogramm (Förderaufruf)",
}
"""The kinds of rulebook file, with their German names."""

RuleFile = Rulebook | ProgrammeRules
"""What a rulebook file holds: an edition (or Land variant), or a programme call."""

_NO_SOURCE = (
    "Quelle fehlt: jede Wertegruppe nennt ihre Rechtsgrundlage (source: Norm oder Dokument, "
    "Nummer, Datum)"
)
_BLANK = "ist leer: die Angabe ausfüllen oder weglassen"
_SOURCE_FIELDS = ("source", "read_in", "proof_of_use_source", "proof_of_use_read_in")


def _path(loc: tuple[int | str, ...]) -> str:
    """A field path as a reader of the file sees it: ``phases.A.cap``, ``milestones[1].due``."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _validation_problems(exc: ValidationError, prefix: str = "") -> list[Problem]:
    """Pydantic's errors as problems in German, each with its field path and value."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        ctx = error.get("ctx") or {}
        value = None if kind == "missing" else error.get("input")
        if kind == "extra_forbidden":
            message = f"unbekannter Schlüssel {str(loc[-1])!r} (Tippfehler?)"
        elif kind == "missing" and loc and loc[-1] == "source":
            message = _NO_SOURCE
        elif kind == "less_than_equal" and str(ctx.get("le")) == "1":
            message = "Anteil über 100 %: höchstens 1 (= 100 %)"
        elif kind == "foerdermittel_rate_range":
            message = german_message(kind, error["msg"], ctx) + "; höchstens 100 %"
        else:
            message = german_message(kind, error["msg"], ctx)
        if isinstance(value, Mapping | list | tuple):
            value = None
        path = _path(loc)
        problems.append(
            Problem(f"{prefix}{path}" if prefix and path else prefix or path, value, message)
        )
    return problems


def _groups(model: BaseModel, path: str = "") -> Iterator[tuple[str, BaseModel]]:
    """Every model within ``model`` (itself first), with its field path."""
    yield path, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        where = f"{path}.{name}" if path else name
        if isinstance(value, BaseModel):
            yield from _groups(value, where)
        elif isinstance(value, tuple):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _groups(item, f"{where}[{index}]")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(item, BaseModel):
                    yield from _groups(item, f"{where}.{key}")


def _content_problems(
    rules: RuleFile, today: date, known_rulebooks: Collection[str] | None
) -> list[Problem]:
    """What the models accept but a rulebook may not hold: blank sources, future dates, …."""
    problems: list[Problem] = []
    if not rules.id.strip():
        problems.append(Problem("id", rules.id, "die Kennung darf nicht leer sein"))
    for path, group in _groups(rules):
        for name in _SOURCE_FIELDS:
            text = getattr(group, name, None)
            if isinstance(text, str) and not text.strip():
                where = f"{path}.{name}" if path else name
                problems.append(Problem(where, text, _NO_SOURCE if name == "source" else _BLANK))
    dated = ("valid_from", rules.valid_from) if isinstance(rules, Rulebook) else None
    if isinstance(rules, ProgrammeRules):
        dated = ("call_date", rules.call_date)
    if dated is not None and dated[1] > today:
        what = "die Ausgabe" if isinstance(rules, Rulebook) else "der Aufruf"
        problems.append(
            Problem(
                dated[0],
                dated[1],
                f"liegt in der Zukunft (heute ist der {today:%d.%m.%Y}): {what} gilt erst, "
                "wenn sie erschienen ist",
            )
        )
    if isinstance(rules, ProgrammeRules):
        problems.extend(_programme_problems(rules, known_rulebooks))
    return problems


def content_problems(
    rules: RuleFile,
    *,
    today: date | None = None,
    known_rulebooks: Collection[str] | None = None,
) -> tuple[Problem, ...]:
    """What a valid model may hold but a rulebook may not, with the path inside the rulebook.

    Blank sources, an edition or call dated after ``today``, a programme's default tier, a
    described tier (``tiers``) without a rate, default edition (one of ``known_rulebooks``, by
    default the shipped editions), phase kinds and sub-caps that do not fit. Empty for every
    rulebook a file may hold.
    """
    if known_rulebooks is None and isinstance(rules, ProgrammeRules):
        known_rulebooks = tuple(e.id for e in shipped_rules().editions)
    return tuple(_content_problems(rules, today or date.today(), known_rulebooks))


def _programme_problems(
    programme: ProgrammeRules, known_rulebooks: Collection[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    if programme.default_tier not in programme.rates:
        problems.append(
            Problem(
                "default_tier",
                programme.default_tier,
                "unbekannte Förderquotenstufe; rates kennt: " + (", ".join(programme.rates) or "—"),
            )
        )
    for tier in programme.tiers:
        if tier not in programme.rates:
            problems.append(
                Problem(
                    f"tiers.{tier}",
                    tier,
                    "Stufe ohne Förderquote; rates kennt: " + (", ".join(programme.rates) or "—"),
                )
            )
    if known_rulebooks is not None and programme.default_rulebook not in known_rulebooks:
        problems.append(
            Problem(
                "default_rulebook",
                programme.default_rulebook,
                "unbekanntes Regelwerk; gültig sind: " + ", ".join(known_rulebooks),
            )
        )
    for kind, limit in programme.phases.items():
        if (
            limit.first_measures_cap is not None
            and limit.cap is not None
            and limit.first_measures_cap > limit.cap
        ):
            problems.append(
                Problem(
                    f"phases.{kind}.first_measures_cap",
                    limit.first_measures_cap,
                    f"über der Obergrenze der Phase (cap {limit.cap})",
                )
            )
        if (
            limit.extended_cap is not None
            and limit.cap is not None
            and limit.extended_cap < limit.cap
        ):
            problems.append(
                Problem(
                    f"phases.{kind}.extended_cap",
                    limit.extended_cap,
                    f"unter der Obergrenze ohne Verlängerung (cap {limit.cap})",
                )
            )
        if limit.extended_max_duration is not None and limit.max_duration is None:
            problems.append(
                Problem(
                    f"phases.{kind}.extended_max_duration",
                    str(limit.extended_max_duration),
                    "ohne max_duration: eine Höchstdauer nach Verlängerung braucht die "
                    "Regeldauer, über die sie hinausgeht",
                )
            )
    for index, milestone in enumerate(programme.milestones):
        if milestone.before_phase is not None and milestone.before_phase not in programme.phases:
            problems.append(
                Problem(
                    f"milestones[{index}].before_phase",
                    milestone.before_phase,
                    "unbekannte Phasenart; phases kennt: " + (", ".join(programme.phases) or "—"),
                )
            )
    return problems


def _header_problems(data: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    version = data.get("schema_version")
    if version is None:
        problems.append(
            Problem("schema_version", None, f"Pflichtfeld fehlt; erwartet {RULE_FILE_VERSION}")
        )
    elif isinstance(version, bool) or version != RULE_FILE_VERSION:
        problems.append(
            Problem(
                "schema_version",
                version,
                f"unbekannte Version des Dateiformats; unterstützt: {RULE_FILE_VERSION}",
            )
        )
    kinds = "; ".join(f"{k} ({v})" for k, v in KINDS.items())
    kind = data.get("kind")
    if kind is None:
        problems.append(Problem("kind", None, f"Pflichtfeld fehlt; erlaubt: {kinds}"))
    elif kind not in KINDS:
        problems.append(Problem("kind", kind, f"unbekannte Art; erlaubt: {kinds}"))
    return problems


def loads_rule_file(
    text: str,
    *,
    file: str | None = None,
    today: date | None = None,
    known_rulebooks: Collection[str] | None = None,
) -> RuleFile:
    """Read a rulebook file from its TOML text.

    Args:
        text: the file's text.
        file: its name, for the messages.
        today: the day after which no edition or call may be dated (default: today).
        known_rulebooks: the edition ids a programme's ``default_rulebook`` may name
            (default: every shipped edition).

    Raises:
        CaseError: malformed TOML or invalid content; every problem found, each naming the
            field path and the value.
    """
    return _validated(_parsed(text, file), file=file, today=today, known=known_rulebooks)


def _parsed(text: str, file: str | None) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError.single("", None, f"kein gültiges TOML: {exc}", file=file) from None
    except (RecursionError, ValueError) as exc:  # nesting too deep, an integer too long
        raise CaseError.single("", None, f"kein lesbares TOML: {exc}", file=file) from None


def _validated(
    data: Mapping[str, Any],
    *,
    file: str | None,
    today: date | None,
    known: Collection[str] | None,
) -> RuleFile:
    problems = _header_problems(data)
    kind = data.get("kind")
    if kind not in KINDS:
        raise CaseError(problems, file=file)
    body = {k: v for k, v in data.items() if k not in {"schema_version", "kind"}}
    if kind == "edition" and "programme" in body:
        problems.append(
            Problem(
                "programme",
                None,
                "unbekannter Schlüssel 'programme': ein Förderprogramm steht in einer eigenen "
                'Datei (kind = "programme")',
            )
        )
        del body["programme"]
    model: type[Rulebook] | type[ProgrammeRules] = Rulebook if kind == "edition" else ProgrammeRules
    try:
        rules = model.model_validate(body)
    except ValidationError as exc:
        raise CaseError([*problems, *_validation_problems(exc)], file=file) from None
    problems.extend(content_problems(rules, today=today, known_rulebooks=known))
    if problems:
        raise CaseError(problems, file=file)
    return rules


def _read_text(path: Path, name: str) -> str:
    if path.suffix.lower() != ".toml":
        raise CaseError.single(
            "", path.suffix or name, "unbekanntes Dateiformat; erwartet .toml", file=name
        )
    try:
        reason = not_a_regular_file(path)
        if reason is not None:
            raise CaseError.single("", None, reason, file=name)
        return path.read_text(encoding="utf-8-sig")
    except CaseError:
        raise
    except UnicodeDecodeError as exc:
        raise CaseError.single(
            "", None, f"keine UTF-8-Textdatei (Byte {exc.start})", file=name
        ) from None
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the name
        raise CaseError.single("", None, "Datei nicht gefunden", file=name) from None
    except IsADirectoryError:
        raise CaseError.single("", None, "ist ein Verzeichnis, keine Datei", file=name) from None
    except OSError as exc:
        raise CaseError.single("", None, f"nicht lesbar: {exc.strerror}", file=name) from None


def load_rule_file(
    path: str | os.PathLike[str],
    *,
    today: date | None = None,
    known_rulebooks: Collection[str] | None = None,
) -> RuleFile:
    """Read a rulebook file (``.toml``): an edition, a Land variant or a programme call.

    ``today`` and ``known_rulebooks`` as for
    [`loads_rule_file`][foerdermittel.rules.files.loads_rule_file].

    Raises:
        CaseError: the file is missing, unreadable or malformed, or its content is invalid;
            the message names the file, the field path and the value.
    """
    name = str(path)
    return loads_rule_file(
        _read_text(Path(path), name), file=name, today=today, known_rulebooks=known_rulebooks
    )


def load_rulebook_file(path: str | os.PathLike[str], *, today: date | None = None) -> Rulebook:
    """Read a file that must hold an edition (``kind = "edition"``).

    Raises:
        CaseError: as [`load_rule_file`][foerdermittel.rules.files.load_rule_file], or the
            file holds a programme call.
    """
    rules = load_rule_file(path, today=today)
    if not isinstance(rules, Rulebook):
        raise CaseError.single(
            "kind",
            "programme",
            'erwartet eine Ausgabe der Nebenbestimmungen (kind = "edition"), kein Förderprogramm',
            file=str(path),
        )
    return rules


def load_programme_file(
    path: str | os.PathLike[str],
    *,
    today: date | None = None,
    known_rulebooks: Collection[str] | None = None,
) -> ProgrammeRules:
    """Read a file that must hold a programme call (``kind = "programme"``).

    Raises:
        CaseError: as [`load_rule_file`][foerdermittel.rules.files.load_rule_file], or the
            file holds an edition.
    """
    rules = load_rule_file(path, today=today, known_rulebooks=known_rulebooks)
    if not isinstance(rules, ProgrammeRules):
        raise CaseError.single(
            "kind",
            "edition",
            'erwartet ein Förderprogramm (kind = "programme"), keine Ausgabe der Nebenbestimmungen',
            file=str(path),
        )
    return rules


def shipped_rule_dir() -> Path:
    """The folder of the shipped rulebook files (package data)."""
    return Path(str(resources.files("foerdermittel.rules").joinpath("data")))


class ShippedRules:
    """The shipped editions and programme calls, read from their files.

    Attributes:
        editions: the editions, federal by family and date, then the Land variants.
        programmes: the programme calls by the date of the call.
        files: the file each id was read from.
    """

    __slots__ = ("editions", "files", "programmes")

    def __init__(
        self,
        editions: tuple[Rulebook, ...],
        programmes: tuple[ProgrammeRules, ...],
        files: Mapping[str, Path],
    ) -> None:
        self.editions = editions
        self.programmes = programmes
        self.files = dict(files)


_HEAD_VALUE = re.compile(r'(id|kind)\s*=\s*"([^"\\]*)"\s*(?:#.*)?')
"""A line ``id = "…"`` or ``kind = "…"`` (a basic string without escapes, perhaps a comment)."""


def _head(text: str) -> tuple[str, object] | None:
    """The ``id`` and ``kind`` of a rulebook file, read from its lines before the first table.

    ``None`` where those lines do not name both plainly once (the whole file is parsed then).
    """
    found: dict[str, list[str]] = {"id": [], "kind": []}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("["):
            break
        match = _HEAD_VALUE.fullmatch(line)
        if match:
            found[match[1]].append(match[2])
        elif line.startswith(("id", "kind", '"', "'")):  # written otherwise: parse the file
            return None
    if len(found["id"]) != 1 or len(found["kind"]) != 1:
        return None
    return found["id"][0], found["kind"][0]


@functools.cache
def _shipped_index() -> dict[str, tuple[object, Path]]:
    """The kind and file of every shipped id, in the order of the files' names.

    Read from the lines before each file's first table, so that asking for one edition or
    programme reads and checks that file only.

    Raises:
        CaseError: two files give the same id.
    """
    index: dict[str, tuple[object, Path]] = {}
    for path in sorted(shipped_rule_dir().glob("*.toml")):
        text = _read_text(path, str(path))
        head = _head(text)
        if head is None:
            table = _parsed(text, str(path))
            head = str(table.get("id")), table.get("kind")
        ident, kind = head
        if ident in index:
            raise CaseError.single(
                "id", ident, f"doppelt vergeben, auch in {index[ident][1]}", file=str(path)
            )
        index[ident] = (kind, path)
    return index


@functools.cache
def _shipped_file(ident: str) -> RuleFile:
    """The shipped edition or programme call ``ident``, read and checked once."""
    kind, path = _shipped_index()[ident]
    known: tuple[str, ...] = ()
    if kind == "programme":  # its default edition must be one of the shipped editions
        known = tuple(i for i, (k, _) in _shipped_index().items() if k != "programme")
    return _validated(
        _parsed(_read_text(path, str(path)), str(path)), file=str(path), today=None, known=known
    )


def shipped_edition(ident: object) -> Rulebook | None:
    """The shipped edition ``ident``, read and checked on first use; ``None`` if none has it.

    Raises:
        CaseError: its file is invalid, or two shipped files give the same id.
    """
    entry = _shipped_index().get(ident) if isinstance(ident, str) else None
    if entry is None or entry[0] == "programme":
        return None
    edition = _shipped_file(ident)
    return edition if isinstance(edition, Rulebook) else None


def shipped_programme(ident: object) -> ProgrammeRules | None:
    """The shipped programme call ``ident``, read and checked on first use; ``None`` if none.

    Raises:
        CaseError: its file is invalid, or two shipped files give the same id.
    """
    entry = _shipped_index().get(ident) if isinstance(ident, str) else None
    if entry is None or entry[0] != "programme":
        return None
    programme = _shipped_file(ident)
    return programme if isinstance(programme, ProgrammeRules) else None


@functools.cache
def shipped_rules() -> ShippedRules:
    """Every shipped rulebook file, read and checked once, on first use.

    An edition or a programme asked for by its id alone
    ([`shipped_edition`][foerdermittel.rules.files.shipped_edition],
    [`shipped_programme`][foerdermittel.rules.files.shipped_programme]) is the same object.

    Raises:
        CaseError: a shipped file is invalid, or two files give the same id.
    """
    index = _shipped_index()
    editions = [_shipped_file(i) for i, (kind, _) in index.items() if kind != "programme"]
    programmes = [_shipped_file(i) for i, (kind, _) in index.items() if kind == "programme"]
    return ShippedRules(
        tuple(
            sorted(
                (e for e in editions if isinstance(e, Rulebook)),
                key=lambda e: (e.land or "", e.title.split(",")[0], e.valid_from),
            )
        ),
        tuple(
            sorted(
                (p for p in programmes if isinstance(p, ProgrammeRules)),
                key=lambda p: (p.call_date, p.id),
            )
        ),
        {ident: path for ident, (_, path) in index.items()},
    )


def rulebook_json_schema() -> dict[str, Any]:
    """The JSON schema of a rulebook file: an edition or a programme call.

    Examples:
        >>> schema = rulebook_json_schema()
        >>> [s["properties"]["kind"]["const"] for s in schema["oneOf"]]
        ['edition', 'programme']
    """
    edition = Rulebook.model_json_schema(mode="validation")
    definitions: dict[str, Any] = edition.pop("$defs", {})
    programme = dict(definitions["ProgrammeRules"])
    del edition["properties"]["programme"]
    variants = []
    for kind, schema in (("edition", edition), ("programme", programme)):
        header = {
            "schema_version": {
                "const": RULE_FILE_VERSION,
                "description": "Version des Dateiformats",
            },
            "kind": {"const": kind, "description": KINDS[kind]},
        }
        variants.append(
            {
                **schema,
                "properties": {**header, **schema["properties"]},
                "required": ["schema_version", "kind", *schema.get("required", [])],
            }
        )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Regelwerksdatei (foerdermittel)",
        "description": (
            "Eine Ausgabe der Nebenbestimmungen, eine Landesvariante oder ein Förderaufruf; jede "
            "Wertegruppe nennt ihre Rechtsgrundlage (source) und, wo bekannt, wo die Werte "
            "gelesen wurden (read_in)."
        ),
        "oneOf": variants,
        "$defs": definitions,
    }
