"""``frontline kb``: import, export and search the knowledge base."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from pydantic import TypeAdapter

from frontline.cli.context import CliError, load_settings, migrated_database, one_line_errors
from frontline.core.fields import LanguageCode
from frontline.knowledge.files import export_directory, import_directory
from frontline.knowledge.search import SearchScope, search
from frontline.knowledge.service import product_by_code

app = typer.Typer(help="Knowledge base.", no_args_is_help=True)


@app.command("import")
@one_line_errors
def import_command(
    directory: Path = typer.Argument(..., help="A folder of Markdown files with front matter"),
) -> None:
    """Add and update articles from DIR; every file is checked before anything is written."""
    with migrated_database(load_settings()) as factory, factory() as session:
        report = import_directory(session, directory)
    typer.echo(
        f"imported: {report.created} new, {report.updated} updated, {report.unchanged} unchanged"
    )


@app.command("export")
@one_line_errors
def export_command(
    directory: Path = typer.Argument(..., help="Where to write one Markdown file per article"),
) -> None:
    """Write every article to DIR as <slug>.md with YAML front matter."""
    with migrated_database(load_settings()) as factory, factory() as session:
        count = export_directory(session, directory)
    typer.echo(f"exported {count} articles to {directory}")


@app.command("search")
@one_line_errors
def search_command(
    query: str = typer.Argument(..., help="What to look for, in Russian, Vietnamese or English"),
    product: str | None = typer.Option(None, "--product", help="A product code, e.g. SIGN"),
    lang: str | None = typer.Option(None, "--lang", help="Only articles in this language"),
    limit: int = typer.Option(10, "--limit", min=1, max=100, help="How many results"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON"),
) -> None:
    """Ranked published articles, internal ones included (this is a staff tool)."""
    language = TypeAdapter(LanguageCode).validate_python(lang) if lang is not None else None
    with migrated_database(load_settings()) as factory, factory() as session:
        product_id = None
        if product is not None:
            found = product_by_code(session, product)
            if found is None:
                raise CliError(f"--product: unknown product {product}")
            product_id = found.id
        scope = SearchScope(product_id=product_id, language=language)
        hits = search(session, query, scope, limit=limit)
    if as_json:
        results = [{"id": h.article_id, "title": h.title, "score": round(h.score, 6)} for h in hits]
        typer.echo(json.dumps(results, ensure_ascii=False))
        return
    for hit in hits:
        typer.echo(f"{hit.article_id:>6}  {hit.score:8.3f}  {hit.title}")
    if not hits:
        typer.echo("no articles found")
