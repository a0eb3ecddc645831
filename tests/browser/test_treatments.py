"""My treatments in real Chromium: five medicine trials (one typed by brand,
one unlisted, an add-on and a combination linked to the medicine they were
added to), two therapies and an ECT course entered on a phone screen, kept
across a reload and offline; saved as typed; changed and deleted; the facts in
numbers; the timeline with check-ins on the same axis and the bands on the
trends chart; no request carrying any entry; axe, 320 px, 200% text, dark mode.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    Requests,
    overflow_at_200_percent_text,
    wait_for_worker_control,
)

pytestmark = pytest.mark.browser

#: Words the test types that appear nowhere in the app: a request carrying one
#: would be an entry leaving the device.
SECRET_WORDS = ["Quorvane", "Zentrix", "Brimwell", "Falstrom", "Okavish", "Plummery"]


def open_log(page: Page, url: str) -> None:
    """Open /my-treatments and wait until the list is read from the store."""
    page.goto(f"{url}/my-treatments")
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")


def tap(page: Page, group: str, choice: str) -> None:
    """Tap one choice in a group of choices."""
    page.get_by_role("group", name=group).get_by_text(choice, exact=True).click()


def done(page: Page, count: int) -> None:
    """Tap Done and wait for the list to show this many entries."""
    page.get_by_role("button", name="Done").click()
    expect(page.locator("[data-treatment]")).to_have_count(count)


def add_medicine(page: Page, count: int, name: str, **fields: object) -> None:
    """Enter one medicine through the page, the way a person would."""
    page.get_by_role("button", name="Add a medicine").click()
    heading = page.get_by_role("heading", level=2, name="Medicine", exact=True)
    expect(heading).to_be_focused()
    page.get_by_label("Medicine name").fill(name)
    if fields.get("role"):
        tap(page, "How was it taken?", str(fields["role"]))
        page.get_by_label("Which medicine was it added to").select_option(
            label=str(fields["added_to"])
        )
    if fields.get("dose"):
        amount, unit = fields["dose"]  # type: ignore[misc]
        page.locator("#tr-dose-amount").fill(str(amount))
        page.locator("#tr-dose-unit").fill(str(unit))
    page.get_by_label("Start date").fill(str(fields["start"]))
    if fields.get("end"):
        page.get_by_label("End date").fill(str(fields["end"]))
    else:
        page.get_by_label("I still take this").check()
        expect(page.get_by_label("End date")).to_be_hidden()
    if fields.get("highest"):
        amount, unit = fields["highest"]  # type: ignore[misc]
        page.locator("#tr-highest-amount").fill(str(amount))
        page.locator("#tr-highest-unit").fill(str(unit))
        page.get_by_label("When you reached the highest dose").fill(
            str(fields["highest_from"])
        )
    tap(page, "How often did you take it as prescribed?", "Most days")
    tap(page, "How much did it help?", str(fields.get("effect", "Helped a little")))
    for side in fields.get("side", []):  # type: ignore[attr-defined]
        tap(page, "Side effects (tap all that fit)", side)
    if fields.get("side_other"):
        page.get_by_label("Other side effects").fill(str(fields["side_other"]))
    if fields.get("stop"):
        tap(page, "Why did it stop?", str(fields["stop"]))
    if fields.get("notes"):
        page.get_by_label("Notes", exact=True).fill(str(fields["notes"]))
    done(page, count)


def add_course(
    page: Page, count: int, button: str, kind: str, **fields: object
) -> None:
    """Enter a therapy or a stimulation course through the page."""
    page.get_by_role("button", name=button).click()
    tap(page, "Type of therapy" if "therapy" in button else "Type", kind)
    if fields.get("name"):
        page.get_by_label("Name", exact=True).fill(str(fields["name"]))
    else:
        expect(page.get_by_label("Name", exact=True)).to_have_value(kind)
    page.get_by_label("Number of sessions").fill(str(fields["sessions"]))
    page.get_by_label("Start date").fill(str(fields["start"]))
    page.get_by_label("End date").fill(str(fields["end"]))
    tap(page, "How much did it help?", str(fields["effect"]))
    if fields.get("notes"):
        page.get_by_label("Notes", exact=True).fill(str(fields["notes"]))
    done(page, count)


def enter_history(page: Page) -> None:
    """Five trials, two therapies and one ECT course."""
    add_medicine(
        page, 1, "Zoloft", dose=(100, "mg"), start="2024-01-08", end="2024-04-01",
        highest=(150, "mg"), highest_from="2024-02-05", side=["Feeling sick"],
        stop="It did not help",
    )  # fmt: skip
    add_medicine(
        page, 2, "venlafaxine", dose=(225, "mg"), start="2024-05-06", end="2024-12-02",
        highest=(225, "mg"), highest_from="2024-06-03", effect="Helped a lot",
        side=["Sweating", "Trouble sleeping"], side_other="Zentrix jaw ache",
        stop="Side effects",
    )  # fmt: skip
    add_medicine(
        page, 3, "lithium", role="Added to another medicine",
        added_to="venlafaxine (from 6 May 2024)", dose=(400, "mg"), start="2024-07-01",
        end="2024-11-04", notes="Blood tests at Brimwell clinic",
    )  # fmt: skip
    add_medicine(
        page, 4, "mirtazapine (Remeron, Zispin)", role="Combined with another medicine",
        added_to="venlafaxine (from 6 May 2024)", dose=(30, "mg"), start="2024-09-02",
        end="2024-12-02", stop="Something else",
    )  # fmt: skip
    add_medicine(
        page, 5, "Quorvane", dose=(20, "mg"), start="2025-01-06", effect="Did not help",
    )  # fmt: skip
    add_course(
        page, 6, "Add a talking therapy", "CBT", sessions=16, start="2023-03-01",
        end="2023-07-01", effect="Helped a little",
    )  # fmt: skip
    add_course(
        page, 7, "Add a talking therapy", "Other", name="Falstrom group", sessions=8,
        start="2024-10-01", end="2024-12-01", effect="Did not help",
    )  # fmt: skip
    add_course(
        page, 8, "Add brain stimulation or another course", "ECT", sessions=12,
        start="2025-02-03", end="2025-03-17", effect="Helped a lot",
        notes="Okavish ward",
    )  # fmt: skip


def assert_history_shown(page: Page) -> None:
    """The eight entries, the links and the numbers are on the page."""
    cards = page.locator("[data-treatment]")
    expect(cards).to_have_count(8)
    sertraline = cards.filter(has=page.get_by_role("heading", name="sertraline"))
    expect(sertraline).to_contain_text("SSRI")
    expect(sertraline).to_contain_text("Highest dose: 150 mg, from 5 February 2024")
    expect(sertraline).to_contain_text("12 weeks on it; 8 weeks at the highest dose")
    expect(sertraline).to_contain_text("Side effects: Feeling sick")
    lithium = cards.filter(has=page.get_by_role("heading", name="lithium"))
    expect(lithium).to_contain_text("added to venlafaxine")
    mirtazapine = cards.filter(has=page.get_by_role("heading", name="mirtazapine"))
    expect(mirtazapine).to_contain_text("combined with venlafaxine")
    expect(cards.filter(has_text="Quorvane")).to_contain_text(
        "Since 6 January 2025, still going"
    )
    expect(cards.filter(has_text="Okavish")).to_contain_text("Sessions: 12")
    facts = page.locator("[data-history-facts]")
    expect(facts).to_contain_text("5 different medicines so far, from 4 groups")
    expect(facts).to_contain_text("3 other treatments or stays.")
    expect(page.locator("[data-timeline] .timeline__bar")).to_have_count(8)


def test_enter_a_history_on_a_phone_reload_and_offline(
    page: Page, live_server: str, requests: Requests
) -> None:
    """Five trials, two therapies, one ECT course: there after a reload and offline."""
    open_log(page, live_server)
    wait_for_worker_control(page)
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")
    enter_history(page)
    assert_history_shown(page)

    page.reload()
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")
    assert_history_shown(page)

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")
    assert_history_shown(page)
    page.get_by_role("button", name="Change lithium").click()
    expect(page.get_by_label("Which medicine was it added to")).to_have_value(
        page.locator("[data-added-to] option", has_text="venlafaxine").get_attribute(
            "value"
        )
        or ""
    )
    page.context.set_offline(False)
    stored = page.evaluate(ALL_TREATMENTS)
    assert len(stored) == 8
    by_name = {t["name"]: t for t in stored}
    assert by_name["sertraline"]["medicine"] == "sertraline"
    assert by_name["Quorvane"]["medicine"] is None
    assert by_name["lithium"]["role"] == "add-on"
    assert by_name["lithium"]["addedTo"] == by_name["venlafaxine"]["id"]
    assert by_name["mirtazapine"]["addedTo"] == by_name["venlafaxine"]["id"]
    assert by_name["ECT"]["kind"] == "ect"
    assert by_name["ECT"]["category"] == "stimulation"
    assert by_name["venlafaxine"]["sideEffects"] == ["insomnia", "sweating"]
    requests.assert_none_carries(SECRET_WORDS)


ALL_TREATMENTS = """async () => {
  const { listTreatments } = await import('/static/gen/treatment-store.mjs')
  return listTreatments()
}"""


def test_saved_as_typed_nothing_lost_on_reload(page: Page, live_server: str) -> None:
    """A name and a date typed, then a reload without Done: both are kept."""
    open_log(page, live_server)
    page.get_by_role("button", name="Add a medicine").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Add a name")
    page.get_by_label("Start date").fill("2025-03-03")
    assert page.evaluate(ALL_TREATMENTS) == [], "nothing kept without a name"
    page.get_by_label("Medicine name").press_sequentially("Plummery")
    expect(page.locator("[data-save-status]")).to_have_text("Saved on this device.")
    page.get_by_label("Notes", exact=True).press_sequentially("half typed")
    page.wait_for_selector(
        "[data-module=my-treatments][data-pending=false]", state="attached"
    )
    assert page.evaluate(ALL_TREATMENTS)[0]["notes"] == "half typed"
    page.reload()
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")
    card = page.locator("[data-treatment]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Plummery")
    expect(card).to_contain_text("Started 3 March 2025")
    expect(card).to_contain_text("Notes: half typed")


def test_change_and_delete(page: Page, live_server: str) -> None:
    """Change an entry in place; delete asks first, and Keep it keeps it."""
    open_log(page, live_server)
    page.get_by_role("button", name="Add a hospital stay").click()
    page.get_by_label("Where (a hospital or unit)").fill("St Elm ward")
    done(page, 1)
    expect(page.get_by_role("heading", level=3, name="St Elm ward")).to_be_focused()
    page.get_by_role("button", name="Change St Elm ward").click()
    page.get_by_label("Start date").fill("2025-06-02")
    page.get_by_label("End date").fill("2025-05-01")
    expect(page.locator("[data-problems]")).to_have_text(
        "The end date is before the start date."
    )
    page.get_by_label("End date").fill("2025-06-30")
    expect(page.locator("[data-problems]")).to_have_text("")
    done(page, 1)
    expect(page.locator("[data-treatment]")).to_contain_text(
        "2 June 2025 to 30 June 2025"
    )
    page.get_by_role("button", name="Delete St Elm ward").click()
    page.get_by_role("button", name="Keep it").click()
    expect(page.locator("[data-treatment]")).to_have_count(1)
    page.get_by_role("button", name="Delete St Elm ward").click()
    page.get_by_role("button", name="Yes, delete St Elm ward").click()
    expect(page.locator("[data-treatment]")).to_have_count(0)
    expect(page.locator("[data-treatments-status]")).to_have_text(
        "Deleted St Elm ward."
    )
    assert page.evaluate(ALL_TREATMENTS) == []


SEED = """async ({ treatments, checkIns, phq9 }) => {
  const { saveTreatment } = await import('/static/gen/treatment-store.mjs')
  const { addCheckIn, addResult } = await import('/static/gen/check-in-store.mjs')
  for (const t of treatments) await saveTreatment(t)
  for (const c of checkIns) await addCheckIn(c)
  for (const r of phq9) await addResult('phq9', r)
}"""


def seed(page: Page, with_trends: bool = True) -> None:
    """Two medicines and, optionally, check-ins and PHQ-9 results over the same time."""
    today = dt.date.today()
    start = today - dt.timedelta(weeks=20)
    treatments = [
        {"name": "sertraline", "medicine": "sertraline", "start": start.isoformat(),
         "end": (start + dt.timedelta(weeks=10)).isoformat()},
        {"name": "bupropion", "medicine": "bupropion",
         "start": (start + dt.timedelta(weeks=11)).isoformat(), "ongoing": True},
    ]  # fmt: skip
    check_ins = [
        {"at": f"{(start + dt.timedelta(days=7 * i)).isoformat()}T09:00:00.000Z",
         "mood": 1 + i % 5}
        for i in range(20)
    ] if with_trends else []  # fmt: skip
    phq9 = [
        {"at": f"{(start + dt.timedelta(days=28 * i)).isoformat()}T09:00:00.000Z",
         "answers": [2] * 9, "score": 18}
        for i in range(5)
    ] if with_trends else []  # fmt: skip
    page.evaluate(SEED, {"treatments": treatments, "checkIns": check_ins, "phq9": phq9})


def test_facts_timeline_and_trend_bands(page: Page, live_server: str) -> None:
    """The numbers, the episode date, bars over check-ins, bands on the trends chart."""
    open_log(page, live_server)
    seed(page)
    page.reload()
    page.wait_for_selector("[data-timeline][data-ready]", state="attached")
    facts = page.locator("[data-history-facts]")
    expect(facts).to_contain_text("2 different medicines so far, from 2 groups")
    episode = dt.date.today() - dt.timedelta(weeks=30)
    page.get_by_label("When did this episode of depression begin?").fill(
        episode.isoformat()
    )
    expect(page.locator("[data-history-facts]")).to_contain_text("30 weeks ago.")
    timeline = page.locator("[data-timeline]")
    expect(timeline.locator(".timeline__bar")).to_have_count(2)
    expect(timeline.locator(".timeline__bar--ongoing")).to_have_count(1)
    expect(timeline.locator(".chart__line--mood")).to_have_count(1)
    expect(timeline.locator(".chart__dot--phq9")).to_have_count(5)
    expect(timeline.locator(".timeline__words")).to_contain_text("bupropion: from")
    expect(timeline).to_have_attribute("data-trends", "true")
    # The bars and the check-in chart share one axis: same width, same margins.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('[data-timeline-chart] svg')]"
        ".map(s => s.getAttribute('width'))"
    )
    assert len(widths) == 2 and widths[0] == widths[1]

    page.goto(f"{live_server}/check-in/trends")
    page.wait_for_selector(
        "[data-module=check-in-trends][data-ready]", state="attached"
    )
    page.get_by_role("button", name="A year").click()
    expect(page.locator("[data-chart] .chart__band")).to_have_count(2)
    expect(page.locator("[data-chart] .chart__band-label").first).to_have_text(
        "sertraline"
    )


def test_a_sourced_minimum_dose_shows_its_note_and_source(
    page: Page, live_server: str
) -> None:
    """With a minimum dose in the list, the entry notes the weeks at or above it."""
    html = page.request.get(f"{live_server}/my-treatments").text()
    start = html.index('id="medicines">') + len('id="medicines">')
    end = html.index("</script>", start)
    medicines = json.loads(html[start:end])
    for m in medicines:
        if m["id"] == "sertraline":
            m["minimumDose"] = {
                "amount": 50,
                "unit": "mg",
                "source": {"title": "Test label", "url": "https://www.fda.gov/x"},
            }
    changed = html[:start] + json.dumps(medicines) + html[end:]
    page.route(
        f"{live_server}/my-treatments",
        lambda route: route.fulfill(
            status=200, body=changed, headers={"content-type": "text/html"}
        ),
    )
    open_log(page, live_server)
    page.evaluate(
        SEED,
        {
            "treatments": [
                {"name": "sertraline", "medicine": "sertraline", "start": "2024-01-01",
                 "end": "2024-03-25", "highestDose": {"amount": 100, "unit": "mg"},
                 "highestFrom": "2024-02-05"},
                {"name": "citalopram", "medicine": "citalopram", "start": "2024-04-01",
                 "end": "2024-06-01", "highestDose": {"amount": 40, "unit": "mg"}},
            ],
            "checkIns": [],
            "phq9": [],
        },
    )  # fmt: skip
    page.reload()
    page.wait_for_selector("[data-module=my-treatments][data-ready]", state="attached")
    note = page.locator("[data-minimum-dose]")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(
        "At or above a usual minimum dose (50 mg) for 7 weeks."
    )
    expect(note.get_by_role("link", name="Test label")).to_have_attribute(
        "href", "https://www.fda.gov/x"
    )
    expect(page.locator("[data-treatments-view]")).not_to_contain_text("adequate")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_is_axe_clean_and_fits(
    page: Page, live_server: str, scheme: str
) -> None:
    """The list, the timeline and each editor: axe clean, fit at 320 px and 200%."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 700})
    open_log(page, live_server)
    seed(page)
    page.reload()
    page.wait_for_selector("[data-timeline][data-ready]", state="attached")
    axe = Axe()
    screens = [
        None,
        "Add a medicine",
        "Add a talking therapy",
        "Add brain stimulation or another course",
        "Add a hospital stay",
    ]
    for button in screens:
        page.reload()
        page.wait_for_selector("[data-timeline][data-ready]", state="attached")
        if button:
            page.get_by_role("button", name=button).click()
            expect(page.locator("[data-treatment-form]")).to_be_visible()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert overflow_at_200_percent_text(page) <= 0
        page.evaluate("() => { document.documentElement.style.fontSize = '' }")


def test_targets_are_large(page: Page, live_server: str) -> None:
    """Every button, choice and field in the editor is at least 44 px tall."""
    open_log(page, live_server)
    page.get_by_role("button", name="Add a medicine").click()
    small = page.evaluate(
        """() => [...document.querySelectorAll([
             '[data-treatments-view] button', '.tr-choice label', '.tr-field select',
             '.tr-field input:not([type=radio]):not([type=checkbox])', '.tr-check'
           ].join(', '))]
           .map(e => [e, e.getBoundingClientRect().height])
           .filter(([, h]) => h > 0 && h < 44)
           .map(([e]) => e.outerHTML.slice(0, 80))"""
    )
    assert small == []
