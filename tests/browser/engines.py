"""Firefox ESR and WebKitGTK behind one small interface, for the cross-engine tests.

Firefox runs over WebDriver BiDi through puppeteer-core, in one long-lived node
process per browser (tests/browser/firefox-bridge.mjs) that takes JSON commands
on stdin: the tests stay in Python beside the Chromium ones, and the browser
starts once per test, not once per step. WebKitGTK runs through WebKitWebDriver
and Selenium under its own Xvfb display.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from tests.support import free_port

ROOT = Path(__file__).resolve().parents[2]
FIREFOX = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBKIT_DRIVER = shutil.which("WebKitWebDriver") or "/usr/bin/WebKitWebDriver"
XVFB = shutil.which("Xvfb") or "/usr/bin/Xvfb"
BRIDGE = Path(__file__).with_name("firefox-bridge.mjs")
WAIT_MS = 15_000
#: MiniBrowser's toolbar: the window is this much taller than its viewport.
WEBKIT_CHROME_PX = 38

#: Installed in every page before its own scripts (Firefox), or as soon as the
#: driver hands the page back (WebKit): uncaught errors, rejections, CSP
#: violations, console errors and components that failed to start.
HOOKS = """() => {
  if (window.__wfProblems) return
  const seen = window.__wfProblems = []
  const text = (args) => args.map(a => (a && a.stack) || String(a)).join(' ')
  addEventListener('error', (e) => seen.push(
    `error: ${(e.error && e.error.stack) || e.message ||
      (e.target && (e.target.src || e.target.href)) || e}`), true)
  addEventListener('unhandledrejection', (e) => seen.push(
    `unhandled rejection: ${e.reason} ${(e.reason && e.reason.stack) || ''}`))
  document.addEventListener('securitypolicyviolation', (e) => seen.push(
    `CSP violation: ${e.violatedDirective} ${e.blockedURI}`))
  const { error, warn } = console
  console.error = (...args) => {
    seen.push(`console error: ${text(args)}`)
    error.apply(console, args)
  }
  console.warn = (...args) => {
    if (/could not start|offline support is off/.test(String(args[0]))) {
      seen.push(`console warn: ${text(args)}`)
    }
    warn.apply(console, args)
  }
}"""

#: Wait in the page until a condition (the function CONDITION) holds. The
#: condition is written into the source: the page's CSP forbids eval.
WAIT_FOR = """(timeoutMs) => new Promise((resolve, reject) => {
  const test = (CONDITION)
  const end = Date.now() + timeoutMs
  const check = async () => {
    let value = null
    try { value = await test() } catch (e) { value = null }
    if (value) return resolve(value)
    if (Date.now() > end) return reject(new Error('timed out waiting for a condition'))
    setTimeout(check, 50)
  }
  check()
})"""


def firefox_prefs(closed_port: int) -> dict[str, Any]:
    """Prefs that keep Firefox's own background requests off or on a closed port."""
    nowhere = f"http://127.0.0.1:{closed_port}/"
    return {
        # Push: the push service is a closed loopback port.
        "dom.push.serverURL": f"ws://127.0.0.1:{closed_port}/",
        # Reminders in Firefox: notifications denied, as a person may have.
        "permissions.default.desktop-notification": 2,
        "services.settings.server": nowhere + "v1",
        "toolkit.telemetry.enabled": False,
        "toolkit.telemetry.server": nowhere,
        "toolkit.telemetry.unified": False,
        "datareporting.healthreport.uploadEnabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "browser.safebrowsing.downloads.enabled": False,
        "browser.safebrowsing.downloads.remote.enabled": False,
        "browser.safebrowsing.provider.google4.updateURL": "",
        "browser.safebrowsing.provider.mozilla.updateURL": "",
        "app.update.enabled": False,
        "app.normandy.enabled": False,
        "app.shield.optoutstudies.enabled": False,
        "extensions.update.enabled": False,
        "extensions.getAddons.cache.enabled": False,
        "browser.region.network.url": "",
        "browser.region.update.enabled": False,
        "geo.provider.network.url": "",
        "network.dns.disablePrefetch": True,
        "network.prefetch-next": False,
        "media.gmp-manager.url": nowhere,
        "browser.topsites.contile.enabled": False,
        "browser.newtabpage.activity-stream.feeds.topsites": False,
    }


def missing(path: str) -> None:
    """Fail (never skip) when a browser part is not installed."""
    if not Path(path).exists():
        pytest.fail(f"{path} not found: bash scripts/test installs it")


