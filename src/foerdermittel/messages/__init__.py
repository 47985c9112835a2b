r"""Messages as data, words from catalogues: one catalogue per language.

A calculator never writes a sentence. It states what it found as a
[`Message`][foerdermittel.messages.Message] — a key and the figures that belong to it (amounts
as ``Decimal``, days as ``date``, counts as ``int``, names as ``str``, other messages for the
parts of a sentence) — and what it is about as a [`Subject`][foerdermittel.messages.Subject].
The words come in at the edge: [`render`][foerdermittel.messages.render] looks the key up in the
catalogue of the language asked for and fills in the figures, formatted for that language
through babel. German (``de``) is the default; the English catalogue (``en``) serves reports to
funders that work in English (EU programmes, JEMS).

The catalogues are TOML files in ``foerdermittel/messages/<language>/``: every table nests
keys (``[finding]`` with ``refund-due = "…"`` is the key ``finding.refund-due``); a value is a
template in the syntax of ``str.format`` whose fields name how a figure is shown:

| field | German | English |
|---|---|---|
| ``{amount:money}`` | ``9.880.000,00 €`` | ``€9,880,000.00`` |
| ``{day:date}`` | ``30.06.2025`` | ``2025-06-30`` |
| ``{day:weekday}`` | ``Mo., 30.06.2025`` | ``Mon, 2025-06-30`` |
| ``{rate:percent}`` | ``62,5 %`` | ``62.5%`` |
| ``{count:number}`` | ``3.871`` | ``3,871`` |
| ``{items:list}`` | items joined with ``, `` | the same |
| ``{part}`` | text, a message or a subject rendered in place | the same |

A value may instead be a table ``{ one = "…", other = "…" }``: the form is chosen by the
parameter ``count`` under the language's plural rules. The ``[language]`` table of a
catalogue names its babel locale and its date patterns. Every catalogue has the same keys with
the same fields; the test suite checks that.

Examples:
    >>> from decimal import Decimal
    >>> refund = Message.of("finding.final-instalment-due", projected=NOTHING,
    ...                     amount=Decimal("432060.35"))
    >>> render(refund)
    'nach Abrechnung noch auszuzahlen 432.060,35\xa0€'
    >>> render(refund, "en")
    'still to be paid after the final account: €432,060.35'
    >>> render(Subject("line", "B-3.2")), render(Subject("line", "B-3.2"), "en")
    ('Ansatz B-3.2', 'Line B-3.2')
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, TypeAlias

from foerdermittel import fmt
from foerdermittel.errors import NotFoundError
from foerdermittel.frozen import FrozenMap
from foerdermittel.message_types import NOTHING, Message, Param, Subject, register_renderer

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "NOTHING",
    "Language",
    "Message",
    "Param",
    "Subject",
    "Words",
    "catalogue",
    "language",
    "render",
]

DEFAULT_LANGUAGE = "de"
LANGUAGES = ("de", "en")
"""The languages with a catalogue; the first is the default."""

Template: TypeAlias = "str | Mapping[str, str]"


@dataclass(frozen=True)
class Language:
    """A language with a catalogue: its babel locale and how it writes dates.

    Attributes:
        code: ``de`` or ``en``.
        locale: the babel locale the figures are formatted in, e.g. ``de_DE``.
        date_pattern: the CLDR pattern of a date, e.g. ``dd.MM.yyyy``.
        weekday_pattern: the CLDR pattern of a date with its weekday.
    """

    code: str
    locale: str
    date_pattern: str
    weekday_pattern: str


@dataclass(frozen=True)
class _Catalogue:
    language: Language
    entries: FrozenMap[str, Template]


_PLURAL_FORMS = frozenset({"zero", "one", "two", "few", "many", "other"})


def _flatten(table: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Template]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, Mapping) and set(value) <= _PLURAL_FORMS:
            yield name, FrozenMap(value)
        else:
            yield from _flatten(value, f"{name}.")


@cache
def catalogue(code: str = DEFAULT_LANGUAGE) -> FrozenMap[str, Template]:
    """Every entry of a language's catalogue by key (read once from the package's files).

    Raises:
        NotFoundError: for a language without a catalogue.

    Examples:
        >>> catalogue("en")["severity.error"]
        'Error'
    """
    return _load(code).entries


@cache
def _load(code: str) -> _Catalogue:
    if code not in LANGUAGES:
        raise NotFoundError("Sprache", code, LANGUAGES)
    folder = resources.files(__name__).joinpath(code)
    entries: dict[str, Template] = {}
    header: Mapping[str, str] = {}
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if not item.name.endswith(".toml"):
            continue
        table = tomllib.loads(item.read_text(encoding="utf-8"))
        header = table.pop("language", header)
        for key, template in _flatten(table):
            entries.setdefault(key, template)  # the suite checks that no key is written twice
    lang = Language(code, header["locale"], header["date"], header["weekday"])
    return _Catalogue(lang, FrozenMap(entries))


def language(code: str = DEFAULT_LANGUAGE) -> Language:
    """The locale and date patterns of a language.

    Examples:
        >>> language("en").locale
        'en_GB'
    """
    return _load(code).language


_SPECS = ("money", "date", "weekday", "percent", "number", "list")


class _Formatter(string.Formatter):
    def __init__(self, code: str) -> None:
        self.code = code
        self.lang = language(code)

    def format_field(self, value: Any, format_spec: str) -> str:
        lang = self.lang
        if format_spec == "money":
            return fmt.money(value, lang.locale)
        if format_spec == "date":
            return fmt.date(value, lang.locale, lang.date_pattern)
        if format_spec == "weekday":
            return fmt.weekday_date(value, lang.locale, lang.weekday_pattern)
        if format_spec == "percent":
            return fmt.percent(value, lang.locale)
        if format_spec == "number":
            return fmt.number(value, lang.locale)
        if format_spec == "list":
            return ", ".join(self.format_field(item, "") for item in value)
        if format_spec:
            raise NotFoundError("Formatangabe", format_spec, _SPECS)
        if isinstance(value, Message):
            return render(value, self.code)
        if isinstance(value, Subject):
            return render(value, self.code)
        if isinstance(value, dt.date):
            return fmt.date(value, lang.locale, lang.date_pattern)
        if isinstance(value, bool):  # pragma: no cover - messages carry no flags
            return str(value)
        if isinstance(value, int):
            return str(value)  # a count as written; ``{n:number}`` for thousands separators
        if isinstance(value, tuple):
            return ", ".join(self.format_field(item, "") for item in value)
        return "" if value is None else str(value)


def _template(code: str, key: str, params: Mapping[str, Param]) -> str:
    entries = catalogue(code)
    try:
        template = entries[key]
    except KeyError:
        raise NotFoundError("Textbaustein", key, tuple(entries)) from None
    if isinstance(template, str):
        return template
    count = params.get("count")
    from babel import Locale

    form = Locale.parse(language(code).locale).plural_form(count if isinstance(count, int) else 0)
    return template.get(form) or template["other"]


def render(item: Message | Subject, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words of a message or a subject in a language (German by default).

    Raises:
        NotFoundError: for a language without a catalogue or a key the catalogue lacks.
    """
    if isinstance(item, Subject):
        return _Formatter(lang).format(_template(lang, f"subject.{item.kind}", {}), id=item.id)
    if not item.key:
        return ""
    template = _template(lang, item.key, item.params)
    return _Formatter(lang).vformat(template, (), dict(item.params))


