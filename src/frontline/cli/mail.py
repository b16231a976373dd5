"""``frontline mail serve``: the SMTP listener, the outbox sender and IMAP polling."""

from __future__ import annotations

import asyncio
import contextlib
import signal

import typer
from sqlalchemy.orm import Session, sessionmaker

from frontline.channels.imap_poll import poll_configured
from frontline.channels.smtp_server import DEFAULT_PORT, controller, outbox_loop
from frontline.cli.context import CliError, load_settings, migrated_database, one_line_errors
from frontline.core.settings import Settings

app = typer.Typer(help="E-mail channel.", no_args_is_help=True)


@app.command("serve")
@one_line_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
    port: int = typer.Option(DEFAULT_PORT, "--port", min=1, max=65535, help="SMTP port"),
) -> None:
    """Receive mail over SMTP, send replies through the relay, poll IMAP if configured."""
    settings = load_settings()
    with migrated_database(settings) as factory:
        listener = controller(factory, settings, host, port)
        try:
            listener.start()
        except (OSError, RuntimeError) as exc:
            raise CliError(f"cannot listen on {host}:{port}: {exc}") from exc
        typer.echo(f"listening for mail on {host}:{port}  (Ctrl+C to stop)")
        try:
            asyncio.run(_run(factory, settings))
        finally:
            listener.stop()


async def _run(factory: sessionmaker[Session], settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for name in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(name, stop.set)

    async def imap() -> None:
        await asyncio.to_thread(poll_configured, factory, settings)

    await outbox_loop(factory, settings, stop, extra=imap if settings.mail_imap_host else None)
