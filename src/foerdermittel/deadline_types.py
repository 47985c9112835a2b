"""A deadline as data: what must happen by when, and the rule and place that set the day.

[`Deadline`][foerdermittel.deadline_types.Deadline] is what
[`derive_deadlines`][foerdermittel.deadlines.derive_deadlines] returns, one per deadline of a
grant, and what [`check_deadlines`][foerdermittel.deadline_checks.check_deadlines] reads. It
holds no sentence: what must happen, what it concerns, the day its period runs from, its rule,
its shift and its note are [`Message`][foerdermittel.message_types.Message] and
[`Subject`][foerdermittel.message_types.Subject] values whose words come from the catalogues
(keys ``deadline.…``) in the language a renderer asks for. Both are importable from
``foerdermittel.deadlines``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from foerdermittel.deadline_arithmetic import DeadlineStatus, ShiftPolicy
from foerdermittel.message_types import NOTHING, Message, Subject, message_json, subject_json, words

__all__ = ["Deadline", "DeadlineKind"]


DeadlineKind = Literal[
    "phase_end",
    "change_application",
    "proof_of_use",
    "interim_proof",
    "retention",
    "use_window",
    "milestone",
    "condition",
]
"""What a deadline is about; ``condition`` is a step due before a phase's first payout."""

_MessageField = Annotated[Message, PlainSerializer(message_json)]
_SubjectField = Annotated[Subject, PlainSerializer(subject_json)]

_JSON_ORDER = (
    "kind",
    "id",
    "title",
    "subject",
    "phase",
    "trigger",
    "trigger_label",
    "rule",
    "legal_source",
    "raw_end",
    "end",
    "shift_reason",
    "policy",
    "calendar_land",
    "calendar_region",
    "original_end",
    "submitted_on",
    "action_required",
    "status",
    "note",
)
"""The keys of a deadline's JSON in their order: its words where its fields were words; the
data fields follow."""


