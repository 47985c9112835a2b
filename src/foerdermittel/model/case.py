"""The case: a grant decision, its financing plan and the decision's rule overrides."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from foerdermittel import rules
from foerdermittel.errors import CaseError, Problem, german_message
from foerdermittel.frozen import FrozenMap, IdentityMemo, ReadOnlyMap, WeakMemo
from foerdermittel.model import grant_rules
from foerdermittel.model.amending import amend_grant, amendment_problems
from foerdermittel.model.amendments import Amendment, DecisionChange
from foerdermittel.model.flat_rate_use import flat_rate_problems
from foerdermittel.model.grant import Grant
from foerdermittel.model.ids import DUPLICATE, DistinctYears, known_version, repeats
from foerdermittel.model.narrative import ProofNarrative
from foerdermittel.model.plan import FinancingPlan
from foerdermittel.model.plan_checks import (
    _line_years_problems,
    _plan_problems,
    _unknown_phase,
)
from foerdermittel.model.records import (
    Income,
    InterimProofRequest,
    LedgerRef,
    Payout,
    Settings,
    Submission,
)
from foerdermittel.model.scenario import Scenario
from foerdermittel.model.voucher_columns import VoucherColumns
from foerdermittel.money import NonNegativeMoney
from foerdermittel.rules.model import Rulebook
from foerdermittel.rules.overrides import AppliedOverride, RuleOverride

__all__ = [
    "SCHEMA_VERSION",
    "SUPPORTED_SCHEMA_VERSIONS",
    "Case",
    "case_error_from_validation",
]

SCHEMA_VERSION = 1
"""The version of the case-file format this library writes."""

SUPPORTED_SCHEMA_VERSIONS: tuple[int, ...] = (1,)
"""The versions of the case-file format this library reads."""


class Case(BaseModel):
    """Förderfall — everything the library knows about one grant.

    Attributes:
        schema_version: version of the case-file format (currently 1).
        title: a free title for the case.
        grant: the grant decision.
        plan: the financing plan.
        overrides: rulebook values the decision sets differently.
        amendments: later decisions that change the grant, in any order (applied by date).
        payouts: money the funder paid out.
        submissions: deadlines met: proofs submitted, resolutions passed.
        interim_requests: the funder's requests for an interim proof.
        expenditures: expenditures actually paid (Belege).
        income: money received from others (third-party money, other grants).
        ledger: a ledger file whose entries
            [`attach_ledger`][foerdermittel.io.case_file.attach_ledger] adds to ``expenditures``
            and ``income``.
        profiles: monthly profiles by name: twelve non-negative weights, January to December.
        council_budget: the own share the council has budgeted per budget year.
        settings: choices the law leaves open.
        scenarios: named "what if" scenarios ([`foerdermittel.scenarios`][foerdermittel.scenarios]).
        report: the Sachbericht of the proof of use (the ``[report]`` table,
            [`ProofNarrative`][foerdermittel.model.narrative.ProofNarrative]).
        notes: free notes (kept as written).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = Field(
        default=SCHEMA_VERSION, strict=True, description="Version des Dateiformats"
    )
    title: str | None = Field(default=None, description="Titel des Förderfalls")
    grant: Grant = Field(description="Zuwendungsbescheid")
    plan: FinancingPlan = Field(default_factory=FinancingPlan, description="Finanzierungsplan")
    overrides: tuple[RuleOverride, ...] = Field(
        default=(), description="Abweichungen des Bescheids vom Regelwerk"
    )
    amendments: tuple[Amendment, ...] = Field(default=(), description="Änderungsbescheide")
    payouts: tuple[Payout, ...] = Field(default=(), description="Auszahlungen")
    submissions: tuple[Submission, ...] = Field(
        default=(), description="erledigte Fristen (Nachweise eingereicht, Beschlüsse gefasst)"
    )
    interim_requests: tuple[InterimProofRequest, ...] = Field(
        default=(), description="Anforderungen von Zwischennachweisen"
    )
    expenditures: VoucherColumns = Field(
        default=VoucherColumns.EMPTY, description="Belege (Ist-Ausgaben)"
    )
    income: tuple[Income, ...] = Field(default=(), description="Einnahmen (Drittmittel u. a.)")
    ledger: LedgerRef | None = Field(default=None, description="Belegbuch (CSV/XLSX-Datei)")
    profiles: ReadOnlyMap[str, tuple[Decimal, ...]] = Field(
        default_factory=FrozenMap,
        description="Monatsprofile: je Name 12 Gewichte für Januar bis Dezember",
    )
    council_budget: Annotated[ReadOnlyMap[int, NonNegativeMoney], DistinctYears] = Field(
        default_factory=FrozenMap,
        description="vom Rat veranschlagter Eigenanteil je Haushaltsjahr",
    )
    settings: Settings = Field(default_factory=Settings, description="Einstellungen")
    scenarios: tuple[Scenario, ...] = Field(default=(), description="Szenarien")
    report: ProofNarrative | None = Field(
        default=None, description="Sachbericht des Verwendungsnachweises"
    )
    notes: str | None = Field(default=None, description="Anmerkungen")

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, version: int) -> int:
        return known_version(version, SUPPORTED_SCHEMA_VERSIONS)

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        problems = _reference_problems(self)
        if problems:
            raise PydanticCustomError(
                "foerdermittel_references",
                "{summary}",
                {
                    "summary": "; ".join(p.render() for p in problems),
                    "problems": tuple((p.path, p.value, p.message) for p in problems),
                },
            )
        return self

    @classmethod
    def from_data(cls, data: Mapping[str, Any], *, file: str | None = None) -> Case:
        """Validate ``data`` (as read from a case file) into a case.

        Raises:
            CaseError: with every problem found, each naming field path and value.
        """
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise case_error_from_validation(exc, file=file) from None

    def reference_problems(self) -> tuple[Problem, ...]:
        """What the case breaks of the rules that span its parts (ids that must match, order).

        Empty for every case [`from_data`][foerdermittel.model.case.Case.from_data] accepts:
        these are the checks its validation runs once the fields are valid. A case built from
        another with ``model_copy`` is not validated; a scenario checks the case its steps
        built with this, once.
        """
        return tuple(_reference_problems(self))

    def _problems_after(self, original: Case) -> tuple[Problem, ...]:
        """``reference_problems`` of a case built from ``original`` by changing some parts.

        A plan line's checks depend on the line, the grant's phases, the amendments and the
        profiles. Where these three are the very objects ``original`` holds and ``original``
        has no problems, a line that is the very object ``original`` holds has none either:
        it is not checked again. Everything else is checked as ``reference_problems`` does.
        """
        settled: frozenset[int] = frozenset()
        if (
            self.grant.phases is original.grant.phases
            and self.amendments is original.amendments
            and self.profiles is original.profiles
            and _sound(original)
        ):
            settled = frozenset(map(id, original.plan.lines))
        return tuple(_reference_problems(self, settled))

    @property
    def rulebook_id(self) -> str:
        """The rulebook edition in force: the decision's, else the programme's usual one.

        Raises:
            CaseError: the grant names a rulebook or programme file that was not read yet.
        """
        return grant_rules.rulebook_id(self.grant)

    def rulebook(self) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
        """The rulebook in force for this case and the overrides applied to it.

        A rulebook or programme file the grant names (``grant.rulebook_file``,
        ``grant.programme_file``) takes the place of a shipped one.

        Raises:
            CaseError: the grant names a file that was not read yet (read by
                [`load_case`][foerdermittel.io.case_file.load_case], or
                [`attach_rule_files`][foerdermittel.io.case_file.attach_rule_files]), or the
                overrides do not fit the rulebook.
        """
        return grant_rules.resolve(self.grant, self.overrides)

    def ordered_amendments(self) -> tuple[Amendment, ...]:
        """The amendments by the date of their decision (stable for equal dates)."""
        return tuple(sorted(self.amendments, key=lambda a: a.decided_on))

    def _chosen(self, until: date | None) -> tuple[Amendment, ...]:
        ordered = self.ordered_amendments()
        return ordered if until is None else tuple(a for a in ordered if a.decided_on <= until)

    def amended(self, *, until: date | None = None) -> Case:
        """The case as its amendments leave it: phases extended, figures changed, lines re-planned.

        The amendments apply in the order of their decision
        ([`amend_grant`][foerdermittel.model.amending.amend_grant]): the grant's and the
        phases' Höchstbetrag, rate and eligible expenditure, the phases' ends, the lines'
        planned amounts.

        Args:
            until: apply only amendments decided on or before this day: the case as the
                decisions known on that day left it (later ones are not part of it).

        The result carries no amendments of its own (they are applied).
        """
        chosen = self._chosen(until)
        if not chosen:
            return self if not self.amendments else self.model_copy(update={"amendments": ()})
        grant = _AMENDED.get((self.grant, self.amendments), (until,))
        if grant is None:
            grant = amend_grant(self.grant, chosen)[0]
            _AMENDED.put((self.grant, self.amendments), grant, (until,))
        lines = {line.id: line for line in self.plan.lines}
        for amendment in chosen:
            for line_change in amendment.lines:
                lines[line_change.line] = lines[line_change.line].model_copy(
                    update={"amounts": line_change.amounts, "monthly": line_change.monthly}
                )
        # Built from parts the case already validated (amendments are checked against the case
        # when it is loaded), so nothing is validated again.
        return self.model_copy(
            update={
                "grant": grant,
                "plan": self.plan.model_copy(update={"lines": tuple(lines.values())}),
                "amendments": (),
            }
        )

    def decision_changes(self, *, until: date | None = None) -> tuple[DecisionChange, ...]:
        """Each value of the decision the amendments changed, before and after, in order.

        The values [`amended`][foerdermittel.model.case.Case.amended] changes with the same
        ``until``; a value an amendment names again unchanged is not listed.
        """
        return amend_grant(self.grant, self._chosen(until))[1]


