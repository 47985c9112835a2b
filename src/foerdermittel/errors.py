"""Errors and findings.

Two kinds of trouble are kept apart:

* *Input problems* — a case file or a Python call that cannot be understood — raise
  :class:`CaseError` (a :class:`FoerdermittelError` and a :class:`ValueError`). The message
  names the file, the field path and the value, in German, so a grant manager can fix it.
* *Compliance problems* — a plan that breaks a programme limit, a deadline missed — are data:
  every check returns :class:`Finding` objects, all of them, never just the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CaseError",
    "Finding",
    "FoerdermittelError",
    "Problem",
    "Severity",
    "UnknownRuleError",
]


class FoerdermittelError(Exception):
    """Root of every error this library raises on purpose."""


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
        shown = "" if self.value is None else f" (Wert: {self.value!r})"
        return f"{where}{self.message}{shown}"


class CaseError(FoerdermittelError, ValueError):
    """Eingabefehler — a case (file or Python data) that cannot be used.

    Carries every problem found, each with field path and value, and the file they came from.

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


class UnknownRuleError(CaseError, LookupError):
    """A programme or rulebook id that the registry does not know; the message lists valid ids."""


class Severity(StrEnum):
    """How serious a finding is. ``error`` makes the CLI exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def german(self) -> str:
        """The German label shown to users."""
        return {"error": "Fehler", "warning": "Warnung", "info": "Hinweis"}[self.value]


class Finding(BaseModel):
    """Feststellung — one compliance observation about a case.

    Attributes:
        code: a stable slug such as ``phase-cap-exceeded``; tests and scripts key on it.
        severity: error, warning or info.
        message: the observation in German, with the figures involved.
        legal_reference: the rule it rests on, e.g. "ANBest-Gk Nr. 1.2".
        subject: what it is about, e.g. ``phase B`` or ``line 3.2``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    severity: Severity
    message: str
    legal_reference: str
    subject: str