class Firefox:
    """Firefox ESR over WebDriver BiDi, through the node bridge."""

    name = "firefox"

    def __init__(self, url: str, profile: Path) -> None:
        """Start the bridge and the browser for a site at url."""
        missing(FIREFOX)
        env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
        self.process = subprocess.Popen(
            ["node", str(BRIDGE)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.next_id = 0
        profile.mkdir(parents=True, exist_ok=True)
        self.version = self.send(
            "launch",
            executablePath=FIREFOX,
            userDataDir=str(profile),
            prefs=firefox_prefs(free_port()),
            hooks=HOOKS,
            url=url,
        )

    def send(self, cmd: str, **params: Any) -> Any:
        """Send one command and return its answer's value."""
        self.next_id += 1
        line = json.dumps({"id": self.next_id, "cmd": cmd, **params})
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline() or '{"error": "gone"}')
        if "error" in answer:
            raise AssertionError(f"firefox {cmd}: {answer['error']}")
        return answer["value"]

    def goto(self, url: str) -> None:
        """Open url and wait until the page's modules have started."""
        self.send("goto", url=url)
        self.wait_for("() => document.documentElement.dataset.started !== undefined")

    def evaluate(self, source: str, *args: Any) -> Any:
        """Run a function (its source) in the page and return its awaited result."""
        return self.send("evaluate", source=source, args=list(args))

    def wait_for(self, source: str, timeout_ms: int = WAIT_MS) -> Any:
        """Wait until a function in the page returns something truthy."""
        return self.evaluate(WAIT_FOR.replace("CONDITION", source), timeout_ms)

    def resize(self, width: int, height: int) -> None:
        """Set the page's viewport size."""
        self.send("viewport", width=width, height=height)

    def problems(self) -> list[str]:
        """Everything the driver and the in-page hooks saw since the last call."""
        found = self.send("problems")
        found += self.evaluate("() => (window.__wfProblems || []).splice(0)")
        return found

    def close(self) -> None:
        """Close the browser and the bridge."""
        try:
            self.send("close")
        finally:
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process.stdout.close()


class Xvfb:
    """A virtual display of our own on a free display number."""

    def __init__(self) -> None:
        """Start Xvfb with -displayfd, which picks a free display and prints it."""
        missing(XVFB)
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [
                XVFB,
                "-displayfd",
                str(write),
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            self.display = ":" + pipe.readline().strip()

    def stop(self) -> None:
        """Stop the display we started."""
        self.process.terminate()
        self.process.wait(timeout=10)


class WebKit:
    """WebKitGTK's MiniBrowser through WebKitWebDriver and Selenium."""

    name = "webkit"

    def __init__(self, display: str) -> None:
        """Start the driver and the browser on the given X display."""
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.options import Options
        from selenium.webdriver.webkitgtk.service import Service

        missing(MINIBROWSER)
        missing(WEBKIT_DRIVER)
        options = Options()
        options.binary_location = MINIBROWSER
        options.add_argument("--automation")
        service = Service(
            executable_path=WEBKIT_DRIVER,
            env={**os.environ, "DISPLAY": display},
        )
        with warnings.catch_warnings():
            # Selenium's own WebKitGTK class still uses an API it deprecated.
            warnings.filterwarnings(
                "ignore", "setting remote_server_addr", DeprecationWarning
            )
            self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.resize(390, 806)
        self.driver.set_script_timeout(WAIT_MS / 1000 + 5)
        self.version = self.driver.capabilities.get("browserVersion", "")

    def goto(self, url: str) -> None:
        """Open url, install the hooks, and wait until the page's modules started.

        WebDriver has no "before the page's scripts" in WebKitGTK; the page's
        modules start after load (driver.get returns at load), so the hooks are
        in place before them.
        """
        self.driver.get(url)
        self.evaluate(HOOKS)
        self.wait_for("() => document.documentElement.dataset.started !== undefined")

    def evaluate(self, source: str, *args: Any) -> Any:
        """Run a function (its source) in the page and return its awaited result."""
        script = (
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve().then(() => ({source})(...arguments[0]))"
            ".then(v => done({ value: v === undefined ? null : v }),"
            " e => done({ error: String((e && e.stack) || e) }))"
        )
        answer = self.driver.execute_async_script(script, list(args))
        if "error" in answer:
            raise AssertionError(f"webkit evaluate: {answer['error']}")
        return answer["value"]

    def wait_for(self, source: str, timeout_ms: int = WAIT_MS) -> Any:
        """Wait until a function in the page returns something truthy."""
        return self.evaluate(WAIT_FOR.replace("CONDITION", source), timeout_ms)

    def resize(self, width: int, height: int) -> None:
        """Size the window so the page's viewport is about width x height."""
        self.driver.set_window_size(width, height + WEBKIT_CHROME_PX)

    def problems(self) -> list[str]:
        """Everything the in-page hooks saw since the last call."""
        return self.evaluate("() => (window.__wfProblems || []).splice(0)")

    def close(self) -> None:
        """Quit the browser and its driver."""
        self.driver.quit()


def wait_for_worker_control(browser: Firefox | WebKit, url: str) -> None:
    """Open url, wait for the worker, reload, and wait until it controls the page."""
    browser.goto(url)
    browser.wait_for("() => navigator.serviceWorker.ready.then(r => r.active !== null)")
    browser.goto(url)
    browser.wait_for("() => navigator.serviceWorker.controller !== null")


def wait_across_reload(
    browser: Firefox | WebKit, source: str, timeout_s: float = WAIT_MS / 1000
) -> None:
    """Wait for a condition on a page that is reloading: a check cut short retries."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            browser.wait_for(source, 2_000)
            return
        except Exception:  # the page went away mid-check, or not yet true
            if time.monotonic() > deadline:
                raise
