"""The real `wayfinder serve` under faults: slow clients, an over-long URL, a web
worker killed under load, the server killed under its dispatcher, and
Schemathesis against the live API.

Every loop is bounded in count and time; everything is on loopback. Figures
are printed (run with -s to see them), never asserted as timings.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from server.push.serve import how_it_ended
from server.wsgi_server import HEADER_SECONDS, options
from tests.conftest import parse_page
from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
#: How long any one request in these tests may take before it counts as failed.
REQUEST_TIMEOUT = 30


class Server:
    """A `wayfinder serve` process with its log collected in the background."""

    def __init__(
        self, instance: Path, run_as: Sequence[str] = (), **settings: str
    ) -> None:
        """Start it on a free loopback port (``run_as``: a command prefix such
        as ``setpriv ... --``)."""
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")}
        env.update(
            {
                "PYTHONPATH": str(ROOT),
                "WAYFINDER_INSTANCE_PATH": str(instance),
                **{f"WAYFINDER_{k}": v for k, v in settings.items()},
            }
        )
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [
                *run_as,
                sys.executable,
                "-m",
                "server",
                "serve",
                "--port",
                str(self.port),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Collect the log."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def get(self, path: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
        """One GET on a fresh connection: (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def wait_until_up(self, timeout: float = 90) -> None:
        """Poll until the home page answers (bounded)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("server exited:\n" + "\n".join(self.lines))
            try:
                if self.get("/", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("server did not start:\n" + "\n".join(self.lines))

    def children(self) -> list[int]:
        """Process ids whose parent is the gunicorn master."""
        return children_of(self.process.pid)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(10)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def said(self, *words: str) -> bool:
        """Whether one log line has all these words."""
        return any(all(w in line for w in words) for line in self.lines)


def children_of(pid: int) -> list[int]:
    """Live child processes of pid (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition: Any, timeout: float, what: str) -> None:
    """Poll a condition about another process (bounded)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One live server for the module: two web workers, no dispatcher."""
    started = Server(
        tmp_path_factory.mktemp("serve-faults"),
        DISPATCHER="false",
        RATE_LIMIT="100000 per minute",
        WEB_WORKERS="2",
    )
    try:
        started.wait_until_up()
        yield started
    finally:
        started.stop()


# --- Slow clients -----------------------------------------------------------------


def test_200_stalled_clients_do_not_freeze_the_server(server: Server) -> None:
    """200 connections that never finish their headers; a normal request still
    answers, and the server closes the stalled ones after the header deadline."""
    stalled = []
    try:
        for _ in range(200):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            stalled.append(sock)
        started = time.monotonic()
        status, body = server.get("/help")
        answered = time.monotonic() - started
        assert status == 200 and b"<h1" in body
        sock = stalled[0]
        sock.settimeout(HEADER_SECONDS + 20)
        started = time.monotonic()
        closed = sock.recv(1024)  # the server gives up on it: EOF (or a 400)
        waited = time.monotonic() - started
        assert closed == b"" or closed.startswith(b"HTTP/1.1 4")
        print(
            f"\nslow clients: with 200 stalled, /help answered in {answered:.3f} s; "
            f"a stalled one was closed {waited:.1f} s later "
            f"(deadline {HEADER_SECONDS} s)"
        )
    finally:
        for sock in stalled:
            sock.close()


# --- An over-long URL --------------------------------------------------------------


def test_a_9000_character_url_gets_the_sites_own_414_page(server: Server) -> None:
    """gunicorn's raw 'Request Line is too large' becomes the friendly page."""
    status, body = server.get("/" + "a" * 9000)
    assert status == 414
    page = parse_page(body.decode())
    assert page.h1.get_text(strip=True) == "That web address is too long"
    assert page.find("a", href="/help") is not None  # help stays one tap away
    assert b"Request Line is too large" not in body


# --- A web worker killed under load --------------------------------------------------


def connections_held_by(pid: int, port: int) -> set[int]:
    """Client ports of the connections to port that process pid holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    held = set()
    for line in Path(f"/proc/{pid}/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port = int(fields[1].rsplit(":", 1)[1], 16)
        remote_port = int(fields[2].rsplit(":", 1)[1], 16)
        if local_port == port and remote_port and fields[9] in inodes:
            held.add(remote_port)
    return held


class Request:
    """What a load client saw of one request: its port, and when and how it ended."""

    def __init__(self, port: int | None, after_kill: bool, ok: bool) -> None:
        """Keep the client's port, whether it began after the kill, and the outcome."""
        self.port = port
        self.after_kill = after_kill
        self.ok = ok


def load_request(server: Server, killed: threading.Event) -> Request:
    """One GET /guide on a fresh connection, noting the client's own port."""
    after_kill = killed.is_set()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    port = None
    try:
        conn.connect()
        port = conn.sock.getsockname()[1]
        conn.request("GET", "/guide")
        response = conn.getresponse()
        ok = response.status == 200 and b"</html>" in response.read()
    except (OSError, http.client.HTTPException):
        # Refused, reset, or cut off mid-body (IncompleteRead) by the kill.
        ok = False
    finally:
        conn.close()
    return Request(port, after_kill, ok)


def test_killing_a_web_worker_under_load_fails_only_its_requests(
    server: Server,
) -> None:
    """Four clients load the server; one web worker is SIGKILLed. Only requests
    on connections that worker held fail; every request begun after succeeds.

    The worker is stopped (SIGSTOP) first, so the connections it holds can be
    read from /proc while it can take no new one, and then killed."""
    stop = threading.Event()
    killed = threading.Event()
    results: list[Request] = []
    lock = threading.Lock()

    def client() -> None:
        """Request pages until told to stop (at most 400 each)."""
        for _ in range(400):
            if stop.is_set():
                return
            request = load_request(server, killed)
            with lock:
                results.append(request)

    threads = [threading.Thread(target=client) for _ in range(4)]
    for thread in threads:
        thread.start()
    wait_until(lambda: len(results) >= 20, 30, "the load to start")
    workers = server.children()
    assert len(workers) == 2
    victim = workers[0]
    os.kill(victim, signal.SIGSTOP)
    try:
        held = connections_held_by(victim, server.port)
    finally:
        os.kill(victim, signal.SIGKILL)
    killed.set()
    with lock:
        at_kill = len(results)
    wait_until(
        lambda: len([p for p in server.children() if p != victim]) == 2,
        30,
        "gunicorn to replace the worker",
    )
    wait_until(lambda: len(results) >= at_kill + 40, 60, "more requests after")
    stop.set()
    for thread in threads:
        thread.join(30)
    failed = [r for r in results if not r.ok]
    print(
        f"\nweb worker SIGKILL: {len(results)} requests, {len(held)} connections "
        f"on the killed worker, {len(failed)} failed"
    )
    assert all(r.port in held for r in failed), (held, [r.port for r in failed])
    assert all(r.ok for r in results if r.after_kill)
    assert sum(r.after_kill for r in results) >= 40


# --- The server killed under its dispatcher ------------------------------------------


def test_dispatcher_ends_with_a_killed_server_and_never_runs_twice(
    tmp_path: Path,
) -> None:
    """SIGKILL of `wayfinder serve`: its dispatcher stops; a restarted server's
    dispatcher takes over, one at a time on SQLite."""
    instance = tmp_path / "instance"
    first = Server(instance, WEB_WORKERS="1", DISPATCH_POLL_SECONDS="1")
    second: Server | None = None
    try:
        first.wait_until_up()
        wait_until(
            lambda: any(
                "dispatcher" in line and "ready" in line for line in first.lines
            ),
            60,
            "the dispatcher",
        )
        (dispatcher,) = [
            p
            for p in first.children()
            if b"worker" in Path(f"/proc/{p}/cmdline").read_bytes()
        ]
        first.process.kill()
        first.process.wait()
        second = Server(instance, WEB_WORKERS="1", DISPATCH_POLL_SECONDS="1")
        wait_until(lambda: not alive(dispatcher), 30, "the orphan dispatcher to end")
        second.wait_until_up()
        wait_until(lambda: second.said("dispatcher", "ready"), 60, "a new dispatcher")
        print("\ndispatcher: the orphan ended; the restarted server's took over")
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert any(
        "server that started this dispatcher has ended" in x for x in first.lines
    )


def test_restart_log_names_the_signal() -> None:
    """A killed dispatcher is logged as killed, not as 'exited (0)'."""
    assert how_it_ended(-signal.SIGKILL) == "was killed by SIGKILL"
    assert how_it_ended(1) == "exited with status 1"


def test_gunicorn_keeps_no_shared_control_socket() -> None:
    """No control socket in the home folder, shared by every instance."""
    from flask import Flask

    app = Flask("x")
    app.config.update(WEB_WORKERS=1, LOG_LEVEL="INFO")
    assert options(app, "127.0.0.1", 8000)["control_socket_disable"] is True


# --- An unwritable database ----------------------------------------------------------


def api_call(
    server: Server, method: str, path: str, token: str | None, body: Any = None
) -> tuple[int, http.client.HTTPMessage, Any]:
    """One JSON API request: (status, headers, parsed body or None)."""
    import json

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, None if body is None else json.dumps(body), headers)
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    assert response.getheader("Content-Type") == "application/json", data[:300]
    return response.status, response.headers, json.loads(data) if data else None


