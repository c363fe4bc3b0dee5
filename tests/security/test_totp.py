import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from app.security.totp import match_step, new_secret, provisioning_uri, totp_code

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode()


def test_the_rfc_ascii_secret_is_this_base32_text():
    assert RFC_SECRET == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize(
    ("t", "code"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_codes_match_the_rfc_6238_sha1_vectors(t, code):
    assert totp_code(RFC_SECRET, t, digits=8) == code


def test_codes_match_the_rfc_4226_hotp_vectors_one_step_apart():
    expected = [
        "755224",
        "287082",
        "359152",
        "969429",
        "338314",
        "254676",
        "287922",
        "162583",
        "399871",
        "520489",
    ]
    assert [totp_code(RFC_SECRET, 30 * counter) for counter in range(10)] == expected


def test_a_secret_is_accepted_in_lower_case_with_spaces():
    assert totp_code(RFC_SECRET.lower()[:16] + " " + RFC_SECRET.lower()[16:], 59, digits=8) == "94287082"


def test_a_code_changes_exactly_at_the_step_boundary():
    assert totp_code(RFC_SECRET, 29) == totp_code(RFC_SECRET, 0) == "755224"
    assert totp_code(RFC_SECRET, 30) == totp_code(RFC_SECRET, 59) == "287082"


@pytest.mark.parametrize("now", [29, 30, 31, 59, 60, 89])
def test_a_code_is_accepted_one_step_either_side_and_its_step_is_returned(now):
    code_step_1 = totp_code(RFC_SECRET, 30)
    assert match_step(RFC_SECRET, code_step_1, now) == 1


@pytest.mark.parametrize(("code_time", "now"), [(30, 90), (30, 119), (60, 0), (90, 29)])
def test_a_code_two_or_more_steps_away_is_refused(code_time, now):
    assert match_step(RFC_SECRET, totp_code(RFC_SECRET, code_time), now) is None


def test_a_window_of_zero_accepts_only_the_current_step():
    assert match_step(RFC_SECRET, totp_code(RFC_SECRET, 30), 30, window=0) == 1
    assert match_step(RFC_SECRET, totp_code(RFC_SECRET, 30), 60, window=0) is None


def test_the_returned_step_lets_a_caller_refuse_a_replayed_code():
    code = totp_code(RFC_SECRET, 1111111109)
    last_used = match_step(RFC_SECRET, code, 1111111109)
    replay = match_step(RFC_SECRET, code, 1111111120)
    assert replay is not None and replay <= last_used  # the caller refuses: step not greater


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "７５５２２４"])
def test_malformed_codes_never_match(code):
    assert match_step(RFC_SECRET, code, 0) is None


def test_a_code_with_surrounding_spaces_matches():
    assert match_step(RFC_SECRET, " 755224 ", 0) == 0


def test_a_new_secret_is_20_random_bytes_in_base32():
    secret = new_secret()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20
    assert secret != new_secret()


def test_the_provisioning_uri_follows_the_key_uri_format():
    parts = urlsplit(provisioning_uri(RFC_SECRET, "alice@example.com"))
    assert (parts.scheme, parts.netloc, parts.path) == ("otpauth", "totp", "/yss:alice%40example.com")
    query = parse_qs(parts.query)
    assert query["secret"] == [RFC_SECRET] and query["issuer"] == ["yss"]
    assert query.get("algorithm", ["SHA1"]) == ["SHA1"] and query.get("digits", ["6"]) == ["6"]
    assert query.get("period", ["30"]) == ["30"]


def test_the_provisioning_uri_percent_encodes_chinese_and_spaces():
    uri = provisioning_uri(RFC_SECRET, "王 五", issuer="粤省事")
    parts = urlsplit(uri)
    assert parts.path == "/%E7%B2%A4%E7%9C%81%E4%BA%8B:%E7%8E%8B%20%E4%BA%94"
    assert parse_qs(parts.query)["issuer"] == ["粤省事"]
