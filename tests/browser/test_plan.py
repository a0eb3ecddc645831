"""My safety plan and hope box in real Chromium: every step filled by typing,
tapping examples and adding people; kept across reloads and offline; call
buttons that dial what was typed; one printed page on A4 and US Letter; the
manifest shortcut; a photo resized and carried through backup and restore; no
request carrying plan text; help cards offering the plan; the lock; axe, 320
px, 200% text, dark mode, reduced motion and the headings in order.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser.helpers import (
    Requests,
    overflow_at_200_percent_text,
    wait_for_worker_control,
)
from tests.browser.test_breathing import start
from tests.browser.test_my_data import (
    SCHEMA,
    choose_file,
    delete_everything,
    open_my_data,
    save_backup,
)
from tests.browser.tools_helpers import open_tool

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("context_options")]

STEP_TITLES = [
    "My warning signs",
    "Things I can do on my own to feel calmer",
    "People and places that take my mind off things",
    "People I can ask for help",
    "Professionals and crisis services",
    "Making my surroundings safer",
    "My reasons for living",
]

#: What the test types: words that appear nowhere in the app, so a request
#: carrying any of them would be plan text leaving the device.
TYPED = {
    "My warning signs": "Zorvath feeling at dusk",
    "Things I can do on my own to feel calmer": "Quindle the garden",
    "People and places that take my mind off things": "Brammel allotment",
    "People I can ask for help": "Say: Plexin night again",
    "Professionals and crisis services": "Ward Yostrel on Tuesdays",
    "Making my surroundings safer": "Velmora at my sister's",
    "My reasons for living": "Trevalin my niece",
}
TAPPED = {
    "My warning signs": "I feel like a burden",
    "Things I can do on my own to feel calmer": "Take a warm shower",
    "People and places that take my mind off things": "The library",
    "People I can ask for help": "Can you come over for a while?",
    "Professionals and crisis services": "Say that I have a safety plan",
    "Making my surroundings safer": "Stay with someone I trust tonight",
    "My reasons for living": "My pet",
}
PEOPLE = {
    "People and places that take my mind off things": ("Ana Quorrell", "07700 900456"),
    "People I can ask for help": ("Sam Wexbridge", "+44 7700 900123"),
    "Professionals and crisis services": ("Dr Okafrin (GP)", "020 7946 0000"),
}
SECRET_WORDS = ["Zorvath", "Quindle", "Brammel", "Plexin", "Yostrel", "Velmora"]
SECRET_WORDS += ["Trevalin", "Quorrell", "Wexbridge", "Okafrin", "7700900456"]

PASSPHRASE = "quiet river morning"


@pytest.fixture()
def context_options() -> dict:
    """A British English browser, so the United Kingdom's lines are pre-filled."""
    return {"locale": "en-GB"}


def open_plan(page: Page, url: str) -> None:
    """Open /my-plan and wait until the plan is read from the store."""
    page.goto(f"{url}/my-plan")
    page.wait_for_selector("[data-plan-ready]", state="attached")


def fill_every_step(page: Page) -> None:
    """Fill every step through the page: type, tap an example, add people."""
    page.get_by_role("link", name=f"Add: {STEP_TITLES[0]}").click()
    for i, title in enumerate(STEP_TITLES):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_focused()
        expect(page.get_by_text(f"Step {i + 1} of 7")).to_be_visible()
        page.get_by_role("button", name=f"Add: {TAPPED[title]}").click()
        box = page.locator("#plan-step-text")
        box.press("End")
        box.press_sequentially("\n" + TYPED[title])
        if title in PEOPLE:
            name, phone = PEOPLE[title]
            label = "Add a professional" if "Professionals" in title else "Add a person"
            page.get_by_role("button", name=label).click()
            expect(page.locator("#plan-person-0-name")).to_be_focused()
            page.keyboard.type(name)
            page.get_by_label("Phone number").fill(phone)
            expect(page.get_by_role("link", name=f"Call {name}")).to_be_visible()
        if i + 1 < len(STEP_TITLES):
            page.get_by_role("link", name=f"Next step: {STEP_TITLES[i + 1]}").click()
    page.get_by_role("link", name="Done").click()
    expect(page.locator(".plan-overview")).to_be_visible()


