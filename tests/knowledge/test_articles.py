"""Versions, the review workflow, visibility and sanitising, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from frontline.auth.models import Role
from frontline.core.errors import Conflict, NotFound, PermissionDenied
from frontline.knowledge import actions, service
from frontline.knowledge.markdown import to_html
from frontline.knowledge.models import ArticleStatus, Visibility
from frontline.knowledge.schemas import ArticleCreate, ArticleEdit
from frontline.knowledge.search import SearchScope, search
from tests.conftest import ApiAs, MakeUser
from tests.knowledge.factories import add_demo_products


@pytest.fixture
def products(db: Session) -> dict[str, int]:
    return add_demo_products(db)


def _draft(products: dict[str, int], **changes: object) -> ArticleCreate:
    fields: dict[str, object] = {
        "product_id": products["SIGN"],
        "language": "ru",
        "title": "Как продлить подпись",
        "body": "Откройте раздел **Сертификаты**.",
        "tags": ["Подпись", "подпись", " сертификат "],
        "visibility": Visibility.PUBLIC,
    }
    return ArticleCreate.model_validate({**fields, **changes})


def test_edits_keep_every_version_and_restore_makes_a_new_one(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    author, editor = make_user(Role.AGENT), make_user(Role.SUPERVISOR)
    article = actions.create_article(db, author, _draft(products))
    edit = ArticleEdit(title="Продление подписи", body="Новый текст", note="rewritten")
    actions.edit_article(db, editor, article.id, edit)
    restored = actions.restore_version(db, editor, article.id, 1)
    db.refresh(restored)
    assert restored.version == 3
    assert restored.title == "Как продлить подпись"
    assert [(v.number, v.changed_by_id, v.note) for v in restored.versions] == [
        (3, editor.id, "restored version 1"),
        (2, editor.id, "rewritten"),
        (1, author.id, "created"),
    ]
    assert restored.tags == ["подпись", "сертификат"]


def test_an_agent_cannot_publish_but_a_supervisor_can(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    agent, supervisor = make_user(Role.AGENT), make_user(Role.SUPERVISOR)
    article = actions.create_article(db, agent, _draft(products))
    actions.move_article(db, agent, article.id, ArticleStatus.REVIEW)
    with pytest.raises(PermissionDenied):
        actions.move_article(db, agent, article.id, ArticleStatus.PUBLISHED)
    published = actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    assert published.status is ArticleStatus.PUBLISHED
    assert published.published_at is not None


def test_a_planner_cannot_write_articles(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    with pytest.raises(PermissionDenied):
        actions.create_article(db, make_user(Role.PLANNER), _draft(products))


def test_an_agents_edit_of_a_published_article_goes_back_to_review(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    agent, supervisor = make_user(Role.AGENT), make_user(Role.SUPERVISOR)
    article = actions.create_article(db, supervisor, _draft(products))
    actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    edited = actions.edit_article(db, agent, article.id, ArticleEdit(title="Другой заголовок"))
    assert edited.status is ArticleStatus.REVIEW


def test_a_move_the_workflow_does_not_have_is_refused(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    article = actions.create_article(db, supervisor, _draft(products))
    with pytest.raises(Conflict) as refused:
        actions.move_article(db, supervisor, article.id, ArticleStatus.ARCHIVED)
    assert refused.value.field == "status"


def test_the_public_sees_only_published_public_articles(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    public = actions.create_article(db, supervisor, _draft(products, slug="public-one"))
    internal = actions.create_article(
        db, supervisor, _draft(products, slug="internal-one", visibility=Visibility.INTERNAL)
    )
    draft = actions.create_article(db, supervisor, _draft(products, slug="draft-one"))
    for article in (public, internal):
        actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    hits = search(db, "продлить подпись", SearchScope(public_only=True))
    staff_hits = search(db, "продлить подпись", SearchScope())
    assert [hit.article_id for hit in hits] == [public.id]
    assert {hit.article_id for hit in staff_hits} == {public.id, internal.id}
    assert actions.get_article(db, None, public.id) is public
    for hidden in (internal, draft):
        with pytest.raises(NotFound):
            actions.get_article(db, None, hidden.id)


def test_html_and_script_in_an_article_are_neutralised(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    body = (
        'Text <script>exfiltrate()</script><img src="x" onerror="steal()">'
        "\n\n[click](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>"
        "\n\n<iframe src='https://evil.example'></iframe>"
    )
    article = actions.create_article(db, make_user(Role.SUPERVISOR), _draft(products, body=body))
    html = to_html(article.body)
    assert "<script" not in html
    assert "onerror" not in html
    assert "href" not in html
    assert "click" in html
    assert "<iframe" not in html
    assert "exfiltr" not in article.search_body


def test_links_between_articles_are_recorded_both_ways(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    target = actions.create_article(db, supervisor, _draft(products, slug="target"))
    source = actions.create_article(
        db, supervisor, _draft(products, slug="source", body=f"See [this](/kb/{target.id}).")
    )
    assert service.links_of(db, source.id) == ([target], [])
    assert service.links_of(db, target.id) == ([], [source])


def test_views_and_feedback_are_counted(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    article = actions.create_article(db, make_user(Role.SUPERVISOR), _draft(products))
    actions.record_view(db, article.id)
    actions.record_view(db, article.id)
    actions.record_feedback(db, article.id, helpful=True)
    actions.record_feedback(db, article.id, helpful=False)
    actions.record_feedback(db, article.id, helpful=True)
    db.refresh(article)
    assert (article.views, article.helpful, article.not_helpful) == (2, 2, 1)


def test_title_matches_rank_above_body_matches(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    in_body = actions.create_article(
        db,
        supervisor,
        _draft(products, slug="body", title="Общие вопросы", body="Про роуминг между операторами."),
    )
    in_title = actions.create_article(
        db, supervisor, _draft(products, slug="title", title="Роуминг", body="Настройка обмена.")
    )
    for article in (in_body, in_title):
        actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    hits = search(db, "роуминг", SearchScope())
    assert [hit.article_id for hit in hits] == [in_title.id, in_body.id]


def test_the_product_filter_keeps_other_products_out(
    db: Session, make_user: MakeUser, products: dict[str, int]
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    sign = actions.create_article(db, supervisor, _draft(products, slug="sign"))
    tax = actions.create_article(
        db, supervisor, _draft(products, slug="tax", product_id=products["TAX"])
    )
    for article in (sign, tax):
        actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    hits = search(db, "подпись", SearchScope(product_id=products["TAX"]))
    assert [hit.article_id for hit in hits] == [tax.id]


def test_the_search_api_returns_ranked_published_articles(
    db: Session, make_user: MakeUser, products: dict[str, int], api_as: ApiAs
) -> None:
    supervisor = make_user(Role.SUPERVISOR)
    article = actions.create_article(
        db, supervisor, _draft(products, visibility=Visibility.INTERNAL)
    )
    actions.create_article(db, supervisor, _draft(products, slug="still-a-draft"))
    actions.move_article(db, supervisor, article.id, ArticleStatus.PUBLISHED)
    answer = api_as(Role.AGENT).get("/api/v1/kb/search", params={"q": "продление подписи"})
    assert answer.status_code == 200
    assert [(r["id"], r["visibility"]) for r in answer.json()] == [(article.id, "internal")]
    refused = api_as(Role.AGENT).get("/api/v1/kb/search", params={"limit": "0"})
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "limit"
