"""Guided mindfulness exercises in real Chromium: steps, controls, notes, cues, a11y."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from server.content.tools import load_tools
from tests.browser.helpers import wait_for_worker_control
from tests.browser.tools_helpers import (
    CUE_SPIES,
    ends,
    open_tool,
    steps,
    stored,
    wait_for_count,
)

TOOLS = load_tools(Path(__file__).resolve().parents[2] / "content" / "tools")
EXERCISES = {e.slug: e for e in TOOLS.exercises}


def position(page: Page) -> str:
    """The 'Step n of N' text."""
    return page.locator("[data-position]").inner_text()


@pytest.mark.parametrize("slug", sorted(EXERCISES))
def test_each_exercise_runs_step_by_step(page: Page, live_server: str, slug: str):
    """Timed steps move on by themselves after their time; others wait for Next."""
    exercise = EXERCISES[slug]
    open_tool(page, f"{live_server}/tools/mindfulness/{slug}", clock=True)
    page.click("[data-start]")
    count = len(exercise.steps)
    expect(page.locator("[data-position]")).to_have_text(f"Step 1 of {count}")
    expect(page.locator("[data-pause]")).to_be_focused()
    # Only the current step is shown while guided.
    expect(page.locator("[data-step]:visible")).to_have_count(1)
    for i, step in enumerate(exercise.steps):
        expect(page.locator("[data-position]")).to_have_text(f"Step {i + 1} of {count}")
        expect(page.locator(".step.is-current .step__title")).to_contain_text(
            step.title
        )
        expect(page.locator("[data-live]")).to_contain_text(step.title)
        if step.seconds is None:
            expect(page.locator("[data-time]")).to_have_text(
                "Take as long as you need, then choose Next."
            )
            page.clock.run_for(45_000)  # waiting never moves on by itself
            assert position(page) == f"Step {i + 1} of {count}"
            page.click("[data-next]")
        else:
            expect(page.locator("[data-time]")).to_have_text(
                f"{step.seconds} seconds left in this step"
            )
            page.clock.run_for(step.seconds * 1000 - 1)
            assert position(page) == f"Step {i + 1} of {count}"
            page.clock.run_for(1)
    wait_for_count(page, "ends", 1)
    seen = steps(page)
    assert [s["index"] for s in seen] == list(range(count))
    for s, nxt, step in zip(seen, seen[1:], exercise.steps, strict=False):
        if step.seconds is not None:
            assert nxt["at"] - s["at"] == step.seconds * 1000
    assert ends(page)[0]["completed"] is True
    expect(page.locator("[data-feeling]")).to_be_visible()
    expect(page.locator("[data-step]:visible")).to_have_count(count)
    assert stored(page)[0]["tool"] == f"mindfulness/{slug}"


def test_pause_resume_back_next_and_stop(page: Page, live_server: str) -> None:
    """Every control is one tap, and pausing keeps the rest of the step."""
    open_tool(page, live_server + "/tools/mindfulness/body-scan", clock=True)
    page.click("[data-start]")
    page.clock.run_for(10_000)
    page.click("[data-pause]")
    expect(page.locator("[data-resume]")).to_be_focused()
    expect(page.locator("[data-time]")).to_have_text("Paused")
    expect(page.locator("[data-live]")).to_have_text("Paused")
    page.clock.run_for(120_000)
    assert position(page) == "Step 1 of 9"
    page.click("[data-resume]")
    expect(page.locator("[data-time]")).to_have_text("20 seconds left in this step")
    page.clock.run_for(20_000)
    expect(page.locator("[data-position]")).to_have_text("Step 2 of 9")
    page.clock.run_for(5_000)
    page.click("[data-back]")
    expect(page.locator("[data-position]")).to_have_text("Step 1 of 9")
    expect(page.locator("[data-time]")).to_have_text("30 seconds left in this step")
    page.click("[data-next]")
    page.click("[data-next]")
    expect(page.locator("[data-position]")).to_have_text("Step 3 of 9")
    expect(page.locator(".step.is-current .step__title")).to_have_text("Your feet")
    page.clock.run_for(3_000)
    page.click("[data-stop]")
    wait_for_count(page, "ends", 1)
    end = ends(page)[0]
    assert end["completed"] is False
    assert end["activeMs"] == 10_000 + 20_000 + 5_000 + 3_000
    expect(page.locator("[data-feeling]")).to_be_visible()
    expect(page.locator("[data-start]")).to_have_text("Start again")


def test_escape_stops(page: Page, live_server: str) -> None:
    """Escape stops at any moment, even while paused."""
    open_tool(page, live_server + "/tools/mindfulness/self-compassion", clock=True)
    page.click("[data-start]")
    page.clock.run_for(35_000)
    page.click("[data-pause]")
    page.keyboard.press("Escape")
    wait_for_count(page, "ends", 1)
    assert ends(page)[0] == {
        "completed": False,
        "activeMs": 35_000,
        "id": stored(page)[0]["id"],
    }
    expect(page.locator("[data-live]")).to_have_text("Stopped.")


def test_grounding_keeps_notes_only_when_asked(page: Page, live_server: str) -> None:
    """What you type is not stored unless you choose 'Keep on this device'."""
    url = live_server + "/tools/mindfulness/grounding"
    open_tool(page, url)
    expect(page.locator("[data-notes-kept]")).to_be_hidden()

    def run_through(text: str) -> None:
        page.click("[data-start]")
        page.click("[data-next]")  # skip the settling step
        page.fill("#notice-2-1", text)
        for _ in range(6):
            page.click("[data-next]")
        expect(page.locator("[data-notes]")).to_be_visible()
        expect(page.locator("#notes-heading")).to_be_focused()

    run_through("the window")
    page.click("[data-notes-clear]")
    expect(page.locator("[data-notes-status]")).to_have_text(
        "Cleared. Nothing was saved."
    )
    assert page.input_value("#notice-2-1") == ""
    assert stored(page, "notes") == []

    run_through("a blue mug")
    page.click("[data-notes-keep]")
    expect(page.locator("[data-notes-list] li")).to_have_count(1)
    expect(page.locator("[data-notes-list] li")).to_contain_text("a blue mug")
    notes = stored(page, "notes")
    assert [i["text"] for i in notes[0]["items"]] == ["a blue mug"]
    assert notes[0]["items"][0]["step"] == "Five things you can see"

    page.goto(url)
    expect(page.locator("[data-notes-list] li")).to_have_count(1)
    page.click("[data-notes-delete]")
    expect(page.locator("[data-notes-kept]")).to_be_hidden()
    assert stored(page, "notes") == []
    for field in page.locator("input[data-notice]").all():
        assert field.get_attribute("autocomplete") == "off"


def test_bell_and_read_aloud_are_optional_and_remembered(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """The mindful minute's bell and spoken steps are off until chosen."""
    browser_context.add_init_script(CUE_SPIES)
    url = live_server + "/tools/mindfulness/mindful-minute"
    open_tool(page, url, clock=True)
    page.click("[data-start]")
    page.clock.run_for(16_000)
    cues = page.evaluate("() => window.__cues")
    assert cues["oscillators"] == 0 and cues["speech"] == []
    assert cues["wake"] == ["request:screen"]
    page.keyboard.press("Escape")

    page.check("input[data-pref=bell]")
    page.check("input[data-pref=read-aloud]")
    open_tool(page, url, clock=True)
    expect(page.locator("input[data-pref=bell]")).to_be_checked()
    expect(page.locator("input[data-pref=read-aloud]")).to_be_checked()
    page.click("[data-start]")
    page.clock.run_for(15_000)  # into the minute: the first bell
    cues = page.evaluate("() => window.__cues")
    assert cues["oscillators"] == 3  # one bell, three partials
    assert cues["speech"][0].startswith("Get ready.")
    assert cues["speech"][1].startswith("One minute with your breath.")
    page.clock.run_for(60_000)  # the closing bell
    assert page.evaluate("() => window.__cues.oscillators") == 6


