"""Guided breathing in real Chromium: phases, controls, motion, cues, storage, a11y."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import wait_for_worker_control
from tests.browser.tools_helpers import (
    CUE_SPIES,
    ends,
    hold_clock,
    open_tool,
    phases,
    stored,
    wait_for_count,
)

PATTERNS = {
    "box": [("in", 4000), ("hold", 4000), ("out", 4000), ("hold", 4000)],
    "4-7-8": [("in", 4000), ("hold", 7000), ("out", 8000)],
    "resonance": [("in", 5500), ("out", 5500)],
    "cyclic-sighing": [("in", 3000), ("in", 1000), ("out", 6000)],
}


def open_settings(page: Page) -> None:
    """Unfold the length and sounds settings (folded under Start)."""
    settings = page.locator("details.breather__settings")
    if settings.get_attribute("open") is None:
        settings.locator("summary").click()
    expect(settings).to_have_attribute("open", "")


def start(page: Page, length: str = "cycles", cycles: int = 1) -> None:
    """Choose a session length and press Start."""
    open_settings(page)
    page.check(f"input[name=length][value='{length}']")
    if length == "cycles":
        page.fill("#breath-cycles", str(cycles))
    page.click("[data-start]")


def test_box_breathing_in_real_time(page: Page, live_server: str) -> None:
    """One real cycle of box breathing: phases in order, 4 s each, then the check."""
    open_tool(page, live_server + "/tools/breathing/box")
    start(page, cycles=1)
    expect(page.locator("[data-phase]")).to_have_text("Breathe in")
    expect(page.locator("[data-pause]")).to_be_focused()
    expect(page.locator("[data-count]")).to_have_text("4")
    wait_for_count(page, "ends", 1)
    seen = phases(page)
    assert [(p["kind"], p["ms"]) for p in seen] == PATTERNS["box"]
    # The engine's schedule is exact; what the page saw is close to it.
    starts = [p["scheduledAt"] for p in seen]
    assert [round(b - a) for a, b in zip(starts, starts[1:], strict=False)] == [
        4000
    ] * 3
    seen_at = [p["at"] for p in seen]
    for gap in (b - a for a, b in zip(seen_at, seen_at[1:], strict=False)):
        assert abs(gap - 4000) < 250, gap
    end = ends(page)[0]
    assert end["completed"] is True
    assert abs(end["activeMs"] - 16000) < 1
    expect(page.locator("[data-feeling]")).to_be_visible()
    expect(page.locator("#feeling-heading")).to_be_focused()
    expect(page.locator("[data-phase]")).to_have_text(
        "That is the end of the session. Breathe normally."
    )


@pytest.mark.parametrize("slug", sorted(PATTERNS))
def test_each_pattern_runs_in_order_with_its_durations(
    page: Page, live_server: str, slug: str
) -> None:
    """With a controlled clock, two cycles of each pattern run exactly on schedule."""
    open_tool(page, f"{live_server}/tools/breathing/{slug}", clock=True)
    start(page, cycles=2)
    cycle = sum(ms for _, ms in PATTERNS[slug])
    page.clock.run_for(cycle * 2 + 500)
    seen = phases(page)
    assert [(p["kind"], p["ms"]) for p in seen] == PATTERNS[slug] * 2
    first = seen[0]["scheduledAt"]
    offset = 0
    for p, (_, ms) in zip(seen, PATTERNS[slug] * 2, strict=True):
        assert p["scheduledAt"] == pytest.approx(first + offset)
        assert p["at"] == pytest.approx(p["scheduledAt"], abs=20)
        offset += ms
    wait_for_count(page, "ends", 1)
    assert ends(page)[0]["completed"] is True
    expect(page.locator("[data-feeling]")).to_be_visible()


def test_pause_resume_and_stop_are_one_tap(page: Page, live_server: str) -> None:
    """Pause freezes the phase, resume carries on where it was, stop ends it."""
    open_tool(page, live_server + "/tools/breathing/box", clock=True)
    start(page, length="open")
    page.clock.run_for(2500)
    page.click("[data-pause]")
    expect(page.locator("[data-phase]")).to_have_text("Paused")
    expect(page.locator("[data-resume]")).to_be_focused()
    expect(page.locator("[data-pause]")).to_be_hidden()
    page.clock.run_for(60_000)
    assert len(phases(page)) == 1
    page.click("[data-resume]")
    expect(page.locator("[data-phase]")).to_have_text("Breathe in")
    expect(page.locator("[data-count]")).to_have_text("2")
    page.clock.run_for(1600)
    expect(page.locator("[data-phase]")).to_have_text("Hold")
    seen = phases(page)
    assert [p["kind"] for p in seen] == ["in", "in", "hold"]
    # The hold began 4 s of breathing after the start: the pause is not counted.
    assert seen[2]["scheduledAt"] - seen[0]["scheduledAt"] == 4000 + 60_000
    page.click("[data-stop]")
    wait_for_count(page, "ends", 1)
    end = ends(page)[0]
    assert end["completed"] is False
    assert end["activeMs"] == 4100
    expect(page.locator("[data-feeling]")).to_be_visible()
    expect(page.locator("[data-controls]")).to_be_hidden()
    expect(page.locator("[data-start]")).to_have_text("Start again")


def test_escape_stops_and_hidden_tab_resynchronises(
    page: Page, live_server: str
) -> None:
    """After a long gap with no timers (a hidden tab), the phase is right; Esc stops."""
    open_tool(page, live_server + "/tools/breathing/box", clock=True)
    start(page, length="minutes:3")
    page.clock.run_for(1000)
    # Like closing the laptop lid: time jumps, due timers fire at most once.
    page.clock.fast_forward(37_000)
    page.evaluate("() => document.dispatchEvent(new Event('visibilitychange'))")
    expect(page.locator("[data-phase]")).to_have_text("Hold")
    seen = phases(page)
    assert len(seen) == 2, "one announcement for the jump, not a flood"
    assert seen[1]["cycle"] == 2 and seen[1]["index"] == 1
    assert seen[1]["scheduledAt"] - seen[0]["scheduledAt"] == pytest.approx(36_000)
    page.clock.run_for(3000)
    assert phases(page)[2]["scheduledAt"] - seen[0]["scheduledAt"] == pytest.approx(
        40_000
    )
    page.keyboard.press("Escape")
    wait_for_count(page, "ends", 1)
    assert ends(page)[0]["completed"] is False
    expect(page.locator("[data-feeling]")).to_be_visible()


def test_the_shape_grows_and_shrinks_with_transform(
    page: Page, live_server: str
) -> None:
    """Without reduced motion the shape scales (a compositor transform) with breath."""
    open_tool(page, live_server + "/tools/breathing/box", clock=True)
    shape = page.locator("[data-shape]")
    start(page, length="open")
    page.clock.run_for(100)
    assert "scale(1)" in shape.evaluate("el => el.style.transform")
    assert shape.evaluate("el => el.style.transitionDuration") == "4000ms"
    page.clock.run_for(8000)
    assert "scale(0.45)" in shape.evaluate("el => el.style.transform")
    assert shape.evaluate("el => el.style.opacity") == ""


def test_reduced_motion_fades_instead_of_scaling(page: Page, live_server: str) -> None:
    """With reduced motion the shape never scales: its opacity fades instead."""
    page.emulate_media(reduced_motion="reduce")
    open_tool(page, live_server + "/tools/breathing/resonance", clock=True)
    expect(page.locator(".breather")).to_have_class("breather breather--still")
    shape = page.locator("[data-shape]")
    start(page, length="open")
    page.clock.run_for(100)
    assert shape.evaluate("el => el.style.opacity") == "1"
    page.clock.run_for(5500)
    assert shape.evaluate("el => el.style.opacity") == "0.3"
    assert shape.evaluate("el => el.style.transform") == ""
    assert shape.evaluate("el => getComputedStyle(el).transform") == "none"
    assert [p["kind"] for p in phases(page)] == ["in", "out"]


def test_feeling_check_is_stored_and_shown_on_tools(
    page: Page, live_server: str
) -> None:
    """'A little better' is stored with the session and listed gently on /tools."""
    open_tool(page, live_server + "/tools/breathing/cyclic-sighing", clock=True)
    start(page, cycles=6)
    page.clock.run_for(60_500)
    page.click("[data-feeling-choice='better']")
    expect(page.locator("[data-feeling-status]")).to_contain_text("Thank you")
    expect(page.locator("[data-feeling-choice='better']")).to_have_attribute(
        "aria-pressed", "true"
    )
    sessions = stored(page)
    assert len(sessions) == 1
    assert sessions[0]["tool"] == "breathing/cyclic-sighing"
    assert sessions[0]["feeling"] == "better"
    assert sessions[0]["activeMs"] == 60_000
    page.goto(live_server + "/tools")
    summary = page.locator("[data-module='tools-summary']")
    expect(summary).to_have_attribute("data-ready", "true")
    expect(summary.locator("[data-summary-minutes]")).to_have_text(
        "In the past 7 days you spent 1 minute with the tools"
    )
    expect(summary.locator("[data-summary-helpful] a")).to_have_text("Cyclic sighing")
    text = summary.inner_text().lower()
    assert "streak" not in text and "missed" not in text
    # Clearing asks first, then empties the history.
    page.click("[data-summary-clear]")
    page.click("[data-summary-confirm]")
    expect(summary.locator("[data-summary-empty]")).to_be_visible()
    assert stored(page) == []


def test_worse_kindly_offers_help(page: Page, live_server: str) -> None:
    """Answering 'Worse' offers the help page and is stored too."""
    open_tool(page, live_server + "/tools/breathing/box", clock=True)
    start(page, length="open")
    page.clock.run_for(5000)
    page.click("[data-stop]")
    page.click("[data-feeling-choice='worse']")
    worse = page.locator("[data-feeling-worse]")
    expect(worse).to_be_visible()
    expect(worse.locator("a[href='/help']")).to_be_visible()
    expect(page.locator("[data-feeling-status]")).to_have_text(
        "Thank you for telling us."
    )
    assert stored(page)[0]["feeling"] == "worse"


def test_custom_patterns_are_saved_run_and_deleted(
    page: Page, live_server: str
) -> None:
    """Several custom patterns are saved on the device; one runs with its counts."""
    page.goto(live_server + "/tools/breathing")
    form = page.locator("[data-custom-form]")
    # Mistakes are explained next to the field.
    form.locator("[name=inhale]").fill("25")
    form.locator("button[type=submit]").click()
    expect(page.locator("#custom-name-error")).to_have_text(
        "Give your pattern a name, so you can find it again."
    )
    expect(page.locator("#custom-inhale-error")).to_have_text(
        "Choose from 0 to 20 seconds."
    )
    for name, counts in (
        ("Quick calm", ("1", "0", "2", "1")),
        ("Slow", ("5", "0", "7", "0")),
    ):
        form.locator("[name=name]").fill(name)
        for field, value in zip(
            ("inhale", "holdIn", "exhale", "holdOut"), counts, strict=True
        ):
            form.locator(f"[name={field}]").fill(value)
        form.locator("button[type=submit]").click()
        expect(page.locator("[data-custom-status]")).to_contain_text(f"Saved {name}")
    saved = page.locator("[data-custom-saved] li")
    expect(saved).to_have_count(2)
    expect(saved.nth(0)).to_contain_text("In 1, out 2, hold 1 seconds")
    # Run the first one.
    href = saved.nth(0).locator("a").get_attribute("href")
    assert href.startswith("/tools/breathing/custom#")
    open_tool(page, live_server + href, clock=True)
    expect(page.locator("[data-custom-lead]")).to_have_text(
        "Quick calm: In 1, out 2, hold 1 seconds."
    )
    start(page, cycles=2)
    page.clock.run_for(8500)
    assert [(p["kind"], p["ms"]) for p in phases(page)] == [
        ("in", 1000),
        ("out", 2000),
        ("hold", 1000),
    ] * 2
    wait_for_count(page, "ends", 1)
    assert stored(page)[0]["title"] == "Quick calm"
    assert stored(page)[0]["tool"] == href.removeprefix("/tools/")
    # Delete the other one.
    page.goto(live_server + "/tools/breathing")
    page.click("button[aria-label='Delete Slow']")
    expect(page.locator("[data-custom-saved] li")).to_have_count(1)
    expect(page.locator("[data-custom-status]")).to_have_text("Deleted Slow.")


def test_missing_custom_pattern_says_so(page: Page, live_server: str) -> None:
    """A link to a custom pattern this device does not have explains itself."""
    page.goto(live_server + "/tools/breathing/custom#not-here")
    expect(page.locator("[data-custom-missing]")).to_be_visible()
    expect(page.locator("[data-start]")).to_be_hidden()


def test_cues_are_off_by_default_then_remembered_and_distinct(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Tones, vibration and spoken words start off; once on they are remembered,
    tones and vibrations differ for in and out, and the screen is kept awake."""
    browser_context.add_init_script(CUE_SPIES)
    open_tool(page, live_server + "/tools/breathing/box", clock=True)
    boxes = page.locator("[data-setup] input[type=checkbox]")
    expect(boxes).to_have_count(3)
    for i in range(3):
        expect(boxes.nth(i)).not_to_be_checked()
    open_settings(page)
    for name in ("tones", "vibration", "speech"):
        page.check(f"input[data-pref={name}]")
    page.reload()
    page.wait_for_selector("[data-setup]:not([hidden])")
    hold_clock(page)
    open_settings(page)
    for name in ("tones", "vibration", "speech"):
        expect(page.locator(f"input[data-pref={name}]")).to_be_checked()
    start(page, length="open")
    page.clock.run_for(12_500)
    cues = page.evaluate("() => window.__cues")
    assert cues["speech"] == ["Breathe in", "Hold", "Breathe out", "Hold"]
    assert cues["vibrate"][0] != cues["vibrate"][2]  # in and out feel different
    tone_in, tone_out = cues["tones"][0], cues["tones"][2]
    assert tone_in != tone_out
    assert cues["wake"] == ["request:screen"]
    page.click("[data-pause]")
    assert page.evaluate("() => window.__cues.wake") == ["request:screen", "release"]
    # Sound was allowed: the Start tap unlocked the audio context.
    assert cues["audio"] == "running"


