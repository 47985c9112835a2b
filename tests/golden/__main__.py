"""Regenerate the golden files: ``PYTHONPATH=src python -m tests.golden`` (from the checkout)."""

from __future__ import annotations

import sys

from tests.golden import FILES, GOLDEN_DIR, update


def main() -> int:
    """Write the files that changed and name them; stale files are named, not deleted."""
    written = update()
    for name in written:
        print(f"written: {GOLDEN_DIR / name}")
    print(f"{len(written)} of {len(FILES)} golden files changed")
    stored = {path.name for path in GOLDEN_DIR.iterdir() if path.is_file()}
    stale = sorted(stored - set(FILES) - {"__init__.py", "__main__.py"})
    for name in stale:
        print(f"no longer rendered, delete it: {GOLDEN_DIR / name}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
