"""A case names its own rulebook or programme file: read relative to the case file."""

import shutil
from datetime import date
from pathlib import Path

import pytest

import foerdermittel as fm
from foerdermittel.cli import main, render_report
from foerdermittel.errors import CaseError
from foerdermittel.io import attach_rule_files, dump_case, loads_case
from foerdermittel.rules.files import shipped_rule_dir

from .common import BOCHUM

AS_OF = date(2025, 6, 30)
DATA = shipped_rule_dir()


def _case_dir(tmp_path: Path, grant_lines: str, *, drop_programme: bool = False) -> Path:
    """The Bochum case in ``tmp_path`` with ``grant_lines`` added to its [grant] table."""
    text = BOCHUM.read_text(encoding="utf-8")
    if drop_programme:
        text = text.replace('programme = "mpsc-2021"\n', "", 1)
    text = text.replace("[grant]\n", "[grant]\n" + grant_lines, 1)
    shutil.copy(BOCHUM.parent / "bochum-ledger.csv", tmp_path / "bochum-ledger.csv")
    case = tmp_path / "fall.toml"
    case.write_text(text, encoding="utf-8")
    return case


def _rule_file(folder: Path, name: str, source: str, *changes: tuple[str, str]) -> None:
    text = (DATA / source).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new, 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def _report(case: fm.Case) -> str:
    return render_report(fm.evaluate(case, AS_OF))


def test_a_copy_of_the_shipped_files_gives_the_same_report(tmp_path: Path) -> None:
    _rule_file(tmp_path / "regeln", "gk.toml", "anbest-gk-2019.toml")
    _rule_file(tmp_path / "regeln", "mpsc.toml", "mpsc-2021.toml")
    path = _case_dir(
        tmp_path,
        'rulebook_file = "regeln/gk.toml"\nprogramme_file = "regeln/mpsc.toml"\n',
        drop_programme=True,
    )
    own = fm.load_case(path)
    assert own.grant.programme is None
    assert own.grant.loaded_rulebook == fm.rules.get("anbest-gk-2019")
    assert own.grant.loaded_programme == fm.rules.get_programme("mpsc-2021")
    assert _report(own) == _report(fm.load_case(BOCHUM))


def test_an_own_rulebook_changes_the_figures_it_governs(tmp_path: Path) -> None:
    _rule_file(
        tmp_path,
        "eigen.toml",
        "anbest-gk-2019.toml",
        ('id = "anbest-gk-2019"', 'id = "anbest-g-eigen"'),
        ('window = { amount = 6, unit = "weeks" }', 'window = { amount = 3, unit = "weeks" }'),
    )
    case = fm.load_case(_case_dir(tmp_path, 'rulebook_file = "eigen.toml"\n'))
    rulebook, _ = case.rulebook()
    assert rulebook.id == "anbest-g-eigen"
    assert str(rulebook.use_window.window) == "3 Wochen"
    assert rulebook.programme is not None
    assert rulebook.programme.id == "mpsc-2021"  # the shipped programme, by its id
    assert case.rulebook_id == "anbest-g-eigen"


def test_a_missing_file_names_the_field_and_the_path(tmp_path: Path) -> None:
    path = _case_dir(tmp_path, 'rulebook_file = "regeln/fehlt.toml"\n')
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    (problem,) = info.value.problems
    assert (problem.path, problem.value) == ("grant.rulebook_file", "regeln/fehlt.toml")
    assert problem.message.startswith("Regelwerksdatei nicht gefunden (gesucht: ")
    path = _case_dir(tmp_path, 'programme_file = "p.toml"\n', drop_programme=True)
    with pytest.raises(CaseError, match=r"grant\.programme_file: Programmdatei nicht gefunden"):
        fm.load_case(path)


def test_a_bad_rule_file_names_that_file(tmp_path: Path) -> None:
    _rule_file(tmp_path, "eigen.toml", "anbest-gk-2019.toml", ("overrun = 0.20", "overrun = 1.5"))
    with pytest.raises(CaseError) as info:
        fm.load_case(_case_dir(tmp_path, 'rulebook_file = "eigen.toml"\n'))
    assert info.value.file == str(tmp_path / "eigen.toml")
    assert info.value.problems[0].path == "line_tolerance.overrun"


def test_the_wrong_kind_of_file(tmp_path: Path) -> None:
    _rule_file(tmp_path, "eigen.toml", "mpsc-2021.toml")
    with pytest.raises(CaseError, match="kein Förderprogramm"):
        fm.load_case(_case_dir(tmp_path, 'rulebook_file = "eigen.toml"\n'))


