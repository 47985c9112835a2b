"""Print the README's quick-start commands, one per line, exactly as written.

The quick start is the section headed "## Quick start"; each fenced ``sh`` block in it holds
one command. CI runs what this prints, so the README and CI cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_SECTION = re.compile(r"^## Quick start\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
_EXPECTED = 2


def main() -> int:
    """Print the commands; exit 2 when the quick start is not two one-line commands."""
    readme = Path(__file__).resolve().parent.parent / "README.md"
    section = _SECTION.search(readme.read_text(encoding="utf-8"))
    blocks = [b.strip() for b in _BLOCK.findall(section.group(1))] if section else []
    if len(blocks) != _EXPECTED or any("\n" in b or not b for b in blocks):
        print(
            f"README.md: the quick start must hold {_EXPECTED} one-line sh blocks, "
            f"found {blocks!r}",
            file=sys.stderr,
        )
        return 2
    print("\n".join(blocks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
