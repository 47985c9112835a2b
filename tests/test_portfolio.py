"""The portfolio: a city's grants loaded together, evaluated, summed, checked across grants.

The example portfolio (examples/portfolio/portfolio.toml) on 30.06.2025, by hand from the
grants' own reports (each grant's ``own_share.years``):

    own share 2025 = MPSC 1.502.198,15 + KfW 432 22.500,00 + Städtebauförderung 515.187,17
                     + EFRE 27.700,00 = 2.067.585,32 €
    Haushaltsplan 2025: 1.950.000,00 €  -> 117.585,32 € over
    product 01.12.01 (MPSC alone) 1.502.198,15 € against 1.400.000,00 € -> 102.198,15 € over

KfW 432: 90.000 € expenditure a year at 75 % leaves 22.500 € own share a year; the EFRE
grant: 2025 expenditure 90.000 + 35.000 + 13.500 flat rate = 138.500 € at 80 % leaves
27.700 €.
"""

from __future__ import annotations

import shutil
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import foerdermittel as fm
from foerdermittel.errors import CaseError, Severity
from foerdermittel.portfolio import (
    BudgetKind,
    Portfolio,
    PortfolioEvaluationError,
    PortfolioReport,
    checks,
    claims,
    evaluate_grant,
    evaluate_portfolio,
    load_portfolio,
)
from foerdermittel.portfolio.evaluation import summarise_portfolio
from foerdermittel.portfolio.figures import continued_prefinancing
from foerdermittel.report import Report

from .common import ROOT

EXAMPLE = ROOT / "examples" / "portfolio" / "portfolio.toml"
AS_OF = date(2025, 6, 30)
MPSC = "MPSC-2021-BO (illustrativ)"
KFW = "KfW-432-2023-BO (illustrativ)"
SF = "35.02-SF-2024-BO-009 (illustrativ)"
EFRE = "EFRE-0400456 (illustrativ)"


@cache
def _portfolio() -> Portfolio:
    return load_portfolio(EXAMPLE)


@cache
def _report() -> PortfolioReport:
    return evaluate_portfolio(_portfolio(), AS_OF)


# --- loading ---------------------------------------------------------------------------------


def test_the_example_loads_every_grant_with_its_owner_budget_and_ledger() -> None:
    portfolio = _portfolio()
    assert portfolio.city.name == "Stadt Bochum"
    assert portfolio.keys == (MPSC, KFW, SF, EFRE)
    assert [g.file for g in portfolio.grants] == [
        "../bochum-mpsc.toml",
        "kfw432-bochum.toml",
        "stadterneuerung-bochum.toml",
        "efre-bochum.toml",
    ]
    sf = portfolio.grant(SF)
    assert sf.budget.kind is BudgetKind.INVESTIVE
    assert sf.budget.investment_number == "I-6100-2023-009"
    assert sf.owner.office == "Amt für Stadtplanung und Wohnen"
    # the ledgers are read: the MPSC ledger has 3,873 rows, the KfW 432 one 51
    assert len(portfolio.grant(MPSC).case.expenditures) == 3873
    assert len(portfolio.grant(KFW).case.expenditures) == 51
    assert portfolio.grant(MPSC).case.ledger is None  # entries read into the case


def test_a_grant_is_found_by_its_key_or_named_missing() -> None:
    with pytest.raises(fm.NotFoundError, match="Förderfall 'X' nicht gefunden"):
        _portfolio().grant("X")


# --- own share across grants -----------------------------------------------------------------


def test_the_own_share_per_year_is_the_grants_sum_to_the_cent() -> None:
    report = _report()
    assert report.own_share_by_year[2025] == Decimal("2067585.32")
    for year in report.years:
        expected = sum(
            (
                y.own_share
                for r in report.reports.values()
                for y in r.own_share.years
                if y.year == year.year
            ),
            Decimal("0.00"),
        )
        assert year.own_share == expected
        assert year.cash + year.in_kind == year.own_share
        assert year.consumptive + year.investive == year.own_share
    # the Städtebauförderung grant is the only investive one
    year_2025 = next(y for y in report.years if y.year == 2025)
    assert year_2025.investive == Decimal("515187.17")
    assert year_2025.grants[KFW] == Decimal("22500.00")
    assert year_2025.grants[EFRE] == Decimal("27700.00")


