"""``python -m foerdermittel`` runs the command line."""

from foerdermittel.cli import main

raise SystemExit(main())
