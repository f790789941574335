"""Security headers on every response, and sign-in rate limiting.

Headers: a Content-Security-Policy without inline script, ``frame-ancestors 'none'``,
``X-Content-Type-Options: nosniff``, a strict referrer policy, and HSTS when the request came
over TLS (directly or via a proxy's ``X-Forwarded-Proto``).

Rate limiting: failed sign-ins are counted per username and per client address in a sliding
window, in Redis when ``HIPBACK_REDIS_URL`` is set (shared by every worker) and in process memory
otherwise. Over the limit, sign-in answers 429 with ``Retry-After`` before checking the password.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


NO_STORE_PREFIXES = ("/patients", "/plans", "/portal", "/api/")


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
        tls = scope.get("scheme") == "https" or (b"x-forwarded-proto", b"https") in scope.get(
            "headers", ()
        )

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
                if path.startswith(NO_STORE_PREFIXES):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimiter(Protocol):
    def blocked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again (0 = allowed now)."""

    def failed(self, key: str) -> None: ...

    def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Sliding-window failure counter for one process."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.window_s, self.clock = limit, window_s, clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window_s:
            hits.popleft()
        return hits

    def blocked_for(self, key: str) -> float:
        with self._lock:
            hits = self._recent(key)
            if len(hits) < self.limit:
                return 0.0
            return max(0.0, hits[0] + self.window_s - self.clock())

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


class RedisRateLimiter:
    """The same sliding window in a Redis sorted set, shared by every worker and server."""

    def __init__(self, client: Any, limit: int, window_s: float, prefix: str = "hipback:rl:"):
        self.client, self.limit, self.window_s, self.prefix = client, limit, window_s, prefix

    def blocked_for(self, key: str) -> float:
        name = self.prefix + key
        now = time.time()
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(name, 0, now - self.window_s)
        pipe.zcard(name)
        pipe.zrange(name, 0, 0, withscores=True)
        _, count, oldest = pipe.execute()
        if int(count) < self.limit or not oldest:
            return 0.0
        return max(0.0, float(oldest[0][1]) + self.window_s - now)

    def failed(self, key: str) -> None:
        name = self.prefix + key
        now = time.time()
        pipe = self.client.pipeline()
        pipe.zadd(name, {f"{now:.6f}": now})
        pipe.expire(name, int(self.window_s) + 1)
        pipe.execute()

    def reset(self, key: str) -> None:
        self.client.delete(self.prefix + key)


def make_rate_limiter(redis_url: str | None, limit: int, window_s: float) -> RateLimiter:
    if redis_url:
        import redis

        return RedisRateLimiter(redis.Redis.from_url(redis_url), limit, window_s)
    return MemoryRateLimiter(limit, window_s)
