"""Security headers on every response.

A Content-Security-Policy without inline script, ``frame-ancestors 'none'``,
``X-Content-Type-Options: nosniff``, a strict referrer policy, HSTS when the request came over
TLS (directly, or via a proxy listed in ``HIPBACK_TRUSTED_PROXIES``), and
``Cache-Control: no-store`` on every page and download that needs a sign-in.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


#: the only answers a cache may keep: static files and the public exercise drawings; every
#: other page, document and API answer (trials, analytics, account, exports…) is no-store
CACHEABLE_PREFIXES = ("/static/", "/figures/")


class SecurityHeaders:
    """Adds the security headers to every HTTP response (a route's own value wins).

    A plain ASGI middleware: it only edits the response-start message, so unlike an
    ``@app.middleware("http")`` function it adds no task or body stream to each request
    (about 1 ms per request under load; ``docs/performance.md``).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        tls = scope.get("scheme") == "https"  # set from X-Forwarded-Proto for trusted proxies

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if path not in ("/docs", "/redoc"):  # the API explorer loads its own scripts
                    headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
                if tls:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                if not path.startswith(CACHEABLE_PREFIXES):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)
