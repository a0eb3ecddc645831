"""deploy/: the environment file lists every setting, and the units run what
the deployment notes say. (The nginx site is run by test_push_deployment.py.)"""

from __future__ import annotations

import re
from pathlib import Path

from server import config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def assignments(text: str) -> list[tuple[str, str, bool]]:
    """(name, value, commented out) for each WAYFINDER_ line of an env file."""
    found = []
    for line in text.splitlines():
        match = re.fullmatch(r"(#?)WAYFINDER_([A-Z_]+)=(.*)", line)
        if match:
            found.append((match[2], match[3], bool(match[1])))
    return found


def test_environment_file_has_every_setting_in_order() -> None:
    """Every WAYFINDER_ setting once, in the settings table's order."""
    rows = assignments((DEPLOY / "wayfinder.env").read_text())
    assert [name for name, _, _ in rows] == [s.name for s in config.SETTINGS]


def test_environment_file_values_are_accepted() -> None:
    """The values set (not commented out) all parse."""
    rows = assignments((DEPLOY / "wayfinder.env").read_text())
    environ = {f"WAYFINDER_{n}": v for n, v, commented in rows if not commented}
    parsed = config.from_environ(environ)
    assert parsed["DISPATCHER"] is False
    assert parsed["RATE_LIMIT_STORAGE"].startswith("redis://")
    assert parsed["LOG_FORMAT"] == "json"
    assert parsed["DATABASE_URL"].startswith("postgresql+psycopg://")


def test_units_run_web_only_dispatchers_and_migrations() -> None:
    """The web unit runs no dispatcher; workers and migrate read the same file."""
    units = DEPLOY / "systemd"
    web = (units / "wayfinder-web.service").read_text()
    worker = (units / "wayfinder-worker@.service").read_text()
    migrate = (units / "wayfinder-migrate.service").read_text()
    assert "Environment=WAYFINDER_DISPATCHER=false" in web
    assert re.search(r"^ExecStart=\S+/wayfinder serve ", web, re.MULTILINE)
    assert re.search(r"^ExecStart=\S+/wayfinder worker$", worker, re.MULTILINE)
    assert re.search(r"^ExecStart=\S+/wayfinder migrate$", migrate, re.MULTILINE)
    assert "Type=oneshot" in migrate
    for unit in (web, worker, migrate):
        assert "EnvironmentFile=/etc/wayfinder/wayfinder.env" in unit
        for line in unit.splitlines():
            if line.startswith("Environment=WAYFINDER_"):
                name, value = line.removeprefix("Environment=").split("=", 1)
                config.from_environ({name: value.replace("%i", "1")})