def test_progress_bar_fills_with_transform_or_hides_for_reduced_motion(
    page: Page, live_server: str
) -> None:
    """The step bar fills by a compositor transform; with reduced motion it is gone."""
    open_tool(page, live_server + "/tools/mindfulness/muscle-relaxation", clock=True)
    page.click("[data-start]")
    fill = page.locator("[data-fill]")
    expect(fill).to_be_visible()
    assert fill.evaluate("el => el.style.transform") == "scaleX(1)"
    assert fill.evaluate("el => el.style.transitionDuration") == "20000ms"

    page.emulate_media(reduced_motion="reduce")
    open_tool(page, live_server + "/tools/mindfulness/muscle-relaxation", clock=True)
    page.click("[data-start]")
    expect(page.locator(".guided__bar")).to_be_hidden()
    expect(page.locator("[data-time]")).to_have_text("20 seconds left in this step")


def test_axe_clean_before_and_during_an_exercise(page: Page, live_server: str) -> None:
    """axe finds nothing on the script, in guided mode, or after, in both themes."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        open_tool(page, live_server + "/tools/mindfulness/grounding")
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()
        page.click("[data-start]")
        page.click("[data-next]")
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()
        page.click("[data-stop]")
        expect(page.locator("[data-feeling]")).to_be_visible()
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("slug", ["grounding", "muscle-relaxation"])
def test_fits_320px_and_200_percent_text(
    page: Page, live_server: str, slug: str
) -> None:
    """At 320 px, even with 200% text and in guided mode, nothing scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    open_tool(page, f"{live_server}/tools/mindfulness/{slug}")
    wide = "() => document.documentElement.scrollWidth <= window.innerWidth"
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    assert page.evaluate(wide)
    page.click("[data-start]")
    assert page.evaluate(wide)


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_readable_script_without_javascript(
    page: Page, live_server: str, context_options: dict
) -> None:
    """With JavaScript off, every step is on the page and no dead controls show."""
    for slug, exercise in EXERCISES.items():
        page.goto(f"{live_server}/tools/mindfulness/{slug}")
        expect(page.locator("[data-step]:visible")).to_have_count(len(exercise.steps))
        expect(page.locator("[data-start]")).to_be_hidden()
        expect(page.locator("[data-controls]")).to_be_hidden()


def test_offline_after_first_visit(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Once the service worker is in, every exercise loads and runs offline."""
    page.goto(live_server + "/tools")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    for slug in EXERCISES:
        response = page.goto(f"{live_server}/tools/mindfulness/{slug}")
        assert response is not None and response.ok, slug
    open_tool(page, live_server + "/tools/mindfulness/mindful-minute")
    page.click("[data-start]")
    expect(page.locator("[data-position]")).to_have_text("Step 1 of 3")
    page.click("[data-stop]")
    expect(page.locator("[data-feeling]")).to_be_visible()
