"""Your data in real Chromium: backup and restore of every record type, bad
files that change nothing, the lock with no plaintext at rest, tools saving
while locked, the idle lock and the unlocked state from page to page on a
controlled clock, delete everything, moves from today's stores, two tabs.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import overflow_at_200_percent_text

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "data-format.schema.json").read_text())
PASSPHRASE = "quiet river morning"

#: Random records of every type the app has, and of types a later version may
#: add (the format keeps them), written through the page's own store.
SEED = """async ({ perType, marker }) => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const { makeRecord } = await import('/static/gen/personal-model.mjs')
  const store = personalStore()
  const text = () => marker + ' ' + Math.random().toString(36).slice(2) + ' é ✓ "q" <b>'
  const t0 = Date.UTC(2021, 0, 1)
  const data = {
    'tool-session': i => ({ tool: 'breathing/box', title: 'Box ' + text(),
      startedAt: t0 + i * 86400000,
      activeMs: 60000 + i, completed: i % 2 === 0, feeling: ['better', 'same',
        'worse'][i % 3] }),
    'kept-note': i => ({ tool: 'mindfulness/grounding', savedAt: t0 + i,
      items: [{ step: 'See', text: text() }] }),
    'breathing-pattern': i => ({ name: ('P' + i + ' ' + marker).slice(0, 40),
      inhale: 4, holdIn: i % 5, exhale: 6, holdOut: 0 }),
    'check-in': i => ({ at: new Date(t0 + i * 3600000).toISOString(),
      mood: 1 + i % 5, note: text() }),
    'hope-item': i => ({ kind: 'letter', text: text() }),
    treatment: i => ({
      category: ['medicine', 'therapy', 'stimulation', 'hospital'][i % 4], name: text(),
      medicine: i % 4 === 0 ? 'sertraline' : null, role: i % 4 === 0 ? 'add-on' : null,
      addedTo: i % 4 === 0 ? 'earlier-' + i : null,
      dose: i % 4 === 0 ? { amount: 50 + i, unit: 'mg' } : null,
      highestDose: i % 4 === 0 ? { amount: 100 + i, unit: 'mg' } : null,
      highestFrom: i % 4 === 0 ? '2024-02-0' + (1 + i % 9) : null,
      start: '2024-01-0' + (1 + i % 9), end: i % 2 ? '2024-06-1' + (i % 10) : null,
      ongoing: i % 2 === 0,
      regularity: ['every-day', 'most-days', 'about-half', 'less-than-half',
        null][i % 5],
      effect: ['none', 'a-little', 'a-lot', 'felt-well', null][i % 5],
      sideEffects: i % 3 ? ['nausea', 'headache'] : [], sideEffectsOther: text(),
      stopReason: i % 2 ? ['side-effects', 'did-not-help', 'other'][i % 3] : null,
      stopReasonOther: text(), kind: i % 4 === 2 ? 'ect' : i % 4 === 1 ? 'cbt' : null,
      sessions: i % 4 ? 6 + i : null, notes: text() }),
    'later-kind': i => ({ name: text(), started: '2024-01-0' + (1 + i % 9) })
  }
  for (const [type, make] of Object.entries(data)) {
    for (let i = 0; i < perType; i++) {
      await store.put(makeRecord(type, make(i), { now: () => t0 + i * 1000 }))
    }
  }
  await store.save('safety-plan', { steps: { reasons: { text: text(), people: [
    { id: 'p1', name: text(), phone: '07700 900123' }] } }, removed: [] },
    { id: 'safety-plan' })
  await store.save('treatment-profile',
    { episodeStart: '2023-11-0' + (1 + Math.floor(Math.random() * 9)) },
    { id: 'treatment-profile' })
  await store.save('appointment', { date: '2027-01-15', lastVisit: '2026-10-01',
    questions: ['q-' + text()], ownQuestions: [text(), text()], changes: text(),
    sideEffectsToRaise: text(), bring: text(), wants: text() },
    { id: 'appointment-next' })
  await store.save('reminders', { id: 'sub-test', token: 'token-test',
    endpoint: 'https://push.invalid/1', settings: {}, synced: {} }, { id: 'reminders' })
  localStorage.setItem('wayfinder.tools.tones', 'on')
  localStorage.setItem('wayfinder.country', 'GB')
}"""

#: Every record the store holds, in the page.
ALL = """async () => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  return personalStore().all()
}"""

#: The raw bytes of the personal database and the preferences, as text.
RAW = """async () => {
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('wayfinder-data')
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  const read = name => new Promise(resolve => {
    const tx = db.transaction(name)
    const keys = tx.objectStore(name).getAllKeys()
    const vals = tx.objectStore(name).getAll()
    tx.oncomplete = () => resolve(keys.result.map((k, i) => [k, vals.result[i]]))
  })
  const out = { records: await read('records'), meta: await read('meta') }
  db.close()
  const bytes = (k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v)
    ? 'bytes:' + btoa(String.fromCharCode(...new Uint8Array(v.buffer ?? v))) : v)
  const prefs = Object.keys(localStorage).sort().map(k => [k, localStorage.getItem(k)])
  return JSON.stringify({ ...out, prefs }, bytes)
}"""


def open_my_data(page: Page, url: str) -> None:
    """Open /my-data and wait for the component."""
    page.goto(f"{url}/my-data")
    expect(page.locator("[data-facts]")).to_be_visible()


def save_backup(page: Page) -> dict:
    """Tap "Save backup file" and return the downloaded file's JSON."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Save backup file").click()
    expect(page.locator("[data-backup-status]")).to_contain_text(
        "Saved wayfinder-backup-"
    )
    return json.loads(Path(info.value.path()).read_text())