def test_the_own_share_per_product_and_year() -> None:
    by_product = _report().own_share_by_product
    assert by_product[("01.12.01", 2025)] == Decimal("1502198.15")
    assert by_product[("09.02.01", 2025)] == Decimal("515187.17")
    assert by_product[("14.01.02", 2024)] == Decimal("22500.00")
    assert _report().own_share_by_kind(BudgetKind.INVESTIVE)[2024] == Decimal("402821.99")


@cache
def _reports() -> dict[str, Report]:
    return dict(_report().reports)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from([MPSC, KFW, SF, EFRE]), min_size=1))
def test_any_subset_of_grants_sums_to_the_cent(keys: set[str]) -> None:
    whole = _portfolio()
    part = whole.model_copy(update={"grants": tuple(g for g in whole.grants if g.key in keys)})
    reports = {k: r for k, r in _reports().items() if k in keys}
    result = summarise_portfolio(part, reports, AS_OF)
    assert result.reconciliation.ok
    for year in result.years:
        assert year.own_share == sum(
            (y.own_share for k in keys for y in reports[k].own_share.years if y.year == year.year),
            Decimal("0.00"),
        )
        assert year.in_kind == sum(
            (y.in_kind for k in keys for y in reports[k].own_share.years if y.year == year.year),
            Decimal("0.00"),
        )
    for month in result.prefinancing:
        assert month.total == sum(
            (
                m.prefinanced
                for k in keys
                for m in reports[k].own_share.months
                if m.month == month.month
            ),
            Decimal("0.00"),
        ) + sum(
            (continued_prefinancing(reports[k]).get(month.month, Decimal(0)) for k in keys),
            Decimal("0.00"),
        )


def test_prefinancing_goes_on_until_the_final_instalment_is_paid() -> None:
    """MPSC phase B spends until September 2026; its final instalment, 435.419,82 €, is paid
    only after the proof of use (June 2027): the city carries it from October 2026 to May
    2027, though the grant's own plan stops in September 2026."""
    months = {m.month: m for m in _report().prefinancing}
    mpsc_plan = {m.month: m.prefinanced for m in _report().reports[MPSC].own_share.months}
    assert mpsc_plan[date(2026, 9, 1)] == Decimal("435419.82")
    assert date(2026, 10, 1) not in mpsc_plan
    for month in (date(2026, 10, 1), date(2027, 1, 1), date(2027, 5, 1)):
        assert months[month].grants[MPSC] == Decimal("435419.82")
        assert months[month].continued[MPSC] == Decimal("435419.82")
    assert max(months) == date(2027, 5, 1)  # paid in June 2027: nothing left
    # KfW 432 pre-finances 1.500,00 € at the end of November 2026 (its own plan's figure)
    assert months[date(2026, 11, 1)].total == Decimal("435419.82") + Decimal("1500.00")
    assert KFW not in months[date(2026, 11, 1)].continued


# --- findings across grants ------------------------------------------------------------------


def test_the_year_over_its_appropriation_is_found_with_both_figures() -> None:
    report = _report()
    found = [f for f in report.findings if f.code == "own-share-above-appropriation"]
    assert [(f.about.kind, f.about.id) for f in found] == [
        ("year", "2025"),
        ("product", "01.12.01"),
    ]
    year, product = found
    assert year.severity is Severity.ERROR
    assert year.text.params["amount"] == Decimal("2067585.32")
    assert year.text.params["appropriation"] == Decimal("1950000.00")
    assert year.text.params["excess"] == Decimal("117585.32")
    assert product.text.params["amount"] == Decimal("1502198.15")
    assert product.text.params["appropriation"] == Decimal("1400000.00")
    assert product.text.params["excess"] == Decimal("102198.15")
    assert "1.950.000,00" in year.message
    assert "Haushaltsplan" in year.message
    assert "Haushaltsjahr 2025" in product.message
    assert "above the appropriation" in year.message_in("en")


def test_the_double_claim_names_both_grants_and_vouchers() -> None:
    report = _report()
    (claim,) = report.double_claims
    assert (claim.grant, claim.other_grant) == (MPSC, SF)
    assert (claim.voucher.line, claim.other_voucher.line) == ("B-4.1", "G-1")
    # the same invoice booked again under another voucher number
    assert (claim.voucher.id, claim.other_voucher.id) == ("BO-2024-006749", "SF-2024-09-G-1-N")
    assert claim.matched_on == "invoice"
    assert claim.voucher.invoice_number == claim.other_voucher.invoice_number == "2024-0256"
    assert claim.voucher.amount == Decimal("12054.96")
    (finding,) = [f for f in report.findings if f.code == "double-claim"]
    assert finding.severity is Severity.ERROR
    assert finding.about == fm.message_types.Subject("grant", MPSC)
    assert finding.text.params["other_grant"] == SF
    assert finding.text.params["paid_on"] == date(2024, 9, 4)
    assert "BO-2024-006749" in finding.message
    assert SF in finding.message