def test_an_id_and_a_file_together_are_refused(tmp_path: Path) -> None:
    _rule_file(tmp_path, "eigen.toml", "anbest-gk-2019.toml")
    path = _case_dir(tmp_path, 'rulebook = "anbest-gk-2019"\nrulebook_file = "eigen.toml"\n')
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.problems[0].path == "grant"
    assert "entweder rulebook" in info.value.problems[0].message
    path = _case_dir(tmp_path, 'programme_file = "eigen.toml"\n')
    with pytest.raises(CaseError, match="entweder programme"):
        fm.load_case(path)


def test_the_case_must_fit_its_own_programme(tmp_path: Path) -> None:
    _rule_file(
        tmp_path,
        "p.toml",
        "mpsc-2021.toml",
        ("[phases.B]", "[phases.C]"),
        ('before_phase = "B"', 'before_phase = "C"'),
    )
    path = _case_dir(tmp_path, 'programme_file = "p.toml"\n', drop_programme=True)
    with pytest.raises(CaseError) as info:
        fm.load_case(path)
    assert info.value.file == str(path)
    assert ("grant.phases[1].kind", "B") in [(p.path, p.value) for p in info.value.problems]


def test_a_case_read_from_text_says_its_files_are_not_read(tmp_path: Path) -> None:
    _rule_file(tmp_path, "eigen.toml", "anbest-gk-2019.toml")
    path = _case_dir(tmp_path, 'rulebook_file = "eigen.toml"\n')
    case = loads_case(path.read_text(encoding="utf-8"), fmt="toml")
    with pytest.raises(CaseError, match=r"grant\.rulebook_file: Datei noch nicht gelesen"):
        case.rulebook()
    attached = attach_rule_files(case, base_dir=tmp_path)
    assert attached.rulebook()[0].id == "anbest-gk-2019"
    assert attach_rule_files(attached, base_dir="/nirgends") is attached


def test_a_saved_case_keeps_the_rules_it_read(tmp_path: Path) -> None:
    _rule_file(tmp_path, "eigen.toml", "anbest-gk-2019.toml", ('id = "anbest-gk-2019"', 'id = "x"'))
    case = fm.load_case(_case_dir(tmp_path, 'rulebook_file = "eigen.toml"\n'))
    again = loads_case(dump_case(case), fmt="json")
    assert again == case
    assert again.rulebook()[0].id == "x"


def test_the_content_of_a_saved_case_is_checked_like_a_file(tmp_path: Path) -> None:
    case = fm.load_case(BOCHUM)
    data = case.model_dump(mode="json")
    rulebook = fm.rules.get("anbest-gk-2019").model_dump(mode="json")
    rulebook["use_window"]["source"] = " "
    data["grant"]["loaded_rulebook"] = rulebook
    data["grant"]["rulebook_file"] = "eigen.toml"
    with pytest.raises(CaseError, match=r"use_window\.source: Quelle fehlt"):
        fm.Case.from_data(data)


def test_the_command_line_exits_2_on_a_missing_rule_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _case_dir(tmp_path, 'rulebook_file = "fehlt.toml"\n')
    assert main(["report", str(path), "--as-of", "30.06.2025"]) == 2
    err = capsys.readouterr().err
    assert f"{path}: grant.rulebook_file: Regelwerksdatei nicht gefunden" in err
    assert "(Wert: 'fehlt.toml')" in err


def test_unused_fields_stay_out_of_the_grant_data() -> None:
    grant = fm.load_case(BOCHUM).grant.model_dump()
    assert "rulebook_file" not in grant
    assert "loaded_programme" not in grant


def test_a_rate_tier_scenario_reads_the_case_s_own_programme(tmp_path: Path) -> None:
    """``ChangeRate(tier=…)`` finds the tier in a programme file as in a shipped programme."""
    _rule_file(tmp_path / "regeln", "mpsc.toml", "mpsc-2021.toml")
    path = _case_dir(tmp_path, 'programme_file = "regeln/mpsc.toml"\n', drop_programme=True)
    own = fm.load_case(path)
    step = fm.ChangeRate(tier="haushaltsnotlage")
    changed, _ = step.apply(own)
    shipped, _ = step.apply(fm.load_case(BOCHUM))
    assert (
        changed.grant.rate
        == shipped.grant.rate
        == fm.rules.get_programme("mpsc-2021").rates["haushaltsnotlage"]
    )