def choose_file(page: Page, content: bytes | Path, name: str = "backup.json") -> None:
    """Choose a file (bytes, or a path for big ones) in the restore field."""
    files = (
        content
        if isinstance(content, Path)
        else {"name": name, "mimeType": "application/json", "buffer": content}
    )
    page.locator("[data-restore-file]").set_input_files(files)


def delete_everything(page: Page) -> list[tuple[str, str]]:
    """Delete everything through the page, confirming; return the push API deletes.

    The server's side of a delete is tested with the reminders; here the page
    must send it, with the record's token, and our stub answers 204.
    """
    deletes = []

    def answer(route) -> None:
        deletes.append((route.request.method, route.request.headers["authorization"]))
        route.fulfill(status=204)

    page.route("**/api/push/subscriptions/*", answer)
    page.get_by_role("button", name="Delete everything…").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page.locator("[data-delete-status]")).to_contain_text("is deleted")
    page.unroute("**/api/push/subscriptions/*")
    return deletes


def test_round_trip_of_every_record_type(page: Page, live_server: str) -> None:
    """Export, delete everything, import: identical; a second import changes nothing."""
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 12, "marker": "round"})
    before = page.evaluate(ALL)
    assert {r["type"] for r in before} == {
        "tool-session",
        "kept-note",
        "breathing-pattern",
        "check-in",
        "safety-plan",
        "hope-item",
        "treatment",
        "treatment-profile",
        "appointment",
        "later-kind",
        "reminders",
        "preference",
    }
    page.reload()
    expect(page.locator("[data-facts-counts]")).to_contain_text("12 tool sessions")

    backup = save_backup(page)
    jsonschema.validate(backup, SCHEMA)
    assert backup["format"] == "wayfinder-personal-data"
    assert backup["version"] == 1
    assert len(backup["records"]) == len(before)
    expect(page.locator("[data-facts-backup]")).to_contain_text("today")

    deletes = delete_everything(page)
    assert deletes == [("DELETE", "Bearer token-test")]
    expect(page.locator("[data-delete-status]")).to_contain_text(
        "Our server has deleted your reminders."
    )
    assert page.evaluate(ALL) == []
    assert page.evaluate("Object.keys(localStorage)") == []
    expect(page.locator("[data-facts-counts]")).to_have_text("nothing yet")

    choose_file(page, json.dumps(backup).encode())
    summary = page.locator("[data-restore-summary]")
    expect(summary).to_contain_text("12 tool sessions, 12 kept notes, 12 breathing")
    expect(summary).to_contain_text("12 check-ins, 1 safety plan, 12 hope box items")
    expect(summary).to_contain_text(
        "12 treatments, 1 treatment history setting, 1 appointment plan"
    )
    expect(summary).to_contain_text("12 records from a newer version of Wayfinder")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator("[data-restore-status]")).to_contain_text("Restored.")
    assert page.evaluate(ALL) == before

    raw = page.evaluate(RAW)
    choose_file(page, json.dumps(backup).encode())
    expect(summary).to_contain_text("nothing will change")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator("[data-restore-status]")).to_contain_text(
        f"0 added, 0 replaced by a newer copy, {len(before)} already here"
    )
    assert page.evaluate(RAW) == raw


