"""What the benchmarks share: the machine line of a table, appending a table to docs/benchmarks.md,
and where the real PTV catalog of ../shared is."""

from __future__ import annotations

import os
import platform
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "docs" / "benchmarks.md"
REAL_NAMES_CATALOG = ROOT.parent / "shared" / "data" / "ptv-real-names" / "catalog"


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores"


def append(lines: Iterable[str]) -> None:
    """Append a table (its lines) to docs/benchmarks.md."""
    with BENCHMARKS.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(lines) + "\n")
