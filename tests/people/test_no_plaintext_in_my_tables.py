"""Names, ID numbers, certificate numbers and addresses sent by authorities are stored encrypted."""

from tests.support.certificates import full_authority, issue_certificate
from tests.support.credentials import Device, receive
from tests.support.intake import record, send_batch
from tests.support.residents import create_resident, new_id_number
from tests.support.tables import dump_every_table


def test_intake_issuing_a_credential_and_verifying_leave_no_plaintext_personal_data_in_the_database(client):
    holder = new_id_number()
    authority = full_authority()
    send_batch(client, authority, [record("person", "P-1", {
        "name": "欧阳明月", "id_number": holder, "address": {"text": "广东省广州市天河区珠江新城华夏路 8 号"}})])
    issue_certificate(client, authority, holder, number="GDDL-778899", holder_name="欧阳明月", type="driving_licence")
    resident = create_resident(name="欧阳明月", id_number=holder)
    cert_id = client.get("/api/v1/me/certificates", headers=resident.headers).json[0]["id"]
    device = Device()
    credential = receive(client, resident.headers, cert_id, device)
    presentation = device.present(credential, ["name", "number"])
    assert client.post("/api/v1/verify", json={"presentation": presentation}).status_code == 200
    dump = dump_every_table()
    for secret in ("欧阳明月", holder, "GDDL-778899", "华夏路", holder[6:14]):
        assert secret not in dump, f"plaintext {secret!r} found in the database"
