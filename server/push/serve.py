"""Run exactly one dispatcher beside the gunicorn web workers of `wayfinder serve`.

Gunicorn's master starts one `wayfinder worker` subprocess when it is ready,
restarts it if it dies, and stops it on exit. Web workers get fresh database
connections after the fork.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask

from .runtime import state

log = logging.getLogger(__name__)

#: The folder holding the `server` package, so the subprocess runs this code.
_CODE_ROOT = str(Path(__file__).resolve().parent.parent.parent)
#: Seconds the dispatcher gets to finish its batch before it is killed.
STOP_TIMEOUT = 15.0


class EmbeddedDispatcher:
    """One `wayfinder worker` subprocess, kept running until stopped."""

    def __init__(self) -> None:
        """Prepare; nothing starts until start()."""
        self.command = [sys.executable, "-m", "server", "worker"]
        self.process: subprocess.Popen | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def _spawn(self) -> None:
        """Start the subprocess."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_CODE_ROOT, env.get("PYTHONPATH")) if p
        )
        self.process = subprocess.Popen(self.command, env=env)
        log.info("started the reminder dispatcher (pid %s)", self.process.pid)

    def _watch(self) -> None:
        """Restart the dispatcher if it exits while the server runs."""
        while not self._stop.wait(1.0):
            process = self.process
            if process is not None and process.poll() is not None:
                log.error(
                    "the reminder dispatcher exited (%s); restarting it in 5 s",
                    process.returncode,
                )
                if self._stop.wait(5.0):
                    return
                self._spawn()

    def start(self) -> None:
        """Start the dispatcher and its watcher."""
        self._spawn()
        self._watcher = threading.Thread(
            target=self._watch, name="dispatcher-watch", daemon=True
        )
        self._watcher.start()

    def stop(self) -> None:
        """Stop the dispatcher, letting it finish the batch in hand."""
        self._stop.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.info("stopped the reminder dispatcher")


def _chain(hooks: dict[str, Any], name: str, hook: Callable[..., None]) -> None:
    """Add a gunicorn hook, running any hook already registered first."""
    previous = hooks.get(name)
    if previous is None:
        hooks[name] = hook
        return

    def both(*args: Any) -> None:
        """Run the earlier hook, then ours."""
        previous(*args)
        hook(*args)

    hooks[name] = both


def init_app(app: Flask) -> None:
    """Register gunicorn hooks: fresh connections per worker, one dispatcher."""
    hooks = app.extensions.setdefault("wayfinder.serve_hooks", {})
    engine = state(app).engine

    def post_fork(_server: Any, _worker: Any) -> None:
        """Drop pooled connections inherited from the master."""
        engine.dispose(close=False)

    _chain(hooks, "post_fork", post_fork)
    if not app.config["DISPATCHER"]:
        return
    dispatcher = EmbeddedDispatcher()

    def when_ready(_server: Any) -> None:
        """Start the dispatcher once gunicorn is listening."""
        dispatcher.start()

    def on_exit(_server: Any) -> None:
        """Stop the dispatcher with the server."""
        dispatcher.stop()

    _chain(hooks, "when_ready", when_ready)
    _chain(hooks, "on_exit", on_exit)
