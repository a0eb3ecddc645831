"""Strict WAYFINDER_* parsing: good values parse, bad ones stop start-up clearly."""

import re
from pathlib import Path

import pytest

from server import config
from server.config import ConfigError


def test_zero_configuration_gives_defaults():
    """With no variables set, every setting has its default."""
    values = config.from_environ({})
    assert values == config.defaults()
    assert values["VAPID_SUBJECT"].startswith("mailto:")
    assert values["DISPATCHER"] is True


def test_values_are_parsed(tmp_path):
    """Each kind of value is parsed to its Python type."""
    values = config.from_environ(
        {
            "WAYFINDER_INSTANCE_PATH": str(tmp_path),
            "WAYFINDER_DATABASE_URL": "postgres://u@localhost/wf",
            "WAYFINDER_PUSH_SERVICES": "http://127.0.0.1:9999, https://push.example/",
            "WAYFINDER_WEB_WORKERS": "4",
            "WAYFINDER_DISPATCHER": "off",
            "WAYFINDER_VAPID_SUBJECT": "https://wayfinder.example/contact",
        }
    )
    assert values["INSTANCE_PATH"] == Path(tmp_path)
    assert values["DATABASE_URL"] == "postgresql+psycopg://u@localhost/wf"
    assert values["PUSH_SERVICES"] == ("http://127.0.0.1:9999", "https://push.example")
    assert values["WEB_WORKERS"] == 4
    assert values["DISPATCHER"] is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("WAYFINDER_DISPATCHER", "ture", "expected true or false"),
        ("WAYFINDER_WEB_WORKERS", "two", "expected a whole number"),
        ("WAYFINDER_WEB_WORKERS", "0", "from 1 to 64"),
        ("WAYFINDER_DATABASE_URL", "mysql://x/y", "only sqlite and postgresql"),
        ("WAYFINDER_VAPID_SUBJECT", "mailto: <me@x.org>", "mailto:"),
        ("WAYFINDER_VAPID_SUBJECT", "https://localhost", "https://"),
        ("WAYFINDER_PUSH_SERVICES", "ftp://push.example", "is not an origin"),
        ("WAYFINDER_PUSH_SERVICES", "https://push.example/path", "no path"),
        ("WAYFINDER_RATE_LIMIT", "lots", "rate such as"),
        ("WAYFINDER_LOG_LEVEL", "loud", "DEBUG"),
        ("WAYFINDER_DEBUGG", "1", "is not a Wayfinder setting"),
    ],
)
def test_bad_values_name_the_variable(name, value, message):
    """A malformed or unknown variable raises one clear message naming it."""
    with pytest.raises(ConfigError) as raised:
        config.from_environ({name: value})
    assert str(raised.value).startswith(name)
    assert message in str(raised.value)


def test_test_variables_are_rejected_like_any_unknown_name():
    """The app knows nothing of the test suite: WAYFINDER_TEST_* is unknown too."""
    with pytest.raises(ConfigError) as raised:
        config.from_environ({"WAYFINDER_TEST_X": "x"})
    assert str(raised.value).startswith("WAYFINDER_TEST_X")
    assert "is not a Wayfinder setting" in str(raised.value)


def test_readme_documents_every_setting():
    """The README's configuration table names every WAYFINDER_ variable."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    rows = re.findall(r"^\| `WAYFINDER_([A-Z_]+)` \|", readme, re.MULTILINE)
    assert rows == [s.name for s in config.SETTINGS]  # same names, same order
