"""Deadlines and their findings as data: message keys and figures, words from the catalogues."""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

import foerdermittel as fm
from foerdermittel.calendar import HolidayCalendar
from foerdermittel.deadline_arithmetic import (
    DeadlineStatus,
    ShiftPolicy,
    joined,
    shift,
    shifted,
)
from foerdermittel.extension import with_extension
from foerdermittel.message_types import NOTHING, Message, Subject
from foerdermittel.messages import catalogue, render
from foerdermittel.periods import Span

from .common import BOCHUM, bochum_data, simple_case

AS_OF = date(2025, 6, 30)

DEADLINE_CODES = frozenset(
    {
        "deadline-missed",
        "deadline-due-soon",
        "payout-before-milestone",
        "submission-unknown-deadline",
        "funder-seat-unknown",
        "extension-beyond-ceiling",
        "proof-deadline-before-phase-end",
        "extension-applied-late",
    }
)
"""The codes of the findings on deadlines and amendments."""

GERMAN = re.compile(
    r"\b(?:der|die|das|des|dem|den|und|nicht|ist|ein|eine|nach|vor|bis|am|vom|mit|für|"
    r"Ansatz|Auszahlung|Belegliste|Belege|Zuwendung|Zuwendungsgeber|Bewilligungszeitraums?|"
    r"Verwendungsnachweis(?:es)?|Zwischennachweis|Förderzusage|Frist|Fristen|Feiertag|"
    r"Arbeitstag|Samstag|Sonntag|Monate?|Jahre?|Wochen?|Tage?|erfüllt|erledigt|versäumt|"
    r"offen|fällig|abgelaufen|Änderungsbescheid|Antrag|spätestens|binnen|Haushaltsjahres?|"
    r"Aufbewahrung|Empfängers?|Sitz|Mittel|Voraussetzung|maßgeblich|außerdem|Schlussrate|"
    r"Erstattung|alsbald|Programms?|Erledigung|vorhanden)\b",
    re.IGNORECASE,
)
"""German words the English texts of deadlines must not contain."""


def test_the_list_of_german_words_finds_german() -> None:
    german = [render(s.message) for s in DeadlineStatus]
    german.append(
        render(Message.of("deadline.rule.use-window", span=Span(amount=6, unit="weeks").message))
    )
    german.append(render(Message.of("deadline.note.use-checked")))
    assert all(GERMAN.search(words) for words in german), german


def report(data: dict[str, Any], as_of: date = AS_OF) -> fm.Report:
    return fm.evaluate(fm.Case.from_data(data), as_of)


def by_id(result: fm.Report) -> dict[str, fm.Deadline]:
    return {d.id: d for d in result.deadlines}


def finding(result: fm.Report, code: str, title: Message | None = None) -> fm.Finding:
    """The one finding of ``code`` (on the deadline with ``title``, where given)."""
    found = [
        f
        for f in result.findings
        if f.code == code and (title is None or f.text.params["title"] == title)
    ]
    assert len(found) == 1, [f.code for f in result.findings]
    return found[0]


def anbest_p_data() -> dict[str, Any]:
    """Bochum under ANBest-P without a programme: yearly interim proofs, a requested one."""
    data = bochum_data()
    data["grant"].update(programme=None, rulebook="anbest-p-2019", rate_tier=None)
    data["submissions"] = []
    data["amendments"] = []
    data["interim_requests"] = [
        {"id": "R1", "phase": "B", "requested_on": date(2025, 3, 3), "due": date(2025, 5, 31)}
    ]
    return data


# --- a worked example: the proof of use of Bochum's phase A -------------------------------------


