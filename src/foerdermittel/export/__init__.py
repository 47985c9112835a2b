"""Exports of a finished report (renderers only read a :class:`~foerdermittel.Report`)."""
