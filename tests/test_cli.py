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
from foerdermittel.export.excel import package as excel_package
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

COMMANDS = [
    "report",
    "deadlines",
    "replan",
    "proof",
    "compare",
    "abruf",
    "portfolio",
    "interest",
    "schema",
    "rules",
]
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
    def fake(report: fm.Report, path: object, *, lang: str = "de") -> WrittenWorkbook:
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


# --- exit codes: a defect is 3, never 1 ----------------------------------------------------

AS_OF = ["--as-of", "30.06.2025"]
DEFECT = "foerdermittel: interner Fehler: RuntimeError: kaputt zweite Zeile — ein Defekt in "


def _scenarios_module() -> object:
    from foerdermittel import scenarios

    return scenarios


# (argv, where the failure is put in, what is replaced there)
CRASHES: list[tuple[list[str], str, str]] = [
    (["report", str(BOCHUM), *AS_OF], "cli", "evaluate"),
    (["report", str(BOCHUM), *AS_OF], "cli", "render_report"),
    (["report", str(BOCHUM), *AS_OF, "--json"], "report", "to_json"),
    (["report", str(BOCHUM), *AS_OF, "--xlsx", "{tmp}/b.xlsx"], "excel", "write"),
    (["report", str(BOCHUM), *AS_OF, "--xlsx", "{tmp}/b.xlsx"], "excel", "to_bytes"),
    (["deadlines", str(BOCHUM), *AS_OF], "cli", "render_deadlines"),
    (["deadlines", str(BOCHUM), *AS_OF, "--ics", "{tmp}/f.ics"], "ical", "write"),
    (["deadlines", str(BOCHUM), *AS_OF, "--ics", "-"], "ical", "to_ics"),
    (["proof", str(BOCHUM), *AS_OF], "cli", "render_proof"),
    (
        ["replan", str(BOCHUM), "--phase", "B", "--new-end", "31.03.2028", "--as-of", "31.12.2024"],
        "cli",
        "render_replan",
    ),
    (
        ["replan", str(BOCHUM), "--phase", "B", "--new-end", "31.03.2028", "--as-of", "31.12.2024"],
        "cli",
        "line_totals",
    ),
    (["compare", str(BOCHUM), *AS_OF], "scenarios", "compare"),
    (["interest", "100000", "01.03.2024", "31.08.2024"], "cli", "compute_interest"),
    (["interest", "100000", "01.03.2024", "31.08.2024"], "cli", "render_interest"),
    (["schema"], "cli", "case_json_schema"),
]


def _break(monkeypatch: pytest.MonkeyPatch, where: str, name: str, exc: BaseException) -> None:
    def broken(*args: object, **kwargs: object) -> object:
        raise exc

    owner = {
        "cli": cli,
        "excel": excel,
        "ical": ical,
        "report": fm.Report,
        "scenarios": _scenarios_module(),
    }[where]
    monkeypatch.setattr(owner, name, broken)
    if where == "excel":  # the package's names come from its writer module
        monkeypatch.setattr(excel_package, name, broken)


