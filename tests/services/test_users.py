"""API tokens as the services keep them: named, expiring (a default lifetime, or fewer days chosen),
refused saying why (unknown, revoked, expired), listed without the token, revoked by owner or admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from app.domain.errors import InvalidInput, NotFound
from app.services import users as user_service
from app.services.clock import now_utc
from app.services.users import TokenRefused, TokenState
from tests.factories import Staff


async def test_a_token_is_named_and_expires(staff: Staff, sessions) -> None:
    async with sessions.write.begin() as db:
        with pytest.raises(InvalidInput, match="give the token a name"):
            await user_service.create_token(db, staff.officer.email, "   ")
        with pytest.raises(InvalidInput, match="a token can last from 1 to 30 days"):
            await user_service.create_token(db, staff.officer.email, "script", days=31, lifetime_days=30)
        with pytest.raises(InvalidInput, match="enter the number of days"):
            await user_service.create_token(db, staff.officer.email, "script", days="soon")
        with pytest.raises(InvalidInput, match=r"^Token name must be 100 characters or fewer$"):
            await user_service.create_token(db, staff.officer.email, "x" * 101)
        await user_service.create_token(db, staff.officer.email, "  Default   lifetime ", lifetime_days=30)
        await user_service.create_token(db, staff.officer.email, "A week", days="7")
    async with sessions.read() as db:
        tokens = {t.label: t for t in await user_service.list_tokens(db, user_id=staff.officer.id)}
    assert set(tokens) == {"Default lifetime", "A week"}
    for label, days in (("Default lifetime", 30), ("A week", 7)):
        lasts = tokens[label].expires_at - tokens[label].created_at
        assert lasts == timedelta(days=days)
        assert tokens[label].state is TokenState.ACTIVE and tokens[label].last_used_at is None


async def test_a_token_is_refused_saying_why(staff: Staff, sessions) -> None:
    async with sessions.write.begin() as db:
        token = await user_service.create_token(db, staff.officer.email, "script", days=1)
        second = await user_service.create_token(db, staff.officer.email, "other")
    async with sessions.read() as db:
        user, _, stale = await user_service.user_for_token(db, token)
        assert user.id == staff.officer.id and stale
        with pytest.raises(TokenRefused, match=r"^the API token is not valid$"):
            await user_service.user_for_token(db, "foi_unknown")
    with time_machine.travel(now_utc() + timedelta(days=1, seconds=1), tick=False):
        async with sessions.read() as db:
            with pytest.raises(TokenRefused, match="has expired"):
                await user_service.user_for_token(db, token)
    async with sessions.write.begin() as db:
        [view] = [t for t in await user_service.list_tokens(db) if t.label == "other"]
        await user_service.revoke_token(db, view.id, by=staff.officer)
    async with sessions.read() as db:
        with pytest.raises(TokenRefused, match="was revoked"):
            await user_service.user_for_token(db, second)
    async with sessions.write.begin() as db:
        await user_service.set_active(db, staff.officer.id, False)
    async with sessions.read() as db:
        with pytest.raises(TokenRefused, match=r"^the API token is not valid$"):
            await user_service.user_for_token(db, token)


async def test_who_may_revoke(staff: Staff, sessions) -> None:
    async with sessions.write.begin() as db:
        await user_service.create_token(db, staff.officer.email, "olivia's")
    async with sessions.read() as db:
        [token] = await user_service.list_tokens(db)
    for someone_else in (staff.other_officer, staff.manager):
        async with sessions.write.begin() as db:
            with pytest.raises(NotFound):
                await user_service.revoke_token(db, token.id, by=someone_else)
    async with sessions.write.begin() as db:
        await user_service.revoke_token(db, token.id, by=staff.admin)
    async with sessions.write.begin() as db:
        again = await user_service.revoke_token(db, token.id, by=staff.officer)  # already revoked: unchanged
    async with sessions.read() as db:
        [view] = await user_service.list_tokens(db)
    assert view.state is TokenState.REVOKED and view.revoked_by_name == staff.admin.name
    assert again.revoked_at == view.revoked_at


async def test_ending_someones_sessions_leaves_everyone_elses(staff: Staff, sessions) -> None:
    """Sessions as the app stores them (store_items, namespace "sessions", JSON): signed in, or waiting
    for the code after the password; other rows and other people's sessions are left."""
    from sqlalchemy import select

    from app.models import StoreItem

    rows = {
        "signed-in": b'{"user_id": %d, "csrf_digest": "x"}' % staff.officer.id,
        "waiting": b'{"two_factor_pending": {"user_id": %d, "wrong": 0}}' % staff.officer.id,
        "someone-else": b'{"user_id": %d}' % staff.other_officer.id,
        "not-json": b"\x00\xff",
    }
    async with sessions.write.begin() as db:
        later = now_utc() + timedelta(hours=1)
        db.add_all([StoreItem(key=k, namespace=user_service.SESSION_NAMESPACE, value=v, expires_at=later) for k, v in rows.items()])
        db.add(StoreItem(key="signed-in", namespace="rate_limit", value=rows["signed-in"], expires_at=later))
    async with sessions.write.begin() as db:
        assert await user_service.end_sessions(db, staff.officer.id) == 2
    async with sessions.read() as db:
        left = set((await db.execute(select(StoreItem.namespace, StoreItem.key))).all())
    assert left == {("sessions", "someone-else"), ("sessions", "not-json"), ("rate_limit", "signed-in")}
