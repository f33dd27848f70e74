"""Request limits: a request body no larger than a bound (413 Content Too Large).

The bound is checked twice: on the ``Content-Length`` header by an ASGI
middleware, before anything is read or routed, and on the bytes actually
received by :func:`read_body` (a chunked body states no length). The time
limit of a decision is in ``app.py``, around the decision itself.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The default bound: far above any facts object (a few hundred bytes).
MAX_BODY = 64 * 1024


class BodyTooLargeError(Exception):
    """The request body passes the bound."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit} bytes")


async def read_body(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The whole body, read chunk by chunk; ``BodyTooLargeError`` past ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(limit)
        parts.append(chunk)
    return b"".join(parts)


async def send_error(send: Send, status: int, message: str) -> None:
    """A JSON error response ``{"error": message}``, sent directly over ASGI."""
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Refuses, with 413, a request whose ``Content-Length`` is above ``limit`` bytes."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope.get("headers", ()):
                if name != b"content-length":
                    continue
                if not value.isdigit():
                    await send_error(send, 400, "the Content-Length header is not a number")
                    return
                if int(value) > self.limit:
                    await send_error(send, 413, str(BodyTooLargeError(self.limit)))
                    return
        await self.app(scope, receive, send)
