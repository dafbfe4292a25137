"""Full-text search of the disclosure log: SQLite FTS5 or PostgreSQL tsvector, one query language.

Only published requests are in the index, and only their public texts (personal data already
removed) and the text of documents marked for release. Nothing here reads the requesters table.

Index rows are numbered by `search_seq`, the order of first publication. "Newest released" is then
the highest numbers, a date range is a range of numbers, and every search walks the index from the
newest end and stops early: ranking or counting every match of a common word is what makes naive
search slow at a million requests (docs/performance.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from sqlalchemy import column, exists, func, literal_column, select, table, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.batches import BatchState
from app.domain.publication import PublicationState
from app.domain.search_query import (
    SearchQuery,
    parse_search_query,
    to_fts5_exclusion,
    to_fts5_match,
    to_fts5_match_in,
    to_tsquery,
    to_tsquery_exclusion,
    tokenize,
)
from app.models import Department, Document, DocumentText, FoiRequest, ReleaseBatch, RequestExemption

# Markers the engines put around matches; swapped for <mark> after the snippet is HTML-escaped.
_OPEN, _CLOSE = "\u27e6", "\u27e7"
# Index at most this much document text per request, on both engines (a tsvector holds at most 1 MB).
DOCUMENT_TEXT_LIMIT = 300_000
# Best-match order ranks the newest COUNT_CAP matches only (bm25 over every match of a common phrase
# is what is slow); results are counted up to that cap, shown as "more than ...". Similar requests
# are picked from the newest RELEVANCE_CANDIDATES that share a word.
RELEVANCE_CANDIDATES = 500
COUNT_CAP = 1_000
CROWDED_SAMPLE = 200
PER_PAGE = 20
SORTS = ("relevance", "newest", "oldest")
_PUBLISHED = PublicationState.PUBLISHED.value


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


_fts = table(
    "disclosure_search",
    column("rowid"),
    column("seq"),
    column("request_id"),
    column("search_vector"),
    column("title"),
    column("body"),
    column("response"),
    column("documents"),
)


def _seq(session: AsyncSession) -> Any:
    return _fts.c.seq if _is_postgres(session) else _fts.c.rowid


# ---------------------------------------------------------------- maintaining the index


async def index_request(session: AsyncSession, request_id: int) -> None:
    """Puts a published request's public texts and released documents in the index (or refreshes
    them, keeping its place). A request without a search_seq gets the next number."""
    request = await session.get(FoiRequest, request_id)
    if request is None or request.publication_state != _PUBLISHED:
        await remove_from_index(session, request_id)
        return
    texts = await session.scalars(
        select(func.coalesce(DocumentText.public_text, ""))  # never the file's own text: personal data is taken out of it at publication
        .join(Document, Document.id == DocumentText.document_id)
        .where(Document.request_id == request_id, Document.for_release.is_(True))
        .order_by(Document.id)
    )
    documents = "\n".join(texts)[:DOCUMENT_TEXT_LIMIT]
    body = "\n".join(part for part in (request.public_summary, request.public_body) if part)
    values = {"title": request.public_title or "", "body": body, "response": request.public_response or "", "documents": documents}
    await remove_from_index(session, request_id, keep_number=True)
    if request.search_seq is None:
        request.search_seq = await _next_seq(session)
        await session.flush()
    if _is_postgres(session):
        # PostgreSQL's parser keeps "2024/25", emails and URLs whole; give it the words the query
        # side sees, so both engines find the same requests
        words = {f"{key}_words": " ".join(tokenize(value)) for key, value in values.items()}
        await session.execute(
            text(
                """
                INSERT INTO disclosure_search (request_id, seq, title, body, response, documents, search_vector)
                VALUES (:id, :seq, :title, :body, :response, :documents,
                        setweight(to_tsvector('english', :title_words), 'A') || setweight(to_tsvector('english', :body_words), 'B')
                        || setweight(to_tsvector('english', :response_words), 'B')
                        || setweight(to_tsvector('english', :documents_words), 'C'))
                """
            ),
            {"id": request_id, "seq": request.search_seq, **values, **words},
        )
    else:
        await session.execute(
            text(
                "INSERT INTO disclosure_search (rowid, title, body, response, documents) VALUES (:seq, :title, :body, :response, :documents)"
            ),
            {"seq": request.search_seq, **values},
        )


async def _next_seq(session: AsyncSession) -> int:
    if _is_postgres(session):
        # a sequence: two hosts publishing at once never take the same number
        return (await session.execute(text("SELECT nextval('disclosure_search_seq')"))).scalar_one()
    # SQLite: the write transaction (BEGIN IMMEDIATE) already excludes other writers
    return int(await session.scalar(select(func.coalesce(func.max(FoiRequest.search_seq), 0))) or 0) + 1


async def remove_from_index(session: AsyncSession, request_id: int, *, keep_number: bool = False) -> None:
    """Takes a request out of the index; unless it is only being refreshed, it loses its number too
    (only published requests hold one)."""
    if _is_postgres(session):
        await session.execute(text("DELETE FROM disclosure_search WHERE request_id = :id"), {"id": request_id})
    else:
        seq = await session.scalar(select(FoiRequest.search_seq).where(FoiRequest.id == request_id))
        if seq is not None:
            await session.execute(text("DELETE FROM disclosure_search WHERE rowid = :seq"), {"seq": seq})
    if not keep_number:
        await session.execute(
            update(FoiRequest).where(FoiRequest.id == request_id).values(search_seq=None).execution_options(synchronize_session="fetch")
        )


async def optimize_index(session: AsyncSession) -> None:
    """Merges the index into as few segments as possible (FTS5 'optimize'; on PostgreSQL, flushes
    the GIN pending list). Queries over common words and phrases get several times faster; run it
    nightly and after large imports."""
    if _is_postgres(session):
        await session.execute(text("SELECT gin_clean_pending_list('ix_disclosure_search_vector'::regclass)"))
    else:
        await session.execute(text("INSERT INTO disclosure_search (disclosure_search) VALUES ('optimize')"))


def restart_numbering(request: FoiRequest) -> None:
    """A fresh publication is the newest release, whatever number it may have held before."""
    request.search_seq = None


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
    batch: str | None = None  # a release batch's slug

    @property
    def narrows(self) -> bool:
        """Filters other than the words and the date range (which is a range of search_seq)."""
        return bool(self.outcome or self.department or self.exemption or self.batch)


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
    total_is_capped: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def past_last_page(self) -> bool:
        """A page number beyond the last page of what matched (a link kept from a larger search): the
        page says how many pages there are and links to the last, instead of "page 500 of 9"."""
        return self.total > 0 and self.page > self.pages


_HIT_COLUMNS = (
    FoiRequest.id,
    FoiRequest.reference,
    FoiRequest.regime,
    FoiRequest.public_title,
    FoiRequest.public_summary,
    FoiRequest.outcome,
    Department.name,
    FoiRequest.received_on,
    FoiRequest.responded_on,
    FoiRequest.published_at,
    FoiRequest.search_seq,
)


def _narrowing_conditions(filters: DisclosureFilters) -> list[Any]:
    conditions: list[Any] = [FoiRequest.publication_state == _PUBLISHED]
    if filters.outcome:
        conditions.append(FoiRequest.outcome == filters.outcome)
    if filters.department:
        conditions.append(FoiRequest.department_id == select(Department.id).where(Department.slug == filters.department).scalar_subquery())
    if filters.exemption:
        conditions.append(
            exists().where(RequestExemption.request_id == FoiRequest.id, func.upper(RequestExemption.code) == filters.exemption.upper())
        )
    if filters.batch:
        conditions.append(
            FoiRequest.batch_id
            == select(ReleaseBatch.id)
            .where(ReleaseBatch.slug == filters.batch.lower(), ReleaseBatch.state == BatchState.PUBLISHED.value)
            .scalar_subquery()
        )
    return conditions


async def _seq_range(session: AsyncSession, filters: DisclosureFilters, zone: ZoneInfo) -> tuple[int, int] | None:
    """The date range as a range of search_seq (publication order), from one index; None for no range."""
    if not filters.date_from and not filters.date_to:
        return None
    conditions = [FoiRequest.publication_state == _PUBLISHED, FoiRequest.search_seq.is_not(None)]
    if filters.date_from:
        conditions.append(FoiRequest.published_at >= datetime.combine(filters.date_from, time(), zone))
    if filters.date_to and filters.date_to < date.max:  # 31 December 9999 leaves no day after it: no upper bound
        conditions.append(FoiRequest.published_at < datetime.combine(filters.date_to + timedelta(days=1), time(), zone))
    # "+ 0": PostgreSQL would otherwise read min() and max() from the search_seq index, newest
    # first, checking each request's date until one falls in the range (most of the index for an
    # old range); this way it reads the range from the publication index and nothing else.
    number = FoiRequest.search_seq + 0
    low, high = (await session.execute(select(func.min(number), func.max(number)).where(*conditions))).one()
    return (low, high) if low is not None and high is not None else (0, -1)


async def search_disclosures(session: AsyncSession, filters: DisclosureFilters, zone: ZoneInfo, per_page: int = PER_PAGE) -> DisclosurePage:
    query = parse_search_query(filters.q)
    sort = filters.sort if filters.sort in SORTS else ("relevance" if not query.is_empty else "newest")
    if query.is_empty and sort == "relevance":
        sort = "newest"
    page = max(1, filters.page)
    notes = []
    if filters.q and filters.q.strip() and query.is_empty and not query.excludes_only:
        notes.append("Your search had no words to look for (very common words are ignored), so everything is listed.")
    postgres = _is_postgres(session)
    if postgres:
        # the plan for a tsquery depends on how common its words are: never a generic plan made
        # without them (a prepared statement gets one after five runs; docs/performance.md)
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    seq_range = await _seq_range(session, filters, zone)
    candidates, seq = _candidates(session, query, filters, seq_range)

    # One statement: the newest COUNT_CAP + 1 releases that qualify, walking the index from the
    # newest end. It gives the count (capped) and, mostly, the page itself.
    newest = list(await session.scalars(candidates.order_by(seq.desc()).limit(COUNT_CAP + 1)))
    total = len(newest)
    capped = total > COUNT_CAP
    if capped:
        total = COUNT_CAP
        notes.append(f"More than {COUNT_CAP:,} releases match; add words or filters to narrow the search.")
        newest = newest[:COUNT_CAP]

    offset = (page - 1) * per_page
    if sort == "relevance":
        # the newest RELEVANCE_CANDIDATES in best-match order, then the rest of those counted, newest first
        if offset >= RELEVANCE_CANDIDATES:
            seqs = newest[offset : offset + per_page]
        else:
            best = await _best_first(session, query, newest[:RELEVANCE_CANDIDATES])
            seqs = (best + newest[RELEVANCE_CANDIDATES:])[offset : offset + per_page]
    elif sort == "newest" and (offset + per_page <= len(newest) or not capped):
        seqs = newest[offset : offset + per_page]
    elif sort == "oldest" and not capped:
        seqs = newest[::-1][offset : offset + per_page]
    else:  # beyond the newest COUNT_CAP, or the oldest of many
        ordered = candidates.order_by(seq.desc() if sort == "newest" else seq).limit(per_page).offset(offset)
        seqs = list(await session.scalars(ordered))
    hits = await _hits_in_order(session, seqs)
    if not query.is_empty:
        snippets = await _snippets(session, query, seqs)
        for hit, seq_number in zip(hits, seqs, strict=False):
            hit.snippet = snippets.get(seq_number)
    return DisclosurePage(hits, total, page, per_page, query, sort, notes, capped)


def _candidates(
    session: AsyncSession, query: SearchQuery, filters: DisclosureFilters, seq_range: tuple[int, int] | None
) -> tuple[Any, Any]:
    """A statement yielding the search_seq ("seq") of every release that qualifies, and the column
    to order it by; the caller orders it newest first and stops early."""
    postgres = _is_postgres(session)
    if query.is_empty and not (query.excludes_only and postgres):
        # only published requests hold a search_seq: the unique index alone answers this
        seq = FoiRequest.search_seq
        candidates = select(seq.label("seq")).where(seq.is_not(None))
        if seq_range is not None:
            candidates = candidates.where(seq.between(*seq_range))
        if filters.narrows:
            candidates = candidates.where(*_narrowing_conditions(filters))
        if query.excludes_only:
            # "-parking": every release without parking. Both sides come newest first from their
            # index and SQLite merges them, stopping at the limit; NOT IN would first collect
            # every release that has the word (a third of them for a common word).
            excluded = select(_fts.c.rowid).select_from(_fts).where(_exclusion_condition(session, query))
            if seq_range is not None:
                excluded = excluded.where(_fts.c.rowid.between(*seq_range))
            return candidates.except_(excluded), literal_column("seq")
        return candidates, seq
    seq = _seq(session)
    if query.excludes_only:
        # PostgreSQL: the words are in the same row, so the index is walked newest first and each
        # row checked, stopping at the limit
        condition = ~_exclusion_condition(session, query)
    else:
        condition = _match_condition(session, query)
    candidates = select(seq.label("seq")).select_from(_fts).where(condition)
    if seq_range is not None:
        candidates = candidates.where(seq.between(*seq_range))
    if filters.narrows:
        candidates = candidates.join(FoiRequest, FoiRequest.search_seq == seq).where(*_narrowing_conditions(filters))
    return candidates, seq


def _exclusion_condition(session: AsyncSession, query: SearchQuery) -> Any:
    if _is_postgres(session):
        return _fts.c.search_vector.op("@@")(func.to_tsquery("english", to_tsquery_exclusion(query)))
    return literal_column("disclosure_search").op("MATCH")(to_fts5_exclusion(query))


def _match_condition(session: AsyncSession, query: SearchQuery) -> Any:
    if _is_postgres(session):
        return _fts.c.search_vector.op("@@")(func.to_tsquery("english", to_tsquery(query)))
    return literal_column("disclosure_search").op("MATCH")(to_fts5_match(query))


def _score(session: AsyncSession, tsquery_text: str | None = None) -> tuple[Any, bool]:
    """The engine's relevance score and whether higher is better."""
    if _is_postgres(session):
        return func.ts_rank_cd(_fts.c.search_vector, func.to_tsquery("english", tsquery_text)), True
    # bm25 is lower for better matches; the title weighs most, then the texts, then documents
    return func.bm25(literal_column("disclosure_search"), 10.0, 4.0, 4.0, 1.0), False


