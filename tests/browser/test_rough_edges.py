"""The rough edges a new user hit, held in real Chromium: "Section:" beside its
heading, the offline page's bullets, tools as cards, /reminders field borders,
the "Other countries" arrow, and the 500 page with the chosen country."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Route, expect

from server import create_app
from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

WIDTHS = [320, 390]

#: Relative luminance and contrast (WCAG 2.2), and the colour behind an element.
CONTRAST_JS = """
(el) => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number)
  const lum = (c) => {
    const [r, g, b] = rgb(c).slice(0, 3).map((v) => {
      const s = v / 255
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }
  let node = el.parentElement
  let behind = 'rgb(255, 255, 255)'
  while (node) {
    const bg = getComputedStyle(node).backgroundColor
    if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') { behind = bg; break }
    node = node.parentElement
  }
  const border = getComputedStyle(el).borderTopColor
  const [a, b] = [lum(border), lum(behind)].sort((x, y) => y - x)
  return { border, behind, ratio: (a + 0.05) / (b + 0.05) }
}
"""


@pytest.fixture()
def context_options() -> dict:
    """US English, so the help page guesses the United States."""
    return {"locale": "en-US"}


@pytest.mark.parametrize("width", WIDTHS)
def test_section_label_stays_beside_its_heading(
    page: Page, live_server: str, width: int
) -> None:
    """On /search, "Section:" sits on the first line of its heading link."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server + "/search?q=ketamine%20side%20effects")
    sections = page.locator(".search-result__section")
    expect(sections.first).to_be_visible()
    boxes = sections.evaluate_all(
        """(ps) => ps.map((p) => {
          const label = document.createRange()
          label.selectNodeContents(p.firstChild)
          const link = document.createRange()
          link.selectNodeContents(p.querySelector('a'))
          return {
            text: p.firstChild.textContent.trim(),
            label: label.getBoundingClientRect().toJSON(),
            line: link.getClientRects()[0].toJSON(),
          }
        })"""
    )
    assert len(boxes) >= 2
    for box in boxes:
        assert box["text"] == "Section:"
        middle = box["label"]["top"] + box["label"]["height"] / 2
        assert box["line"]["top"] <= middle <= box["line"]["bottom"], box
        assert box["label"]["right"] <= box["line"]["left"] + 1, box


@pytest.mark.parametrize("width", WIDTHS)
def test_offline_page_bullets_sit_inside_the_text_column(
    page: Page, live_server: str, width: int
) -> None:
    """Top-level saved pages line up with the text; nested ones are bulleted and
    indented, their bullets inside the column, all at one indent."""
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(live_server + "/offline")
    column = page.locator("main h1").bounding_box()["x"]
    top = page.locator("main .link-list > li")
    nested = page.locator("main .link-list li li")
    assert top.count() >= 3 and nested.count() >= 2
    for x in top.evaluate_all("(els) => els.map((e) => e.getBoundingClientRect().x)"):
        assert abs(x - column) < 1
    assert top.first.evaluate("(e) => getComputedStyle(e).listStyleType") == "none"
    items = nested.evaluate_all(
        """(els) => els.map((e) => ({
          x: e.getBoundingClientRect().x,
          list: e.parentElement.getBoundingClientRect().x,
          marker: getComputedStyle(e).listStyleType,
          position: getComputedStyle(e).listStylePosition,
          font: parseFloat(getComputedStyle(e).fontSize),
        }))"""
    )
    assert len({round(i["x"]) for i in items}) == 1, items
    for item in items:
        assert item["marker"] == "disc" and item["position"] == "outside"
        # An outside bullet hangs about 1em left of the item: room for it inside.
        assert item["list"] >= column - 1
        assert item["x"] - column >= item["font"], item


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_tools_index_shows_cards(page: Page, live_server: str, scheme: str) -> None:
    """Each tool on /tools is a bordered, padded card on its own surface, with an
    un-underlined name and one line under it."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + "/tools")
    cards = page.locator("main .tool-list > li")
    assert cards.count() >= 3
    page_bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    styles = cards.evaluate_all(
        """(els) => els.map((e) => {
          const s = getComputedStyle(e)
          const a = getComputedStyle(e.querySelector('a'))
          return {
            borders: [s.borderTopWidth, s.borderRightWidth, s.borderBottomWidth,
                      s.borderLeftWidth].map(parseFloat),
            style: s.borderTopStyle, radius: parseFloat(s.borderTopLeftRadius),
            bg: s.backgroundColor,
            htmlBg: getComputedStyle(document.documentElement).backgroundColor,
            padding: parseFloat(s.paddingLeft), underline: a.textDecorationLine,
            lines: e.querySelectorAll('.hint').length,
          }
        })"""
    )
    for card in styles:
        assert min(card["borders"]) >= 1 and card["style"] == "solid", card
        assert card["radius"] > 0 and card["padding"] >= 8, card
        assert card["bg"] not in {"rgba(0, 0, 0, 0)", page_bg, card["htmlBg"]}, card
        assert card["underline"] == "none" and card["lines"] == 1, card


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reminder_fields_share_the_app_border_at_3_to_1(
    page: Page, live_server: str, scheme: str
) -> None:
    """Every field on /reminders has the app's one field border (the search
    box's), at least 3:1 against what is behind it (WCAG 1.4.11)."""
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server + "/guide")
    search = page.locator("main input[type='search']").first
    search_border = search.evaluate("(e) => getComputedStyle(e).borderTopColor")
    page.goto(live_server + "/reminders")
    fields = page.locator(
        ".field input[type='time'], .field input[type='text'], .field select"
    )
    assert fields.count() >= 3
    for index in range(fields.count()):
        found = fields.nth(index).evaluate(CONTRAST_JS)
        assert found["border"] == search_border, found
        assert found["ratio"] >= 3, found