class Words:
    r"""The words and the figures of one language, for a renderer.

    A renderer takes ``lang`` and builds one ``Words``: ``words("report.stichtag")`` is a
    catalogue entry, ``words.of(finding.text)`` a message, ``words.money(x)`` an amount the way
    the language writes it.

    Examples:
        >>> en = Words("en")
        >>> en("severity.warning"), en.money(Decimal("1234.5")), en.date(dt.date(2025, 6, 30))
        ('Warning', '€1,234.50', '2025-06-30')
        >>> Words().percent(Decimal("0.65"))
        '65\xa0%'
    """

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = lang
        self.language = language(lang)

    def __call__(self, key: str, /, **params: Param) -> str:
        """The catalogue entry ``key`` with ``params`` filled in."""
        return render(Message(key, params), self.lang)

    def of(self, item: Message | Subject) -> str:
        """A message's or a subject's words."""
        return render(item, self.lang)

    def money(self, amount: Decimal) -> str:
        """An amount in euros."""
        return fmt.money(amount, self.language.locale)

    def date(self, day: dt.date) -> str:
        """A date."""
        return fmt.date(day, self.language.locale, self.language.date_pattern)

    def weekday(self, day: dt.date) -> str:
        """A date with its weekday."""
        return fmt.weekday_date(day, self.language.locale, self.language.weekday_pattern)

    def percent(self, rate: Decimal) -> str:
        """A rate (0.65) as a percentage."""
        return fmt.percent(rate, self.language.locale)

    def number(self, value: int) -> str:
        """A whole number with the language's thousands separator."""
        return fmt.number(value, self.language.locale)


register_renderer(render)
