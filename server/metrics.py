"""Prometheus metrics (WAYFINDER_METRICS_ADDRESS), apart from the public port.

Off unless configured: every recording function is then a no-op. Under
`wayfinder serve`, gunicorn's web workers and the embedded dispatcher write to
prometheus-client's multi-process files in one folder and the master serves
their sum; a stand-alone `wayfinder worker` serves its own. Labels are routes
(URL rules, never URLs), results and queue states: nothing personal.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from typing import Any

#: The environment variable prometheus-client reads for multi-process mode.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
LATENESS_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800)


@dataclass
class _Metrics:
    """The metric objects, made once metrics are on."""

    requests: Any
    latency: Any
    sends: Any
    lateness: Any
    queue: Any


_metrics: _Metrics | None = None


def _make() -> _Metrics:
    """Create the metrics (after multi-process mode is decided)."""
    from prometheus_client import Counter, Gauge, Histogram

    return _Metrics(
        requests=Counter(
            "wayfinder_http_requests_total",
            "HTTP requests answered, by route, method and status.",
            ["route", "method", "status"],
        ),
        latency=Histogram(
            "wayfinder_http_request_seconds",
            "Time to answer a request, by route.",
            ["route"],
            buckets=LATENCY_BUCKETS,
        ),
        sends=Counter(
            "wayfinder_push_sends_total",
            "Notifications posted to push services, by result.",
            ["result"],
        ),
        lateness=Histogram(
            "wayfinder_dispatch_lateness_seconds",
            "Seconds from a notification's time to its acceptance by the push service.",
            buckets=LATENESS_BUCKETS,
        ),
        queue=Gauge(
            "wayfinder_queue_depth",
            "Notifications in the queue, by state (due, claimed, late, later).",
            ["state"],
            multiprocess_mode="mostrecent",
        ),
    )


def enable(multiprocess: bool) -> None:
    """Turn metrics on in this process (multi-process mode if its folder is set)."""
    global _metrics
    if _metrics is not None:
        return
    if multiprocess and os.environ.get(MULTIPROC_ENV):
        from prometheus_client import values

        # The value class is chosen when prometheus_client is imported; choose
        # again now that the folder is known, whatever imported it first.
        values.ValueClass = values.get_value_class()
    _metrics = _make()


def enabled() -> bool:
    """Whether this process records metrics."""
    return _metrics is not None


def start_multiprocess_folder() -> str:
    """Make an empty folder for this server's metric files; set the variable."""
    folder = tempfile.mkdtemp(prefix="wayfinder-metrics-")
    os.environ[MULTIPROC_ENV] = folder
    return folder


def remove_folder(folder: str) -> None:
    """Delete the metric files when the server ends."""
    shutil.rmtree(folder, ignore_errors=True)


def serve(host: str, port: int, multiprocess: bool) -> Any:
    """Serve /metrics on host:port in a background thread; return the server."""
    from prometheus_client import REGISTRY, CollectorRegistry, start_http_server

    registry = REGISTRY
    if multiprocess:
        from prometheus_client import multiprocess as mp

        registry = CollectorRegistry()
        mp.MultiProcessCollector(registry)
    server, _thread = start_http_server(port, addr=host, registry=registry)
    return server


def process_ended(pid: int) -> None:
    """Forget a finished process's live gauges (multi-process mode)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess as mp

        mp.mark_process_dead(pid)


def request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request."""
    if _metrics is None:
        return
    _metrics.requests.labels(route, method, str(status)).inc()
    _metrics.latency.labels(route).observe(seconds)


def push_send(result: str, lateness: float | None = None) -> None:
    """Count one push-service answer; observe the lateness of an accepted one."""
    if _metrics is None:
        return
    _metrics.sends.labels(result).inc()
    if lateness is not None:
        _metrics.lateness.observe(max(0.0, lateness))


def queue_depth(**counts: int) -> None:
    """Set the queue's size by state."""
    if _metrics is None:
        return
    for state, value in counts.items():
        _metrics.queue.labels(state).set(value)
