"""Get help now: emergency numbers first, every number a tel:/sms: link."""

from __future__ import annotations

import re

import pytest

COUNTRIES = ["US", "CA", "GB", "IE", "AU", "NZ"]


@pytest.fixture()
def lines(app):
    """The crisis lines loaded at start-up."""
    return app.extensions["wayfinder.content"].help


@pytest.fixture()
def soup(get_page):
    """The help page, parsed and checked."""
    return get_page("/help")


def test_call_buttons_then_danger_advice_come_first(soup, lines) -> None:
    """Call and text buttons come straight after the heading, then what to do
    right now; without JavaScript the buttons are there for every country."""
    card = soup.select_one("main h1").find_next_sibling()
    assert "help-card" in card["class"]
    rows = card.select("[data-help-country]")
    assert [r["data-help-country"] for r in rows] == [*COUNTRIES, "other"]
    for row, country in zip(rows, lines.countries, strict=False):
        hrefs = [a["href"] for a in row.select("a.button")]
        assert hrefs[0] == country.main_call.href
        assert hrefs[-1] == f"tel:{country.emergency}"
    # The international directory's row is the last, for "Somewhere else"
    # (main.css shows it only then: test_help_everywhere.py in the browser).
    assert "findahelpline.com" in rows[-1].a["href"]
    danger = card.find_next_sibling()
    assert danger.name == "section" and "danger" in danger.get_text().lower()
    assert danger.select_one("[data-emergency-example] a[href^='tel:']") is not None


@pytest.mark.parametrize("code", COUNTRIES)
def test_country_has_emergency_number_first_and_a_crisis_line(soup, lines, code):
    """Each listed country starts with its emergency number, then a crisis line."""
    country = lines.country(code)
    section = soup.select_one(f"section[data-country='{code}']")
    assert section is not None
    links = section.select("a[href]")
    assert links[0]["href"] == f"tel:{country.emergency}"
    assert links[0].find_parent(class_="emergency") is not None
    crisis = section.select("li.line--crisis")
    assert crisis, f"{code} has no crisis line"
    assert crisis[0].select_one("a[href^='tel:'], a[href^='sms:']") is not None


def test_every_contact_is_a_tel_or_sms_link(soup, lines) -> None:
    """Every number in the data is a tappable link, and every contact link dials."""
    for country in lines.countries:
        section = soup.select_one(f"section[data-country='{country.code}']")
        hrefs = {a["href"] for a in section.select("a[href]")}
        for line in country.lines:
            for contact in line.contacts:
                assert contact.href in hrefs, (country.code, contact.label)
    for link in soup.select(".contacts a, .emergency a"):
        assert link["href"].startswith(("tel:", "sms:")), link["href"]
        digits = re.sub(r"\D", "", link.get_text())
        number = re.sub(r"\D", "", link["href"].split("?")[0])
        assert number in digits, (link["href"], link.get_text())


def test_ireland_shows_both_emergency_numbers(soup) -> None:
    """Ireland has 112 and 999; both are links."""
    section = soup.select_one("section[data-country='IE']")
    emergency = {a["href"] for a in section.select(".emergency a")}
    assert emergency == {"tel:112", "tel:999"}


def test_samhsa_is_marked_as_a_referral_line(soup) -> None:
    """SAMHSA's helpline is for finding treatment, not crisis counselling."""
    us = soup.select_one("section[data-country='US']")
    samhsa = next(li for li in us.select("li.line") if "SAMHSA" in li.h3.get_text())
    assert "line--referral" in samhsa["class"]
    assert "not crisis" in samhsa.select_one(".line__purpose").get_text()
    assert "button--help" not in " ".join(
        " ".join(a.get("class", [])) for a in samhsa.select("a")
    )


def test_988_is_a_crisis_line(soup) -> None:
    """988 is listed as a crisis line in the US, to call or text."""
    us = soup.select_one("section[data-country='US']")
    line = next(li for li in us.select("li.line") if "988" in li.h3.get_text())
    assert "line--crisis" in line["class"]
    hrefs = {a["href"] for a in line.select("a")}
    assert {"tel:988", "sms:988"} <= hrefs


def test_international_directory_for_everywhere_else(soup, lines) -> None:
    """People elsewhere get the international directory."""
    other = soup.select_one("#country-other")
    assert other is not None
    assert other.select_one(f"a[href='{lines.international.url}']") is not None


def test_everything_is_visible_without_javascript(soup) -> None:
    """Every country is in the page's flow, none hidden and none inside the
    disclosure, which stays empty until the picker module fills it."""
    assert soup.select("section[hidden]") == []
    sections = soup.select(".countries > section.country")
    assert len(sections) == len(soup.select("section.country"))
    details = soup.select_one(".countries > details.other-countries")
    assert details is not None
    assert [child.name for child in details.find_all(recursive=False)] == ["summary"]
    picker = soup.select_one(".countries > [data-module='country-picker']")
    assert picker is not None and picker.select_one("select#country-choice")
    assert len(soup.select("section[data-country]")) >= len(COUNTRIES)


def test_review_date_and_sources_are_shown(soup, lines) -> None:
    """The page says when the numbers were last checked and where from, in a
    collapsed disclosure below the lines."""
    sources = soup.select_one("details.help-sources")
    assert not sources.has_attr("open")
    assert sources.select_one(f"time[datetime='{lines.reviewed}']") is not None
    hrefs = {a["href"] for a in sources.select("a")}
    assert {str(s.url) for s in lines.sources} <= hrefs


def test_every_page_links_to_help(client, get_page) -> None:
    """Help is one tap away from every page."""
    for url in ("/", "/guide", "/guide/what-is-trd", "/search", "/tools", "/about"):
        assert get_page(url).select_one("header a[href='/help']") is not None
