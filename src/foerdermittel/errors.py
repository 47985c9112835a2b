"""Errors and findings.

Two kinds of trouble are kept apart:

* *Input problems* — a case file or a Python call that cannot be understood — raise
  [`CaseError`][foerdermittel.errors.CaseError] (a
  [`FoerdermittelError`][foerdermittel.errors.FoerdermittelError] and a ``ValueError``). The
  message names the file, the field path and the value, in German, so a grant manager can fix it.
* *Unusable arguments* to a public function — a float where money is expected, a
  ``datetime`` where a date is — raise [`ArgumentError`][foerdermittel.errors.ArgumentError]
  (a ``ValueError``), or for a value of the wrong type
  [`ArgumentTypeError`][foerdermittel.errors.ArgumentTypeError] (also a ``TypeError``). The
  message names the function, the argument and the value.
* *Compliance problems* — a plan that breaks a programme limit, a deadline missed — are data:
  every check returns [`Finding`][foerdermittel.errors.Finding] objects, all of them, never just
  the first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    PlainSerializer,
)

from foerdermittel._error_root import FoerdermittelError
from foerdermittel._moved import german_label
from foerdermittel.message_types import (
    Message,
    Param,
    Subject,
    Worded,
    message_json,
    subject_json,
    words,
)

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "CaseError",
    "Finding",
    "FoerdermittelError",
    "NotFoundError",
    "Problem",
    "Severity",
    "UnknownRuleError",
    "german_message",
    "shown",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (field path), what value, and why.

    Attributes:
        path: the field path in the case, e.g. ``grant.phases[1].end``; empty for the whole file.
        value: the offending value as the user wrote it (``None`` when a value is missing).
        message: what is wrong, in German.
    """

    path: str
    value: object
    message: str

    def render(self) -> str:
        """The problem as one line: ``path: message (Wert: value)``."""
        where = f"{self.path}: " if self.path else ""
        value = "" if self.value is None else f" (Wert: {shown(self.value)})"
        return f"{where}{self.message}{value}"


def shown(value: object) -> str:
    """A value as a user wrote it: text in quotes, numbers and dates plain.

    Examples:
        >>> shown(Decimal("1.005")), shown(date(2022, 9, 30)), shown("NRW"), shown(0.1)
        ('1.005', '2022-09-30', "'NRW'", '0.1')
    """
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3000:
        # str() refuses integers of more than 4300 digits; say how long it is instead.
        return f"<ganze Zahl mit etwa {int(value.bit_length() * 0.30103)} Stellen>"
    if isinstance(value, Decimal | int | float | bool):
        return str(value)
    return repr(value)


_GERMAN = {
    "missing": "Pflichtfeld fehlt",
    "string_type": "Text erwartet",
    "int_parsing": "ganze Zahl erwartet",
    "int_type": "ganze Zahl erwartet",
    "int_from_float": "ganze Zahl erwartet",
    "bool_parsing": "true oder false erwartet",
    "bool_type": "true oder false erwartet",
    "date_parsing": "kein gültiges Datum (erwartet JJJJ-MM-TT)",
    "date_from_datetime_parsing": "kein gültiges Datum (erwartet JJJJ-MM-TT)",
    "date_from_datetime_inexact": "Datum ohne Uhrzeit erwartet",
    "date_type": "Datum erwartet (JJJJ-MM-TT)",
    "tuple_type": "Liste erwartet",
    "list_type": "Liste erwartet",
    "dict_type": "Tabelle erwartet",
    "model_type": "Tabelle erwartet",
    "model_attributes_type": "Tabelle erwartet",
    "too_short": "darf nicht leer sein",
    "greater_than_equal": "Wert zu klein (mindestens {ge})",
    "less_than_equal": "Wert zu groß (höchstens {le})",
    "literal_error": "ungültiger Wert; erlaubt: {expected}",
    "enum": "ungültiger Wert; erlaubt: {expected}",
    "decimal_parsing": "keine Zahl",
    "decimal_type": "Zahl erwartet",
}


