"""``python -m foerdermittel.cli``: the command line."""

from foerdermittel.__main__ import run

raise SystemExit(run())
