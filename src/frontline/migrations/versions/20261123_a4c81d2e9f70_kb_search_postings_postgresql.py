"""kb search on PostgreSQL: per-lexeme ranking impacts, so a search reads index entries

Revision ID: a4c81d2e9f70
Revises: f39b5c0a06d5
Create Date: 2026-11-23 19:30:00

PostgreSQL only; nothing changes on SQLite.
"""

from __future__ import annotations

from alembic import op

revision = "a4c81d2e9f70"
down_revision = "f39b5c0a06d5"
branch_labels = None
depends_on = None

# ts_rank of an OR query with normalisation 1 is a sum over the query's lexemes of a
# part that depends on the lexeme and the document alone (its positions and weights),
# divided by the number of lexemes and by log2(1 + document length). Each part is
# computed once, when the article is written, and kept beside the article's scope: a
# search then sums a few thousand index entries instead of reading and ranking every
# matching document (common words match a third of the articles). The search ranks the
# few leaders again with ts_rank itself, so its results and scores are ts_rank's.
#
# The weights {D 0.1, C 0.2, B 0.4, A 1.0} are search.POSTGRESQL_WEIGHTS; changing them
# means a migration that recomputes the impacts.
IMPACTS = """
CREATE FUNCTION kb_fts_impacts(document tsvector)
RETURNS TABLE (lexeme text, impact double precision)
LANGUAGE sql IMMUTABLE AS $$
    WITH entries AS (SELECT u.lexeme, u.weights FROM unnest(document) AS u),
    total AS (
        SELECT ln(sum(greatest(cardinality(e.weights), 1)) + 1) / ln(2) AS norm FROM entries e
    )
    SELECT e.lexeme, (s.top + s.decayed - s.top / (s.at * s.at)) / 1.64493406685 / total.norm
    FROM entries e CROSS JOIN total CROSS JOIN LATERAL (
        SELECT sum(w.value / (x.j * x.j)) AS decayed, max(w.value) AS top,
               (array_agg(x.j ORDER BY w.value DESC, x.j))[1]::double precision AS at
        -- a lexeme without positions counts as one of weight D, as in ts_rank
        FROM unnest(CASE WHEN cardinality(e.weights) = 0 THEN ARRAY['D'] ELSE e.weights END)
            WITH ORDINALITY AS x(weight, j)
        CROSS JOIN LATERAL (
            SELECT CASE x.weight WHEN 'A' THEN 1.0 WHEN 'B' THEN 0.4 WHEN 'C' THEN 0.2
                   ELSE 0.1 END::double precision AS value
        ) AS w
    ) AS s
$$
"""
POSTINGS = """
CREATE TABLE kb_fts_postings (
    lexeme text COLLATE "C" NOT NULL,
    article_id integer NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    impact double precision NOT NULL,
    status varchar(16) NOT NULL,
    visibility varchar(16) NOT NULL,
    product_id integer NOT NULL,
    language varchar(8) NOT NULL,
    PRIMARY KEY (lexeme, article_id)
        INCLUDE (impact, status, visibility, product_id, language))
"""
POSTINGS_BY_ARTICLE = "CREATE INDEX kb_fts_postings_article ON kb_fts_postings (article_id)"
FILL = """
INSERT INTO kb_fts_postings
SELECT i.lexeme, a.id, i.impact, a.status, a.visibility, a.product_id, a.language
FROM kb_articles a JOIN kb_fts f ON f.article_id = a.id
CROSS JOIN LATERAL kb_fts_impacts(f.document) AS i
"""
# kb_fts_refresh keeps the document (migration 6b1f0c3a9d42); these keep the postings.
REFRESH = """
CREATE FUNCTION kb_fts_postings_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM kb_fts_postings WHERE article_id = NEW.article_id;
    INSERT INTO kb_fts_postings
    SELECT i.lexeme, a.id, i.impact, a.status, a.visibility, a.product_id, a.language
    FROM kb_articles a CROSS JOIN LATERAL kb_fts_impacts(NEW.document) AS i
    WHERE a.id = NEW.article_id;
    RETURN NEW;
END $$
"""
REFRESH_TRIGGER = """
CREATE TRIGGER kb_fts_postings_refresh AFTER INSERT OR UPDATE OF document ON kb_fts
FOR EACH ROW EXECUTE FUNCTION kb_fts_postings_refresh()
"""
RESCOPE = """
CREATE FUNCTION kb_fts_postings_rescope() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE kb_fts_postings SET status = NEW.status, visibility = NEW.visibility,
        product_id = NEW.product_id, language = NEW.language
    WHERE article_id = NEW.id;
    RETURN NEW;
END $$
"""
RESCOPE_TRIGGER = """
CREATE TRIGGER kb_fts_postings_rescope
AFTER UPDATE OF status, visibility, product_id, language ON kb_articles
FOR EACH ROW EXECUTE FUNCTION kb_fts_postings_rescope()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for statement in (IMPACTS, POSTINGS, POSTINGS_BY_ARTICLE, FILL, REFRESH, REFRESH_TRIGGER):
        op.execute(statement)
    op.execute(RESCOPE)
    op.execute(RESCOPE_TRIGGER)
    op.execute("ANALYZE kb_fts_postings")
    # The previous plan's function and scope index: the postings carry the scope now.
    op.execute("DROP FUNCTION kb_fts_ranked(tsquery, real[], integer)")
    op.execute("DROP INDEX kb_fts_article_scope")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    # The previous revision's own statements restore its plan, so they are not repeated.
    scripts = op.get_context().script
    assert scripts is not None
    previous = scripts.get_revision(down_revision)
    assert previous is not None
    op.execute(previous.module.RANKED_MATCHES)
    op.execute(previous.module.SCOPE_INDEX)
    op.execute("DROP TRIGGER IF EXISTS kb_fts_postings_rescope ON kb_articles")
    op.execute("DROP TRIGGER IF EXISTS kb_fts_postings_refresh ON kb_fts")
    op.execute("DROP TABLE IF EXISTS kb_fts_postings")
    op.execute("DROP FUNCTION IF EXISTS kb_fts_postings_rescope()")
    op.execute("DROP FUNCTION IF EXISTS kb_fts_postings_refresh()")
    op.execute("DROP FUNCTION IF EXISTS kb_fts_impacts(tsvector)")
