import pytest

from tests.support.residents import create_resident
from tests.support.staff import create_staff_member, load_demo_catalogue


@pytest.fixture
def world():
    """An L3 resident, a handling agent and a supervisor of 广东省公安厅 (demo catalogue loaded)."""
    load_demo_catalogue()
    resident = create_resident(level=3)
    agent = create_staff_member(display_name="公安厅工作人员 001号")
    supervisor = create_staff_member(role="supervisor")
    return resident, agent, supervisor
