import base64

import pytest
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.errors import ValidationFailed
from app.security.passwords import hash_password, needs_rehash, verify_password

PW = "correct horse battery"


def test_a_hash_records_scrypt_parameters_salt_and_key():
    parts = hash_password(PW).split("$")
    assert parts[:4] == ["scrypt", str(2**15), "8", "1"]
    assert len(base64.b64decode(parts[4])) == 16
    assert len(base64.b64decode(parts[5])) == 32


def test_the_right_password_verifies_and_a_wrong_one_does_not():
    stored = hash_password(PW)
    assert verify_password(PW, stored)
    assert not verify_password(PW + "!", stored)


def test_hashing_the_same_password_twice_uses_different_salts():
    assert hash_password(PW) != hash_password(PW)


def test_a_password_typed_in_full_width_matches_its_half_width_form():
    assert verify_password("ｃｏｒｒｅｃｔ horse battery", hash_password(PW))


@pytest.mark.parametrize("pw", ["", "short", "elevenchars"])
def test_a_password_shorter_than_twelve_characters_is_refused(pw):
    with pytest.raises(ValidationFailed) as info:
        hash_password(pw)
    assert info.value.code == "password_too_weak"
    assert info.value.status == 422


def test_a_hash_with_other_parameters_still_verifies_but_needs_rehashing():
    # RFC 7914 §12 vector: scrypt("password", "NaCl", N=1024, r=8, p=16); PBKDF2 output is
    # prefix-consistent, so its first 32 bytes are the 32-byte key.
    key = bytes.fromhex("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162")
    stored = f"scrypt$1024$8$16${base64.b64encode(b'NaCl').decode()}${base64.b64encode(key).decode()}"
    assert verify_password("password", stored)
    assert needs_rehash(stored)
    assert not needs_rehash(hash_password(PW))


def test_a_hash_made_independently_with_current_parameters_verifies_and_is_current():
    salt = b"s" * 16
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(PW.encode())
    stored = f"scrypt$32768$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert verify_password(PW, stored)
    assert not needs_rehash(stored)


@pytest.mark.parametrize(
    "stored",
    ["", "bcrypt$x", "scrypt$a$8$1$AAAA$AAAA", "scrypt$1000$8$1$AAAA$" + "A" * 44, "scrypt$1$2$3$!$!"],
)
def test_a_malformed_stored_hash_never_verifies_and_needs_rehashing(stored):
    assert not verify_password(PW, stored)
    assert needs_rehash(stored)