#: The plan as the store holds it.
STORED = """async () => {
  const { loadPlan } = await import('/static/gen/plan-store.mjs')
  return loadPlan()
}"""


def wait_saved(page: Page) -> dict:
    """Wait until the page has saved everything; return the stored plan."""
    page.wait_for_selector("[data-plan-state=saved]", state="attached")
    return page.evaluate(STORED)


def assert_plan_shown(page: Page) -> None:
    """The overview shows everything typed, tapped and added."""
    view = page.locator(".plan-overview")
    for title in STEP_TITLES:
        step = view.locator(".plan-step", has=page.get_by_role("heading", name=title))
        expect(step).to_contain_text(TYPED[title])
        expect(step).to_contain_text(TAPPED[title])
        if title in PEOPLE:
            expect(step).to_contain_text(PEOPLE[title][0])


def test_fill_every_step_reload_and_offline(
    page: Page, live_server: str, requests: Requests
) -> None:
    """Filled by typing, tapping and adding; after a reload and offline all is there."""
    open_plan(page, live_server)
    wait_for_worker_control(page)
    page.wait_for_selector("[data-plan-ready]", state="attached")
    fill_every_step(page)
    stored = wait_saved(page)
    assert TYPED[STEP_TITLES[6]] in stored["steps"]["reasons"]["text"]
    assert_plan_shown(page)

    page.reload()
    page.wait_for_selector("[data-plan-ready]", state="attached")
    assert_plan_shown(page)

    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-plan-ready]", state="attached")
    assert_plan_shown(page)
    page.get_by_role("link", name=f"Change: {STEP_TITLES[4]}").click()
    expect(page.locator("#plan-person-0-name")).to_have_value(PEOPLE[STEP_TITLES[4]][0])
    page.context.set_offline(False)
    requests.assert_none_carries(SECRET_WORDS)


def test_call_buttons_dial_the_numbers_entered(page: Page, live_server: str) -> None:
    """Every number typed becomes a tel: and sms: link with its digits; lines too."""
    open_plan(page, live_server)
    fill_every_step(page)
    for name, phone in PEOPLE.values():
        digits = "".join(c for c in phone if c.isdigit() or c == "+")
        expect(page.get_by_role("link", name=f"Call {name}")).to_have_attribute(
            "href", f"tel:{digits}"
        )
        expect(page.get_by_role("link", name=f"Text {name}")).to_have_attribute(
            "href", f"sms:{digits}"
        )
    services = page.locator("#overview-professionals")
    expect(services.get_by_role("link", name="Call 116 123")).to_have_attribute(
        "href", "tel:116123"
    )


def test_pre_filled_lines_can_be_removed_and_put_back(
    page: Page, live_server: str
) -> None:
    """The country's crisis lines are in the plan; removing one is kept."""
    open_plan(page, live_server)
    services = page.locator("#overview-professionals")
    expect(services).to_contain_text("Samaritans")
    page.get_by_role("link", name=f"Change: {STEP_TITLES[4]}").click()
    page.get_by_role("button", name="Remove Samaritans").click()
    expect(page.locator("[data-plan-status]")).to_have_text("Removed Samaritans.")
    page.get_by_role("link", name="Back to my plan", exact=True).click()
    expect(services).not_to_contain_text("Samaritans")
    assert wait_saved(page)["removed"] == ["line:GB:0"]
    page.reload()
    expect(page.locator("#overview-professionals")).not_to_contain_text("Samaritans")
    page.get_by_role("link", name=f"Change: {STEP_TITLES[4]}").click()
    page.get_by_role("button", name="Put back the lines I removed").click()
    expect(page.get_by_role("button", name="Remove Samaritans")).to_be_visible()


