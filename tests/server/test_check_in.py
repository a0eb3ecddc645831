"""Check-in pages: each renders cleanly, works offline, and item 9 leads to help."""

from __future__ import annotations

import pytest
from flask import Flask

from server.push.vocabulary import VOCABULARY
from server.views import offline_urls
from tests.readability import flesch_kincaid_grade

PAGES = ["/check-in", "/check-in/phq-9", "/check-in/gad-7", "/check-in/trends"]


@pytest.mark.parametrize("url", PAGES)
def test_each_page_renders_and_is_saved_for_offline(
    get_page, app: Flask, url: str
) -> None:
    """One h1, the page's module and stylesheet, and in the precache list."""
    soup = get_page(url)
    assert soup.select_one("[data-module^='check-in']") is not None
    assert any(
        "check-in" in link["href"] for link in soup.select("link[rel=stylesheet]")
    )
    assert url in offline_urls(app)


def test_the_nav_links_to_check_in(get_page) -> None:
    """The main nav has "Check in", marked current on its pages."""
    link = get_page("/check-in/trends").select_one("nav a[href='/check-in']")
    assert link.get_text() == "Check in"
    assert link["aria-current"] == "page"


def test_the_phq9_help_screen_has_the_crisis_lines(get_page) -> None:
    """Hidden until item 9 is answered: every country's call and text buttons."""
    soup = get_page("/check-in/phq-9")
    screen = soup.select_one("[data-help-now]")
    assert screen.has_attr("hidden")
    assert screen.select("[data-help-country] a[href^='tel:']")
    assert screen.select("[data-help-country] a[href^='sms:']")
    words = screen.get_text(" ", strip=True).lower()
    assert "safe " not in words and "risk" not in words
    plan = screen.select_one("[data-plan-link]")
    assert plan["href"] == "/my-plan"
    assert plan.get_text() == "Your safety plan, or make one"


def test_the_check_in_reminder_opens_the_check_in() -> None:
    """Tapping a check-in reminder opens /check-in."""
    kind = next(k for k in VOCABULARY.kinds if k.id == "check-in")
    assert kind.navigate == "/check-in"


@pytest.mark.parametrize("url", PAGES)
def test_our_words_are_plain(get_page, url: str) -> None:
    """The pages' own words read at grade 8 (the items come from JavaScript)."""
    main = get_page(url).select_one("main")
    text = main.get_text(" ", strip=True)
    assert flesch_kincaid_grade(text) <= 8, url
