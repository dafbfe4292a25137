"""The public disclosure log: home, search, a released request, its documents, the Atom feed.

No login, no requester data: these handlers read only through app.services.disclosures and
app.services.search, which never touch the requesters table.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from feedgen.feed import FeedGenerator
from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Template

from app.domain.dates import check_period, parse_date
from app.domain.errors import InvalidInput
from app.domain.exemptions import EXEMPTIONS
from app.domain.outcomes import Outcome
from app.domain.publication import PublicationState
from app.services import batches as batch_service
from app.services import departments as department_service
from app.services.disclosures import get_disclosure, get_public_document
from app.services.files.storage import ContentStore
from app.services.inputs import parse_page
from app.services.search import SORTS, DisclosureFilters, search_disclosures
from app.web.dependencies import AppSettings, Db
from app.web.downloads import file_response
from app.web.pages.forms import DateField, date_value, half_typed

PUBLIC_OPT = {"exclude_from_auth": True}
# when the accessibility statement's text (templates/public/accessibility.html) was written and the service tested
STATEMENT_PREPARED = date(2026, 12, 6)
# the disclosure log's dates, typed as day, month and year
RELEASE_DATES = (DateField("from", "Released from"), DateField("to", "Released to"))


def parse_disclosure_filters(params: Any) -> DisclosureFilters:
    """Query-string filters shared by the page and the API; bad values name their field."""

    def as_date(name: str) -> date | None:
        return parse_date(params.get(name), name)

    outcome = (params.get("outcome") or "").strip() or None
    if outcome and outcome not in {o.value for o in Outcome}:
        raise InvalidInput("outcome", "Select an outcome from the list", label="Outcome")
    sort = (params.get("sort") or "").strip() or None
    if sort and sort not in SORTS:
        raise InvalidInput("sort", "Select an order from the list", label="Order")
    date_from, date_to = as_date("from"), as_date("to")
    # a range that ends before it starts finds nothing: said, in the page's labels, not left to an empty list
    check_period(date_from, date_to, field="to", from_label=RELEASE_DATES[0].label, to_label=RELEASE_DATES[1].label)
    page = parse_page(params.get("page"))
    return DisclosureFilters(
        q=(params.get("q") or "").strip()[:500] or None,
        date_from=date_from,
        date_to=date_to,
        outcome=outcome,
        department=(params.get("department") or "").strip() or None,
        exemption=(params.get("exemption") or "").strip() or None,
        sort=sort,
        page=page,
        batch=(params.get("batch") or "").strip()[:80] or None,
    )


def _query_string(filters: DisclosureFilters) -> str:
    values = {
        "q": filters.q or "",
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "outcome": filters.outcome or "",
        "department": filters.department or "",
        "exemption": filters.exemption or "",
        "batch": filters.batch or "",
        "sort": filters.sort or "",
    }
    return urlencode({k: v for k, v in values.items() if v})


class PublicPages(Controller):
    opt = PUBLIC_OPT

    @get("/")
    async def home(self, db: Db, settings: AppSettings) -> Template:
        latest = await search_disclosures(db, DisclosureFilters(sort="newest"), settings.zone, per_page=8)
        batches = await batch_service.latest_published_batches(db, limit=5)
        return Template("public/home.html", context={"latest": latest, "batches": batches, "public": True})

    @get("/accessibility")
    async def accessibility(self, settings: AppSettings) -> Template:
        """The accessibility statement, in the government's model format, for public and staff pages alike."""
        reviewed = date.fromisoformat(settings.accessibility.reviewed) if settings.accessibility.reviewed else STATEMENT_PREPARED
        return Template(
            "public/accessibility.html",
            context={
                "statement": settings.accessibility,
                "contact": settings.accessibility.contact or settings.correspondence.request_email,
                "postal_lines": settings.correspondence.postal_lines,
                "prepared": STATEMENT_PREPARED,
                "reviewed": max(reviewed, STATEMENT_PREPARED),
                "public": True,
            },
        )

    @get("/disclosures")
    async def disclosures(self, request: HTMXRequest, db: Db, settings: AppSettings) -> Template | Response[None]:
        if request.htmx and half_typed(request.query_params, ("from", "to")):
            return Response(None, status_code=204)  # answered as typed: the date is not finished yet
        error: InvalidInput | None = None
        params = {key: request.query_params.get(key) for key in request.query_params}
        try:
            # the dates typed as day, month and year, or given as YYYY-MM-DD (links, bookmarks)
            params |= {field.name: date_value(params, field) for field in RELEASE_DATES}
            filters = parse_disclosure_filters({**params, "page": None})
        except InvalidInput as problem:
            # said, and the rest of the search still done: the words and the filters that are right
            # find what they find, never every release as if the words had been searched
            error, filters = problem, _readable_part(params)
        else:
            try:  # a page number that is not one (a link mistyped): said, with the first page of the same search
                filters.page = parse_page(params.get("page"))
            except InvalidInput as problem:
                error = problem
        result = await search_disclosures(db, filters, settings.zone)
        context = {
            "result": result,
            "filters": filters,
            "query": _query_string(filters),
            "error": error,
            # what the date boxes show: as typed, else the filter's dates
            "typed": {
                "from": filters.date_from,
                "to": filters.date_to,
                **{key: value for key, value in params.items() if key.endswith(("-day", "-month", "-year"))},
            },
            "departments": await department_service.list_departments(db),
            "outcomes": list(Outcome),
            "exemptions": EXEMPTIONS,
            "public": True,
        }
        if request.htmx and request.htmx.target == "disclosure-results":
            return Template("public/_disclosure_results.html", context={**context, "partial": True})
        # a refused search answers as the API does (422, docs/contract.md); a search answered in place is
        # a 200, which htmx swaps in
        return Template("public/disclosures.html", context=context, status_code=error.status_code if error else 200)

    @get("/disclosures/{reference:str}")
    async def disclosure(self, db: Db, reference: FromPath[str]) -> Template:
        disclosure = await get_disclosure(db, reference)
        batch = await batch_service.batch_of_disclosure(db, reference) if disclosure.state == PublicationState.PUBLISHED else None
        return Template("public/disclosure.html", context={"d": disclosure, "batch": batch, "public": True})

    @get("/disclosures/{reference:str}/documents/{document_id:int}")
    async def document(
        self, request: Request[Any, Any, Any], db: Db, settings: AppSettings, reference: FromPath[str], document_id: FromPath[int]
    ) -> Response[Any]:
        document = await get_public_document(db, reference, document_id)
        path = ContentStore(settings.storage_dir).path_for(document.sha256)
        return file_response(
            request, path, content_type=document.content_type, filename=document.filename, sha256=document.sha256, public=True
        )

    @get("/disclosures.atom", media_type="application/atom+xml")
    async def feed(self, request: Request[Any, Any, Any], db: Db, settings: AppSettings) -> Response[bytes]:
        """The latest releases, newest first; given the search and filters of /disclosures (a search's
        address with .atom), the latest releases matching them: a subscription to that search. A filter
        refused is said as on the page (422), never read as no filter."""
        params = {key: request.query_params.get(key) for key in request.query_params}
        params |= {field.name: date_value(params, field) for field in RELEASE_DATES}
        filters = parse_disclosure_filters({**params, "page": None})
        filters.sort, filters.page = None, 1  # a feed is newest first, whatever order the page was in
        query = _query_string(filters)
        filters.sort = "newest"
        latest = await search_disclosures(db, filters, settings.zone, per_page=50)
        # the site's own address (FOI_BASE_URL), never the Host the request names: a forged Host must
        # not put another site's links into a feed that readers and caches keep
        base = settings.mail.base_url.rstrip("/")
        search = f"?{query}" if query else ""
        feed = FeedGenerator()
        feed.id(f"{base}/disclosures{search}")
        matching = f": releases matching \u2018{filters.q}\u2019" if filters.q else (": releases matching a search" if query else "")
        feed.title(f"{settings.authority_name}: disclosure log{matching}")
        feed.subtitle("Information released in answer to Freedom of Information and EIR requests")
        feed.link(href=f"{base}/disclosures{search}", rel="alternate")
        feed.link(href=f"{base}/disclosures.atom{search}", rel="self")
        feed.author({"name": settings.authority_name})
        feed.language("en-GB")
        # a batch released together is news of the whole log, not a match for a search
        batches = [] if query else await batch_service.latest_published_batches(db, limit=10)
        # oldest first: each entry added goes on top; a batch comes above the releases it brought out
        items = sorted(
            [(hit.published_at, 0, hit) for hit in latest.hits] + [(b.published_at, 1, b) for b in batches], key=lambda i: (i[0], i[1])
        )
        for _, _, item in items:
            entry = feed.add_entry()
            if isinstance(item, batch_service.PublishedBatchHit):
                entry.id(f"{base}/batches/{item.slug}")
                entry.title(f"Released together: {item.title} ({item.request_count} release{'' if item.request_count == 1 else 's'})")
                entry.link(href=f"{base}/batches/{item.slug}")
                entry.summary(item.description or item.title)
            else:
                entry.id(f"{base}/disclosures/{item.reference}")
                entry.title(f"{item.reference}: {item.title}")
                entry.link(href=f"{base}/disclosures/{item.reference}")
                entry.summary(item.summary or item.title or "")
            entry.published(item.published_at)
            entry.updated(item.published_at)
        if items:
            feed.updated(items[-1][0])
        return Response(feed.atom_str(pretty=True), media_type="application/atom+xml")


def _readable_part(params: dict[str, Any]) -> DisclosureFilters:
    """A refused search without what was refused: each filter in the way left out in turn (a date
    whose boxes cannot be read, an outcome not on the list, a reversed range's 'to')."""
    rest = dict(params, page=None)
    for field in RELEASE_DATES:
        try:
            rest[field.name] = date_value(rest, field)
        except InvalidInput:
            rest[field.name] = None
    for _ in range(len(rest)):
        try:
            return parse_disclosure_filters(rest)
        except InvalidInput as problem:
            if rest.get(problem.field) is None:
                break
            rest[problem.field] = None
    return DisclosureFilters()
