"""The rulebooks as files: the shipped TOML files, their reading and every bad input."""

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from foerdermittel import rules
from foerdermittel.errors import CaseError, Problem
from foerdermittel.rules import files
from foerdermittel.rules.files import (
    load_programme_file,
    load_rule_file,
    load_rulebook_file,
    loads_rule_file,
    rulebook_json_schema,
    shipped_rule_dir,
)

DATA = shipped_rule_dir()

# The values the Python definitions built before the rulebooks became files, pinned: id,
# valid_from, land, drawdown mode, use window, latest proof of use after the period, month end,
# interim proof, reduction threshold, line tolerance, retention years, interest points,
# procurement threshold, budget-act proviso, source of the use window. Decimals as text, so
# that their places are pinned too ("500.00", not "500").
EDITIONS = [
    ("anbest-gk-2006", "2006-04-01", None, "in_advance", "2 Monate", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "ANBest-Gk (April 2006) Nr. 8.5"),  # noqa: E501
    ("anbest-gk-2014", "2014-01-01", None, "day_of_need", "6 Wochen", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "ANBest-Gk (01.01.2014) Nr. 8.5"),  # noqa: E501
    ("anbest-gk-2016", "2016-11-04", None, "day_of_need", "6 Wochen", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "ANBest-Gk (04.11.2016) Nr. 8.5"),  # noqa: E501
    ("anbest-gk-2019", "2019-06-13", None, "day_of_need", "6 Wochen", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "ANBest-Gk (13.06.2019) Nr. 8.5"),  # noqa: E501
    ("anbest-gk-2024", "2024-05-17", None, "day_of_need", "6 Wochen", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "ANBest-Gk (17.05.2024) Nr. 8.5"),  # noqa: E501
    ("anbest-gk-2025", "2025-04-01", None, "day_of_need", "6 Wochen", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, True, "ANBest-Gk (April 2025) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2006", "2006-04-01", None, "in_advance", "2 Monate", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", False, "ANBest-P (April 2006) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2014", "2014-01-01", None, "day_of_need", "6 Wochen", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", False, "ANBest-P (Januar 2014) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2019", "2019-06-13", None, "day_of_need", "6 Wochen", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", False, "ANBest-P (13.06.2019) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2024", "2024-05-17", None, "day_of_need", "6 Wochen", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", False, "ANBest-P (17.05.2024) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2025", "2025-04-01", None, "day_of_need", "6 Wochen", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", True, "ANBest-P (April 2025) Nr. 8.5"),  # noqa: E501
    ("anbest-p-2025-09", "2025-09-01", None, "day_of_need", "6 Wochen", "6 Monate", True, "yearly", "500.00", "0.20", 5, "5", "100000.00", True, "ANBest-P (September 2025) Nr. 8.5"),  # noqa: E501
    ("anbest-g-nrw-2023", "2023-06-20", "NW", "in_advance", "2 Monate", "1 Jahr", False, "on_request", "500.00", "0.20", 5, "5", None, False, "VV zu § 44 LHO NRW i. d. F. vom 20.06.2023 Nr. 8.6"),  # noqa: E501
]  # fmt: skip


def test_the_shipped_editions_are_the_ones_the_python_built() -> None:
    assert rules.available() == tuple(row[0] for row in EDITIONS)
    for row in EDITIONS:
        rb = rules.get(row[0])
        got = (
            rb.id,
            rb.valid_from.isoformat(),
            rb.land,
            rb.drawdown.mode.value,
            str(rb.use_window.window),
            str(rb.proof_of_use.latest_after_period),
            rb.proof_of_use.month_end,
            rb.interim_proof.required,
            str(rb.reduction.threshold),
            str(rb.line_tolerance.overrun),
            rb.retention.years,
            str(rb.interest.points_above_base),
            None if rb.procurement.threshold is None else str(rb.procurement.threshold),
            rb.budget_act_proviso,
            rb.use_window.source,
        )
        assert got == row


def test_the_shipped_programmes_are_the_ones_the_python_built() -> None:
    # by the date of the call; the MPSC calls are the ones the Python built
    assert rules.available_programmes() == (
        "mpsc-2019",
        "mpsc-2020",
        "mpsc-2021",
        "kfw-432-2021",
        "stadterneuerung-nrw-2023",
        "efre-jtf-nrw-2021",
    )
    calls = {"mpsc-2019": "2019-03-29", "mpsc-2020": "2020-02-07", "mpsc-2021": "2020-12-16"}
    durations = {"mpsc-2019": ("24 Monate", "5 Jahre"), "mpsc-2021": ("12 Monate", "4 Jahre")}
    for ident, call in calls.items():
        prog = rules.get_programme(ident)
        assert prog.call_date.isoformat() == call
        assert {k: str(v) for k, v in prog.rates.items()} == {
            "standard": "0.65",
            "haushaltsnotlage": "0.90",
        }
        assert list(prog.tiers) == ["haushaltsnotlage"]
        tier = prog.tiers["haushaltsnotlage"]
        assert (tier.condition, tier.up_to) == (
            "Kommune in Haushaltsnotlage nach Landesrecht",
            False,
        )
        assert tier.source == prog.source
        a, b = prog.phases["A"], prog.phases["B"]
        assert (str(a.cap), str(a.first_measures_cap), str(b.cap)) == (
            "2500000.00",
            "1000000.00",
            "15000000.00",
        )
        assert (str(a.proof_of_use_after_decision), str(b.proof_of_use_after_decision)) == (
            "30 Monate",
            "66 Monate",
        )
        assert not a.final_instalment_after_proof
        assert b.final_instalment_after_proof
        assert prog.drawdown is not None
        assert prog.drawdown.interval_months == 6
        assert prog.drawdown.reimburses
        if ident in durations:
            assert (str(a.max_duration), str(b.max_duration)) == durations[ident]
    latest = rules.get_programme("mpsc-2021")
    assert latest.extension_ceiling == date(2028, 3, 31)
    assert [(m.id, m.due, m.optional) for m in latest.milestones] == [
        ("council-resolution-strategy", None, False),
        ("extension-declaration", date(2024, 12, 31), True),
        ("extension-application", date(2025, 1, 31), True),
    ]
    assert latest.source == (
        "KfW-Merkblatt Modellprojekte Smart Cities (Programm 436); Förderaufruf vom 16.12.2020"
    )
    assert latest.read_in == "charta-digitale-vernetzung.de; KfW-Merkblatt (Kopie auf 9dok.net)"


def test_public_names_of_the_former_modules_still_read() -> None:
    from foerdermittel.rules import anbest, mpsc

    editions, programmes = anbest.EDITIONS, mpsc.PROGRAMMES
    assert tuple(e.id for e in editions) == rules.available()
    assert tuple(p.id for p in programmes) == ("mpsc-2019", "mpsc-2020", "mpsc-2021")
    assert isinstance(editions, tuple)


def test_one_file_per_id_named_by_it() -> None:
    names = sorted(path.stem for path in DATA.glob("*.toml"))
    assert names == sorted([*rules.available(), *rules.available_programmes()])
    for name in names:
        assert load_rule_file(DATA / f"{name}.toml").id == name


def test_every_group_names_its_source_and_read_in_only_where_the_python_said() -> None:
    text = (DATA / "anbest-gk-2019.toml").read_text(encoding="utf-8")
    # § 49a VwVfG is the law itself: the Python named no document it was read in
    assert "[interest]\npoints_above_base = 5\nsource = " in text
    assert "read_in" not in text.split("[interest]")[1].split("[procurement]")[0]


def test_loaded_numbers_are_decimals_not_floats() -> None:
    prog = load_programme_file(DATA / "mpsc-2021.toml")
    assert type(prog.rates["standard"]) is Decimal
    assert type(rules.get("anbest-gk-2019").interest.points_above_base) is Decimal


# --- bad input ----------------------------------------------------------------------------------

GK = (DATA / "anbest-gk-2019.toml").read_text(encoding="utf-8")
MPSC = (DATA / "mpsc-2021.toml").read_text(encoding="utf-8")


def _problems(text: str, **kwargs: object) -> tuple[Problem, ...]:
    with pytest.raises(CaseError) as info:
        loads_rule_file(text, file="eigen.toml", **kwargs)  # type: ignore[arg-type]
    assert str(info.value).startswith("eigen.toml: ")
    return info.value.problems


def _one(text: str, **kwargs: object) -> Problem:
    problems = _problems(text, **kwargs)
    assert len(problems) == 1, problems
    return problems[0]


def _replaced(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_unknown_key_names_its_path() -> None:
    problem = _one(_replaced(GK, "[use_window]\n", "[use_window]\nfenster = 3\n"))
    assert problem.path == "use_window.fenster"
    assert problem.message == "unbekannter Schlüssel 'fenster' (Tippfehler?)"
    assert problem.value == 3
    assert _one(GK + "\n[extra]\nx = 1\n").path == "extra"


def test_a_group_without_source() -> None:
    text = _replaced(GK, 'source = "ANBest-Gk (13.06.2019) Nr. 8.5"\n', "")
    problem = _one(text)
    assert problem.path == "use_window.source"
    assert problem.message.startswith("Quelle fehlt")
    blank = _one(_replaced(GK, 'source = "ANBest-Gk (13.06.2019) Nr. 8.5"', 'source = " "'))
    assert (blank.path, blank.value) == ("use_window.source", " ")
    assert blank.message.startswith("Quelle fehlt")


def test_a_blank_read_in_is_refused() -> None:
    text = _replaced(GK, 'read_in = "Formularschrank des Bundes, Datei 2038"', 'read_in = ""')
    problem = _one(text)
    assert problem.path == "drawdown.read_in"
    assert "leer" in problem.message


def test_an_edition_dated_after_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    problem = _one(_replaced(GK, "valid_from = 2019-06-13", f"valid_from = {tomorrow}"))
    assert (problem.path, problem.value) == ("valid_from", tomorrow)
    assert problem.message.startswith("liegt in der Zukunft")
    # the day itself is fine
    assert loads_rule_file(GK, today=date(2019, 6, 13)).valid_from == date(2019, 6, 13)
    problem = _one(MPSC, today=date(2020, 12, 15))
    assert (problem.path, problem.value) == ("call_date", date(2020, 12, 16))


def test_shares_above_100_percent() -> None:
    problem = _one(_replaced(GK, "overrun = 0.20", "overrun = 1.20"))
    assert (problem.path, problem.value) == ("line_tolerance.overrun", Decimal("1.20"))
    assert "100 %" in problem.message
    problem = _one(_replaced(MPSC, "haushaltsnotlage = 0.90", "haushaltsnotlage = 1.5"))
    assert (problem.path, problem.value) == ("rates.haushaltsnotlage", Decimal("1.5"))
    assert "höchstens 100 %" in problem.message


def test_programme_references_inside_the_file() -> None:
    problem = _one(_replaced(MPSC, 'default_tier = "standard"', 'default_tier = "gold"'))
    assert (problem.path, problem.value) == ("default_tier", "gold")
    problem = _one(_replaced(MPSC, 'default_rulebook = "anbest-gk-2019"', 'default_rulebook = "x"'))
    assert (problem.path, problem.value) == ("default_rulebook", "x")
    assert "gültig sind: anbest-gk-2006" in problem.message
    problem = _one(_replaced(MPSC, 'before_phase = "B"', 'before_phase = "C"'))
    assert (problem.path, problem.value) == ("milestones[0].before_phase", "C")
    problem = _one(_replaced(MPSC, "first_measures_cap = 1000000.00", "first_measures_cap = 3e6"))
    assert problem.path == "phases.A.first_measures_cap"


def test_header_problems() -> None:
    problem = _one(_replaced(GK, "schema_version = 1\n", ""))
    assert (problem.path, problem.value) == ("schema_version", None)
    problem = _one(_replaced(GK, "schema_version = 1", "schema_version = 2"))
    assert (problem.path, problem.value) == ("schema_version", 2)
    problem = _one(_replaced(GK, 'kind = "edition"', 'kind = "ausgabe"'))
    assert (problem.path, problem.value) == ("kind", "ausgabe")
    assert "edition" in problem.message
    assert "programme" in problem.message
    problem = _one(GK + '\n[programme]\nid = "x"\n')
    assert problem.path == "programme"
    problems = _problems(_replaced(MPSC, 'kind = "programme"', 'kind = "edition"'))
    assert Problem("call_date", None, "unbekannter Schlüssel 'call_date' (Tippfehler?)") in [
        Problem(p.path, None, p.message) for p in problems
    ]
    assert Problem("valid_from", None, "Pflichtfeld fehlt") in problems


def test_every_problem_at_once() -> None:
    text = _replaced(GK, "overrun = 0.20", "overrun = 2")
    text = _replaced(text, "[retention]\n", "[retention]\njahre = 5\n")
    problems = _problems(text)
    assert {p.path for p in problems} == {"line_tolerance.overrun", "retention.jahre"}


def test_malformed_and_missing_files(tmp_path: Path) -> None:
    assert _one("kind = ").message.startswith("kein gültiges TOML")
    with pytest.raises(CaseError, match="Datei nicht gefunden") as info:
        load_rule_file(tmp_path / "fehlt.toml")
    assert info.value.file == str(tmp_path / "fehlt.toml")
    other = tmp_path / "regeln.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(CaseError, match=r"erwartet \.toml"):
        load_rule_file(other)
    latin = tmp_path / "latin.toml"
    latin.write_bytes("title = 'Förder'".encode("latin-1"))
    with pytest.raises(CaseError, match="keine UTF-8-Textdatei"):
        load_rule_file(latin)
    folder = tmp_path / "ordner.toml"
    folder.mkdir()
    with pytest.raises(CaseError, match="ist ein Verzeichnis"):
        load_rule_file(folder)
    with pytest.raises(CaseError, match="Datei nicht gefunden"):
        load_rule_file("a\x00.toml")
    with pytest.raises(CaseError, match="kein Förderprogramm") as info:
        load_rulebook_file(DATA / "mpsc-2021.toml")
    assert info.value.problems[0].path == "kind"
    with pytest.raises(CaseError, match="keine Ausgabe"):
        load_programme_file(DATA / "anbest-gk-2019.toml")


def test_a_user_file_reads_like_a_shipped_one(tmp_path: Path) -> None:
    own = tmp_path / "anbest-g-eigen.toml"
    own.write_text(
        _replaced(GK, 'id = "anbest-gk-2019"', 'id = "anbest-g-eigen"').replace(
            'window = { amount = 6, unit = "weeks" }', 'window = { amount = 8, unit = "weeks" }'
        ),
        encoding="utf-8",
    )
    rb = load_rulebook_file(own)
    assert rb.id == "anbest-g-eigen"
    assert rb.use_window.window.amount == 8


# --- the schema -----------------------------------------------------------------------------------


def test_schema_describes_both_kinds() -> None:
    schema = rulebook_json_schema()
    edition, programme = schema["oneOf"]
    assert edition["properties"]["kind"] == {
        "const": "edition",
        "description": files.KINDS["edition"],
    }
    assert "programme" not in edition["properties"]
    assert edition["additionalProperties"] is False
    assert {"schema_version", "kind", "id", "valid_from", "drawdown"} <= set(edition["required"])
    assert {"schema_version", "kind", "id", "call_date", "rates"} <= set(programme["required"])
    assert "source" in schema["$defs"]["UseWindowRule"]["required"]
    json.dumps(schema)  # plain JSON
    # every $ref points into $defs
    text = json.dumps(schema)
    for name in {part.split('"')[0] for part in text.split('"#/$defs/')[1:]}:
        assert name in schema["$defs"]


# --- the command line -----------------------------------------------------------------------------


def test_rules_lists_ids_kinds_dates_and_titles(capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "Kennung" in out
    # the columns are as wide as the longest id: the rows read with each gap closed up
    width = len("stadterneuerung-nrw-2023  ")
    assert "Kennung".ljust(width) + "Art" in out
    rows = {" ".join(line.split()) for line in out.splitlines()}
    assert "anbest-gk-2019 Ausgabe 13.06.2019 ANBest-Gk, Ausgabe 13.06.2019" in rows
    assert "anbest-g-nrw-2023".ljust(width) + "Landesvariante NW  20.06.2023" in out
    assert (
        "mpsc-2021 Förderaufruf 16.12.2020 Modellprojekte Smart Cities, 3. Staffel (Aufruf 2021)"
        in rows
    )
    assert (
        "kfw-432-2021 Förderaufruf 01.04.2021 "
        "Energetische Stadtsanierung – Zuschuss (KfW 432), Fassung 2021–2023"
    ) in rows
    assert (
        "stadterneuerung-nrw-2023 Förderaufruf 15.06.2023 "
        "Städtebauförderung Nordrhein-Westfalen (Städtebauförderrichtlinie NRW 2023)" in rows
    )
    assert (
        "efre-jtf-nrw-2021 Förderaufruf 07.11.2023 "
        "EFRE/JTF-Programm NRW 2021–2027 (EFRE/JTF Rahmenrichtlinie NRW)" in rows
    )


def test_rules_show_prints_each_group_with_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    assert main(["rules", "show", "anbest-gk-2019"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("anbest-gk-2019 — ANBest-Gk, Ausgabe 13.06.2019 (Ausgabe, 13.06.2019)")
    block = out.split("[use_window] Verwendung „alsbald“\n")[1].split("\n\n")[0]
    assert block == (
        "  window = 6 Wochen\n"
        "  Grundlage: ANBest-Gk (13.06.2019) Nr. 8.5\n"
        "  gelesen in: Formularschrank des Bundes, Datei 2038"
    )
    assert out.count("Grundlage: ") == 10  # the groups with a source; limits, unset in an edition, are left out
    assert main(["rules", "show", "mpsc-2021"]) == 0
    out = capsys.readouterr().out
    assert "rates.haushaltsnotlage = 0.90" in out
    assert "[milestones[2]] Meilenstein\n  id = extension-application\n  title = " in out
    assert "  Grundlage der Nachweisfrist: MPSC-Förderaufrufe 2019/2020" in out


def test_rules_show_an_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    assert main(["rules", "show", "anbest-gk-2099"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("foerdermittel: ID: unbekanntes Regelwerk oder Programm; gültig sind: ")
    assert "(Wert: 'anbest-gk-2099')" in err


def test_rules_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    good = tmp_path / "eigen.toml"
    good.write_text(_replaced(GK, 'id = "anbest-gk-2019"', 'id = "eigen"'), encoding="utf-8")
    assert main(["rules", "check", str(good)]) == 0
    assert capsys.readouterr().out.startswith(f"{good}: in Ordnung — Ausgabe eigen „ANBest-Gk")
    bad = tmp_path / "falsch.toml"
    text = _replaced(GK, "overrun = 0.20", "overrun = 1.5")
    bad.write_text(_replaced(text, "[retention]\n", "[retention]\njahre = 5\n"), encoding="utf-8")
    assert main(["rules", "check", str(bad)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"foerdermittel: {bad}: 2 Probleme:\n")
    assert "  - line_tolerance.overrun: Anteil über 100 %: höchstens 1 (= 100 %) (Wert: 1.5)" in err
    assert "  - retention.jahre: unbekannter Schlüssel 'jahre' (Tippfehler?) (Wert: 5)" in err
    assert main(["rules", "check", str(tmp_path / "fehlt.toml")]) == 2
    assert "fehlt.toml: Datei nicht gefunden" in capsys.readouterr().err


def test_rules_schema(capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    assert main(["rules", "schema"]) == 0
    assert json.loads(capsys.readouterr().out) == rulebook_json_schema()


def test_rules_usage_errors_are_german(capsys: pytest.CaptureFixture[str]) -> None:
    from foerdermittel.cli import main

    with pytest.raises(SystemExit) as info:
        main(["rules", "zeigen"])
    assert info.value.code == 2
    assert "Argument UNTERBEFEHL: ungültige Auswahl: 'zeigen'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["rules", "show"])
    assert info.value.code == 2
    assert "fehlende Argumente: ID" in capsys.readouterr().err


def _guide_toml_blocks() -> list[str]:
    from .common import ROOT

    text = (ROOT / "docs" / "guide" / "rulebook.md").read_text(encoding="utf-8")
    return re.findall(r"```toml\n(.*?)```", text, flags=re.DOTALL)


def test_the_guide_example_is_a_valid_programme_file() -> None:
    (example,) = [b for b in _guide_toml_blocks() if 'id = "musterprogramm-2024"' in b]
    prog = loads_rule_file(example, file="musterprogramm-2024.toml")
    assert prog.id == "musterprogramm-2024"
    assert isinstance(prog, rules.ProgrammeRules)
    assert prog.rates["standard"] == Decimal("0.80")
    assert prog.tiers["standard"].up_to


def _without_read_in(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_read_in(v) for k, v in value.items() if k != "read_in"}
    if isinstance(value, list | tuple):
        return [_without_read_in(v) for v in value]
    return value


def test_the_guide_writes_the_kfw_432_file_step_by_step() -> None:
    steps = [b for b in _guide_toml_blocks() if b.startswith("# kfw-432-2021.toml, Schritt ")]
    assert [b.split("\n", 1)[0].split(", ", 1)[1] for b in steps] == [
        "Schritt 1: the head",
        "Schritt 2: the rate",
        "Schritt 3: the phase kinds",
        "Schritt 4: the limits",
    ]
    written = loads_rule_file("".join(steps), file="kfw-432-2021.toml")
    shipped = rules.get_programme("kfw-432-2021")
    assert isinstance(written, rules.ProgrammeRules)
    # the steps shorten some read_in texts; every value and every source is the shipped one
    assert _without_read_in(written.model_dump()) == _without_read_in(shipped.model_dump())
    assert written.read_in is not None
    assert written.read_in.startswith("foerderdatenbank.de")
