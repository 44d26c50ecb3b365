#!/usr/bin/env python3
"""Run every benchmark in bench/ (files named bench_*.py, each with a main() printing results).

Benchmarks measure speed; tests never assert a wall-clock time. Each benchmark sets Django up
itself, against a throw-away SQLite database unless DATABASE_URL says otherwise.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    benchmarks = sorted(HERE.glob("bench_*.py"))
    if not benchmarks:
        print("No benchmarks yet.")
        return 0
    for path in benchmarks:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        assert spec.loader is not None
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
