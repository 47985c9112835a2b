"""``python -m foerdermittel.cli``: the command line."""

from foerdermittel.cli import main

raise SystemExit(main())