def test_years_without_appropriation_are_noted_not_checked() -> None:
    found = [f for f in _report().findings if f.code == "own-share-without-appropriation"]
    assert [f.about.id for f in found] == ["2021", "2022"]
    assert {f.severity for f in found} == {Severity.INFO}


def test_the_example_has_exactly_its_deliberate_errors_and_reconciles() -> None:
    report = _report()
    errors = sorted(f.code for f in report.findings if f.severity is Severity.ERROR)
    # the double claim, the year 2025 and the product 01.12.01 in 2025
    assert errors == [
        "double-claim",
        "own-share-above-appropriation",
        "own-share-above-appropriation",
    ]
    assert report.reconciliation.ok
    assert report.has_errors


def test_a_reconciliation_that_does_not_hold_becomes_an_error() -> None:
    portfolio, report = _portfolio(), _report()
    wrong = tuple(
        y.model_copy(update={"own_share": y.own_share + Decimal("0.01")}) if y.year == 2024 else y
        for y in report.years
    )
    result = checks.reconcile(portfolio, report.reports, wrong, report.products, ())
    names = {(c.name, c.about.id) for c in result.failures}
    assert ("portfolio-own-share-year", "2024") in names
    assert ("portfolio-own-share-products", "2024") in names
    failed = fm.reconciliation.reconciliation_findings(result)
    assert {f.code for f in failed} == {"reconciliation-failed"}


# --- deadlines and controlling ---------------------------------------------------------------


def test_deadlines_are_one_list_by_date_with_grant_and_owner() -> None:
    report = _report()
    assert len(report.deadlines) == sum(len(r.deadlines) for r in report.reports.values())
    ends = [d.deadline.end for d in report.deadlines]
    assert ends == sorted(ends)
    assert {d.grant for d in report.deadlines} == {MPSC, KFW, SF, EFRE}
    for item in report.deadlines:
        assert item.owner == _portfolio().grant(item.grant).owner
        assert item.deadline in report.reports[item.grant].deadlines


def test_controlling_figures_per_grant() -> None:
    by_grant = {c.grant: c for c in _report().controlling}
    mpsc = by_grant[MPSC]
    # payouts A-1 … A-3 and B-1 … B-5 up to the key date
    assert mpsc.called == Decimal("5783943.75")
    assert mpsc.uncalled == Decimal("9880000.00") - Decimal("5783943.75")
    assert mpsc.refund == Decimal("13000.00")
    assert mpsc.refund_at_risk == mpsc.refund + mpsc.refund_interest + mpsc.late_use_interest
    efre = by_grant[EFRE]
    assert efre.called == Decimal("50640.00")
    assert efre.called_rate == Decimal("0.2000")  # 50.640 of 253.200
    assert efre.approved == Decimal("253200.00")
    kfw = by_grant[KFW]
    assert kfw.called == Decimal("67500.00")
    assert kfw.warnings == 1  # the last planned call below the 5.000 € minimum
    assert all(c.reconciled for c in by_grant.values())


# --- evaluation through an executor ----------------------------------------------------------


def test_a_process_pool_gives_exactly_the_serial_result() -> None:
    with ProcessPoolExecutor(2) as pool:
        parallel = evaluate_portfolio(_portfolio(), AS_OF, executor=pool)
    assert parallel == _report()


class _MapOnly:
    """An executor with only ``map`` (as ``multiprocessing.Pool`` has)."""

    def map(self, fn: Any, *iterables: Any) -> Any:
        return map(fn, *iterables)


def test_a_portfolio_loads_the_same_through_a_process_pool() -> None:
    with ProcessPoolExecutor(2) as pool:
        assert load_portfolio(EXAMPLE, executor=pool) == _portfolio()


def test_a_case_file_that_fails_to_load_in_a_worker_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, _entry('file = "fehlt.toml"'))
    with pytest.raises(CaseError) as caught:
        load_portfolio(path, executor=_Crashing())
    (problem,) = caught.value.problems
    assert (problem.path, problem.value) == ("grants[0].file", "fehlt.toml")
    assert "nicht geladen: RuntimeError: worker died" in problem.message
    with ProcessPoolExecutor(1) as pool, pytest.raises(CaseError, match="nicht gefunden"):
        load_portfolio(path, executor=pool)


