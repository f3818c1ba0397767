"""Places and devices in the catalogue: the building tree, warranties, poster links."""
import pytest

from models.catalogue import Device, DeviceType, FaultType, Location
from tests.admin_flows import audit_rows, post_form


def place(full_name):
    return Location.get(Location.full_name == full_name)


def test_a_child_location_takes_its_level_and_full_name_from_the_parent(editor):
    building = place("东校区 图书馆")
    form = editor.get(f"/admin/catalogue/locations/new?parent={building.id}").get_data(as_text=True)
    assert f'<option value="{building.id}" selected>东校区 图书馆</option>' in form
    post_form(editor, "/admin/catalogue/locations/new", {"name": "301阅览室", "parent": str(building.id)})
    room = place("东校区 图书馆 301阅览室")
    assert (room.level, room.parent_id, room.active) == ("room", building.id, True)
    post_form(editor, "/admin/catalogue/locations/new", {"name": "南校区"})
    assert place("南校区").level == "campus"
    refused = post_form(editor, "/admin/catalogue/locations/new", {"name": "柜子", "parent": str(room.id)})
    assert refused.status_code == 400 and "房间下不能再添加下级位置" in refused.get_data(as_text=True)
    taken = post_form(editor, "/admin/catalogue/locations/new", {"name": "301阅览室",
                                                          "parent": str(building.id)})
    assert "名称已被使用" in taken.get_data(as_text=True)
    assert Location.select().where(Location.parent == room.id).count() == 0


def test_renaming_a_building_renames_every_room_below_it(editor):
    building = place("东校区 3号楼")
    page = editor.get(f"/admin/catalogue/locations/{building.id}").get_data(as_text=True)
    assert "上级：东校区" in page and 'name="parent"' not in page
    post_form(editor, f"/admin/catalogue/locations/{building.id}", {"name": "三号楼",
                                                              "parent": "999"})
    assert place("东校区 三号楼").parent_id == building.parent_id
    assert sorted(l.full_name for l in Location.select().where(Location.parent == building.id)) \
        == ["东校区 三号楼 101", "东校区 三号楼 201", "东校区 三号楼 301"]
    assert "name: 3号楼 → 三号楼" in audit_rows("locations.update")[0].detail


def test_switching_a_building_off_and_on_takes_its_rooms_along(editor):
    building, room = place("东校区 3号楼"), place("东校区 3号楼 201")
    post_form(editor, f"/admin/catalogue/locations/{building.id}/active", {"active": "0"},
         form="/admin/catalogue/locations")
    assert not Location.get_by_id(building.id).active and not Location.get_by_id(room.id).active
    assert audit_rows("locations.deactivate")[0].detail == "3号楼 rows=4"
    listed = editor.get("/admin/catalogue/locations").get_data(as_text=True)
    assert "已停用" in listed
    refused = post_form(editor, f"/admin/catalogue/locations/{room.id}/active", {"active": "1"},
                   form="/admin/catalogue/locations")
    assert "上级已停用" in editor.get(refused.headers["Location"]).get_data(as_text=True)
    assert not Location.get_by_id(room.id).active
    post_form(editor, f"/admin/catalogue/locations/{building.id}/active", {"active": "1"},
         form="/admin/catalogue/locations")
    assert Location.get_by_id(room.id).active


def test_device_types_and_devices_are_made_with_their_warranty(editor):
    aircon = FaultType.get(FaultType.name == "空调")
    post_form(editor, "/admin/catalogue/device-types/new", {"name": "新风机", "fault_type": str(aircon.id)})
    kind = DeviceType.get(DeviceType.name == "新风机")
    assert kind.fault_type_id == aircon.id and audit_rows("device-types.create")
    room = place("西校区 学生公寓A栋 101")
    made = post_form(editor, "/admin/catalogue/devices/new", {
        "code": "XF-A101", "device_type": str(kind.id), "model": "XF-200", "vendor": "远大售后",
        "vendor_phone": "400-880-1234", "purchase_date": "2025-03-01",
        "warranty_end": "2028-02-29", "location": str(room.id)})
    assert made.status_code == 302
    device = Device.get(Device.code == "XF-A101")
    assert (str(device.purchase_date), str(device.warranty_end), device.location_id) == (
        "2025-03-01", "2028-02-29", room.id)
    listed = editor.get("/admin/catalogue/devices").get_data(as_text=True)
    assert "<td>2028-02-29</td>" in listed and "<td>西校区 学生公寓A栋 101</td>" in listed
    assert "warranty_end=2028-02-29" in audit_rows("devices.create")[0].detail


@pytest.mark.parametrize("fields, problem", [
    ({"purchase_date": "2026-02-30"}, "购买日期不是有效日期"),
    ({"warranty_end": "明年"}, "保修截止不是有效日期"),
    ({"purchase_date": "2026-05-01", "warranty_end": "2026-04-30"}, "保修截止不能早于购买日期"),
    ({"vendor_phone": "打电话"}, "厂商电话格式不正确"),
    ({"device_type": ""}, "请填写设备类型"),
    ({"device_type": "99999"}, "请从列表中选择设备类型"),
    ({"location": "abc"}, "请从列表中选择安装位置"),
    ({"code": "KT-E3-201"}, "设备编号已被使用"),
])
def test_bad_device_input_is_explained_and_nothing_is_saved(editor, fields, problem):
    kind = DeviceType.get(DeviceType.name == "空调")
    form = {"code": "KT-NEW-1", "device_type": str(kind.id), "model": "M-1", **fields}
    page = post_form(editor, "/admin/catalogue/devices/new", form)
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and problem in text and 'value="M-1"' in text
    assert Device.select().count() == 2 and not audit_rows("devices.create")


def test_a_deactivated_device_type_is_not_offered_for_new_devices(editor):
    lift = DeviceType.get(DeviceType.name == "电梯")
    post_form(editor, f"/admin/catalogue/device-types/{lift.id}/active", {"active": "0"},
         form="/admin/catalogue/device-types")
    assert not DeviceType.get_by_id(lift.id).active
    new_form = editor.get("/admin/catalogue/devices/new").get_data(as_text=True)
    assert "空调</option>" in new_form and "电梯</option>" not in new_form
    device = Device.get(Device.code == "DT-LIB-01")
    edit = editor.get(f"/admin/catalogue/devices/{device.id}").get_data(as_text=True)
    assert f'<option value="{lift.id}" selected>电梯</option>' in edit


def test_poster_links_show_when_the_poster_pages_exist(app, editor):
    room = place("东校区 3号楼 201")
    locations = editor.get("/admin/catalogue/locations").get_data(as_text=True)
    devices = editor.get("/admin/catalogue/devices").get_data(as_text=True)
    if "admin.location_poster" in app.view_functions:
        assert f'href="/admin/posters/location/{room.id}">二维码海报</a>' in locations
        assert "/admin/posters/device/" in devices
    assert "二维码海报" not in editor.get("/admin/catalogue/departments").get_data(as_text=True)


def test_without_the_poster_pages_the_lists_show_no_poster_link(app, editor):
    from wechat_bot.admin import catalogue
    from wechat_bot.admin.catalogue_forms import ENTITIES
    with app.test_request_context():
        missing = ENTITIES["locations"].__class__(**{**ENTITIES["locations"].__dict__,
                                                     "poster": "admin.no_such_page"})
        assert catalogue._poster(missing) is None
        if "admin.location_poster" in app.view_functions:
            assert catalogue._poster(ENTITIES["locations"]) == ("admin.location_poster",
                                                                 "location_id")
