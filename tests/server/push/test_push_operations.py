"""What operators need: migrations as a step, health probes, the dispatcher's
heartbeat and `wayfinder status`, one log line per request, and metrics."""

from __future__ import annotations

import http.client
import json
import logging
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from push_fake import Answer
from sqlalchemy import create_engine, select, text, update

from server import config, observe, push, views
from server.cli import main
from server.config import DEFAULT_PUSH_SERVICES, ConfigError
from server.push import db, health, state
from server.push.dispatch import Dispatcher
from server.push.models import Delivery
from server.views import health as health_views
from tests.server.test_serve_faults import Server, wait_until
from tests.support import free_port

from .conftest import Api

ROOT = Path(__file__).resolve().parents[3]


def ops_app(make_app: Any, origin: str, **extra: Any) -> Flask:
    """A push app with the probes and the request log, as create_app has them."""
    app = make_app(origin, **extra)
    health_views.init_app(app)
    observe.init_app(app)
    return app


def cli_env(**settings: str) -> dict[str, str]:
    """An environment for the CLI with only these WAYFINDER_ settings."""
    return {f"WAYFINDER_{k}": v for k, v in settings.items()}


# --- Migrations as a step ------------------------------------------------------


def test_migrate_upgrades_once_then_finds_nothing_to_do(tmp_path: Path) -> None:
    """`wayfinder migrate` on SQLite: empty to head, then nothing to do."""
    runner = CliRunner()
    env = cli_env(INSTANCE_PATH=str(tmp_path))
    first = runner.invoke(main, ["migrate"], env=env)
    again = runner.invoke(main, ["migrate"], env=env)
    head = db.head_revision()
    assert (first.exit_code, first.output) == (
        0,
        f"database migrated from empty to {head}\n",
    )
    assert (again.exit_code, again.output) == (
        0,
        f"database schema is current ({head})\n",
    )


