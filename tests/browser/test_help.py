"""The help page in real Chromium: the country choice is guessed, shown first,
remembered on the device and always changeable."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import overflow_at_200_percent_text, wait_for_worker_control

pytestmark = pytest.mark.browser


@pytest.fixture()
def context_options(request: pytest.FixtureRequest) -> dict:
    """Launch options for the test's browser; the locale by default is US English."""
    return {"locale": getattr(request, "param", "en-US")}


def _first_section(page: Page):
    """The section shown straight after the picker."""
    return page.locator("[data-module=country-picker] + section")


def _open(page: Page, url: str) -> None:
    """Open the help page and wait for its modules to start."""
    page.goto(url + "/help")
    page.wait_for_selector("html[data-started]", state="attached")
    expect(page.locator("#country-choice")).to_be_visible()


@pytest.mark.parametrize(
    ("context_options", "expected"),
    [
        ("en-GB", "GB"),
        ("en-NZ", "NZ"),
        ("fr-CA", "CA"),
        ("en-IE", "IE"),
        ("en-AU", "AU"),
        ("en-US", "US"),
    ],
    indirect=["context_options"],
)
def test_country_is_guessed_from_the_browser_language(
    page: Page, live_server: str, context_options: dict, expected: str
) -> None:
    """The browser's language and region pick the first country shown."""
    _open(page, live_server)
    first = _first_section(page)
    expect(first).to_have_attribute("data-country", expected)
    expect(page.locator("#country-choice")).to_have_value(expected)
    expect(page.locator("#country-choice-hint")).to_contain_text("guessed")
    emergency = first.locator("a[href^='tel:']").first
    expect(emergency).to_be_visible()
    assert emergency.evaluate("a => a.closest('.emergency') !== null")
    others = page.locator("details.other-countries")
    expect(others).not_to_have_attribute("open", "")
    expect(others.locator("section[data-country]")).to_have_count(5)
    expect(others.locator("#country-other")).to_have_count(1)


@pytest.mark.parametrize("context_options", ["de-DE"], indirect=True)
def test_unlisted_region_shows_the_international_directory(
    page: Page, live_server: str, context_options: dict
) -> None:
    """Somewhere we do not list gets the international directory first."""
    _open(page, live_server)
    expect(_first_section(page)).to_have_id("country-other")
    expect(page.locator("#country-choice")).to_have_value("other")
    expect(page.locator("details.other-countries section[data-country]")).to_have_count(
        6
    )


def test_choice_sticks_across_reloads_and_can_change(
    page: Page, live_server: str, context_options: dict
) -> None:
    """A chosen country is remembered on the device and can be changed back."""
    _open(page, live_server)
    expect(_first_section(page)).to_have_attribute("data-country", "US")
    page.select_option("#country-choice", "IE")
    expect(_first_section(page)).to_have_attribute("data-country", "IE")
    ireland = _first_section(page).locator(".emergency a")
    expect(ireland).to_have_count(2)
    expect(ireland.nth(0)).to_have_attribute("href", "tel:112")
    expect(ireland.nth(1)).to_have_attribute("href", "tel:999")
    example = page.locator("[data-emergency-example]")
    expect(example).to_have_text("(112 or 999 in Ireland)", use_inner_text=True)

    page.reload()
    expect(page.locator("#country-choice")).to_have_value("IE")
    expect(_first_section(page)).to_have_attribute("data-country", "IE")
    expect(page.locator("#country-choice-hint")).to_contain_text("Saved on this device")
    saved = page.evaluate("localStorage.getItem('wayfinder.country')")
    assert saved == "IE"

    page.select_option("#country-choice", "")
    expect(page.locator("details.other-countries")).to_have_count(0)
    expect(page.locator("section[data-country]").first).to_have_attribute(
        "data-country", "US"
    )
    assert page.evaluate("localStorage.getItem('wayfinder.country')") is None
    expect(example).to_contain_text("for example 911", use_inner_text=True)


def test_other_countries_open_with_the_keyboard(
    page: Page, live_server: str, context_options: dict
) -> None:
    """The collapsed countries open from their summary."""
    _open(page, live_server)
    summary = page.locator("details.other-countries > summary")
    expect(summary).to_have_text("Other countries")
    expect(page.locator("section[data-country='NZ']")).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("section[data-country='NZ']")).to_be_visible()


@pytest.mark.parametrize("context_options", ["en"], indirect=True)
def test_no_region_shows_every_country(
    page: Page, live_server: str, context_options: dict
) -> None:
    """A language with no region makes no guess: every country stays on show."""
    page.add_init_script(
        "Object.defineProperty(navigator, 'languages', {get: () => ['en']})"
    )
    _open(page, live_server)
    expect(page.locator("#country-choice")).to_have_value("")
    expect(page.locator("details.other-countries")).to_have_count(0)
    for code in ("US", "CA", "GB", "IE", "AU", "NZ"):
        expect(page.locator(f"section[data-country='{code}']")).to_be_visible()


@pytest.mark.parametrize("context_options", ["en-GB"], indirect=True)
def test_picker_passes_axe_and_fits_a_small_screen(
    page: Page, live_server: str, context_options: dict
) -> None:
    """With a country chosen the page is accessible and fits 320 px at 200% text."""
    page.set_viewport_size({"width": 320, "height": 640})
    _open(page, live_server)
    page.locator("details.other-countries > summary").click()
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    assert overflow_at_200_percent_text(page) <= 0


def test_chosen_country_shows_first_offline(
    page: Page, browser_context, live_server: str, context_options: dict
) -> None:
    """With the network cut, the saved help page still opens on the chosen country."""
    _open(page, live_server)
    wait_for_worker_control(page)
    page.select_option("#country-choice", "AU")
    browser_context.set_offline(True)
    page.reload()
    expect(_first_section(page)).to_have_attribute("data-country", "AU")
    expect(_first_section(page).locator(".emergency a").first).to_have_attribute(
        "href", "tel:000"
    )
