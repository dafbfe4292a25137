"""A page shows a confirmation from its address only when the app put it there: a link with words of
someone else's never appears as the app's own green banner."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from litestar.testing import AsyncTestClient

from tests.factories import Staff, bearer, csrf_headers, new_request_body, sign_in, token_for

FORGED = "Your password has expired. Call IT on 0800 000 0000"


async def test_a_confirmation_written_into_a_link_is_not_shown(client: AsyncTestClient, staff: Staff) -> None:
    await sign_in(client, staff.officer)
    for path in ("/staff/account", "/staff/requests", f"/staff/account?done={FORGED}&sig=0123456789abcdef0123456789abcdef"):
        page = await client.get(path if "?" in path else f"{path}?done={FORGED}&problem={FORGED}")
        assert page.status_code == 200
        assert "Your password has expired" not in page.text, path


async def test_the_apps_own_confirmation_is_signed_and_shown(client: AsyncTestClient, staff: Staff, sessions) -> None:
    reference = (
        await client.post("/api/v1/requests", json=new_request_body(), headers=bearer(await token_for(sessions, staff.officer)))
    ).json()["reference"]
    await sign_in(client, staff.officer)
    stepped = await client.post(
        f"/staff/requests/{reference}/actions",
        data={"action": "note", "note": "Called the team"},
        headers=csrf_headers(client),
        follow_redirects=False,
    )
    assert stepped.status_code == 303
    address = urlsplit(stepped.headers["location"])
    carried = parse_qs(address.query)
    assert "done" in carried and len(carried["sig"][0]) == 32 and address.fragment == "timeline"
    page = await client.get(stepped.headers["location"])
    assert carried["done"][0] in page.text.replace("&#39;", "'")
    # the same words with another's signature, or changed under the app's: not shown
    tampered = stepped.headers["location"].replace("done=", "done=Not+", 1)
    assert "Not " + carried["done"][0] not in (await client.get(tampered)).text
