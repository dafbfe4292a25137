"""The rules of two-factor codes: a code of the current step or one either side is taken, never one
at or before the last step taken; recovery codes are long, unambiguous and read however typed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.domain import two_factor as rules

NOW = datetime(2026, 12, 6, 9, 30, 10, tzinfo=UTC)
STEP = timedelta(seconds=rules.STEP_SECONDS)


def test_a_code_within_a_step_either_side_is_taken_once() -> None:
    secret = rules.new_secret()
    now_step = rules.time_step(NOW)
    assert rules.matching_step(secret, rules.code_at(secret, NOW), NOW, None) == now_step
    assert rules.matching_step(secret, rules.code_at(secret, NOW - STEP), NOW, None) == now_step - 1
    assert rules.matching_step(secret, rules.code_at(secret, NOW + STEP), NOW, None) == now_step + 1
    assert rules.matching_step(secret, rules.code_at(secret, NOW - 2 * STEP), NOW, None) is None  # too old
    # replay: the step already taken, or an older one, is refused
    assert rules.matching_step(secret, rules.code_at(secret, NOW), NOW, now_step) is None
    assert rules.matching_step(secret, rules.code_at(secret, NOW - STEP), NOW, now_step) is None
    assert rules.matching_step(secret, rules.code_at(secret, NOW + STEP), NOW, now_step) == now_step + 1


def test_a_code_taken_already_is_told_apart_from_a_wrong_one() -> None:
    secret = rules.new_secret()
    now_step = rules.time_step(NOW)
    code = rules.code_at(secret, NOW)
    assert rules.already_taken(secret, code, NOW, now_step)
    assert rules.already_taken(secret, rules.code_at(secret, NOW - STEP), NOW, now_step)
    assert not rules.already_taken(secret, code, NOW, None)  # nothing taken yet
    assert not rules.already_taken(secret, code, NOW, now_step - 1)  # not taken: it is good
    assert not rules.already_taken(secret, rules.code_at(secret, NOW - 2 * STEP), NOW, now_step)  # too old: wrong
    wrong = "000000" if code != "000000" else "111111"
    assert not rules.already_taken(secret, wrong, NOW, now_step)


def test_a_recovery_code_is_recognised_in_any_case_and_spacing() -> None:
    code = rules.new_recovery_codes(1)[0]
    for typed in (code, code.upper(), code.replace("-", " "), code.replace("-", "")):
        assert rules.looks_like_recovery_code(typed), typed
    for typed in ("", "123456", "123 456", "k7m2-q9xa-b3t", "k7m2-q9xa-b3to"):
        assert not rules.looks_like_recovery_code(typed), typed


def test_a_code_is_six_digits_spaces_allowed() -> None:
    secret = rules.new_secret()
    code = rules.code_at(secret, NOW)
    assert rules.matching_step(secret, f"{code[:3]} {code[3:]}", NOW, None) == rules.time_step(NOW)
    assert not rules.looks_like_code("12345") and not rules.looks_like_code("a-long-password")
    assert rules.looks_like_code("123 456")
    assert rules.matching_step(secret, "abcdef", NOW, None) is None


def test_the_code_is_rfc_6238s() -> None:
    # RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", at 59 s, gives 94287082 (8 digits; 6: 287082)
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert rules.code_at(secret, datetime.fromtimestamp(59, tz=UTC)) == "287082"


def test_the_secret_is_grouped_for_typing_and_carried_by_the_uri() -> None:
    secret = rules.new_secret()
    assert len(secret) == 32
    assert rules.grouped(secret).replace(" ", "") == secret and len(rules.grouped(secret).split()) == 8
    uri = rules.setup_uri(secret, "olivia@council.example", "Test Borough Council")
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri and "issuer=Test%20Borough%20Council" in uri


def test_recovery_codes() -> None:
    codes = rules.new_recovery_codes()
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert not set(code.replace("-", "")) & set("01ilo")  # nothing to misread
    code = codes[0]
    digest = rules.recovery_digest(7, code)
    assert rules.recovery_digest(7, code.upper().replace("-", " ")) == digest
    assert rules.recovery_digest(8, code) != digest  # bound to the account


def test_what_is_wrong_with_the_form_of_a_code() -> None:
    assert rules.code_problem("123 456") is None and rules.code_problem("123456") is None
    assert rules.code_problem("") == "Enter the 6-digit code from your authenticator app"
    for typed in ("12ab", "12345", "1234567", "١٢٣٤٥٦"):  # the last: Arabic-Indic digits, not the app's
        assert (rules.code_problem(typed) or "").startswith("The code must be 6 numbers, like 123456"), typed
    for made in rules.new_recovery_codes():
        assert rules.recovery_code_problem(made) is None and rules.recovery_code_problem(made.upper().replace("-", " ")) is None
    assert rules.recovery_code_problem(" ") == "Enter one of the recovery codes you kept when you set up two-factor authentication"
    for typed in ("abcd-efgh", "abcd-efgh-jkmn-p", "0000-0000-0000", "abcd efgh jkm!"):
        assert rules.recovery_code_problem(typed) == "A recovery code is 12 letters and numbers in 3 groups of 4, like k7m2-q9xa-b3td", (
            typed
        )
