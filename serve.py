"""The app behind framing protection: `PAIRING_DB=… streamlit run serve.py [--server.port …]`.

Runs app.py unchanged through Streamlit's ASGI `st.App`, which `streamlit run` detects and serves
with uvicorn, adding `graph.ui.headers.FrameGuard` (X-Frame-Options, CSP frame-ancestors), which
plain `streamlit run app.py` cannot send. See docs/security.md, "The explorer and user text".
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from graph.ui.headers import FrameGuard

# Beside this file, whatever the working directory.
app = st.App(str(Path(__file__).with_name("app.py")), middleware=[Middleware(FrameGuard)])