_AMENDED: IdentityMemo[Grant] = IdentityMemo(8)
"""The grant as the amendments leave it, for the last few grants and tuples of amendments.

A case amended again, or a scenario that keeps the grant and the amendments, gets the same
amended grant (built once, immutable), and what is remembered for it stays found."""


_SOUND: WeakMemo[bool] = WeakMemo()
"""Whether a case has no reference problems, for the cases scenarios started from (as long
as each lives)."""


def _sound(case: Case) -> bool:
    """Whether ``case`` has no reference problems (found once per case)."""
    sound = _SOUND.get(case)
    if sound is None:
        sound = _SOUND.put(case, not _reference_problems(case))
    return sound


def _reference_problems(case: Case, settled: AbstractSet[int] = frozenset()) -> list[Problem]:
    """Problems that span several parts of the case (ids that must match).

    Plan lines whose ``id()`` is in ``settled`` are known to have no problems of their own
    (``plan_checks._plan_problems`` says when).
    """
    problems: list[Problem] = []
    grant = case.grant
    phases = {p.id: p for p in grant.phases}
    programme = grant.loaded_programme
    if grant.programme is not None:
        try:
            programme = rules.get_programme(grant.programme)
        except CaseError as exc:
            problems.extend(Problem("grant.programme", p.value, p.message) for p in exc.problems)
    if grant.rulebook is not None and grant.rulebook not in rules.available():
        problems.append(
            Problem(
                "grant.rulebook",
                grant.rulebook,
                "unbekanntes Regelwerk; gültig sind: " + ", ".join(rules.available()),
            )
        )
    if programme is not None:
        tiers = ", ".join(programme.rates)
        if grant.rate_tier is not None and grant.rate_tier not in programme.rates:
            problems.append(
                Problem(
                    "grant.rate_tier",
                    grant.rate_tier,
                    f"unbekannte Förderquotenstufe; {programme.id} kennt: {tiers}",
                )
            )
        for index, phase in enumerate(grant.phases):
            if phase.rate_tier is not None and phase.rate_tier not in programme.rates:
                problems.append(
                    Problem(
                        f"grant.phases[{index}].rate_tier",
                        phase.rate_tier,
                        f"unbekannte Förderquotenstufe; {programme.id} kennt: {tiers}",
                    )
                )
            if phase.programme_kind not in programme.phases:
                problems.append(
                    Problem(
                        f"grant.phases[{index}].kind",
                        phase.programme_kind,
                        f"unbekannte Phasenart; {programme.id} kennt: "
                        + ", ".join(programme.phases),
                    )
                )
    valid_phases = ", ".join(phases)
    problems.extend(_line_years_problems(case, settled))
    for index, source in enumerate(case.plan.sources):
        if source.phase is None:
            if len(phases) > 1:
                problems.append(
                    Problem(
                        f"plan.sources[{index}].phase",
                        None,
                        f"Finanzierungsquelle {source.id!r}: bei mehreren Phasen muss die "
                        f"Phase angegeben werden ({valid_phases})",
                    )
                )
        elif source.phase not in phases:
            problems.append(
                _unknown_phase(
                    f"plan.sources[{index}].phase",
                    f"Finanzierungsquelle {source.id!r}",
                    source.phase,
                    valid_phases,
                )
            )
    problems.extend(_duplicate_problems(case))
    problems.extend(_record_problems(case, settled))
    if not problems and not grant_rules.files_not_read(grant):
        # a file not read yet is checked with the case once it is (io.attach_rule_files)
        try:
            rulebook, _ = case.rulebook()
        except CaseError as exc:
            problems.extend(exc.problems)
        else:
            problems.extend(flat_rate_problems(case.plan, rulebook.programme))
    return problems


