"""What the API benches read: an L3 resident with a few notifications, who is the legal
representative of an entity holding licences (one of them checked publicly), written straight into
the database of a fresh instance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class BenchData:
    token: str
    uscc: str
    licence_number: str
    account_id: int = 0


USCC = "91440101MA5BENCH01"


def create() -> BenchData:
    from app import clock
    from app.db import session, transactional
    from app.entities.models import Entity, RepresentativeBinding
    from app.licences.models import Licence
    from app.push.models import Notification
    from tests.support.residents import create_resident

    resident = create_resident(level=3)

    @transactional
    def rows() -> str:
        now, s = clock.now(), session()
        entity = Entity(uscc=USCC, name="广州市示例贸易有限公司", type="有限责任公司",
                        registered_address="广州市越秀区中山五路1号", stage="operating", stage_since=date(2020, 3, 1),
                        created_at=now, updated_at=now)
        s.add(entity)
        s.flush()
        s.add(RepresentativeBinding(entity_id=entity.id, account_id=resident.account_id, started_at=now))
        for i in range(5):
            s.add(Licence(number=f"JY1440104BENCH{i:02d}", type_code="food_business_licence", entity_id=entity.id,
                          issuer="广州市越秀区市场监督管理局", issued_on=date(2024, 1, 10),
                          valid_until=date(2024, 1, 10) + timedelta(days=365 * 5 + i), state="valid",
                          created_at=now, updated_at=now))
        for i in range(3):
            s.add(Notification(recipient_account_id=resident.account_id, rule_id=None, category="service",
                               priority=5, title=f"通知 {i}", body="您的证照即将到期，请及时办理延续。", page=None,
                               why={"rule": {"id": "ticket_notice", "version": 1}, "facts": {"reason": "reply"}},
                               dedupe_key=f"bench-{i}", created_at=now))
        return "JY1440104BENCH00"

    number = rows()
    return BenchData(resident.tokens.access_token, USCC, number, resident.account_id)