def test_the_proof_of_use_carries_its_figures_and_reads_in_english() -> None:
    case = fm.load_case(BOCHUM)
    rulebook, _ = case.rulebook()
    assert rulebook.programme is not None
    limit = rulebook.programme.phases["A"].proof_of_use_after_decision
    assert limit is not None
    proof = by_id(fm.evaluate(case, AS_OF))["proof-of-use:A"]
    assert proof.what == Message.of("deadline.title.proof-of-use", phase="A")
    assert proof.about == Subject("phase", "A")
    assert proof.trigger_what == Message.of("deadline.trigger.decision")
    # the period comes from the programme's rules, not from a template
    assert proof.rule_text == Message.of("deadline.rule.after-decision", span=limit.message)
    assert limit.message.params["count"] == 30
    assert proof.shift_text.key == "deadline.shift.forward"
    assert proof.note_text.key == "deadline.note.earliest"
    other = proof.note_text.params["others"]
    assert isinstance(other, Message)
    assert other.params["end"] == date(2024, 6, 30)
    # the German words are those of before; the English ones say the same
    assert proof.title == "Verwendungsnachweis Phase A vorlegen"
    assert proof.rule == "spätestens 30 Monate nach der Förderzusage"
    assert proof.title_in("en") == "Submit the proof of use for Phase A"
    assert proof.subject_in("en") == "Phase A"
    assert proof.trigger_label_in("en") == "funding commitment"
    assert proof.rule_in("en") == "at the latest 30 months after the funding commitment"
    assert proof.shift_reason_in("en") == (
        "2024-06-01 is a Saturday; 2024-06-02 is a Sunday → next working day"
    )
    assert proof.note_in("en") == (
        "the earliest limit applies; other limits: "
        "at the latest 1 year after the end of the funding period: 2024-06-30"
    )


def test_use_window_and_retention_read_their_periods_from_the_rulebook() -> None:
    case = fm.load_case(BOCHUM)
    rulebook, _ = case.rulebook()
    deadlines = by_id(fm.evaluate(case, AS_OF))
    window = deadlines["use-window:A-3"]
    assert window.about == Subject("payout", "A-3")
    assert window.rule_text.params["span"] == rulebook.use_window.window.message
    assert window.rule == "binnen 6 Wochen nach Auszahlung"
    assert window.rule_in("en") == "within 6 weeks of the payout"
    retention = deadlines["retention:A"]
    keep = Span(amount=rulebook.retention.years, unit="years")
    assert retention.rule_text.params["span"] == keep.message
    assert retention.rule_in("en") == "5 years after submission of the proof of use"


def test_a_milestone_keeps_the_programme_s_words_as_data() -> None:
    deadlines = by_id(report(bochum_data()))
    milestone = deadlines["milestone:extension-application"]
    assert milestone.what.params["title"] == milestone.title  # the programme's own title
    assert milestone.about.kind == "programme"
    assert milestone.rule_text == Message.of("deadline.rule.milestone-due", due=date(2025, 1, 31))
    assert milestone.rule_in("en") == "by 2025-01-31"
    assert milestone.note_in("en") == "optional offer of the programme"


def test_the_german_properties_are_the_words_of_the_data() -> None:
    for deadline in report(anbest_p_data()).deadlines:
        assert deadline.title == deadline.title_in("de")
        assert deadline.subject == deadline.subject_in("de")
        assert deadline.trigger_label == deadline.trigger_label_in("de")
        assert deadline.rule == deadline.rule_in("de")
        assert (deadline.shift_reason is None) == (deadline.shift_text == NOTHING)
        assert (deadline.note is None) == (deadline.note_text == NOTHING)
        if deadline.kind != "use_window":
            assert deadline.about == Subject("phase", deadline.phase or "")


def test_the_json_keeps_the_words_and_adds_the_data() -> None:
    deadline = by_id(report(bochum_data()))["proof-of-use:A"]
    data = deadline.model_dump(mode="json")
    assert list(data)[:4] == ["kind", "id", "title", "subject"]
    assert data["title"] == "Verwendungsnachweis Phase A vorlegen"
    assert data["trigger_label"] == "Förderzusage"
    assert data["what"] == {"key": "deadline.title.proof-of-use", "params": {"phase": "A"}}
    assert data["about"] == {"kind": "phase", "id": "A"}
    assert data["rule_text"]["params"]["span"] == {
        "key": "span.months",
        "params": {"count": 30},
    }
    english = deadline.model_dump(mode="json", context={"lang": "en"})
    assert english["title"] == "Submit the proof of use for Phase A"
    assert english["what"] == data["what"]
    phase_end = by_id(report(bochum_data()))["phase-end:A"].model_dump(mode="json")
    assert phase_end["shift_reason"] is None
    assert phase_end["note"] is None
    assert '"what":{"key":"deadline.title.proof-of-use"' in deadline.model_dump_json()


def test_the_status_words_come_from_the_catalogue() -> None:
    assert [render(s.message) for s in DeadlineStatus] == [
        "offen",
        "bald fällig",
        "erledigt",
        "versäumt",
        "abgelaufen",
    ]
    with pytest.warns(DeprecationWarning, match="DeadlineStatus.german"):
        assert DeadlineStatus.MET.german == "erledigt"
    assert [render(s.message, "en") for s in DeadlineStatus] == [
        "open",
        "due soon",
        "met",
        "missed",
        "expired",
    ]


