"""The documentation site builds strictly and its API reference renders the docstrings."""

from __future__ import annotations

import ast
import doctest
import html
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .common import ROOT

SRC = ROOT / "src"
API_PAGE = Path("reference") / "api" / "index.html"
ROLES = ("func", "class", "data", "meth", "attr", "mod", "exc", "obj")
_ROLE = r":(?:{}):".format("|".join(ROLES))
# A role left in a docstring shows as ":func:`x`", or after Markdown as ":func:<code>x</code>".
RAW_ROLE = re.compile(_ROLE + r"(?:`|<code|&lt;code)")
BARE_ROLE = re.compile(_ROLE)
_HEADING = re.compile(r'<h[1-6] id="[^"]*" class="doc doc-heading"')


@dataclass(frozen=True)
class Site:
    root: Path
    api: str  # the API page's <article>, the part generated from the docstrings


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    target = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    page = (target / API_PAGE).read_text(encoding="utf-8")
    article = page[page.index("<article") : page.index("</article>")]
    return Site(root=target, api=article)


def _section(article: str, anchor: str) -> str:
    """The HTML of one documented object, up to the next object's heading."""
    start = article.index(f'id="{anchor}"')
    following = _HEADING.search(article, start + 1)
    return article[start : following.start() if following else len(article)]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _code_text(article: str) -> str:
    """The text of every code block and inline code span, joined."""
    blocks = re.findall(r"<pre\b.*?</pre>|<code\b.*?</code>", article, flags=re.DOTALL)
    return "\n".join(_text(block) for block in blocks)


def _documented() -> list[str]:
    """The identifiers the API page renders (``::: foerdermittel.x``)."""
    text = (ROOT / "docs" / "reference" / "api.md").read_text(encoding="utf-8")
    return re.findall(r"^::: *(\S+)", text, flags=re.MULTILINE)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _docstrings(path: Path) -> list[tuple[str, str]]:
    """(dotted path, docstring) of the module and every public class, function and method."""
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                if child.name.startswith("_"):
                    continue
                name = f"{prefix}.{child.name}"
                docstring = ast.get_docstring(child, clean=True)
                if docstring:
                    found.append((name, docstring))
                visit(child, name)

    docstring = ast.get_docstring(tree, clean=True)
    if docstring:
        found.append((module, docstring))
    visit(tree, module)
    return found


def _rendered_examples() -> list[tuple[str, str]]:
    """(object, first source line) of every doctest example in a docstring the page renders."""
    documented = _documented()
    parser = doctest.DocTestParser()
    examples: list[tuple[str, str]] = []
    for path in sorted(SRC.rglob("*.py")):
        if any(part.startswith("_") and part != "__init__.py" for part in path.parts):
            continue
        for name, docstring in _docstrings(path):
            if not any(name == d or name.startswith(d + ".") for d in documented):
                continue
            for example in parser.get_examples(docstring):
                examples.append((name, example.source.splitlines()[0]))
    return examples


def test_the_site_builds_strictly(site: Site) -> None:
    assert (site.root / API_PAGE).is_file()
    assert 'id="foerdermittel.evaluation.evaluate"' in site.api


def test_no_rest_roles_are_shown(site: Site) -> None:
    leftovers = []
    for page in sorted(site.root.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for match in BARE_ROLE.finditer(text):
            leftovers.append(
                f"{page.relative_to(site.root)}: {text[match.start() : match.end() + 60]}"
            )
    assert not leftovers, "\n".join(leftovers)
    assert not RAW_ROLE.search(site.api)


def test_no_rest_roles_in_the_sources() -> None:
    files = [*SRC.rglob("*.py"), *(ROOT / "docs").rglob("*.md")]
    hits = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_ROLE.search(line)
    ]
    assert not hits, "\n".join(hits)


def test_cross_references_become_links(site: Site) -> None:
    section = _section(site.api, "foerdermittel.evaluation.evaluate")
    assert 'href="#foerdermittel.io.case_file.load_case"' in section
    module = _section(site.api, "foerdermittel.money")
    for target in ("cents", "floor_cents", "allocate"):
        assert f'href="#foerdermittel.money.{target}"' in module


def test_evaluate_returns_the_report_type(site: Site) -> None:
    section = _section(site.api, "foerdermittel.evaluation.evaluate")
    returns = section[section.index("Returns:") :]
    table = returns[: returns.index("</table>")]
    assert "<th>Name</th>" not in table
    assert not re.search(r"<td>\s*<code>\s*The\s*</code>\s*</td>", table)
    assert 'href="#foerdermittel.report.Report"' in table


def test_no_returns_section_names_its_value(site: Site) -> None:
    # A Google-style "Returns:" item read as "name: description" grows a Name column.
    tables = re.findall(r"Returns:</span></p>\s*<table>(.*?)</table>", site.api, flags=re.DOTALL)
    assert tables
    assert not [table for table in tables if "<th>Name</th>" in table]


def test_attributes_name_one_field_each(site: Site) -> None:
    # "a, b: ..." in an Attributes section renders "a," as the name and "b" as its type.
    names = re.findall(r'<td><code><span title="[^"]*">([^<]*)</span></code></td>', site.api)
    assert names
    assert not [name for name in names if "," in name or " " in name]


def test_doctest_examples_render_as_code(site: Site) -> None:
    examples = _rendered_examples()
    assert len({name for name, _ in examples}) >= 30, examples
    code = _code_text(site.api)
    missing = [f"{name}: {line}" for name, line in examples if f">>> {line}" not in code]
    assert not missing, "\n".join(missing)


def test_no_doctest_prompt_outside_code(site: Site) -> None:
    prose = re.sub(r"<pre\b.*?</pre>|<code\b.*?</code>", "", site.api, flags=re.DOTALL)
    assert "&gt;&gt;&gt;" not in prose
    assert ">>>" not in prose


def test_no_rest_tables_are_shown(site: Site) -> None:
    assert not re.search(r"={8,}\s+={8,}", _text(site.api))
