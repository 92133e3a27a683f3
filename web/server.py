"""``grader serve``: run the web app with uvicorn (binds to 127.0.0.1 by default).

Host and port come from the command line, else from ``GRADER_HOST`` / ``GRADER_PORT``. Behind a
reverse proxy, uvicorn reads ``X-Forwarded-For`` / ``X-Forwarded-Proto`` from the addresses in
``GRADER_FORWARDED_ALLOW_IPS`` only (127.0.0.1 by default).
"""

from __future__ import annotations

import uvicorn

from web.app import create_app
from web.settings import get_settings


def serve(host: str | None = None, port: int | None = None) -> None:
    """Serve the app until interrupted; host and port default to the settings (127.0.0.1:8000)."""
    settings = get_settings()
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        timeout_graceful_shutdown=10,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
    )
