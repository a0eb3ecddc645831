"""Reminders in real Chromium: the page, the worker, and the whole push chain.

The page half stubs ``PushManager.prototype.subscribe`` (a real subscribe never
settles in headless Chromium) with an object whose ``toJSON()`` points at a
local fake push service and carries keys the fake generated with
``cryptography``. The worker half puts messages into the service worker with
CDP ``ServiceWorker.deliverPushMessage`` and reads ``getNotifications()``.
The whole chain joins them: page -> API -> dispatcher -> fake push service
(checks VAPID, decrypts) -> worker -> notification.

This module serves its own app (``live_server`` is overridden here) so the
fake push service's http://127.0.0.1 origin is an allowed push service.
"""

from __future__ import annotations

import base64
import json
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, CDPSession, Page, expect
from werkzeug.serving import make_server

from server import create_app
from server.config import DEFAULT_PUSH_SERVICES
from server.push import payload as push_payload
from server.push import state as push_state
from server.push.dispatch import Dispatcher
from tests.browser.helpers import wait_for_worker_control

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from push_fake import FakePushService

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
EVERY_DAY = [*WEEKDAYS, "sat", "sun"]
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)

# Replaces the browser's push subscription with one the test controls. It also
# counts permission requests and storage.persist() calls, so the tests can see
# when the page asked. window.__wfPush.permissionAnswer chooses what a
# (stubbed) permission request answers; null keeps the browser's own.
STUB = """
(() => {
  if (typeof PushManager === 'undefined') return
  const fake = %(subscription)s
  const KEY = 'wf-test-push-subscribed'
  const log = window.__wfPush = {
    subscribeCalls: [], unsubscribed: 0, permissionRequests: 0, persistCalls: 0,
    permissionAnswer: %(permission_answer)s
  }
  const remembered = () => {
    try { return localStorage.getItem(KEY) } catch { return null }
  }
  const remember = (on) => {
    try {
      if (on) localStorage.setItem(KEY, '1')
      else localStorage.removeItem(KEY)
    } catch {}
  }
  const make = () => ({
    endpoint: fake.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true },
    toJSON: () => JSON.parse(JSON.stringify(fake)),
    unsubscribe: async () => { log.unsubscribed += 1; remember(false); return true }
  })
  PushManager.prototype.subscribe = async function (options) {
    const key = options && options.applicationServerKey
    log.subscribeCalls.push({
      userVisibleOnly: options && options.userVisibleOnly,
      key: key ? Array.from(new Uint8Array(key.buffer || key)) : null
    })
    remember(true)
    return make()
  }
  PushManager.prototype.getSubscription = async function () {
    return remembered() ? make() : null
  }
  const ask = Notification.requestPermission.bind(Notification)
  Notification.requestPermission = async function () {
    log.permissionRequests += 1
    return log.permissionAnswer || ask()
  }
  if (navigator.storage && navigator.storage.persist) {
    const persist = navigator.storage.persist.bind(navigator.storage)
    navigator.storage.persist = async function () {
      log.persistCalls += 1
      return persist()
    }
  }
})()
"""

READ_RECORD = """
() => new Promise((resolve, reject) => {
  const open = indexedDB.open('wayfinder-data')
  open.onupgradeneeded = () => open.transaction.abort()
  open.onerror = () => resolve(null)
  open.onsuccess = () => {
    const store = open.result.transaction('records').objectStore('records')
    const get = store.get('reminders')
    get.onsuccess = () => {
      open.result.close()
      resolve(get.result ? get.result.data : null)
    }
    get.onerror = () => reject(get.error)
  }
})
"""

# Resolves once the worker has finished activating (a push sent to a worker
# that is still installing its precache is not delivered).
WORKER_ACTIVATED = """
async () => {
  const registration = await navigator.serviceWorker.ready
  const worker = registration.active
  if (worker.state !== 'activated') {
    await new Promise(resolve => worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve()
    }))
  }
  return worker.state
}
"""

# Waits (at most 20 s) for a registered worker to finish installing.
SETTLE_WORKER = """
async () => {
  const registration = await navigator.serviceWorker.getRegistration('/')
  if (!registration) return 'none'
  const wait = new Promise(resolve => setTimeout(() => resolve('timeout'), 20000))
  const active = navigator.serviceWorker.ready.then(async r => {
    const worker = r.active
    while (worker.state !== 'activated') {
      await new Promise(resolve => worker.addEventListener('statechange', resolve))
    }
    return 'activated'
  })
  return Promise.race([wait, active])
}
"""

