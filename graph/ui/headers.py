"""Framing protection for the app: response headers Streamlit's server has no setting for.

`streamlit run` offers no `server.*` option to add response headers (1.67: none for X-Frame-Options,
CSP or custom headers), so another site could frame the app and trick a signed-in admin into
clicking (clickjacking). Streamlit's ASGI `st.App` takes Starlette middleware; `serve.py` runs
app.py through it with `FrameGuard`, and `streamlit run serve.py` takes the same flags.

'self' and SAMEORIGIN, not 'none'/DENY: Streamlit itself frames pages of its own origin (custom
components are served from /component/…), and the explorer's drawing is a srcdoc frame, which
these headers do not govern.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"content-security-policy", b"frame-ancestors 'self'"),
    (b"x-content-type-options", b"nosniff"),
)


class FrameGuard:
    """ASGI middleware: every HTTP response carries `HEADERS` (websocket traffic is left alone)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in HEADERS if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
