"""A file over the upload limit (50 MB here, FOI_MAX_UPLOAD_MB's default): with JavaScript it is refused
as soon as it is chosen, naming the limit, and nothing is sent; without JavaScript the browser sends it and
gets the server's page in the site's design naming the limit, with a way back to the form.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e

OVER_THE_LIMIT = 60 * 1024 * 1024


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("uploads") / "council-minutes-scan.pdf"
    with open(path, "wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(OVER_THE_LIMIT)  # sparse: 60 MB to the browser, nothing on the disk
    return path


def open_upload_form(page: Any) -> Any:
    panel = page.locator("#documents details.action")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()
    expect(panel.get_by_label("File")).to_be_visible()
    return panel


@pytest.mark.parametrize("width", [1280, 390])
def test_with_javascript_a_file_over_the_limit_is_refused_before_sending(
    pages: Pages, live_server: LiveServer, big_file: Path, width: int
) -> None:
    reference = live_server.create_request(f"Winter maintenance contracts ({width})")["reference"]
    page = pages.new("officer", width=width)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    page.goto(live_server.url(f"/staff/requests/{reference}#documents"))
    panel = open_upload_form(page)
    panel.get_by_label("File").set_input_files(str(big_file))
    problem = panel.get_by_role("alert")
    expect(problem).to_have_text("The file must be smaller than 50 MB")
    expect(panel.get_by_label("File")).to_have_attribute("aria-invalid", "true")
    panel.get_by_role("button", name="Upload").click()
    expect(problem).to_have_text("The file must be smaller than 50 MB")
    expect(panel.get_by_label("File")).to_be_focused()
    expect(panel.locator(".upload-progress")).to_be_hidden()
    screenshot(page, f"upload-too-large-js-{width}")
    assert not [url for url in sent if url.endswith("/documents")]  # nothing was sent
    with live_server.api() as client:
        assert client.get(f"/api/v1/requests/{reference}/documents").json() == []


@pytest.mark.parametrize("width", [1280, 390])
def test_without_javascript_a_file_over_the_limit_gets_a_page_naming_the_limit(
    pages: Pages, live_server: LiveServer, big_file: Path, width: int
) -> None:
    reference = live_server.create_request(f"Street lighting repairs ({width})")["reference"]
    page = pages.new("officer", javascript=False, width=width)
    page.goto(live_server.url(f"/staff/requests/{reference}#documents"))
    panel = open_upload_form(page)
    panel.get_by_label("File").set_input_files(str(big_file))
    panel.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The file is too large")
    expect(page.locator("main")).to_contain_text("The file must be smaller than 50 MB.")
    expect(page.locator("main")).to_contain_text("Nothing was saved.")
    screenshot(page, f"upload-too-large-no-js-{width}")
    page.get_by_role("link", name="Go back to the form").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Street lighting repairs")
    with live_server.api() as client:
        assert client.get(f"/api/v1/requests/{reference}/documents").json() == []
