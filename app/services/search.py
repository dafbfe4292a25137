"""Full-text search of the disclosure log: SQLite FTS5 or PostgreSQL tsvector, one query language.

Only published requests are in the index, and only their public texts (personal data already
removed) and the text of documents marked for release. Nothing here reads the requesters table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from sqlalchemy import column, exists, func, literal_column, select, table, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.search_query import SearchQuery, parse_search_query, to_fts5_match, to_tsquery, tokenize
from app.models import Department, Document, DocumentText, FoiRequest, RequestExemption

# Markers the engines put around matches; swapped for <mark> after the snippet is HTML-escaped.
_OPEN, _CLOSE = "\u27e6", "\u27e7"
# Index at most this much document text per request, on both engines (a tsvector holds at most 1 MB).
DOCUMENT_TEXT_LIMIT = 300_000
# Relevance is ranked among the newest matches: ranking every match of a common word is what makes
# naive search slow at a million requests (performance.md).
RELEVANCE_CANDIDATES = 2_000
PER_PAGE = 20
SORTS = ("relevance", "newest", "oldest")


def _is_postgres(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


# ---------------------------------------------------------------- maintaining the index


async def index_request(session: AsyncSession, request_id: int) -> None:
    """Puts a published request's public texts and released documents in the index (or refreshes them)."""
    request = await session.get(FoiRequest, request_id)
    if request is None or request.publication_state != "published":
        await remove_from_index(session, request_id)
        return
    texts = await session.scalars(
        select(DocumentText.text)
        .join(Document, Document.id == DocumentText.document_id)
        .where(Document.request_id == request_id, Document.for_release.is_(True))
        .order_by(Document.id)
    )
    documents = "\n".join(texts)[:DOCUMENT_TEXT_LIMIT]
    body = "\n".join(part for part in (request.public_summary, request.public_body) if part)
    values = {"id": request_id, "title": request.public_title or "", "body": body, "response": request.public_response or "", "documents": documents}
    if _is_postgres(session):
        # PostgreSQL's parser keeps "2024/25", emails and URLs whole; give it the words the query
        # side sees, so both engines find the same requests
        words = {key: " ".join(tokenize(value)) for key, value in values.items() if key != "id"}
        await session.execute(
            text(
                """
                INSERT INTO disclosure_search (request_id, title, body, response, documents, search_vector)
                VALUES (:id, :title, :body, :response, :documents,
                        setweight(to_tsvector('english', :title_words), 'A') || setweight(to_tsvector('english', :body_words), 'B')
                        || setweight(to_tsvector('english', :response_words), 'B')
                        || setweight(to_tsvector('english', :documents_words), 'C'))
                ON CONFLICT (request_id) DO UPDATE SET
                    title = excluded.title, body = excluded.body, response = excluded.response,
                    documents = excluded.documents, search_vector = excluded.search_vector
                """
            ),
            {**values, **{f"{key}_words": value for key, value in words.items()}},
        )
    else:
        await session.execute(text("DELETE FROM disclosure_search WHERE rowid = :id"), {"id": request_id})
        await session.execute(
            text("INSERT INTO disclosure_search (rowid, title, body, response, documents) VALUES (:id, :title, :body, :response, :documents)"),
            values,
        )


async def remove_from_index(session: AsyncSession, request_id: int) -> None:
    column = "request_id" if _is_postgres(session) else "rowid"
    await session.execute(text(f"DELETE FROM disclosure_search WHERE {column} = :id"), {"id": request_id})


# ---------------------------------------------------------------- searching


@dataclass
class DisclosureFilters:
    q: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    outcome: str | None = None
    department: str | None = None
    exemption: str | None = None
    sort: str | None = None
    page: int = 1


@dataclass
class DisclosureHit:
    id: int
    reference: str
    regime: str
    title: str
    summary: str | None
    outcome: str | None
    department: str | None
    received_on: date
    responded_on: date | None
    published_at: datetime
    snippet: Markup | None = None