def migrate_process(url: str) -> subprocess.Popen:
    """A `wayfinder migrate` subprocess on this database."""
    return subprocess.Popen(
        [sys.executable, "-m", "server", "migrate"],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "WAYFINDER_DATABASE_URL": url,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def waiting_for_advisory_locks(url: str) -> int:
    """How many sessions wait for an advisory lock."""
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.scalar(
            text(
                "SELECT count(*) FROM pg_locks"
                " WHERE locktype = 'advisory' AND NOT granted"
            )
        )
    engine.dispose()
    return int(count)


@pytest.mark.postgres
def test_two_migrate_runs_at_once_on_postgresql(empty_postgres_url: str) -> None:
    """Both wait on the lock while it is held; then one migrates and the other
    finds the schema current. Neither fails."""
    holder = create_engine(empty_postgres_url)
    with holder.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": db._PG_MIGRATION_LOCK})
        runs = [migrate_process(empty_postgres_url) for _ in range(2)]
        deadline = time.monotonic() + 120
        while waiting_for_advisory_locks(empty_postgres_url) < 2:
            assert all(r.poll() is None for r in runs), [r.communicate() for r in runs]
            assert time.monotonic() < deadline, "the runs never reached the lock"
            time.sleep(0.1)
        conn.execute(
            text("SELECT pg_advisory_unlock(:k)"), {"k": db._PG_MIGRATION_LOCK}
        )
    holder.dispose()
    results = [r.communicate(timeout=120) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    head = db.head_revision()
    assert sorted(out for out, _ in results) == [
        f"database migrated from empty to {head}\n",
        f"database schema is current ({head})\n",
    ]
    engine = db.make_engine(empty_postgres_url)
    assert db.schema_state(engine) == "current"
    engine.dispose()


@pytest.mark.postgres
def test_serve_and_worker_refuse_an_unmigrated_postgresql(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    """On PostgreSQL nothing migrates on start: serve, worker and status exit 2
    and say what to run."""
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "WAYFINDER_INSTANCE_PATH": str(tmp_path),
        "WAYFINDER_DATABASE_URL": empty_postgres_url,
    }
    for command in (["serve"], ["worker"], ["status"]):
        done = subprocess.run(
            [sys.executable, "-m", "server", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2, (command, done.stderr)
        assert "the database schema is at nothing (empty)" in done.stderr
        assert "run `wayfinder migrate` first" in done.stderr
    engine = db.make_engine(empty_postgres_url)
    assert db.current_revision(engine) is None  # nothing was created
    engine.dispose()


@pytest.mark.postgres
def test_an_older_schema_is_refused_and_a_newer_one_accepted(
    empty_postgres_url: str, make_app: Any, push_service: Any, caplog: Any
) -> None:
    """Behind: refused, naming both revisions. Ahead (a later release migrated
    it during a rolling upgrade): this release still starts, with a warning."""
    from alembic import command

    engine = db.make_engine(empty_postgres_url)
    config_ = db.alembic_config()
    with engine.begin() as conn:
        config_.attributes["connection"] = conn
        command.upgrade(config_, "0001")
    with pytest.raises(ConfigError) as raised:
        make_app(push_service.origin, DATABASE_URL=empty_postgres_url)
    assert "schema is at 0001, this release needs" in str(raised.value)
    db.migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with caplog.at_level(logging.WARNING):
        make_app(push_service.origin, DATABASE_URL=empty_postgres_url)
    assert "newer than this release's" in caplog.text


# --- Health probes ---------------------------------------------------------------


def test_healthz_and_readyz_answer_plainly(make_app: Any, push_service: Any) -> None:
    """Alive: "ok". Ready: every check named, nothing else in the answer."""
    client = ops_app(make_app, push_service.origin).test_client()
    alive = client.get("/healthz")
    assert (alive.status_code, alive.get_data(as_text=True)) == (200, "ok\n")
    assert alive.headers["Cache-Control"] == "no-store"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {
        "ready": True,
        "checks": {"database": "ok", "schema": "ok", "vapid": "ok"},
    }
    assert ready.headers["Cache-Control"] == "no-store"


def test_probes_are_never_rate_limited(make_app: Any, push_service: Any) -> None:
    """One API request a minute; the probes answer every time, uncounted."""
    client = ops_app(
        make_app, push_service.origin, RATE_LIMIT="1 per minute"
    ).test_client()
    for _ in range(5):
        for path in ("/healthz", "/readyz"):
            response = client.get(path)
            assert response.status_code == 200
            assert "X-RateLimit-Limit" not in response.headers
    assert client.get("/api/push/public-key").status_code == 200
    assert client.get("/api/push/public-key").status_code == 429


def test_readyz_is_503_when_the_schema_is_behind(
    make_app: Any, push_service: Any
) -> None:
    """A database left at an older revision: not ready, and it says why."""
    app = ops_app(make_app, push_service.origin)
    with state(app).engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["schema"] == "behind: run `wayfinder migrate`"


def test_readyz_is_503_when_the_database_does_not_answer(
    make_app: Any, push_service: Any, tmp_path: Path
) -> None:
    """A database that cannot be opened: not ready (database and schema)."""
    app = ops_app(make_app, push_service.origin)
    state(app).engine = create_engine(f"sqlite:///{tmp_path}/missing/folder/x.sqlite3")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "ready": False,
        "checks": {"database": "unavailable", "schema": "unavailable", "vapid": "ok"},
    }


def test_probes_are_not_precached(app: Flask) -> None:
    """The service worker never stores the probes for offline use."""
    urls = views.offline_urls(app)
    assert "/healthz" not in urls and "/readyz" not in urls
    assert app.test_client().get("/readyz").status_code == 200


def test_probes_answer_whatever_host_a_load_balancer_sends(
    tmp_path: Path, push_service: Any
) -> None:
    """With a public URL only its Host is accepted, except by the probes."""
    from server import create_app

    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": tmp_path,
            "PUBLIC_URL": "https://wayfinder.example",
            "TRUSTED_PROXIES": 1,
            "DISPATCHER": False,
        }
    )
    client = app.test_client()
    by_address = {"Host": "10.0.0.11:8000", "X-Forwarded-Host": "evil.example"}
    assert client.get("/healthz", headers=by_address).status_code == 200
    assert client.get("/readyz", headers=by_address).status_code == 200
    assert client.get("/about", headers=by_address).status_code == 400
    assert (
        client.get("/about", headers={"Host": "wayfinder.example"}).status_code == 200
    )
    push.state(app).engine.dispose()


# --- Heartbeat and `wayfinder status` ---------------------------------------------


def test_status_shows_the_queue_heartbeats_and_failures(
    api: Api, push_app: Flask, push_service: Any, instance: Path
) -> None:
    """One accepted, one answered 500 (retried later), one left late in the queue."""
    subs = [push_service.subscribe() for _ in range(3)]
    ids = [api.subscribe(sub, timezone="UTC") for sub in subs]
    push_service.answer(subs[1], Answer(500))
    for sub_id, token in ids[:2]:
        api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    dispatcher = Dispatcher(state(push_app), clock=lambda: time.time() + 1)
    dispatcher.run_once()
    dispatcher.heartbeat(force=True)
    dispatcher.sender.close()
    sub_id, token = ids[2]
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    with state(push_app).session() as session, session.begin():
        session.execute(
            update(Delivery)
            .where(Delivery.subscription_id == sub_id)
            .values(slot=int(time.time()) - 600, due_at=int(time.time()) + 600)
        )
    with state(push_app).session() as session:
        found = health.status(session, time.time())
    assert (found.queue.due, found.queue.claimed, found.queue.later) == (0, 0, 2)
    assert found.queue.late == 1
    assert found.sent_last_hour == 1
    assert found.failures == {push_service.origin: {"server_error": 1}}
    assert found.last_sent_at is not None and time.time() - found.last_sent_at < 60
    (beat,) = found.dispatchers
    assert beat.name == dispatcher.name and beat.last_sent_at == found.last_sent_at
    printed = CliRunner().invoke(
        main, ["status"], env=cli_env(INSTANCE_PATH=str(instance))
    )
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    assert lines[0] == "queue: 0 due, 0 claimed, 1 late, 2 later"
    assert lines[1].startswith("last successful send: ") and lines[1].endswith(" s ago")
    assert lines[2] == "sent in the last hour: 1"
    assert lines[3] == "dispatchers: 1"
    assert lines[4].startswith(f"  {dispatcher.name} on ") and "running" in lines[4]
    assert lines[-2:] == [
        "failures in the last hour, by push service:",
        f"  {push_service.origin}: server_error 1",
    ]
    assert push_service.problems == []


def test_answers_are_classed_for_status_and_metrics() -> None:
    """Every kind of answer lands in one named class."""
    from server.push.policy import Answer as Got

    cases = {
        Got(201): "sent",
        Got(404): "gone",
        Got(410): "gone",
        Got(429): "rate_limited",
        Got(503): "server_error",
        Got(403): "refused",
        Got(None, error="network"): "network",
        Got(None, error="expired"): "dropped",
        Got(302): "other",
    }
    assert {answer: health.result_of(answer) for answer in cases} == cases


# --- One log line per request -----------------------------------------------------


def request_lines(caplog: Any) -> list[logging.LogRecord]:
    """The request log's records."""
    return [r for r in caplog.records if r.name == "wayfinder.request"]


def test_one_line_per_request_names_the_route_not_the_url(
    make_app: Any, push_service: Any, openapi_checker: Any, caplog: Any
) -> None:
    """The line has the request id the answer carries, the route, the status and
    the time; never the subscription id in the URL."""
    app = ops_app(make_app, push_service.origin)
    api = Api(app.test_client(), openapi_checker)
    sub_id, token = api.subscribe(push_service.subscribe())
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="wayfinder.request"):
        response = api.get(f"/api/push/subscriptions/{sub_id}", token=token)
        response.close()  # the line is written once the body is sent
    (record,) = request_lines(caplog)
    assert record.request_id == response.headers["X-Request-Id"]
    assert record.route == "/api/push/subscriptions/<sub_id>"
    assert (record.method, record.status) == ("GET", 200)
    assert isinstance(record.ms, float)
    assert sub_id not in record.getMessage() and token not in record.getMessage()


