"""Scanning a poster's QR code in WeChat: a report starts with the place (and device) filled."""
import itertools

import pytest

from models.catalogue import Device, FaultType, Location
from models.orders import RepairOrder
from models.people import User
from models.scenes import device_scene, location_scene
from tests.flows import give_contact
from tests.wechat_sim import Chat

ROOM, LIBRARY = "东校区 3号楼 201", "东校区 图书馆"
UNKNOWN = "二维码已停用或无法识别"
_times = itertools.count(1_790_000_000)


def place(full_name: str) -> Location:
    return Location.get(Location.full_name == full_name)


def aircon() -> Device:
    return Device.get(Device.code == "KT-E3-201")  # under warranty with 格力售后 until 2027


def scan(chat: Chat, scene: str, create_time: int | None = None) -> str:
    """A follower scans a poster: SCAN with the scene as EventKey."""
    return chat.event("SCAN", scene, create_time=create_time or next(_times))


def follow_by_scanning(chat: Chat, scene: str) -> str:
    """A new user scans a poster and follows: subscribe with qrscene_<scene> and a Ticket."""
    xml = chat.signer.message_xml(chat.openid, "event", next(_times), Event="subscribe",
                                  EventKey=f"qrscene_{scene}", Ticket="gQticket0001")
    response = chat.post_xml(xml)
    assert response.status_code == 200
    return chat.signer.read_reply(response.data).get("Content", "")


def finish_report(chat: Chat) -> RepairOrder:
    """From the first question to 确认, without a location step; the stored order."""
    assert "联系电话和称呼" in chat.say("卫生间水龙头一直滴水")  # the location question is skipped
    summary = give_contact(chat)
    assert "请核对" in summary
    assert "提交成功" in chat.say("确认")
    return RepairOrder.select().order_by(RepairOrder.id.desc()).get()


def test_scanning_a_room_poster_starts_a_report_with_the_location_filled(chat):
    reply = scan(chat, location_scene(place(ROOM).id))
    assert f"报修地点：{ROOM}" in reply and "请描述一下是什么问题（" in reply
    assert "欢迎关注" not in reply  # SCAN comes from a follower: no welcome
    order = finish_report(chat)
    assert (order.location_id, order.location_text, order.device_id) == \
        (place(ROOM).id, ROOM, None)


def test_following_by_scanning_a_device_welcomes_and_carries_the_device_to_the_vendor(
        chat, worker):
    reply = follow_by_scanning(chat, device_scene(aircon().id))
    assert reply.startswith("欢迎关注")
    assert f"报修地点：{ROOM}（设备：空调 KT-E3-201）" in reply
    assert "问题类别：空调" in reply and "请描述一下是什么问题（" in reply   # an air conditioner's poster
    chat.say("空调不制冷")
    summary = give_contact(chat)
    assert f"地点：{ROOM}（设备：空调 KT-E3-201）" in summary
    chat.say("确认")
    order = RepairOrder.get()
    assert (order.device_id, order.location_id) == (aircon().id, place(ROOM).id)
    assert User.get(User.openid == chat.openid).subscribed
    worker.run_until_idle()  # the assignment engine reads the device: under warranty
    order = RepairOrder.get_by_id(order.id)
    assert (order.status, order.vendor_name) == ("dispatched", "格力售后")


def test_a_device_without_a_location_asks_for_the_location(chat):
    Device.update(location=None).where(Device.id == aircon().id).execute()
    reply = scan(chat, device_scene(aircon().id))
    assert "已识别您扫描的设备：空调 KT-E3-201" in reply and "问题类别：空调" in reply
    assert "请描述一下是什么问题" in reply   # the category came with the device; the place did not
    assert "请告诉我们地点" in chat.say("空调不制冷")
    chat.say("3号楼201")
    give_contact(chat)
    chat.say("确认")
    assert RepairOrder.get().device_id == aircon().id


@pytest.mark.parametrize("scene", ["loc:999999", "dev:999999", "loc:0", "loc:01", "loc:abc",
                                   "inv:7", "loc:1x", "LOC:1", "", "qrscene_loc:1", "x" * 64])
def test_unknown_or_malformed_scenes_get_a_polite_line_and_a_normal_report(chat, scene):
    reply = scan(chat, scene)
    assert UNKNOWN in reply and "请描述一下是什么问题" in reply
    assert "联系电话和称呼" in chat.say("3号楼201 水管漏水")  # nothing was filled


def test_a_deactivated_location_or_device_is_treated_as_unknown(chat):
    room, device = place(ROOM), aircon()
    Location.update(active=False).where(Location.id == room.id).execute()
    assert UNKNOWN in scan(chat, location_scene(room.id))
    chat.say("取消")
    Location.update(active=True).where(Location.id == room.id).execute()
    Device.update(active=False).where(Device.id == device.id).execute()
    assert UNKNOWN in follow_by_scanning(chat, device_scene(device.id))


