"""The guide: article rules, rendering, internal links, and bad content at start-up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from server import create_app
from server.content import ContentError, load_library

ROOT = Path(__file__).resolve().parents[2]
MIN_WORDS, MAX_WORDS = 600, 1500
MIN_SOURCES = 3
ARTICLES = 16
# Links that leave the site or are not pages.
EXTERNAL_SCHEMES = ("http:", "https:", "tel:", "sms:", "mailto:")


@pytest.fixture()
def articles(app):
    """The shipped guide articles."""
    return app.extensions["wayfinder.content"].guide


def test_there_are_sixteen_articles(articles) -> None:
    """The guide ships its sixteen articles, in order."""
    assert len(articles) == ARTICLES
    orders = [a.meta.order for a in articles]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_every_article_has_its_fields_length_and_sources(articles) -> None:
    """Title, summary, review date, 600-1,500 words and 3+ sources with URLs."""
    for article in articles:
        meta = article.meta
        assert meta.title and meta.summary and meta.reviewed, article.slug
        assert MIN_WORDS <= article.words <= MAX_WORDS, (article.slug, article.words)
        assert len(meta.sources) >= MIN_SOURCES, article.slug
        for source in meta.sources:
            assert source.title
            assert urlsplit(str(source.url)).scheme in {"http", "https"}
            assert urlsplit(str(source.url)).hostname


def test_article_page_shows_time_contents_sources_and_review_date(
    get_page, articles
) -> None:
    """Each article shows reading time, review date, sources, a notice, and a
    table of contents when it is long."""
    for article in articles:
        soup = get_page(f"/guide/{article.slug}")
        meta = soup.select_one(".article .meta").get_text(" ", strip=True)
        assert f"{article.reading_minutes} min read" in meta
        reviewed = soup.select_one(f"time[datetime='{article.meta.reviewed}']")
        assert reviewed is not None and "Last reviewed" in meta
        assert "not medical advice" in soup.select_one(".notice").get_text()
        sources = [a["href"] for a in soup.select(".sources a")]
        assert sources == [str(s.url) for s in article.meta.sources]
        toc = soup.select_one("nav.toc")
        if article.toc:
            hrefs = [a["href"] for a in toc.select("a")]
            assert hrefs == [f"#{h.anchor}" for h in article.toc]
        else:
            assert toc is None


def test_long_articles_get_a_table_of_contents(articles) -> None:
    """Every shipped article is long enough to need one."""
    assert all(article.toc for article in articles)


def test_reading_time_follows_the_word_count(articles) -> None:
    """Reading time is words / 200, rounded up."""
    for article in articles:
        assert article.reading_minutes == -(-article.words // 200)


def _links(soup: BeautifulSoup) -> list[str]:
    """Every link target on a page."""
    return [a["href"] for a in soup.select("a[href]")]


def test_no_broken_internal_links(client) -> None:
    """Crawl every page from the home page: each internal link answers 200,
    and each #anchor exists on the page it points at."""
    pages: dict[str, BeautifulSoup] = {}
    anchors: list[tuple[str, str, str]] = []
    queue = deque(["/"])
    seen = {"/"}
    while queue:
        url = queue.popleft()
        response = client.get(url)
        status, mimetype = response.status_code, response.mimetype
        body = response.get_data(as_text=True) if mimetype == "text/html" else ""
        response.close()
        assert status == 200, f"{url} answered {status}"
        if mimetype != "text/html":
            continue
        soup = BeautifulSoup(body, "html.parser")
        pages[url] = soup
        for href in _links(soup):
            if href.startswith(EXTERNAL_SCHEMES):
                continue
            target, fragment = urldefrag(urljoin(url, href))
            if fragment:
                anchors.append((url, target or url, fragment))
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    assert len(pages) >= 15, sorted(pages)
    for source, target, fragment in anchors:
        soup = pages[target]
        assert soup.find(id=fragment) is not None, f"{source} -> {target}#{fragment}"


def test_every_article_is_reachable_from_the_guide(get_page, articles) -> None:
    """The guide index links every article."""
    hrefs = set(_links(get_page("/guide")))
    assert {f"/guide/{a.slug}" for a in articles} <= hrefs


# --- Bad content stops start-up with one clear line ----------------------------

