"""A database full of personal data, the way the open-data tests need it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.applications.models import Application
from app.db import session, transactional
from app.entities.models import Entity
from app.licences.models import Licence
from app.people.models import Address, HouseholdLink, Person
from app.ratings import ratings
from app.security.keys import encrypt
from app.tickets import lifecycle, messages
from tests.support.entities import new_uscc
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, department_id, load_demo_catalogue, service_id
from tests.support.tickets import drive

SURNAMES = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙"]
_n = itertools.count(1)


@dataclass
class PersonalWorld:
    """Every personal value written, to look for in the published outputs."""

    values: set[str] = field(default_factory=set)

    def keep(self, *values: object) -> None:
        self.values.update(str(v) for v in values if v is not None and str(v))


def resolved_ticket(world: PersonalWorld, account_id: int, handler, service: str, *, kind: str = "consultation"):
    n = next(_n)
    title, description = f"我家住在明珠花园{n}栋想咨询", f"本人电话请勿公开，住址幸福路{n}号，孩子叫小明{n}"
    world.keep(title, description)
    ticket = lifecycle.open_ticket(account_id, kind=kind, service_id=service_id(service), title=title,
                                   description=description, contact_preference="phone")
    body = f"补充：我的门牌是幸福路{n}号之二"
    world.keep(body)
    messages.post_as_requester(account_id, ticket.id, body)
    return drive(ticket, handler, "resolved")


@transactional
def _people_and_companies(world: PersonalWorld, residents: list) -> None:
    s, now = session(), clock.now()
    persons = []
    for i, resident in enumerate(residents):
        person = s.scalars(select(Person).where(Person.account_id == resident.account_id)).one()
        birth = person.birth_date
        address = f"广州市天河区幸福路{100 + i}号{i + 1}0{i + 2}房"
        s.add(Address(person_id=person.id, kind="household", address_enc=encrypt(address, "person.address"),
                            area_code="440106", source="self", updated_at=now))
        world.keep(birth.isoformat(), birth.strftime("%Y%m%d"), address)
        persons.append(person)
    for a, b in itertools.pairwise(persons):
        s.add(HouseholdLink(person_id=a.id, relative_id=b.id, relation="child", authority_id="gd-gat",
                            created_at=now))
    for i in range(7):
        uscc = new_uscc()
        name, address = f"广州市{SURNAMES[i % 10]}记{i}号士多店", f"广州市越秀区明珠路{i + 1}号铺"
        masked = f"{SURNAMES[i % 10]}*"
        entity = Entity(uscc=uscc, name=name, type="个体工商户", registered_address=address,
                        representative_name_masked=masked, stage="operating", created_at=now, updated_at=now)
        s.add(entity)
        s.flush()
        world.keep(name, address, masked)
        s.add(Licence(number=f"JY1440106{i:07d}", type_code="food_business_licence", entity_id=entity.id,
                      issuer="广州市市场监督管理局", issued_on=date(2024, 1, 1), valid_until=date(2029, 1, 1),
                      state="valid", created_at=now, updated_at=now))
    s.add(Licence(number="JY2440106999", type_code="drug_business_licence", entity_id=entity.id,
                  issuer="广州市药品监督管理局", issued_on=date(2024, 1, 1), valid_until=date(2029, 1, 1),
                  state="valid", created_at=now, updated_at=now))


@transactional
def decided_application(world: PersonalWorld, resident, service: str, accepted, decided, due,
                        decision: str = "approved") -> Application:
    reason = f"经核实{resident.name}（{resident.id_number}）材料齐全"
    world.keep(reason)
    application = Application(
        service_code=service, service_id=service_id(service), department_id=department_id(service.rsplit("-", 2)[0]),
        applicant_account_id=resident.account_id, state="completed", decision=decision, decision_reason=reason,
        form={"name": {"value": resident.name}, "id_number": {"value": resident.id_number},
              "phone": {"value": resident.phone}},
        materials={"photo": {"by": "upload", "file_name": f"{resident.name}的照片.jpg"}},
        created_at=accepted, updated_at=decided, submitted_at=accepted, accepted_at=accepted, due_at=due,
        decided_at=decided, completed_at=decided)
    session().add(application)
    session().flush()
    world.keep(f"{resident.name}的照片.jpg")
    return application


@pytest.fixture
def personal_world() -> PersonalWorld:
    """Ten real-name residents with addresses, birth dates and household links; seven sole traders named
    after people; tickets with free text; six ratings of one service (published) and two of another
    (suppressed), all with comments and tags."""
    load_demo_catalogue()
    world = PersonalWorld()
    handler = create_staff_member(display_name="公安厅窗口 慕容复")
    world.keep(handler.display_name, handler.username)
    residents = [create_resident(level=3, name=f"{SURNAMES[i]}明珠{i}", birth=date(1960 + i, 1 + i, 3 + i))
                 for i in range(10)]
    for r in residents:
        world.keep(r.name, r.id_number, r.phone, r.openid)
    _people_and_companies(world, residents)
    for i, resident in enumerate(residents[:8]):
        service = "gd-gat-sfz-hl" if i < 6 else "gd-gat-sfz-bl"
        ticket = resolved_ticket(world, resident.account_id, handler, service)
        comment, tag = f"{resident.name}觉得办得好，电话{resident.phone}", f"标签{resident.name}"
        world.keep(comment, tag)
        ratings.rate_ticket(resident.account_id, ticket.id, 5 - i % 3, comment=comment, tags=[tag],
                            client_address=f"10.0.0.{i}")
    now = clock.now()
    for i, resident in enumerate(residents[:6]):  # six decided applications with personal forms
        decided_application(world, resident, "gd-gat-sfz-hl", now - timedelta(days=i + 1), now, now)
    return world