def _duplicate_problems(case: Case) -> list[Problem]:
    """Ids given twice within one kind of record, each named at its second occurrence.

    Expenditures and income read from a ledger (with ``origin``) are the books as kept: a
    voucher number booked twice there is a finding of the voucher check
    (``voucher-duplicate-voucher``, counted once), not an unusable case. Those typed into the
    case file (no ``origin``) must be unique among themselves.
    """
    problems: list[Problem] = []

    def check(field: str, key: str, items: list[tuple[int, str]], phrase: str) -> None:
        keys = [k for _, k in items]
        for second, first in repeats(keys):
            problems.append(
                Problem(
                    f"{field}[{items[second][0]}].{key}",
                    keys[second],
                    f"{phrase}; zuerst bei {field}[{items[first][0]}].{key}",
                )
            )

    def each(records: tuple[Any, ...], key: str) -> list[tuple[int, str]]:
        return [(i, getattr(r, key)) for i, r in enumerate(records)]

    check("payouts", "id", each(case.payouts, "id"), "Kennung der Auszahlung doppelt vergeben")
    vouchers = case.expenditures
    if isinstance(vouchers, VoucherColumns):
        typed = [(i, vouchers.ids[i]) for i in vouchers.without_origin()]
    else:  # a sequence a step of a scenario built
        typed = [(i, e.id) for i, e in enumerate(vouchers) if e.origin is None]
    check("expenditures", "id", typed, "Belegnummer doppelt vergeben")
    typed = [(i, e.id) for i, e in enumerate(case.income) if e.origin is None]
    check("income", "id", typed, "Belegnummer der Einnahme doppelt vergeben")
    check(
        "submissions",
        "deadline",
        each(case.submissions, "deadline"),
        "Frist doppelt als erledigt erfasst (welches Datum gilt, wäre geraten)",
    )
    check(
        "interim_requests",
        "id",
        each(case.interim_requests, "id"),
        "Kennung der Anforderung doppelt vergeben",
    )
    check(
        "amendments",
        "id",
        each(case.amendments, "id"),
        "Kennung des Änderungsbescheids doppelt vergeben",
    )
    check("scenarios", "name", each(case.scenarios, "name"), "Szenarioname doppelt vergeben")
    check(
        "overrides",
        "path",
        each(case.overrides, "path"),
        "Abweichung für denselben Wert des Regelwerks doppelt angegeben",
    )
    return problems