def without_root_override() -> list[str]:
    """A command prefix under which file modes bind: as root, setpriv drops
    CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (root writes through chmod
    otherwise); nothing when not root."""
    if os.geteuid() != 0:
        return []
    assert shutil.which("setpriv"), "setpriv (util-linux) is needed when run as root"
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.fixture()
def wal_database(tmp_path: Path) -> Iterator[tuple[Path, Path, str, str]]:
    """An instance folder and a WAL-mode database in its own folder, with one
    subscription. Yields (instance, database, subscription id, token).

    A connection stays open so the -wal and -shm files stay (SQLite removes
    them when the last connection closes); the database folder is made
    writable again at the end, for the clean-up."""
    import sqlite3

    from server.push import state
    from tests.server.push.conftest import push_only_app

    instance, folder = tmp_path / "instance", tmp_path / "db"
    database = folder / "push.sqlite3"
    app = push_only_app(
        instance, "http://127.0.0.1:9", DATABASE_URL=f"sqlite:///{database}"
    )
    created = app.test_client().post(
        "/api/push/subscriptions", json=subscription_body(), base_url="http://127.0.0.1"
    )
    assert created.status_code == 201, created.get_json()
    state(app).engine.dispose()
    holder = sqlite3.connect(database)
    holder.execute("SELECT count(*) FROM push_subscription").fetchall()
    try:
        yield instance, database, created.json["id"], created.json["token"]
    finally:
        os.chmod(folder, 0o755)
        holder.close()


