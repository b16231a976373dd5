"""Changes to articles: writing versions, the review workflow, feedback and usage counts.

Workflow: ``draft -> review -> published (-> archived)``. Editors write and submit;
reviewers publish, send back and archive. An edit of a published article by someone
who may not publish sends it back to review, so nothing unreviewed reaches readers.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from frontline.audit.actions import add_audit_entry
from frontline.auth.access import (
    can_edit_knowledge,
    can_read_knowledge,
    can_review_knowledge,
    require,
)
from frontline.auth.models import User
from frontline.core.clock import utcnow
from frontline.core.errors import Conflict, InvalidInput, NotFound
from frontline.knowledge.markdown import linked_article_ids, plain_text
from frontline.knowledge.models import (
    ArticleStatus,
    KbArticle,
    KbArticleLink,
    KbArticleVersion,
    KbAttachment,
    KbCategory,
    Visibility,
)
from frontline.knowledge.schemas import ArticleCreate, ArticleEdit
from frontline.knowledge.search import add_terms
from frontline.knowledge.text import fold_diacritics, search_document
from frontline.org.models import Product

# Allowed moves: (from, to) -> needs the review right.
TRANSITIONS: dict[tuple[ArticleStatus, ArticleStatus], bool] = {
    (ArticleStatus.DRAFT, ArticleStatus.REVIEW): False,
    (ArticleStatus.REVIEW, ArticleStatus.DRAFT): True,
    (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED): True,
    (ArticleStatus.REVIEW, ArticleStatus.PUBLISHED): True,
    (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED): True,
    (ArticleStatus.ARCHIVED, ArticleStatus.DRAFT): True,
}
TRANSLITERATION = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),  # noqa: SIM905
        strict=True,
    )
)
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


def slug_for(title: str) -> str:
    """A file-name-safe slug of ``title`` (Russian transliterated, diacritics folded).

    >>> slug_for("Как продлить электронную подпись?")
    'kak-prodlit-elektronnuyu-podpis'
    >>> slug_for("Hóa đơn điện tử")
    'hoa-don-dien-tu'
    """
    letters = "".join(TRANSLITERATION.get(char, char) for char in fold_diacritics(title.lower()))
    slug = re.sub(r"[^a-z0-9]+", "-", letters.replace("-", " ")).strip("-")[:100].strip("-")
    return slug or f"article-{uuid.uuid4().hex[:8]}"


def get_article(session: Session, user: User | None, article_id: int) -> KbArticle:
    """The one door to an article: staff read every one; the public only published public ones.

    Unknown and not-allowed look alike.
    """
    article = session.get(KbArticle, article_id)
    if article is not None and user is not None and can_read_knowledge(user):
        return article
    if article is not None and user is None and _is_public(article):
        return article
    raise NotFound(f"No article with id {article_id}", field="article_id")


def _is_public(article: KbArticle) -> bool:
    return article.visibility is Visibility.PUBLIC and article.status is ArticleStatus.PUBLISHED


def _index(session: Session, article: KbArticle) -> None:
    """Write the normalised search columns (the triggers copy them to the index)."""
    article.search_title = search_document(article.title)
    article.search_tags = search_document(" ".join(article.tags))
    article.search_body = search_document(plain_text(article.body))
    add_terms(
        session,
        set(f"{article.search_title} {article.search_tags} {article.search_body}".split()),
    )


def _link(session: Session, article: KbArticle, *, new: bool = False) -> None:
    targets = linked_article_ids(article.body) - {article.id}
    if not new:
        session.execute(delete(KbArticleLink).where(KbArticleLink.source_id == article.id))
    if not targets:
        return
    existing = session.scalars(select(KbArticle.id).where(KbArticle.id.in_(targets))).all()
    session.add_all(KbArticleLink(source_id=article.id, target_id=target) for target in existing)


def _record_version(session: Session, user: User | None, article: KbArticle, note: str) -> None:
    session.add(
        KbArticleVersion(
            article_id=article.id,
            number=article.version,
            title=article.title,
            body=article.body,
            tags=list(article.tags),
            visibility=article.visibility,
            changed_by_id=user.id if user else None,
            changed_at=utcnow(),
            note=note,
        )
    )


def _category(session: Session, name: str | None) -> KbCategory | None:
    if not name:
        return None
    category = session.scalar(select(KbCategory).where(KbCategory.name == name))
    if category is None:
        category = KbCategory(name=name)
        session.add(category)
    return category


def _check_product(session: Session, product_id: int) -> None:
    if session.get(Product, product_id) is None:
        raise InvalidInput(f"No product with id {product_id}", field="product_id")


def add_article(
    session: Session,
    user: User | None,
    payload: ArticleCreate,
    *,
    status: ArticleStatus = ArticleStatus.DRAFT,
) -> KbArticle:
    """Stage a new article and its first version; the caller commits (see ``create_article``)."""
    _check_product(session, payload.product_id)
    slug = payload.slug or slug_for(payload.title)
    if session.scalar(select(KbArticle.id).where(KbArticle.slug == slug)) is not None:
        raise Conflict(f"An article named {slug} exists already", field="slug")
    article = KbArticle(
        slug=slug,
        product_id=payload.product_id,
        language=payload.language,
        title=payload.title,
        body=payload.body,
        tags=payload.tags,
        category=_category(session, payload.category),
        visibility=payload.visibility,
        status=status,
        published_at=utcnow() if status is ArticleStatus.PUBLISHED else None,
        updated_by_id=user.id if user else None,
    )
    _index(session, article)
    session.add(article)
    session.flush()
    _record_version(session, user, article, "created")
    _link(session, article, new=True)
    add_audit_entry(session, user, "kb.create", "kb_articles", article.id)
    return article


def create_article(session: Session, user: User, payload: ArticleCreate) -> KbArticle:
    require(can_edit_knowledge, user)
    article = add_article(session, user, payload)
    session.commit()
    return article


def apply_edit(
    session: Session, user: User | None, article: KbArticle, payload: ArticleEdit
) -> bool:
    """Stage a new version if anything changed; False when the text is the same."""
    same = (
        payload.title == article.title
        and payload.body == article.body
        and payload.tags == list(article.tags)
        and payload.visibility is article.visibility
    )
    if same:
        return False
    article.title = payload.title
    article.body = payload.body
    article.tags = payload.tags
    article.visibility = payload.visibility
    article.version += 1
    article.updated_by_id = user.id if user else None
    if (
        article.status is ArticleStatus.PUBLISHED
        and user is not None
        and not can_review_knowledge(user)
    ):
        article.status = ArticleStatus.REVIEW
    _index(session, article)
    _record_version(session, user, article, payload.note)
    _link(session, article)
    add_audit_entry(
        session, user, "kb.edit", "kb_articles", article.id, details={"version": article.version}
    )
    return True


def edit_article(session: Session, user: User, article_id: int, payload: ArticleEdit) -> KbArticle:
    require(can_edit_knowledge, user)
    article = get_article(session, user, article_id)
    apply_edit(session, user, article, payload)
    session.commit()
    return article


def restore_version(session: Session, user: User, article_id: int, number: int) -> KbArticle:
    """Make an old version's text the newest version (history is never rewritten)."""
    require(can_edit_knowledge, user)
    article = get_article(session, user, article_id)
    old = session.scalar(
        select(KbArticleVersion).where(
            KbArticleVersion.article_id == article.id, KbArticleVersion.number == number
        )
    )
    if old is None:
        raise NotFound(f"Article {article_id} has no version {number}", field="version")
    payload = ArticleEdit(
        title=old.title,
        body=old.body,
        tags=old.tags,
        visibility=old.visibility,
        note=f"restored version {number}",
    )
    apply_edit(session, user, article, payload)
    session.commit()
    return article


