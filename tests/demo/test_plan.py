"""The demo authority plan: deterministic, varied, and every history legal under the lifecycle."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.demo import DEMO_USERS, DemoAction, DemoRequest, build_demo_authority, demo_logins, final_status
from app.demo.corpus import THEMES
from app.domain.errors import DomainError, IllegalTransition
from app.domain.exemptions import normalise_exemption_codes
from app.domain.lifecycle import OPEN_STATUSES, Status, plan_action
from app.domain.outcomes import Channel, Outcome, ReviewOutcome
from app.domain.regimes import Regime

TODAY = date(2026, 3, 18)  # a Wednesday
OTHER_TODAYS = [date(2025, 12, 27), date(2026, 1, 1), date(2026, 3, 22), date(2024, 2, 29), date(2027, 6, 30)]
REQUESTER_DOMAINS = {"example.org", "example.com", "example.net"}
STAFF = {user.email for user in DEMO_USERS}


@pytest.fixture(scope="module")
def authority():
    return build_demo_authority(TODAY)


@pytest.fixture(scope="module")
def requests(authority):
    return authority.requests


def replay(request: DemoRequest) -> Status:
    """Independent of the module's own check: walk the lifecycle from `new`."""
    status = Status.NEW
    for action in request.actions:
        status = plan_action(
            status=status,
            regime=Regime(request.regime),
            action=action.action,
            params=action.params,
            received_on=request.received_at.date(),
            on=action.on,
        ).to_status
    return status


def responses(requests):
    return [(request, action) for request in requests for action in request.actions if action.action == "respond"]