# In the worker: count every showNotification() call once it has settled.
# Chromium drops a notification if getNotifications() runs while it is still
# being displayed (its store is synced with the displayed set), so the tests
# read notifications only after the worker's own call has resolved.
WATCH_SHOWN = """
() => {
  if (!self.__wfShown) {
    self.__wfShown = []
    const registration = self.registration
    const show = registration.showNotification.bind(registration)
    registration.showNotification = (title, options) => show(title, options).then(
      value => { self.__wfShown.push('shown'); return value },
      error => { self.__wfShown.push('failed: ' + error); throw error })
  }
  return self.__wfShown.length
}
"""

# In the worker: wait for `count` settled calls, then list the notifications.
NOTIFICATIONS = """
async (count) => {
  for (let i = 0; i < 400 && self.__wfShown.length < count; i++) {
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  const shown = await self.registration.getNotifications()
  return {
    calls: self.__wfShown,
    shown: shown.map(n => ({
      title: n.title, body: n.body, tag: n.tag, data: n.data, icon: n.icon,
      badge: n.badge, lang: n.lang,
      actions: n.actions.map(a => ({action: a.action, title: a.title}))
    }))
  }
}
"""


# --- An app that trusts the fake push service ---------------------------------


@pytest.fixture(scope="module")
def push_service() -> Iterator[FakePushService]:
    """A verifying fake push service for this module."""
    service = FakePushService().start()
    yield service
    service.stop()


@pytest.fixture(scope="module")
def reminders_app(
    tmp_path_factory: pytest.TempPathFactory, push_service: FakePushService
) -> Flask:
    """The app, with the fake push service allowed and no background dispatcher."""
    return create_app(
        {
            "INSTANCE_PATH": tmp_path_factory.mktemp("reminders-instance"),
            "PUSH_SERVICES": (*DEFAULT_PUSH_SERVICES, push_service.origin),
            "RATE_LIMIT": "10000 per minute",
            "DISPATCHER": False,
        }
    )


