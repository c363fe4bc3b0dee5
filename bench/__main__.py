"""``python -m bench <name> [args]`` (``make bench ARGS="api"``)."""

from __future__ import annotations

import importlib
import sys

BENCHES = {"api": "bench.api_requests", "banshi": "bench.banshi", "push-delivery": "bench.push_delivery",
           "push": "bench.push_scan", "profile": "bench.profile_requests", "memory": "bench.memory"}


def main() -> None:
    name = sys.argv[1] if len(sys.argv) > 1 else "api"
    if name not in BENCHES:
        raise SystemExit(f"unknown bench {name!r}; choose from {', '.join(BENCHES)}")
    importlib.import_module(BENCHES[name]).main(sys.argv[2:])


if __name__ == "__main__":
    main()