def test_nothing_is_lost_when_leaving_mid_typing(page: Page, live_server: str) -> None:
    """Typing, then at once a link away or a hidden page: the words are kept."""
    open_plan(page, live_server)
    page.get_by_role("link", name=f"Add: {STEP_TITLES[6]}").click()
    page.locator("#plan-step-text").press_sequentially("Trevalin")
    assert page.locator("[data-plan-state=saving]").count() == 1
    page.locator("header").get_by_role("link", name="Get help now").click()
    page.wait_for_url("**/help")
    assert "Trevalin" in page.evaluate(STORED)["steps"]["reasons"]["text"]

    open_plan(page, live_server)
    page.get_by_role("link", name=f"Change: {STEP_TITLES[6]}").click()
    page.locator("#plan-step-text").press_sequentially(" Quindle")
    page.evaluate(
        """() => {
          Object.defineProperty(document, 'visibilityState', { value: 'hidden' })
          document.dispatchEvent(new Event('visibilitychange'))
        }"""
    )
    assert "Quindle" in wait_saved(page)["steps"]["reasons"]["text"]


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_the_whole_plan_prints_on_one_page(
    page: Page, live_server: str, size: str
) -> None:
    """A full plan (every example tapped) is one page on A4 and on US Letter."""
    open_plan(page, live_server)
    fill_every_step(page)
    for i, title in enumerate(STEP_TITLES):
        page.get_by_role("link", name=f"Change: {title}").click()
        for example in page.locator(".plan-example").all():
            example.click()
        page.get_by_role("link", name="Back to my plan", exact=True).click()
        expect(page.locator(f".plan-step:nth-child({i + 1}) li").first).to_be_visible()
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format=size, print_background=True)))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for title in STEP_TITLES:
        assert title.split()[-1] in text
    assert "Samaritans" in text and PEOPLE[STEP_TITLES[3]][1] in text
    assert "Print my plan" not in text and "Need help right now" not in text


@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_without_javascript_the_blank_form_prints_on_one_page(
    playwright, tmp_path: Path, live_server: str, size: str
) -> None:
    """No JavaScript: the plan is explained as on-device, the blank steps print."""
    from tests.browser.conftest import launch

    context = launch(playwright, tmp_path / "nojs", java_script_enabled=False)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{live_server}/my-plan")
    expect(page.get_by_text("kept only on this device")).to_be_visible()
    expect(page.locator("[data-module=plan]")).to_be_hidden()
    headings = page.locator(".plan-paper h2").all_inner_texts()
    assert headings == STEP_TITLES
    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format=size)))
    assert len(pdf.pages) == 1
    assert "My reasons for living" in pdf.pages[0].extract_text()
    context.close()


def test_the_shortcut_opens_the_plan_offline(page: Page, live_server: str) -> None:
    """The manifest's "My safety plan" shortcut opens the plan, with no network."""
    open_plan(page, live_server)
    wait_for_worker_control(page)
    page.wait_for_selector("[data-plan-ready]", state="attached")
    fill_every_step(page)
    assert "Trevalin" in wait_saved(page)["steps"]["reasons"]["text"]
    cdp = page.context.new_cdp_session(page)
    parsed = cdp.send("Page.getAppManifest")["manifest"]
    shortcut = next(s for s in parsed["shortcuts"] if s["name"] == "My safety plan")
    assert shortcut["url"] == f"{live_server}/my-plan"
    page.goto(f"{live_server}/")
    page.context.set_offline(True)
    page.goto(shortcut["url"])
    page.wait_for_selector("[data-plan-ready]", state="attached")
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")
    assert_plan_shown(page)
    page.context.set_offline(False)


def make_photo(path: Path) -> Path:
    """A 3000 x 2000 picture, bigger than the hope box keeps."""
    image = Image.new("RGB", (3000, 2000), "#3a8f7a")
    image.paste((250, 200, 90), (1000, 500, 2000, 1500))
    image.save(path)
    return path


PHOTO = """async () => {
  const { listHope } = await import('/static/gen/plan-store.mjs')
  const photos = (await listHope()).filter(r => r.data.kind === 'photo')
  return photos.map(r => ({ width: r.data.photo.width, height: r.data.photo.height,
    type: r.data.photo.type, bytes: r.data.photo.data.length, data: r.data.photo.data,
    caption: r.data.text }))
}"""