@pytest.fixture(scope="module")
def live_server(reminders_app: Flask) -> Iterator[str]:
    """Serve the reminders app on a free port (overrides the session server)."""
    server = make_server("127.0.0.1", 0, reminders_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture()
def context_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Launch options for browser_context, from indirect parametrisation."""
    return getattr(request, "param", {})


@pytest.fixture(autouse=True)
def worker_settled(page: Page) -> Iterator[None]:
    """After each test, let the worker finish saving its precache.

    Closing the browser mid-download leaves the server's threads writing
    files to a closed socket, which surfaces as an unclosed-file warning.
    """
    yield
    if page.url.startswith("http"):
        page.evaluate(SETTLE_WORKER)


# --- Helpers ------------------------------------------------------------------


def stub_push(
    context: BrowserContext,
    subscription: dict[str, Any],
    permission_answer: str | None = None,
) -> None:
    """Install the PushManager stub in every page of the context."""
    context.add_init_script(
        STUB
        % {
            "subscription": json.dumps(subscription),
            "permission_answer": json.dumps(permission_answer),
        }
    )


def api(
    app: Flask, method: str, path: str, token: str, body: Any = None
) -> tuple[int, Any]:
    """Call the push API as the page's owner would, with its bearer token."""
    response = app.test_client().open(
        f"/api/push{path}",
        method=method,
        headers={"Authorization": f"Bearer {token}"},
        json=body,
    )
    return response.status_code, response.get_json(silent=True)


def record(page: Page) -> dict[str, Any] | None:
    """The reminders record the page keeps in IndexedDB."""
    return page.evaluate(READ_RECORD)


def status(page: Page):
    """The component's polite status line."""
    return page.locator("[data-module='reminders'] [data-status]")


def open_reminders(page: Page, base: str) -> None:
    """Open /reminders and wait until the component has started."""
    page.goto(base + "/reminders")
    expect(page.locator("[data-module='reminders'][data-ready='true']")).to_have_count(
        1
    )


def fill_reminder(
    page: Page, kind: str, time: str, days: list[str], text: str | None = None
) -> None:
    """Fill the reminder editor."""
    page.select_option("#reminder-kind", kind)
    if text is not None:
        page.fill("#reminder-text", text)
    page.fill("#reminder-time", time)
    for box in page.locator("form[data-editor] input[name='days']").all():
        box.set_checked(box.get_attribute("value") in days)


def turn_on(page: Page, kind: str, time: str, days: list[str]) -> dict[str, Any]:
    """Fill the first reminder, tap Turn on reminders, return the saved record."""
    fill_reminder(page, kind, time, days)
    page.get_by_role("button", name="Turn on reminders").click()
    expect(status(page)).to_contain_text("Reminders are on.", timeout=30_000)
    saved = record(page)
    assert saved is not None and saved["id"] and saved["token"]
    return saved


def registration_id(cdp: CDPSession, origin: str) -> str:
    """The service worker registration id for origin, from CDP."""
    found: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    for _ in range(100):
        live = [
            r
            for r in found
            if r["scopeURL"].startswith(origin) and not r.get("isDeleted")
        ]
        if live:
            return live[-1]["registrationId"]
        cdp.send("Runtime.evaluate", {"expression": "1"})  # let events arrive
    raise AssertionError(f"no service worker registration for {origin}")


def deliver(
    page: Page, context: BrowserContext, origin: str, data: str
) -> list[dict[str, Any]]:
    """Push one message into the page's worker through CDP; return what it showed."""
    page.evaluate(WORKER_ACTIVATED)
    worker = (context.service_workers or [context.wait_for_event("serviceworker")])[0]
    before = worker.evaluate(WATCH_SHOWN)
    cdp = context.new_cdp_session(page)
    rid = registration_id(cdp, origin)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": origin, "registrationId": rid, "data": data},
    )
    result = worker.evaluate(NOTIFICATIONS, before + 1)
    assert result["calls"][before:] == ["shown"], result["calls"]
    return result["shown"]


def run_dispatcher(app: Flask, at: float | None = None) -> Any:
    """Run the app's dispatcher once, synchronously (optionally at a given time)."""
    dispatcher = (
        Dispatcher(push_state(app))
        if at is None
        else Dispatcher(push_state(app), clock=lambda: at)
    )
    try:
        return dispatcher.run_once()
    finally:
        dispatcher.sender.close()


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def path_of(subscription: dict[str, Any], service: FakePushService) -> str:
    """The fake push service path of a subscription."""
    return subscription["endpoint"][len(service.origin) :]


# --- The page -----------------------------------------------------------------


def test_permission_is_asked_only_after_turn_on_is_tapped(
    page: Page, browser_context: BrowserContext, live_server: str, push_service
) -> None:
    """Opening the page asks nothing; the tap asks once; a dismissal stores nothing."""
    stub_push(browser_context, push_service.subscribe(), permission_answer="default")
    open_reminders(page, live_server)
    expect(page.get_by_role("heading", name="Turn on reminders")).to_be_visible()
    assert page.evaluate("window.__wfPush.permissionRequests") == 0
    page.get_by_role("button", name="Turn on reminders").click()
    expect(status(page)).to_contain_text("notifications were not allowed")
    assert page.evaluate("window.__wfPush.permissionRequests") == 1
    assert page.evaluate("window.__wfPush.subscribeCalls.length") == 0
    assert record(page) is None


