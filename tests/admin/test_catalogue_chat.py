"""What the back office switches off, the chat's report conversation no longer offers."""
from models.catalogue import FaultType, Location
from tests.admin_flows import desk, token
from tests.flows import report_leak


def switch(client, slug, row, active):
    path = f"/admin/catalogue/{slug}/{row.id}/active"
    answer = client.post(path, data={"active": "1" if active else "0",
                                     "csrf_token": token(client, f"/admin/catalogue/{slug}")})
    assert answer.status_code == 302


def test_a_deactivated_fault_type_is_neither_listed_nor_guessed(client, chat):
    desk(client, "supervisor")
    doors = FaultType.get(FaultType.name == "门窗家具")
    assert "（门窗家具）" in chat.say("宿舍柜门合页掉了，抽屉也坏了")
    chat.say("取消")
    switch(client, "fault-types", doors, False)
    said = chat.say("报修 柜子抽屉坏了")
    assert "门窗家具" not in said
    menu = chat.say("3号楼201")
    assert "门窗家具" not in menu and "2. 空调" in menu
    chat.say("取消")
    switch(client, "fault-types", doors, True)
    assert "（门窗家具）" in chat.say("宿舍柜门合页掉了，抽屉也坏了")


def test_a_deactivated_location_is_no_longer_matched(client, chat):
    desk(client, "supervisor")
    building = Location.get(Location.full_name == "东校区 3号楼")
    assert report_leak(chat).location.full_name == "东校区 3号楼 201"
    switch(client, "locations", building, False)
    order = report_leak(chat)
    assert order.location_id is None and order.location_text in ("3号楼201", "3号楼 201")
    switch(client, "locations", building, True)
    assert report_leak(chat).location.full_name == "东校区 3号楼 201"


def test_the_phone_entry_form_drops_a_deactivated_fault_type(client):
    desk(client, "supervisor")
    doors = FaultType.get(FaultType.name == "门窗家具")
    assert "门窗家具</option>" in client.get("/admin/phone-entry").get_data(as_text=True)
    switch(client, "fault-types", doors, False)
    assert "门窗家具</option>" not in client.get("/admin/phone-entry").get_data(as_text=True)
