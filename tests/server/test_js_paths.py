"""Paths typed in the page's and the worker's JavaScript are real routes.

Templates and Python build links with url_for; the JavaScript cannot, so this
collects every string literal starting with "/" from frontend/js and
service_worker and checks it against the app's routes, with each template part
replaced by the real values it takes. A renamed route fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter, RequestRedirect

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        *ROOT.joinpath("frontend/js").rglob("*.mjs"),
        *ROOT.joinpath("service_worker").rglob("*.mjs"),
    ]
)
#: A quoted or backquoted literal that starts with "/".
LITERAL = re.compile(r"""(['"`])(/(?:[^'"`\\\s]|\\.)*)\1""")
#: A template literal's ${...} part.
PART = re.compile(r"\$\{([^}]*)\}")
#: The push API's base; its client calls paths relative to it (`call('GET', '/x')`).
API_BASE = "/api/push"
#: Where API-relative paths are joined: the API, and one subscription (the
#: worker's callApi(..., '/snooze')).
API_BASES = (API_BASE, f"{API_BASE}/subscriptions/a1b2c3")
#: Literals that are prefixes or fragments, not links: each must still begin a route.
PREFIXES = {
    API_BASE: "the push API's base, joined with the paths its clients call",
    "/api/": "the worker sends everything under it to the network",
    "/icons/": "the worker picks the notification icon from its precache list",
}


def literals() -> list[tuple[str, int, str]]:
    """(file, line, literal) for every "/..." literal outside comments."""
    found = []
    for source in SOURCES:
        for number, line in enumerate(source.read_text().splitlines(), 1):
            if line.strip().startswith(("//", "*", "/*")):
                continue
            for match in LITERAL.finditer(line):
                found.append((str(source.relative_to(ROOT)), number, match.group(2)))
    return found


def tool_ids(client: FlaskClient, app: Flask) -> list[str]:
    """Every `tool` value the tool pages record (data-tool), and a custom one."""
    tools = app.extensions["wayfinder.content"].tools
    with app.test_request_context():
        pages = [url_for("tools.breathing", slug=p.slug) for p in tools.patterns]
        pages += [url_for("tools.mindfulness", slug=e.slug) for e in tools.exercises]
    ids = []
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        ids.append(
            BeautifulSoup(html, "html.parser").find(attrs={"data-tool": True})[
                "data-tool"
            ]
        )
    # breathing.mjs records a pattern made on the device as breathing/custom#<id>.
    return [*ids, "breathing/custom#a1b2"]


def expand(literal: str, values: dict[str, list[str]]) -> list[str]:
    """The literal with each ${...} replaced by every value it takes."""
    parts = PART.findall(literal)
    unknown = [p for p in parts if p not in values]
    assert not unknown, f"say which values {unknown} take in test_js_paths.py"
    paths = [literal]
    for part in dict.fromkeys(parts):
        paths = [p.replace(f"${{{part}}}", v) for p in paths for v in values[part]]
    return paths


def route_exists(routes: MapAdapter, path: str) -> bool:
    """Whether some rule answers this path (by any method), without a redirect."""
    try:
        routes.match(path, method="GET")
    except MethodNotAllowed:
        return True
    except (NotFound, RequestRedirect):
        return False
    return True


def test_the_collector_finds_the_hand_typed_links() -> None:
    """The links this test exists for are among what it collects."""
    collected = {literal for _, _, literal in literals()}
    for expected in (
        "/tools/${item.tool}",
        "/tools/breathing/custom#${encodeURIComponent(pattern.id)}",
        "/reminders",
        "/sw.js",
        API_BASE,
        "/snooze",
    ):
        assert expected in collected, expected


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_each_prefix_still_begins_a_route(app: Flask, prefix: str) -> None:
    """A prefix the code tests for is the start of at least one real URL."""
    rules = [rule.rule for rule in app.url_map.iter_rules()]
    urls = app.extensions["wayfinder.assets"].urls.values()
    assert any(u.startswith(prefix) for u in rules) or any(
        f"/{prefix.strip('/')}/" in u for u in urls
    ), prefix


def test_every_path_in_the_javascript_is_a_real_route(
    app: Flask, client: FlaskClient
) -> None:
    """Page links answer 200 for every value; API paths match an API rule."""
    values = {
        "item.tool": tool_ids(client, app),
        "encodeURIComponent(pattern.id)": ["a1b2"],
        "encodeURIComponent(id)": ["a1b2c3"],
    }
    routes = app.url_map.bind("localhost")
    problems = []
    for source, line, literal in literals():
        if literal in PREFIXES:
            continue
        for path in expand(literal, values):
            path = path.split("#", 1)[0]
            if route_exists(routes, path) and not path.startswith("/api/"):
                status = client.get(path).status_code
                if status != 200:
                    problems.append(f"{source}:{line} {path} answers {status}")
            elif not any(route_exists(routes, b + path) for b in ("", *API_BASES)):
                problems.append(f"{source}:{line} {path} is not a route")
    assert not problems, "\n".join(problems)
