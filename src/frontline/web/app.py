"""The application factory: settings in, a ready ASGI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.sessions import SessionMiddleware

import frontline
from frontline.core.db import create_db_engine, create_session_factory
from frontline.core.logging import configure_logging
from frontline.core.settings import Settings
from frontline.routing.service import Router
from frontline.web import health, pages
from frontline.web.api import api_router
from frontline.web.errors import install_error_handlers

SESSION_COOKIE = "frontline_session"


@asynccontextmanager
async def _router_running(app: FastAPI) -> AsyncIterator[None]:
    """Every node runs a router; only the one holding leadership routes (``leadership.py``)."""
    router = Router(app.state.engine)
    app.state.router = router
    router.start()
    try:
        yield
    finally:
        router.stop()


def create_app(settings: Settings) -> FastAPI:
    configure_logging(json=settings.log_json)
    app = FastAPI(
        lifespan=_router_running,
        title="Frontline",
        version=frontline.__version__,
        description="Contact-center platform API. Send `Authorization: Bearer <token>`.",
        openapi_url="/openapi.json",
    )
    engine = create_db_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = create_session_factory(engine)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.session_https_only,
    )
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(api_router())
    pages.install(app)
    return app