def test_denied_permission_is_explained_kindly(
    page: Page, browser_context: BrowserContext, live_server: str, push_service
) -> None:
    """With notifications blocked, the page says it is fine and how to allow them,
    and shows nothing else: no form that could not work."""
    stub_push(browser_context, push_service.subscribe())
    cdp = browser_context.new_cdp_session(page)
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": "denied",
            "origin": live_server,
        },
    )
    open_reminders(page, live_server)
    assert page.evaluate("Notification.permission") == "denied"
    blocked = page.locator("[data-panel='blocked']")
    expect(blocked).to_be_visible()
    expect(page.locator("[data-module='reminders']")).to_have_attribute(
        "data-state", "blocked"
    )
    expect(page.locator(".reminders__panel:visible")).to_have_count(1)
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_hidden()
    expect(page.locator("[data-panel='setup']")).to_be_hidden()
    expect(blocked).to_contain_text("That is completely fine")
    expect(blocked.locator("[data-help='chromium']")).to_be_visible()
    expect(blocked.locator("[data-help='ios']")).to_be_hidden()
    assert page.evaluate("window.__wfPush.subscribeCalls.length") == 0
    assert record(page) is None

    # Once the person allows notifications in the browser, the page moves on.
    cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": "granted",
            "origin": live_server,
        },
    )
    page.get_by_role("button", name="I have allowed them, try again").click()
    expect(status(page)).to_have_text("Notifications are allowed. Thank you.")
    expect(blocked).to_be_hidden()
    expect(page.locator("[data-panel='setup']")).to_be_visible()
    turn_on(page, "breathe", "10:00", EVERY_DAY)


def test_denied_at_the_prompt_leaves_only_the_help(
    page: Page, browser_context: BrowserContext, live_server: str, push_service
) -> None:
    """Saying no to the browser's question swaps the form for the help panel."""
    stub_push(browser_context, push_service.subscribe())
    browser_context.add_init_script(
        """(() => {
          let answer = 'default'
          Object.defineProperty(Notification, 'permission', { get: () => answer })
          Notification.requestPermission = async () => (answer = 'denied')
        })()"""
    )
    open_reminders(page, live_server)
    expect(page.locator("[data-panel='setup']")).to_be_visible()
    page.get_by_role("button", name="Turn on reminders").click()
    blocked = page.locator("[data-panel='blocked']")
    expect(blocked).to_be_focused()
    expect(page.locator(".reminders__panel:visible")).to_have_count(1)
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_hidden()
    assert page.evaluate("window.__wfPush.subscribeCalls.length") == 0


@pytest.mark.parametrize("context_options", [{"user_agent": IPHONE}], indirect=True)
def test_iphone_in_safari_is_told_to_use_the_home_screen(
    context_options: dict[str, Any], page: Page, live_server: str
) -> None:
    """On iPhone outside the Home Screen, the page explains the Home Screen step."""
    open_reminders(page, live_server)
    panel = page.locator("[data-panel='ios-home-screen']")
    expect(panel).to_be_visible()
    expect(panel).to_contain_text("iOS or iPadOS 16.4 or later")
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_hidden()