def test_a_device_whose_location_is_deactivated_keeps_the_device_and_asks_the_location(chat):
    Location.update(active=False).where(Location.id == place(ROOM).id).execute()
    reply = scan(chat, device_scene(aircon().id))
    assert "已识别您扫描的设备" in reply and "请描述一下是什么问题" in reply


def test_subscribing_without_a_scene_is_the_usual_welcome(chat):
    reply = chat.event("subscribe")
    assert reply.startswith("欢迎关注") and "您可以直接说哪里坏了" in reply and UNKNOWN not in reply


def test_a_scan_while_reporting_fills_the_open_drafts_location(chat):
    chat.say("报修")
    assert "请告诉我们地点" in chat.say("水管漏水")
    reply = scan(chat, location_scene(place(LIBRARY).id))
    assert f"地点改为：{LIBRARY}" in reply and "联系电话和称呼" in reply
    give_contact(chat)
    chat.say("确认")
    order = RepairOrder.get()
    assert (order.category.name, order.location_id) == ("水电", place(LIBRARY).id)


def test_a_scan_at_the_summary_changes_the_place_and_shows_the_summary_again(chat):
    chat.say("报修 1号楼101 柜门合页掉了")
    give_contact(chat)
    reply = scan(chat, device_scene(aircon().id))
    assert f"地点改为：{ROOM}（设备：空调 KT-E3-201）" in reply
    assert f"2. 地点：{ROOM}（设备：空调 KT-E3-201）" in reply and "请核对" in reply
    chat.say("确认")
    order = RepairOrder.get()
    assert (order.description, order.device_id) == ("柜门合页掉了", aircon().id)


def test_an_unknown_scan_while_reporting_keeps_the_draft(chat):
    chat.say("报修")
    chat.say("水管漏水")
    reply = scan(chat, "loc:999999")
    assert UNKNOWN in reply and "请告诉我们地点" in reply
    assert "联系电话和称呼" in chat.say("3号楼201")


def test_changing_the_location_drops_the_scanned_device(chat):
    scan(chat, device_scene(aircon().id))
    chat.say("空调不制冷")
    give_contact(chat)
    chat.say("修改")
    assert "请告诉我们地点" in chat.say("2")
    summary = chat.say("1号楼101")
    assert "设备" not in summary and "地点：东校区 1号楼 101" in summary
    chat.say("确认")
    assert RepairOrder.get().device_id is None


def test_a_retried_scan_is_answered_once_with_the_same_reply(chat):
    scene, when = location_scene(place(ROOM).id), next(_times)
    first = scan(chat, scene, create_time=when)
    assert "报修地点" in first
    assert scan(chat, scene, create_time=when) == first  # WeChat's retry: the cached reply
    # Handled again, the second scan would have said the open draft's place was changed.
    assert "地点改为" in scan(chat, scene)
    assert "是什么问题" in chat.say("1")


def test_the_scan_reaches_the_webhook_encrypted_too(client):
    chat = Chat(client, "o_reporter_safe_0001", mode="safe")
    assert f"报修地点：{ROOM}" in scan(chat, location_scene(place(ROOM).id))


def queries_during(caplog, action) -> list[str]:
    """The SQL statements peewee ran while `action` was handled."""
    caplog.clear()
    with caplog.at_level("DEBUG", logger="peewee"):
        action()
    return [record.getMessage() for record in caplog.records if record.name == "peewee"]


@pytest.mark.parametrize("scene, more", [("loc", 1), ("dev", 1)])
def test_a_scan_costs_at_most_one_read_more_than_typing_the_entry_word(chat, caplog, scene, more):
    # A device's poster reads the device with its type's fault type in one query.
    target = location_scene(place(ROOM).id) if scene == "loc" else device_scene(aircon().id)
    chat.say("帮助")  # the profile is cached from here on, as for any returning user
    typed = queries_during(caplog, lambda: chat.say("报修"))
    chat.say("取消")
    scanned = queries_during(caplog, lambda: chat.event("SCAN", target))
    assert len(scanned) == len(typed) + more
    assert all(sql.lstrip("('").upper().startswith("SELECT") for sql in scanned)


def test_a_device_whose_fault_type_is_off_asks_for_the_category(chat):
    FaultType.update(active=False).where(FaultType.name == "空调").execute()
    reply = scan(chat, device_scene(aircon().id))
    assert "问题类别：空调" not in reply and "请描述一下是什么问题（" in reply
