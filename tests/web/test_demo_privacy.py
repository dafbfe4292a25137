"""The demo authority, as `make run` loads it, names no requester on its public log: no given name,
no surname, on any disclosure page, batch page, feed or API answer, and a search for any of them
finds nothing."""

from __future__ import annotations

import html
import re
from datetime import date
from zoneinfo import ZoneInfo

import time_machine
from litestar.testing import AsyncTestClient
from sqlalchemy import select

from app.config import Settings
from app.models import FoiRequest, Requester
from app.services.demo import load_demo_authority
from app.services.files.storage import ContentStore

LONDON = ZoneInfo("Europe/London")


@time_machine.travel("2026-11-23 12:00 +00:00", tick=False)
async def test_the_demo_log_names_no_requester(client: AsyncTestClient, sessions, settings: Settings) -> None:
    async with sessions.write.begin() as db:
        result = await load_demo_authority(db, LONDON, today=date(2026, 11, 23), store=ContentStore(settings.storage_dir))
    assert result.published > 100
    async with sessions.read() as db:
        rows = (
            await db.execute(
                select(FoiRequest.reference, Requester.name)
                .join(Requester, Requester.id == FoiRequest.requester_id)
                .where(FoiRequest.publication_state == "published")
            )
        ).all()
    words = sorted({word for _, name in rows for word in re.findall(r"[A-Za-z][A-Za-z'-]+", name) if len(word) > 2})
    assert len(words) > 20

    pages = ["/", "/disclosures", "/disclosures.atom", "/batches/older-responses"]
    for page in range(1, 12):
        pages += [f"/disclosures?page={page}", f"/api/v1/disclosures?page={page}"]
    for reference, _ in rows:
        pages += [f"/disclosures/{reference}", f"/api/v1/disclosures/{reference}"]
    bodies = []
    for page in pages:
        response = await client.get(page)
        assert response.status_code in (200, 404), (page, response.status_code)
        bodies.append(html.unescape(response.text))
    everything = "\n".join(bodies)
    found = [word for word in words if re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", everything, re.IGNORECASE)]
    assert found == [], f"requesters' names on the public log: {found}"

    for word in words:
        answer = await client.get("/api/v1/disclosures", params={"q": word})
        assert answer.status_code == 200
        assert answer.json()["items"] == [], (word, [item["reference"] for item in answer.json()["items"]])