@pytest.mark.parametrize(
    "context_options", [{"timezone_id": "America/New_York"}], indirect=True
)
def test_turn_on_edit_pause_test_and_turn_off(
    context_options: dict[str, Any],
    page: Page,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
    reminders_app: Flask,
) -> None:
    """Every management action reaches the server; turning off deletes it there."""
    subscription = push_service.subscribe()
    stub_push(browser_context, subscription)
    browser_context.grant_permissions(["notifications"], origin=live_server)
    open_reminders(page, live_server)

    # Turn on: a subscription with the first reminder, in this device's zone.
    saved = turn_on(page, "breathe", "08:30", WEEKDAYS)
    token, sub_id = saved["token"], saved["id"]
    code, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert code == 200
    assert view["timezone"] == "America/New_York"
    assert view["reminders"] == [
        {"kind": "breathe", "time": "08:30", "days": WEEKDAYS, "text": None}
    ]
    assert view["discreet"] is True and view["quiet_hours"] is None
    assert view["push_service"] == push_service.origin
    calls = page.evaluate("window.__wfPush.subscribeCalls")
    public_key = reminders_app.test_client().get("/api/push/public-key").json
    assert calls[0]["userVisibleOnly"] is True
    assert bytes(calls[0]["key"]) == b64url_decode(public_key["publicKey"])
    assert saved["endpoint"] == subscription["endpoint"]
    assert page.evaluate("window.__wfPush.persistCalls") == 1
    expect(page.locator("[data-list] li")).to_have_count(1)
    expect(page.locator("[data-list] li")).to_contain_text("Breathing break")

    # Edit it into a custom reminder.
    page.get_by_role("button", name="Change Breathing break").click()
    expect(page.get_by_role("heading", name="Change reminder")).to_be_focused()
    fill_reminder(
        page, "custom", "21:15", ["sat", "sun"], text="Stretch and drink water"
    )
    page.get_by_role("button", name="Save changes").click()
    expect(status(page)).to_contain_text("Saved: Stretch and drink water")
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert view["reminders"] == [
        {
            "kind": "custom",
            "time": "21:15",
            "days": ["sat", "sun"],
            "text": "Stretch and drink water",
        }
    ]

    # Add a second, then remove the first.
    page.get_by_role("button", name="Add a reminder").click()
    fill_reminder(page, "medication", "20:00", EVERY_DAY)
    page.get_by_role("button", name="Add reminder", exact=True).click()
    expect(status(page)).to_contain_text("Added: Medication")
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert [r["kind"] for r in view["reminders"]] == ["custom", "medication"]
    page.get_by_role("button", name="Remove Stretch and drink water").click()
    expect(status(page)).to_contain_text("Removed: Stretch and drink water")
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert [r["kind"] for r in view["reminders"]] == ["medication"]

    # A form error is explained, and nothing is sent.
    page.get_by_role("button", name="Add a reminder").click()
    fill_reminder(page, "breathe", "07:00", [])
    page.get_by_role("button", name="Add reminder", exact=True).click()
    expect(page.locator("[data-error='days']")).to_have_text("Choose at least one day.")
    page.get_by_role("button", name="Cancel").click()

    # Quiet hours and plainer wording.
    page.get_by_role("checkbox", name="Quiet hours").check()
    page.fill("#quiet-start", "22:30")
    page.fill("#quiet-end", "06:45")
    page.get_by_role("checkbox", name="Discreet wording").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(status(page)).to_contain_text("Settings saved.")
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert view["quiet_hours"] == {"start": "22:30", "end": "06:45"}
    assert view["discreet"] is False

    # Pause: the server keeps no reminder times; resume puts them back.
    page.get_by_role("button", name="Pause reminders").click()
    expect(status(page)).to_have_text("Reminders are paused.")
    expect(page.locator("[data-paused-note]")).to_be_visible()
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert view["reminders"] == [] and view["next_reminder_at"] is None
    page.reload()
    expect(page.locator("[data-paused-note]")).to_be_visible()
    expect(page.locator("[data-list] li")).to_have_count(1)
    page.get_by_role("button", name="Resume reminders").click()
    expect(status(page)).to_have_text("Reminders are back on.")
    _, view = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert [r["kind"] for r in view["reminders"]] == ["medication"]

    # Send a test: the server queues it and the dispatcher sends it.
    page.get_by_role("button", name="Send a test notification").click()
    expect(status(page)).to_contain_text("Test sent.")
    run_dispatcher(reminders_app)
    arrived = push_service.for_path(path_of(subscription, push_service))
    assert [r.message["notification"]["title"] for r in arrived] == [
        "Reminders are working"
    ]

    # Turn off: deleted on the server, unsubscribed, forgotten on the device.
    page.get_by_role("button", name="Turn off reminders").click()
    page.get_by_role("button", name="Yes, turn them off").click()
    expect(status(page)).to_contain_text("Reminders are off")
    code, _ = api(reminders_app, "GET", f"/subscriptions/{sub_id}", token)
    assert code == 401
    assert record(page) is None
    assert page.evaluate("window.__wfPush.unsubscribed") == 1
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()


def test_offline_the_page_shows_what_this_device_saved(
    page: Page,
    page_problems: Any,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
) -> None:
    """With no connection, the saved reminders show, read-only, with a note that
    changes need a connection; nothing offers a change that could not save."""
    stub_push(browser_context, push_service.subscribe())
    browser_context.grant_permissions(["notifications"], origin=live_server)
    open_reminders(page, live_server)
    turn_on(page, "check-in", "18:00", WEEKDAYS)
    page.evaluate(SETTLE_WORKER)
    browser_context.set_offline(True)
    try:
        open_reminders(page, live_server)
        expect(page.locator("[data-offline-note]")).to_be_visible()
        expect(page.locator("[data-list] li")).to_contain_text("Check in with yourself")
        expect(page.locator(".reminders__panel:visible")).to_have_count(1)
        for name in ("Pause reminders", "Add a reminder", "Save settings"):
            expect(page.get_by_role("button", name=name)).to_be_hidden()
        expect(page.locator("[data-list] button:visible")).to_have_count(0)
    finally:
        browser_context.set_offline(False)
    # The browser logs the failed API calls; nothing else may be logged.
    page_problems.forgive("ERR_INTERNET_DISCONNECTED")


