"""Rate limits shared across processes and machines (WAYFINDER_RATE_LIMIT_STORAGE).

Two real `wayfinder serve` processes, each with its own instance folder (so no
SQLite file is shared, as on two machines), count in one throwaway Redis.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server import config
from server.config import ConfigError
from tests import redis_server
from tests.server.test_serve_faults import Server
from tests.support import free_port

PATH = "/api/push/public-key"


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway Redis server for this module."""
    try:
        started = redis_server.throwaway_redis()
        url = started.__enter__()
    except redis_server.RedisError as exc:
        if os.environ.get("CI") or redis_server.installed():
            pytest.fail(f"Redis could not be started: {exc}")
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        started.__exit__(None, None, None)


def two_servers(tmp_path: Path, **settings: str) -> list[Server]:
    """Two `wayfinder serve` processes on separate instance folders, both up."""
    servers = [
        Server(tmp_path / name, DISPATCHER="false", WEB_WORKERS="1", **settings)
        for name in ("one", "two")
    ]
    try:
        for server in servers:
            server.wait_until_up()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def test_two_processes_share_one_limit_in_redis(redis_url: str, tmp_path: Path) -> None:
    """Three requests a minute in all: the fourth, on either process, gets 429."""
    servers = two_servers(
        tmp_path, RATE_LIMIT="3 per minute", RATE_LIMIT_STORAGE=redis_url
    )
    try:
        statuses = [servers[i % 2].get(PATH)[0] for i in range(5)]
    finally:
        for server in servers:
            server.stop()
    assert statuses == [200, 200, 200, 429, 429]


def test_with_memory_storage_each_process_counts_alone(
    make_app: Any, push_service: Any
) -> None:
    """memory:// is per process: two apps let twice the limit through."""
    apps = [
        make_app(
            push_service.origin,
            RATE_LIMIT="2 per minute",
            RATE_LIMIT_STORAGE="memory://",
        ).test_client()
        for _ in range(2)
    ]
    statuses = [apps[i % 2].get(PATH).status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_an_unreachable_redis_never_blocks_the_api(
    make_app: Any, push_service: Any
) -> None:
    """Redis down: requests are still answered, counted in memory instead."""
    app = make_app(
        push_service.origin,
        RATE_LIMIT="2 per minute",
        RATE_LIMIT_STORAGE=f"redis://127.0.0.1:{free_port()}/0",
    )
    client = app.test_client()
    assert [client.get(PATH).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.parametrize(
    "value", ["redis://", "http://cache:6379", "memcached://cache:11211", "cache"]
)
def test_storage_setting_refuses_what_it_cannot_use(value: str) -> None:
    """Only memory:// and Redis URLs; the message names the variable."""
    with pytest.raises(ConfigError) as raised:
        config.from_environ({"WAYFINDER_RATE_LIMIT_STORAGE": value})
    assert str(raised.value).startswith("WAYFINDER_RATE_LIMIT_STORAGE:")


def test_storage_setting_accepts_memory_and_redis() -> None:
    """The accepted forms are kept as given."""
    for value in ("memory://", "redis://cache:6379/0", "rediss://u:p@cache:6380/1"):
        parsed = config.from_environ({"WAYFINDER_RATE_LIMIT_STORAGE": value})
        assert parsed["RATE_LIMIT_STORAGE"] == value
