import argparse
import ast
import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import foerdermittel as fm
from foerdermittel import cli, fmt
from foerdermittel.cli import main, render_report
from foerdermittel.export import excel, ical
from foerdermittel.export.written import WrittenWorkbook
from foerdermittel.io import attach_ledger

from .common import BOCHUM, ROOT, bochum_data, bochum_text_without_records


def test_report_prints_german_overview(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["report", str(BOCHUM), "--as-of", "2025-06-30"])
    out = capsys.readouterr().out
    assert status == 0
    assert "9.880.000,00\u00a0€" in out
    assert "5.320.000,00\u00a0€" in out
    assert "01.12.2021–30.06.2023" in out  # as the amendment extended it
    assert "Ä-1 (illustrativ) vom 21.11.2022" in out
    assert "Stichtag:            30.06.2025" in out
    assert "Förderquote 65\u00a0%" in out
    assert "[Fehler]" not in out


def test_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(BOCHUM), "--json", "--as-of", "2025-06-30"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["financing"]["grant"] == "9880000.00"
    assert data["financing"]["own_share"] == "5320000.00"
    assert data["financing"]["phases"][0]["grant"] == "715000.00"
    assert data["financing"]["total"] == "15200000.00"
    assert data["financing"]["phases"][1]["total"] == "14100000.00"
    assert data["as_of"] == "2025-06-30"
    assert data["rulebook"]["id"] == "anbest-gk-2019"