def move_article(session: Session, user: User, article_id: int, target: ArticleStatus) -> KbArticle:
    """One step of the workflow; see :data:`TRANSITIONS` for who may take which."""
    require(can_edit_knowledge, user)
    article = get_article(session, user, article_id)
    needs_review_right = TRANSITIONS.get((article.status, target))
    if needs_review_right is None:
        raise Conflict(
            f"An article in {article.status.value} cannot move to {target.value}", field="status"
        )
    if needs_review_right:
        require(can_review_knowledge, user)
    article.status = target
    if target is ArticleStatus.PUBLISHED:
        article.published_at = utcnow()
    add_audit_entry(
        session, user, f"kb.{target.value}", "kb_articles", article.id, details={"to": target.value}
    )
    session.commit()
    return article


def record_view(session: Session, article_id: int) -> None:
    """Count one reading; a single UPDATE so concurrent readers never lose a count."""
    session.execute(
        update(KbArticle).where(KbArticle.id == article_id).values(views=KbArticle.views + 1)
    )
    session.commit()


def record_use(session: Session, article_id: int) -> None:
    """Count one answer put into a reply or notes from the workspace."""
    session.execute(
        update(KbArticle).where(KbArticle.id == article_id).values(uses=KbArticle.uses + 1)
    )
    session.commit()


def record_feedback(session: Session, article_id: int, *, helpful: bool) -> None:
    """'Was this helpful?': one more yes or no."""
    column = KbArticle.helpful if helpful else KbArticle.not_helpful
    session.execute(
        update(KbArticle).where(KbArticle.id == article_id).values({column: column + 1})
    )
    session.commit()


def attach_file(
    session: Session,
    user: User,
    article_id: int,
    *,
    filename: str,
    content_type: str,
    data: bytes,
) -> KbAttachment:
    require(can_edit_knowledge, user)
    article = get_article(session, user, article_id)
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:255]
    if not name:
        raise InvalidInput("Choose a file to attach", field="file")
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("An attachment is at most 5 MB", field="file")
    attachment = KbAttachment(
        article_id=article.id,
        filename=name,
        content_type=content_type[:100] or "application/octet-stream",
        size_bytes=len(data),
        data=data,
        uploaded_at=utcnow(),
    )
    session.add(attachment)
    add_audit_entry(session, user, "kb.attach", "kb_articles", article.id, details={"file": name})
    session.commit()
    return attachment