def subscription_body(reminders: int = 1) -> dict[str, Any]:
    """A valid create/replace body with a fresh browser subscription."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from server.push.vapid import b64url

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    return {
        "subscription": {
            "endpoint": "https://fcm.googleapis.com/fcm/send/" + os.urandom(8).hex(),
            "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))},
        },
        "timezone": "UTC",
        "reminders": [{"kind": "breathe", "time": "09:00", "days": ["mon"]}][
            :reminders
        ],
    }


def make_unwritable(database: Path) -> None:
    """chmod the database's folder and its -wal and -shm files read-only."""
    for suffix in ("-wal", "-shm"):
        os.chmod(f"{database}{suffix}", 0o444)
    os.chmod(database.parent, 0o555)


def test_an_unwritable_database_answers_json_503_and_reads_still_work(
    wal_database: tuple[Path, Path, str, str],
) -> None:
    """The real thing: `wayfinder serve` on SQLite in WAL mode; once it is up,
    the database folder, -wal and -shm are made read-only (and, as root, the
    server cannot override file modes). Creates and updates get the
    documented 503 problem with Retry-After; reads still answer; the log says
    what failed in one line, with no traceback.

    A connection opened before the chmod would keep writing, so this test
    would fail (201), never pass, if the server had one open already."""
    import jsonschema

    from server.push.openapi import document

    instance, database, sub_id, token = wal_database
    server = Server(
        instance,
        run_as=without_root_override(),
        DATABASE_URL=f"sqlite:///{database}",
        DISPATCHER="false",
        WEB_WORKERS="1",
        RATE_LIMIT="100000 per minute",
    )
    try:
        server.wait_until_up()  # it migrated (a write); no API connection is open
        make_unwritable(database)
        url = f"/api/push/subscriptions/{sub_id}"
        created = api_call(
            server, "POST", "/api/push/subscriptions", None, subscription_body()
        )
        replaced = api_call(server, "PUT", url, token, subscription_body(reminders=0))
        read = api_call(server, "GET", url, token)
    finally:
        server.stop()
    doc = document()
    problem = {**doc["components"]["schemas"]["Error"], "components": doc["components"]}
    documented = {
        op["operationId"]: op["responses"]
        for item in doc["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for operation, (status, headers, body) in (
        ("createSubscription", created),
        ("replaceSubscription", replaced),
    ):
        assert status == 503, (operation, body, server.lines[-20:])
        assert "503" in documented[operation]
        assert int(headers["Retry-After"]) > 0
        jsonschema.Draft202012Validator(problem).validate(body)
        assert body["error"] == "unavailable"
    status, _, settings = read
    assert status == 200 and settings["id"] == sub_id
    assert len(settings["reminders"]) == 1  # the refused PUT changed nothing
    failures = [line for line in server.lines if "DATABASE UNAVAILABLE" in line]
    assert len(failures) == 2, server.lines
    assert all("read-only" in line for line in failures), failures
    assert not any("Traceback" in line for line in server.lines), server.lines
    print(f"\nunwritable database: {failures[0]}")


# --- Schemathesis against the live API ----------------------------------------------


SCHEMATHESIS_CONFIG = """
headers = { Authorization = "Bearer ${WF_TOKEN}" }

[checks]
enabled = true

[parameters]
"path.id" = "${WF_ID}"

[[operations]]
include-operation-id = ["createSubscription"]
# subscription.keys.p256dh must be a point on P-256, which JSON Schema cannot
# say: a generated key that fits the schema is refused with 400 naming it.
checks.positive_data_acceptance.expected-statuses = ["2XX", 400, 409]

[[operations]]
include-operation-id = ["replaceSubscription"]
# As above (a new subscription in the body needs a point on P-256).
checks.positive_data_acceptance.expected-statuses = ["2XX", 400, 409]

[[operations]]
include-operation-id = ["deleteSubscription"]
# Deleting gets its own subscription, so the others keep theirs all run long.
headers = { Authorization = "Bearer ${WF_DELETE_TOKEN}" }
parameters = { "path.id" = "${WF_DELETE_ID}" }
# Once deleted, its token answers 401 (a repeated DELETE of a real one).
checks.positive_data_acceptance.expected-statuses = ["2XX", 401]
"""


#: Examples per operation and the seed: bounded and reproducible.
EXAMPLES = 10
SEED = 20260601


def make_subscription(server: Server) -> tuple[str, str]:
    """One real subscription on the live server, for the token-protected calls."""
    import json

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from server.push.vapid import b64url

    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    body = {
        "subscription": {
            "endpoint": "https://fcm.googleapis.com/fcm/send/" + os.urandom(8).hex(),
            "keys": {"p256dh": b64url(point), "auth": b64url(os.urandom(16))},
        },
        "timezone": "UTC",
        "reminders": [],
    }
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request(
        "POST",
        "/api/push/subscriptions",
        json.dumps(body),
        {"Content-Type": "application/json"},
    )
    response = conn.getresponse()
    created = json.loads(response.read())
    conn.close()
    assert response.status == 201, created
    return created["id"], created["token"]


def test_schemathesis_finds_nothing_against_the_live_api(
    server: Server, tmp_path: Path
) -> None:
    """Every check on, a fixed seed, a bounded number of examples per operation."""
    config = tmp_path / "schemathesis.toml"
    config.write_text(SCHEMATHESIS_CONFIG)
    sub_id, token = make_subscription(server)
    delete_id, delete_token = make_subscription(server)
    env = {
        **os.environ,
        "WF_ID": sub_id,
        "WF_TOKEN": token,
        "WF_DELETE_ID": delete_id,
        "WF_DELETE_TOKEN": delete_token,
    }
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"http://127.0.0.1:{server.port}/api/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            str(EXAMPLES),
            "--seed",
            str(SEED),
            "--no-color",
            "--request-timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        timeout=400,
        cwd=tmp_path,
        env=env,
    )
    took = time.monotonic() - started
    summary = [line for line in result.stdout.splitlines() if line.strip()][-25:]
    print(f"\nschemathesis ({took:.0f} s):\n" + "\n".join(summary))
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
