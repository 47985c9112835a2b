import re
from datetime import date
from decimal import Decimal

import pytest
from pydantic import BaseModel

from foerdermittel import rules
from foerdermittel.errors import CaseError, UnknownRuleError
from foerdermittel.periods import Span
from foerdermittel.rules import DrawdownMode, Rulebook, RuleOverride
from foerdermittel.rules.model import LimitsRule


@pytest.mark.parametrize("rulebook_id", rules.available())
def test_every_edition_cites_its_sources(rulebook_id: str) -> None:
    rb = rules.get(rulebook_id)
    for group in (
        rb.drawdown,
        rb.use_window,
        rb.proof_of_use,
        rb.interim_proof,
        rb.reduction,
        rb.line_tolerance,
        rb.retention,
        rb.interest,
        rb.procurement,
    ):
        assert group.source.strip(), f"{rulebook_id}: {type(group).__name__} without source"
    assert rb.reduction.threshold == Decimal("500.00")  # Nr. 2.2, all editions
    assert rb.line_tolerance.overrun == Decimal("0.20")  # Nr. 1.2, all editions
    assert rb.interest.points_above_base == 5  # § 49a Abs. 3 VwVfG


@pytest.mark.parametrize("programme_id", rules.available_programmes())
def test_every_programme_is_consistent(programme_id: str) -> None:
    prog = rules.get_programme(programme_id)
    assert prog.default_rulebook in rules.available()
    assert prog.default_tier in prog.rates
    assert all(Decimal(0) < r <= 1 for r in prog.rates.values())
    assert prog.source.strip()
    for limit in prog.phases.values():
        assert limit.source.strip()
    for milestone in prog.milestones:
        assert milestone.source.strip()


# grant-law §2.9: the version table.
@pytest.mark.parametrize(
    ("rulebook_id", "window", "mode", "interim"),
    [
        ("anbest-gk-2006", Span(amount=2, unit="months"), DrawdownMode.IN_ADVANCE, "on_request"),
        ("anbest-gk-2019", Span(amount=6, unit="weeks"), DrawdownMode.DAY_OF_NEED, "on_request"),
        ("anbest-gk-2025", Span(amount=6, unit="weeks"), DrawdownMode.DAY_OF_NEED, "on_request"),
        ("anbest-p-2006", Span(amount=2, unit="months"), DrawdownMode.IN_ADVANCE, "yearly"),
        ("anbest-p-2019", Span(amount=6, unit="weeks"), DrawdownMode.DAY_OF_NEED, "yearly"),
        ("anbest-g-nrw-2023", Span(amount=2, unit="months"), DrawdownMode.IN_ADVANCE, "on_request"),
    ],
)
def test_version_table(rulebook_id: str, window: Span, mode: DrawdownMode, interim: str) -> None:
    rb = rules.get(rulebook_id)
    assert rb.use_window.window == window
    assert rb.drawdown.mode is mode
    assert rb.interim_proof.required == interim


def test_proof_of_use_deadlines_by_family() -> None:
    gk, p = rules.get("anbest-gk-2019"), rules.get("anbest-p-2019")
    assert gk.proof_of_use.after_purpose == Span(amount=1, unit="years")
    assert gk.proof_of_use.latest_after_period == Span(amount=1, unit="years")
    assert not gk.proof_of_use.month_end
    assert p.proof_of_use.after_purpose == Span(amount=6, unit="months")
    assert p.proof_of_use.month_end
    assert p.interim_proof.after_budget_year == Span(amount=4, unit="months")


def test_budget_act_proviso_only_from_april_2025() -> None:
    assert rules.get("anbest-gk-2025").budget_act_proviso
    assert rules.get("anbest-p-2025-09").budget_act_proviso
    assert not rules.get("anbest-gk-2024").budget_act_proviso


def test_mpsc_calls() -> None:
    c2019, c2021 = rules.get_programme("mpsc-2019"), rules.get_programme("mpsc-2021")
    assert c2021.rates == {"standard": Decimal("0.65"), "haushaltsnotlage": Decimal("0.90")}
    assert c2021.phases["A"].cap == Decimal("2500000.00")
    assert c2021.phases["A"].first_measures_cap == Decimal("1000000.00")
    assert c2021.phases["B"].cap == Decimal("15000000.00")
    assert c2019.phases["A"].max_duration == Span(amount=24, unit="months")
    assert c2021.phases["A"].max_duration == Span(amount=12, unit="months")
    assert c2019.phases["B"].max_duration == Span(amount=5, unit="years")
    assert c2021.phases["B"].max_duration == Span(amount=4, unit="years")
    assert c2021.phases["A"].proof_of_use_after_decision == Span(amount=30, unit="months")
    assert c2021.phases["B"].proof_of_use_after_decision == Span(amount=66, unit="months")
    assert c2021.phases["B"].final_instalment_after_proof
    assert c2021.extension_ceiling == date(2028, 3, 31)
    assert c2019.extension_ceiling is None
    assert c2021.drawdown is not None
    assert c2021.drawdown.mode is DrawdownMode.IN_ARREARS
    assert c2021.drawdown.interval_months == 6
    dues = {m.id: m.due for m in c2021.milestones}
    assert dues["extension-declaration"] == date(2024, 12, 31)
    assert dues["extension-application"] == date(2025, 1, 31)