def test_a_photo_is_resized_and_survives_backup_and_restore(
    page: Page, live_server: str, tmp_path: Path, requests: Requests
) -> None:
    """3000x2000 becomes 1600x1067 JPEG on the device, and comes back from a backup."""
    page.goto(f"{live_server}/my-plan/hope-box")
    page.wait_for_selector("[data-hope-ready]", state="attached")
    page.get_by_label("What this photo means to me (optional)").fill("Trevalin beach")
    page.locator("[data-hope-photo]").set_input_files(make_photo(tmp_path / "big.png"))
    image = page.get_by_role("img", name="Trevalin beach")
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('.hope-item img')?.naturalWidth > 0"
    )
    assert page.evaluate(
        "() => { const i = document.querySelector('.hope-item img');"
        " return [i.naturalWidth, i.naturalHeight] }"
    ) == [1600, 1067]
    assert image.get_attribute("src").startswith("blob:")
    [kept] = page.evaluate(PHOTO)
    assert (kept["width"], kept["height"], kept["type"]) == (1600, 1067, "image/jpeg")
    assert 10_000 < kept["bytes"] < 1_000_000
    page.get_by_label("Write to yourself on a hard day").fill("Zorvath will pass.")
    page.get_by_role("button", name="Keep this letter").click()
    expect(page.locator("[data-hope-list=letter]")).to_contain_text("Zorvath")

    open_my_data(page, live_server)
    backup = save_backup(page)
    jsonschema.validate(backup, SCHEMA)
    [photo] = [r for r in backup["records"] if r["data"].get("kind") == "photo"]
    assert (
        photo["type"] == "hope-item" and photo["data"]["photo"]["data"] == kept["data"]
    )
    delete_everything(page)
    choose_file(page, json.dumps(backup).encode())
    expect(page.locator("[data-restore-summary]")).to_contain_text("2 hope box items")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator("[data-restore-status]")).to_contain_text("Restored.")

    page.goto(f"{live_server}/my-plan/hope-box")
    page.wait_for_selector("[data-hope-ready]", state="attached")
    expect(page.get_by_role("img", name="Trevalin beach")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('.hope-item img')?.naturalWidth === 1600"
    )
    assert page.evaluate(PHOTO) == [kept]
    expect(page.locator("[data-hope-list=letter]")).to_contain_text("Zorvath")
    page.get_by_role("button", name="Remove photo: Trevalin beach").click()
    expect(page.locator("[data-hope-list=photo] li")).to_have_count(0)
    requests.assert_none_carries(SECRET_WORDS)


def test_the_hope_box_shows_the_plan_s_reasons_and_kind_words(
    page: Page, live_server: str
) -> None:
    """Reasons come from the plan; a message keeps who it is from."""
    open_plan(page, live_server)
    page.get_by_role("link", name=f"Add: {STEP_TITLES[6]}").click()
    page.get_by_role("button", name="Add: My pet").click()
    page.get_by_role("link", name="Done").click()
    page.get_by_role("link", name="Open my hope box").click()
    page.wait_for_selector("[data-hope-ready]", state="attached")
    expect(page.locator("[data-hope-reasons]")).to_have_text("My pet")
    expect(page.get_by_text("None yet.")).to_be_hidden()
    page.get_by_label("A message someone sent you").fill("So glad you are here.")
    page.get_by_label("From (optional)").fill("Jo")
    page.get_by_role("button", name="Keep this message").click()
    expect(page.locator("[data-hope-list=message]")).to_contain_text("From Jo")
    page.reload()
    page.wait_for_selector("[data-hope-ready]", state="attached")
    expect(page.locator("[data-hope-list=message]")).to_contain_text("So glad")


def test_help_cards_offer_the_plan_once_it_exists(page: Page, live_server: str) -> None:
    """Before: "Make a safety plan". After: "My safety plan" beside the call buttons."""
    page.goto(f"{live_server}/help")
    card = page.locator(".help-card")
    expect(card).to_have_attribute("data-plan-shown", "no")
    expect(card.get_by_role("link", name="Make a safety plan")).to_be_visible()
    expect(card.get_by_role("link", name="My safety plan")).to_be_hidden()

    open_plan(page, live_server)
    page.get_by_role("link", name=f"Add: {STEP_TITLES[6]}").click()
    page.get_by_role("button", name="Add: My pet").click()
    page.get_by_role("link", name="Done").click()
    wait_saved(page)
    assert page.evaluate(
        "() => import('/static/gen/plan-store.mjs').then(m => m.hasPlan())"
    )
    for path in ("/help", "/", "/search?q=I+want+to+die"):
        page.goto(f"{live_server}{path}")
        card = page.locator(".help-card").first
        expect(card).to_have_attribute("data-plan-shown", "yes")
        button = card.get_by_role("link", name="My safety plan")
        expect(button).to_be_visible()
        assert button.get_attribute("href") == "/my-plan"
        expect(card.get_by_role("link", name="Make a safety plan")).to_be_hidden()
    on_help = page.context.new_page()
    on_help.goto(f"{live_server}/help")
    box = on_help.locator(".help-card").get_by_role("link", name="My safety plan")
    expect(box).to_be_in_viewport()
    on_help.close()


