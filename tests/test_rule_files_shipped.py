"""The shipped rulebook files are read one by one, as they are asked for."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from foerdermittel import rules
from foerdermittel.errors import CaseError
from foerdermittel.rules import files
from foerdermittel.rules.files import (
    _head,
    _parsed,
    _read_text,
    shipped_edition,
    shipped_programme,
    shipped_rule_dir,
    shipped_rules,
)


def _forget() -> None:
    """Forget every shipped file read so far, and the registry built from them."""
    for cached in (
        files._shipped_index,
        files._shipped_file,
        shipped_rules,
        rules._editions,
        rules._programmes,
    ):
        cached.cache_clear()


@pytest.fixture
def forgetting() -> Iterator[None]:
    _forget()
    yield
    _forget()


@pytest.mark.parametrize("path", sorted(shipped_rule_dir().glob("*.toml")), ids=lambda p: p.stem)
def test_head_lines_name_what_the_parsed_file_says(path: Path) -> None:
    text = _read_text(path, str(path))
    table = _parsed(text, str(path))
    assert _head(text) == (table["id"], table["kind"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('schema_version = 1\nkind = "edition"\nid = "x"\n[a]\nid = "y"\n', ("x", "edition")),
        ('# id = "no"\nkind = "programme" # a call\nid = "p"\n', ("p", "programme")),
        ('kind = "edition"\nid = "a"\nid = "b"\n', None),  # twice: left to the parser
        ('kind = "edition"\nid = "a\\u0062"\n', None),  # an escape: left to the parser
        ("kind = 'edition'\nid = 'a'\n", None),  # literal strings: left to the parser
        ('kind = "edition"\n[x]\nid = "a"\n', None),  # no id before the first table
    ],
)
def test_head_reads_plain_lines_only(text: str, expected: tuple[str, str] | None) -> None:
    assert _head(text) == expected


@pytest.mark.usefixtures("forgetting")
def test_one_edition_and_its_programme_are_read_alone() -> None:
    edition = rules.get("anbest-gk-2019")
    programme = rules.get_programme("mpsc-2021")
    assert files._shipped_file.cache_info().currsize == 2
    assert shipped_rules.cache_info().currsize == 0
    every = shipped_rules()
    assert any(e is edition for e in every.editions)
    assert any(p is programme for p in every.programmes)
    assert rules.get("anbest-gk-2019") is edition


def test_an_id_of_the_other_kind_is_no_edition_nor_programme() -> None:
    assert shipped_edition("mpsc-2021") is None
    assert shipped_programme("anbest-gk-2019") is None
    assert shipped_edition(None) is None
    with pytest.raises(rules.UnknownRuleError, match="mpsc-2021"):
        rules.get("mpsc-2021")


@pytest.mark.usefixtures("forgetting")
def test_the_same_id_in_two_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in shipped_rule_dir().glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(tmp_path / "anbest-gk-2019.toml", tmp_path / "zz-copy.toml")
    monkeypatch.setattr(files, "shipped_rule_dir", lambda: tmp_path)
    with pytest.raises(CaseError, match="doppelt vergeben"):
        rules.get("anbest-gk-2019")
    with pytest.raises(CaseError, match=r"zz-copy\.toml"):
        shipped_rules()