BAD_FILES = {
    "malformed": b"{this is not json",
    "truncated": None,  # half of a real backup
    "oversized": "big",  # a file just over 20 MB
    "newer": json.dumps(
        {
            "format": "wayfinder-personal-data",
            "version": 2,
            "appVersion": "9",
            "exportedAt": "2030-01-01T00:00:00.000Z",
            "records": [],
        }
    ).encode(),
    "wrong kind": json.dumps({"format": "some-other-app", "items": []}).encode(),
    "broken record": json.dumps(
        {
            "format": "wayfinder-personal-data",
            "version": 1,
            "appVersion": "0.1.0",
            "exportedAt": "2026-01-01T00:00:00.000Z",
            "records": [{"id": "x", "type": "kept-note", "data": {}}],
        }
    ).encode(),
}


def test_bad_files_change_nothing_byte_for_byte(
    page: Page, live_server: str, tmp_path: Path
) -> None:
    """Each bad kind of file is refused in plain words; the store is unchanged."""
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 3, "marker": "bad"})
    page.reload()
    backup = json.dumps(save_backup(page)).encode()
    before = page.evaluate(RAW)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (20 * 1024 * 1024 + 1))
    for name, content in BAD_FILES.items():
        if content is None:
            content = backup[: len(backup) // 2]
        choose_file(page, big if content == "big" else content)
        status = page.locator("[data-restore-status]")
        expect(status).to_contain_text("Nothing was changed.")
        expect(page.locator("[data-restore-preview]")).to_be_hidden()
        assert page.evaluate(RAW) == before, f"{name} changed the store"

    polluting = (
        b'{"format":"wayfinder-personal-data","version":1,"appVersion":"x",'
        b'"exportedAt":"2026-01-01T00:00:00.000Z","__proto__":{"polluted":1},'
        b'"records":[{"id":"p1","type":"kept-note","created":"2026-01-01T00:00:00.000Z",'
        b'"updated":"2026-01-01T00:00:00.000Z","data":{"constructor":{"prototype":'
        b'{"polluted":2}},"__proto__":{"polluted":3},"items":[]}}]}'
    )
    choose_file(page, polluting)
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator("[data-restore-status]")).to_contain_text("Restored. 1 added")
    assert page.evaluate("({}).polluted") is None
    assert page.evaluate(
        "import('/static/gen/personal-store.mjs')"
        ".then(m => m.personalStore().get('p1'))"
    )["data"] == {"items": []}


