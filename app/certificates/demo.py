"""Demo certificates for the demo people (run after ``app.people.demo``): one ID card expires in 60 days."""

from __future__ import annotations

from datetime import date, timedelta

from app import clock
from app.certificates.wallet import upsert_certificate
from app.db import transactional
from app.people.demo import DEMO_CHILD, DEMO_RESIDENTS, DEMO_SOURCE
from app.people.persons import ensure_person


def _certificates(today: date) -> list[dict]:
    zhang, li, wang = DEMO_RESIDENTS
    return [
        {"holder": zhang, "type_code": "resident_id_card", "number": zhang["id_number"],
         "issuer": "广州市公安局天河分局", "issued_on": today + timedelta(days=60) - timedelta(days=3652),
         "expires_on": today + timedelta(days=60), "fields": {"ethnicity": "汉"}},
        {"holder": zhang, "type_code": "driving_licence", "number": zhang["id_number"],
         "issuer": "广州市公安局交通警察支队", "issued_on": date(2015, 6, 1), "expires_on": date(2031, 6, 1),
         "fields": {"vehicle_class": "C1"}},
        {"holder": zhang, "type_code": "social_security_card", "number": "D44010600137",
         "issuer": None, "issued_on": date(2019, 1, 10), "expires_on": date(2029, 1, 10), "fields": {}},
        {"holder": zhang, "type_code": "marriage_certificate", "number": "J440106-2018-001234",
         "issuer": "广州市天河区民政局", "issued_on": date(2018, 10, 1), "expires_on": None, "fields": {}},
        {"holder": li, "type_code": "resident_id_card", "number": li["id_number"],
         "issuer": "深圳市公安局福田分局", "issued_on": date(2019, 4, 1), "expires_on": date(2039, 4, 1),
         "fields": {"ethnicity": "汉"}},
        {"holder": li, "type_code": "residence_permit", "number": "GZJZ-2024-000777",
         "issuer": "广州市公安局天河分局", "issued_on": date(2024, 5, 1), "expires_on": date(2027, 5, 1),
         "fields": {}},
        {"holder": wang, "type_code": "resident_id_card", "number": wang["id_number"],
         "issuer": "广州市公安局越秀分局", "issued_on": date(2008, 8, 8), "expires_on": None, "fields": {}},
        {"holder": DEMO_CHILD, "type_code": "birth_certificate", "number": "Q440123456",
         "issuer": "广州市妇女儿童医疗中心", "issued_on": date(2020, 3, 2), "expires_on": None, "fields": {}},
    ]


# The department that issues each type in the demo, as an authority: a 办事 renewal by that
# department may then replace the document (intake's ownership rule); the rest stay the seed's.
ISSUING_DEPARTMENTS = {"resident_id_card": "gd-gat", "residence_permit": "gd-gat", "driving_licence": "gd-gat-jgj",
                       "social_security_card": "gd-rst"}


@transactional
def seed() -> None:
    for cert in _certificates(clock.today()):
        holder = cert.pop("holder")
        person = ensure_person(holder["id_number"], holder["name"])
        upsert_certificate(person, holder_name=holder["name"],
                           authority_id=ISSUING_DEPARTMENTS.get(cert["type_code"], DEMO_SOURCE), **cert)
