"""Messages and subjects as data: what a result says, before any language gives it words.

[`Message`][foerdermittel.message_types.Message] and
[`Subject`][foerdermittel.message_types.Subject] are plain frozen values with no dependency:
findings, checks and deadlines hold them, and [`foerdermittel.messages`][foerdermittel.messages]
turns them into words of a language. A result that wants its German words for convenience
(``Finding.message``) asks [`words`][foerdermittel.message_types.words], which calls the
renderer that ``foerdermittel.messages`` registers when it is imported (``import
foerdermittel`` registers a stand-in that imports the catalogues on its first call; see
``foerdermittel._wording``) — so this module, and the errors module that uses it, never import
the catalogues.

Examples:
    >>> Message.of("finding.refund-due", refund=Decimal("13000.00")).params["refund"]
    Decimal('13000.00')
    >>> Subject("phase", "B")
    Subject(kind='phase', id='B')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

from foerdermittel._wording import register_renderer, renderer
from foerdermittel.frozen import FrozenMap

__all__ = [
    "NOTHING",
    "Message",
    "MessageField",
    "Param",
    "Subject",
    "SubjectField",
    "Worded",
    "message_json",
    "optional_words",
    "params_json",
    "register_renderer",
    "subject_json",
    "words",
]

Param: TypeAlias = "Decimal | int | str | dt.date | Message | Subject | tuple[Param, ...] | None"
"""What a message may carry: figures, names, and other messages for parts of a sentence."""


@dataclass(frozen=True, slots=True)
class Subject:
    """What a finding, a check or a deadline is about: a kind and the id of the thing.

    ``Subject("phase", "B")`` reads "Phase B", ``Subject("line", "B-3.2")`` "Ansatz B-3.2",
    ``Subject("vouchers")`` "Belegliste". Scripts compare the data (``subject.kind ==
    "phase"``); the words come from the catalogue (keys ``subject.<kind>``).

    Attributes:
        kind: what sort of thing: ``grant``, ``phase``, ``line``, ``payout``, ``year``,
            ``vouchers``, ``programme``, ``amendment``, ``calendar``, ``deadlines``, …
        id: which one: the phase, line, payout or amendment id, the year, the programme's
            title; empty where there is only one (the voucher list).
    """

    kind: str
    id: str = ""


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """A message as data: the catalogue key and the figures its words are built around.

    Build one with [`Message.of`][foerdermittel.message_types.Message.of]. The empty key
    renders as nothing: [`NOTHING`][foerdermittel.message_types.NOTHING] stands for an
    optional part of a sentence that does not apply.

    Attributes:
        key: the catalogue key, e.g. ``finding.refund-due``.
        params: the figures by name (read-only): amounts as ``Decimal``, days as ``date``,
            counts as ``int``, names as ``str``, parts of the sentence as messages.
    """

    key: str
    params: FrozenMap[str, Param]

    def __init__(self, key: str, params: Mapping[str, Param] | None = None) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", FrozenMap(params or {}))

    @classmethod
    def of(cls, key: str, /, **params: Param) -> Message:
        """A message with the key and the parameters given by name.

        Examples:
            >>> Message.of("finding.line-beyond-tolerance", line="B-3.2").key
            'finding.line-beyond-tolerance'
        """
        return cls(key, params)

    def __reduce__(self) -> tuple[type[Message], tuple[str, dict[str, Param]]]:
        return type(self), (self.key, dict(self.params))

    def __repr__(self) -> str:
        inner = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"Message.of({self.key!r}{inner})"


NOTHING = Message("")
"""The empty message: renders as no words at all."""


def words(item: Message | Subject, lang: str = "de") -> str:
    """The words of a message or subject, through the registered renderer.

    Examples:
        >>> words(Subject("vouchers")), words(Subject("vouchers"), "en")
        ('Belegliste', 'Voucher list')
    """
    return renderer()(item, lang)


def message_json(message: Message) -> dict[str, Any]:
    """A message as JSON data: its key and its parameters.

    Examples:
        >>> message_json(Message.of("x", amount=Decimal("1.50"), day=dt.date(2025, 6, 30)))
        {'key': 'x', 'params': {'amount': '1.50', 'day': '2025-06-30'}}
    """
    return {"key": message.key, "params": params_json(message.params)}


def subject_json(subject: Subject) -> dict[str, str]:
    """A subject as JSON data: ``{"kind": …, "id": …}``."""
    return {"kind": subject.kind, "id": subject.id}


def params_json(params: Mapping[str, Param]) -> dict[str, Any]:
    """A message's parameters as JSON values: amounts as strings, days ISO, parts nested.

    Examples:
        >>> params_json({"part": Message.of("x", n=2), "about": Subject("phase", "A")})
        {'part': {'key': 'x', 'params': {'n': 2}}, 'about': {'kind': 'phase', 'id': 'A'}}
    """
    return {name: _json(value) for name, value in params.items()}


def _json(value: Param) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Message):
        return message_json(value)
    if isinstance(value, Subject):
        return subject_json(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_json(item) for item in value]
    return value


def optional_words(message: Message, lang: str = "de") -> str | None:
    """The words of an optional part (a note, a remark); ``None`` for the empty message."""
    return words(message, lang) if message.key else None


MessageField: TypeAlias = Annotated[Message, PlainSerializer(message_json)]
"""A model field that holds a message: it dumps as its key and parameters (JSON data)."""

SubjectField: TypeAlias = Annotated[Subject, PlainSerializer(subject_json)]
"""A model field that holds a subject: it dumps as ``{"kind": …, "id": …}``."""


class Worded(BaseModel):
    """A frozen result whose texts are messages; a dump adds their words beside the data.

    A subclass names, in ``_words_in(lang)``, the words its dump carries under their
    readable names (``message``, ``subject``, ``title``, …); they are given in the language of
    the serialization context's ``lang`` (``model_dump(context={"lang": "en"})``), German by
    default. So JSON readers find the words where they always were, and the data beside them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    def _words_in(self, lang: str) -> dict[str, str | None]:
        return {}

    def _left_out_when_empty(self) -> tuple[str, ...]:
        """Fields a dump leaves out while empty (added later: dumps read as before)."""
        return ()

    @model_serializer(mode="wrap")
    def _with_words(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        for name in self._left_out_when_empty():
            if name in data and not data[name]:
                del data[name]
        context = info.context
        lang = str(context.get("lang", "de")) if isinstance(context, dict) else "de"
        data.update(self._words_in(lang))
        return data