def test_lock_leaves_no_plaintext_and_refuses_a_wrong_passphrase(
    page: Page, live_server: str
) -> None:
    """With a passphrase set, IndexedDB holds no record in clear; unlocking needs it."""
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 4, "marker": "SECRETWORD"})
    page.reload()
    expect(page.locator("[data-lock-off] .notice")).to_contain_text(
        "your data cannot be recovered"
    )
    page.get_by_label("New passphrase").fill("short")
    page.get_by_label("The same passphrase again").fill("short")
    page.get_by_role("button", name="Set passphrase").click()
    expect(page.locator("[data-lock-status]")).to_have_text(
        "Use at least 8 characters."
    )
    page.get_by_label("New passphrase").fill(PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Set passphrase").click()
    expect(page.locator("[data-lock-status]")).to_contain_text("now locked")

    raw = page.evaluate(RAW)
    assert "SECRETWORD" not in raw
    for kind in ("tool-session", "kept-note", "breathing-pattern", "check-in"):
        assert kind not in raw
    assert "token-test" in raw, "the reminders record stays readable for the worker"

    locked_file = save_backup(page)
    jsonschema.validate(locked_file, SCHEMA)
    assert "encrypted" in locked_file
    assert "SECRETWORD" not in json.dumps(locked_file)

    page.get_by_role("button", name="Lock now").click()
    page.reload()
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    expect(page.locator("[data-facts-counts]")).to_contain_text("locked records")
    page.get_by_label("Passphrase", exact=True).fill("quiet river evening")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("[data-unlock-status]")).to_contain_text("not right")
    expect(page.locator("[data-open]")).to_be_hidden()
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("[data-open]")).to_be_visible()
    expect(page.locator("[data-facts-counts]")).to_contain_text("4 tool sessions")

    # The locked backup restores elsewhere only with the passphrase.
    delete_everything(page)
    choose_file(page, json.dumps(locked_file).encode())
    expect(page.locator("[data-restore-status]")).to_contain_text(
        "This backup is locked"
    )
    page.get_by_label("Passphrase of this backup").fill(PASSPHRASE)
    page.get_by_role("button", name="Open backup").click()
    expect(page.locator("[data-restore-summary]")).to_contain_text("4 tool sessions")


def test_idle_and_hidden_lock_on_a_controlled_clock(
    page: Page, live_server: str
) -> None:
    """After the chosen minutes without use, or out of sight that long, it locks."""
    page.clock.install()
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 1, "marker": "idle"})
    page.get_by_label("New passphrase").fill(PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_label("Lock again after").select_option("1")
    page.get_by_role("button", name="Set passphrase").click()
    expect(page.locator("[data-lock-on]")).to_contain_text("after 1 minute")

    page.clock.run_for(50_000)
    expect(page.locator("[data-open]")).to_be_visible()
    page.clock.run_for(20_000)
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    expect(page.locator("[data-unlock-status]")).to_have_text(
        "Locked after a while without use."
    )

    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("[data-open]")).to_be_visible()
    hide = """hidden => {
      Object.defineProperty(document, 'visibilityState', { configurable: true,
        get: () => hidden ? 'hidden' : 'visible' })
      document.dispatchEvent(new Event('visibilitychange'))
    }"""
    page.evaluate(hide, True)
    page.clock.fast_forward(61_000)
    page.evaluate(hide, False)
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()


def set_passphrase(page: Page, minutes: str = "5") -> None:
    """Set the lock on /my-data with PASSPHRASE, locking again after minutes."""
    page.get_by_label("New passphrase").fill(PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_label("Lock again after").select_option(minutes)
    page.get_by_role("button", name="Set passphrase").click()
    expect(page.locator("[data-lock-status]")).to_contain_text("now locked")


def unlock(page: Page) -> None:
    """Unlock /my-data with PASSPHRASE."""
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator("[data-open]")).to_be_visible()


#: How many records the personal database holds, read directly.
RECORD_COUNT = f"""async () => JSON.parse(await ({RAW})()).records.length"""


