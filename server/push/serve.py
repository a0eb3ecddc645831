"""Run exactly one dispatcher beside the gunicorn web workers of `wayfinder serve`.

Gunicorn's master starts one `wayfinder worker` subprocess when it is ready,
restarts it if it dies, and stops it on exit. The subprocess holds the read
end of a pipe whose write end only the master has: however the master ends
(SIGKILL included), the pipe closes and the dispatcher stops after the batch
in hand, so no orphan keeps sending with an old configuration (and on SQLite
the lock file keeps a restarted server's dispatcher waiting until then).
Web workers get fresh database connections once gevent has patched them.
"""

from __future__ import annotations

import inspect
import logging
import os
import signal
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
        self._lifeline: int | None = None
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None

    def _spawn(self) -> None:
        """Start the subprocess."""
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (_CODE_ROOT, env.get("PYTHONPATH")) if p
        )
        if self._lifeline is not None:
            os.close(self._lifeline)
        read_end, self._lifeline = os.pipe()
        try:
            self.process = subprocess.Popen(
                [*self.command, "--parent-fd", str(read_end)],
                env=env,
                pass_fds=(read_end,),
            )
        finally:
            os.close(read_end)
        log.info("started the reminder dispatcher (pid %s)", self.process.pid)

    def _watch(self) -> None:
        """Restart the dispatcher if it exits while the server runs."""
        while not self._stop.wait(1.0):
            process = self.process
            if process is not None and process.poll() is not None:
                log.error(
                    "the reminder dispatcher %s; restarting it in 5 s",
                    how_it_ended(process.returncode),
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

    def forget_lifeline(self) -> None:
        """In a forked web worker: close the inherited write end of the pipe."""
        if self._lifeline is not None:
            os.close(self._lifeline)
            self._lifeline = None

    def stop(self) -> None:
        """Stop the dispatcher, letting it finish the batch in hand."""
        self._stop.set()
        process = self.process
        if self._lifeline is not None:
            os.close(self._lifeline)  # the dispatcher sees the pipe close
            self._lifeline = None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.info("stopped the reminder dispatcher")


def how_it_ended(returncode: int) -> str:
    """Say how a process ended: "exited with status 1" or "was killed by SIGKILL"."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"was killed by {name}"
    return f"exited with status {returncode}"


def chain_hook(hooks: dict[str, Any], name: str, hook: Callable[..., None]) -> None:
    """Add a gunicorn hook, running any hook already registered first.

    gunicorn checks a hook's number of arguments, so the pair keeps it.
    """
    previous = hooks.get(name)
    if previous is None:
        hooks[name] = hook
        return
    if len(inspect.signature(hook).parameters) == 2:

        def pair(first: Any, second: Any) -> None:
            """Run the earlier hook, then ours."""
            previous(first, second)
            hook(first, second)

        hooks[name] = pair
        return

    def both(only: Any) -> None:
        """Run the earlier hook, then ours."""
        previous(only)
        hook(only)

    hooks[name] = both


def init_app(app: Flask) -> None:
    """Register gunicorn hooks: fresh connections per worker, one dispatcher."""
    hooks = app.extensions.setdefault("wayfinder.serve_hooks", {})
    engine = state(app).engine

    def post_worker_init(_worker: Any) -> None:
        """Drop pooled connections inherited from the master; the new pool's
        locks are made after gevent's patching, so they are cooperative."""
        engine.dispose(close=False)

    chain_hook(hooks, "post_worker_init", post_worker_init)
    if not app.config["DISPATCHER"]:
        return
    dispatcher = EmbeddedDispatcher()

    def when_ready(_server: Any) -> None:
        """Start the dispatcher once gunicorn is listening."""
        dispatcher.start()

    def on_exit(_server: Any) -> None:
        """Stop the dispatcher with the server."""
        dispatcher.stop()

    def post_fork(_server: Any, _worker: Any) -> None:
        """Only the master holds the dispatcher's lifeline."""
        dispatcher.forget_lifeline()

    chain_hook(hooks, "when_ready", when_ready)
    chain_hook(hooks, "post_fork", post_fork)
    chain_hook(hooks, "on_exit", on_exit)
