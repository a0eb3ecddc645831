"""Check-ins in real Chromium: one tap saves, reload and offline; the PHQ-9
end to end with item 9 leading to help and the plan; the chart with 0, 1 and
2,000 points; CSV; axe in light and dark, 320 px and 200% text; and no
request ever carries what a person entered.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PageProblems
from tests.browser.helpers import overflow_at_200_percent_text, wait_for_worker_control

pytestmark = pytest.mark.browser

#: Records of one type from the page's own personal store.
STORED = """async type => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  return (await personalStore().list(type)).map(r => ({ id: r.id, ...r.data }))
}"""

#: Fill the store with n daily check-ins ending today, and PHQ-9 results
#: every two weeks (scores falling from 19), through the page's store.
SEED = """async ({ n, phq, note }) => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const { makeRecord } = await import('/static/gen/personal-model.mjs')
  const day = 86400000
  const now = Date.now()
  const records = []
  for (let i = 0; i < n; i++) {
    const t = now - (n - 1 - i) * day
    records.push(makeRecord('check-in', { at: new Date(t).toISOString(),
      mood: 1 + (i % 5), note: note + i }, { now: () => t }))
  }
  for (let i = 0; i < phq; i++) {
    const t = now - (phq - 1 - i) * 14 * day
    const score = Math.max(0, 19 - i)
    const answers = Array.from({ length: 9 }, (_, k) =>
      Math.min(3, Math.floor(score / 9) + (k < score % 9 ? 1 : 0)))
    records.push(makeRecord('phq9', { at: new Date(t).toISOString(), answers,
      score: answers.reduce((a, b) => a + b, 0) }, { now: () => t }))
  }
  await personalStore().importRecords(records)
}"""

READY = "() => document.querySelector('[data-module][data-ready]') !== null"


def open_page(page: Page, url: str) -> None:
    """Open a check-in page and wait for its component."""
    page.goto(url)
    page.wait_for_function(READY)


def seed(page: Page, base: str, n: int, phq: int = 0, note: str = "note ") -> None:
    """Put records in the store (from /check-in), then come back to a page."""
    open_page(page, f"{base}/check-in")
    page.evaluate(SEED, {"n": n, "phq": phq, "note": note})


def answer_phq9(page: Page, answers: list[int]) -> None:
    """Tick one answer per item, in order."""
    for i, value in enumerate(answers, start=1):
        page.locator(f"#item-{i} input[value='{value}']").check()


def axe_clean(page: Page) -> None:
    """axe-core finds no violation."""
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def test_a_check_in_is_one_tap_and_survives_a_reload(
    page: Page, live_server: str
) -> None:
    """One tap saves the mood; extras add to the same check-in; reload lists it."""
    open_page(page, f"{live_server}/check-in")
    expect(page.get_by_role("button", name="Very low", exact=True)).to_be_visible()
    page.get_by_role("button", name="Okay", exact=True).click()
    expect(page.locator("[data-mood-status]")).to_contain_text("Saved: Okay, at ")
    kept = page.evaluate(STORED, "check-in")
    assert [c["mood"] for c in kept] == [3]
    expect(page.get_by_role("button", name="Okay", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )

    page.get_by_label("Hours of sleep last night").fill("6.5")
    page.get_by_role("group", name="Energy").get_by_label("2: Low").check()
    page.get_by_role("group", name="Anxiety").get_by_label("4: A lot").check()
    page.get_by_label("A few words").fill("A slow morning")
    page.get_by_role("button", name="Save these").click()
    expect(page.locator("[data-extras-status]")).to_have_text("Added to this check-in.")
    again = page.evaluate(STORED, "check-in")
    assert len(again) == 1 and again[0]["id"] == kept[0]["id"]
    assert {k: again[0][k] for k in ("mood", "sleepHours", "energy", "anxiety")} == {
        "mood": 3,
        "sleepHours": 6.5,
        "energy": 2,
        "anxiety": 4,
    }
    assert again[0]["note"] == "A slow morning"

    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("[data-today]")).to_contain_text("Okay")
    page.get_by_role("button", name="Very low", exact=True).click()
    expect(page.locator("[data-mood-low]")).to_be_visible()
    expect(page.locator("[data-mood-low] a")).to_have_attribute("href", "/help")
    assert len(page.evaluate(STORED, "check-in")) == 2, "several a day are fine"
    expect(page.locator("main")).not_to_contain_text("streak")


def test_the_phq9_is_offered_after_two_weeks_and_never_pushed(
    page: Page, live_server: str
) -> None:
    """A gentle line when none is kept or the last is 14 days old; none after 3 days."""
    open_page(page, f"{live_server}/check-in")
    expect(page.locator("[data-phq-due]")).to_contain_text("fine to skip")
    old = """async days => {
      const { personalStore } = await import('/static/gen/personal-store.mjs')
      const at = new Date(Date.now() - days * 86400000).toISOString()
      await personalStore().save('phq9', { at, answers: Array(9).fill(1), score: 9 })
    }"""
    page.evaluate(old, 15)
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("[data-phq-due]")).to_contain_text("two weeks or more")
    page.evaluate(old, 3)
    page.reload()
    page.wait_for_function(READY)
    expect(page.locator("[data-phq-due]")).to_be_hidden()


def test_check_in_offline_after_the_first_visit(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """With no network, the pages load from the worker and a tap still saves."""
    open_page(page, f"{live_server}/check-in")
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    for path in ("/check-in/phq-9", "/check-in/gad-7", "/check-in/trends"):
        response = page.goto(live_server + path)
        assert response is not None and response.ok, path
    open_page(page, f"{live_server}/check-in")
    page.get_by_role("button", name="Good", exact=True).click()
    expect(page.locator("[data-mood-status]")).to_contain_text("Saved: Good")
    open_page(page, f"{live_server}/check-in/trends")
    expect(page.locator("[data-summary]")).to_contain_text("Across 1 check-in")
    expect(page.locator("[data-chart] .chart__dot--mood")).to_have_count(1)


def test_phq9_end_to_end_item_9_opens_help_and_the_plan(
    browser_context: BrowserContext, live_server: str
) -> None:
    """An answer above "Not at all" to item 9 at once shows help; the score follows."""
    problems = PageProblems(live_server)
    page = problems.watch(browser_context.pages[0])
    page.goto(f"{live_server}/help")
    page.evaluate("() => localStorage.setItem('wayfinder.country', 'GB')")
    open_page(page, f"{live_server}/check-in/phq-9")
    expect(page.locator("[data-stem]")).to_have_text(
        "Over the last 2 weeks, how often have you been bothered by any of the"
        " following problems?"
    )
    expect(page.locator("#item-9 legend")).to_have_text(
        "9. Thoughts that you would be better off dead or of hurting yourself in"
        " some way"
    )
    expect(page.locator("[data-notice]")).to_contain_text(
        "with an educational grant from Pfizer Inc."
    )
    help_screen = page.locator("[data-help-now]")
    answer_phq9(page, [2, 2, 1, 3, 1, 2, 1, 0])
    expect(help_screen).to_be_hidden()
    page.locator("#item-9 input[value='1']").check()
    expect(help_screen).to_be_visible()
    expect(page.locator("#help-now-heading")).to_be_focused()
    plan = page.get_by_role("link", name="Your safety plan, or make one")
    expect(plan).to_have_attribute("href", "/my-plan")
    card = help_screen.locator("[data-module='help-card']")
    expect(card).to_have_attribute("data-help-shown", "GB")
    expect(
        card.locator("[data-help-country='GB'] a[href^='tel:']").first
    ).to_be_visible()
    expect(
        card.locator("[data-help-country='GB'] a[href^='sms:']").first
    ).to_be_visible()
    expect(help_screen).not_to_contain_text("risk")

    page.get_by_role("button", name="Go on with the questions").click()
    page.get_by_label("Somewhat difficult").check()
    page.get_by_role("button", name="See my score").click()
    expect(page.locator("[data-score]")).to_have_text("13 out of 27")
    expect(page.locator("[data-band]")).to_contain_text('"moderate"')
    expect(page.locator("[data-band]")).to_contain_text("not a diagnosis")
    expect(help_screen).to_be_visible()
    expect(page.locator("[data-saved]")).to_have_text("Saved on this device.")
    kept = page.evaluate(STORED, "phq9")
    assert len(kept) == 1
    assert kept[0]["answers"] == [2, 2, 1, 3, 1, 2, 1, 0, 1]
    assert kept[0]["score"] == 13 and kept[0]["difficulty"] == 1
    axe_clean(page)
    problems.assert_clean()
    plan.click()
    expect(page).to_have_url(f"{live_server}/my-plan")
    expect(page.get_by_role("heading", level=1)).to_contain_text("safety plan")


def test_phq9_with_item_9_at_zero_shows_no_help_screen_and_no_safe(
    page: Page, live_server: str
) -> None:
    """A zero leads nowhere special and is never called safe; all items are needed."""
    open_page(page, f"{live_server}/check-in/phq-9")
    answer_phq9(page, [0, 0, 0, 0, 0])
    page.get_by_role("button", name="See my score").click()
    expect(page.locator("[data-form-error]")).to_have_text(
        "Questions 6, 7, 8, 9 have no answer yet. Every question needs one for a score."
    )
    expect(page.locator("#item-6 input").first).to_be_focused()
    assert page.evaluate(STORED, "phq9") == []
    answer_phq9(page, [0] * 9)
    page.get_by_role("button", name="See my score").click()
    expect(page.locator("[data-score]")).to_have_text("0 out of 27")
    expect(page.locator("[data-help-now]")).to_be_hidden()
    result = page.locator("[data-result]").inner_text().lower()
    assert "safe" not in result and "risk" not in result
    expect(page.locator("[data-saved]")).to_have_text("Saved on this device.")
    assert page.evaluate(STORED, "phq9")[0]["score"] == 0


def test_gad7_scores_and_keeps_its_result(page: Page, live_server: str) -> None:
    """Seven items; the score and its range; kept as gad7."""
    open_page(page, f"{live_server}/check-in/gad-7")
    expect(page.locator("[data-items] fieldset")).to_have_count(8)
    for i in range(1, 8):
        page.locator(f"#item-{i} input[value='2']").check()
    expect(page.locator("[data-help-now]")).to_have_count(1)
    page.get_by_role("button", name="See my score").click()
    expect(page.locator("[data-score]")).to_have_text("14 out of 21")
    expect(page.locator("[data-band]")).to_contain_text('"moderate"')
    expect(page.locator("[data-saved]")).to_have_text("Saved on this device.")
    assert page.evaluate(STORED, "gad7")[0]["answers"] == [2] * 7


def test_the_chart_with_no_points(page: Page, live_server: str) -> None:
    """Nothing kept: a plain sentence, no figure, no downloads."""
    open_page(page, f"{live_server}/check-in/trends")
    expect(page.locator("[data-summary]")).to_have_text(
        "Nothing was kept for this time. Check-ins you make will show here."
    )
    expect(page.locator("[data-figure]")).to_be_hidden()
    expect(page.locator("[data-export]")).to_be_hidden()


def test_the_chart_with_one_point(page: Page, live_server: str) -> None:
    """One check-in: one dot, no line, a one-row table."""
    seed(page, live_server, 1)
    open_page(page, f"{live_server}/check-in/trends")
    expect(page.locator("[data-summary]")).to_have_text(
        "Across 1 check-in, your mood was 1.0 out of 5 on average."
    )
    expect(page.locator("[data-chart] .chart__dot--mood")).to_have_count(1)
    expect(page.locator("[data-chart] path")).to_have_count(0)
    expect(page.locator("[data-tables] table").first.locator("tbody tr")).to_have_count(
        1
    )


def test_the_chart_with_2000_points_and_every_range(
    page: Page, live_server: str
) -> None:
    """2,000 daily check-ins and PHQ-9s: each range draws, sums up and tabulates."""
    seed(page, live_server, 2000, phq=10)
    open_page(page, f"{live_server}/check-in/trends")
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text("Your PHQ-9 went from 16 to 10 over 12 weeks.")
    expect(page.get_by_role("button", name="3 months")).to_have_attribute(
        "aria-pressed", "true"
    )
    rows = page.locator("[data-tables] table").first.locator("tbody tr")
    chart = page.locator("[data-chart]")
    expected = {"2 weeks": (14, 1), "3 months": (None, 1), "A year": (None, 1)}
    for name, (count, paths) in expected.items():
        page.get_by_role("button", name=name).click()
        expect(chart.locator(".chart__line--mood")).to_have_count(paths)
        if count:
            expect(rows).to_have_count(count)
            expect(summary).to_contain_text("Across 14 check-ins")
    page.get_by_role("button", name="Everything").click()
    expect(summary).to_contain_text("Your PHQ-9 went from 19 to 10 over 4 months.")
    expect(summary).to_contain_text("Across 2000 check-ins, your mood was 3.0")
    months = rows.count()
    assert 64 <= months <= 67, months
    expect(chart.locator(".chart__dot--mood")).to_have_count(months)
    expect(
        page.locator("[data-tables] table").nth(1).locator("tbody tr")
    ).to_have_count(10)
    width = page.evaluate(
        "() => document.querySelector('[data-chart] svg').getBoundingClientRect().width"
    )
    assert width <= 390


def test_csv_downloads_escape_and_defuse_formulas(page: Page, live_server: str) -> None:
    """Both files open as CSV; a note that starts with = is kept as text."""
    seed(page, live_server, 3, phq=2, note='=HYPERLINK("http://x","y"), ')
    open_page(page, f"{live_server}/check-in/trends")
    with page.expect_download() as info:
        page.get_by_role("button", name="Check-ins (CSV)").click()
    assert info.value.suggested_filename.startswith("wayfinder-check-ins-")
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["date", "time", "mood (1-5)", "mood"]
    assert len(rows) == 4
    assert rows[1][7] == '\'=HYPERLINK("http://x","y"), 0'
    with page.expect_download() as info:
        page.get_by_role("button", name="Questionnaire results (CSV)").click()
    rows = list(
        csv.reader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig")))
    )
    assert [r[2] for r in rows[1:]] == ["PHQ-9", "PHQ-9"]
    assert [int(r[3]) for r in rows[1:]] == [19, 18]


def test_no_request_carries_check_in_data(page: Page, live_server: str) -> None:
    """Check in, answer the PHQ-9, view trends, export: only GETs, no entered words."""
    sent: list[tuple[str, str, str]] = []
    page.on(
        "request",
        lambda r: sent.append((r.method, r.url, r.post_data or "")),
    )
    marker = "PRIVATEWORD"
    open_page(page, f"{live_server}/check-in")
    page.get_by_role("button", name="Low", exact=True).click()
    page.get_by_label("A few words").fill(marker)
    page.get_by_role("button", name="Save these").click()
    expect(page.locator("[data-extras-status]")).to_have_text("Added to this check-in.")
    open_page(page, f"{live_server}/check-in/phq-9")
    answer_phq9(page, [3] * 9)
    page.get_by_role("button", name="See my score").click()
    expect(page.locator("[data-saved]")).to_have_text("Saved on this device.")
    open_page(page, f"{live_server}/check-in/trends")
    with page.expect_download():
        page.get_by_role("button", name="Check-ins (CSV)").click()
    assert sent
    assert {method for method, _, _ in sent} == {"GET"}
    for _, url, body in sent:
        assert marker not in url and marker not in body


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_clean_on_every_screen(page: Page, live_server: str, scheme: str) -> None:
    """Check-in (after a tap), both questionnaires, help open, trends with the table."""
    page.emulate_media(color_scheme=scheme)
    seed(page, live_server, 40, phq=3)
    open_page(page, f"{live_server}/check-in")
    axe_clean(page)
    page.get_by_role("button", name="Very low", exact=True).click()
    expect(page.locator("[data-extras]")).to_be_visible()
    axe_clean(page)
    open_page(page, f"{live_server}/check-in/phq-9")
    page.locator("#item-9 input[value='2']").check()
    expect(page.locator("[data-help-now]")).to_be_visible()
    axe_clean(page)
    open_page(page, f"{live_server}/check-in/gad-7")
    axe_clean(page)
    open_page(page, f"{live_server}/check-in/trends")
    page.get_by_role("button", name="Show the numbers as a table").click()
    expect(page.locator("[data-tables]")).not_to_have_class("trends__tables--offscreen")
    axe_clean(page)


@pytest.mark.parametrize(
    "path", ["/check-in", "/check-in/phq-9", "/check-in/gad-7", "/check-in/trends"]
)
def test_fits_320px_and_200_percent_text(
    page: Page, live_server: str, path: str
) -> None:
    """At 320 px, with text at 200%, nothing scrolls sideways; the chart redraws."""
    seed(page, live_server, 100, phq=4)
    page.set_viewport_size({"width": 320, "height": 640})
    open_page(page, live_server + path)
    if path == "/check-in/phq-9":
        page.locator("#item-9 input[value='3']").check()
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth"
    )
    assert overflow_at_200_percent_text(page) <= 0
    if path == "/check-in/trends":
        page.get_by_role("button", name="2 weeks").click()
        page.wait_for_function(
            "() => Number(document.querySelector('[data-chart] svg')"
            ".getAttribute('font-size')) >= 25"
        )
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
        )


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_the_chart_never_moves(page: Page, live_server: str, motion: str) -> None:
    """A range redraws at once: no animation, with or without reduced motion."""
    page.emulate_media(reduced_motion=motion)
    seed(page, live_server, 30, phq=2)
    open_page(page, f"{live_server}/check-in/trends")
    page.get_by_role("button", name="2 weeks").click()
    expect(page.locator("[data-chart] .chart__dot--mood")).to_have_count(14)
    assert page.evaluate("() => document.getAnimations().length") == 0
    assert (
        page.locator("[data-chart] animate, [data-chart] animateTransform").count() == 0
    )
