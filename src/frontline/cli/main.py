"""The ``frontline`` command."""

from __future__ import annotations

import typer

from frontline.cli import accounts, cti, db, erlang, kb, mail, seeding, serving, simulate, wfm

app = typer.Typer(
    help="Frontline contact-center platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("serve")(serving.serve)
app.command("demo")(serving.demo)
app.command("erlang")(erlang.erlang)
app.command("simulate")(simulate.simulate_command)
app.add_typer(db.app, name="db")
app.add_typer(seeding.app, name="seed")
app.add_typer(accounts.users, name="users")
app.add_typer(accounts.tokens, name="tokens")
app.add_typer(wfm.app, name="wfm")
app.add_typer(cti.app, name="cti")
app.add_typer(kb.app, name="kb")
app.add_typer(mail.app, name="mail")


def run() -> None:
    app()
