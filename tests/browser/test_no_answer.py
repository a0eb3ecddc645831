"""In Chromium, the cross-engine findings: browser requests that never answer, and
the breathing circle staying in view when a session starts.

Headless Firefox may never settle ``navigator.storage.persist()`` or
``Notification.requestPermission()``; here both are stubbed to never settle.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_breathing import start
from tests.browser.test_reminders import EVERY_DAY, fill_reminder, open_reminders
from tests.browser.test_reminders import status as reminders_status

pytestmark = pytest.mark.browser

#: The browser's answer wait (BROWSER_ANSWER_WAIT_MS) plus room to spare.
ANSWER_TIMEOUT_MS = 20_000

NEVER_PERSIST = """
navigator.storage.persist = () => new Promise(() => {})
navigator.storage.persisted = () => Promise.resolve(false)
"""

NEVER_PERMISSION = """
Object.defineProperty(Notification, 'permission', { get: () => 'default' })
Notification.requestPermission = () => new Promise(() => {})
"""


def test_keep_offline_says_when_the_browser_never_answers(
    page: Page, live_server: str
) -> None:
    """persist() that never settles: a plain message, and the button works again."""
    page.add_init_script(NEVER_PERSIST)
    page.goto(live_server + "/about")
    section = page.locator("[data-module=offline-storage]")
    button = section.get_by_role("button", name="Keep available offline")
    button.click()
    expect(section.locator("[data-keep-offline-answer]")).to_have_text(
        "Your browser has not answered. The saved pages still work offline,"
        " and you can try again later.",
        timeout=ANSWER_TIMEOUT_MS,
    )
    expect(button).to_be_enabled()


def test_turn_on_reminders_says_when_permission_never_answers(
    page: Page, live_server: str
) -> None:
    """requestPermission() that never settles: a plain message, buttons free again."""
    page.add_init_script(NEVER_PERMISSION)
    open_reminders(page, live_server)
    fill_reminder(page, "medication", "20:00", EVERY_DAY)
    turn_on = page.get_by_role("button", name="Turn on reminders")
    turn_on.click()
    expect(reminders_status(page)).to_contain_text(
        "Your browser did not answer the request to allow notifications",
        timeout=ANSWER_TIMEOUT_MS,
    )
    expect(turn_on).to_be_enabled()
    expect(page.locator("[data-module=reminders]")).not_to_have_attribute(
        "aria-busy", "true"
    )


def test_starting_breathing_keeps_the_whole_circle_in_view(
    page: Page, live_server: str
) -> None:
    """After Start, the circle's box lies inside a short viewport; Pause has focus."""
    page.set_viewport_size({"width": 390, "height": 600})
    page.goto(live_server + "/tools/breathing/box")
    start(page)
    expect(page.locator("[data-pause]")).to_be_focused()
    box = page.locator(".breather__visual").bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] >= 0, box
    assert box["y"] + box["height"] <= height, (box, height)
