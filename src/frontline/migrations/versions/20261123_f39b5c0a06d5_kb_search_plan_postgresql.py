"""kb search plan on PostgreSQL: ranked matches through the GIN index, covering scope index

Revision ID: f39b5c0a06d5
Revises: e7b2c5a1d8f4
Create Date: 2026-11-23 17:06:00

PostgreSQL only; nothing changes on SQLite (a batch migration of kb_articles there would
drop the FTS5 triggers).
"""

from __future__ import annotations

from alembic import op

revision = "f39b5c0a06d5"
down_revision = "e7b2c5a1d8f4"
branch_labels = None
depends_on = None

# The planner prices ``tsvector @@ tsquery`` at one operator per row, far below its cost
# on ~1 KB documents: when a quarter of the articles match (common words) it picks a
# sequential scan of kb_fts (24 ms for 10,000 articles) over the GIN bitmap (5 ms).
# A function's own SET applies to its query only, so the GIN path is taken here without
# changing the plan of anything else in the transaction. It returns only (id, score),
# so the sort above it no longer carries the documents.
RANKED_MATCHES = """
CREATE FUNCTION kb_fts_ranked(query tsquery, weights real[], normalisation integer)
RETURNS TABLE (article_id integer, score real)
LANGUAGE sql STABLE
SET enable_seqscan = off
AS $$
    SELECT f.article_id, ts_rank(weights, f.document, query, normalisation)
    FROM kb_fts f WHERE f.document @@ query
$$
"""
# The scope test (status, visibility, product, language) for thousands of matches reads
# this index only, not the 17 MB of article rows; titles are read for the final ten.
# Named kb_fts_* so the schema comparison with the models skips it, like kb_fts itself.
SCOPE_INDEX = (
    "CREATE INDEX kb_fts_article_scope ON kb_articles (id) "
    "INCLUDE (status, visibility, product_id, language)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(RANKED_MATCHES)
    op.execute(SCOPE_INDEX)
    # Fresh statistics for the new index; a no-op cost on an empty database.
    op.execute("ANALYZE kb_articles")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS kb_fts_article_scope")
    op.execute("DROP FUNCTION IF EXISTS kb_fts_ranked(tsquery, real[], integer)")
