"""Dispatch at scale: 100,000 reminders due in one minute on PostgreSQL, with
2, 4 and 8 `wayfinder worker` processes, against the local fake push service
answering each push after 50 ms (a realistic push-service round trip).

Each round starts from an empty database in its own throwaway PostgreSQL
cluster (so the database time counted is this benchmark's alone) and prints
push_bench.py's figures; a summary table ends the run. docs/capacity.md is
worked out from these figures. On a 2-core machine the three rounds take
about ten minutes. Options: --n, --workers 2,4,8, --latency-ms.

    .venv/bin/python tests/benchmarks/dispatch_scale_bench.py
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from push_bench import measure

from server.config import defaults


def main() -> int:
    """Run one round per dispatcher count; print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", default="2,4,8")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--timeout", type=int, default=600)
    options = parser.parse_args()
    os.environ.pop("TEST_POSTGRES_URL", None)  # a cluster of its own, measured alone
    rows = []
    for count in (int(x) for x in options.workers.split(",")):
        print(f"\n--- {count} dispatchers ---", flush=True)
        args = argparse.Namespace(
            n=options.n,
            db="postgres",
            workers=count,
            batch=defaults()["DISPATCH_BATCH_SIZE"],
            concurrency=defaults()["DISPATCH_CONCURRENCY"],
            verify=False,
            lead=30,
            timeout=options.timeout,
            latency_ms=options.latency_ms,
            crypto_seconds=2.0,
        )
        rows.append(measure(args))
    print(
        f"\nsummary: {options.n} due in one minute, {options.latency_ms:g} ms answers"
    )
    print("dispatchers  delivered  per s  p50 s  p99 s  dispatcher CPU ms  db CPU ms")
    for row in rows:
        if "rate" not in row:
            print("  (a round delivered nothing)")
            continue
        db_ms = f"{row['db_ms']:.3f}" if row["db_ms"] is not None else "n/a"
        print(
            f"{row['workers']:>11}  {row['delivered']:>9}  {row['rate']:>5.0f}  "
            f"{row['p50']:>5.1f}  {row['p99']:>5.1f}  {row['dispatcher_ms']:>17.3f}  "
            f"{db_ms:>9}"
        )
    return max(row["status"] for row in rows)


if __name__ == "__main__":
    sys.exit(main())