def test_resolve_layers_programme_over_edition() -> None:
    rb, applied = rules.resolve("anbest-gk-2019", "mpsc-2021")
    assert applied == ()
    assert rb.drawdown.mode is DrawdownMode.DAY_OF_NEED
    assert rb.effective_drawdown.mode is DrawdownMode.IN_ARREARS
    assert rules.get("anbest-gk-2019").effective_drawdown.mode is DrawdownMode.DAY_OF_NEED


def test_overrides_are_applied_and_listed() -> None:
    overrides = [
        RuleOverride(path="programme.phases.B.cap_basis", value="grant", reason="Zusage Nr. 3"),
        RuleOverride(
            path="use_window.window", value={"amount": 2, "unit": "months"}, reason="Nr. 5"
        ),
        RuleOverride(path="programme.extension_ceiling", value="2027-12-31", reason="Nr. 9"),
    ]
    rb, applied = rules.resolve("anbest-gk-2019", "mpsc-2021", overrides)
    assert rb.programme is not None
    assert rb.programme.phases["B"].cap_basis == "grant"
    assert rb.use_window.window == Span(amount=2, unit="months")
    assert rb.programme.extension_ceiling == date(2027, 12, 31)
    assert [a.path for a in applied] == [o.path for o in overrides]
    assert applied[1].original == Span(amount=6, unit="weeks")
    assert applied[2].original == date(2028, 3, 31)
    assert applied[2].reason == "Nr. 9"
    # the registry's own copy is untouched
    assert rules.get("anbest-gk-2019").use_window.window == Span(amount=6, unit="weeks")


def test_override_path_unknown_for_this_rulebook() -> None:
    override = RuleOverride(path="programme.phases.C.cap", value="1.00", reason="x")
    with pytest.raises(UnknownRuleError, match="'C'"):
        rules.resolve("anbest-gk-2019", "mpsc-2021", [override])
    with pytest.raises(CaseError, match="programme"):
        rules.resolve("anbest-gk-2019", None, [override])


def test_override_needs_reason() -> None:
    with pytest.raises(ValueError, match="Fundstelle"):
        RuleOverride(path="retention.years", value=10, reason=" ")


def test_unknown_ids_list_the_valid_ones() -> None:
    with pytest.raises(UnknownRuleError) as info:
        rules.get("anbest-gk-2099")
    assert "anbest-gk-2019" in str(info.value)
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownRuleError, match="mpsc-2021"):
        rules.get_programme("mpsc-2022")


# What a user reads as "Grundlage" is the legal basis only; where a value was read stays in
# the rulebook's `read_in`.
_NOT_LEGAL = re.compile(
    r"https?://|www\.|\b[\w-]+\.(de|net|org|com|eu)\b|Formularschrank|grantway|Programmtext \(",
    re.IGNORECASE,
)


def _sourced(value: object, path: str = "") -> list[tuple[str, BaseModel]]:
    """Every rule group below ``value`` that has a ``source``, with its path."""
    found: list[tuple[str, BaseModel]] = []
    if isinstance(value, BaseModel):
        if "source" in type(value).model_fields:
            found.append((path, value))
        for name in type(value).model_fields:
            found += _sourced(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            found += _sourced(item, f"{path}[{key}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            found += _sourced(item, f"{path}[{index}]")
    return found


def test_the_walk_sees_a_web_address_in_a_source() -> None:
    bad = rules.get("anbest-gk-2019").model_copy(
        update={"retention": rules.RetentionRule(years=5, source="siehe foerderportal.bund.de")}
    )
    assert [p for p, g in _sourced(bad) if _NOT_LEGAL.search(getattr(g, "source", ""))] == [
        ".retention"
    ]


@pytest.mark.parametrize(
    "rulebook",
    [rules.get(i) for i in rules.available()]
    + [rules.resolve("anbest-gk-2019", p)[0] for p in rules.available_programmes()],
    ids=lambda rb: f"{rb.id}+{rb.programme.id}" if rb.programme else rb.id,
)
def test_sources_are_legal_references_and_say_where_they_were_read(rulebook: Rulebook) -> None:
    groups = _sourced(rulebook)
    assert len(groups) >= 9
    for path, group in groups:
        if path == ".limits" and group == LimitsRule():
            continue  # sets nothing: no value needs a source (ANBest sets no such limits)
        source = group.source
        assert source.strip(), path
        assert not _NOT_LEGAL.search(source), (path, source)
        for name in ("source", "proof_of_use_source"):
            text = getattr(group, name, None) or ""
            assert not _NOT_LEGAL.search(text), (path, name, text)
        if path != ".interest":  # § 49a VwVfG is read in the statute itself
            assert getattr(group, "read_in", None), (path, "read_in missing")


def test_retention_assumption_is_said_where_it_was_made() -> None:
    retention = rules.get("anbest-gk-2019").retention
    assert retention.source == (
        "ANBest-Gk (17.05.2024) Nr. 6.6 und ANBest-P Nr. 6.5 entsprechend (angenommen)"
    )
    assert retention.read_in is not None
    assert "Datei 2038" in retention.read_in
    assert "im Bescheid prüfen" in retention.read_in
    assert rules.get("anbest-gk-2024").retention.source == "ANBest-Gk (17.05.2024) Nr. 6.6"
