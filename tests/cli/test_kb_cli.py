"""``frontline kb``: import, export and search through the command, on both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from frontline.knowledge.models import KbArticle
from tests.cli.test_cli import cli_env, run
from tests.knowledge.factories import add_demo_products

__all__ = ["cli_env"]  # the fixture, shared with the other command tests

DEMO_ARTICLES = Path(__file__).resolve().parents[2] / "src/frontline/demo/kb"
GOOD = """---
title: Как продлить подпись
product: SIGN
language: ru
tags: [подпись]
visibility: public
---
Откройте раздел «Сертификаты».
"""


@pytest.fixture
def kb_env(
    cli_env: dict[str, str], session_factory: sessionmaker[Session]
) -> Iterator[dict[str, str]]:
    with session_factory() as session:
        add_demo_products(session)
    yield cli_env


def _folder(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in files.items():
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def test_import_search_export_round_trip(
    kb_env: dict[str, str], tmp_path: Path, db: Session
) -> None:
    imported = run(kb_env, "kb", "import", str(DEMO_ARTICLES))
    assert imported.exit_code == 0, imported.output
    assert "imported: 31 new, 0 updated, 0 unchanged" in imported.output
    again = run(kb_env, "kb", "import", str(DEMO_ARTICLES))
    assert "0 new, 0 updated, 31 unchanged" in again.output

    found = run(kb_env, "kb", "search", "декларацию по налогу", "--json", "--limit", "3")
    results = json.loads(found.stdout)
    assert found.exit_code == 0
    assert [set(result) for result in results] == [{"id", "title", "score"}] * len(results)
    assert results[0]["title"] == "Как отправить декларацию по НДС"

    internal = json.loads(run(kb_env, "kb", "search", "потерян токен", "--json").stdout)
    assert internal[0]["title"].startswith("Потерян токен")

    exported = run(kb_env, "kb", "export", str(tmp_path / "out"))
    assert exported.exit_code == 0
    original = (DEMO_ARTICLES / "vi-einvoice-issue.md").read_text(encoding="utf-8")
    written = (tmp_path / "out" / "vi-einvoice-issue.md").read_text(encoding="utf-8")
    assert written.split("---\n", 2)[2] == original.split("---\n", 2)[2]
    assert len(list((tmp_path / "out").glob("*.md"))) == 31


def test_search_filters_by_product_and_language(kb_env: dict[str, str]) -> None:
    run(kb_env, "kb", "import", str(DEMO_ARTICLES))
    found = run(kb_env, "kb", "search", "password", "--product", "CLOUD", "--lang", "vi", "--json")
    titles = [result["title"] for result in json.loads(found.stdout)]
    assert titles == []
    found = run(kb_env, "kb", "search", "mat khau", "--product", "cloud", "--lang", "vi", "--json")
    assert [r["title"] for r in json.loads(found.stdout)] == ["Lấy lại mật khẩu đăng nhập"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: no fences\n", "no front matter"),
        ("---\ntitle: [unclosed\n---\nBody", "malformed front matter"),
        ("---\ntitle: A\nproduct: SIGN\n", "not closed"),
        ("---\n- a list\n---\n", "must be a mapping"),
        ("---\ntitle: A\nproduct: NOPE\n---\nBody", "unknown product NOPE"),
        ("---\ntitle: A\n---\nBody", "a product code is required"),
        ("---\ntitle: A\nproduct: SIGN\nvisibility: secret\n---\n", "visibility"),
        ("---\ntitle: A\nproduct: SIGN\nlanguage: xx\n---\n", "language"),
        ("---\ntitle: A\nproduct: SIGN\nauthor: me\n---\n", "unknown front matter key author"),
        ("---\nproduct: SIGN\n---\nBody", "title"),
    ],
)
def test_a_bad_file_is_one_line_naming_it_and_nothing_is_imported(
    kb_env: dict[str, str], tmp_path: Path, db: Session, text: str, message: str
) -> None:
    folder = _folder(tmp_path, **{"a-good-one": GOOD, "bad": text})
    result = run(kb_env, "kb", "import", str(folder))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: bad.md")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db.scalars(select(KbArticle)).all() == []


def test_a_missing_folder_and_a_bad_product_option_are_one_line(
    kb_env: dict[str, str], tmp_path: Path
) -> None:
    missing = run(kb_env, "kb", "import", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1
    assert "not a directory" in missing.stderr
    product = run(kb_env, "kb", "search", "x", "--product", "NOPE")
    assert product.exit_code == 1
    assert product.stderr.strip() == "error: --product: unknown product NOPE"
    language = run(kb_env, "kb", "search", "x", "--lang", "zz1")
    assert language.exit_code == 1
    assert len(language.stderr.strip().splitlines()) == 1