# --- shifts, holidays, lengths -------------------------------------------------------------------


def test_a_shift_says_why_as_data() -> None:
    nw = HolidayCalendar("NW")
    day, reason = shifted(date(2025, 11, 30), ShiftPolicy.BACKWARD, nw)
    assert day == date(2025, 11, 28)
    assert reason == Message.of(
        "deadline.shift.backward",
        reasons=joined(
            [
                Message.of("calendar.sunday", day=date(2025, 11, 30)),
                Message.of("calendar.saturday", day=date(2025, 11, 29)),
            ]
        ),
    )
    assert render(reason, "en") == (
        "2025-11-30 is a Sunday; 2025-11-29 is a Saturday → last working day before"
    )
    assert shift(date(2025, 11, 30), ShiftPolicy.BACKWARD, nw)[1] == render(reason)
    assert shifted(date(2025, 11, 28), ShiftPolicy.FORWARD, nw) == (date(2025, 11, 28), NOTHING)
    holiday = nw.non_working(date(2028, 6, 15))
    assert holiday == Message.of("calendar.holiday", day=date(2028, 6, 15), name="Fronleichnam")
    assert nw.non_working_reason(date(2028, 6, 15)) == "15.06.2028 ist ein Feiertag (Fronleichnam)"
    assert nw.non_working(date(2028, 6, 16)) is None


def test_the_calendar_names_its_place_as_data() -> None:
    augsburg = HolidayCalendar("BY", "Augsburg")
    assert augsburg.place.params["land"] == "BY"
    assert augsburg.label == "BY (Augsburg)"
    assert render(augsburg.place, "en") == "BY (Augsburg)"
    assert HolidayCalendar("NW").label == "NW"


def test_a_span_chooses_singular_or_plural() -> None:
    cases = {
        ("days", 1): ("1 Tag", "1 day"),
        ("weeks", 6): ("6 Wochen", "6 weeks"),
        ("months", 1): ("1 Monat", "1 month"),
        ("months", 0): ("0 Monate", "0 months"),
        ("years", 5): ("5 Jahre", "5 years"),
    }
    for (unit, amount), (german, english) in cases.items():
        span = Span(amount=amount, unit=unit)
        assert render(span.message) == german == str(span)
        assert render(span.message, "en") == english


# --- the findings: figures as data, English words ------------------------------------------------


REQUESTED = Message.of("deadline.title.interim-proof-requested", phase="B")


def test_a_missed_interim_proof() -> None:
    found = finding(report(anbest_p_data()), "deadline-missed", REQUESTED)
    assert found.about == Subject("phase", "B")
    assert found.text.params == {
        "title": REQUESTED,
        "end": date(2025, 6, 2),
        "done": Message.of("deadline.part.not-recorded"),
    }
    assert found.message == (
        "Frist versäumt: Angeforderten Zwischennachweis für Phase B vorlegen bis 02.06.2025; "
        "nicht als erledigt erfasst"
    )
    assert found.message_in("en") == (
        "Deadline missed: Submit the requested interim proof for Phase B by 2025-06-02; "
        "not recorded as done"
    )


def test_a_deadline_met_late() -> None:
    data = anbest_p_data()
    data["submissions"] = [{"deadline": "interim-proof:B:R1", "submitted_on": date(2025, 6, 10)}]
    found = finding(report(data), "deadline-missed", REQUESTED)
    assert found.text.params["done"] == Message.of("deadline.part.done-late", day=date(2025, 6, 10))
    assert found.message_in("en").endswith("; done only on 2025-06-10")


def test_a_deadline_due_soon() -> None:
    found = finding(fm.evaluate(simple_case(), date(2026, 12, 15)), "deadline-due-soon")
    assert found.text.params["end"] == date(2026, 12, 31)
    assert found.message == "Frist bald fällig: Verwendungsnachweis Phase P vorlegen bis 31.12.2026"
    assert found.message_in("en") == (
        "Deadline due soon: Submit the proof of use for Phase P by 2026-12-31"
    )


