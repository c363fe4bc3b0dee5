"""How a staff member is shown to residents: by department and number ("广东省公安厅 工作人员 012号"),
never by username or name. The data tracker and the 办事 timeline both use it."""

from __future__ import annotations


def staff_label(department_name: str | None, staff_id: int | str | None) -> str:
    number = f" {int(staff_id):03d}号" if str(staff_id or "").isdigit() else ""
    return f"{department_name or ''} 工作人员{number}".strip()