def test_the_feeling_worse_answer_links_to_the_plan(
    page: Page, live_server: str
) -> None:
    """After a tool, "Worse" offers the safety plan beside the crisis lines."""
    open_tool(page, f"{live_server}/tools/breathing/box", clock=True)
    start(page, length="open")
    page.clock.run_for(5000)
    page.click("[data-stop]")
    page.click("[data-feeling-choice='worse']")
    link = page.locator("[data-feeling-worse]").get_by_role(
        "link", name="Open your safety plan"
    )
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/my-plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("My safety plan")


def test_locked_plan_opens_with_the_passphrase(page: Page, live_server: str) -> None:
    """With the lock on, the plan asks for the passphrase; help still shows it."""
    open_plan(page, live_server)
    page.get_by_role("link", name=f"Add: {STEP_TITLES[6]}").click()
    page.locator("#plan-step-text").fill("Trevalin my niece")
    page.get_by_role("link", name="Done").click()
    wait_saved(page)
    page.evaluate(
        """async (pass) => {
          const { personalStore } = await import('/static/gen/personal-store.mjs')
          const store = personalStore()
          await store.setLock(pass)
          store.lock()
        }""",
        PASSPHRASE,
    )
    page.goto(f"{live_server}/my-plan")
    expect(page.get_by_role("heading", name="Your plan is locked")).to_be_visible()
    page.goto(f"{live_server}/help")
    expect(page.locator(".help-card")).to_have_attribute("data-plan-shown", "yes")
    page.goto(f"{live_server}/my-plan")
    page.get_by_label("Passphrase").fill("not the one")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("[data-plan-unlock-status]")).to_contain_text("Try again")
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    page.wait_for_selector("[data-plan-ready]", state="attached")
    expect(page.locator("#overview-reasons")).to_contain_text("Trevalin")


def test_headings_and_names_walk_the_steps_in_order(
    page: Page, live_server: str
) -> None:
    """One h1, then each step's h2 in the method's order, each with a named action."""
    open_plan(page, live_server)
    main = page.locator("main")
    assert main.get_by_role("heading", level=1).all_inner_texts() == ["My safety plan"]
    steps = main.locator(".plan-overview").get_by_role("heading", level=2)
    names = [
        t.split("\n", 1)[-1].lstrip("0123456789 ").strip()
        for t in steps.all_inner_texts()
    ]
    assert names == STEP_TITLES
    for title in STEP_TITLES:
        verb = "Change" if title == STEP_TITLES[4] else "Add"  # lines are pre-filled
        expect(page.get_by_role("link", name=f"{verb}: {title}")).to_have_count(1)
    snapshot = main.aria_snapshot()
    order = [
        snapshot.index(f'heading "{i + 1} {t}"') for i, t in enumerate(STEP_TITLES)
    ]
    assert order == sorted(order)
    page.get_by_role("link", name=f"Add: {STEP_TITLES[3]}").click()
    expect(page.get_by_role("heading", level=2, name=STEP_TITLES[3])).to_be_focused()
    expect(page.get_by_role("textbox", name="What I can say to them")).to_be_visible()
    page.get_by_role("button", name="Add a person").click()
    expect(page.get_by_role("group", name="Contact 1")).to_be_visible()
    expect(page.get_by_role("button", name="Remove contact 1")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=2, name=STEP_TITLES[3])).to_be_focused()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_screen_is_axe_clean_and_fits(
    page: Page, live_server: str, scheme: str
) -> None:
    """Overview, a step, the hope box: axe clean, nothing sideways at 320 px or 200%."""
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 320, "height": 700})
    open_plan(page, live_server)
    fill_every_step(page)
    axe = Axe()
    for screen in ("overview", "step"):
        page.goto(
            f"{live_server}/my-plan"
            + ("#step-professionals" if screen == "step" else "")
        )
        page.wait_for_selector("[data-plan-ready]", state="attached")
        expect(
            page.locator(".plan-edit" if screen == "step" else ".plan-overview")
        ).to_be_visible()
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert overflow_at_200_percent_text(page) <= 0
    page.goto(f"{live_server}/my-plan/hope-box")
    page.wait_for_selector("[data-hope-ready]", state="attached")
    page.get_by_label("Write to yourself on a hard day").fill("Rest, then try again.")
    page.get_by_role("button", name="Keep this letter").click()
    expect(page.locator("[data-hope-list=letter] li")).to_have_count(1)
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert overflow_at_200_percent_text(page) <= 0


