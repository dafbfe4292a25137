"""API tokens: an expired or revoked token gets a 401 saying which (never whose); tokens are listed with
their last use and revoked by their owner or an admin, never by another officer (the pages:
tests/web/test_account_pages.py)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from litestar.testing import AsyncTestClient

from app.services import users as user_service
from app.services.clock import now_utc
from tests.factories import Staff, bearer, token_for


async def test_an_expired_token_is_refused_saying_so(client: AsyncTestClient, staff: Staff, sessions) -> None:
    async with sessions.write.begin() as db:
        token = await user_service.create_token(db, staff.officer.email, "nightly export", days=2)
    assert (await client.get("/api/v1/departments", headers=bearer(token))).status_code == 200
    with time_machine.travel(now_utc() + timedelta(days=2, minutes=1), tick=False):
        expired = await client.get("/api/v1/departments", headers=bearer(token))
    assert expired.status_code == 401
    assert expired.json()["detail"] == "the API token has expired: ask for a new one"
    assert staff.officer.email not in expired.text and staff.officer.name not in expired.text
    unknown = await client.get("/api/v1/departments", headers=bearer("foi_not-a-token"))
    assert unknown.status_code == 401 and unknown.json()["detail"] == "the API token is not valid"


async def test_the_owner_lists_and_revokes_a_token(client: AsyncTestClient, staff: Staff, sessions) -> None:
    token = await token_for(sessions, staff.officer)
    other = await token_for(sessions, staff.other_officer)
    mine = await client.get("/api/v1/tokens", headers=bearer(token))
    assert mine.status_code == 200
    listed = mine.json()
    assert [t["owner"]["name"] for t in listed] == [staff.officer.name]  # an officer sees their own only
    assert listed[0]["label"] == "test" and listed[0]["state"] == "active"
    assert listed[0]["last_used_at"] is not None  # this very call used it
    assert "token" not in listed[0] and "token_hash" not in listed[0]

    # another officer's token is not found to them, and is not revoked
    others = await client.get("/api/v1/tokens", headers=bearer(other))
    refused = await client.delete(f"/api/v1/tokens/{listed[0]['id']}", headers=bearer(other))
    assert refused.status_code == 404
    assert (await client.get("/api/v1/departments", headers=bearer(token))).status_code == 200

    revoked = await client.delete(f"/api/v1/tokens/{others.json()[0]['id']}", headers=bearer(other))
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    after = await client.get("/api/v1/departments", headers=bearer(other))
    assert after.status_code == 401 and after.json()["detail"] == "the API token was revoked: ask for a new one"


async def test_an_admin_lists_everyones_tokens_and_revokes_any(client: AsyncTestClient, staff: Staff, sessions) -> None:
    officer_token = await token_for(sessions, staff.officer)
    admin_token = await token_for(sessions, staff.admin)
    everyone = (await client.get("/api/v1/tokens", headers=bearer(admin_token))).json()
    assert {t["owner"]["name"] for t in everyone} == {staff.officer.name, staff.admin.name}
    officers = next(t for t in everyone if t["owner"]["name"] == staff.officer.name)
    assert officers["last_used_at"] is None  # never used yet
    answer = await client.delete(f"/api/v1/tokens/{officers['id']}", headers=bearer(admin_token))
    assert answer.status_code == 200 and answer.json()["revoked_at"] is not None
    assert (await client.get("/api/v1/tokens", headers=bearer(officer_token))).status_code == 401
    missing = await client.delete("/api/v1/tokens/999999", headers=bearer(admin_token))
    assert missing.status_code == 404
