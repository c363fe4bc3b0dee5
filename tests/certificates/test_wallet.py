"""The wallet: the type catalogue, each certificate's status today, and nobody else's certificates."""

from datetime import date, timedelta

import pytest

from app import clock
from app.certificates.catalogue import certificate_types, load_catalogue
from app.certificates.wallet import derive_status
from app.datafiles import DataFileError
from tests.support.certificates import full_authority, issue_certificate
from tests.support.credentials import Device
from tests.support.residents import create_resident


def test_the_catalogue_has_every_certificate_type_with_its_issuer_and_window():
    types = certificate_types()
    assert set(types) == {"resident_id_card", "driving_licence", "social_security_card", "residence_permit",
                          "household_register", "marriage_certificate", "birth_certificate", "degree_certificate"}
    assert (types["resident_id_card"].name, types["resident_id_card"].issuer) == ("居民身份证", "公安机关")
    windows = {code: t.renewal_window_days for code, t in types.items()}
    assert windows["resident_id_card"] == 90 and windows["driving_licence"] == 90
    assert windows["social_security_card"] == 60 and windows["residence_permit"] == 30
    assert windows["household_register"] is None and types["household_register"].lifelong


@pytest.mark.parametrize(("text", "field"), [
    ('[types.x]\nname = "甲"\nissuer = "乙"\n', "types.x.renewal_window_days"),
    ('[types.x]\nissuer = "乙"\nrenewal_window_days = 30\n', "types.x.name"),
    ('[types.x]\nname = "甲"\nissuer = "乙"\nrenewal_window_days = "30"\n', "types.x.renewal_window_days"),
    ('[types.x]\nname = "甲"\nissuer = "乙"\nlifelong = true\nrenewal_window_days = 30\n',
     "types.x.renewal_window_days"),
    ('[types.x]\nname = "甲"\nissuer = "乙"\nrenewal_window_days = 30\ncolour = "red"\n', "types.x.colour"),
    ("[types]\n", "types"),
    ('[types.x]\nname = "甲"\nissuer = "乙"\nlifelong = true\nage_over = [200]\n', "types.x.age_over"),
])
def test_a_mistake_in_the_catalogue_names_the_file_and_the_field(tmp_path, text, field):
    path = tmp_path / "certificates.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_catalogue(path)
    assert str(path) in str(error.value)
    assert field in str(error.value)


@pytest.mark.parametrize(("today", "status"), [
    (date(2030, 1, 1) - timedelta(days=91), "valid"),     # the day before the window opens
    (date(2030, 1, 1) - timedelta(days=90), "expiring"),  # the day the window opens
    (date(2029, 12, 31), "expiring"),                     # the day before expiry
    (date(2030, 1, 1), "expiring"),                       # the day of expiry: still valid that day
    (date(2030, 1, 2), "expired"),                        # the day after
])
def test_an_id_card_is_expiring_inside_its_90_day_window_and_expired_the_day_after(today, status):
    assert derive_status(certificate_types()["resident_id_card"], date(2030, 1, 1), False, today) == status


def test_the_residence_permit_window_is_30_days_and_revoked_beats_everything():
    permit = certificate_types()["residence_permit"]
    assert derive_status(permit, date(2030, 1, 31), False, date(2029, 12, 31)) == "valid"
    assert derive_status(permit, date(2030, 1, 31), False, date(2030, 1, 1)) == "expiring"
    assert derive_status(permit, date(2030, 1, 31), True, date(2029, 1, 1)) == "revoked"
    assert derive_status(certificate_types()["marriage_certificate"], None, False, date(2090, 1, 1)) == "valid"


def test_status_is_derived_from_the_date_in_shanghai():
    from datetime import UTC, datetime

    from app.certificates.models import Certificate
    from app.certificates.wallet import status_of

    cert = Certificate(type="resident_id_card", expires_on=date(2030, 1, 1), revoked_at=None)
    # 2030-01-01 16:30 UTC is already 2 January in Shanghai.
    with clock.freeze(datetime(2030, 1, 1, 16, 30, tzinfo=UTC)):
        assert status_of(cert) == "expired"
    with clock.freeze(datetime(2030, 1, 1, 15, 30, tzinfo=UTC)):
        assert status_of(cert) == "expiring"


def test_the_wallet_lists_my_certificates_with_their_claims(client):
    resident = create_resident(name="张三")
    cert = issue_certificate(client, full_authority(), resident.id_number, type="driving_licence",
                             number="DL-1", vehicle_class="C1")
    listed = client.get("/api/v1/me/certificates", headers=resident.headers).json
    assert len(listed) == 1
    assert listed[0]["type_name"] == "机动车驾驶证"
    assert listed[0]["claims"]["vehicle_class"] == "C1"
    assert listed[0]["claims"]["number"] == cert["number"]


def test_another_resident_gets_the_same_404_as_for_a_missing_certificate(client):
    owner = create_resident()
    issue_certificate(client, full_authority(), owner.id_number)
    cert_id = client.get("/api/v1/me/certificates", headers=owner.headers).json[0]["id"]
    other = create_resident()
    for path, method in ((f"/api/v1/me/certificates/{cert_id}", "get"),
                         (f"/api/v1/me/certificates/{cert_id}/credential", "post")):
        body = {"device_key": Device().jwk}
        theirs = getattr(client, method)(path, headers=other.headers, json=body)
        missing_path = path.replace(f"certificates/{cert_id}", f"certificates/{cert_id + 999}")
        missing = getattr(client, method)(missing_path, headers=other.headers, json=body)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json["code"] == missing.json["code"] == "not_found"
        assert theirs.json["message"] == missing.json["message"]
    assert client.get("/api/v1/me/certificates", headers=other.headers).json == []


def test_the_wallet_needs_face_verification(client):
    resident = create_resident(level=2)
    response = client.get("/api/v1/me/certificates", headers=resident.headers)
    assert (response.status_code, response.json["code"]) == (403, "level_required")