def test_start_by_keyboard_and_axe_clean_while_running(
    page: Page, live_server: str
) -> None:
    """Keyboard alone starts a session; axe finds nothing before or during it."""
    open_tool(page, live_server + "/tools/breathing/4-7-8")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    page.locator("[data-start]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-phase]")).to_have_text("Hold", timeout=10_000)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    page.keyboard.press("Escape")
    page.emulate_media(color_scheme="dark")
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    "path", ["/tools", "/tools/breathing", "/tools/breathing/cyclic-sighing"]
)
def test_fits_320px_and_200_percent_text(
    page: Page, live_server: str, path: str
) -> None:
    """At 320 px wide, even with text at 200%, nothing scrolls sideways."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server + path)
    page.wait_for_load_state("networkidle")
    wide = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(wide)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    assert page.evaluate(wide)


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}])
def test_works_without_javascript(
    page: Page, live_server: str, context_options: dict
) -> None:
    """With JavaScript off, the steps are readable and no dead controls show."""
    page.goto(live_server + "/tools/breathing/box")
    expect(page.locator(".breather__script li")).to_have_count(4)
    expect(page.locator("[data-start]")).to_be_hidden()
    expect(page.locator("[data-stage]")).to_be_hidden()
    page.goto(live_server + "/tools/breathing")
    expect(page.locator(".custom-patterns .nojs-only")).to_be_visible()


def test_offline_after_first_visit(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """Once the service worker is in, the breathing pages load and run offline."""
    page.goto(live_server + "/tools")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    for slug in PATTERNS:
        response = page.goto(f"{live_server}/tools/breathing/{slug}")
        assert response is not None and response.ok, slug
    open_tool(page, live_server + "/tools/breathing/box")
    start(page, length="open")
    expect(page.locator("[data-phase]")).to_have_text("Breathe in")
    page.click("[data-stop]")
    expect(page.locator("[data-feeling]")).to_be_visible()
    page.goto(live_server + "/tools")
    expect(page.locator("h1")).to_have_text("Coping tools")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_on_tool_lists_with_history(
    page: Page, live_server: str, scheme: str
) -> None:
    """The lists, the pattern maker and the totals are axe clean, filled in."""
    page.emulate_media(color_scheme=scheme)

    def check() -> None:
        results = Axe().run(page, options={"resultTypes": ["violations"]})
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    page.goto(live_server + "/tools/breathing")
    form = page.locator("[data-custom-form]")
    form.locator("[name=name]").fill("Evening")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-custom-saved] li")).to_have_count(1)
    form.locator("[name=inhale]").fill("")
    form.locator("button[type=submit]").click()  # show the error messages too
    expect(page.locator("#custom-inhale-error")).not_to_be_empty()
    check()
    open_tool(page, live_server + "/tools/breathing/box")
    start(page, length="open")
    page.click("[data-stop]")
    page.click("[data-feeling-choice='better']")
    expect(page.locator("[data-feeling-status]")).to_contain_text("Thank you")
    check()
    page.goto(live_server + "/tools")
    expect(page.locator("[data-module='tools-summary']")).to_have_attribute(
        "data-ready", "true"
    )
    expect(page.locator("[data-summary-helpful] li")).to_have_count(1)
    check()
    for path in ("/tools/mindfulness", "/tools/breathing/custom#missing"):
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        check()


def test_start_is_on_the_first_screen_with_settings_folded(
    page: Page, live_server: str
) -> None:
    """One tap starts: Start shows on the first screen of a phone, at 320 px too,
    with the settings folded away; touch screens get no "press Escape" hint."""
    for width, height in ((390, 844), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server + "/tools/breathing/box")
        button = page.locator("[data-start]")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["y"] + box["height"] <= height
        expect(page.locator("details.breather__settings")).not_to_have_attribute(
            "open", ""
        )
    button.click()
    expect(page.locator("[data-controls]")).to_be_visible()
    fine = page.evaluate("matchMedia('(hover: hover) and (pointer: fine)').matches")
    expect(page.locator("[data-keys]")).to_be_visible() if fine else None
    assert fine, "this desktop profile has a mouse, so the hint shows"


@pytest.mark.parametrize(
    "context_options", [{"has_touch": True, "is_mobile": True}], indirect=True
)
def test_touch_screens_get_no_escape_hint(
    page: Page, live_server: str, context_options: dict
) -> None:
    """On a phone there is no Escape key to press, so the hint stays hidden."""
    page.goto(live_server + "/tools/breathing/box")
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")
    page.locator("[data-start]").click()
    expect(page.locator("[data-controls]")).to_be_visible()
    expect(page.locator("[data-keys]")).to_be_hidden()


@pytest.fixture()
def context_options(request: pytest.FixtureRequest) -> dict:
    """Launch options for tests that ask for them."""
    return getattr(request, "param", {})
