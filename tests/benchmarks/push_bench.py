"""Reminder dispatch benchmark: N reminders due in the same minute.

N subscriptions (default 10,000) each have a reminder at the same local
minute. Real `wayfinder worker` processes send them to a local fake push
service (tests/push_fake.py, in its own process). Printed:

* notifications per second, and lateness after the minute (p50, p99, max);
* CPU per notification (dispatcher processes, and the whole machine);
* PostgreSQL's CPU per notification (the database time), on PostgreSQL;
* the machine's bound for the cryptography alone (pywebpush encryption plus
  a VAPID signature per message, in a loop) and the ratio to it;
* whether all N arrived within the minute.

Examples::

    .venv/bin/python tests/benchmarks/push_bench.py
    .venv/bin/python tests/benchmarks/push_bench.py --db postgres --workers 2
    .venv/bin/python tests/benchmarks/push_bench.py --n 100000 --db postgres

tests/benchmarks/dispatch_scale_bench.py runs it at 100,000 on PostgreSQL with
2, 4 and 8 dispatchers.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import pg_cluster  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from flask import Flask  # noqa: E402
from py_vapid import Vapid02  # noqa: E402
from pywebpush import WebPusher  # noqa: E402
from sqlalchemy import create_engine, insert, make_url, text, update  # noqa: E402

from server import push  # noqa: E402
from server.config import DEFAULT_PUSH_SERVICES, defaults  # noqa: E402
from server.push import db, payload  # noqa: E402
from server.push.models import Reminder, Subscription  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")


def b64(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def crypto_bound(seconds: float) -> dict[str, float]:
    """Time pywebpush encryption + a VAPID signature per message, in a loop."""
    receiver = ec.generate_private_key(ec.SECP256R1())
    info = {
        "endpoint": "https://fcm.googleapis.com/fcm/send/x",
        "keys": {
            "p256dh": b64(
                receiver.public_key().public_bytes(
                    serialization.Encoding.X962,
                    serialization.PublicFormat.UncompressedPoint,
                )
            ),
            "auth": b64(os.urandom(16)),
        },
    }
    signer = Vapid02(private_key=ec.generate_private_key(ec.SECP256R1()))
    body = payload.build("breathe", base_url="https://wayfinder.example", tag="wf-x")
    count, encode_time, sign_time = 0, 0.0, 0.0
    started = time.process_time()
    while time.process_time() - started < seconds:
        t0 = time.process_time()
        WebPusher(info).encode(body, "aes128gcm")
        t1 = time.process_time()
        signer.sign(
            {
                "aud": "https://fcm.googleapis.com",
                "exp": int(time.time()) + 43200,
                "sub": "mailto:ops@example.org",
            }
        )
        t2 = time.process_time()
        encode_time += t1 - t0
        sign_time += t2 - t1
        count += 1
    return {
        "encrypt_ms": 1000 * encode_time / count,
        "sign_ms": 1000 * sign_time / count,
        "per_core": count / (encode_time + sign_time),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def machine_cpu_seconds() -> float:
    """Busy CPU seconds of the whole machine since boot (all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / CLK_TCK


def postgres_cpu(port: int) -> float | None:
    """CPU seconds of the PostgreSQL server on this port: the postmaster, its
    live backends, and the backends it has reaped (its children's time)."""
    master = None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if argv and argv[0].endswith(b"/postgres") and f"{port}".encode() in argv:
            master = int(entry.name)
            break
    if master is None:
        return None
    fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
    total = sum(int(x) for x in fields[11:15]) / CLK_TCK
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == master:
            total += (int(stat[11]) + int(stat[12])) / CLK_TCK
    return total


class Process:
    """A subprocess whose output is read in the background."""

    def __init__(self, command: list[str], env: dict[str, str], marker: str) -> None:
        """Start it; ``marker`` in a line means it is ready."""
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.marker = marker
        self.proc = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Collect lines."""
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip())
            if self.marker in line:
                self.ready.set()

    def wait_ready(self, timeout: float = 120) -> None:
        """Wait for the marker."""
        if not self.ready.wait(timeout):
            raise SystemExit("not ready:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        """Terminate, then kill if needed."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def fetch(url: str) -> dict[str, Any]:
    """GET JSON."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def make_app(instance: Path, database_url: str | None, origin: str) -> Flask:
    """The push area alone (schema, VAPID key), as the workers will see it."""
    app = Flask("push_bench", instance_path=str(instance))
    app.config.update(defaults())
    app.config.update(
        INSTANCE_PATH=instance,
        DATABASE_URL=database_url,
        PUSH_SERVICES=(*DEFAULT_PUSH_SERVICES, origin),
    )
    if database_url:  # PostgreSQL is migrated as a step (`wayfinder migrate`)
        engine = db.make_engine(database_url)
        db.migrate(engine)
        engine.dispose()
    push.init_app(app)
    return app


def insert_subscriptions(
    app: Flask, n: int, origin: str, p256dh: str, auth: str
) -> None:
    """N subscriptions with one reminder each (not yet scheduled)."""
    engine = push.state(app).engine
    now = int(time.time())
    chunk = 5000
    with engine.begin() as conn:
        for start in range(0, n, chunk):
            subs, rems = [], []
            for i in range(start, min(n, start + chunk)):
                endpoint = f"{origin}/push/{i}"
                sub_id = f"bench{i:08d}"
                subs.append(
                    {
                        "id": sub_id,
                        "token_hash": hashlib.sha256(sub_id.encode()).hexdigest(),
                        "endpoint": endpoint,
                        "endpoint_hash": hashlib.sha256(endpoint.encode()).hexdigest(),
                        "push_origin": origin,
                        "p256dh": p256dh,
                        "auth": auth,
                        "app_origin": "https://wayfinder.example",
                        "timezone": "UTC",
                        "quiet_start": None,
                        "quiet_end": None,
                        "discreet": True,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                rems.append(
                    {
                        "subscription_id": sub_id,
                        "position": 0,
                        "kind": "breathe",
                        "minute": 0,
                        "days": 127,
                        "text": None,
                        "next_due_at": None,
                    }
                )
            conn.execute(insert(Subscription.__table__), subs)
            conn.execute(insert(Reminder.__table__), rems)


def report_database(before: float | None, after: float | None, n: int) -> float | None:
    """Print and return PostgreSQL's CPU milliseconds per notification."""
    if before is None or after is None:
        return None
    db_ms = 1000 * (after - before) / n
    print(
        f"database time per notification: {db_ms:.3f} ms of PostgreSQL CPU "
        f"({after - before:.1f} s in the server's processes)"
    )
    return db_ms


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def run(args: argparse.Namespace) -> int:
    """Set up, send, measure, print; exit status."""
    return measure(args)["status"]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Set up, send, measure, print; return the figures (and an exit status)."""
    cores = os.cpu_count() or 1
    print(f"push benchmark: N={args.n}, db={args.db}, workers={args.workers}, "
          f"batch={args.batch}, concurrency={args.concurrency}, "
          f"push service latency={args.latency_ms:g} ms, "
          f"verify={'yes' if args.verify else 'no'}, cores={cores}")  # fmt: skip
    bound = crypto_bound(args.crypto_seconds)
    print(
        f"crypto bound: encrypt {bound['encrypt_ms']:.3f} ms + VAPID sign "
        f"{bound['sign_ms']:.3f} ms = {bound['per_core']:.0f}/s per core, "
        f"{bound['per_core'] * cores:.0f}/s on {cores} cores"
    )
    with ExitStack() as stack:
        work = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="pushbench-"))
        )
        instance = work / "instance"
        database_url = None
        if args.db == "postgres":
            server = os.environ.get("TEST_POSTGRES_URL") or stack.enter_context(
                pg_cluster.throwaway_cluster()
            )
            admin = create_engine(server, isolation_level="AUTOCOMMIT")
            name = f"pushbench_{os.getpid()}"
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
                conn.execute(text(f"CREATE DATABASE {name}"))
            database_url = server.rsplit("/", 1)[0] + "/" + name
        receiver = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        env = {k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")}
        env["PYTHONPATH"] = str(ROOT)
        fake_command = [sys.executable, str(ROOT / "tests" / "push_fake.py")]
        if args.verify:
            keyfile = work / "receiver.json"
            keyfile.write_text(
                json.dumps(
                    {
                        "pem": receiver.private_bytes(
                            serialization.Encoding.PEM,
                            serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption(),
                        ).decode(),
                        "auth": b64(auth),
                    }
                )
            )
            fake_command += ["--verify", str(keyfile)]
        else:
            fake_command += ["--latency-ms", str(args.latency_ms)]
        fake = Process(fake_command, env, "")
        stack.callback(fake.stop)
        deadline = time.monotonic() + 30
        while not fake.lines and time.monotonic() < deadline:
            time.sleep(0.05)
        origin = f"http://127.0.0.1:{fake.lines[0].strip()}"

        app = make_app(instance, database_url, origin)
        public = receiver.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        t0 = time.monotonic()
        insert_subscriptions(app, args.n, origin, b64(public), b64(auth))
        print(f"set-up: {args.n} subscriptions stored in {time.monotonic() - t0:.1f} s")

        worker_env = {
            **env,
            "WAYFINDER_INSTANCE_PATH": str(instance),
            "WAYFINDER_PUSH_SERVICES": ",".join((*DEFAULT_PUSH_SERVICES, origin)),
            "WAYFINDER_DISPATCH_BATCH_SIZE": str(args.batch),
            "WAYFINDER_DISPATCH_CONCURRENCY": str(args.concurrency),
            "WAYFINDER_DISPATCH_POLL_SECONDS": "1",
            "WAYFINDER_LOG_LEVEL": "INFO",
        }
        if database_url:
            worker_env["WAYFINDER_DATABASE_URL"] = database_url
        workers = [
            Process([sys.executable, "-m", "server", "worker"], worker_env, " ready")
            for _ in range(args.workers)
        ]
        for worker in workers:
            stack.callback(worker.stop)
        for worker in workers:
            worker.wait_ready()

        # Everyone's reminder falls due at the next whole minute after the lead.
        slot = (int(time.time()) + args.lead) // 60 * 60 + 60
        with push.state(app).engine.begin() as conn:
            conn.execute(
                update(Reminder.__table__).values(
                    next_due_at=slot, minute=(slot % 86400) // 60
                )
            )
        due = time.strftime("%H:%M:%S", time.gmtime(slot))
        print(f"all {args.n} reminders due at {due} UTC, in {slot - time.time():.0f} s")
        pg_port = make_url(database_url).port if database_url else None
        db_before = postgres_cpu(pg_port) if pg_port else None
        cpu_before = sum(cpu_seconds(w.proc.pid) for w in workers)
        fake_cpu_before = cpu_seconds(fake.proc.pid)
        machine_before = machine_cpu_seconds()
        wall_before = time.time()
        limit = slot + args.timeout
        count = 0
        while time.time() < limit:
            count = fetch(origin + "/_count")["count"]
            if count >= args.n:
                break
            time.sleep(0.25)
        done = time.time()
        cpu = sum(cpu_seconds(w.proc.pid) for w in workers) - cpu_before
        fake_cpu = cpu_seconds(fake.proc.pid) - fake_cpu_before
        db_after = postgres_cpu(pg_port) if pg_port else None
        machine = machine_cpu_seconds() - machine_before
        stats = fetch(origin + "/_stats")
        arrivals = stats["arrivals"]
        if not arrivals:
            print("nothing arrived")
            return {"status": 1}
        lateness = [a - slot for a in arrivals]
        first, last = min(arrivals), max(arrivals)
        rate = len(arrivals) / max(last - first, 1e-9)
        refused = f" ({stats['problem_count']} refused)" if args.verify else ""
        per_minute = len(arrivals) / max(last - slot, 1e-9)
        print(f"delivered: {len(arrivals)} of {args.n}{refused}")
        print(
            f"sending rate: {rate:.0f} notifications/s from first to last arrival; "
            f"{per_minute:.0f}/s counted from the minute"
        )
        print(
            f"lateness after the minute: min {min(lateness):.2f} s, "
            f"p50 {percentile(lateness, 50):.2f} s, "
            f"p99 {percentile(lateness, 99):.2f} s, max {max(lateness):.2f} s"
        )
        n = len(arrivals)
        print(
            f"CPU per notification: dispatcher {1000 * cpu / n:.3f} ms "
            f"({cpu:.1f} s in {args.workers} worker process(es)), "
            f"fake push service {1000 * fake_cpu / n:.3f} ms, "
            f"whole machine {1000 * machine / n:.3f} ms "
            f"(busy CPU of every process, {done - wall_before:.0f} s from arming)"
        )
        print(
            f"ratio to the crypto bound: {rate / bound['per_core']:.2f} of one core's, "
            f"{rate / (bound['per_core'] * cores):.2f} of {cores} cores'"
        )
        db_ms = report_database(db_before, db_after, n)
        early = [x for x in lateness if x < 0]
        within = len(arrivals) >= args.n and max(lateness) <= 60 and not early
        print(
            f"all {args.n} within the minute, none early: {'YES' if within else 'NO'}"
            + (f" ({len(early)} early!)" if early else "")
        )
        return {
            "status": 0 if len(arrivals) >= args.n and not early else 1,
            "workers": args.workers,
            "delivered": n,
            "rate": rate,
            "per_minute": per_minute,
            "p50": percentile(lateness, 50),
            "p99": percentile(lateness, 99),
            "max": max(lateness),
            "dispatcher_ms": 1000 * cpu / n,
            "machine_ms": 1000 * machine / n,
            "db_ms": db_ms,
            "within": within,
        }


def main() -> int:
    """Parse options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="subscriptions due")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--workers", type=int, default=1, help="`wayfinder worker` processes"
    )
    parser.add_argument(
        "--batch", type=int, default=defaults()["DISPATCH_BATCH_SIZE"], help="batch"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=defaults()["DISPATCH_CONCURRENCY"],
        help="threads per push origin in each worker",
    )
    parser.add_argument(
        "--verify", action="store_true", help="verify and decrypt every push"
    )
    parser.add_argument(
        "--lead",
        type=int,
        default=20,
        help="seconds at least between arming and the minute",
    )
    parser.add_argument(
        "--timeout", type=int, default=180, help="seconds after the minute to wait"
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="the fake push service's answer time (a real one is 20-100 ms away)",
    )
    parser.add_argument("--crypto-seconds", type=float, default=3.0)
    args = parser.parse_args()
    if args.db == "sqlite" and args.workers != 1:
        parser.error("SQLite runs one dispatcher; use --db postgres for more workers")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
