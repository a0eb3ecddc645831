"""A fake Web Push service on 127.0.0.1 that checks what the app sends.

It verifies each request the way a real push service would (RFC 8030, 8291,
8292): the VAPID JWT (ES256, signed by the key in ``k``, ``aud`` = this
origin, ``exp`` at most 24 h ahead, a ``sub`` contact), the TTL, Urgency,
Topic and Content-Encoding headers, and a body of at most 4096 bytes. It then
decrypts the body with the subscription's private key and auth secret
(``http_ece``), records the plaintext, and answers with a status the test
chose (201 by default; 404, 410, 413, 429 with Retry-After, 500, ...).

A request that fails a check is answered 400 and recorded in ``problems``.

Fast mode (``verify=False``) only counts requests and their arrival times,
for benchmarks. Run as a script to serve from a separate process:
``python tests/push_fake.py`` serves fast mode from a minimal asyncio
server (so the fake takes little of the machine's CPU), and
``python tests/push_fake.py --verify KEYFILE`` the verifying service with one
receiver key for every path. Both print the port; ``GET /_count`` and
``GET /_stats`` report what arrived, as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import re
import secrets
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
MAX_BODY = 4096


def b64url(data: bytes) -> str:
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Receiver:
    """A browser's side of a subscription: its key pair and auth secret."""

    path: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    def subscription(self, origin: str) -> dict[str, Any]:
        """PushSubscription.toJSON() for this receiver."""
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": origin + self.path,
            "expirationTime": None,
            "keys": {"p256dh": b64url(public), "auth": b64url(self.auth)},
        }


@dataclass
class Received:
    """One push message as the fake service saw it."""

    path: str
    headers: dict[str, str]
    claims: dict[str, Any]
    vapid_key: str
    plaintext: bytes
    status: int
    at: float
    client_port: int = 0

    @property
    def message(self) -> dict[str, Any]:
        """The decrypted payload as JSON."""
        return json.loads(self.plaintext)

    @property
    def tag(self) -> str:
        """The notification tag in the payload."""
        return self.message["notification"]["tag"]