def test_tools_save_while_locked_and_only_the_passphrase_reads_it(
    page: Page, live_server: str
) -> None:
    """Locked, a grounding session and notes are kept, sealed; unlocking shows them."""
    open_my_data(page, live_server)
    set_passphrase(page)
    page.get_by_role("button", name="Lock now").click()
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()

    page.goto(f"{live_server}/tools/mindfulness/grounding")
    page.wait_for_selector("[data-setup]:not([hidden])")
    page.click("[data-start]")
    page.click("[data-next]")
    page.fill("#notice-2-1", "SECRETMUG on the shelf")
    for _ in range(6):
        page.click("[data-next]")
    page.click("[data-notes-keep]")
    expect(page.locator("[data-notes-status]")).to_contain_text(
        "Kept on this device, locked with your passphrase."
    )
    page.wait_for_function(f"async () => (await ({RECORD_COUNT})()) === 2")

    raw = page.evaluate(RAW)
    for secret in (
        "SECRETMUG",
        "grounding",
        "mindfulness",
        "tool-session",
        "kept-note",
    ):
        assert secret not in raw
    records = json.loads(raw)["records"]
    for _key, record in records:
        assert sorted(record) == ["id", "sealed"], "only the id is visible at rest"
        assert sorted(record["sealed"]) == ["ciphertext", "epk", "iv"]

    open_my_data(page, live_server)
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    expect(page.locator("[data-facts-counts]")).to_contain_text("2 locked records")
    unlock(page)
    expect(page.locator("[data-facts-counts]")).to_contain_text(
        "1 tool session and 1 kept note"
    )
    kept = [r for r in page.evaluate(ALL) if r["type"] == "kept-note"]
    assert kept[0]["data"]["items"][0]["text"] == "SECRETMUG on the shelf"
    resealed = json.loads(page.evaluate(RAW))["records"]
    assert all("epk" not in r["sealed"] for _k, r in resealed), "re-sealed on unlock"
    assert "SECRETMUG" not in page.evaluate(RAW)


#: The tab's unlocked entry, if any.
UNLOCKED = "() => sessionStorage.getItem('wayfinder.unlocked')"


def test_unlocked_from_page_to_page_until_the_idle_time_runs_out(
    page: Page, live_server: str
) -> None:
    """Unlocked, the next page opens unlocked; activity keeps it; idle, it locks."""
    page.clock.install()
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 1, "marker": "carry"})
    set_passphrase(page, "1")

    page.goto(f"{live_server}/tools")
    assert page.evaluate(UNLOCKED)
    open_my_data(page, live_server)
    expect(page.locator("[data-open]")).to_be_visible()
    expect(page.locator("[data-facts-counts]")).to_contain_text("1 tool session")

    page.clock.fast_forward(50_000)
    page.keyboard.press("Shift")  # activity pushes the time forward
    page.clock.fast_forward(30_000)
    page.goto(f"{live_server}/tools")
    open_my_data(page, live_server)
    expect(page.locator("[data-open]")).to_be_visible()

    page.clock.fast_forward(61_000)
    page.goto(f"{live_server}/tools")
    open_my_data(page, live_server)
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    assert page.evaluate(UNLOCKED) is None, "the expired key is wiped"

    unlock(page)
    assert page.evaluate(UNLOCKED)
    page.get_by_role("button", name="Lock now").click()
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    assert page.evaluate(UNLOCKED) is None, "locking wipes it"
    page.reload()
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()

    unlock(page)
    page.get_by_role("button", name="Remove the passphrase").click()
    expect(page.locator("[data-lock-status]")).to_contain_text("passphrase is removed")
    assert page.evaluate(UNLOCKED) is None, "removing the lock wipes it"
    set_passphrase(page)
    assert page.evaluate(UNLOCKED)
    delete_everything(page)
    assert page.evaluate(UNLOCKED) is None, "delete everything wipes it"