def _record_problems(case: Case, settled: AbstractSet[int] = frozenset()) -> list[Problem]:
    """Problems of amendments, payouts, requests and settings (ids that must match, order)."""
    problems: list[Problem] = []
    grant = case.grant
    phases = {p.id: p for p in grant.phases}
    valid_phases = ", ".join(phases)
    line_phase = {line.id: line.phase for line in case.plan.lines}
    amended_problems, ends = amendment_problems(grant, case.amendments, line_phase)
    problems.extend(amended_problems)
    for index, payout in enumerate(case.payouts):
        phase = phases.get(payout.phase)
        if phase is None:
            problems.append(
                _unknown_phase(
                    f"payouts[{index}].phase",
                    f"Auszahlung {payout.id!r}",
                    payout.phase,
                    valid_phases,
                )
            )
        elif payout.paid_on < grant.phase_decision_date(phase):
            problems.append(
                Problem(
                    f"payouts[{index}].paid_on",
                    payout.paid_on,
                    f"Auszahlung {payout.id!r} liegt vor dem Bescheid vom "
                    f"{grant.phase_decision_date(phase):%d.%m.%Y}",
                )
            )
    for index, request in enumerate(case.interim_requests):
        if request.phase not in phases:
            problems.append(
                _unknown_phase(
                    f"interim_requests[{index}].phase",
                    f"Anforderung {request.id!r}",
                    request.phase,
                    valid_phases,
                )
            )
        if request.due < request.requested_on:
            problems.append(
                Problem(
                    f"interim_requests[{index}].due",
                    request.due,
                    f"liegt vor der Anforderung vom {request.requested_on:%d.%m.%Y}",
                )
            )
    problems.extend(_plan_problems(case, ends, settled))
    source_ids = {s.id for s in case.plan.sources}
    for index, income in enumerate(case.income):
        if income.source is not None and income.source not in source_ids:
            problems.append(
                Problem(
                    f"income[{index}].source",
                    income.source,
                    "Einnahme nennt eine Finanzierungsquelle, die es nicht gibt; vorhanden: "
                    + (", ".join(sorted(source_ids)) or "—"),
                )
            )
        if income.phase is not None and income.phase not in phases:
            problems.append(
                _unknown_phase(
                    f"income[{index}].phase", f"Einnahme {income.id!r}", income.phase, valid_phases
                )
            )
    vouchers = case.expenditures
    unknown = (
        vouchers.with_lines_outside(line_phase)
        if isinstance(vouchers, VoucherColumns)
        else [i for i, e in enumerate(vouchers) if e.line not in line_phase]
    )
    for index in unknown:
        expenditure = vouchers[index]
        problems.append(
            Problem(
                f"expenditures[{index}].line",
                expenditure.line,
                f"Beleg {expenditure.id!r} nennt einen Einzelansatz, den es nicht gibt",
            )
        )
    if case.settings.holiday_calendar == "funder" and grant.funder_land is None:
        problems.append(
            Problem(
                "grant.funder_land",
                None,
                "settings.holiday_calendar = 'funder' braucht das Land des Zuwendungsgebers "
                "(funder_land, z. B. BE)",
            )
        )
    return problems


