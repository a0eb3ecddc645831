"""Appointment preparation and the summary: the guide's question boxes found
at start-up (every box, every question, links that land on the box), the
pages that carry them, and pages that hold no personal data."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bs4 import BeautifulSoup

from server.content.guide import parse_article
from server.views import offline_urls
from server.views.appointment import guide_questions

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "content" / "guide"


def source_boxes(path: Path) -> list[int]:
    """How many list items each ::: questions box has in an article's Markdown."""
    counts: list[int] = []
    inside = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() == "::: questions":
            inside = True
            counts.append(0)
        elif inside and line.strip() == ":::":
            inside = False
        elif inside and re.match(r"^\s*[-*] ", line):
            counts[-1] += 1
    return counts


def test_every_box_and_question_in_the_guide_is_found(app) -> None:
    """Each article's boxes, in order, hold the questions of its rendered asides."""
    lib = app.extensions["wayfinder.content"]
    total = 0
    for article in lib.guide:
        counts = source_boxes(Path(article.path))
        assert [len(b.questions) for b in article.question_boxes] == counts
        html = BeautifulSoup(article.html, "html.parser")
        asides = html.find_all("aside", class_="questions")
        assert len(asides) == len(article.question_boxes)
        for aside, box in zip(asides, article.question_boxes, strict=True):
            assert aside["aria-labelledby"] == box.anchor
            rendered = [li.get_text(" ", strip=True) for li in aside.find_all("li")]
            assert list(box.questions) == rendered
        total += sum(counts)
    assert len(list(GUIDE.glob("*.md"))) == len(lib.guide)
    assert total >= 90


def test_links_land_on_the_box(app, client) -> None:
    """Each box's link opens its article at the box's heading."""
    with app.test_request_context():
        boxes = guide_questions(app.extensions["wayfinder.content"])
    assert len(boxes) == 16
    for box in boxes:
        path, anchor = box["url"].split("#")
        page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
        heading = page.find(id=anchor)
        assert heading.get_text(strip=True) == "Questions to ask your clinician"
        aside = heading.find_parent("aside", class_="questions")
        shown = [li.get_text(" ", strip=True) for li in aside.find_all("li")]
        assert [q["text"] for q in box["questions"]] == shown
        assert page.find("h1").get_text(strip=True) == box["title"]
        ids = [q["id"] for q in box["questions"]]
        assert ids == [f"{box['slug']}/{anchor}/{n}" for n in range(1, len(ids) + 1)]


def test_two_boxes_in_one_article_are_numbered_apart(tmp_path: Path) -> None:
    """A second box gets questions-2, as the renderer numbers it; inline marks drop."""
    path = tmp_path / "two-boxes.md"
    path.write_text(
        "---\ntitle: Two boxes\nsummary: A test.\norder: 1\nreviewed: 2026-01-01\n"
        "sources:\n  - {title: A source, url: 'https://example.org/'}\n---\n"
        "Lead text.\n\n::: questions\n- One *kind* question?\n- Two?\n:::\n\n"
        "## More\n\nBody text.\n\n::: questions\n- Three, with [a link](/help)?\n:::\n",
        encoding="utf-8",
    )
    article = parse_article(path)
    assert [(b.anchor, b.questions) for b in article.question_boxes] == [
        ("questions-1", ("One kind question?", "Two?")),
        ("questions-2", ("Three, with a link?",)),
    ]
    assert 'aria-labelledby="questions-2"' in article.html


def test_the_page_lists_every_question_from_the_json(get_page) -> None:
    """/appointment carries the boxes as JSON and a tick box for each question."""
    soup = get_page("/appointment")
    boxes = json.loads(soup.find("script", id="guide-questions").string)
    values = [i["value"] for i in soup.select("input[name=questions]")]
    assert values == [q["id"] for b in boxes for q in b["questions"]]
    links = [a["href"] for a in soup.select(".appt-box__link a")]
    assert links == [b["url"] for b in boxes]
    assert soup.find("script", id="medicines") is not None
    assert soup.find("script", id="side-effects") is not None
    assert soup.select_one(".help-card") is not None


def test_the_summary_says_it_is_the_person_s_own_record(get_page) -> None:
    """The summary page says whose record it is, and that it is not medical advice."""
    soup = get_page("/appointment/summary")
    own = soup.select_one(".summary-own").get_text(" ", strip=True)
    assert "My own record" in own and "not medical advice" in own
    assert soup.select_one(".help-card") is not None


def test_both_pages_work_offline(app) -> None:
    """Both pages are in the worker's precache list."""
    urls = offline_urls(app)
    assert "/appointment" in urls and "/appointment/summary" in urls