GOOD = """---
title: A test article
summary: A short summary.
order: 99
reviewed: 2026-01-01
sources:
  - title: One
    url: https://example.org/one
---

Some words.
"""


@pytest.fixture()
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped content."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    return target


BROKEN = {
    "malformed front matter": (
        "broken.md",
        "---\ntitle: [not closed\nsummary: x\n---\n\nWords.\n",
        "malformed front matter",
    ),
    "missing title": (
        "no-title.md",
        GOOD.replace("title: A test article\n", ""),
        "missing title",
    ),
    "missing sources": (
        "no-sources.md",
        GOOD.split("sources:")[0] + "---\n\nSome words.\n",
        "missing sources",
    ),
    "duplicate slug": (
        "copy-of-trd.md",
        GOOD.replace("order: 99\n", "order: 99\nslug: what-is-trd\n"),
        "duplicate slug 'what-is-trd'",
    ),
}


def _break(content: Path, case: str) -> tuple[Path, str]:
    """Write one broken article into a content copy; return its path and problem."""
    name, text, problem = BROKEN[case]
    path = content / "guide" / name
    path.write_text(text, encoding="utf-8")
    return path, problem


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_bad_content_raises_naming_file_and_problem(content_copy, case) -> None:
    """Loading refuses the bad file and says which file and what is wrong."""
    path, problem = _break(content_copy, case)
    with pytest.raises(ContentError) as caught:
        load_library(content_copy)
    assert Path(caught.value.path).parent == path.parent
    assert path.name in str(caught.value)
    assert problem in caught.value.problem


def test_bad_content_stops_the_app(content_copy, tmp_path) -> None:
    """create_app refuses to start on bad content."""
    _break(content_copy, "missing title")
    with pytest.raises(ContentError):
        create_app({"CONTENT_DIR": content_copy, "INSTANCE_PATH": tmp_path / "i"})


def _run_cli(
    command: str, content: Path, instance: Path
) -> subprocess.CompletedProcess:
    """Run `python -m server <command>` against a content folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAYFINDER_")}
    env.update(
        WAYFINDER_CONTENT_DIR=str(content),
        WAYFINDER_INSTANCE_PATH=str(instance),
        WAYFINDER_WEB_WORKERS="1",
        WAYFINDER_DISPATCHER="false",
    )
    args = [sys.executable, "-m", "server", command]
    if command == "serve":
        args += ["--port", "1"]
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("command", "case"),
    [("check", case) for case in sorted(BROKEN)] + [("serve", "duplicate slug")],
)
def test_cli_exits_with_one_clear_line(content_copy, tmp_path, command, case) -> None:
    """`wayfinder check` and `wayfinder serve` exit non-zero with one line naming
    the file and the problem, and no traceback."""
    path, problem = _break(content_copy, case)
    done = _run_cli(command, content_copy, tmp_path / "instance")
    output = (done.stdout + done.stderr).strip()
    assert done.returncode != 0
    assert "Traceback" not in output
    lines = output.splitlines()
    assert len(lines) == 1, output
    assert path.name in lines[0] and problem in lines[0], lines[0]


def test_cli_check_passes_on_shipped_content(tmp_path) -> None:
    """The shipped content passes `wayfinder check`."""
    done = _run_cli("check", ROOT / "content", tmp_path / "instance")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"ok: {ARTICLES} articles")


def test_the_lead_comes_before_the_contents_list(get_page, articles) -> None:
    """An article's opening paragraphs (on the suicide page, where to get help
    now) are read before the contents list, and the body after it."""
    for article in articles:
        soup = get_page(f"/guide/{article.slug}")
        order = [
            el.name if el.name == "nav" else "lead" if el.find("h2") is None else "body"
            for el in soup.select(".article > .prose, .article > nav.toc")
        ]
        assert order == ["lead", "nav", "body"], article.slug
    soup = get_page("/guide/thoughts-of-suicide")
    lead = soup.select_one(".article > .prose").get_text(" ", strip=True)
    assert "988" in lead and "116 123" in lead
    article = next(a for a in articles if a.slug == "thoughts-of-suicide")
    whole = BeautifulSoup(article.html, "html.parser")
    ids = [el["id"] for el in whole.select("[id]")]
    assert [el["id"] for el in soup.select(".article .prose [id]")] == ids
