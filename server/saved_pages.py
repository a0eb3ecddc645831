"""Answer the pages saved for offline use from a copy, as a static file server would.

Every page the worker precaches is the same for every visitor by design (it
must be, to be saved once for everyone). Rendering it again for each request
costs routing, templates and compression; this WSGI middleware keeps the
first answer for each variant and sends it again. A variant is everything
the answer depends on: the path, the Host and forwarded headers (an
unaccepted Host is answered 400 and never kept), the encoding chosen from
Accept-Encoding, whether the request is a navigation (styles inline) and
whether If-None-Match names the copy's ETag (then the copy is the 304).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from threading import Lock

from werkzeug.http import parse_etags

from .http import pick_encoding

#: Request headers that can change an answer besides the ones read below.
KEYED_HEADERS = ("HTTP_HOST", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO")
#: At most this many copies: forwarded headers are the client's to vary.
LIMIT = 1024


@dataclass(frozen=True)
class Copy:
    """One answer as the app gave it."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def etag(self) -> str | None:
        """The copy's ETag header, if it has one."""
        return next((v for n, v in self.headers if n.lower() == "etag"), None)


class SavedPages:
    """Serve GETs of the given paths from the first answer to each variant."""

    def __init__(self, app: Callable, paths: Iterable[str]) -> None:
        """Wrap a WSGI app; only these paths (no query string) are kept."""
        self.app = app
        self.paths = frozenset(paths)
        self.copies: dict[tuple, Copy] = {}
        self.lock = Lock()

    def _key(self, environ: dict) -> tuple | None:
        """The variant a request asks for, or None if it is not to be kept."""
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") not in self.paths
            or environ.get("QUERY_STRING")
            or environ.get("HTTP_RANGE")
        ):
            return None
        return (
            environ["PATH_INFO"],
            *(environ.get(h) for h in KEYED_HEADERS),
            pick_encoding(environ.get("HTTP_ACCEPT_ENCODING", "")),
            environ.get("HTTP_SEC_FETCH_MODE") == "navigate",
        )

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Send a kept copy, or ask the app and keep a 200 or 304 answer."""
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        match = self.copies.get((*key, False))
        asked = environ.get("HTTP_IF_NONE_MATCH")
        if asked is not None:
            fresh = match is not None and match.etag is not None
            fresh = fresh and parse_etags(asked).contains(match.etag.strip('"'))
            match = self.copies.get((*key, True)) if fresh else None
            key = (*key, fresh)
        else:
            key = (*key, False)
        if match is None:
            match = self._ask(environ)
            if match.status[:3] in {"200", "304"} and len(self.copies) < LIMIT:
                if key[-1] == (match.status[:3] == "304"):
                    with self.lock:
                        self.copies.setdefault(key, match)
        start_response(match.status, list(match.headers))
        return [match.body]

    def _ask(self, environ: dict) -> Copy:
        """Call the app and read its whole answer."""
        seen: dict = {}
        written: list[bytes] = []

        def start(status: str, headers: list, exc_info=None) -> Callable:
            seen["status"], seen["headers"] = status, tuple(headers)
            return written.append

        chunks = self.app(environ, start)
        try:
            body = b"".join([*written, *chunks])
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        return Copy(seen["status"], seen["headers"], body)
