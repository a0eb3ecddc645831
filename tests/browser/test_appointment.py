"""Appointment preparation and the one-page summary in real Chromium: the
guide's questions on the page (compared with the rendered articles); drafts
from the treatment log and check-ins; saving as typed, reload and offline;
the summary's PDF on one page for 12 trials and at most two for 20, on A4
and US Letter, without the header or help card; print and share; axe, 320
px, 200% text, dark mode; and no request carrying any entry.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser.helpers import (
    Requests,
    overflow_at_200_percent_text,
    wait_for_worker_control,
)

pytestmark = pytest.mark.browser

#: Words that appear nowhere in the app: a request carrying one is an entry
#: leaving the device.
SECRET_WORDS = ["Quorvane", "Zelbrix", "Trindle", "Maplewick", "Ostrava-kind"]

#: Seed the store through the page's own module: n medicine trials (the
#: last two ongoing, one an add-on), two therapies, one ECT course, PHQ-9
#: results every two weeks for a year, mood check-ins and the profile.
SEED = (Path(__file__).parent / "appointment_seed.js").read_text(encoding="utf-8")

#: The appointment record as the page's store holds it.
STORED = """async () => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  return (await personalStore().get('appointment-next'))?.data ?? null
}"""

WANTS = (
    "To talk about what to try next, and whether Trindle therapy could be added. "
    "I would like a plan for the next three months and to know who to call."
)


def seed(page: Page, url: str, trials: int = 5) -> None:
    """Open the app and fill the store with a history, through the page's store."""
    page.goto(f"{url}/appointment")
    page.wait_for_selector("[data-appt-ready]", state="attached")
    page.evaluate(SEED, {"n": trials})


def open_appointment(page: Page, url: str) -> None:
    """Open /appointment and wait until it has read the store."""
    page.goto(f"{url}/appointment")
    page.wait_for_selector("[data-appt-ready=true]", state="attached")


def open_summary(page: Page, url: str) -> None:
    """Open the summary and wait until it is drawn."""
    page.goto(f"{url}/appointment/summary")
    page.wait_for_selector("[data-summary-ready=true]", state="attached")


def test_the_questions_are_the_guide_s_boxes(page: Page, live_server: str) -> None:
    """Each topic on the page lists exactly its article's box, and links to it."""
    open_appointment(page, live_server)
    boxes = page.locator("[data-appt-box]")
    assert boxes.count() == 16
    for i in range(boxes.count()):
        box = boxes.nth(i)
        link = box.locator(".appt-box__link a")
        href = link.get_attribute("href")
        path, anchor = href.split("#")
        html = page.request.get(live_server + path).text()
        article = BeautifulSoup(html, "html.parser")
        aside = article.find(id=anchor).find_parent("aside", class_="questions")
        expected = [li.get_text(" ", strip=True) for li in aside.find_all("li")]
        shown = box.locator(".appt-questions li").all_text_contents()
        assert [" ".join(s.split()) for s in shown] == expected, path
        title = article.find("h1").get_text(strip=True)
        expect(box.locator("summary")).to_contain_text(title)


