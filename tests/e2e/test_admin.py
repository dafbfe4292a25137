"""Admin pages: adding staff accounts, with messages beside the fields when something is wrong."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer, Pages, screenshot

pytestmark = pytest.mark.e2e


def test_admin_adds_a_user_and_bad_email_is_explained(pages: Pages, live_server: LiveServer) -> None:
    page = pages.new("admin")
    page.goto(live_server.url("/staff/requests"))
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    table = page.get_by_role("table", name="Staff accounts")
    expect(table).to_contain_text("admin@test.example")
    rows_before = table.locator("tbody tr").count()

    form = page.locator("form.form")
    form.get_by_label("Full name").fill("Nadia New")
    form.get_by_label("Email address").fill("not-an-email")
    form.get_by_label("Role").select_option("officer")
    form.get_by_label("Password").fill("a-long-enough-password")
    with page.expect_navigation() as navigation:
        form.get_by_role("button", name="Add user").click()
    assert navigation.value.status == 422
    error = page.locator("#user-email-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.locator("#user-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#user-email")).to_have_attribute("aria-describedby", "user-email-error")
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Nadia New")
    expect(page.get_by_label("Email address")).to_have_value("not-an-email")
    expect(table.locator("tbody tr")).to_have_count(rows_before)
    screenshot(page, "admin-users-error")

    page.get_by_label("Email address").fill("nadia.new@test.example")
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("status")).to_have_text("Account created for Nadia New")
    expect(table.locator("tbody tr")).to_have_count(rows_before + 1)
    new_row = table.locator("tbody tr").filter(has_text="nadia.new@test.example")
    expect(new_row).to_contain_text("Nadia New")
    expect(new_row).to_contain_text("Officer")
    expect(new_row).to_contain_text("Active")
    screenshot(page, "admin-users")

    # the same email again is refused beside the field
    page.get_by_label("Full name").fill("Nadia Again")
    page.get_by_label("Email address").fill("nadia.new@test.example")
    page.get_by_label("Password").fill("a-long-enough-password")
    page.get_by_role("button", name="Add user").click()
    expect(page.locator("#user-email-error")).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(rows_before + 1)

    # the new officer can sign in
    officer = pages.new()
    officer.goto(live_server.url("/login"))
    officer.get_by_label("Email address").fill("nadia.new@test.example")
    officer.get_by_label("Password").fill("a-long-enough-password")
    officer.get_by_role("button", name="Sign in").click()
    expect(officer.locator(".signed-in")).to_have_text("Signed in as Nadia New (officer)")


def test_deactivating_someone_asks_first_without_javascript(pages: Pages, live_server: LiveServer) -> None:
    """The Users page acts at no single click that locks someone out: Deactivate leads to a question
    (a plain page and form, so it works without JavaScript), Cancel goes back with nothing changed."""
    page = pages.new("admin", javascript=False)
    page.goto(live_server.url("/staff/admin/users"))
    form = page.locator("form.form")
    form.get_by_label("Full name").fill("Dina Leaving")
    form.get_by_label("Email address").fill("dina.leaving@test.example")
    form.get_by_label("Role").select_option("officer")
    form.get_by_label("Password").fill("a-long-enough-password")
    form.get_by_role("button", name="Add user").click()
    row = page.get_by_role("table", name="Staff accounts").locator("tbody tr").filter(has_text="dina.leaving@test.example")
    expect(row).to_contain_text("Active")

    row.get_by_role("link", name="Deactivate Dina Leaving").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to deactivate Dina Leaving?")
    expect(page.get_by_role("main")).to_contain_text("Dina Leaving is signed out everywhere at once")
    screenshot(page, "admin-deactivate-question")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    expect(row).to_contain_text("Active")

    row.get_by_role("link", name="Deactivate Dina Leaving").click()
    page.get_by_role("button", name="Yes, deactivate Dina Leaving").click()
    expect(page.get_by_role("status")).to_have_text("Dina Leaving deactivated and signed out everywhere")
    expect(row).to_contain_text("Deactivated")
    expect(row.get_by_role("button", name="Reactivate Dina Leaving")).to_be_visible()