def test_a_payout_before_the_council_resolution() -> None:
    data = bochum_data()
    data["payouts"] = [
        {"id": "B-1", "phase": "B", "amount": "100000.00", "paid_on": date(2022, 11, 15)}
    ]
    found = finding(report(data), "payout-before-milestone")
    assert found.about == Subject("phase", "B")
    assert found.text.params["done"] == Message.of("deadline.part.done-on", day=date(2022, 12, 8))
    assert found.text.params["note"] == Message.of(
        "deadline.note.first-payout", paid=date(2022, 11, 15)
    )
    assert found.message_in("en") == (
        "Ratsbeschluss zur Smart-City-Strategie vor Mitteln der Umsetzungsphase: money was paid "
        "out before the condition was met (met on 2022-12-08); first payout on 2022-11-15"
    )


def test_an_extension_past_the_ceiling_applied_for_late() -> None:
    data = bochum_data()
    data["amendments"].append(
        {
            "id": "Ä-2",
            "title": "Verlängerung Umsetzungsphase",
            "applied_on": date(2026, 10, 15),
            "decided_on": date(2026, 11, 2),
            "phases": [{"phase": "B", "new_end": date(2028, 6, 30)}],
        }
    )
    case = fm.Case.from_data(data)
    programme = case.rulebook()[0].programme
    assert programme is not None
    result = fm.evaluate(case, date(2026, 11, 26))
    ceiling = finding(result, "extension-beyond-ceiling")
    assert ceiling.about == Subject("phase", "B")
    assert ceiling.text.params == {
        "amendment": Subject("amendment", "Ä-2"),
        "new_end": date(2028, 6, 30),
        "ceiling": programme.extension_ceiling,
    }
    assert ceiling.message == (
        "Änderungsbescheid Ä-2: Verlängerung bis 30.06.2028 liegt nach der Obergrenze des "
        "Programms (31.03.2028)"
    )
    assert ceiling.message_in("en") == (
        "Amending decision Ä-2: extension to 2028-06-30 goes beyond the programme's ceiling "
        "(2028-03-31)"
    )
    late = finding(result, "extension-applied-late")
    assert late.text.params["applied"] == date(2026, 10, 15)
    assert late.text.params["end"] == date(2026, 9, 30)
    assert late.message_in("en") == (
        "Amending decision Ä-2: applied for on 2026-10-15, only after the funding period ended "
        "on 2026-09-30; a retroactive extension is at the funder's discretion"
    )


def test_an_extension_past_the_proof_deadline_after_the_commitment() -> None:
    case = fm.load_case(BOCHUM)
    as_of = date(2024, 12, 31)
    extended = with_extension(case, "B", date(2028, 3, 31), as_of=as_of)
    programme = case.rulebook()[0].programme
    assert programme is not None
    limit = programme.phases["B"].proof_of_use_after_decision
    assert limit is not None
    found = finding(fm.evaluate(extended, as_of), "proof-deadline-before-phase-end")
    assert found.text.params["span"] == limit.message
    assert found.text.params["new_end"] == date(2028, 3, 31)
    due = found.text.params["due"]
    assert isinstance(due, date)
    assert found.message_in("en").endswith(
        f"the proof of use would be due 66 months after the funding commitment, on "
        f"{due.isoformat()} — before the new end 2028-03-31; the funder must set the deadline "
        "for the proof anew"
    )


def test_the_funder_s_seat_unknown() -> None:
    data = bochum_data()
    del data["grant"]["funder_land"]
    found = finding(report(data), "funder-seat-unknown")
    assert found.about == Subject("calendar")
    assert found.text.params == {"calendar": HolidayCalendar("NW").place}
    assert found.message_in("en") == (
        "the funder's seat is not given (grant.funder_land); deadlines for documents the funder "
        "must receive are counted by the recipient's public holidays (NW) instead of those at "
        "the place of receipt"
    )


def test_a_submission_naming_no_deadline() -> None:
    data = anbest_p_data()
    data["submissions"] = [{"deadline": "proof-of-use:C", "submitted_on": date(2024, 5, 28)}]
    found = finding(report(data), "submission-unknown-deadline")
    assert found.about == Subject("deadlines")
    params = found.text.params
    assert params["day"] == date(2024, 5, 28)
    assert params["deadline"] == "proof-of-use:C"
    known = params["known"]
    assert isinstance(known, tuple)
    ids = [str(item) for item in known]
    assert "proof-of-use:A" in ids
    assert ids == sorted(ids)
    assert found.message_in("en").startswith(
        "The submission of 2024-05-28 names the deadline 'proof-of-use:C', which does not "
        "exist; existing deadlines: "
    )


# --- no German in the English words --------------------------------------------------------------