async def _best_first(session: AsyncSession, query: SearchQuery, newest: list[int]) -> list[int]:
    """`newest` (matches, newest first) in best-match order, scoring these only."""
    if not newest:
        return []
    score, higher_is_better = _score(session, to_tsquery(query))
    if _is_postgres(session):
        scoring = select(_fts.c.seq, score).select_from(_fts).where(_fts.c.seq.in_(newest))
    else:
        low, high = newest[-1], newest[0]
        if any(len(term.words) > 1 for term in query.positive) or await _has_a_crowded_word(session, query):
            # A phrase: FTS5's bm25 first counts every release in the whole index that has the
            # phrase, checking word positions in each (a quarter of a second at a million for a
            # phrase of common words). A word in most releases: bm25 gives it no weight (its
            # inverse document frequency is nil) after counting them all. Instead, for both: matches
            # in the title first, then newest first.
            in_title = literal_column("disclosure_search").op("MATCH")(to_fts5_match_in(query, "title"))
            titled = set(await session.scalars(select(_fts.c.rowid).select_from(_fts).where(in_title, _fts.c.rowid.between(low, high))))
            return sorted(newest, key=lambda number: (number not in titled, -number))
        # FTS5 walks the range (not row by row: each lookup would count the words' releases again
        # for bm25); "+ 0" keeps the list a filter on what it yields
        scoring = (
            select(_fts.c.rowid, score)
            .select_from(_fts)
            .where(_match_condition(session, query), _fts.c.rowid.between(low, high), (_fts.c.rowid + 0).in_(newest))
        )
    scored = {number: value for number, value in await session.execute(scoring)}
    sign = -1 if higher_is_better else 1
    return sorted(newest, key=lambda number: (sign * scored.get(number, 0.0), -number))