_UNION_MEMBER = re.compile(r"[\w-]+\[.*\]", re.DOTALL)
"""How pydantic names the member of a union in an error's location, e.g. ``literal['a','b']``."""


def _path(loc: tuple[int | str, ...]) -> str:
    """A field path as users read it: ``grant.phases[1].end``, ``plan.lines[0].amounts.2022``."""
    out = ""
    previous: int | str | None = None
    for part in loc:
        if part == "[key]" or (isinstance(part, str) and _UNION_MEMBER.fullmatch(part)):
            continue
        if isinstance(part, int) and previous != "amounts":
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out


_SHOWN = 20


def _shortened(value: object) -> object:
    """A very long number or text as its first and last characters, so a message stays short."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        return value
    try:
        text = str(value)
    except ValueError:  # an int beyond Python's limit for conversion to text
        return f"ganze Zahl mit über {sys.get_int_max_str_digits()} Stellen"
    limit = 200 if isinstance(value, str) else 2 * _SHOWN
    if len(text) <= limit:
        return value
    return f"{text[:_SHOWN]}…{text[-_SHOWN:]} ({len(text)} Zeichen)"


def case_error_from_validation(exc: ValidationError, *, file: str | None = None) -> CaseError:
    """Turn pydantic's validation errors into one ``CaseError`` in the user's words."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind == "foerdermittel_references":
            for path, value, message in ctx["problems"]:
                problems.append(Problem(path, value, message))
            continue
        if kind == DUPLICATE:
            # the location ends in (list, index, key field); name the first one the same way
            first = (*loc[:-2], ctx["first_index"], loc[-1])
            problems.append(
                Problem(
                    _path(loc), error.get("input"), f"{ctx['phrase']}; zuerst bei {_path(first)}"
                )
            )
            continue
        value = error.get("input")
        if kind == "missing":
            value = None
        if kind == "extra_forbidden":
            message = f"unbekannter Schlüssel {str(loc[-1])!r} (Tippfehler?)"
        elif "[key]" in loc:
            message = "Haushaltsjahr muss eine ganze Zahl sein, z. B. 2024"
        else:
            message = german_message(kind, error["msg"], ctx)
        if isinstance(value, Mapping | list | tuple):
            value = None
        value = _shortened(value)
        problem = Problem(_path(loc), value, message)
        if any(isinstance(p, str) and _UNION_MEMBER.fullmatch(p) for p in loc):
            # each member of a union says what it expected: one problem saying either
            for index, known in enumerate(problems):
                if known.path == problem.path and repr(known.value) == repr(value):
                    problems[index] = Problem(
                        known.path, value, f"{known.message} — oder {problem.message}"
                    )
                    break
            else:
                problems.append(problem)
            continue
        problems.append(problem)
    return CaseError(problems, file=file)
