"""The service catalogue: departments and the services (事项) they own.

The catalogue is data: ``config/catalogues/services.toml`` is validated on load and upserted by
code, so running the loader again updates names without duplicating anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.datafiles import CONFIG_DIR, DataFileError, read_toml
from app.db import session, transactional
from app.errors import NotFound
from app.staff.models import Department, Service

CATALOGUE_FILE = CONFIG_DIR / "catalogues" / "services.toml"
LEVELS = {"province", "city"}


@dataclass(frozen=True)
class ServiceEntry:
    code: str
    name: str


@dataclass(frozen=True)
class DepartmentEntry:
    code: str
    name: str
    level: str
    region: str
    services: tuple[ServiceEntry, ...]


def read_catalogue(path: Path = CATALOGUE_FILE) -> list[DepartmentEntry]:
    """Parse and validate the file; a ``DataFileError`` names the first bad entry."""
    data = read_toml(path)
    entries, seen = [], set()
    for raw in data.get("departments", []):
        code = raw.get("code")
        if not code or not raw.get("name") or raw.get("level") not in LEVELS or not raw.get("region"):
            raise DataFileError(path, f"departments.{code}", "needs code, name, level (province|city), region")
        services = []
        for item in raw.get("services", []):
            if not (isinstance(item, list) and len(item) == 2 and all(isinstance(v, str) and v for v in item)):
                raise DataFileError(path, f"departments.{code}.services", f"{item!r} must be [code, name]")
            services.append(ServiceEntry(*item))
        for key in [code, *(s.code for s in services)]:
            if key in seen:
                raise DataFileError(path, f"departments.{code}", f"code {key!r} appears twice")
            seen.add(key)
        entries.append(DepartmentEntry(code, raw["name"], raw["level"], raw["region"], tuple(services)))
    return entries


@transactional
def load_catalogue(path: Path = CATALOGUE_FILE) -> int:
    """Upsert every department and service; returns how many services the file holds."""
    s = session()
    count = 0
    for entry in read_catalogue(path):
        department = s.scalars(select(Department).where(Department.code == entry.code)).first()
        if department is None:
            department = Department(code=entry.code)
            s.add(department)
        department.name, department.level, department.region = entry.name, entry.level, entry.region
        s.flush()
        for item in entry.services:
            service = s.scalars(select(Service).where(Service.code == item.code)).first()
            if service is None:
                service = Service(code=item.code)
                s.add(service)
            service.name, service.department_id = item.name, department.id
            count += 1
    return count


def departments() -> list[Department]:
    return list(session().scalars(select(Department).order_by(Department.id)))


def services(department_id: int | None = None) -> list[Service]:
    stmt = select(Service).order_by(Service.id)
    if department_id is not None:
        stmt = stmt.where(Service.department_id == department_id)
    return list(session().scalars(stmt))


def get_service(service_id: int) -> Service:
    service = session().get(Service, service_id)
    if service is None:
        raise NotFound("服务事项不存在")
    return service


def get_department(department_id: int) -> Department:
    department = session().get(Department, department_id)
    if department is None:
        raise NotFound("部门不存在")
    return department


def department_by_code(code: str) -> Department:
    department = session().scalars(select(Department).where(Department.code == code)).first()
    if department is None:
        raise NotFound("部门不存在")
    return department