def test_targets_are_large_and_nothing_moves_with_reduced_motion(
    page: Page, live_server: str
) -> None:
    """Every button and button-link is at least 44 px; no animation runs."""
    page.emulate_media(reduced_motion="reduce")
    open_plan(page, live_server)
    fill_every_step(page)
    page.get_by_role("link", name=f"Change: {STEP_TITLES[3]}").click()
    small = page.evaluate(
        """() => [...document.querySelectorAll('main .button, main button')]
          .filter(b => b.offsetParent !== null)
          .map(b => [b.textContent.trim(), b.getBoundingClientRect()])
          .filter(([, r]) => r.height < 44 || r.width < 44)
          .map(([t]) => t)"""
    )
    assert small == []
    assert page.evaluate("() => document.getAnimations().length") == 0


SHARE_STUB = """() => {
  window.__shared = []
  navigator.share = async (data) => { window.__shared.push(data) }
}"""


def test_share_as_text_where_the_browser_can(
    browser_context: BrowserContext, page: Page, live_server: str, requests: Requests
) -> None:
    """With Web Share, "Share as text" hands the whole plan to the share sheet."""
    browser_context.add_init_script(script=f"({SHARE_STUB})()")
    open_plan(page, live_server)
    fill_every_step(page)
    page.get_by_role("button", name="Share as text").click()
    page.wait_for_function("() => window.__shared.length === 1")
    shared = page.evaluate("() => window.__shared[0]")
    assert shared["title"] == "My safety plan"
    text = shared["text"]
    positions = [text.index(title) for title in STEP_TITLES]
    assert positions == sorted(positions)
    for title in STEP_TITLES:
        assert TYPED[title] in text and TAPPED[title] in text
    assert "Sam Wexbridge: +44 7700 900123" in text
    assert "Samaritans: Call 116 123" in text
    requests.assert_none_carries(SECRET_WORDS)


def test_without_web_share_there_is_no_share_button(page: Page, live_server: str):
    """Where the browser cannot share, the button is not offered."""
    page.add_init_script(script="delete Navigator.prototype.share")
    open_plan(page, live_server)
    expect(page.get_by_role("button", name="Print my plan")).to_be_visible()
    expect(page.get_by_role("button", name="Share as text")).to_have_count(0)


CACHED = """async () => {
  const out = []
  for (const name of await caches.keys()) {
    const cache = await caches.open(name)
    for (const request of await cache.keys()) {
      const body = await (await cache.match(request)).text()
      out.push([request.url, body.includes('Trevalin') || body.includes('Zorvath')])
    }
  }
  return out
}"""


def test_the_worker_caches_pages_never_personal_data(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    """After a plan and a photo, the Cache API holds only the app's own files."""
    open_plan(page, live_server)
    wait_for_worker_control(page)
    page.wait_for_selector("[data-plan-ready]", state="attached")
    fill_every_step(page)
    wait_saved(page)
    page.goto(f"{live_server}/my-plan/hope-box")
    page.wait_for_selector("[data-hope-ready]", state="attached")
    page.locator("[data-hope-photo]").set_input_files(make_photo(tmp_path / "p.png"))
    expect(page.locator(".hope-item img")).to_be_visible()
    cached = page.evaluate(CACHED)
    assert cached, "the worker precached the app"
    assert all(url.startswith(live_server) for url, _ in cached)
    assert not [url for url, personal in cached if personal]
    assert f"{live_server}/my-plan" in {url for url, _ in cached}
