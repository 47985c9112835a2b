"""Loading a portfolio: the portfolio file, then every case file it names, with its ledger.

Everything is read before anything is evaluated, and all of it or nothing: a case file that is
missing or unreadable, a glob that matches nothing, a file named twice, two case files with
the same grant id — every such problem is collected, and loading fails once with all of them
(a ``CaseError`` naming the portfolio file, the entry and the case file). No portfolio is ever
built from part of its grants.
"""

from __future__ import annotations

import glob as globbing
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from foerdermittel.errors import CaseError, NotFoundError, Problem
from foerdermittel.io.case_file import attach_ledger, load_case, parse_table, read_text_file
from foerdermittel.model.case import Case, case_error_from_validation
from foerdermittel.portfolio.executors import MapsTasks, SubmitsTasks, TaskFailure, run_tasks
from foerdermittel.portfolio.model import (
    Appropriation,
    BudgetAssignment,
    City,
    GrantEntry,
    Owner,
    PortfolioFile,
)

__all__ = [
    "Portfolio",
    "PortfolioGrant",
    "load_portfolio",
    "portfolio_from_data",
    "portfolio_json_schema",
    "read_case_file",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PortfolioGrant(_Frozen):
    """One grant of the portfolio: its case, loaded, with its owner and budget assignment.

    Attributes:
        key: the grant's key in the portfolio — the grant id (Aktenzeichen) its case file
            names, unique within the portfolio.
        file: the case file as the portfolio names it (relative to the portfolio file, with
            ``/``; for a glob, the file it matched).
        entry: the index of the portfolio's entry that names it (``grants[entry]``).
        owner: who is in charge.
        budget: where its own share sits in the budget.
        recipient: the recipient the entry expects where it is not the city.
        case: the case, with its ledger's entries and its rule files read into it.
    """

    key: str
    file: str
    entry: int
    owner: Owner
    budget: BudgetAssignment
    recipient: str | None
    case: Case


class Portfolio(_Frozen):
    """Portfolio — all grants of a city, each with its case, owner and place in the budget.

    Load one with [`load_portfolio`][foerdermittel.portfolio.load_portfolio]; evaluate it
    with [`evaluate_portfolio`][foerdermittel.portfolio.evaluate_portfolio].

    Attributes:
        file: the portfolio file it was read from (``None`` for one built in Python).
        definition: the portfolio file's content, validated.
        grants: the grants in the order of the file (a glob's files in name order).

    Examples:
        >>> portfolio = load_portfolio("examples/portfolio/portfolio.toml")
        >>> portfolio.city.name, len(portfolio.grants)
        ('Stadt Bochum', 4)
        >>> portfolio.grant("MPSC-2021-BO (illustrativ)").budget.product
        '01.12.01'
    """

    file: str | None
    definition: PortfolioFile
    grants: tuple[PortfolioGrant, ...]

    @property
    def city(self) -> City:
        """The city."""
        return self.definition.city

    @property
    def title(self) -> str | None:
        """The portfolio's title."""
        return self.definition.title

    @property
    def appropriations(self) -> tuple[Appropriation, ...]:
        """The own share appropriated per budget year."""
        return self.definition.appropriations

    @property
    def keys(self) -> tuple[str, ...]:
        """The grants' keys (grant ids), in order."""
        return tuple(g.key for g in self.grants)

    def grant(self, key: str) -> PortfolioGrant:
        """The grant with the key (grant id) ``key``.

        Raises:
            NotFoundError: no grant has that key.
        """
        for item in self.grants:
            if item.key == key:
                return item
        raise NotFoundError("Förderfall", key, self.keys)

    def with_cases(self, cases: Mapping[str, Case]) -> Portfolio:
        """The portfolio with the cases of some grants replaced (a scenario applied to them).

        The keys stay: a replacing case keeps its grant's key even if its grant id differs.

        Raises:
            NotFoundError: a key that is no grant of the portfolio.
        """
        for key in cases:
            self.grant(key)
        grants = tuple(
            g.model_copy(update={"case": cases[g.key]}) if g.key in cases else g
            for g in self.grants
        )
        return self.model_copy(update={"grants": grants})


def portfolio_json_schema() -> dict[str, Any]:
    """The JSON schema of a portfolio file, with the German term in each field's description.

    Examples:
        >>> portfolio_json_schema()["title"]
        'Portfolio (foerdermittel)'
    """
    schema = PortfolioFile.model_json_schema(mode="validation")
    schema["title"] = "Portfolio (foerdermittel)"
    return schema


def portfolio_from_data(data: Mapping[str, Any], *, file: str | None = None) -> PortfolioFile:
    """Validate the content of a portfolio file.

    Raises:
        CaseError: every problem found, each naming field path and value.
    """
    try:
        return PortfolioFile.model_validate(data)
    except ValidationError as exc:
        raise case_error_from_validation(exc, file=file) from None


def load_portfolio(
    path: str | os.PathLike[str], executor: SubmitsTasks | MapsTasks | None = None
) -> Portfolio:
    """Load a portfolio file (``.toml`` or ``.json``) and every case file it names.

    Each case file is read as ``foerdermittel report`` reads it: the case with its rule files
    and Basiszinssatz file ([`load_case`][foerdermittel.io.case_file.load_case]), then the
    ledger it names ([`attach_ledger`][foerdermittel.io.case_file.attach_ledger]), relative to
    the case file. A glob's matches are taken in name order, without the portfolio file
    itself. With an ``executor`` (as for
    [`evaluate_portfolio`][foerdermittel.portfolio.evaluate_portfolio]) the case files are
    read in parallel ([`read_case_file`][foerdermittel.portfolio.loading.read_case_file]);
    the portfolio is the same.

    Raises:
        CaseError: the portfolio file cannot be used, or some of its grants cannot: every
            problem is listed, each naming the entry (``grants[2].file``), the case file and
            what is wrong with it; nothing is loaded in part.

    Examples:
        >>> portfolio = load_portfolio("examples/portfolio/portfolio.toml")
        >>> [g.file for g in portfolio.grants][:2]
        ['../bochum-mpsc.toml', 'kfw432-bochum.toml']
    """
    file = Path(path)
    name = str(path)
    suffix = file.suffix.lower()
    if suffix not in {".toml", ".json"}:
        raise CaseError.single(
            "", suffix or name, "unbekanntes Dateiformat; erwartet .toml oder .json", file=name
        )
    text = read_text_file(file, name)
    data = parse_table(text, fmt="toml" if suffix == ".toml" else "json", file=name)
    definition = portfolio_from_data(data, file=name)
    grants, problems = _load_grants(definition, file, executor)
    if problems:
        raise CaseError(problems, file=name)
    return Portfolio(file=name, definition=definition, grants=tuple(grants))


def _matches(
    entry: GrantEntry, index: int, base: Path, itself: Path
) -> tuple[list[str], list[Problem]]:
    """The case files an entry names, relative to ``base``; a glob without a match a problem."""
    if entry.file is not None:
        return [entry.file], []
    pattern = entry.glob or ""
    found = sorted(
        match
        for match in globbing.glob(pattern, root_dir=base, recursive=True)
        if (base / match).is_file() and (base / match).resolve() != itself
    )
    if not found:
        return [], [
            Problem(
                f"grants[{index}].glob",
                pattern,
                f"das Muster passt auf keine Falldatei (gesucht in {base})",
            )
        ]
    return [Path(match).as_posix() for match in found], []


def read_case_file(path: str) -> Case | tuple[Problem, ...]:
    """One case file with its rule files and ledger, as ``foerdermittel report`` reads it.

    The function an executor runs for each grant when a portfolio is loaded in parallel: its
    argument and its result pickle. A case that cannot be used comes back as its problems.

    Examples:
        >>> case = read_case_file("examples/portfolio/efre-bochum.toml")
        >>> case.grant.id, len(case.expenditures)
        ('EFRE-0400456 (illustrativ)', 30)
    """
    file = Path(path)
    if not file.exists():
        return (Problem("", path, f"Falldatei nicht gefunden (gesucht: {file})"),)
    try:
        return attach_ledger(load_case(file), base_dir=file.parent)
    except CaseError as exc:
        source = exc.file or path
        return tuple(
            Problem("", path, f"Falldatei nicht verwendbar — {source}: {p.render()}")
            for p in exc.problems
        )


def _load_grants(
    definition: PortfolioFile, file: Path, executor: SubmitsTasks | MapsTasks | None
) -> tuple[list[PortfolioGrant], list[Problem]]:
    base = file.parent
    itself = file.resolve()
    problems: list[Problem] = []
    wanted: list[tuple[int, str, str]] = []  # entry, case file as named, field
    where_file: dict[Path, tuple[int, str]] = {}
    for index, entry in enumerate(definition.grants):
        names, missing = _matches(entry, index, base, itself)
        problems.extend(missing)
        field = "file" if entry.file is not None else "glob"
        for name in names:
            resolved = (base / name).resolve()
            if resolved in where_file:
                first, first_name = where_file[resolved]
                problems.append(
                    Problem(
                        f"grants[{index}].{field}",
                        name,
                        f"Falldatei schon bei grants[{first}] eingetragen ({first_name}); "
                        "jeder Fall gehört zu einem Eintrag",
                    )
                )
                continue
            where_file[resolved] = (index, name)
            wanted.append((index, name, field))
    loaded = run_tasks(read_case_file, [(str(base / name),) for _, name, _ in wanted], executor)
    grants: list[PortfolioGrant] = []
    for (index, name, field), case in zip(wanted, loaded, strict=True):
        where = f"grants[{index}].{field}"
        if isinstance(case, TaskFailure):
            problems.append(
                Problem(where, name, f"Falldatei nicht geladen: {case.error}: {case.message}")
            )
            continue
        if not isinstance(case, Case):
            problems.extend(Problem(where, name, p.message) for p in case)
            continue
        entry = definition.grants[index]
        grants.append(
            PortfolioGrant(
                key=case.grant.id,
                file=name,
                entry=index,
                owner=entry.owner,
                budget=entry.budget,
                recipient=entry.recipient,
                case=case,
            )
        )
    seen: dict[str, PortfolioGrant] = {}
    for grant in grants:
        earlier = seen.get(grant.key)
        if earlier is None:
            seen[grant.key] = grant
            continue
        field = "file" if definition.grants[grant.entry].file is not None else "glob"
        problems.append(
            Problem(
                f"grants[{grant.entry}].{field}",
                grant.file,
                f"Aktenzeichen {grant.key!r} doppelt: dieselbe Zuwendung steht schon in "
                f"{earlier.file} (grants[{earlier.entry}]); jeder Bescheid gehört einmal ins "
                "Portfolio",
            )
        )
    return grants, problems