async def _has_a_crowded_word(session: AsyncSession, query: SearchQuery) -> bool:
    """Whether a word to look for is in more than half of the releases, judged by how far back
    its newest CROWDED_SAMPLE go (one statement; a few hundred index entries read)."""
    words = [term for term in query.positive if len(term.words) == 1]
    if not words:
        return False
    newest = select(_fts.c.rowid).select_from(_fts).order_by(_fts.c.rowid.desc()).limit(1).scalar_subquery()
    samples = [
        select(_fts.c.rowid)
        .select_from(_fts)
        .where(literal_column("disclosure_search").op("MATCH")(to_fts5_match(SearchQuery((term,)))))
        .order_by(_fts.c.rowid.desc())
        .limit(1)
        .offset(CROWDED_SAMPLE - 1)
        .scalar_subquery()
        for term in words
    ]
    top, *oldest_of_samples = (await session.execute(select(newest, *samples))).one()
    return any(oldest is not None and (top - oldest + 1) < 2 * CROWDED_SAMPLE for oldest in oldest_of_samples)


async def _hits_in_order(session: AsyncSession, seqs: list[int]) -> list[DisclosureHit]:
    if not seqs:
        return []
    rows = await session.execute(
        select(*_HIT_COLUMNS).outerjoin(Department, Department.id == FoiRequest.department_id).where(FoiRequest.search_seq.in_(seqs))
    )
    by_seq = {row[-1]: DisclosureHit(*cast(tuple[Any, ...], row[:-1])) for row in rows}
    return [by_seq[s] for s in seqs if s in by_seq]