def test_offline_with_nothing_set_up_says_a_connection_is_needed(
    page: Page, page_problems: Any, browser_context: BrowserContext, live_server: str
) -> None:
    """Offline, the page says reminders need a connection instead of a form."""
    open_reminders(page, live_server)
    page.evaluate(SETTLE_WORKER)
    wait_for_worker_control(page)
    browser_context.set_offline(True)
    try:
        open_reminders(page, live_server)
        panel = page.locator("[data-panel='offline']")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text("need a connection")
        expect(page.locator(".reminders__panel:visible")).to_have_count(1)
        expect(page.locator("[data-editor]")).to_be_hidden()
    finally:
        browser_context.set_offline(False)
    # Where the browser still says online, the page's one check of the server
    # fails, and the browser logs it.
    page_problems.forgive("ERR_INTERNET_DISCONNECTED")


def test_a_server_out_of_reach_while_the_browser_says_online_is_noticed(
    page: Page, page_problems: Any, live_server: str
) -> None:
    """With the server unreachable but navigator.onLine true, "Check again" recovers."""
    key = "**/api/push/public-key"
    page.route(key, lambda route: route.abort("internetdisconnected"))
    open_reminders(page, live_server)
    assert page.evaluate("navigator.onLine") is True
    panel = page.locator("[data-panel='offline']")
    expect(panel).to_be_visible()
    expect(page.locator("[data-editor]")).to_be_hidden()
    panel.get_by_role("button", name="Check again").click()
    expect(page.locator("[data-status]")).to_contain_text("Still no connection")
    expect(panel).to_be_visible()
    page.unroute(key)
    panel.get_by_role("button", name="Check again").click()
    expect(page.locator("[data-status]")).to_have_text("You are back online.")
    expect(panel).to_be_hidden()
    expect(page.locator("[data-editor]")).to_be_visible()
    expect(page.locator("[data-editor] select").first).to_be_focused()
    page_problems.forgive("ERR_INTERNET_DISCONNECTED")


def test_a_subscription_deleted_on_the_server_is_noticed(
    page: Page,
    page_problems: Any,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
    reminders_app: Flask,
) -> None:
    """If the server dropped the subscription (e.g. after a 410), the page says so."""
    stub_push(browser_context, push_service.subscribe())
    browser_context.grant_permissions(["notifications"], origin=live_server)
    open_reminders(page, live_server)
    saved = turn_on(page, "mindfulness", "12:00", EVERY_DAY)
    code, _ = api(
        reminders_app, "DELETE", f"/subscriptions/{saved['id']}", saved["token"]
    )
    assert code == 204
    open_reminders(page, live_server)
    expect(status(page)).to_contain_text("Your reminders were switched off")
    assert record(page) is None
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    # The browser logs the expected 401 of the GET; nothing else may be logged.
    expected = [e for e in page_problems.console_errors if "401" in e]
    assert len(expected) == 1
    page_problems.console_errors.remove(expected[0])


# --- The worker ---------------------------------------------------------------


def worker_ready(page: Page, context: BrowserContext, base: str) -> None:
    """Open /reminders with notifications allowed and wait for the worker."""
    context.grant_permissions(["notifications"], origin=base)
    open_reminders(page, base)
    page.evaluate(WORKER_ACTIVATED)