def test_report_exits_1_on_error_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "zu-lang.toml"
    bad.write_text(
        bochum_text_without_records().replace("end = 2022-11-30", "end = 2022-12-31"),
        encoding="utf-8",
    )
    assert main(["report", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "[Fehler] Phase A" in out
    assert "Grundlage:" in out


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Förderfall (foerdermittel)"


def test_interest_with_base_rate_file(capsys: pytest.CaptureFixture[str]) -> None:
    rates = Path(__file__).parent / "data" / "basiszinssatz-bbk.csv"
    args = ["interest", "36500.00", "2026-06-01", "2026-07-31", "--base-rate-file", str(rates)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "(Datei)" in out
    assert "(angenommen)" not in out
    assert f"Basiszinssätze (Datei) aus {rates}" in out
    assert "391,70" in out


def test_interest_with_bad_base_rate_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(";BBK01.SU0115\n2026-07;1,7,7;\n", encoding="utf-8")
    assert (
        main(["interest", "100.00", "2026-06-01", "2026-07-31", "--base-rate-file", str(bad)]) == 2
    )
    err = capsys.readouterr().err
    assert f"{bad}: Zeile 2:" in err
    assert "'1,7,7'" in err


# --- a German command line -------------------------------------------------------------------

COMMANDS = ["report", "deadlines", "replan", "proof", "compare", "interest", "schema"]
ENGLISH = re.compile(
    r"usage|options|positional|(?-i:\barguments?\b)|show this help|required|invalid|expected|"
    r"unrecognized|choose from|error|ambiguous|ignored|allowed",
    re.IGNORECASE,
)


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as info:
        main([*argv, "--help"])
    assert info.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_german(capsys: pytest.CaptureFixture[str], command: str) -> None:
    text = _help(capsys, *([command] if command else []))
    assert text.startswith("Aufruf: foerdermittel")
    assert "-h, --help" in text
    assert "diese Hilfe zeigen und beenden" in text
    assert "Optionen:" in text
    assert ENGLISH.search(text) is None, ENGLISH.search(text)
    if command:
        assert "Beispiele:\n  foerdermittel " + command in text
    if command not in {"", "schema"}:
        assert "Argumente:" in text


@pytest.mark.parametrize("command", COMMANDS)
def test_help_examples_run(
    command: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _help(capsys, command)
    examples = [
        line.strip() for line in text.split("Beispiele:\n")[1].splitlines() if line.startswith("  ")
    ]
    assert examples
    (tmp_path / "examples").symlink_to(BOCHUM.parent)
    monkeypatch.chdir(tmp_path)
    for example in examples:
        words = shlex.split(example.split(" > ")[0])
        assert words[0] == "foerdermittel"
        assert main(words[1:]) in {0, 1}, example
        out, err = capsys.readouterr()
        assert out or err.startswith(("Arbeitsmappe geschrieben", "Kalender geschrieben")), example
        assert "foerdermittel:" not in err, err


@pytest.mark.parametrize(
    ("argv", "german"),
    [
        (["report"], "fehlende Argumente: FALLDATEI"),
        ([], "fehlende Argumente: BEFEHL"),
        (["rapport"], "Argument BEFEHL: ungültige Auswahl: 'rapport' (möglich: 'report'"),
        (["report", "x.toml", "--bla"], "unbekannte Argumente: --bla"),
        (["report", "x.toml", "--as-of"], "Argument --as-of: ein Wert fehlt"),
        (
            ["report", "x.toml", "--json=ja"],
            "Argument --json: nimmt keinen Wert an, erhalten: 'ja'",
        ),
        (["interest", "100", "01.03.2024"], "fehlende Argumente: BIS"),
        (["interest", "hundert", "01.03.2024", "31.08.2024"], "Argument BETRAG: 'hundert'"),
        (["replan", "x.toml", "--new-end", "31.03.2028"], "fehlende Argumente: --phase"),
        (["report", "x.toml", "--xlsx", "-", "--json"], "--json und --xlsx -"),
    ],
)
def test_usage_errors_are_german(
    capsys: pytest.CaptureFixture[str], argv: list[str], german: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == ""
    assert err.startswith("Aufruf: foerdermittel")
    assert "foerdermittel: Aufruf fehlerhaft: " + german in err
    assert ENGLISH.search(err) is None, err


def test_ambiguous_option_is_german() -> None:
    parser = cli._Parser(prog="probe")
    parser.add_argument("--as-of")
    parser.add_argument("--assumed-rate")
    with pytest.raises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
        parser.parse_args(["--as", "1"])
    assert "mehrdeutige Option: --as könnte --as-of, --assumed-rate sein" in err.getvalue()


def test_every_argparse_text_has_a_german_translation() -> None:
    # Every text the installed argparse passes through gettext; a new Python may add some.
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    texts = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "ngettext"}
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert {"usage: ", "options", "expected one argument"} <= texts
    assert texts - set(cli._ARGPARSE_GERMAN) == set()


def test_german_translation_fills_in_the_values() -> None:
    assert cli._german("argument --as-of: invalid choice: 'x' (choose from 'a', 'b')") == (
        "Argument --as-of: ungültige Auswahl: 'x' (möglich: 'a', 'b')"
    )
    assert cli._german("expected 2 arguments") == "2 Werte erwartet"
    assert cli._german("argument --x: unser eigener Text") == "Argument --x: unser eigener Text"
    assert cli._german("ganz anders") == "ganz anders"


def test_the_parser_leaves_argparse_alone(capsys: pytest.CaptureFixture[str]) -> None:
    _help(capsys, "report")
    other = argparse.ArgumentParser(prog="andere")
    assert other.format_help().startswith("usage: andere")
    assert "show this help message and exit" in other.format_help()


# --- dates -----------------------------------------------------------------------------------


def test_german_and_iso_dates_give_the_same_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(BOCHUM), "--as-of", "30.06.2025"]) == 0
    german = capsys.readouterr().out
    assert main(["report", str(BOCHUM), "--as-of", "2025-06-30"]) == 0
    assert capsys.readouterr().out == german
    assert "Stichtag:            30.06.2025" in german


def test_interest_takes_german_dates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["interest", "100.000,00", "01.03.2024", "31.08.2024"]) == 0
    german = capsys.readouterr().out
    assert "Zinsen gesamt (kaufmännisch gerundet): 4.279,34\u00a0€" in german
    assert main(["interest", "100000", "2024-03-01", "2024-08-31"]) == 0
    assert capsys.readouterr().out == german


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31.02.2025", "'31.02.2025' ist kein Datum: der Februar 2025 hat 28 Tage"),
        ("29.02.2024", None),
        ("29.02.2025", "der Februar 2025 hat 28 Tage"),
        ("2025-04-31", "der April 2025 hat 30 Tage"),
        ("01.13.2025", "einen Monat 13 gibt es nicht"),
        ("00.01.2025", "der Januar 2025 hat 31 Tage"),
        ("1.7.2025", None),
        ("20250630", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
        ("2025-W26-1", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
        ("30.06.25", "erwartet TT.MM.JJJJ oder JJJJ-MM-TT"),
    ],
)
def test_date_arguments(text: str, message: str | None) -> None:
    if message is None:
        assert isinstance(cli._date_arg(text), date)
        return
    with pytest.raises(argparse.ArgumentTypeError, match=re.escape(message)):
        cli._date_arg(text)


def test_impossible_date_names_argument_and_value(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["replan", str(BOCHUM), "--phase", "B", "--new-end", "31.02.2028"])
    err = capsys.readouterr().err
    assert (
        "foerdermittel: Aufruf fehlerhaft: Argument --new-end: '31.02.2028' ist kein Datum: "
        "der Februar 2028 hat 29 Tage\n"
    ) in err


# --- files: '-' and the confirmation line ----------------------------------------------------


def _bochum_report() -> fm.Report:
    case = attach_ledger(fm.load_case(BOCHUM), base_dir=BOCHUM.parent)
    return fm.evaluate(case, date(2025, 6, 30))


def test_workbook_to_standard_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status = main(["report", str(BOCHUM), "--as-of", "30.06.2025", "--xlsx", "-"])
    out, err = capsysbinary.readouterr()
    report = _bochum_report()
    assert status == 0
    assert out == excel.to_bytes(report)  # the workbook only, no text report in between
    proof = report.proof_of_use
    vouchers = fmt.number(len(proof.vouchers) + len(proof.excluded))
    assert err.decode() == (
        f"Arbeitsmappe geschrieben: Standardausgabe (9 Blätter, {vouchers} Belege)\n"
    )


def test_calendar_to_standard_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    status = main(["deadlines", str(BOCHUM), "--as-of", "2025-06-30", "--ics", "-"])
    out, err = capsysbinary.readouterr()
    assert status == 0
    assert out == ical.to_ics(_bochum_report())
    assert err.decode() == "Kalender geschrieben: Standardausgabe (12 Termine)\n"


def test_binary_workbook_not_into_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["report", str(BOCHUM), "--xlsx", "-"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("foerdermittel: --xlsx -: eine Arbeitsmappe ist binär")


def test_written_files_are_confirmed_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, calendar = tmp_path / "bochum.xlsx", tmp_path / "fristen.ics"
    assert main(["report", str(BOCHUM), "--as-of", "30.06.2025", "--xlsx", str(book)]) == 0
    out, err = capsys.readouterr()
    assert "Stichtag:            30.06.2025" in out  # the report is printed as well
    assert err == f"Arbeitsmappe geschrieben: {book} (9 Blätter, 2.722 Belege)\n"
    assert book.stat().st_size > 0
    assert main(["deadlines", str(BOCHUM), "--as-of", "30.06.2025", "--ics", str(calendar)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Fristen Stadt Bochum")
    assert err == f"Kalender geschrieben: {calendar} (12 Termine)\n"


def test_the_line_shows_what_the_writer_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake(report: fm.Report, path: object) -> WrittenWorkbook:
        return WrittenWorkbook(path=str(path), size=1, sheets=3, vouchers=12345)

    monkeypatch.setattr(excel, "write", fake)
    assert main(["report", str(BOCHUM), "--xlsx", str(tmp_path / "x.xlsx")]) in {0, 1}
    assert capsys.readouterr().err.endswith("(3 Blätter, 12.345 Belege)\n")


def test_unwritable_target_is_german(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "fehlt" / "x.xlsx"
    assert main(["report", str(BOCHUM), "--xlsx", str(target)]) == 2
    assert capsys.readouterr().err == (
        f"foerdermittel: {target}: nicht schreibbar: den Ordner gibt es nicht\n"
    )


# --- closed pipes and internal errors --------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["compare", str(BOCHUM)],
        ["report", str(BOCHUM)],
        ["report", str(BOCHUM), "--xlsx", "-"],
        ["deadlines", str(BOCHUM), "--ics", "-"],
    ],
)
def test_closed_pipe_ends_quietly(argv: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte
    try:
        done = subprocess.run(
            [sys.executable, "-m", "foerdermittel", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    err = done.stderr.decode()
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert "BrokenPipeError" not in err
    assert done.returncode == 141


def test_head_reads_the_first_lines() -> None:
    command = (
        f"{shlex.quote(sys.executable)} -m foerdermittel compare {shlex.quote(str(BOCHUM))}"
        " | head -5"
    )
    done = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0
    assert done.stderr == ""
    assert len(done.stdout.splitlines()) == 5
    assert done.stdout.startswith("Szenarienvergleich")


def test_internal_error_is_one_german_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> fm.Report:
        raise RuntimeError("kaputt\nzweite Zeile")

    monkeypatch.setattr(cli, "evaluate", broken)
    monkeypatch.delenv("FOERDERMITTEL_DEBUG", raising=False)
    assert main(["report", str(BOCHUM)]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "foerdermittel: interner Fehler: RuntimeError: kaputt zweite Zeile — bitte melden\n"
    )
    monkeypatch.setenv("FOERDERMITTEL_DEBUG", "1")
    with pytest.raises(RuntimeError, match="kaputt"):
        main(["report", str(BOCHUM)])


# --- the README and the guide show the parser's command lines ---------------------------------


def _usage_words(line: str) -> set[str]:
    command = re.split(r"\s{2,}", line.strip())[0]  # two spaces or more begin the description
    words = re.findall(r"\[[^\]]*\]|\S+", command)
    assert words[0] == "foerdermittel"
    return set(words[2:]) - {"[-h]"}


def _parser_usage(command: str) -> str:
    parser = cli._parser()
    choices = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return choices.choices[command].format_usage()


@pytest.mark.parametrize(
    ("document", "section"),
    [("README.md", "## The command line"), ("docs/guide/cli.md", "# The command line")],
)
def test_documented_command_lines_match_the_parser(document: str, section: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    block = text.split(section + "\n", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.startswith("foerdermittel ")]
    assert sorted(line.split()[1] for line in lines) == sorted(COMMANDS)
    for line in lines:
        usage = " ".join(_parser_usage(line.split()[1]).split())
        assert usage.startswith("Aufruf: foerdermittel ")
        assert _usage_words(line) == _usage_words(usage.removeprefix("Aufruf: ")), line


@pytest.mark.parametrize("document", ["README.md", "docs/guide/cli.md"])
def test_documented_examples_parse(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)
    lines = [
        line for block in blocks for line in block.splitlines() if line.startswith("foerdermittel ")
    ]
    assert lines
    for line in lines:
        words = shlex.split(line.split(" > ")[0].split(" | ")[0])
        cli._parser().parse_args(words[1:])


# --- the legal basis, not where it was read ----------------------------------------------------

WEB = re.compile(r"https?://|www\.|\b[\w-]+\.(de|net|org|com)\b|Formularschrank|grantway")


@pytest.mark.parametrize("command", ["report", "deadlines", "proof"])
def test_grundlage_lines_cite_the_law_only(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main([command, str(BOCHUM), "--as-of", "30.06.2025"])
    out = capsys.readouterr().out
    basis = [
        line
        for line in out.splitlines()
        if "Grundlage" in line or "ANBest" in line or "VwVfG" in line or "KfW" in line
    ]
    assert basis
    assert [line for line in basis if WEB.search(line)] == []
    assert "Grundlage: —" not in out


def test_report_shows_the_budget_act_proviso() -> None:
    data = bochum_data()
    data.pop("ledger")
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    assert "Haushaltsgesetz" not in render_report(report)
    data["overrides"] = [{"path": "budget_act_proviso", "value": True, "reason": "Bescheid"}]
    report = fm.evaluate(fm.Case.from_data(data), date(2025, 6, 30))
    assert "Nr. 2.1 unter dem Vorbehalt des Haushaltsgesetzes" in render_report(report)


def test_deadline_list_names_whose_holidays_count(capsys: pytest.CaptureFixture[str]) -> None:
    main(["deadlines", str(BOCHUM), "--as-of", "30.06.2025"])
    rows = {
        line.split("  ")[1].strip(): line
        for line in capsys.readouterr().out.splitlines()
        if re.match(r"\w\w\., \d\d\.\d\d\.\d{4}  ", line)
    }
    assert re.search(r"\bBE\b", rows["Verwendungsnachweis Phase A vorlegen"])
    assert re.search(r"\bNW\b", rows["Ende des Bewilligungszeitraums Phase A"])
    assert "Feiertage: NW" not in "".join(rows)
