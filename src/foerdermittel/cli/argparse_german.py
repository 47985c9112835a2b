"""argparse in German: its own texts translated, and its formatted messages translated back.

The table holds every ``_(...)`` and ``ngettext(...)`` text of argparse with its German words;
`_german` finds the English message argparse filled in
and puts the filled-in values into the German one.
"""

from __future__ import annotations

import re

__all__: list[str] = []


# argparse's own texts (every ``_(...)`` and ``ngettext(...)`` of the module) in German. The
# parser passes its own German strings where argparse asks for them (usage prefix, group titles,
# help of -h) and translates the messages argparse formats in English before they reach
# ``error``; argparse's module and other programs' parsers stay as they are.
_ARGPARSE_GERMAN: dict[str, str] = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "argument %(argument_name)s: %(message)s": "Argument %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "fehlende Argumente: %s",
    "one of the arguments %s is required": "eines der Argumente %s ist nötig",
    "unrecognized arguments: %s": "unbekannte Argumente: %s",
    "ambiguous option: %(option)s could match %(matches)s": (
        "mehrdeutige Option: %(option)s könnte %(matches)s sein"
    ),
    "expected one argument": "ein Wert fehlt",
    "expected at most one argument": "höchstens ein Wert erlaubt",
    "expected at least one argument": "mindestens ein Wert nötig",
    "expected %s argument": "%s Wert erwartet",
    "expected %s arguments": "%s Werte erwartet",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ungültige Auswahl: %(value)r (möglich: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "not allowed with argument %s": "nicht zusammen mit Argument %s erlaubt",
    "ignored explicit argument %r": "nimmt keinen Wert an, erhalten: %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "unbekannter Befehl %(parser_name)r (möglich: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "'%(filename)s' lässt sich nicht öffnen: %(error)s",
    'argument "-" with mode %r': 'Argument "-" im Modus %r',
    "unexpected option string: %s": "unerwartete Option: %s",
    "cannot have multiple subparser arguments": "nur eine Gruppe von Befehlen möglich",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    # Mistakes in building a parser, not in calling it; translated for completeness.
    "conflicting option string: %s": "Option doppelt vergeben: %s",
    "conflicting option strings: %s": "Optionen doppelt vergeben: %s",
    "conflicting subparser: %s": "Befehl doppelt vergeben: %s",
    "conflicting subparser alias: %s": "Befehlsalias doppelt vergeben: %s",
    ".__call__() not defined": ".__call__() nicht definiert",
    "'required' is an invalid argument for positionals": (
        "'required' ist für Argumente ohne Option nicht zulässig"
    ),
    "mutually exclusive arguments must be optional": (
        "einander ausschließende Argumente müssen Optionen sein"
    ),
    "%r is not callable": "%r ist nicht aufrufbar",
    "cannot merge actions - two groups are named %r": (
        "Aktionen nicht zusammenführbar: zwei Gruppen heißen %r"
    ),
    "invalid option string %(option)r: must start with a character %(prefix_chars)r": (
        "ungültige Option %(option)r: muss mit einem Zeichen aus %(prefix_chars)r beginnen"
    ),
    "dest= is required for options like %r": "dest= ist nötig für Optionen wie %r",
    "invalid conflict_resolution value: %r": "ungültiger Wert für conflict_resolution: %r",
}

_PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[sr]")


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regular expression that matches ``msgid`` once argparse has filled it in."""
    parts: list[str] = []
    position = 0
    for count, match in enumerate(_PLACEHOLDER.finditer(msgid)):
        parts.append(re.escape(msgid[position : match.start()]))
        parts.append(f"(?P<{match.group(1) or f'_{count}'}>.+?)")
        position = match.end()
    parts.append(re.escape(msgid[position:]))
    return re.compile("".join(parts), re.DOTALL)


_TRANSLATIONS = [
    (_pattern(msgid), german)
    for msgid, german in sorted(_ARGPARSE_GERMAN.items(), key=lambda item: -len(item[0]))
    if _PLACEHOLDER.search(msgid)
]


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` with the texts argparse had put into the English message."""
    unnamed = iter(value for name, value in values.items() if name.startswith("_"))

    def value(placeholder: re.Match[str]) -> str:
        name = placeholder.group(1)
        return values[name] if name else next(unnamed)

    return _PLACEHOLDER.sub(value, template)


def _german(message: str) -> str:
    """A message argparse wrote in English, in German; any other message stays as it is."""
    if message in _ARGPARSE_GERMAN:
        return _ARGPARSE_GERMAN[message]
    for pattern, german in _TRANSLATIONS:
        match = pattern.fullmatch(message)
        if match is not None:
            values = match.groupdict()
            if "message" in values:  # "argument --as-of: <argparse's or our own message>"
                values["message"] = _german(values["message"])
            return _fill(german, values)
    return message