def test_drafts_saving_reload_and_offline(
    page: Page, live_server: str, requests: Requests
) -> None:
    """Drafts come from the log; what is typed and ticked is kept, offline too."""
    seed(page, live_server)
    open_appointment(page, live_server)
    wait_for_worker_control(page)
    page.wait_for_selector("[data-appt-ready=true]", state="attached")
    changes = page.locator("#appt-changes")
    # Drafts: the check-ins and PHQ-9 results of the last 8 weeks, and the
    # side effects of the two current medicines (only the fourth has any).
    text = changes.input_value()
    assert "mood check-ins since" in text and "My PHQ-9 went from" in text
    expect(page.locator("#appt-side")).to_have_value(
        "fluoxetine Quorvane: Feeling sick, Trouble sleeping, Zelbrix dreams"
    )
    page.locator("[data-appt-box] summary").first.click()
    first = page.locator("[data-appt-box]").first.locator("input[type=checkbox]")
    first.nth(0).check()
    first.nth(2).check()
    expect(page.locator("[data-appt-chosen-count]")).to_have_text("2 questions chosen.")
    page.get_by_label("Date of the appointment").fill("2027-01-14")
    page.get_by_label("My own questions").fill("Can Quorvane be stopped slowly?")
    changes.fill("Ostrava-kind week.\n" + text)
    page.locator("#appt-bring").fill("My Maplewick notebook")
    page.locator("#appt-wants").fill(WANTS)
    page.wait_for_selector("[data-appt-state=saved]", state="attached")
    stored = page.evaluate(STORED)
    ids = [first.nth(0).get_attribute("value"), first.nth(2).get_attribute("value")]
    assert stored["questions"] == ids
    assert stored["ownQuestions"] == ["Can Quorvane be stopped slowly?"]
    assert stored["changes"].startswith("Ostrava-kind week.\n")
    assert stored["wants"] == WANTS and stored["date"] == "2027-01-14"
    for offline in (False, True):
        page.context.set_offline(offline)
        page.reload()
        page.wait_for_selector("[data-appt-ready=true]", state="attached")
        expect(page.get_by_label("My own questions")).to_have_value(
            "Can Quorvane be stopped slowly?"
        )
        expect(changes).to_have_value(stored["changes"])
        expect(page.locator("#appt-wants")).to_have_value(WANTS)
        expect(page.locator("[data-appt-chosen-count]")).to_have_text(
            "2 questions chosen."
        )
        assert first.nth(0).is_checked() and not first.nth(1).is_checked()
    open_summary(page, live_server)
    expect(page.locator(".summary-wants")).to_have_text(WANTS)
    page.context.set_offline(False)
    requests.assert_none_carries(SECRET_WORDS)


def test_the_side_effects_draft_and_refill(page: Page, live_server: str) -> None:
    """Side effects to raise start from current treatments; refill brings them back."""
    seed(page, live_server, trials=4)
    open_appointment(page, live_server)
    side = page.locator("#appt-side")
    # Of four trials the last two are ongoing; only the fourth has side effects.
    expect(side).to_have_value(
        "fluoxetine Quorvane: Feeling sick, Trouble sleeping, Zelbrix dreams"
    )
    side.fill("")
    page.wait_for_selector("[data-appt-state=saved]", state="attached")
    page.locator("[data-appt-refill=sideEffectsToRaise]").click()
    expect(side).to_have_value(
        "fluoxetine Quorvane: Feeling sick, Trouble sleeping, Zelbrix dreams"
    )


@pytest.mark.parametrize("size", ["A4", "Letter"])
@pytest.mark.parametrize(("trials", "most"), [(12, 1), (20, 2)])
def test_the_summary_prints_on_one_page_for_12_trials(
    page: Page, live_server: str, size: str, trials: int, most: int
) -> None:
    """12 trials fit one page and 20 at most two, on A4 and US Letter."""
    seed(page, live_server, trials=trials)
    open_appointment(page, live_server)
    page.locator("#appt-wants").fill(WANTS)
    page.wait_for_selector("[data-appt-state=saved]", state="attached")
    open_summary(page, live_server)
    expect(page.locator(".summary-section--trials tbody tr")).to_have_count(trials)
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format=size, print_background=True)))
    assert len(pdf.pages) == most if trials == 12 else len(pdf.pages) <= most
    text = " ".join(p.extract_text() for p in pdf.pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    for part in ("My treatment summary", "not medical advice", "Medicines I take now"):
        assert part in text
    for part in ("Other treatments", "PHQ-9", "Side effects", "Trindle"):
        assert part in text
    assert "citalopram" in text and "Behavioural activation" in text
    for gone in ("Get help now", "Need help right now", "Print or save", "Share as"):
        assert gone not in text


SHARE_STUB = """() => {
  window.__shared = []
  window.__printed = 0
  navigator.share = async (data) => { window.__shared.push(data) }
  window.print = () => { window.__printed += 1 }
}"""


def test_print_and_share_the_summary(
    browser_context: BrowserContext, page: Page, live_server: str, requests: Requests
) -> None:
    """Print calls the browser's print; Share hands the whole text to the sheet."""
    browser_context.add_init_script(script=f"({SHARE_STUB})()")
    seed(page, live_server, trials=5)
    open_summary(page, live_server)
    view = page.locator("[data-summary-view]")
    expect(view.locator(".summary-section--current li")).to_have_count(2)
    expect(view.locator(".summary-section--others tbody tr")).to_have_count(3)
    expect(view.locator(".summary-chart svg circle")).to_have_count(26)
    page.get_by_role("button", name="Print or save as PDF").click()
    page.wait_for_function("() => window.__printed === 1")
    page.get_by_role("button", name="Share as text").click()
    page.wait_for_function("() => window.__shared.length === 1")
    shared = page.evaluate("() => window.__shared[0]")
    assert shared["title"] == "My treatment summary"
    assert "not medical advice" in shared["text"]
    assert "sertraline, 50 mg (highest 100 mg)" in shared["text"]
    assert "Moved to Maplewick" in shared["text"]
    requests.assert_none_carries(SECRET_WORDS)


def test_without_web_share_the_text_is_copied_or_shown(
    browser_context: BrowserContext, page: Page, live_server: str
) -> None:
    """Without Web Share, the button copies the text and shows it to select."""
    browser_context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server
    )
    page.add_init_script(script="delete Navigator.prototype.share")
    seed(page, live_server, trials=3)
    open_summary(page, live_server)
    page.get_by_role("button", name="Copy as text").click()
    box = page.get_by_label("The summary as text, to copy")
    expect(box).to_be_visible()
    expect(page.locator("[data-summary-status]")).to_contain_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == box.input_value() and "Medicines I have tried" in copied