def test_moves_today_s_stores_in_on_first_open(page: Page, live_server: str) -> None:
    """Data written the old way (three databases, localStorage) is moved in."""
    page.goto(f"{live_server}/guide")
    page.evaluate(
        """async () => {
      const put = (db, store, key, value) => new Promise((resolve, reject) => {
        const r = indexedDB.open(db, 1)
        r.onupgradeneeded = () => r.result.createObjectStore(store)
        r.onsuccess = () => {
          const tx = r.result.transaction(store, 'readwrite')
          tx.objectStore(store).put(value, key)
          tx.oncomplete = () => { r.result.close(); resolve() }
        }
        r.onerror = () => reject(r.error)
      })
      await put('wayfinder-sessions', 'sessions', 'old-s', { id: 'old-s',
        tool: 'breathing/box',
        title: 'Box breathing', startedAt: Date.UTC(2025, 4, 1), activeMs: 64000,
          completed: true, feeling: 'better' })
      await put('wayfinder-notes', 'notes', 'old-n', { id: 'old-n',
        tool: 'mindfulness/grounding',
        savedAt: Date.UTC(2025, 4, 2), items: [{ step: 'See', text: 'a blue mug' }] })
      await put('wayfinder-push', 'state', 'subscription', { id: 'old-sub',
        token: 'old-token' })
      localStorage.setItem('wayfinder.breathing.custom', JSON.stringify([
        { id: 'old-p', name: 'Mine', inhale: 4, holdIn: 0, exhale: 6, holdOut: 0 }]))
    }"""
    )
    open_my_data(page, live_server)
    expect(page.locator("[data-facts-counts]")).to_have_text(
        "1 tool session, 1 kept note, 1 breathing pattern and 1 reminder setting"
    )
    records = {r["id"]: r for r in page.evaluate(ALL)}
    assert records["old-s"]["data"]["feeling"] == "better"
    assert records["old-s"]["created"] == "2025-05-01T00:00:00.000Z"
    assert records["reminders"]["data"]["token"] == "old-token"
    names = page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))")
    assert "wayfinder-data" in names
    assert not {"wayfinder-sessions", "wayfinder-notes", "wayfinder-push"} & set(names)
    page.goto(f"{live_server}/tools/breathing")
    expect(page.get_by_role("link", name="Mine")).to_be_visible()


def test_two_tabs_and_a_reload_mid_write_lose_nothing(
    browser_context: BrowserContext, page: Page, live_server: str
) -> None:
    """Two tabs write at once; a reload during writes leaves only whole records."""
    other = browser_context.new_page()
    for tab in (page, other):
        open_my_data(tab, live_server)
    write = """async ({ n, tag }) => {
      const { personalStore } = await import('/static/gen/personal-store.mjs')
      const store = personalStore()
      await Promise.all(Array.from({ length: n }, (_, i) => store.save('kept-note',
        { tag, i, items: [] })))
    }"""
    first = page.evaluate_handle(write, {"n": 150, "tag": "a"})
    other.evaluate(write, {"n": 150, "tag": "b"})
    first.json_value()
    notes = [r for r in page.evaluate(ALL) if r["type"] == "kept-note"]
    assert len(notes) == 300

    other.evaluate(
        """() => import('/static/gen/personal-store.mjs').then(m => {
      for (let i = 0; i < 500; i++) m.personalStore().save('kept-note', { tag: 'c', i,
        items: [] })
    })"""
    )
    other.reload()
    open_my_data(other, live_server)
    after = [r for r in other.evaluate(ALL) if r["type"] == "kept-note"]
    assert len(after) >= 300
    assert all(set(r) == {"id", "type", "created", "updated", "data"} for r in after)
    other.close()


