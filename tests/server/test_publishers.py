"""Sources come from reviewed publishers: the allowed-hosts list and its check."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from server.content import ContentError, load_library
from server.content.publishers import normalise_host

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


def _swap_url(path: Path, old_host: str, new_url: str) -> None:
    """Point the first source on old_host in a file at new_url instead."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "url:" in line and old_host in line:
            indent = line[: line.index("url:")]
            lines[i] = f"{indent}url: {new_url}\n"
            break
    else:
        raise AssertionError(f"no source on {old_host} in {path}")
    path.write_text("".join(lines), encoding="utf-8")


def test_every_shipped_source_is_on_an_allowed_host(app) -> None:
    """The shipped content loads, and its list names who each host is."""
    library = app.extensions["wayfinder.content"]
    hosts = library.publishers.hosts
    assert "nice.org.uk" in hosts and "accessdata.fda.gov" in hosts
    assert all(p.name and p.kind for p in library.publishers.publishers)


def test_a_leading_www_is_ignored_but_other_subdomains_are_not() -> None:
    """www.nice.org.uk is nice.org.uk; dev2.psychiatrist.com is its own host."""
    assert normalise_host("https://www.nice.org.uk/guidance") == "nice.org.uk"
    assert normalise_host("https://dev2.psychiatrist.com/x") == "dev2.psychiatrist.com"


# Each case: (file to edit, a host it cites, the unreviewed URL to put there).
BAD_SOURCES = {
    "guide article": (
        "guide/medication-strategies.md",
        "nice.org.uk",
        "https://dev2.psychiatrist.com/jcp/a-copy",
    ),
    "crisis lines": ("help/lines.yaml", "988lifeline.org", "https://news.example/988"),
    "a crisis line's own link": (
        "help/lines.yaml",
        "111.nhs.uk",
        "https://copy.example/111",
    ),
    "breathing": ("tools/breathing.yaml", "doi.org", "https://mirror.example/paper"),
    "mindfulness": (
        "tools/mindfulness/body-scan.yaml",
        "doi.org",
        "https://aggregator.example/mbct",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_SOURCES))
def test_a_source_on_an_unlisted_host_is_refused(content_copy, case) -> None:
    """Loading names the file and the host that is not on the list."""
    name, host, url = BAD_SOURCES[case]
    path = content_copy / name
    _swap_url(path, host, url)
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert Path(caught.value.path) == path
    assert normalise_host(url) in caught.value.problem
    assert "not an allowed publisher" in caught.value.problem


def test_adding_the_host_to_the_list_lets_it_through(content_copy) -> None:
    """One reviewed line in publishers.yaml is all it takes."""
    path = content_copy / "guide" / "medication-strategies.md"
    _swap_url(path, "nice.org.uk", "https://journal.example/article")
    listing = content_copy / "publishers.yaml"
    data = yaml.safe_load(listing.read_text(encoding="utf-8"))
    data["publishers"].append(
        {"host": "journal.example", "name": "A journal", "kind": "journal"}
    )
    listing.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert load_library(content_copy).article("medication-strategies")


BAD_LISTS = {
    "missing file": (None, "the allowed-publishers list is missing"),
    "www in a host": (
        {"host": "www.nice.org.uk", "name": "NICE", "kind": "guideline"},
        "without www.",
    ),
    "a duplicate host": (
        {"host": "nice.org.uk", "name": "NICE again", "kind": "guideline"},
        "listed twice",
    ),
    "an unknown kind": (
        {"host": "blog.example", "name": "A blog", "kind": "blog"},
        "publishers.",
    ),
    "a URL instead of a host": (
        {"host": "https://nice.org.uk/", "name": "NICE", "kind": "guideline"},
        "publishers.",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_LISTS))
def test_a_bad_list_is_refused(content_copy, case) -> None:
    """The list itself is checked: names a problem in publishers.yaml."""
    entry, problem = BAD_LISTS[case]
    listing = content_copy / "publishers.yaml"
    if entry is None:
        listing.unlink()
    else:
        data = yaml.safe_load(listing.read_text(encoding="utf-8"))
        data["publishers"].append(entry)
        listing.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert Path(caught.value.path) == listing
    assert problem in caught.value.problem


def test_wayfinder_check_prints_one_line_naming_file_and_host(
    content_copy, tmp_path
) -> None:
    """`wayfinder check` exits non-zero with `wayfinder: <file>: <problem>`."""
    path = content_copy / "help" / "lines.yaml"
    _swap_url(path, "988lifeline.org", "https://news.example/988")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")}
    env.update(
        WAYFINDER_CONTENT_DIR=str(content_copy),
        WAYFINDER_INSTANCE_PATH=str(tmp_path / "instance"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "server", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert done.returncode != 0
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"wayfinder: {path}: source https://news.example/988")
    assert "'news.example', which is not an allowed publisher" in lines[0]