def test_a_push_shows_the_notification_the_server_built(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """The server's payload, delivered by CDP, shows with every field and action."""
    worker_ready(page, browser_context, live_server)
    tag = push_payload.tag("breathe", 7, 1_780_000_000)
    data = push_payload.build(
        "breathe", base_url=live_server, tag=tag, discreet=False
    ).decode()
    shown = deliver(page, browser_context, live_server, data)
    assert len(shown) == 1
    note = shown[0]
    assert note["title"] == "Time for a breathing break"
    assert note["body"] == "A few slow breaths, whenever you are ready."
    assert note["tag"] == tag
    assert note["lang"] == "en"
    assert note["data"]["url"] == f"{live_server}/tools/breathing/box"
    assert note["data"]["kind"] == "breathe"
    assert note["actions"] == [
        {"action": "start", "title": "Start now"},
        {"action": "later", "title": "Later"},
    ]
    assert "/static/gen/icons/icon-192." in note["icon"]
    assert "/static/gen/icons/badge-96." in note["badge"]


def test_a_broken_push_still_shows_a_neutral_notification(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """A payload that is not our JSON still shows something (never a silent push)."""
    worker_ready(page, browser_context, live_server)
    shown = deliver(page, browser_context, live_server, "{not json")
    assert shown[0]["title"] == "A moment for yourself"
    assert shown[0]["data"]["url"] == f"{live_server}/reminders"
    assert [a["action"] for a in shown[0]["actions"]] == ["start"]


def test_notification_click_chooses_the_right_window_and_url(
    page: Page, browser_context: BrowserContext, live_server: str
) -> None:
    """The click logic, run inside the worker (real clicks cannot be driven by CDP)."""
    worker_ready(page, browser_context, live_server)
    worker = browser_context.service_workers[0]
    result = worker.evaluate(
        """async () => {
          const push = __wf_push
          const origin = self.location.origin
          const windows = await self.clients.matchAll(
            {type: 'window', includeUncontrolled: true})
          const here = push.pickClient(windows, origin + '/reminders')
          const there = push.pickClient(windows, origin + '/tools/breathing/box')
          return {
            tap: push.resolveClickUrl(
              {url: origin + '/tools/breathing/box'}, '', origin),
            start: push.resolveClickUrl({url: '/tools'}, 'start', origin),
            later: push.resolveClickUrl({url: '/tools'}, 'later', origin),
            foreign: push.resolveClickUrl({url: 'https://example.com/'}, '', origin),
            windows: windows.map(w => w.url),
            here: here && {url: here.client.url, navigate: here.navigate},
            there: there && {url: there.client.url, navigate: there.navigate}
          }
        }"""
    )
    assert result["tap"] == f"{live_server}/tools/breathing/box"
    assert result["start"] == f"{live_server}/tools"
    assert result["later"] is None
    assert result["foreign"] == f"{live_server}/reminders"
    assert result["windows"] == [f"{live_server}/reminders"]
    assert result["here"] == {"url": f"{live_server}/reminders", "navigate": False}
    assert result["there"] == {"url": f"{live_server}/reminders", "navigate": True}


# --- The whole chain ----------------------------------------------------------


@pytest.mark.parametrize(
    "context_options", [{"timezone_id": "America/New_York"}], indirect=True
)
def test_whole_chain_from_page_to_notification(
    context_options: dict[str, Any],
    page: Page,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
    reminders_app: Flask,
) -> None:
    """Subscribe in the page, dispatch at the reminder's local time, decrypt, show.

    Then "Later" (the worker's snooze) brings the same reminder back 15 minutes
    on, and a replaced browser subscription (the worker's
    pushsubscriptionchange code) moves delivery to the new endpoint.
    """
    subscription = push_service.subscribe()
    stub_push(browser_context, subscription)
    browser_context.grant_permissions(["notifications"], origin=live_server)
    open_reminders(page, live_server)

    # A reminder two hours from now, New York time, every day, plain wording.
    zone = ZoneInfo("America/New_York")
    local = (datetime.now(zone) + timedelta(hours=2)).replace(second=0, microsecond=0)
    saved = turn_on(page, "breathe", local.strftime("%H:%M"), EVERY_DAY)
    page.get_by_role("checkbox", name="Discreet wording").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(status(page)).to_contain_text("Settings saved.")
    _, view = api(reminders_app, "GET", f"/subscriptions/{saved['id']}", saved["token"])
    due = datetime.fromisoformat(view["next_reminder_at"].replace("Z", "+00:00"))
    assert due == local.astimezone(UTC)

    # Nothing before the minute; the reminder at it.
    path = path_of(subscription, push_service)
    run_dispatcher(reminders_app, at=due.timestamp() - 120)
    assert push_service.for_path(path) == []
    run_dispatcher(reminders_app, at=due.timestamp() + 1)
    arrived = push_service.for_path(path)
    assert len(arrived) == 1, push_service.problems
    message = arrived[0]
    assert message.status == 201
    assert message.claims["aud"] == push_service.origin
    assert message.headers["topic"] == "wayfinder-breathe"
    assert int(message.headers["ttl"]) > 0

    # The fake push service hands the decrypted bytes to the browser.
    shown = deliver(page, browser_context, live_server, message.plaintext.decode())
    assert len(shown) == 1
    note = shown[0]
    assert note["title"] == "Time for a breathing break"
    assert note["tag"] == message.tag
    assert note["data"]["url"] == f"{live_server}/tools/breathing/box"
    assert [a["title"] for a in note["actions"]] == ["Start now", "Later"]

    # "Later": the worker calls the snooze endpoint with its stored token, and
    # the same reminder comes back 15 minutes later (a new slot, a new tag).
    worker = browser_context.service_workers[0]
    asked = time.time()
    snoozed = worker.evaluate(
        """async () => {
          const [note] = await self.registration.getNotifications()
          return __wf_push.snooze(note, __wf_push.pushEnv(self))
        }"""
    )
    assert snoozed is True
    run_dispatcher(reminders_app, at=asked + 14 * 60)
    assert len(push_service.for_path(path)) == 1
    run_dispatcher(reminders_app, at=asked + 15 * 60 + 5)
    again = push_service.for_path(path)
    assert len(again) == 2
    reminder_prefix = message.tag.rsplit("-", 1)[0]
    assert (
        again[1].tag.startswith(reminder_prefix + "-") and again[1].tag != message.tag
    )

    # pushsubscriptionchange: the worker sends the new subscription to the server.
    replacement = push_service.subscribe()
    renewed = worker.evaluate(
        """async (json) => {
          const fresh = { endpoint: json.endpoint, toJSON: () => json }
          const env = __wf_push.pushEnv(self)
          return __wf_push.resubscribe({ newSubscription: fresh }, env)
        }""",
        replacement,
    )
    assert renewed is True
    assert record(page)["endpoint"] == replacement["endpoint"]
    page.get_by_role("button", name="Send a test notification").click()
    expect(status(page)).to_contain_text("Test sent.")
    run_dispatcher(reminders_app)
    tests = push_service.for_path(path_of(replacement, push_service))
    assert [r.message["notification"]["data"]["kind"] for r in tests] == ["test"]
    assert len(push_service.for_path(path)) == 2
    assert push_service.problems == []


# --- Accessibility and layout ---------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_before_and_after_turning_on(
    page: Page,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
    scheme: str,
) -> None:
    """axe-core is clean on the setup form and on the list, settings and buttons."""
    stub_push(browser_context, push_service.subscribe())
    browser_context.grant_permissions(["notifications"], origin=live_server)
    page.emulate_media(color_scheme=scheme)
    open_reminders(page, live_server)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()
    turn_on(page, "breathe", "09:00", EVERY_DAY)
    page.get_by_role("button", name="Add a reminder").click()
    page.select_option("#reminder-kind", "custom")
    page.get_by_role("checkbox", name="Quiet hours").check()
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def test_fits_320px_at_200_percent_text_with_44px_targets(
    page: Page,
    browser_context: BrowserContext,
    live_server: str,
    push_service: FakePushService,
) -> None:
    """At 320 px and doubled text nothing overflows; every control is 44 px tall."""
    stub_push(browser_context, push_service.subscribe())
    browser_context.grant_permissions(["notifications"], origin=live_server)
    page.set_viewport_size({"width": 320, "height": 640})
    open_reminders(page, live_server)
    turn_on(page, "breathe", "09:00", EVERY_DAY)
    page.get_by_role("button", name="Add a reminder").click()
    page.get_by_role("checkbox", name="Quiet hours").check()
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right
                        > document.documentElement.clientWidth + 0.5)
          .map(el => el.outerHTML.slice(0, 80))"""
    )
    assert overflow <= 0, wide
    # Checkboxes count through their 44 px labels.
    small = page.evaluate(
        """() => [...document.querySelectorAll(
             '[data-module=reminders] :is(button, select, label.check, label.days__day,'
             + ' input:not([type=checkbox]))')]
          .filter(el => el.offsetParent !== null)
          .map(el => [el.outerHTML.slice(0, 60), el.getBoundingClientRect().height])
          .filter(([, h]) => h < 44)"""
    )
    assert small == []
