"""Uploads are accepted only for materials marked as such, only as PDF, JPEG or PNG by content, at
most 5 MB and under a plain file name; a refused upload stores nothing. Every staff read of an
application's personal data and materials is in the applicant's data tracker."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.applications.models import ApplicationUpload
from app.applications.storage import file_store
from app.db import remove_session, session
from tests.support.applications import act, draft, resident_with_id_card
from tests.support.residents import create_resident
from tests.support.staff import create_staff_member

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(client, resident, application_id, material, name, data):
    return client.post(f"/api/v1/applications/{application_id}/materials/{material}/upload",
                       headers=resident.headers, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _stored() -> tuple[int, int]:
    remove_session()
    rows = session().scalar(select(func.count()).select_from(ApplicationUpload))
    remove_session()
    return rows, file_store().count()


def test_hostile_uploads_are_refused_and_nothing_is_stored(client):
    resident = resident_with_id_card(client)
    application = draft(client, resident, "gd-gat-jzz-bl")  # 居住证办理: the tenancy is uploaded
    before = _stored()
    refusals = [
        ("tenancy", "合同.pdf", b"MZ\x90\x00 this is a Windows program" + b"\x00" * 100, "upload_rejected"),
        ("tenancy", "合同.png", b"<html><script>alert(1)</script></html>", "upload_rejected"),
        ("tenancy", "../../../etc/passwd.pdf", PDF, "upload_name_invalid"),
        ("tenancy", "..\\..\\boot.pdf", PDF, "upload_name_invalid"),
        ("tenancy", "合同\x00.pdf", PDF, "upload_name_invalid"),
        ("tenancy", "big.pdf", PDF + b"0" * (5 * 1024 * 1024), "upload_rejected"),
        ("id_card", "身份证.pdf", PDF, "material_not_attachable"),  # held as an e-certificate: 免提交
        ("nothing", "x.pdf", PDF, "material_unknown"),
    ]
    for material, name, data, code in refusals:
        response = _upload(client, resident, application["id"], material, name, data)
        assert response.status_code == 422 and response.json["code"] == code, (name, response.json)
    huge = _upload(client, resident, application["id"], "tenancy", "huge.pdf", PDF + b"0" * (7 * 1024 * 1024))
    assert huge.status_code == 413
    assert _stored() == before and before[0] == 0

    ok = _upload(client, resident, application["id"], "tenancy", "租赁合同.pdf", PDF)
    assert ok.status_code == 201 and ok.json["content_type"] == "application/pdf"
    one_more = (before[0] + 1, before[1] + 1)
    assert _stored() == one_more
    replaced = _upload(client, resident, application["id"], "tenancy", "租赁合同-新.png", PNG)
    assert replaced.status_code == 201 and replaced.json["content_type"] == "image/png"
    assert _stored() == one_more  # the earlier file is gone with its row
    mine = client.get(f"/api/v1/applications/{application['id']}/uploads/{replaced.json['id']}",
                      headers=resident.headers)
    assert mine.status_code == 200 and mine.data == PNG and mine.headers["Content-Type"] == "image/png"
    stranger = create_resident()
    assert client.get(f"/api/v1/applications/{application['id']}/uploads/{replaced.json['id']}",
                      headers=stranger.headers).status_code == 404
    assert _upload(client, stranger, application["id"], "tenancy", "a.pdf", PDF).status_code == 404
    assert _stored() == one_more


def test_every_staff_read_of_an_application_is_in_the_applicant_s_data_tracker(client):
    resident = resident_with_id_card(client)
    application = draft(client, resident, "gd-gat-jzz-bl")
    upload = _upload(client, resident, application["id"], "tenancy", "租赁合同.pdf", PDF).json
    client.patch(f"/api/v1/applications/{application['id']}", headers=resident.headers,
                 json={"fields": {"residence_address": "广州市天河区林和西路9号", "basis": "合法稳定住所"}})
    act(client, resident, f"/applications/{application['id']}/submit")
    police = create_staff_member(departments=("gd-gat",))
    other = create_staff_member(departments=("gd-rst",))
    assert client.get(f"/api/v1/staff/applications/{application['id']}", headers=other.headers).status_code == 404
    assert client.get(f"/api/v1/staff/applications/{application['id']}/uploads/{upload['id']}",
                      headers=other.headers).status_code == 404

    case = client.get(f"/api/v1/staff/applications/{application['id']}", headers=police.headers)
    assert case.status_code == 200 and case.json["applicant"]["id_number"] == resident.id_number
    file = client.get(f"/api/v1/staff/applications/{application['id']}/uploads/{upload['id']}",
                      headers=police.headers)
    assert file.status_code == 200 and file.data == PDF

    log = client.get("/api/v1/me/access-log", headers=resident.headers).json
    reads = [e for e in log if e["actor_type"] == "staff"]
    assert len(reads) == 2, log  # the other department's tries read nothing
    material, opened = reads
    assert opened["actor"] == f"广东省公安厅 工作人员 {police.id:03d}号"
    assert {"姓名", "身份证号", "手机号"} <= set(opened["data"])
    assert opened["details"]["application_number"] == application["number"] and opened["purpose"] == "办理您的办件"
    assert material["data"] == ["申请材料：住所证明（租赁合同或房产证明）"] and material["data"][0] in opened["data"]
    # A step answers the case with its form: that read is recorded as well.
    act(client, police, f"/staff/applications/{application['id']}/accept")
    latest = client.get("/api/v1/me/access-log", headers=resident.headers).json[0]
    assert latest["data"] == ["办件申请表的内容"] and latest["details"]["application_id"] == application["id"]