def german_message(kind: str, fallback: str, ctx: Mapping[str, Any] | None = None) -> str:
    """The German text for a pydantic error type; our own errors keep their message."""
    template = _GERMAN.get(kind)
    if template is None or kind.startswith("foerdermittel_"):
        return fallback
    values = {k: str(v).replace(" or ", " oder ") for k, v in (ctx or {}).items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template.split(" (")[0].split(";")[0]


class CaseError(FoerdermittelError, ValueError):
    """Eingabefehler — a case (file or Python data) that cannot be used.

    Carries every problem found, each with field path and value, and the file they came from.

    Examples:
        >>> err = CaseError([Problem("grant.rate", "1.5", "Förderquote muss in (0, 1] liegen")],
        ...                 file="bochum.toml")
        >>> print(err)
        bochum.toml: grant.rate: Förderquote muss in (0, 1] liegen (Wert: '1.5')
    """

    def __init__(self, problems: Iterable[Problem], *, file: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.file = file
        super().__init__(self._text())

    @classmethod
    def single(
        cls, path: str, value: object, message: str, *, file: str | None = None
    ) -> CaseError:
        """Build an error from a single problem."""
        return cls([Problem(path, value, message)], file=file)

    def with_file(self, file: str) -> CaseError:
        """The same problems, attributed to ``file``."""
        return type(self)(self.problems, file=file)

    def _text(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        lines = [p.render() for p in self.problems]
        if len(lines) == 1:
            return prefix + lines[0]
        return prefix + f"{len(lines)} Probleme:\n" + "\n".join(f"  - {line}" for line in lines)


_SHOWN_LIMIT = 80
"""How many characters of a value an argument error quotes (a 5,000-digit number is cut)."""


class ArgumentError(FoerdermittelError, ValueError):
    """Ungültiges Argument — a public function was called with a value it cannot use.

    Checked once, where the call enters the library; the message (German) names the function,
    the argument and the value.

    Attributes:
        function: the function called, e.g. ``allocate``.
        argument: the argument's name, e.g. ``weights[1]``.
        value: the value passed.
        reason: what is wrong with it.

    Examples:
        >>> err = ArgumentError("allocate", "total", 1.5, "Gleitkommazahl; Decimal erwartet")
        >>> print(err)
        allocate: Argument total: Gleitkommazahl; Decimal erwartet (Wert: 1.5)
        >>> isinstance(err, ValueError)
        True
    """

    def __init__(self, function: str, argument: str, value: object, reason: str) -> None:
        self.function = function
        self.argument = argument
        self.value = value
        self.reason = reason
        text = shown(value)
        if len(text) > _SHOWN_LIMIT:
            text = text[: _SHOWN_LIMIT - 1] + "…"
        super().__init__(f"{function}: Argument {argument}: {reason} (Wert: {text})")

    def __reduce__(self) -> tuple[type[ArgumentError], tuple[str, str, object, str]]:
        return type(self), (self.function, self.argument, self.value, self.reason)


class ArgumentTypeError(ArgumentError, TypeError):
    """An argument of the wrong type (a float for money, a ``datetime`` for a date).

    Both a ``ValueError`` and a ``TypeError``, so code that caught either before still does.
    """


class NotFoundError(FoerdermittelError, KeyError):
    """Nicht gefunden — a lookup by id (a phase, a line, a check) that finds nothing.

    Still a ``KeyError`` whose ``args[0]`` is the key, so ``except KeyError`` and
    ``exc.args[0]`` keep working; its text says in German what was looked for.

    Attributes:
        what: what was looked for, in German, e.g. ``Phase``.
        key: the key that was not found.
        known: the keys there are, where the message should list them.

    Examples:
        >>> err = NotFoundError("Phase", "C", known=("A", "B"))
        >>> print(err)
        Phase 'C' nicht gefunden; vorhanden: A, B
        >>> isinstance(err, KeyError), err.args[0]
        (True, 'C')
    """

    def __init__(self, what: str, key: object, known: Iterable[object] = ()) -> None:
        self.what = what
        self.key = key
        self.known = tuple(known)
        super().__init__(key)

    def __str__(self) -> str:
        text = f"{self.what} {shown(self.key)} nicht gefunden"
        if self.known:
            text += "; vorhanden: " + ", ".join(str(k) for k in self.known)
        return text

    def __reduce__(self) -> tuple[type[NotFoundError], tuple[str, object, tuple[object, ...]]]:
        return type(self), (self.what, self.key, self.known)


class UnknownRuleError(CaseError, LookupError):
    """A programme or rulebook id that the registry does not know; the message lists valid ids."""


class Severity(StrEnum):
    """How serious a finding is. ``error`` makes the CLI exit with status 1.

    Its words are the catalogue's ``severity.<value>`` (``Fehler``, ``Warnung``, ``Hinweis``).
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def german(self) -> str:
        """Deprecated: the German label; renderers use the catalogue's ``severity.<value>``."""
        return german_label(self, "severity")


class Finding(Worded):
    r"""Feststellung — one compliance observation about a case, as data.

    A finding carries figures, not words: what it is about (a
    [`Subject`][foerdermittel.message_types.Subject]) and what it says (a
    [`Message`][foerdermittel.message_types.Message] with the amounts, dates and counts
    involved). The words come from the message catalogues in the language a renderer asks for
    ([`message_in`][foerdermittel.errors.Finding.message_in]); ``message`` and ``subject``
    give the German words.

    Attributes:
        code: a stable slug such as ``phase-cap-exceeded``; tests and scripts key on it.
        severity: error, warning or info.
        legal_reference: the rule it rests on, e.g. "ANBest-Gk Nr. 1.2".
        about: what it is about, e.g. ``Subject("phase", "B")``.
        text: the message: catalogue key and parameters.

    Examples:
        >>> from foerdermittel.message_types import NOTHING
        >>> f = Finding.of("final-instalment-due", Severity.INFO, Subject("phase", "B"),
        ...                "ANBest Nr. 1, 6", projected=NOTHING, amount=Decimal("432060.35"))
        >>> f.subject, f.message
        ('Phase B', 'nach Abrechnung noch auszuzahlen 432.060,35\xa0€')
        >>> f.message_in("en")
        'still to be paid after the final account: €432,060.35'
    """

    code: str
    severity: Severity
    legal_reference: str
    about: Annotated[Subject, PlainSerializer(subject_json)]
    text: Annotated[Message, PlainSerializer(message_json)]

    @classmethod
    def of(
        cls, code: str, severity: Severity, about: Subject, legal_reference: str, /, **params: Param
    ) -> Finding:
        """A finding whose message is the catalogue's ``finding.<code>`` with ``params``."""
        return cls.model_construct(
            code=code,
            severity=severity,
            legal_reference=legal_reference,
            about=about,
            text=Message(f"finding.{code}", params),
        )

    @property
    def message(self) -> str:
        """The observation in German, with the figures involved."""
        return words(self.text)

    @property
    def subject(self) -> str:
        """What it is about, in German (``Phase B``, ``Ansatz 3.2``)."""
        return words(self.about)

    def message_in(self, lang: str) -> str:
        """The observation in a language of the catalogues (``de``, ``en``)."""
        return words(self.text, lang)

    def subject_in(self, lang: str) -> str:
        """What it is about, in a language of the catalogues."""
        return words(self.about, lang)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {"subject": words(self.about, lang), "message": words(self.text, lang)}