async def _snippets(session: AsyncSession, query: SearchQuery, seqs: list[int]) -> dict[int, Markup]:
    """Highlighted extracts for one page of results only (computing them for every match is slow)."""
    if not seqs:
        return {}
    if _is_postgres(session):
        everything = func.left(_fts.c.body + " " + _fts.c.response + " " + _fts.c.documents, 200_000)
        options = f'StartSel={_OPEN}, StopSel={_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
        extract = func.ts_headline("english", everything, func.to_tsquery("english", to_tsquery(query)), options)
        rows = await session.execute(select(_fts.c.seq, extract).select_from(_fts).where(_fts.c.seq.in_(seqs)))
        return {seq: highlight(snippet) for seq, snippet in rows if snippet}
    # the title is shown anyway: extract from the request, the response, then the documents
    extracts = [func.snippet(literal_column("disclosure_search"), number, _OPEN, _CLOSE, " … ", 24) for number in (1, 2, 3)]
    statement = select(_fts.c.rowid, *extracts).select_from(_fts).where(_match_condition(session, query), _fts.c.rowid.in_(seqs))
    found = {}
    for seq, *extracts_found in await session.execute(statement):
        snippet = next((extract for extract in extracts_found if extract and _OPEN in extract), extracts_found[0])
        if snippet:
            found[seq] = highlight(snippet)
    return found


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
    seq = _seq(session)
    postgres = _is_postgres(session)
    if postgres:
        any_word = " | ".join(f"'{word}'" for word in words)
        condition = _fts.c.search_vector.op("@@")(func.to_tsquery("english", any_word))
    else:
        condition = literal_column("disclosure_search").op("MATCH")(" OR ".join(f'"{word}"' for word in words))
    candidates = select(seq.label("seq")).select_from(_fts).where(condition)
    if exclude_id is not None:
        excluded = select(FoiRequest.search_seq).where(FoiRequest.id == exclude_id).scalar_subquery()
        candidates = candidates.where(seq != func.coalesce(excluded, -1))
    if not postgres:
        newest = list(await session.scalars(candidates.order_by(seq.desc()).limit(RELEVANCE_CANDIDATES)))
        return await _hits_in_order(session, (await _by_shared_title_words(session, words, newest))[:limit])
    score, _ = _score(session, any_word)
    scored = candidates.add_columns(score.label("score")).order_by(seq.desc()).limit(RELEVANCE_CANDIDATES).subquery()
    seqs = list(await session.scalars(select(scored.c.seq).order_by(scored.c.score.desc(), scored.c.seq.desc()).limit(limit)))
    return await _hits_in_order(session, seqs)


async def _by_shared_title_words(session: AsyncSession, words: list[str], newest: list[int]) -> list[int]:
    """SQLite: `newest` (releases sharing a word, newest first) best first: those whose titles share
    the most words, a word in fewer of these titles weighing more, then newest. FTS5's bm25 would
    first count every release in the index holding each word (40 ms a request page at a million
    releases for a title of common words); here each word is looked up in these titles only."""
    if not newest:
        return []
    low, high = newest[-1], newest[0]
    titles_with: dict[str, set[int]] = {}
    for word in words:
        in_title = literal_column("disclosure_search").op("MATCH")(f'title : "{word}"')
        lookup = select(_fts.c.rowid).select_from(_fts).where(in_title, _fts.c.rowid.between(low, high))
        titles_with[word] = set(await session.scalars(lookup))
    weights = {word: math.log(1 + len(newest) / len(seqs)) for word, seqs in titles_with.items() if seqs}
    score = {seq: sum(weight for word, weight in weights.items() if seq in titles_with[word]) for seq in newest}
    return sorted(newest, key=lambda seq: (-score[seq], -seq))
