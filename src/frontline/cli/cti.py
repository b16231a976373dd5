"""``frontline cti replay``: post a JSON-lines file of call events to a server, signed.

For integrators: record what a PBX sends (or write it by hand), replay it against a test
server and read what Frontline answered to each line.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from frontline.cli.context import CliError, one_line_errors
from frontline.cti.actions import INTEGRATION_HEADER, SIGNATURE_HEADER, signature

app = typer.Typer(help="Telephony integration tools.", no_args_is_help=True)
EVENTS_PATH = "/api/v1/cti/events"


def read_events(path: Path) -> list[tuple[int, bytes]]:
    """Each non-blank line as (line number, its bytes); a line that is no JSON object fails."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{path}: {exc}") from exc
    events = []
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CliError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        if not isinstance(value, dict):
            raise CliError(f"{path}:{number}: each line must be one JSON object")
        events.append((number, line.encode()))
    return events


def post_event(url: str, integration: str, secret: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's own server
        url.rstrip("/") + EVENTS_PATH,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            INTEGRATION_HEADER: integration,
            SIGNATURE_HEADER: signature(secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except urllib.error.URLError as exc:
        raise CliError(f"cannot reach {url}: {exc.reason}") from exc


@app.command("replay")
@one_line_errors
def replay(
    file: Path = typer.Argument(..., help="JSON lines, one event per line"),
    url: str = typer.Option("http://127.0.0.1:8000", "--url", help="The server"),
    integration: str = typer.Option(..., "--integration", help="The integration's code"),
    secret: str = typer.Option(
        ..., "--secret", envvar="FRONTLINE_CTI_SECRET", help="Its shared key", show_default=False
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the answers as JSON"),
) -> None:
    """Post each event in order; exit 1 if the server refused any."""
    events = read_events(file)
    answers: list[dict[str, Any]] = []
    columns = (TextColumn("replay"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, disable=as_json, transient=True) as progress:
        task = progress.add_task("replay", total=len(events))
        for line, body in events:
            status, answer = post_event(url, integration, secret, body)
            answers.append({"line": line, "status": status, "answer": answer})
            progress.advance(task)
    refused = [item for item in answers if item["status"] >= 400]
    if as_json:
        typer.echo(json.dumps(answers, ensure_ascii=False, indent=2))
    else:
        for item in answers:
            typer.echo(f"{file}:{item['line']}: {item['status']} {json.dumps(item['answer'])}")
    if refused:
        first = refused[0]
        message = first["answer"].get("error", {}).get("message", "refused")
        raise CliError(
            f"{len(refused)} of {len(answers)} events refused; first at line "
            f"{first['line']}: {message}"
        )