def test_request_id_from_a_trusted_proxy_only(
    make_app: Any, push_service: Any, caplog: Any
) -> None:
    """Behind a trusted proxy its X-Request-Id is kept; otherwise a new one."""
    given = {"X-Request-Id": "0123456789abcdef0123456789abcdef"}
    proxied = ops_app(make_app, push_service.origin, TRUSTED_PROXIES=1).test_client()
    direct = ops_app(make_app, push_service.origin).test_client()
    assert (
        proxied.get("/healthz", headers=given).headers["X-Request-Id"]
        == (given["X-Request-Id"])
    )
    mine = direct.get("/healthz", headers=given).headers["X-Request-Id"]
    assert mine != given["X-Request-Id"] and len(mine) == 16
    bad = {"X-Request-Id": "<script>"}
    assert proxied.get("/healthz", headers=bad).headers["X-Request-Id"] != "<script>"


def test_json_log_lines() -> None:
    """WAYFINDER_LOG_FORMAT=json: one parseable object per record."""
    record = logging.LogRecord(
        "wayfinder.request", logging.INFO, "", 0, "a %s", ("b",), None
    )
    record.request_id, record.route, record.status = "abc", "/readyz", 200
    line = observe.formatter("json").format(record)
    parsed = json.loads(line)
    assert parsed["message"] == "a b" and parsed["level"] == "INFO"
    assert (parsed["request_id"], parsed["route"], parsed["status"]) == (
        "abc",
        "/readyz",
        200,
    )
    assert parsed["time"].endswith("Z")
    assert config.from_environ({"WAYFINDER_LOG_FORMAT": "JSON"})["LOG_FORMAT"] == "json"
    with pytest.raises(ConfigError):
        config.from_environ({"WAYFINDER_LOG_FORMAT": "xml"})