def months_before(day: date, months: int) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    for day_of_month in range(day.day, 0, -1):
        try:
            return date(year, month0 + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def weekdays_between(start: date, end: date) -> int:
    return sum(1 for n in range(1, (end - start).days + 1) if (start + timedelta(days=n)).weekday() < 5)


# --- determinism and size ---------------------------------------------------------------------


def test_same_inputs_give_the_same_authority(authority):
    assert build_demo_authority(TODAY) == authority
    assert build_demo_authority(TODAY, 300, 2026) == authority


def test_the_result_does_not_depend_on_string_hashing():
    """Set or dict-of-str iteration order changes with PYTHONHASHSEED; the plan must not."""
    script = (
        "import hashlib, datetime; from app.demo import build_demo_authority; "
        "print(hashlib.sha256(repr(build_demo_authority(datetime.date(2026, 3, 18), 80)).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert len(digests) == 1


def test_another_seed_or_day_gives_another_authority(authority):
    assert build_demo_authority(TODAY, seed=7).requests != authority.requests
    assert build_demo_authority(TODAY + timedelta(days=1)).requests != authority.requests


@pytest.mark.parametrize("count", [0, 1, 25, 300, 450])
def test_count_is_respected(count):
    assert len(build_demo_authority(TODAY, count=count).requests) == count


def test_requests_are_in_order_of_receipt(requests):
    assert [r.received_at for r in requests] == sorted(r.received_at for r in requests)


# --- the lifecycle ----------------------------------------------------------------------------


def test_every_history_is_legal_and_final_status_agrees(requests):
    for request in requests:
        assert final_status(request) is replay(request)


def test_every_status_appears_several_times(requests):
    counts = Counter(replay(request) for request in requests)
    for status in Status:
        assert counts[status] >= 3, (status, counts)
    # the bulk of an 18-month caseload is answered
    assert counts[Status.RESPONDED] > len(requests) / 2


def test_open_requests_are_a_minority_and_mostly_recent(requests):
    open_requests = [r for r in requests if replay(r) in OPEN_STATUSES and replay(r) is not Status.INTERNAL_REVIEW]
    assert 0.05 * len(requests) < len(open_requests) < 0.3 * len(requests)
    ages = sorted(weekdays_between(r.received_at.date(), TODAY) for r in open_requests)
    assert ages[len(ages) // 2] <= 25  # the median open request is less than about five weeks old


def test_every_outcome_appears(requests):
    outcomes = Counter(action.params["outcome"] for _, action in responses(requests))
    assert set(outcomes) == {outcome.value for outcome in Outcome}
    assert outcomes[Outcome.GRANTED_IN_FULL] == max(outcomes.values())


def test_every_review_outcome_appears(requests):
    reviews = {a.params["review_outcome"] for r in requests for a in r.actions if a.action == "complete_internal_review"}
    assert reviews == {outcome.value for outcome in ReviewOutcome}


def test_exemptions_are_valid_for_the_regime_and_fit_the_outcome(requests):
    for request, action in responses(requests):
        codes = action.params["exemptions"]
        assert normalise_exemption_codes(codes, Regime(request.regime)) == codes
        outcome = Outcome(action.params["outcome"])
        if outcome.withholds_information:
            assert codes, (request.title, outcome)
        if outcome in (Outcome.GRANTED_IN_FULL, Outcome.NOT_HELD):
            assert codes == []
        assert action.params["response"].startswith("Dear ")


def test_procedural_refusals_are_not_used_under_the_eir(requests):
    for request, action in responses(requests):
        if request.regime == Regime.EIR:
            assert action.params["outcome"] not in {"refused_cost", "refused_vexatious", "refused_repeated"}


def test_regime_only_actions_respect_their_regime(requests):
    pit = [r for r in requests if any(a.action == "extend_pit" for a in r.actions)]
    eir = [r for r in requests if any(a.action == "extend_eir" for a in r.actions)]
    assert len(pit) >= 3 and len(eir) >= 3
    assert {r.regime for r in pit} == {"foia"}
    assert {r.regime for r in eir} == {"eir"}
    for request in pit:
        for action in request.actions:
            if action.action == "extend_pit":
                assert action.params["working_days"] in (10, 20)


def test_the_whole_range_of_actions_is_used(requests):
    actions = Counter(a.action for r in requests for a in r.actions)
    for name in (
        "assign",
        "start",
        "note",
        "request_clarification",
        "receive_clarification",
        "issue_fee_notice",
        "receive_fee",
        "extend_pit",
        "extend_eir",
        "submit_for_approval",
        "approve",
        "respond",
        "withdraw",
        "lapse",
        "request_internal_review",
        "complete_internal_review",
    ):
        assert actions[name] >= 3, name
    for request in requests:
        for action in request.actions:
            if action.action == "assign":
                assert action.params["assignee"] in {u.email for u in DEMO_USERS if u.role == "officer"}
            if action.action in ("approve", "complete_internal_review"):
                assert action.actor == "manager@demo.example"


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize("today", [TODAY, *OTHER_TODAYS])
def test_dates_are_ordered_within_the_window_and_not_in_the_future(today):
    authority = build_demo_authority(today)
    start = months_before(today, 18)
    for request in authority.requests:
        received_at = request.received_at
        assert received_at.tzinfo is not None and received_at.tzinfo.key == "Europe/London"
        assert start < received_at.date() < today
        previous = received_at.date()
        for action in request.actions:
            assert previous <= action.on <= today, (request.title, action)
            assert action.on.weekday() < 5
            previous = action.on
        replay(request)


def test_christmas_day_is_not_a_working_day(requests):
    for request in requests:
        for action in request.actions:
            assert (action.on.month, action.on.day) not in {(12, 25), (12, 26), (1, 1)}


def test_requests_arrive_mostly_in_office_hours_and_at_weekends_only_by_web(requests):
    weekend = [r for r in requests if r.received_at.weekday() >= 5]
    assert 0 < len(weekend) < len(requests) * 0.15
    assert {r.channel for r in weekend} == {"web"}
    for request in requests:
        assert request.channel in {c.value for c in Channel}
        if request.channel != "web":
            assert (8, 30) <= (request.received_at.hour, request.received_at.minute) <= (17, 30)


def test_timeliness_looks_like_a_real_authority(requests):
    late = on_time = 0
    for request in requests:
        clock, allowed, notice, paused = request.received_at.date(), 20, None, 0
        for action in request.actions:
            if action.action == "receive_clarification":
                clock = action.on
            elif action.action == "issue_fee_notice":
                notice = action.on
            elif action.action == "receive_fee":
                paused += weekdays_between(notice - timedelta(days=1), action.on)
            elif action.action == "extend_pit":
                allowed = 20 + action.params["working_days"]
            elif action.action == "extend_eir":
                allowed = 40
            elif action.action == "respond":
                taken = weekdays_between(clock, action.on) - paused
                late, on_time = (late + 1, on_time) if taken > allowed else (late, on_time + 1)
    assert 0.05 < late / (late + on_time) < 0.3


def test_some_open_requests_are_overdue_and_some_fall_due_this_week(requests):
    running = [
        r
        for r in requests
        if replay(r) in (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_APPROVAL)
        and not any(a.action in ("receive_clarification", "extend_pit", "extend_eir") for a in r.actions)
    ]
    ages = [weekdays_between(r.received_at.date(), TODAY) for r in running]
    assert 2 <= sum(1 for age in ages if age > 30) <= 12
    assert sum(1 for age in ages if 15 <= age <= 20) >= 2


# --- people and text ----------------------------------------------------------------------------


def test_logins_and_roles(authority):
    roles = Counter(user.role for user in authority.users)
    assert roles == {"officer": 2, "manager": 1, "admin": 1}
    assert demo_logins() == [(u.email, u.password, u.role) for u in authority.users]
    for user in authority.users:
        assert user.email.endswith("@demo.example")
        assert len(user.password) >= 10 and user.password.startswith("demo-")


def test_departments_are_used_and_known(authority):
    slugs = {d.slug for d in authority.departments}
    assert len(slugs) == 3
    assert {r.department for r in authority.requests} == slugs


def test_emails_are_only_on_example_domains(requests):
    for request in requests:
        assert request.created_by in STAFF
        if request.requester_email is not None:
            local, _, domain = request.requester_email.partition("@")
            assert local and domain in REQUESTER_DOMAINS, request.requester_email
        for action in request.actions:
            assert action.actor in STAFF
    emails_in_text = {m for r in requests for m in re.findall(r"[\w.+-]+@[\w.-]+", r.body)}
    assert all(e.split("@")[1] in REQUESTER_DOMAINS | {"demo.example"} for e in emails_in_text)


def test_requesters_look_real(requests):
    postcode = re.compile(r", [A-Z]{1,2}\d{1,2} \d[A-Z]{2}$")
    without_email = [r for r in requests if r.requester_email is None]
    assert without_email and all(r.channel == "post" and r.requester_address for r in without_email)
    for request in requests:
        assert len(request.requester_name.split()) >= 2
        if request.requester_address is not None:
            assert postcode.search(request.requester_address), request.requester_address
    assert len({r.requester_name for r in requests}) > len(requests) * 0.7


def test_regimes_are_mixed_in_realistic_shares(requests):
    shares = Counter(r.regime for r in requests)
    assert set(shares) == {"foia", "eir", "foisa", "eisr"}
    assert 0.12 * len(requests) <= shares["eir"] <= 0.3 * len(requests)
    assert 0.02 * len(requests) <= shares["foisa"] <= 0.1 * len(requests)
    assert 1 <= shares["eisr"] <= 0.05 * len(requests)
    for request in requests:
        law = {
            "foia": "Freedom of Information Act",
            "eir": "Environmental Information Regulations",
            "foisa": "Freedom of Information (Scotland) Act",
            "eisr": "Environmental Information (Scotland) Regulations",
        }[request.regime]
        assert (
            law in request.body
            or (request.regime == "eir" and "EIR" in request.body)
            or (request.regime == "eisr" and "EIRs (Scotland)" in request.body)
            or "FOISA" in request.body
        )


def test_titles_are_varied(requests):
    assert len({r.title for r in requests}) >= 60
    assert len(THEMES) >= 60
    assert len({r.body for r in requests}) == len(requests)


def test_no_placeholder_is_left_unfilled(requests):
    for request in requests:
        texts = [
            request.title,
            request.body,
            *(a.note or "" for a in request.actions),
            *(a.params.get("response", "") for a in request.actions),
        ]
        for text in texts:
            assert "{" not in text and "}" not in text, text
        assert 0 < len(request.title) <= 300


# --- the safety net ---------------------------------------------------------------------------


def test_an_impossible_history_is_refused():
    received = datetime(2026, 1, 5, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    bad = DemoRequest(
        regime="foisa",
        title="t",
        body="b",
        received_at=received,
        channel="email",
        department="corporate-services",
        requester_name="A B",
        requester_email="a@example.org",
        requester_address=None,
        created_by="officer@demo.example",
        actions=(
            DemoAction("start", date(2026, 1, 5), "officer@demo.example", {}, None),
            DemoAction("extend_pit", date(2026, 1, 6), "officer@demo.example", {"working_days": 20}, None),
        ),
    )
    with pytest.raises(IllegalTransition):
        final_status(bad)
    early = DemoRequest(**{**bad.__dict__, "actions": (DemoAction("start", date(2026, 1, 2), "officer@demo.example"),)})
    with pytest.raises(DomainError):
        final_status(early)
