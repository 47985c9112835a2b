"""The Sachbericht of the proof of use: the case file's ``[report]`` table.

ANBest-Gk Nr. 6.2/6.3 and ANBest-P Nr. 6.2.1 ask for a Sachbericht beside the figures: the
use of the grant and the result achieved, compared with the targets; the course and the
duration of the project; deviations from the plan; under ANBest-Gk Nr. 6.3 the reports of the
recipient's technical offices (technische Dienststellen) attached. The case file holds it as
plain text, one field per part; the library never writes it, it shows it (and says which part
is missing).

The text is kept as written, line breaks included: the text views show a control character
escaped ([`fmt.visible`][foerdermittel.fmt.visible]), the workbook stores every text as text
(never as a formula, whatever its first character). A part that is empty or only blanks is
refused: leave the field out when there is nothing to report.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

__all__ = ["NARRATIVE_PARTS", "NonBlankText", "ProofKind", "ProofNarrative"]


def _non_blank(text: str) -> str:
    """``text`` unchanged unless it is empty or only blanks (then a pydantic error)."""
    if not text.strip():
        raise PydanticCustomError(
            "foerdermittel_blank",
            "Text ist leer; das Feld weglassen, wenn es nichts zu berichten gibt",
            {},
        )
    return text


NonBlankText = Annotated[str, AfterValidator(_non_blank)]
"""Free text kept as written (line breaks, control characters: the views show them escaped),
but not empty: a part with nothing to say is left out."""


class ProofKind(StrEnum):
    """Which proof is handed in: the final Verwendungsnachweis or an interim Zwischennachweis."""

    FINAL = "verwendungsnachweis"
    INTERIM = "zwischennachweis"


NARRATIVE_PARTS: tuple[str, ...] = ("course", "results", "deviations", "technical_reports")
"""The parts of the Sachbericht, in the order the form shows them."""


class ProofNarrative(BaseModel):
    """Sachbericht — the narrative parts of the proof of use, as the case file states them.

    Attributes:
        proof_kind: ``verwendungsnachweis`` or ``zwischennachweis``; without it, the key date
            decides: a Verwendungsnachweis once every phase has ended, a Zwischennachweis
            before.
        course: course and duration of the project (Verlauf und Dauer der Maßnahme).
        results: the use of the grant and the result achieved, compared with the targets
            (Ergebnis im Vergleich zu den Zielen; ANBest-Gk Nr. 6.3, ANBest-P Nr. 6.2.1).
        deviations: deviations from the plan and their reasons (Abweichungen vom
            Finanzierungsplan und von den Zielen).
        technical_reports: the reports of the recipient's technical offices (Berichte der
            technischen Dienststellen, ANBest-Gk Nr. 6.3), or where they are attached.

    Examples:
        >>> n = ProofNarrative(course="Projekt 01/2024–12/2025 wie geplant.")
        >>> n.missing()
        ('results', 'deviations', 'technical_reports')
        >>> from pydantic import ValidationError
        >>> try:
        ...     ProofNarrative(results="  ")
        ... except ValidationError as exc:
        ...     print(exc.errors()[0]["msg"])
        Text ist leer; das Feld weglassen, wenn es nichts zu berichten gibt
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    proof_kind: ProofKind | None = Field(
        default=None,
        description=(
            "Verwendungsnachweis oder Zwischennachweis; ohne Angabe nach dem Stichtag "
            "(alle Phasen beendet: Verwendungsnachweis)"
        ),
    )
    course: NonBlankText | None = Field(default=None, description="Verlauf und Dauer der Maßnahme")
    results: NonBlankText | None = Field(
        default=None, description="erzieltes Ergebnis im Vergleich zu den vorgegebenen Zielen"
    )
    deviations: NonBlankText | None = Field(
        default=None, description="Abweichungen vom Finanzierungsplan und von den Zielen"
    )
    technical_reports: NonBlankText | None = Field(
        default=None, description="Berichte der technischen Dienststellen (ANBest-Gk Nr. 6.3)"
    )

    def missing(self) -> tuple[str, ...]:
        """The parts the case file leaves out, in the order of ``NARRATIVE_PARTS``."""
        return tuple(part for part in NARRATIVE_PARTS if getattr(self, part) is None)

    @property
    def empty(self) -> bool:
        """No part is written."""
        return len(self.missing()) == len(NARRATIVE_PARTS)
