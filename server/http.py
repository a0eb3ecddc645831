"""Response headers: security on every response, ETags and compression on pages."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from urllib.parse import urlsplit

import brotli
from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import first_paint

#: Hosts accepted when WAYFINDER_PUBLIC_URL is not set (the app is on loopback).
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
#: Headers dropped from every response: static files are same-origin only
#: (Cross-Origin-Resource-Policy), so no CORS header invites other sites.
DROPPED = ("access-control-allow-origin",)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
).replace("screen-wake-lock=()", "screen-wake-lock=(self)")


def content_security_policy(
    script_hashes: Iterable[str] = (), style_hashes: Iterable[str] = ()
) -> str:
    """Build a CSP allowing only this origin, plus hashed inline scripts and styles.

    Every directive is one that Chromium, Firefox and WebKit all understand:
    WebKit reports ``manifest-src`` as unrecognized, and ``default-src 'self'``
    already limits the manifest to this origin.
    """
    scripts = " ".join(["'self'", *script_hashes])
    styles = " ".join(["'self'", *style_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "img-src 'self' blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeaders:
    """WSGI middleware that adds security headers to every response, static too."""

    def __init__(self, app: Callable, csp: str) -> None:
        """Wrap a WSGI app."""
        self.app = app
        self.headers = [
            ("Content-Security-Policy", csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", PERMISSIONS_POLICY),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("X-Frame-Options", "DENY"),
        ]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Add the headers, replacing any the app set itself."""

        def start(status: str, headers: list, exc_info=None):
            names = {name.lower() for name, _ in self.headers} | set(DROPPED)
            kept = [(n, v) for n, v in headers if n.lower() not in names]
            return start_response(status, kept + self.headers, exc_info)

        return self.app(environ, start)


@lru_cache(maxsize=512)
def _compress(body: bytes, encoding: str) -> bytes:
    """Compress a page body once per distinct body and encoding."""
    if encoding == "br":
        return brotli.compress(body, quality=9)
    return gzip.compress(body, compresslevel=9, mtime=0)


def pick_encoding(accept: str) -> str | None:
    """Choose br or gzip from an Accept-Encoding header."""
    offered = {
        part.split(";")[0].strip().lower(): part for part in accept.split(",") if part
    }
    for encoding in ("br", "gzip"):
        part = offered.get(encoding)
        if part is not None and "q=0" not in part.replace(" ", "").split(";")[1:]:
            return encoding
    return None


def finish_page(response: Response) -> Response:
    """Compress a page, give it a strong ETag, and answer If-None-Match with 304."""
    if (
        request.method not in {"GET", "HEAD"}
        or response.status_code != 200
        or response.direct_passthrough
        or response.mimetype not in {"text/html", "application/json", "text/javascript"}
    ):
        return response
    body = response.get_data()
    encoding = pick_encoding(request.headers.get("Accept-Encoding", ""))
    response.vary.add("Accept-Encoding")
    tag = hashlib.sha256(body).hexdigest()[:32]
    if encoding and len(body) > 512:
        response.set_data(_compress(body, encoding))
        response.headers["Content-Encoding"] = encoding
        tag = f"{tag}-{encoding}"
    response.set_etag(tag)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def trust_requests(app: Flask) -> None:
    """Accept only this site's Host names, and forwarded headers from trusted proxies.

    With WAYFINDER_PUBLIC_URL set, its host is the only one accepted;
    without it, only loopback names (a Host such as evil.example gets 400).
    WAYFINDER_TRUSTED_PROXIES proxies may set X-Forwarded-For/-Proto/-Host.
    """
    public = app.config.get("PUBLIC_URL")
    hosts = [urlsplit(public).hostname] if public else list(LOOPBACK_HOSTS)
    app.config["TRUSTED_HOSTS"] = hosts
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )


def init_app(app: Flask) -> None:
    """Register page finishing and wrap the app in security headers.

    Call it after assets.init_app and first_paint.init_app: the policy allows
    the import map and the inline styles and scripts they built, by hash.
    """
    trust_requests(app)
    pieces = app.extensions[first_paint.EXTENSION]
    scripts = [
        f"'{app.extensions['wayfinder.assets'].importmap_hash}'",
        *pieces.script_hashes(),
    ]
    csp = content_security_policy(scripts, pieces.style_hashes())
    app.after_request(finish_page)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, csp)