def test_metrics_address_is_host_and_port() -> None:
    """host:port, IPv6 in brackets; anything else is refused by name."""
    parse = config.from_environ
    assert parse({"WAYFINDER_METRICS_ADDRESS": "127.0.0.1:9101"})[
        "METRICS_ADDRESS"
    ] == (
        "127.0.0.1",
        9101,
    )
    assert parse({"WAYFINDER_METRICS_ADDRESS": "[::1]:9101"})["METRICS_ADDRESS"] == (
        "::1",
        9101,
    )
    for bad in ("9101", "host:", "host:0", "host:99999"):
        with pytest.raises(ConfigError, match="WAYFINDER_METRICS_ADDRESS"):
            parse({"WAYFINDER_METRICS_ADDRESS": bad})


def test_settle_leaves_counts_per_minute(push_app: Flask, push_service: Any) -> None:
    """Counts add up within a minute, per push service and result."""
    with state(push_app).session() as session, session.begin():
        health.count_sends(session, 120.0, {("https://a.example", "sent"): 2})
        health.count_sends(session, 150.0, {("https://a.example", "sent"): 3})
    with state(push_app).session() as session:
        from server.push.models import SendCount

        rows = session.execute(select(SendCount.minute, SendCount.count)).all()
    assert rows == [(120, 5)]


# --- Metrics from a real `wayfinder serve` ----------------------------------------