def test_an_executor_with_only_map_gives_the_serial_result() -> None:
    assert evaluate_portfolio(_portfolio(), AS_OF, executor=_MapOnly()) == _report()


def _broken(portfolio: Portfolio, key: str) -> Portfolio:
    """The portfolio with one grant's case broken so that evaluating it raises."""
    grant = portfolio.grant(key)
    plan = grant.case.plan
    line = plan.lines[0].model_copy(update={"phase": "nowhere"})
    case = grant.case.model_copy(
        update={"plan": plan.model_copy(update={"lines": (line, *plan.lines[1:])})}
    )
    return portfolio.with_cases({key: case})


def test_a_grant_that_fails_in_a_worker_is_named_and_nothing_is_reported() -> None:
    broken = _broken(_broken(_portfolio(), KFW), EFRE)
    with ProcessPoolExecutor(2) as pool, pytest.raises(PortfolioEvaluationError) as caught:
        evaluate_portfolio(broken, AS_OF, executor=pool)
    failures = caught.value.failures
    assert [f.grant for f in failures] == [KFW, EFRE]
    assert [f.file for f in failures] == ["kfw432-bochum.toml", "efre-bochum.toml"]
    assert "2 Förderfälle" in str(caught.value)
    assert KFW in str(caught.value)


class _Crashing:
    """An executor whose futures fail as a dying worker's do."""

    def submit(self, fn: Any, *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_exception(RuntimeError("worker died"))
        return future


def test_an_executor_that_fails_names_every_grant() -> None:
    with pytest.raises(PortfolioEvaluationError, match="worker died") as caught:
        evaluate_portfolio(_portfolio(), AS_OF, executor=_Crashing())
    assert [f.grant for f in caught.value.failures] == [MPSC, KFW, SF, EFRE]


def test_the_worker_function_reports_an_error_as_data() -> None:
    case = _broken(_portfolio(), KFW).grant(KFW).case
    failure = evaluate_grant(case, AS_OF)
    assert isinstance(failure, fm.portfolio.GrantFailure)
    assert failure.error
    assert failure.message


def test_the_key_date_must_be_a_date() -> None:
    from datetime import datetime

    with pytest.raises(fm.ArgumentTypeError, match="as_of"):
        evaluate_portfolio(_portfolio(), datetime(2025, 6, 30))  # type: ignore[arg-type]


# --- bad input -------------------------------------------------------------------------------

_CITY = '[city]\nname = "Stadt Bochum"\nland = "NW"\n'
_OWNER = 'owner = { office = "Kämmerei" }\n'


def _entry(where: str, product: str = "01.12.01", extra: str = "") -> str:
    budget = f'budget = {{ product = "{product}", kind = "consumptive" }}\n'
    return f"[[grants]]\n{where}\n{_OWNER}{budget}{extra}\n"


def _write(folder: Path, text: str, head: str = "") -> Path:
    path = folder / "portfolio.toml"
    path.write_text(head + _CITY + text, encoding="utf-8")
    return path


def _copy_case(folder: Path, name: str, as_name: str | None = None) -> str:
    source = ROOT / "examples" / "portfolio" / name
    target = folder / (as_name or name)
    shutil.copy(source, target)
    ledger = source.with_name(name.replace(".toml", "-ledger.csv"))
    shutil.copy(ledger, folder / ledger.name)
    return target.name


def test_a_missing_case_file_names_the_entry_and_the_file_and_loads_nothing(
    tmp_path: Path,
) -> None:
    _copy_case(tmp_path, "kfw432-bochum.toml")
    path = _write(
        tmp_path,
        _entry('file = "kfw432-bochum.toml"')
        + _entry('file = "fehlt.toml"')
        + _entry('file = "auch-weg.toml"'),
    )
    with pytest.raises(CaseError) as caught:
        load_portfolio(path)
    problems = caught.value.problems
    assert [(p.path, p.value) for p in problems] == [
        ("grants[1].file", "fehlt.toml"),
        ("grants[2].file", "auch-weg.toml"),
    ]
    assert "Falldatei nicht gefunden" in problems[0].message
    assert str(path) in str(caught.value)


def test_an_unreadable_case_file_names_the_entry_the_file_and_why(tmp_path: Path) -> None:
    (tmp_path / "kaputt.toml").write_text('title = "x"\n[grant\n', encoding="utf-8")
    (tmp_path / "latin1.toml").write_bytes('title = "Gr\xfcn"\n'.encode("latin-1"))
    path = _write(tmp_path, _entry('file = "kaputt.toml"') + _entry('file = "latin1.toml"'))
    with pytest.raises(CaseError) as caught:
        load_portfolio(path)
    first, second = caught.value.problems
    assert (first.path, first.value) == ("grants[0].file", "kaputt.toml")
    assert "kein gültiges TOML" in first.message
    assert "kaputt.toml" in first.message
    assert (second.path, second.value) == ("grants[1].file", "latin1.toml")
    assert "keine UTF-8-Textdatei" in second.message


def test_an_invalid_case_names_its_field(tmp_path: Path) -> None:
    name = _copy_case(tmp_path, "efre-bochum.toml")
    text = (tmp_path / name).read_text(encoding="utf-8").replace('rate = "80 %"', 'rate = "180 %"')
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_portfolio(_write(tmp_path, _entry(f'file = "{name}"')))
    (problem,) = caught.value.problems
    assert problem.path == "grants[0].file"
    assert "grant.rate" in problem.message


def test_two_case_files_with_the_same_grant_id_are_refused(tmp_path: Path) -> None:
    _copy_case(tmp_path, "efre-bochum.toml")
    shutil.copy(tmp_path / "efre-bochum.toml", tmp_path / "efre-kopie.toml")
    path = _write(
        tmp_path, _entry('file = "efre-bochum.toml"') + _entry('file = "efre-kopie.toml"')
    )
    with pytest.raises(CaseError) as caught:
        load_portfolio(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.value) == ("grants[1].file", "efre-kopie.toml")
    assert EFRE in problem.message
    assert "efre-bochum.toml (grants[0])" in problem.message


def test_one_case_file_named_twice_is_refused(tmp_path: Path) -> None:
    _copy_case(tmp_path, "efre-bochum.toml")
    path = _write(tmp_path, _entry('file = "efre-bochum.toml"') + _entry('glob = "efre-*.toml"'))
    with pytest.raises(CaseError) as caught:
        load_portfolio(path)
    (problem,) = caught.value.problems
    assert problem.path == "grants[1].glob"
    assert "schon bei grants[0]" in problem.message


def test_a_glob_that_matches_nothing_is_an_error(tmp_path: Path) -> None:
    _copy_case(tmp_path, "efre-bochum.toml")
    path = _write(tmp_path, _entry('file = "efre-bochum.toml"') + _entry('glob = "schulen/*.toml"'))
    with pytest.raises(CaseError) as caught:
        load_portfolio(path)
    (problem,) = caught.value.problems
    assert (problem.path, problem.value) == ("grants[1].glob", "schulen/*.toml")
    assert "passt auf keine Falldatei" in problem.message


def test_a_glob_takes_its_files_in_name_order_without_the_portfolio_file(tmp_path: Path) -> None:
    folder = tmp_path / "faelle"
    folder.mkdir()
    _copy_case(folder, "kfw432-bochum.toml")
    _copy_case(folder, "efre-bochum.toml")
    path = _write(folder, _entry('glob = "*.toml"'))
    portfolio = load_portfolio(path)
    assert [g.file for g in portfolio.grants] == ["efre-bochum.toml", "kfw432-bochum.toml"]
    assert {g.entry for g in portfolio.grants} == {0}


def test_a_recipient_other_than_the_city_is_a_warning(tmp_path: Path) -> None:
    name = _copy_case(tmp_path, "efre-bochum.toml")
    text = (tmp_path / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(
        text.replace('recipient = "Stadt Bochum"', 'recipient = "Stadt Herne"'), encoding="utf-8"
    )
    report = evaluate_portfolio(load_portfolio(_write(tmp_path, _entry(f'file = "{name}"'))), AS_OF)
    (finding,) = [f for f in report.findings if f.code == "recipient-not-city"]
    assert finding.severity is Severity.WARNING
    assert finding.text.params["recipient"] == "Stadt Herne"
    assert finding.text.params["expected"] == "Stadt Bochum"
    # the entry may name another recipient (an Eigenbetrieb, a lead partner): then no warning
    entry = _entry(f'file = "{name}"', extra='recipient = "Stadt Herne"')
    named = evaluate_portfolio(load_portfolio(_write(tmp_path, entry)), AS_OF)
    assert not [f for f in named.findings if f.code == "recipient-not-city"]


def test_an_appropriation_for_a_product_no_grant_uses_is_a_warning(tmp_path: Path) -> None:
    name = _copy_case(tmp_path, "efre-bochum.toml")
    text = _entry(f'file = "{name}"', product="14.01.03") + (
        '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\ntotal = 100000.00\n'
        'products = { "14.01.03" = 30000.00, "12.01.01" = 50000.00 }\n'
    )
    report = evaluate_portfolio(load_portfolio(_write(tmp_path, text)), AS_OF)
    (finding,) = [f for f in report.findings if f.code == "appropriation-product-unused"]
    assert finding.severity is Severity.WARNING
    assert finding.about.id == "12.01.01"
    assert finding.text.params["years"] == ("2025",)
    # 27.700 € of 30.000 € for the used product: no excess
    assert not [f for f in report.findings if f.code == "own-share-above-appropriation"]


def test_the_appropriation_may_cover_the_cash_own_share_only(tmp_path: Path) -> None:
    name = _copy_case(tmp_path, "efre-bochum.toml")
    appropriation = '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\ntotal = 10000.00\n'
    # 2.000,00 € of the plan in 2025 are not eligible: the burden is 29.700,00 €
    case_text = (tmp_path / name).read_text(encoding="utf-8")
    case_text = case_text.replace(
        "[[plan.lines]]", "[plan]\nineligible = { 2025 = 2000.00 }\n\n[[plan.lines]]", 1
    )
    (tmp_path / name).write_text(case_text, encoding="utf-8")
    for cover, excess in (
        ("own_share", Decimal("17700.00")),
        ("cash", Decimal("0.00")),
        ("burden", Decimal("19700.00")),
    ):
        text = _entry(f'file = "{name}"') + appropriation
        head = f'appropriations_cover = "{cover}"\n'
        report = evaluate_portfolio(load_portfolio(_write(tmp_path, text, head)), AS_OF)
        year = next(y for y in report.years if y.year == 2025)
        # 2025: own share 27.700 €, in kind (own staff) 18.000 €, cash 9.700 €
        assert (year.own_share, year.in_kind, year.cash) == (
            Decimal("27700.00"),
            Decimal("18000.00"),
            Decimal("9700.00"),
        )
        assert year.excess == excess


@pytest.mark.parametrize(
    ("text", "path", "message"),
    [
        (
            "[[grants]]\n" + _OWNER + 'budget = { product = "1", kind = "consumptive" }\n',
            "grants[0]",
            "genau eines von file",
        ),
        (_entry('file = "a.toml"', extra='glob = "*.toml"'), "grants[0]", "genau eines von file"),
        (
            _entry('file = "a.toml"').replace("consumptive", "konsumptiv"),
            "grants[0].budget.kind",
            "ungültiger Wert",
        ),
        (
            _entry('file = "a.toml"') + '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\n'
            'total = 100.00\nproducts = { "1" = 80.00, "2" = 30.00 }\n',
            "appropriations[0]",
            "mehr als der Gesamtansatz",
        ),
        (
            _entry('file = "a.toml"')
            + '[[appropriations]]\nyear = 2026\nbasis = "haushaltsplan"\ntotal = 1.00\n'
            + '[[appropriations]]\nyear = 2025\nbasis = "finanzplanung"\ntotal = 1.00\n',
            "appropriations[1].basis",
            "Jahre nach dem Haushaltsplan",
        ),
        (
            _entry('file = "a.toml"')
            + '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\ntotal = 1.00\n'
            + '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\ntotal = 2.00\n',
            "appropriations[1].year",
            "doppelt",
        ),
        (
            _entry('file = "a.toml"', extra="kosten = 1\n"),
            "grants[0].kosten",
            "unbekannter Schlüssel",
        ),
        (
            _entry('file = "a.toml"') + '[[appropriations]]\nyear = 2025\nbasis = "haushaltsplan"\n'
            "total = 1.005\n",
            "appropriations[0].total",
            "",
        ),
    ],
)
def test_a_bad_portfolio_file_names_field_and_value(
    tmp_path: Path, text: str, path: str, message: str
) -> None:
    with pytest.raises(CaseError) as caught:
        load_portfolio(_write(tmp_path, text))
    assert caught.value.file == str(tmp_path / "portfolio.toml")
    assert any(p.path == path and message in p.message for p in caught.value.problems), (
        caught.value.problems
    )


def test_an_unknown_land_of_the_city_is_named(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_text('[city]\nname = "X"\nland = "XX"\n' + _entry('file = "a.toml"'), "utf-8")
    with pytest.raises(CaseError, match=r"city\.land: unbekanntes Land 'XX'"):
        load_portfolio(path)


def test_a_portfolio_with_another_suffix_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="unbekanntes Dateiformat"):
        load_portfolio(tmp_path / "portfolio.yaml")


def test_a_portfolio_is_replaced_case_by_case() -> None:
    portfolio = _portfolio()
    case = portfolio.grant(KFW).case
    changed = portfolio.with_cases({KFW: case.model_copy(update={"title": "neu"})})
    assert changed.grant(KFW).case.title == "neu"
    assert changed.grant(MPSC) == portfolio.grant(MPSC)
    with pytest.raises(fm.NotFoundError):
        portfolio.with_cases({"X": case})


def test_the_report_dumps_as_json() -> None:
    import json

    data = json.loads(_report().to_json(indent=None))
    assert data["years"][0]["year"] == 2021
    assert set(data["reports"]) == {MPSC, KFW, SF, EFRE}
    assert data["findings"][0]["code"] == "own-share-above-appropriation"


# --- double claims in detail -----------------------------------------------------------------


def _with_vouchers(key: str, *vouchers: fm.Expenditure) -> fm.portfolio.PortfolioGrant:
    grant = _portfolio().grant(key)
    case = grant.case.model_copy(update={"expenditures": vouchers})
    return grant.model_copy(update={"case": case})


_PAID = fm.Expenditure(
    id="BO-1",
    line="x",
    paid_on=date(2025, 3, 3),
    amount=Decimal("100.00"),
    payee="Müller GmbH",
)


def test_a_voucher_in_three_grants_pairs_the_first_with_each_other() -> None:
    grants = [_with_vouchers(k, _PAID) for k in (MPSC, KFW, SF)]
    pairs = [(c.grant, c.other_grant) for c in claims.double_claims(grants)]
    assert pairs == [(MPSC, KFW), (MPSC, SF)]
    assert {c.matched_on for c in claims.double_claims(grants)} == {"voucher"}


def test_what_makes_two_vouchers_the_same() -> None:
    other = _PAID.model_copy(update={"payee": "  müller   gmbh ", "id": "bo-1", "line": "y"})
    assert len(claims.double_claims([_with_vouchers(MPSC, _PAID), _with_vouchers(KFW, other)])) == 1
    for change in (
        {"amount": Decimal("100.01")},
        {"paid_on": date(2025, 3, 4)},
        {"payee": "Müller AG"},
        {"id": "BO-2"},
    ):
        different = _PAID.model_copy(update=change)
        pair = [_with_vouchers(MPSC, _PAID), _with_vouchers(KFW, different)]
        assert claims.double_claims(pair) == (), change


def test_the_same_invoice_under_another_voucher_number_is_a_double_claim() -> None:
    billed = _PAID.model_copy(update={"invoice_number": "R-2024-17"})
    again = billed.model_copy(update={"id": "SF-77", "paid_on": date(2025, 4, 1)})
    (claim,) = claims.double_claims([_with_vouchers(MPSC, billed), _with_vouchers(KFW, again)])
    assert (claim.voucher.id, claim.other_voucher.id, claim.matched_on) == (
        "BO-1",
        "SF-77",
        "invoice",
    )
    (finding,) = claims.double_claim_findings([claim])
    assert (finding.code, finding.severity) == ("double-claim", Severity.ERROR)
    # the same invoice number from another payee is another invoice
    other = again.model_copy(update={"payee": "Meier KG"})
    assert claims.double_claims([_with_vouchers(MPSC, billed), _with_vouchers(KFW, other)]) == ()
    # without invoice numbers the vouchers are compared by the voucher key alone
    plain = again.model_copy(update={"invoice_number": None})
    assert claims.double_claims([_with_vouchers(MPSC, billed), _with_vouchers(KFW, plain)]) == ()


def test_one_invoice_split_between_two_grants_is_a_warning_to_check() -> None:
    # 60 € of invoice R-9 in one grant, 40 € in the other: together 100 € — a cost split the
    # ledgers cannot verify (they do not say what the invoice came to)
    part = _PAID.model_copy(update={"invoice_number": "R-9", "amount": Decimal("60.00")})
    rest = part.model_copy(update={"id": "SF-1", "amount": Decimal("40.00")})
    (claim,) = claims.double_claims([_with_vouchers(MPSC, part), _with_vouchers(KFW, rest)])
    assert claim.matched_on == "invoice-split"
    (finding,) = claims.double_claim_findings([claim])
    assert (finding.code, finding.severity) == ("invoice-split", Severity.WARNING)
    params = finding.text.params
    assert (params["amount"], params["other_amount"], params["together"]) == (
        Decimal("60.00"),
        Decimal("40.00"),
        Decimal("100.00"),
    )
    assert "R-9" in finding.message
    assert "zusammen 100,00" in finding.message
    assert "together €100.00" in finding.message_in("en")


def test_credit_notes_and_twice_in_one_ledger_are_no_double_claim() -> None:
    credit = _PAID.model_copy(update={"amount": Decimal("-100.00"), "kind": "credit"})
    assert claims.double_claims([_with_vouchers(MPSC, credit), _with_vouchers(KFW, credit)]) == ()
    assert claims.double_claims([_with_vouchers(MPSC, _PAID, _PAID)]) == ()


def test_a_portfolio_file_may_be_json(tmp_path: Path) -> None:
    import json

    name = _copy_case(tmp_path, "efre-bochum.toml")
    data = {
        "city": {"name": "Stadt Bochum", "land": "NW"},
        "grants": [
            {
                "file": name,
                "owner": {"office": "Kämmerei"},
                "budget": {"product": "14.01.03", "kind": "consumptive"},
            }
        ],
        "appropriations": [{"year": 2025, "basis": "haushaltsplan", "total": 30000.00}],
    }
    path = tmp_path / "portfolio.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    portfolio = load_portfolio(path)
    assert portfolio.appropriations[0].total == Decimal("30000.00")
    assert portfolio.keys == (EFRE,)


def test_summing_up_needs_a_report_for_every_grant() -> None:
    reports = {k: r for k, r in _reports().items() if k != SF}
    with pytest.raises(fm.NotFoundError, match="Bericht des Förderfalls"):
        summarise_portfolio(_portfolio(), reports, AS_OF)
    # a sweep passes the unchanged grants' reports as they were: the same result
    assert summarise_portfolio(_portfolio(), _reports(), AS_OF) == _report()


def test_the_report_and_its_tables_cannot_be_changed_and_pickle() -> None:
    import pickle

    report = _report()
    with pytest.raises(TypeError):
        report.reports[MPSC] = report.reports[KFW]  # type: ignore[index]
    with pytest.raises(TypeError):
        report.years[0].grants[MPSC] = Decimal(0)  # type: ignore[index]
    with pytest.raises(ValueError, match="frozen"):
        report.years[0].own_share = Decimal(0)  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(report)) == report
    assert pickle.loads(pickle.dumps(_portfolio())) == _portfolio()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=3), max_size=4),
        min_size=1,
        max_size=4,
    )
)
def test_each_grant_after_the_first_holding_a_voucher_is_one_claim(
    holdings: list[list[int]],
) -> None:
    """Grant i holds vouchers ``holdings[i]`` (numbers 0–3, maybe twice): a voucher held by
    k grants gives k − 1 claims, each pairing the first of them with a later one."""
    keys = [MPSC, KFW, SF, EFRE][: len(holdings)]
    vouchers = [_PAID.model_copy(update={"id": f"BO-{n}"}) for n in range(4)]
    grants = [
        _with_vouchers(key, *(vouchers[n] for n in held))
        for key, held in zip(keys, holdings, strict=True)
    ]
    found = claims.double_claims(grants)
    for n in range(4):
        holders = [key for key, held in zip(keys, holdings, strict=True) if n in held]
        mine = [(c.grant, c.other_grant) for c in found if c.voucher.id == f"BO-{n}"]
        assert mine == [(holders[0], other) for other in holders[1:]]


def test_each_product_year_says_where_its_appropriation_stands() -> None:
    by_place = {(p.product, p.year): p for p in _report().products}
    assert by_place[("01.12.01", 2025)].basis == "haushaltsplan"
    assert by_place[("01.12.01", 2026)].basis == "finanzplanung"
    assert by_place[("14.01.03", 2025)].appropriation is None  # not every product has one
    assert by_place[("14.01.03", 2025)].basis is None
    assert by_place[("14.01.03", 2025)].excess == Decimal("0.00")