def test_an_empty_log_still_makes_a_summary(page: Page, live_server: str) -> None:
    """With nothing entered, each part says so; nothing breaks."""
    open_summary(page, live_server)
    expect(page.locator(".summary-section--trials")).to_contain_text(
        "No medicines entered yet."
    )
    expect(page.locator(".summary-section--phq9")).to_contain_text("No PHQ-9")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_pages_are_axe_clean_and_fit(
    page: Page, live_server: str, scheme: str
) -> None:
    """Both pages, filled in: axe clean, nothing sideways at 320 px or 200% text."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 700})
    seed(page, live_server, trials=6)
    axe = Axe()
    for opener in (open_appointment, open_summary):
        opener(page, live_server)
        if opener is open_appointment:
            page.locator("[data-appt-box] summary").first.click()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert overflow_at_200_percent_text(page) <= 0
        page.evaluate("() => { document.documentElement.style.fontSize = '' }")


LOCK = """async () => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const store = personalStore()
  await store.setLock('quiet river morning')
  store.lock()
}"""


def test_locked_data_is_not_shown_and_says_where_to_unlock(
    page: Page, live_server: str
) -> None:
    """With the lock on and engaged, both pages say so and show nothing of the log."""
    seed(page, live_server, trials=3)
    page.evaluate(LOCK)
    open_page = page.goto(f"{live_server}/appointment")
    assert open_page.ok
    page.wait_for_selector("[data-appt-ready=locked]", state="attached")
    expect(page.locator("[data-appt-locked]")).to_be_visible()
    expect(page.locator("[data-appt-form]")).to_be_hidden()
    page.goto(f"{live_server}/appointment/summary")
    page.wait_for_selector("[data-summary-ready=locked]", state="attached")
    expect(page.locator("[data-summary-locked] a")).to_have_attribute(
        "href", "/my-data"
    )
    expect(page.locator("[data-summary-view]")).to_be_empty()
    expect(page.locator("[data-summary-actions]")).to_be_hidden()


SMALL_TARGETS = """() => [...document.querySelectorAll(
    'main .button, main button, main summary, main .choice, main input[type=date]')]
  .filter(b => b.offsetParent !== null)
  .map(b => [b.textContent.trim() || b.id, b.getBoundingClientRect()])
  .filter(([, r]) => r.height < 44 || r.width < 44)
  .map(([t]) => t)"""


def test_targets_are_large_and_nothing_moves_with_reduced_motion(
    page: Page, live_server: str
) -> None:
    """Buttons, topics, tick boxes and date fields are at least 44 px; no animation."""
    page.emulate_media(reduced_motion="reduce")
    seed(page, live_server, trials=3)
    open_appointment(page, live_server)
    page.locator("[data-appt-box] summary").first.click()
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("() => document.getAnimations().length") == 0
    open_summary(page, live_server)
    assert page.evaluate(SMALL_TARGETS) == []
