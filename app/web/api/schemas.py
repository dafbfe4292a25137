"""Shapes of the API's request bodies (they also document the API in /schema/openapi.json)."""

from __future__ import annotations

from datetime import date, datetime

from msgspec import Struct


class RequesterIn(Struct):
    name: str
    email: str | None = None
    address: str | None = None


class NewRequestIn(Struct):
    regime: str
    title: str
    body: str
    requester: RequesterIn
    channel: str = "email"
    received_on: date | None = None
    received_at: datetime | None = None
    department: str | None = None
    assignee: str | None = None


class ActionIn(Struct):
    """A lifecycle step. `respond` and `submit_for_approval` (the draft to approve) take `outcome`,
    `exemptions` and `response`; a refusal names an exemption (unless refused_cost, refused_vexatious
    or refused_repeated) and always has a response. `approve` and `return_for_changes` (with a `note`)
    are a manager's or an admin's, never the submitter's; after an approval `respond` sends the
    approved draft. `lapse` only from the date the request's deadline gives."""

    action: str
    on: date | None = None
    note: str | None = None
    assignee: str | None = None
    working_days: int | None = None
    outcome: str | None = None
    exemptions: list[str] | None = None
    response: str | None = None
    review_outcome: str | None = None


class DepartmentIn(Struct):
    name: str
    slug: str | None = None


class BulkIn(Struct):
    action: str  # assign | add_to_batch | withdraw | lapse
    references: list[str]
    dry_run: bool = False
    assignee: str | None = None
    batch_id: int | None = None
    on: date | None = None
    note: str | None = None