def post(port: int, path: str, body: Any = None, token: str | None = None) -> Any:
    """One JSON POST to a local server: (status, parsed body or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(
            "POST", path, json.dumps(body) if body is not None else "", headers
        )
        response = conn.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None
    finally:
        conn.close()


def scrape(port: int) -> dict[str, float]:
    """The metrics page as {sample with labels: value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        lines = r.read().decode().splitlines()
    found = {}
    for line in lines:
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


def test_metrics_from_every_process_on_their_own_port(
    push_service: Any, tmp_path: Path
) -> None:
    """Two web workers and the embedded dispatcher write, the master serves the
    sum on the metrics address; the public port has no /metrics. Logs are JSON."""
    metrics_port = free_port()
    server = Server(
        tmp_path / "instance",
        METRICS_ADDRESS=f"127.0.0.1:{metrics_port}",
        PUSH_SERVICES=",".join((*DEFAULT_PUSH_SERVICES, push_service.origin)),
        DISPATCH_POLL_SECONDS="1",
        WEB_WORKERS="2",
        LOG_FORMAT="json",
    )
    try:
        server.wait_until_up()
        body = {
            "subscription": push_service.subscribe(),
            "timezone": "UTC",
            "reminders": [{"kind": "breathe", "time": "09:00", "days": ["mon"]}],
        }
        status, created = post(server.port, "/api/push/subscriptions", body)
        assert status == 201
        url = f"/api/push/subscriptions/{created['id']}/test"
        assert post(server.port, url, token=created["token"])[0] == 202
        assert push_service.wait_for(1, timeout=60)

        def sent() -> bool:
            """Whether the dispatcher's send has reached the metrics."""
            return (
                scrape(metrics_port).get('wayfinder_push_sends_total{result="sent"}')
                == 1
            )

        wait_until(sent, 60, "the send to show in the metrics")
        for _ in range(4):
            assert server.get("/healthz")[0] == 200
        assert server.get("/metrics")[0] == 404
        found = scrape(metrics_port)
    finally:
        server.stop()
    key = 'wayfinder_http_requests_total{method="%s",route="%s",status="%s"}'
    assert found[key % ("POST", "/api/push/subscriptions", 201)] == 1
    assert found[key % ("POST", "/api/push/subscriptions/<sub_id>/test", 202)] == 1
    assert found[key % ("GET", "/healthz", 200)] >= 4
    assert found["wayfinder_dispatch_lateness_seconds_count"] == 1
    assert 'wayfinder_queue_depth{state="due"}' in found
    assert 'wayfinder_http_request_seconds_count{route="/healthz"}' in found
    requests = [
        json.loads(line) for line in server.lines if '"wayfinder.request"' in line
    ]
    assert {"request_id", "method", "route", "status", "ms"} <= set(requests[-1])
    assert all(line.startswith("{") for line in server.lines if line.strip()), [
        line for line in server.lines if not line.startswith("{")
    ]
    assert push_service.problems == []


def test_a_standalone_worker_serves_its_own_metrics(
    api: Api, push_service: Any, instance: Path
) -> None:
    """`wayfinder worker` with a metrics address: its sends and the queue."""
    from .test_push_workers import Worker, worker_env

    port = free_port()
    sub_id, token = api.subscribe(push_service.subscribe())
    api.post(f"/api/push/subscriptions/{sub_id}/test", token=token)
    worker = Worker(
        worker_env(instance, push_service.origin, METRICS_ADDRESS=f"127.0.0.1:{port}"),
        "metrics",
    )
    try:
        worker.wait_ready()
        assert push_service.wait_for(1, timeout=60)
        wait_until(
            lambda: scrape(port).get('wayfinder_push_sends_total{result="sent"}') == 1,
            60,
            "the send to show in the worker's metrics",
        )
        found = scrape(port)
    finally:
        assert worker.stop() == 0
    assert found["wayfinder_dispatch_lateness_seconds_count"] == 1
    assert 'wayfinder_queue_depth{state="later"}' in found