@dataclass
class DisclosurePage:
    hits: list[DisclosureHit]
    total: int
    page: int
    per_page: int
    query: SearchQuery
    sort: str
    notes: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _published_filters(filters: DisclosureFilters, zone: ZoneInfo) -> list[Any]:
    conditions: list[Any] = [FoiRequest.publication_state == "published"]
    if filters.date_from:
        conditions.append(FoiRequest.published_at >= datetime.combine(filters.date_from, time(), zone))
    if filters.date_to:
        conditions.append(FoiRequest.published_at < datetime.combine(filters.date_to + timedelta(days=1), time(), zone))
    if filters.outcome:
        conditions.append(FoiRequest.outcome == filters.outcome)
    if filters.department:
        conditions.append(
            FoiRequest.department_id == select(Department.id).where(Department.slug == filters.department).scalar_subquery()
        )
    if filters.exemption:
        conditions.append(
            exists().where(RequestExemption.request_id == FoiRequest.id, func.upper(RequestExemption.code) == filters.exemption.upper())
        )
    return conditions


_HIT_COLUMNS = (
    FoiRequest.id, FoiRequest.reference, FoiRequest.regime, FoiRequest.public_title, FoiRequest.public_summary,
    FoiRequest.outcome, Department.name, FoiRequest.received_on, FoiRequest.responded_on, FoiRequest.published_at,
)


async def search_disclosures(session: AsyncSession, filters: DisclosureFilters, zone: ZoneInfo, per_page: int = PER_PAGE) -> DisclosurePage:
    query = parse_search_query(filters.q)
    sort = filters.sort if filters.sort in SORTS else ("relevance" if not query.is_empty else "newest")
    if query.is_empty and sort == "relevance":
        sort = "newest"
    page = max(1, filters.page)
    conditions = _published_filters(filters, zone)
    notes = []
    if filters.q and filters.q.strip() and query.is_empty:
        notes.append("Your search had no words to look for (very common words are ignored), so everything is listed.")

    if query.is_empty:
        total = await session.scalar(select(func.count()).select_from(FoiRequest).where(*conditions)) or 0
        order = (FoiRequest.published_at.desc(), FoiRequest.id.desc()) if sort == "newest" else (FoiRequest.published_at, FoiRequest.id)
        rows = await session.execute(
            select(*_HIT_COLUMNS).outerjoin(Department, Department.id == FoiRequest.department_id)
            .where(*conditions).order_by(*order).limit(per_page).offset((page - 1) * per_page)
        )
        return DisclosurePage([DisclosureHit(*row) for row in rows], total, page, per_page, query, sort, notes)

    matches = _matches(session, query)
    total = await session.scalar(select(func.count()).select_from(FoiRequest).where(*conditions, FoiRequest.id.in_(matches))) or 0
    if sort == "relevance":
        ids = await _ranked_ids(session, query, conditions, per_page, page)
    else:
        order = (FoiRequest.published_at.desc(), FoiRequest.id.desc()) if sort == "newest" else (FoiRequest.published_at, FoiRequest.id)
        ids = list(
            await session.scalars(
                select(FoiRequest.id).where(*conditions, FoiRequest.id.in_(matches)).order_by(*order)
                .limit(per_page).offset((page - 1) * per_page)
            )
        )
    hits = await _hits_in_order(session, ids)
    snippets = await _snippets(session, query, ids)
    for hit in hits:
        hit.snippet = snippets.get(hit.id)
    return DisclosurePage(hits, total, page, per_page, query, sort, notes)


_fts = table("disclosure_search", column("rowid"), column("request_id"), column("search_vector"),
             column("title"), column("body"), column("response"), column("documents"))


def _fts_id(session: AsyncSession) -> Any:
    return _fts.c.request_id if _is_postgres(session) else _fts.c.rowid


def _match_condition(session: AsyncSession, query: SearchQuery) -> Any:
    if _is_postgres(session):
        return _fts.c.search_vector.op("@@")(func.to_tsquery("english", to_tsquery(query)))
    return literal_column("disclosure_search").op("MATCH")(to_fts5_match(query))


def _matches(session: AsyncSession, query: SearchQuery) -> Any:
    """A subquery of the ids of every indexed request that matches."""
    return select(_fts_id(session)).select_from(_fts).where(_match_condition(session, query))


