"""The web app: ``create_app(settings) -> FastAPI``.

At startup the app migrates the database (Alembic), starts the grading workers and re-queues
the jobs a previous run left queued or running; at shutdown it stops the workers (jobs not
finished stay in the database and are resumed next time).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from web import api, pages
from web.db import make_engine, make_sessionmaker
from web.errors import error_response, install_error_handlers
from web.jobs import GradingQueue
from web.migrate import upgrade
from web.settings import Settings, get_settings
from web.store import Store
from web.templating import STATIC_DIR

UPLOAD_PATHS = ("/api/grade", "/upload")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; ``settings`` defaults to :func:`web.settings.get_settings` (environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.resolved_database_url())
        upgrade(engine)
        store = Store(make_sessionmaker(engine), settings.files_dir)
        queue = GradingQueue(store, settings.workers)
        app.state.settings, app.state.store, app.state.queue = settings, store, queue
        queue.start()
        try:
            yield
        finally:
            queue.stop(wait=True)
            engine.dispose()

    app = FastAPI(
        title="LLM transcript grader",
        summary="Grades LLM homework transcripts against executable reference solutions.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)

    @app.middleware("http")
    async def refuse_huge_bodies(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # A body far over any acceptable upload is refused before it is read at all.
        length = request.headers.get("content-length", "")
        if request.url.path in UPLOAD_PATHS and length.isdigit():
            limit = settings.max_upload_bytes + 1024 * 1024 if request.url.path == "/api/grade" else None
            if int(length) > (limit or settings.max_request_bytes):
                return error_response(
                    request,
                    413,
                    f"request is {length} bytes, over the {settings.max_upload_bytes}-byte upload cap",
                )
        return await call_next(request)

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
