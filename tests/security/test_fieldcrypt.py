import base64
import hashlib
import hmac
import re

import pytest

from app.security.fieldcrypt import FieldCipher, FieldDecryptionError, blind_index

K1 = bytes(range(32))
K2 = bytes(range(32, 64))
INDEX_KEY = b"i" * 32


def test_a_value_encrypted_for_a_column_decrypts_back_in_that_column():
    cipher = FieldCipher({"v1": K1}, current="v1")
    token = cipher.encrypt("13800138000", "account.phone")
    assert re.fullmatch(r"v1\$[A-Za-z0-9_=-]+", token)
    assert cipher.decrypt(token, "account.phone") == "13800138000"


def test_the_token_layout_is_version_then_nonce_ciphertext_and_tag_with_the_context_as_aad():
    # NIST GCM test case 14: AES-256, zero key, zero IV, 16 zero bytes, no AAD.
    ct = bytes.fromhex("cea7403d4d606b6e074ec5d3baf39d18")
    tag = bytes.fromhex("d0d1c8a799996bf0265b98b5d48ab919")
    token = "v0$" + base64.urlsafe_b64encode(bytes(12) + ct + tag).decode()
    cipher = FieldCipher({"v0": bytes(32)}, current="v0")
    assert cipher.decrypt(token, "") == "\x00" * 16
    with pytest.raises(FieldDecryptionError):
        cipher.decrypt(token, "account.phone")


def test_encrypting_the_same_value_twice_gives_different_tokens():
    cipher = FieldCipher({"v1": K1}, current="v1")
    assert cipher.encrypt("张三", "person.name") != cipher.encrypt("张三", "person.name")


def test_a_ciphertext_moved_to_another_column_does_not_decrypt():
    cipher = FieldCipher({"v1": K1}, current="v1")
    token = cipher.encrypt("440106199001011235", "person.id_number")
    with pytest.raises(FieldDecryptionError):
        cipher.decrypt(token, "account.phone")


def test_a_tampered_token_does_not_decrypt():
    cipher = FieldCipher({"v1": K1}, current="v1")
    token = cipher.encrypt("secret", "c")
    raw = bytearray(base64.urlsafe_b64decode(token.split("$")[1]))
    raw[15] ^= 1
    tampered = "v1$" + base64.urlsafe_b64encode(bytes(raw)).decode()
    with pytest.raises(FieldDecryptionError):
        cipher.decrypt(tampered, "c")


@pytest.mark.parametrize("token", ["v9$AAAA", "no-dollar", "v1$not base64!", "v1$AAAA", ""])
def test_unknown_versions_and_malformed_tokens_raise_the_decryption_error(token):
    with pytest.raises(FieldDecryptionError):
        FieldCipher({"v1": K1}, current="v1").decrypt(token, "c")


def test_a_token_under_an_old_key_is_rotated_to_the_current_key():
    old = FieldCipher({"v1": K1}, current="v1")
    new = FieldCipher({"v1": K1, "v2": K2}, current="v2")
    token = old.encrypt("13800138000", "account.phone")
    assert new.needs_rotation(token)
    rotated = new.rotate(token, "account.phone")
    assert rotated.startswith("v2$")
    assert not new.needs_rotation(rotated)
    assert new.decrypt(rotated, "account.phone") == "13800138000"
    assert new.rotate(rotated, "account.phone") == rotated


@pytest.mark.parametrize(
    ("keys", "current"),
    [({"v1": b"short"}, "v1"), ({"v-1": K1}, "v-1"), ({"v1": K1}, "v2"), ({"": K1}, "")],
)
def test_bad_key_configuration_is_refused_at_construction(keys, current):
    with pytest.raises(ValueError):
        FieldCipher(keys, current=current)


def test_the_blind_index_is_hmac_sha256_over_context_nul_and_the_normalized_value():
    expected = hmac.new(INDEX_KEY, b"person.id_number\x0011010519491231002X", hashlib.sha256).hexdigest()
    assert blind_index(INDEX_KEY, "11010519491231002X", "person.id_number") == expected


def test_the_blind_index_ignores_spaces_case_and_full_width_input():
    ref = blind_index(INDEX_KEY, "11010519491231002X", "person.id_number")
    assert blind_index(INDEX_KEY, " 11010519491231002x\u3000", "person.id_number") == ref
    assert blind_index(INDEX_KEY, "１１０１０５１９４９１２３１００２ｘ", "person.id_number") == ref


def test_the_same_value_has_unrelated_blind_indexes_in_different_columns_and_keys():
    a = blind_index(INDEX_KEY, "13800138000", "account.phone")
    assert a != blind_index(INDEX_KEY, "13800138000", "person.phone")
    assert a != blind_index(b"j" * 32, "13800138000", "account.phone")


def test_a_short_blind_index_key_is_refused():
    with pytest.raises(ValueError):
        blind_index(b"short", "x", "c")
