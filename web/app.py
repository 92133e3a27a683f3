"""The web app: ``create_app(settings) -> FastAPI``.

At startup the app migrates the database (Alembic), loads its signing key, starts the grading
workers and re-queues the jobs a previous run left queued or running (up to ``max_runs`` tries
each); at shutdown it stops the workers (jobs not finished stay in the database). While no
account exists it logs how to create the first instructor.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from web import api, api_accounts, api_check, pages, pages_account
from web.accounts import Accounts, first_run_hint
from web.db import make_engine, make_sessionmaker
from web.errors import install_error_handlers
from web.jobs import GradingQueue
from web.migrate import upgrade
from web.ratelimit import RateLimiter
from web.security import SecurityMiddleware
from web.settings import Settings, get_settings
from web.signing import Signer, load_or_create_secret
from web.store import Store
from web.templating import STATIC_DIR

log = logging.getLogger("web")

SWAGGER_DIR = Path(str(files("fastapi_offline") / "static"))
"""Swagger UI 5 (it reads OpenAPI 3.1) as shipped by the fastapi-offline package: /docs needs no CDN."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; ``settings`` defaults to :func:`web.settings.get_settings` (environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.resolved_database_url())
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        store = Store(sessions, settings.files_dir)
        accounts = Accounts(sessions, settings.files_dir)
        secret = settings.secret_key or load_or_create_secret(sessions)
        app.state.store, app.state.accounts = store, accounts
        app.state.signer = Signer(secret, settings.session_max_age_s, settings.token_max_age_s)
        app.state.check_limiter = RateLimiter(settings.check_rate, 60.0)
        app.state.login_limiter = RateLimiter(settings.login_rate, 60.0)
        queue = GradingQueue(store, settings.workers, settings.max_runs)
        app.state.queue = queue
        if accounts.count_users() == 0:
            print(first_run_hint(), flush=True)
        queue.start()
        try:
            yield
        finally:
            queue.stop(wait=True)
            engine.dispose()

    app = FastAPI(
        title="LLM transcript grader",
        summary="Grades LLM homework transcripts against executable reference solutions.",
        description="Log in with `POST /api/token` (OAuth2 password flow) and send the token as "
        "`Authorization: Bearer <token>`; the pages' session cookie works too.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.add_middleware(
        SecurityMiddleware,  # type: ignore[arg-type]
        allowed_hosts=settings.allowed_hosts,
        upload_cap=lambda: settings.max_upload_bytes,
    )
    app.include_router(api.health_router)
    app.include_router(api_accounts.router)
    app.include_router(api_accounts.secured)
    app.include_router(api.router)
    app.include_router(api_check.router)
    app.include_router(pages_account.router)
    app.include_router(pages.router)
    app.mount("/static/swagger", StaticFiles(directory=str(SWAGGER_DIR)), name="swagger")
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