#: One step on the page's own store, for the test of two tabs and one lock.
LOCK_STEP = """async ({ step, words }) => {
  const { personalStore } = await import('/static/gen/personal-store.mjs')
  const store = personalStore()
  if (step === 'set') return store.setLock(words)
  if (step === 'remove') return store.removeLock()
  if (step === 'unlock') return store.unlock(words)
  if (step === 'locked') return store.isLocked()
  if (step === 'save') return (await store.save('kept-note', { text: words })).id
  const notes = (await store.all()).filter(r => r.type === 'kept-note')
  return notes.map(r => r.data.text).sort()
}"""


def test_a_lock_changed_in_another_tab_is_noticed_before_this_tab_writes(
    browser_context: BrowserContext, page: Page, live_server: str
) -> None:
    """A tab left unlocked lets go of its key when another tab changes the lock."""
    other = browser_context.new_page()
    for tab in (page, other):
        open_my_data(tab, live_server)

    def step(tab: Page, name: str, words: str = "") -> object:
        """Run one LOCK_STEP in a tab."""
        return tab.evaluate(LOCK_STEP, {"step": name, "words": words})

    step(page, "set", "first passphrase here")
    assert step(other, "unlock", "first passphrase here") is True
    step(other, "save", "written before the change")
    # This tab replaces the lock: a new passphrase and a new data key.
    step(page, "remove")
    step(page, "set", "second passphrase now")
    step(other, "save", "written after the change")
    assert step(other, "locked") is True, "the other tab let go of the old key"
    assert step(page, "read") == [
        "written after the change",
        "written before the change",
    ]
    # The lock is removed while the other tab is unlocked: it writes in clear.
    assert step(other, "unlock", "second passphrase now") is True
    step(page, "remove")
    step(other, "save", "written once the lock was gone")
    assert step(other, "locked") is False
    assert step(page, "read") == [
        "written after the change",
        "written before the change",
        "written once the lock was gone",
    ]
    assert "written once the lock was gone" in page.evaluate(RAW)
    other.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_my_data_and_about_are_axe_clean_and_fit(
    page: Page, live_server: str, scheme: str
) -> None:
    """Open and locked views, and /about's summary: axe clean, 320 px, 200% text."""
    page.emulate_media(color_scheme=scheme)
    open_my_data(page, live_server)
    page.evaluate(SEED, {"perType": 2, "marker": "axe"})
    page.get_by_role("button", name="Delete everything…").click()
    axe = Axe()
    assert axe.run(page).violations_count == 0, axe.run(page).generate_report()
    page.get_by_label("New passphrase").fill(PASSPHRASE)
    page.get_by_label("The same passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Set passphrase").click()
    expect(page.locator("[data-lock-on]")).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Lock now").click()
    page.reload()
    expect(page.get_by_role("heading", name="Your data is locked")).to_be_visible()
    results = axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    for url in ("/my-data", "/about"):
        page.set_viewport_size({"width": 320, "height": 700})
        page.goto(live_server + url)
        expect(page.locator("[data-facts]")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        assert overflow_at_200_percent_text(page) <= 0
        results = axe.run(page)
        assert results.violations_count == 0, results.generate_report()


def test_backup_line_is_gentle_and_goes_away(page: Page, live_server: str) -> None:
    """/tools suggests a backup only with personal data; "Not now" puts it away."""
    page.goto(f"{live_server}/tools")
    nudge = page.locator("[data-module='backup-nudge']")
    expect(nudge).to_have_attribute("data-checked", "true")
    expect(nudge).to_be_hidden()
    page.evaluate(SEED, {"perType": 1, "marker": "nudge"})
    page.reload()
    expect(nudge).to_be_visible()
    expect(nudge).to_contain_text("You have not saved a backup")
    nudge.get_by_role("button", name="Not now").click()
    expect(nudge).to_be_hidden()
    page.wait_for_function(
        "import('/static/gen/personal-store.mjs')"
        ".then(m => m.personalStore().getMeta('nudgeDismissedAt')).then(Boolean)"
    )
    page.reload()
    expect(nudge).to_have_attribute("data-checked", "true")
    expect(nudge).to_be_hidden()