def _other_countries(page: Page):
    """The "Other countries" summary the country picker adds on /help."""
    summary = page.locator("summary", has_text="Other countries")
    expect(summary).to_be_visible()
    return summary


def _arrow(page: Page) -> dict:
    """The summary's arrow: its content, transform and transition."""
    return _other_countries(page).evaluate(
        """(s) => {
          const b = getComputedStyle(s, '::before')
          return { content: b.content, width: parseFloat(b.width),
                   border: parseFloat(b.borderRightWidth), transform: b.transform,
                   duration: b.transitionDuration }
        }"""
    )


def test_other_countries_shows_an_arrow_that_turns(
    page: Page, live_server: str
) -> None:
    """The disclosure has a visible arrow that turns when it opens."""
    page.goto(live_server + "/help")
    closed = _arrow(page)
    assert closed["content"] != "none" and closed["width"] > 0 and closed["border"] > 0
    assert closed["transform"] != "none"
    _other_countries(page).click()
    expect(page.locator("details.other-countries")).to_have_attribute("open", "")
    page.wait_for_function(
        """(before) => getComputedStyle(document.querySelector(
             'details.other-countries > summary'), '::before').transform !== before""",
        arg=closed["transform"],
    )
    assert _arrow(page)["transform"] != closed["transform"]
    assert closed["duration"] not in {"0s", "1e-05s"}


def test_other_countries_opened_before_the_picker_starts_stays_open(
    page: Page, live_server: str
) -> None:
    """The disclosure opened before the picker module runs stays open after."""
    picker = re.compile(r"/country-picker(\.[0-9a-f]+)?\.mjs$")
    held: list[Route] = []
    page.route(picker, lambda route: held.append(route))
    with page.expect_request(picker):
        page.goto(live_server + "/help")
    _other_countries(page).click()
    expect(page.locator("details.other-countries")).to_have_attribute("open", "")
    assert len(held) == 1, "the picker module was not held back"
    assert page.locator("html[data-started]").count() == 0
    held[0].continue_()
    page.wait_for_selector("html[data-started]", state="attached")
    expect(page.locator("details.other-countries")).to_have_attribute("open", "")


def test_other_countries_arrow_does_not_animate_under_reduced_motion(
    page: Page, live_server: str
) -> None:
    """With reduced motion, the arrow turns at once."""
    page.emulate_media(reduced_motion="reduce")
    page.goto(live_server + "/help")
    assert _arrow(page)["duration"] == "0s"


@pytest.fixture()
def crashing_server(tmp_path: Path) -> Iterator[str]:
    """A live app with a test-only route that raises, for the real 500 page."""
    app: Flask = create_app({"INSTANCE_PATH": tmp_path / "i", "DISPATCHER": False})

    @app.get("/test-only-crash")
    def crash() -> str:
        """Fail as a bug in a view would."""
        raise RuntimeError("a test-only crash")

    server = LiveServer(app).start()
    yield server.url
    server.stop()


def test_the_server_error_page_shows_the_chosen_country(
    browser_context: BrowserContext, crashing_server: str
) -> None:
    """After choosing New Zealand on /help, the 500 page's card leads with it."""
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(crashing_server + "/help")
    page.select_option("#country-choice", "NZ")
    response = page.goto(crashing_server + "/test-only-crash")
    assert response is not None and response.status == 500
    expect(page.locator("h1")).to_have_text("Something went wrong on our side")
    card = page.locator("main .help-card").first
    expect(card).to_have_attribute("data-help-shown", "NZ")
    buttons = card.locator("[data-help-country]:visible a.button")
    expect(buttons.first).to_have_attribute("href", "tel:1737")
    expect(card.locator("a[href='tel:988']:visible")).to_have_count(0)
    assert errors == []
