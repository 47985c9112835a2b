"""The rules in force for a grant: a shipped edition and programme, or the grant's own files.

A grant names a shipped rulebook and programme by id (``grant.rulebook``, ``grant.programme``)
or files of its own (``grant.rulebook_file``, ``grant.programme_file``), whose content
[`attach_rule_files`][foerdermittel.io.case_file.attach_rule_files] reads into
``grant.loaded_rulebook`` and ``grant.loaded_programme``.
"""

from __future__ import annotations

from collections.abc import Iterable

from foerdermittel import rules
from foerdermittel.errors import CaseError, Problem
from foerdermittel.frozen import IdentityMemo
from foerdermittel.model.grant import Grant
from foerdermittel.rules.model import Rulebook
from foerdermittel.rules.overrides import AppliedOverride, RuleOverride

__all__ = ["DEFAULT_RULEBOOK", "files_not_read", "resolve", "rulebook_id"]

DEFAULT_RULEBOOK = "anbest-gk-2019"
"""The edition of a grant that names none and belongs to no programme."""


def files_not_read(grant: Grant) -> list[Problem]:
    """The rulebook and programme files the grant names whose content is not read yet."""
    return [
        Problem(
            field,
            name,
            "Datei noch nicht gelesen: load_case liest sie relativ zur Falldatei "
            "(sonst io.attach_rule_files mit dem Ordner der Falldatei)",
        )
        for field, name, loaded in (
            ("grant.rulebook_file", grant.rulebook_file, grant.loaded_rulebook),
            ("grant.programme_file", grant.programme_file, grant.loaded_programme),
        )
        if name is not None and loaded is None
    ]


def _check_files_read(grant: Grant) -> None:
    problems = files_not_read(grant)
    if problems:
        raise CaseError(problems)


def rulebook_id(grant: Grant) -> str:
    """The id of the edition in force: the grant's own, its named one, the programme's usual.

    Raises:
        CaseError: a file the grant names is not read yet.
    """
    if grant.loaded_rulebook is not None:
        return grant.loaded_rulebook.id
    _check_files_read(grant)
    if grant.rulebook is not None:
        return grant.rulebook
    if grant.loaded_programme is not None:
        return grant.loaded_programme.default_rulebook
    if grant.programme is not None:
        return rules.get_programme(grant.programme).default_rulebook
    return DEFAULT_RULEBOOK


_RESOLVED: IdentityMemo[tuple[Rulebook, tuple[AppliedOverride, ...]]] = IdentityMemo(8)


def resolve(
    grant: Grant, overrides: Iterable[RuleOverride]
) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
    """The rulebook in force for ``grant`` with its overrides applied, and what they changed.

    The result is remembered for the last few grants and tuples of overrides (both immutable,
    kept by the memo, so an identity is never taken for another's): a case evaluated again, or
    a scenario that keeps the grant, gets the same rulebook without applying the overrides
    again.

    Raises:
        CaseError: a file the grant names is not read yet, an id is unknown
            (``UnknownRuleError``), or the overrides do not fit the rulebook.
    """
    if not isinstance(overrides, tuple):
        return _resolve(grant, overrides)
    found = _RESOLVED.get((grant, overrides))
    if found is not None:
        return found
    return _RESOLVED.put((grant, overrides), _resolve(grant, overrides))


def _resolve(
    grant: Grant, overrides: Iterable[RuleOverride]
) -> tuple[Rulebook, tuple[AppliedOverride, ...]]:
    if grant.loaded_rulebook is None and grant.loaded_programme is None:
        return rules.resolve(rulebook_id(grant), grant.programme, overrides)
    rulebook = grant.loaded_rulebook or rules.get(rulebook_id(grant))
    programme = grant.loaded_programme
    if programme is None and grant.programme is not None:
        programme = rules.get_programme(grant.programme)
    if programme is None:
        _check_files_read(grant)
    return rules.apply_overrides(rulebook.model_copy(update={"programme": programme}), overrides)