@dataclass
class Answer:
    """A status (and headers) to answer with."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakePushService:
    """A threaded HTTP push service on a free loopback port."""

    def __init__(self, verify: bool = True) -> None:
        """Bind; call start() to serve."""
        self.verify = verify
        self.receivers: dict[str, Receiver] = {}
        self.received: list[Received] = []
        self.refused: list[Received] = []
        self.problems: list[str] = []
        self.cut = 0  # requests whose body ended early (the sender was killed)
        self.arrivals: list[float] = []
        self.default = Answer(201)
        self.queued: dict[str, deque[Answer]] = {}
        self.gate = threading.Event()
        self.gate.set()
        self.delay = 0.0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.shared_receiver: Receiver | None = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )

    # -- set-up ---------------------------------------------------------------

    def start(self) -> FakePushService:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self.gate.set()
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self) -> dict[str, Any]:
        """A new receiver's PushSubscription JSON (its keys stay here)."""
        path = f"/push/{secrets.token_urlsafe(12)}"
        receiver = Receiver(
            path, ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )
        self.receivers[path] = receiver
        return receiver.subscription(self.origin)

    def answer(self, subscription: dict[str, Any], *answers: Answer) -> None:
        """Answer this subscription's next requests with these, in order."""
        path = subscription["endpoint"][len(self.origin) :]
        self.queued.setdefault(path, deque()).extend(answers)

    def for_path(self, path: str) -> list[Received]:
        """What one subscription received (accepted or refused)."""
        with self.lock:
            found = [r for r in self.received + self.refused if r.path == path]
        return sorted(found, key=lambda r: r.at)

    def wait_for(self, count: int, timeout: float = 30.0) -> bool:
        """Wait until at least ``count`` messages arrived."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.arrivals) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(left)
        return True

    # -- checks ---------------------------------------------------------------

    def _check_vapid(self, authorization: str) -> tuple[dict[str, Any], str]:
        """Verify the VAPID header; return (claims, k)."""
        match = re.fullmatch(
            r"vapid\s+t=([A-Za-z0-9_\-.]+)\s*,\s*k=([A-Za-z0-9_\-]+)", authorization
        )
        if not match:
            raise ValueError(
                f"Authorization is not 'vapid t=..., k=...': {authorization!r}"
            )
        token, key = match.groups()
        head64, body64, sig64 = token.split(".")
        header = json.loads(unb64url(head64))
        if header.get("alg") != "ES256":
            raise ValueError(f"JWT alg is {header.get('alg')!r}, not ES256")
        raw_key = unb64url(key)
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw_key)
        signature = unb64url(sig64)
        if len(signature) != 64:
            raise ValueError("JWT signature is not 64 bytes (r||s)")
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        try:
            public.verify(der, f"{head64}.{body64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise ValueError("JWT signature does not verify with k") from None
        claims = json.loads(unb64url(body64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud is {claims.get('aud')!r}, not {self.origin!r}")
        ahead = claims.get("exp", 0) - time.time()
        if not 0 < ahead <= 24 * 3600:
            raise ValueError(f"exp is {ahead:.0f} s ahead, not within 24 h")
        sub = str(claims.get("sub", ""))
        if not sub.startswith(("mailto:", "https:")):
            raise ValueError(f"sub {sub!r} is not a mailto: or https: contact")
        return claims, key

    def _check_headers(self, headers: dict[str, str], body: bytes) -> int | None:
        """Check the RFC 8030 headers; return 413 if the body is too big."""
        if not headers.get("ttl", "").isdigit():
            raise ValueError(f"TTL is {headers.get('ttl')!r}, not a whole number")
        if headers.get("urgency") not in URGENCIES:
            raise ValueError(f"Urgency is {headers.get('urgency')!r}")
        if not TOPIC.fullmatch(headers.get("topic", "")):
            raise ValueError(f"Topic is {headers.get('topic')!r}")
        if headers.get("content-encoding") != "aes128gcm":
            raise ValueError(f"Content-Encoding is {headers.get('content-encoding')!r}")
        if len(body) > MAX_BODY:
            return 413
        return None

    # -- serving ----------------------------------------------------------------

    def _handle(
        self, path: str, headers: dict[str, str], body: bytes, port: int = 0
    ) -> Answer:
        """Check, decrypt and record one request; choose the answer."""
        now = time.time()
        if not self.verify:
            with self.changed:
                self.arrivals.append(now)
                self.changed.notify_all()
            return self.default
        receiver = self.receivers.get(path) or self.shared_receiver
        claims: dict[str, Any] = {}
        key = ""
        plaintext = b""
        try:
            if receiver is None:
                return Answer(404)
            claims, key = self._check_vapid(headers.get("authorization", ""))
            too_big = self._check_headers(headers, body)
            if too_big:
                answer = Answer(too_big)
            else:
                plaintext = http_ece.decrypt(
                    body,
                    private_key=receiver.private_key,
                    auth_secret=receiver.auth,
                    version="aes128gcm",
                )
                queue = self.queued.get(path)
                answer = queue.popleft() if queue else self.default
        except Exception as exc:
            with self.lock:
                self.problems.append(f"{path}: {exc}")
            answer = Answer(400)
        record = Received(
            path, headers, claims, key, plaintext, answer.status, now, port
        )
        with self.changed:
            (self.received if answer.status < 300 else self.refused).append(record)
            self.arrivals.append(now)
            self.changed.notify_all()
        return answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        """The request handler class, bound to this service."""
        service = self

        class Handler(BaseHTTPRequestHandler):
            """Answer push requests with keep-alive."""

            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                """Stay quiet."""

            def do_POST(self) -> None:
                """Receive one push message."""
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request: never accepted
                    with service.lock:
                        service.cut += 1
                    self.close_connection = True
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                answer = service._handle(
                    self.path, headers, body, self.client_address[1]
                )
                if service.delay:  # recorded on arrival, answered after the delay
                    time.sleep(service.delay)
                service.gate.wait(120)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                if answer.status == 201:
                    self.send_header(
                        "Location", f"{service.origin}/m/{secrets.token_hex(6)}"
                    )
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self) -> None:
                """Report arrivals (for a fake in another process).

                /_count gives the number so far; /_stats everything.
                """
                with service.lock:
                    report: dict[str, Any] = {
                        "count": len(service.arrivals),
                        "problems": service.problems[:20],
                        "problem_count": len(service.problems),
                    }
                    if self.path == "/_stats":
                        report["arrivals"] = service.arrivals
                        report["tags"] = [r.tag for r in service.received]
                    data = json.dumps(report).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


class _FastCounter(asyncio.Protocol):
    """Benchmark fast mode: count POSTs and answer 201, with minimal parsing.

    A push service's own cost is not the app's, so the benchmark's fake
    should take as little of the machine's CPU as it can.
    """

    CREATED = b"HTTP/1.1 201 Created\r\nLocation: /m\r\nContent-Length: 0\r\n\r\n"
    LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)

    def __init__(self, arrivals: list[float], latency: float = 0.0) -> None:
        """Share the arrivals list; answer each POST after ``latency`` seconds."""
        self.arrivals = arrivals
        self.latency = latency
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Keep the transport."""
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        """Answer every complete request in the buffer."""
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            match = self.LENGTH.search(self.buffer, 0, end)
            total = end + 4 + (int(match.group(1)) if match else 0)
            if len(self.buffer) < total:
                return
            line = bytes(self.buffer[: self.buffer.find(b"\r\n")])
            del self.buffer[:total]
            assert self.transport is not None
            if line.startswith(b"GET"):
                report: dict[str, Any] = {"count": len(self.arrivals)}
                if b"/_stats" in line:
                    report["arrivals"] = self.arrivals
                body = json.dumps(report).encode()
                self.transport.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            else:
                self.arrivals.append(time.time())
                if self.latency:
                    loop = asyncio.get_running_loop()
                    loop.call_later(self.latency, self._answer)
                else:
                    self._answer()

    def _answer(self) -> None:
        """Send one 201 (answers go out in request order)."""
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(self.CREATED)


def serve_fast(latency: float = 0.0) -> None:
    """Run the fast counter on a free port until killed; print the port."""
    arrivals: list[float] = []

    async def run() -> None:
        """Serve forever."""
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: _FastCounter(arrivals, latency), "127.0.0.1", 0
        )
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


def main() -> None:
    """Serve from this process until killed; print the port on stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--verify",
        metavar="KEYFILE",
        help="check and decrypt every request with the receiver key in KEYFILE "
        '(JSON: {"pem": ..., "auth": base64url})',
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="fast mode: answer each push after this many milliseconds",
    )
    args = parser.parse_args()
    if not args.verify:
        serve_fast(args.latency_ms / 1000)
        return
    service = FakePushService(verify=True)
    with open(args.verify) as handle:
        spec = json.load(handle)
    key = serialization.load_pem_private_key(spec["pem"].encode(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    service.shared_receiver = Receiver("/", key, unb64url(spec["auth"]))
    print(service.server.server_port, flush=True)
    try:
        service.server.serve_forever()
    except KeyboardInterrupt:
        pass
    sys.exit(0)


if __name__ == "__main__":
    main()