async def _ranked_ids(session: AsyncSession, query: SearchQuery, conditions: list[Any], per_page: int, page: int) -> list[int]:
    """Ranks the newest RELEVANCE_CANDIDATES matches that pass the filters, then pages through them."""
    fts_id = _fts_id(session)
    if _is_postgres(session):
        score = func.ts_rank_cd(_fts.c.search_vector, func.to_tsquery("english", to_tsquery(query)))
        higher_is_better = True
    else:
        # bm25 is lower for better matches; title matters most, then the texts, then documents
        score = func.bm25(literal_column("disclosure_search"), 10.0, 4.0, 4.0, 1.0)
        higher_is_better = False
    allowed = select(FoiRequest.id).where(*conditions)
    candidates = (
        select(fts_id.label("id"), score.label("score"))
        .select_from(_fts)
        .where(_match_condition(session, query), fts_id.in_(allowed))
        .order_by(fts_id.desc())
        .limit(RELEVANCE_CANDIDATES)
        .subquery()
    )
    order = candidates.c.score.desc() if higher_is_better else candidates.c.score
    statement = select(candidates.c.id).order_by(order, candidates.c.id.desc()).limit(per_page).offset((page - 1) * per_page)
    return list(await session.scalars(statement))


async def _hits_in_order(session: AsyncSession, ids: list[int]) -> list[DisclosureHit]:
    if not ids:
        return []
    rows = await session.execute(
        select(*_HIT_COLUMNS).outerjoin(Department, Department.id == FoiRequest.department_id).where(FoiRequest.id.in_(ids))
    )
    by_id = {row[0]: DisclosureHit(*row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


async def _snippets(session: AsyncSession, query: SearchQuery, ids: list[int]) -> dict[int, Markup]:
    """Highlighted extracts for one page of results only (computing them for every match is slow)."""
    if not ids:
        return {}
    if _is_postgres(session):
        everything = func.left(_fts.c.body + " " + _fts.c.response + " " + _fts.c.documents, 200_000)
        options = f"StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \""
        extract = func.ts_headline("english", everything, func.to_tsquery("english", to_tsquery(query)), options)
        statement = select(_fts.c.request_id, extract).select_from(_fts).where(_fts.c.request_id.in_(ids))
    else:
        # the title is shown anyway: extract from the request, the response, then the documents
        extracts = [func.snippet(literal_column("disclosure_search"), column_number, _OPEN, _CLOSE, " … ", 24) for column_number in (1, 2, 3)]
        statement = select(_fts.c.rowid, *extracts).select_from(_fts).where(_match_condition(session, query), _fts.c.rowid.in_(ids))
        rows = [
            (request_id, next((extract for extract in found if extract and _OPEN in extract), found[0]))
            for request_id, *found in await session.execute(statement)
        ]
        return {request_id: highlight(snippet) for request_id, snippet in rows if snippet}
    rows = await session.execute(statement)
    return {request_id: highlight(snippet) for request_id, snippet in rows if snippet}


def highlight(snippet: str) -> Markup:
    """HTML-escapes the extract, then turns the engine's match markers into <mark> elements."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))




async def similar_disclosures(session: AsyncSession, text_: str, *, exclude_id: int | None = None, limit: int = 5) -> list[DisclosureHit]:
    """Published requests that share words with `text_` (any of them), best first: shown to officers
    so they can point a requester to information already released."""
    words = list(dict.fromkeys(word for term in parse_search_query(text_).positive for word in term.words if len(word) >= 3))[:8]
    if not words:
        return []
    fts_id = _fts_id(session)
    if _is_postgres(session):
        any_word = func.to_tsquery("english", " | ".join(f"'{word}'" for word in words))
        condition = _fts.c.search_vector.op("@@")(any_word)
        score, higher_is_better = func.ts_rank_cd(_fts.c.search_vector, any_word), True
    else:
        condition = literal_column("disclosure_search").op("MATCH")(" OR ".join(f'"{word}"' for word in words))
        score, higher_is_better = func.bm25(literal_column("disclosure_search"), 10.0, 4.0, 4.0, 1.0), False
    candidates = select(fts_id.label("id"), score.label("score")).select_from(_fts).where(condition)
    if exclude_id is not None:
        candidates = candidates.where(fts_id != exclude_id)
    ranked = candidates.order_by(fts_id.desc()).limit(RELEVANCE_CANDIDATES).subquery()
    order = ranked.c.score.desc() if higher_is_better else ranked.c.score
    ids = list(await session.scalars(select(ranked.c.id).order_by(order, ranked.c.id.desc()).limit(limit)))
    return await _hits_in_order(session, ids)
