"""Exports of a finished report (renderers only read a [`Report`][foerdermittel.report.Report])."""