@pytest.mark.parametrize(
    ("argv", "where", "name"), CRASHES, ids=[f"{a[0]}-{n}" for a, _, n in CRASHES]
)
def test_a_defect_in_any_command_exits_3_with_one_german_line(
    argv: list[str],
    where: str,
    name: str,
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FOERDERMITTEL_DEBUG", raising=False)
    _break(monkeypatch, where, name, RuntimeError("kaputt\nzweite Zeile"))
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 3
    out, err = capsysbinary.readouterr()
    assert out == b""
    text = err.decode()
    assert text.startswith(DEFECT)
    assert text.endswith("bitte mit dem Aufruf und der Ausgabe mit --debug melden\n")
    assert text.count("\n") == 1
    assert "Traceback" not in text
    assert list(tmp_path.iterdir()) == []  # no half-written file either


@pytest.mark.parametrize(
    ("where", "name", "exc", "detail"),
    [
        # a ValueError of the workbook that is not the documented overflow
        ("excel", "to_bytes", ValueError("Zelle kaputt"), "ValueError: Zelle kaputt"),
        ("cli", "evaluate", OSError("Platte weg"), "OSError: Platte weg"),  # no write failure
        ("excel", "to_bytes", KeyError("x"), "KeyError: 'x'"),
        ("excel", "to_bytes", RecursionError(), "RecursionError"),
        (
            "excel",
            "to_bytes",
            RuntimeError("\x1b[2J" + "x" * 1000),
            "RuntimeError: \\x1b[2J" + "x" * 296 + " …",
        ),
    ],
)
def test_any_unexpected_exception_is_a_defect(
    where: str,
    name: str,
    exc: Exception,
    detail: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("FOERDERMITTEL_DEBUG", raising=False)
    _break(monkeypatch, where, name, exc)
    assert main(["report", str(BOCHUM), *AS_OF, "--xlsx", str(tmp_path / "b.xlsx")]) == 3
    assert capsys.readouterr().err.startswith(f"foerdermittel: interner Fehler: {detail} — ")


def test_an_exception_whose_text_fails_is_still_a_defect(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class UnprintableError(Exception):
        def __str__(self) -> str:
            raise RuntimeError("auch kaputt")

    monkeypatch.delenv("FOERDERMITTEL_DEBUG", raising=False)
    _break(monkeypatch, "cli", "render_report", UnprintableError())
    assert main(["report", str(BOCHUM), *AS_OF]) == 3
    assert capsys.readouterr().err.startswith("foerdermittel: interner Fehler: UnprintableError — ")


def test_the_workbook_that_does_not_fit_is_the_inputs_problem(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from foerdermittel.export import excel

    overflow = excel.WorkbookTooLargeError(
        "Belegliste mit 2000000 Belegen passt nicht auf ein Arbeitsblatt"
    )
    _break(monkeypatch, "excel", "to_bytes", overflow)
    target = tmp_path / "b.xlsx"
    assert main(["report", str(BOCHUM), *AS_OF, "--xlsx", str(target)]) == 2
    assert capsys.readouterr().err == f"foerdermittel: {target}: {overflow}\n"
    # any other ValueError from the writer is a defect, not the input's
    _break(monkeypatch, "excel", "to_bytes", ValueError("Belegliste kaputt"))
    assert main(["report", str(BOCHUM), *AS_OF, "--xlsx", str(target)]) == 3


@pytest.mark.parametrize(
    ("argv", "env"),
    [
        (["--debug", "report", str(BOCHUM), *AS_OF], None),
        (["report", "--debug", str(BOCHUM), *AS_OF], None),
        (["report", str(BOCHUM), *AS_OF, "--debug"], None),
        (["--deb", "report", str(BOCHUM), *AS_OF], None),  # argparse's abbreviation
        (["report", str(BOCHUM), *AS_OF], "1"),
    ],
)
def test_debug_shows_the_traceback_and_still_exits_3(
    argv: list[str],
    env: str | None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if env is None:
        monkeypatch.delenv("FOERDERMITTEL_DEBUG", raising=False)
    else:
        monkeypatch.setenv("FOERDERMITTEL_DEBUG", env)
    _break(monkeypatch, "cli", "render_report", RuntimeError("kaputt\nzweite Zeile"))
    assert main(argv) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert "RuntimeError: kaputt\nzweite Zeile\n" in err
    assert err.endswith(
        f"{DEFECT}foerdermittel, kein Fehler in den Eingaben; bitte mit dem "
        "Aufruf und dem Traceback oben melden\n"
    )


def test_debug_before_the_command_is_not_undone_by_the_command() -> None:
    assert cli._parse(["--debug", "report", "x.toml"]).debug is True
    assert cli._parse(["report", "x.toml", "--debug"]).debug is True
    assert cli._parse(["report", "x.toml"]).debug is False


def test_a_defect_exits_3_from_the_interpreter_too(tmp_path: Path) -> None:
    script = (
        "import sys, foerdermittel.cli as cli\n"
        "def broken(*a, **k): raise RuntimeError('kaputt')\n"
        "cli.render_report = broken\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    for debug in ([], ["--debug"]):
        done = subprocess.run(
            [sys.executable, "-c", script, *debug, "report", str(BOCHUM), *AS_OF],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={**os.environ, "FOERDERMITTEL_DEBUG": ""},
        )
        assert done.returncode == 3, done.stderr
        assert done.stderr.splitlines()[-1].startswith("foerdermittel: interner Fehler: ")
        assert ("Traceback" in done.stderr) == bool(debug)


def test_ctrl_c_ends_with_130_and_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _break(monkeypatch, "cli", "evaluate", KeyboardInterrupt())
    assert main(["report", str(BOCHUM), *AS_OF]) == 130
    assert capsys.readouterr().err == "foerdermittel: abgebrochen\n"


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(capsys)
    codes = text.split("Exit-Status:\n", 1)[1]
    for code, words in [
        ("0", "in Ordnung"),
        ("1", "Feststellung der Schwere Fehler"),
        ("2", "Eingabe unbrauchbar"),
        ("3", "interner Fehler"),
        ("130", "mit Strg+C abgebrochen"),
        ("141", "der Leser einer Pipe"),
    ]:
        assert re.search(rf"^ *{code}  (eine )?{re.escape(words)}", codes, flags=re.MULTILINE), code
    assert "--debug" in text


# --- writing: only regular files, never an empty name -----------------------------------------

EMPTY_NAMES = [
    (["report", str(BOCHUM), "--xlsx", ""], "--xlsx"),
    (["report", str(BOCHUM), "--xlsx", " "], "--xlsx"),
    (["deadlines", str(BOCHUM), "--ics", ""], "--ics"),
    (["proof", str(BOCHUM), "--ledger", ""], "--ledger"),
    (["report", ""], "FALLDATEI"),
    (["interest", "1", "01.03.2024", "31.08.2024", "--base-rate-file", ""], "--base-rate-file"),
]


@pytest.mark.parametrize(("argv", "option"), EMPTY_NAMES)
def test_an_empty_file_name_is_a_usage_error(
    argv: list[str], option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert f"foerdermittel: Aufruf fehlerhaft: Argument {option}: leerer Dateiname" in err


def _fifo(tmp_path: Path) -> Path:
    os.mkfifo(tmp_path / "pipe")
    return tmp_path / "pipe"


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "ordner").mkdir()
    return tmp_path / "ordner"


def _link_to_null(tmp_path: Path) -> Path:
    (tmp_path / "null").symlink_to(os.devnull)
    return tmp_path / "null"


def _link_to_stdout(tmp_path: Path) -> Path:
    (tmp_path / "stdout").symlink_to("/dev/stdout")
    return tmp_path / "stdout"


TARGETS = [
    ("device", lambda _: Path(os.devnull), "das ist ein Gerät"),
    ("fifo", _fifo, "das ist eine Pipe (FIFO)"),
    ("folder", _folder, "das ist ein Ordner"),
    ("link to a device", _link_to_null, f"ein Verweis auf {os.devnull}, das ist ein Gerät"),
    ("link to stdout", _link_to_stdout, "ein Verweis auf /dev/stdout, "),
]


@pytest.mark.parametrize("option", ["--xlsx", "--ics"])
@pytest.mark.parametrize(("kind", "make", "reason"), TARGETS, ids=[t[0] for t in TARGETS])
def test_only_regular_files_are_written(
    option: str,
    kind: str,
    make: object,
    reason: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert callable(make)
    target: Path = make(tmp_path)
    before = target.lstat()
    command = "report" if option == "--xlsx" else "deadlines"
    assert main([command, str(BOCHUM), *AS_OF, option, str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"foerdermittel: {target}: nicht schreibbar: {reason}")
    assert err.endswith(
        f"; überschrieben werden nur gewöhnliche Dateien (Standardausgabe: {option} -)\n"
    )
    after = target.lstat()
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)


def test_a_link_to_a_file_writes_the_file(tmp_path: Path) -> None:
    real = tmp_path / "ablage" / "fristen.ics"
    real.parent.mkdir()
    real.write_bytes(b"alt")
    real.chmod(0o640)
    link = tmp_path / "fristen.ics"
    link.symlink_to(real)
    assert main(["deadlines", str(BOCHUM), *AS_OF, "--ics", str(link)]) == 0
    assert link.is_symlink()
    assert real.read_bytes() == ical.to_ics(_bochum_report())
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)


# --- what the user typed is shown, not executed ---------------------------------------------

HOSTILE = "\x1b]0;pwned\x07\x1b[31m\x9b2J\u202e"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[31m\\x9b2J\\u202e"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _hostile_case(tmp_path: Path) -> Path:
    text = BOCHUM.read_text(encoding="utf-8")
    escaped = json.dumps(HOSTILE)[1:-1]  # the TOML basic string escapes are JSON's
    text = re.sub(
        r'^(title|recipient|funder|name|note|notes|description) = "',
        lambda m: m.group(0) + escaped,
        text,
        flags=re.MULTILINE,
    )
    text = text.replace('file = "bochum-ledger.csv"', f'file = "{BOCHUM.parent}/bochum-ledger.csv"')
    path = tmp_path / "feindlich.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["report", *AS_OF],
        ["deadlines", *AS_OF],
        ["proof", *AS_OF],
        ["compare", *AS_OF],
        ["replan", "--phase", "A", "--new-end", "31.12.2023", "--as-of", "30.11.2022"],
    ],
    ids=lambda argv: argv[0],
)
def test_control_characters_in_the_case_are_shown_escaped(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = _hostile_case(tmp_path)
    assert main([argv[0], str(case), *argv[1:]]) in {0, 1}
    out, err = capsys.readouterr()
    assert RAW.search(out) is None, repr(RAW.search(out))
    assert RAW.search(err) is None
    if argv[0] != "replan":  # its text names only the phase and the lines, by id
        assert SHOWN in out


def test_the_report_titles_line_up_after_escaping(tmp_path: Path) -> None:
    report = fm.evaluate(
        attach_ledger(fm.load_case(_hostile_case(tmp_path)), base_dir=BOCHUM.parent),
        date(2025, 6, 30),
    )
    title, underline = render_report(report).splitlines()[:2]
    assert title.startswith(SHOWN)
    assert len(underline) == len(title)


def test_json_keeps_the_text_and_shows_no_control(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(_hostile_case(tmp_path)), *AS_OF, "--json"]) in {0, 1}
    out = capsys.readouterr().out
    assert RAW.search(out.replace("\n", "")) is None
    assert json.loads(out)["title"].startswith(HOSTILE)  # the data itself is unchanged


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["report", "\x1b[2Jfall.toml"], "\\x1b[2Jfall.toml"),
        (["report", str(BOCHUM), "\x1b[2J"], "\\x1b[2J"),
        (["compare", str(BOCHUM), "--scenario", "\x1b[2Jneu"], "\\x1b[2Jneu"),
        (["report", str(BOCHUM), "--as-of", "\x1b[2J"], "\\x1b[2J"),
    ],
)
def test_error_messages_show_what_was_typed_escaped(
    argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with contextlib.suppress(SystemExit):
        assert main(argv) == 2
    err = capsys.readouterr().err
    assert RAW.search(err) is None
    assert shown in err


def test_a_ledger_that_is_no_ledger_is_not_echoed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    assert main(["proof", str(BOCHUM), *AS_OF, "--ledger", str(secret)]) == 2
    err = capsys.readouterr().err
    assert "root:x" not in err
    assert "'Belegnummer', 'Zahlungsdatum', 'Betrag'" in err


# --- the README and the guide show the parser's command lines ---------------------------------


def _usage_words(line: str) -> set[str]:
    command = re.split(r"\s{2,}", line.strip())[0]  # two spaces or more begin the description
    words = re.findall(r"\[[^\[\]]*(?:\[[^\]]*\][^\[\]]*)*\]|\S+", command)  # one nesting
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


def test_a_file_option_without_a_name_writes_next_to_the_case_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    case = str(BOCHUM)
    assert main(["report", case, "--as-of", "30.06.2025", "--xlsx"]) in (0, 1)
    assert main(["deadlines", case, "--as-of", "30.06.2025", "--ics"]) in (0, 1)
    assert main(["abruf", case, "--as-of", "30.06.2025", "--next", "--xlsx"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["bochum-mpsc-abruf-9.xlsx", "bochum-mpsc.ics", "bochum-mpsc.xlsx"]
    err = capsys.readouterr().err
    assert "Arbeitsmappe geschrieben: bochum-mpsc.xlsx" in err
    assert "bochum-mpsc-abruf-9.xlsx" in err