def _own_entries(lang: str) -> Iterator[tuple[str, object]]:
    """Every entry of this area's catalogue file, by key."""
    text = resources.files("foerdermittel.messages").joinpath(lang, "deadlines.toml")
    stack: list[tuple[str, dict[str, Any]]] = [("", tomllib.loads(text.read_text("utf-8")))]
    while stack:
        prefix, table = stack.pop()
        for key, value in table.items():
            if isinstance(value, dict) and not set(value) <= {"one", "other"}:
                stack.append((f"{prefix}{key}.", value))
            else:
                yield f"{prefix}{key}", value


def test_every_english_entry_renders_without_german() -> None:
    samples = {"money": Decimal("1234.5"), "date": date(2025, 6, 30), "number": 2, "list": ("x",)}
    english = catalogue("en")
    keys = [key for key, _ in _own_entries("en")]
    assert keys
    assert set(keys) == {key for key, _ in _own_entries("de")}
    for key in keys:
        template = english[key]
        texts = template.values() if not isinstance(template, str) else [template]
        params: dict[str, Any] = {}
        for text in texts:
            for _, name, spec, _ in string.Formatter().parse(text):
                if name is not None:
                    params[name] = samples.get(spec or "", "X")
        for count in (1, 2):
            words = render(Message(key, {**params, "count": count}), "en")
            assert not GERMAN.search(words), (key, words)
            assert not re.search("[äöüÄÖÜß]", words), (key, words)


def _messages(deadline: fm.Deadline) -> Iterator[Message | Subject]:
    yield deadline.what
    yield deadline.about
    yield deadline.trigger_what
    yield deadline.rule_text
    yield deadline.shift_text
    yield deadline.note_text
    yield deadline.status.message


def _data(item: object) -> Iterator[str]:
    """The words in a message that are data: a programme's titles, a holiday's name."""
    if isinstance(item, Subject) and item.kind == "programme":
        yield item.id
    if isinstance(item, Message):
        if item.key in {"deadline.title.milestone", "calendar.holiday"}:
            for value in item.params.values():
                if isinstance(value, str):
                    yield value
        for value in item.params.values():
            yield from _data(value)


def _keys(item: object) -> Iterator[str]:
    """The keys of a message and of the messages inside it."""
    if isinstance(item, Message):
        yield item.key
        for value in item.params.values():
            yield from _keys(value)


def test_every_text_of_deadlines_and_their_findings_reads_in_english() -> None:
    """Deadlines and findings of several cases: only the data (titles, holidays) is German."""
    late = bochum_data()
    late["payouts"] = [
        {"id": "B-1", "phase": "B", "amount": "100000.00", "paid_on": date(2022, 11, 15)}
    ]
    del late["grant"]["funder_land"]
    late["submissions"].append({"deadline": "nonsense", "submitted_on": date(2024, 5, 28)})
    late["amendments"].append(
        {
            "id": "X-2",
            "title": "Verlängerung",
            "applied_on": date(2026, 10, 15),
            "decided_on": date(2026, 11, 2),
            "phases": [{"phase": "B", "new_end": date(2028, 6, 30)}],
        }
    )
    bochum = fm.load_case(BOCHUM)
    extended = with_extension(bochum, "B", date(2028, 3, 31), as_of=date(2024, 12, 31))
    cases = [
        (fm.Case.from_data(late), date(2026, 11, 26)),
        (fm.Case.from_data(late), date(2030, 1, 1)),
        (fm.Case.from_data(anbest_p_data()), AS_OF),
        (simple_case(), date(2026, 12, 15)),
        (extended, date(2024, 12, 31)),
    ]
    seen_codes: set[str] = set()
    seen_keys: set[str] = set()
    for case, as_of in cases:
        result = fm.evaluate(case, as_of)
        items: list[Message | Subject] = []
        for deadline in result.deadlines:
            items.extend(_messages(deadline))
            seen_keys.update(_keys(deadline.what), _keys(deadline.rule_text))
            seen_keys.update(_keys(deadline.note_text))
        for found in result.findings:
            if found.code in DEADLINE_CODES:
                seen_codes.add(found.code)
                items.extend([found.text, found.about])
        for item in items:
            words = render(item, "en")
            for name in sorted(_data(item), key=len, reverse=True):
                words = words.replace(name, "…")
            assert not GERMAN.search(words), words
    assert seen_codes == DEADLINE_CODES
    assert {
        "deadline.title.interim-proof",
        "deadline.rule.month-end",
        "deadline.note.outdated",
        "deadline.note.first-payout",
    } <= seen_keys