class Deadline(BaseModel):
    """Frist — one deadline of a grant, with the rule that set it and how it was shifted.

    Its texts are data: ``what``, ``about``, ``trigger_what``, ``rule_text``, ``shift_text``
    and ``note_text`` hold message keys and figures. ``title``, ``subject``,
    ``trigger_label``, ``rule``, ``shift_reason`` and ``note`` give their German words,
    ``title_in(lang)`` and the like the words of another language of the catalogues. The JSON
    of a deadline carries both: the words under the old keys (German unless the context names
    ``lang``) and the data.

    Attributes:
        kind: what the deadline is about (``proof_of_use``, ``interim_proof``, …).
        id: stable id, e.g. ``proof-of-use:A``; submissions refer to it.
        what: what must happen (key ``deadline.title.<kind>``); a programme's milestone keeps
            its title as the programme writes it.
        about: what it concerns: ``Subject("phase", "A")``, ``Subject("payout", "A-1")``, or
            the programme for a milestone.
        phase: the id of the phase it concerns (for a payout's use window, the payout's phase);
            ``None`` for a programme milestone that concerns no phase.
        trigger: the day the period runs from.
        trigger_what: what that day is, without the date (that is ``trigger``).
        rule_text: the rule, e.g. "1 Jahr nach Ende des Bewilligungszeitraums", with the
            period's length from the rulebook.
        legal_source: where the rule is written.
        raw_end: the period's last day by §§ 187, 188 BGB.
        end: the deadline after the shift for weekends and holidays.
        shift_text: why it moved, e.g. "28.02.2026 ist ein Samstag → nächster Arbeitstag";
            [`NOTHING`][foerdermittel.message_types.NOTHING] where it did not.
        policy: how it shifts.
        calendar_land: the Land whose public holidays were used: the funder's seat for what
            the funder must receive, the recipient's Land for its own acts (§ 193 BGB).
        calendar_region: the part of that Land whose extra holidays were used, if any
            (e.g. ``Augsburg``).
        original_end: the deadline under the unamended decision, where an amendment moved it.
        submitted_on: when it was met, as the case records it.
        action_required: whether something must be done by then.
        status: the status on the key date.
        note_text: further explanation (other limits considered, assumptions);
            ``NOTHING`` where there is none.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    kind: DeadlineKind
    id: str
    what: _MessageField
    about: _SubjectField
    phase: str | None = None
    trigger: date
    trigger_what: _MessageField
    rule_text: _MessageField
    legal_source: str
    raw_end: date
    end: date
    shift_text: _MessageField = NOTHING
    policy: ShiftPolicy
    calendar_land: str
    calendar_region: str | None = None
    original_end: date | None = None
    submitted_on: date | None = None
    action_required: bool
    status: DeadlineStatus
    note_text: _MessageField = NOTHING

    @property
    def title(self) -> str:
        """What must happen, in German."""
        return words(self.what)

    @property
    def subject(self) -> str:
        """What it concerns, in German (``Phase A``, ``Auszahlung A-1``)."""
        return words(self.about)

    @property
    def trigger_label(self) -> str:
        """What the day the period runs from is, in German, without the date."""
        return words(self.trigger_what)

    @property
    def rule(self) -> str:
        """The rule in German, e.g. "1 Jahr nach Ende des Bewilligungszeitraums"."""
        return words(self.rule_text)

    @property
    def shift_reason(self) -> str | None:
        """Why it moved, in German; ``None`` where it did not."""
        return self.shift_reason_in("de")

    @property
    def note(self) -> str | None:
        """Further explanation in German; ``None`` where there is none."""
        return self.note_in("de")

    def title_in(self, lang: str) -> str:
        """What must happen, in a language of the catalogues (``de``, ``en``)."""
        return words(self.what, lang)

    def subject_in(self, lang: str) -> str:
        """What it concerns, in a language of the catalogues."""
        return words(self.about, lang)

    def trigger_label_in(self, lang: str) -> str:
        """What the day the period runs from is, in a language of the catalogues."""
        return words(self.trigger_what, lang)

    def rule_in(self, lang: str) -> str:
        """The rule, in a language of the catalogues."""
        return words(self.rule_text, lang)

    def shift_reason_in(self, lang: str) -> str | None:
        """Why it moved, in a language of the catalogues; ``None`` where it did not."""
        return words(self.shift_text, lang) if self.shift_text.key else None

    def note_in(self, lang: str) -> str | None:
        """Further explanation in a language of the catalogues; ``None`` where there is none."""
        return words(self.note_text, lang) if self.note_text.key else None

    @property
    def calls_for_action(self) -> bool:
        """Whether the city still has to act by this date.

        True for what the city must file, decide, apply for or spend by the deadline — the
        proof of use, an interim proof, a programme milestone or condition, the last day for a
        change or extension application, the window to use paid-out money — as long as it is
        neither met nor passed. The end of an approval period and the end of voucher retention
        call for no action.
        """
        return self.kind in _ACTION_KINDS and self.status not in _SETTLED

    @model_serializer(mode="wrap")
    def _with_words(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        lang = (info.context or {}).get("lang", "de") if isinstance(info.context, dict) else "de"
        texts = {
            "title": self.title_in(lang),
            "subject": self.subject_in(lang),
            "trigger_label": self.trigger_label_in(lang),
            "rule": self.rule_in(lang),
            "shift_reason": self.shift_reason_in(lang),
            "note": self.note_in(lang),
        }
        ordered = {
            key: texts[key] if key in texts else data.pop(key)
            for key in _JSON_ORDER
            if key in texts or key in data
        }
        return ordered | data


_ACTION_KINDS = frozenset(
    {
        "proof_of_use",
        "interim_proof",
        "milestone",
        "condition",
        "change_application",
        "use_window",
    }
)
"""Kinds of deadline by which the city has to do something."""

_SETTLED = frozenset({DeadlineStatus.MET, DeadlineStatus.PASSED})
"""Statuses after which a deadline calls for nothing more."""
