"""``frontline serve`` and ``frontline demo``."""

from __future__ import annotations

import typer
import uvicorn

from frontline.cli.context import load_settings, migrated_database, one_line_errors
from frontline.cli.live_demo import run_live
from frontline.cli.seeding import print_logins, seed_with_progress
from frontline.web.app import create_app

DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000
# Live pages keep a Server-Sent Events stream open; uvicorn would wait for each of them
# to end on its own before stopping. Short requests are long finished after this.
GRACEFUL_SHUTDOWN_SECONDS = 5


def _serve(host: str, port: int) -> None:
    settings = load_settings()
    with migrated_database(settings):
        pass
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        # WebSocket frames here are short JSON (the web chat): compressing each costs
        # more CPU than the bytes it saves are worth.
        ws_per_message_deflate=False,
    )


@one_line_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on"),
) -> None:
    """Serve the web UI and the API."""
    _serve(host, port)


@one_line_errors
def demo(
    serve_after: bool = typer.Option(True, "--serve/--no-serve", help="Serve after loading"),
    agents: int = typer.Option(250, "--agents", min=1, max=20_000),
    customers: int = typer.Option(50_000, "--customers", min=0, max=5_000_000),
    live: bool = typer.Option(
        False, "--live", help="Play callers and agents against the running demo server"
    ),
    url: str = typer.Option(
        f"http://{DEMO_HOST}:{DEMO_PORT}", "--url", help="With --live: the server"
    ),
    speed: float = typer.Option(60.0, "--speed", help="With --live: simulated seconds a second"),
    minutes: float | None = typer.Option(
        None, "--minutes", help="With --live: simulated minutes to run (default: until Ctrl+C)"
    ),
    live_agents: int = typer.Option(
        12, "--live-agents", min=1, max=1000, help="With --live: simulated agents"
    ),
    calls_per_hour: float = typer.Option(
        120.0, "--calls-per-hour", help="With --live: calls per simulated hour"
    ),
    seed: int = typer.Option(0, "--seed", help="With --live: random seed"),
) -> None:
    """Set up the database, load the demo data, print the demo logins and serve; with
    --live, play a working center against the demo server instead."""
    if live:
        run_live(url, speed, minutes, live_agents, calls_per_hour, seed)
        return
    settings = load_settings()
    with migrated_database(settings) as factory:
        report = seed_with_progress(factory, agents=agents, customers=customers)
    print_logins(report)
    if serve_after:
        typer.echo(f"serving at http://{DEMO_HOST}:{DEMO_PORT}  (Ctrl+C to stop)")
        _serve(DEMO_HOST, DEMO_PORT)
