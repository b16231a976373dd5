"""Knowledge-base pages for staff and the public help center, as a browser uses them."""

from __future__ import annotations

import re

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.knowledge.models import ArticleStatus, KbArticle
from tests.knowledge.factories import add_demo_products
from tests.web.conftest import SignedIn, csrf_of, field_error


@pytest.fixture
def products(db: Session) -> dict[str, int]:
    return add_demo_products(db)


def _post(client: TestClient, page: str, data: dict[str, str], target: str = "") -> httpx.Response:
    token = csrf_of(client.get(page).text)
    return client.post(target or page, data={**data, "csrf_token": token}, follow_redirects=False)


def _write(client: TestClient, products: dict[str, int], **fields: str) -> int:
    data = {
        "title": "Продление подписи",
        "product_id": str(products["SIGN"]),
        "language": "ru",
        "tags": "подпись, сертификат",
        "visibility": "public",
        "body": "Откройте раздел **Сертификаты**.",
        **fields,
    }
    answer = _post(client, "/kb/new", data)
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])


def test_a_supervisor_writes_and_publishes_and_the_public_finds_it(
    signed_in: SignedIn, client: TestClient, products: dict[str, int]
) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    public = _write(browser, products)
    internal = _write(
        browser, products, title="Продление подписи для операторов", visibility="internal"
    )
    for article_id in (public, internal):
        moved = _post(browser, f"/kb/{article_id}", {"to": "published"}, f"/kb/{article_id}/status")
        assert moved.status_code == 303
    found = client.get("/help", params={"q": "продлить подпись", "lang": "ru"})
    assert found.status_code == 200
    assert f'href="/help/{public}"' in found.text
    assert f'href="/help/{internal}"' not in found.text
    assert client.get(f"/help/{public}").status_code == 200
    assert client.get(f"/help/{internal}").status_code == 404


def test_drafts_never_reach_the_help_center(
    signed_in: SignedIn, client: TestClient, products: dict[str, int]
) -> None:
    browser, _ = signed_in(Role.AGENT)
    draft = _write(browser, products)
    assert f'href="/help/{draft}"' not in client.get("/help", params={"q": "подпись"}).text
    assert client.get(f"/help/{draft}").status_code == 404


def test_an_agent_sees_no_publish_button_and_cannot_publish(
    signed_in: SignedIn, products: dict[str, int], db: Session
) -> None:
    browser, _ = signed_in(Role.AGENT)
    article_id = _write(browser, products)
    page = browser.get(f"/kb/{article_id}").text
    assert 'value="published"' not in page
    assert 'value="review"' in page
    refused = _post(browser, f"/kb/{article_id}", {"to": "published"}, f"/kb/{article_id}/status")
    assert refused.status_code == 403
    db.rollback()
    assert db.scalar(select(KbArticle.status)) is ArticleStatus.DRAFT


def test_the_editor_refuses_a_missing_title_and_keeps_the_text(
    signed_in: SignedIn, products: dict[str, int]
) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    answer = _post(
        browser,
        "/kb/new",
        {"title": "", "product_id": str(products["SIGN"]), "body": "Мой текст", "language": "ru"},
    )
    assert answer.status_code == 422
    assert field_error(answer.text, "title") == "Обязательное поле"
    assert "Мой текст" in answer.text


def test_history_shows_versions_and_restore_brings_one_back(
    signed_in: SignedIn, products: dict[str, int]
) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    article_id = _write(browser, products, title="Первый заголовок")
    edit = {
        "title": "Второй заголовок",
        "body": "Другой текст",
        "visibility": "public",
        "note": "правка",
    }
    assert _post(browser, f"/kb/{article_id}/edit", edit).status_code == 303
    restored = _post(browser, f"/kb/{article_id}", {}, f"/kb/{article_id}/versions/1/restore")
    assert restored.status_code == 303
    page = browser.get(f"/kb/{article_id}").text
    assert re.search(r"<h1>Первый заголовок</h1>", page)
    assert "правка" in page
    assert "restored version 1" in page


def test_script_in_an_article_is_not_run_on_any_page(
    signed_in: SignedIn, client: TestClient, products: dict[str, int]
) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    body = "Hello <script>alert(1)</script><img src=x onerror=alert(2)>"
    article_id = _write(browser, products, body=body, title="<b>Bold</b> title")
    _post(browser, f"/kb/{article_id}", {"to": "published"}, f"/kb/{article_id}/status")
    for page in (browser.get(f"/kb/{article_id}").text, client.get(f"/help/{article_id}").text):
        assert "<script>alert" not in page
        assert "onerror" not in page
        assert "<b>Bold</b>" not in page
    preview = _post(browser, "/kb/new", {"body": body}, "/kb/preview")
    assert "<script" not in preview.text


def test_feedback_and_views_are_counted(
    signed_in: SignedIn, client: TestClient, products: dict[str, int], db: Session
) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    article_id = _write(browser, products)
    _post(browser, f"/kb/{article_id}", {"to": "published"}, f"/kb/{article_id}/status")
    answer = _post(
        client, f"/help/{article_id}", {"helpful": "yes"}, f"/help/{article_id}/feedback"
    )
    assert answer.status_code == 303
    no_token = client.post(f"/help/{article_id}/feedback", data={"helpful": "yes"})
    assert no_token.status_code == 403
    db.rollback()
    article = db.scalars(select(KbArticle)).one()
    assert article.helpful == 1
    assert article.views >= 2


def test_attachments_are_downloads(signed_in: SignedIn, products: dict[str, int]) -> None:
    browser, _ = signed_in(Role.SUPERVISOR)
    article_id = _write(browser, products)
    token = csrf_of(browser.get(f"/kb/{article_id}").text)
    uploaded = browser.post(
        f"/kb/{article_id}/attachments",
        data={"csrf_token": token},
        files={"file": ("page.html", b"<script>alert(1)</script>", "text/html")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303
    link = re.search(
        rf'href="(/kb/{article_id}/attachments/\d+)"', browser.get(f"/kb/{article_id}").text
    )
    assert link is not None
    download = browser.get(link.group(1))
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["content-type"] == "application/octet-stream"


def test_a_planner_reads_but_cannot_open_the_editor(signed_in: SignedIn) -> None:
    browser, _ = signed_in(Role.PLANNER)
    assert browser.get("/kb").status_code == 200
    assert browser.get("/kb/new").status_code == 403
