"""The reference deployment (deploy/), run on loopback: nginx with a
self-signed certificate in front of two `wayfinder serve` processes, one
PostgreSQL, one Redis and two `wayfinder worker` dispatchers.

Real Chromium installs the app over HTTPS, works offline, subscribes and is
shown a notification that came through the fake push service. Then one web
process and one dispatcher are killed with SIGKILL while reminders go out:
every request still answers and every reminder arrives.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import json
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from playwright.sync_api import Playwright

from server.push import db
from tests import redis_server
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.helpers import wait_for_worker_control
from tests.browser.test_reminders import (
    EVERY_DAY,
    deliver,
    open_reminders,
    path_of,
    stub_push,
    turn_on,
)
from tests.server.test_serve_faults import children_of
from tests.support import free_port

from .test_push_workers import (
    Worker,
    make_all_due,
    queue_size,
    wait_until,
    worker_env,
)

ROOT = Path(__file__).resolve().parents[3]
SITE = ROOT / "deploy" / "nginx" / "wayfinder.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: Reminders sent before the kill: enough that it lands mid-run.
BEFORE_KILL = 30
CONCURRENCY = 4
BATCH = 20

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


# --- The pieces -----------------------------------------------------------------


def self_signed(folder: Path) -> tuple[Path, Path, str]:
    """A certificate for localhost: (cert, key, base64 SHA-256 of its public key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return cert_path, key_path, base64.b64encode(hashlib.sha256(spki).digest()).decode()


def vapid_key() -> str:
    """One VAPID private key (PEM) for every machine."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def site_config(
    https_port: int,
    http_port: int,
    webs: list[int],
    tls: tuple[Path, Path],
    cache: Path,
) -> str:
    """deploy/nginx/wayfinder.conf with loopback addresses and the test certificate."""
    text = SITE.read_text()
    upstream = "".join(
        f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in webs
    )
    changes = [
        (
            "    server 10.0.0.11:8000 max_fails=3 fail_timeout=10s;\n"
            "    server 10.0.0.12:8000 max_fails=3 fail_timeout=10s;\n",
            upstream,
        ),
        ("/var/cache/nginx/wayfinder", str(cache)),
        ("/etc/letsencrypt/live/wayfinder.example/fullchain.pem", str(tls[0])),
        ("/etc/letsencrypt/live/wayfinder.example/privkey.pem", str(tls[1])),
        (
            "    listen 80;\n    listen [::]:80;\n",
            f"    listen 127.0.0.1:{http_port};\n",
        ),
        (
            "    listen 443 ssl http2;\n    listen [::]:443 ssl http2;\n",
            f"    listen 127.0.0.1:{https_port} ssl http2;\n",
        ),
        ("wayfinder.example", "localhost"),
    ]
    for old, new in changes:
        assert old in text, f"deploy/nginx/wayfinder.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def nginx_config(prefix: Path, site: Path) -> str:
    """A whole nginx.conf around the site, running in the foreground from prefix."""
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"  {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
daemon off;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 512; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
{temp}
  include {site};
}}
"""


class Process:
    """A subprocess whose output is kept in a file (read on failure)."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        """Start it."""
        self.name = name
        self.log = log
        self.out = open(log, "w")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.out, stderr=subprocess.STDOUT
        )

    def text(self) -> str:
        """Everything it printed."""
        return self.log.read_text(errors="replace")

    def kill_all(self) -> None:
        """SIGKILL it and its children at once, as when a machine dies."""
        for pid in children_of(self.process.pid):
            os.kill(pid, signal.SIGKILL)
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()


def answers(port: int) -> bool:
    """Whether something accepts connections on this loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def healthy(port: int) -> bool:
    """Whether a web process answers /healthz directly (by address, as a
    load balancer checks it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


class Https:
    """Requests to the site through nginx, over TLS (certificate not checked)."""

    def __init__(self, port: int) -> None:
        """Remember the port."""
        self.port = port
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def call(
        self, method: str, path: str, body: Any = None, token: str | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """One request on a fresh connection: (status, headers, body)."""
        conn = http.client.HTTPSConnection(
            "localhost", self.port, context=self.context, timeout=30
        )
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request(method, path, json.dumps(body) if body is not None else None,
                         headers)  # fmt: skip
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()


# --- The deployment -----------------------------------------------------------------


class Deployment:
    """Everything started, with the handles the test needs."""

    def __init__(self, folder: Path, database: str, redis: str, push_origin: str):
        """Start nginx, two web processes and two dispatchers."""
        self.folder = folder
        self.https_port, http_port = free_port(), free_port()
        self.base = f"https://localhost:{self.https_port}"
        self.web_ports = [free_port(), free_port()]
        cert, key, self.spki = self_signed(folder)
        common = {
            "DATABASE_URL": database,
            "VAPID_PRIVATE_KEY": vapid_key(),
            "PUBLIC_URL": self.base,
            "DISPATCH_LEASE_SECONDS": "30",
            "DISPATCH_BATCH_SIZE": str(BATCH),
            "DISPATCH_CONCURRENCY": str(CONCURRENCY),
        }
        self.webs = [
            Process(
                f"web{i}",
                [sys.executable, "-m", "server", "serve", "--port", str(port)],
                worker_env(
                    folder / f"web{i}",
                    push_origin,
                    **common,
                    DISPATCHER="false",
                    WEB_WORKERS="1",
                    TRUSTED_PROXIES="1",
                    RATE_LIMIT="100000 per minute",
                    RATE_LIMIT_STORAGE=redis,
                ),
                folder / f"web{i}.log",
            )
            for i, port in enumerate(self.web_ports)
        ]
        self.worker_env = worker_env(folder / "dispatch", push_origin, **common)
        self.workers = [Worker(self.worker_env, f"dispatcher{i}") for i in range(2)]
        prefix = folder / "nginx"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache"):
            (prefix / sub).mkdir(parents=True)
        site = prefix / "site.conf"
        site.write_text(
            site_config(
                self.https_port,
                http_port,
                self.web_ports,
                (cert, key),
                prefix / "cache",
            )
        )
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(prefix, site))
        checked = subprocess.run(
            [NGINX, "-t", "-p", str(prefix), "-c", str(conf)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert checked.returncode == 0, checked.stderr
        self.nginx = Process(
            "nginx", [NGINX, "-p", str(prefix), "-c", str(conf)], {}, prefix / "out.log"
        )

    def wait_until_up(self) -> None:
        """Every piece answers (bounded)."""
        for web, port in zip(self.webs, self.web_ports, strict=True):
            wait_until(
                lambda web=web, port=port: (
                    healthy(port) or web.process.poll() is not None
                ),
                120,
                f"{web.name} to start",
            )
            assert web.process.poll() is None, web.text()
        for worker in self.workers:
            worker.wait_ready(120)
        wait_until(lambda: answers(self.https_port), 30, "nginx to listen")

    def stop(self) -> None:
        """Stop everything."""
        self.nginx.stop()
        for web in self.webs:
            web.stop()
        for worker in self.workers:
            worker.close()


@pytest.fixture()
def redis_url() -> Iterator[str]:
    """A throwaway Redis."""
    try:
        started = redis_server.throwaway_redis()
        url = started.__enter__()
    except redis_server.RedisError as exc:
        pytest.fail(f"Redis is needed (scripts/test installs it): {exc}")
    try:
        yield url
    finally:
        started.__exit__(None, None, None)


@pytest.fixture()
def deployment(
    tmp_path: Path, empty_postgres_url: str, redis_url: str, push_service: Any
) -> Iterator[Deployment]:
    """The reference deployment: migrated first, as an upgrade does."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed (scripts/test installs it)")
    migrated = subprocess.run(
        [sys.executable, "-m", "server", "migrate"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "WAYFINDER_DATABASE_URL": empty_postgres_url,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr
    started = Deployment(tmp_path, empty_postgres_url, redis_url, push_service.origin)
    try:
        started.wait_until_up()
        yield started
    finally:
        started.stop()


def subscribe(site: Https, push_service: Any, count: int) -> None:
    """``count`` subscriptions through nginx, each with a daily reminder."""
    for i in range(count):
        body = {
            "subscription": push_service.subscribe(),
            "timezone": "UTC",
            "reminders": [
                {"kind": "breathe", "time": f"0{i % 6}:00", "days": EVERY_DAY}
            ],
        }
        status, _, data = site.call("POST", "/api/push/subscriptions", body)
        assert status == 201, data


# --- The test -------------------------------------------------------------------------


def test_reference_deployment_end_to_end(
    deployment: Deployment,
    push_service: Any,
    make_app: Any,
    empty_postgres_url: str,
    playwright: Playwright,
) -> None:
    """Install over HTTPS, offline, subscribe, a notification shown; then kill a
    web process and a dispatcher mid-run and lose nothing."""
    site = Https(deployment.https_port)
    base = deployment.base
    # The reference's rules, seen through nginx.
    status, headers, _ = site.call("GET", "/sw.js")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert headers["Strict-Transport-Security"] == "max-age=63072000"
    status, headers, body = site.call("GET", "/" + "a" * 9000)
    assert status == 414 and b"That web address is too long" in body
    status, headers, _ = site.call("GET", "/readyz")
    assert status == 200

    subscription = push_service.subscribe()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            f"--ignore-certificate-errors-spki-list={deployment.spki}",
        ],
    )
    context = browser.new_context(ignore_https_errors=True)
    try:
        stub_push(context, subscription)
        context.grant_permissions(["notifications"], origin=base)
        page = context.new_page()
        page.goto(base + "/")
        wait_for_worker_control(page)
        # Offline: a saved page still opens.
        context.set_offline(True)
        page.goto(base + "/about")
        assert page.locator("h1").count() == 1
        context.set_offline(False)
        # Subscribe, ask for a test, and show what the push service got.
        open_reminders(page, base)
        saved = turn_on(page, "breathe", "09:00", EVERY_DAY)
        url = f"/api/push/subscriptions/{saved['id']}/test"
        assert site.call("POST", url, token=saved["token"])[0] == 202
        path = path_of(subscription, push_service)
        wait_until(lambda: push_service.for_path(path), 60, "the test push")
        (message,) = push_service.for_path(path)
        shown = deliver(page, context, base, message.plaintext.decode())
        assert [note["tag"] for note in shown] == [message.tag]
    finally:
        context.close()
        browser.close()

    # Reminders due now for 120 subscriptions; kill one of each mid-run.
    subscribe(site, push_service, 120)
    app = make_app(push_service.origin, DATABASE_URL=empty_postgres_url)
    before = len(push_service.arrivals)
    push_service.delay = 0.05
    expected = make_all_due(app)
    assert len(expected) == 121
    wait_until(
        lambda: len(push_service.arrivals) >= before + BEFORE_KILL, 60, "sends to start"
    )
    deployment.workers[0].process.kill()
    deployment.webs[0].kill_all()
    accepted = {r.tag for r in push_service.received}
    assert len(expected - accepted) > 0  # the kill was mid-run
    # The other web process answers everything, through nginx.
    for _ in range(10):
        assert site.call("GET", "/api/push/public-key")[0] == 200
        assert site.call("GET", "/guide")[0] == 200
    # The killed dispatcher's claims fall due when their lease ends (30 s).
    wait_until(
        lambda: (
            expected <= {r.tag for r in push_service.received} and queue_size(app) == 0
        ),
        90,
        "every reminder to arrive",
    )
    counts = Counter(r.tag for r in push_service.received if r.tag in expected)
    assert set(counts) == expected  # nothing lost
    repeated = {tag for tag, n in counts.items() if n > 1}
    print(
        f"SIGKILL of one web and one dispatcher after {len(accepted)} accepted: "
        f"{len(expected)} all arrived, {len(repeated)} in flight sent again"
    )
    # Only what was in flight at the kill repeats (sent, not yet written
    # back): never more than the batch the dispatcher had in hand.
    assert repeated <= accepted and len(repeated) <= BATCH
    assert push_service.problems == []
    engine = db.make_engine(empty_postgres_url)
    assert db.schema_state(engine) == "current"
    engine.dispose()
