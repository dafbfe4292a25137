"""Small builders for tests: staff accounts, signed-in clients, tokens, requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar.testing import AsyncTestClient

from app.models import User
from app.services import departments as department_service
from app.services import users as user_service

PASSWORD = "correct horse battery"


@dataclass
class Staff:
    officer: User
    other_officer: User
    manager: User
    admin: User


async def make_staff(sessions: Any) -> Staff:
    async with sessions.write.begin() as db:
        officer = await user_service.create_user(
            db, email="olivia.officer@council.example", name="Olivia Officer", role="officer", password=PASSWORD
        )
    async with sessions.write.begin() as db:
        other = await user_service.create_user(
            db, email="omar.officer@council.example", name="Omar Officer", role="officer", password=PASSWORD
        )
    async with sessions.write.begin() as db:
        manager = await user_service.create_user(
            db, email="mina.manager@council.example", name="Mina Manager", role="manager", password=PASSWORD
        )
    async with sessions.write.begin() as db:
        admin = await user_service.create_user(db, email="ada.admin@council.example", name="Ada Admin", role="admin", password=PASSWORD)
    async with sessions.write.begin() as db:
        await department_service.create_department(db, name="Corporate Services", slug="corporate-services")
    async with sessions.write.begin() as db:
        await department_service.create_department(db, name="Environment and Highways", slug="environment-and-highways")
    return Staff(officer, other, manager, admin)


async def token_for(sessions: Any, user: User) -> str:
    async with sessions.write.begin() as db:
        return await user_service.create_token(db, user.email, "test")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def sign_in(client: AsyncTestClient, user: User, password: str = PASSWORD) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": user.email, "password": password, "next": "/staff/requests"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_headers(client: AsyncTestClient) -> dict[str, str]:
    return {"x-csrftoken": client.cookies.get("csrftoken", "")}


def new_request_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "regime": "foia",
        "title": "Spending on management consultants 2024/25",
        "body": "Please provide the total spent on management consultants in 2024/25, by supplier.",
        "received_on": date(2025, 9, 9).isoformat(),
        "channel": "email",
        "department": "corporate-services",
        "requester": {"name": "Rosa Requester", "email": "rosa@example.org", "address": "1 High Street, Anytown AB1 2CD"},
    }
    body.update(overrides)
    return body
