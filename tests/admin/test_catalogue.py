"""The catalogue pages: lists, forms, validation, switching off, roles and the audit log."""
import pytest

from models.catalogue import Department, Device, DeviceType, FaultType, Location
from tests.admin_flows import audit_rows, desk, post_form, token

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SLUGS = ("departments", "fault-types", "locations", "device-types", "devices")



def test_every_role_reads_the_lists_but_only_supervisors_and_admins_edit(client):
    desk(client, "dispatcher")
    assert "基础资料" in client.get("/admin/").get_data(as_text=True)
    for slug in SLUGS:
        page = client.get(f"/admin/catalogue/{slug}")
        assert page.status_code == 200
        assert "编辑" not in page.get_data(as_text=True)
    water = FaultType.get(FaultType.name == "水电")
    assert client.get("/admin/catalogue/fault-types/new").status_code == 403
    assert client.get(f"/admin/catalogue/fault-types/{water.id}").status_code == 403
    csrf = token(client, "/admin/")
    for path in ("/admin/catalogue/fault-types/new", f"/admin/catalogue/fault-types/{water.id}",
                 f"/admin/catalogue/fault-types/{water.id}/active"):
        refused = client.post(path, data={"name": "x", "active": "0", "csrf_token": csrf})
        assert refused.status_code == 403
    assert FaultType.get_by_id(water.id).active and not audit_rows("fault-types.deactivate")


@pytest.mark.parametrize("role", ["leader", "supervisor", "admin"])
def test_the_catalogue_index_counts_rows_in_use(client, role):
    desk(client, role)
    page = client.get("/admin/catalogue").get_data(as_text=True)
    assert f"故障类型 <strong>{FaultType.select().count()}</strong>" in page


def test_anonymous_visitors_go_to_the_login_page(client):
    page = client.get("/admin/catalogue/devices")
    assert page.status_code == 302 and "/admin/login" in page.headers["Location"]


def test_bad_slugs_and_ids_are_404(editor):
    assert editor.get("/admin/catalogue/planets").status_code == 404
    assert editor.get("/admin/catalogue/devices/999999").status_code == 404
    assert editor.get("/admin/catalogue/devices/99999999999999999999").status_code == 404
    csrf = token(editor, "/admin/")
    assert editor.post("/admin/catalogue/devices/999999/active",
                       data={"active": "0", "csrf_token": csrf}).status_code == 404


def test_a_post_without_the_csrf_token_is_refused(editor):
    water = FaultType.get(FaultType.name == "水电")
    refused = editor.post(f"/admin/catalogue/fault-types/{water.id}/active", data={"active": "0"})
    assert refused.status_code == 400 and "页面已过期" in refused.get_data(as_text=True)
    assert FaultType.get_by_id(water.id).active


def test_the_home_page_and_index_link_every_list(editor):
    assert 'href="/admin/catalogue"' in editor.get("/admin/").get_data(as_text=True)
    index = editor.get("/admin/catalogue").get_data(as_text=True)
    for slug in SLUGS:
        assert f'href="/admin/catalogue/{slug}"' in index


def test_a_department_is_made_edited_and_audited(editor):
    parent = Department.get(Department.name == "后勤服务中心")
    made = post_form(editor, "/admin/catalogue/departments/new",
                {"name": "绿化部", "parent": str(parent.id), "duty_phone": "0571-88880000"})
    assert made.status_code == 302
    dept = Department.get(Department.name == "绿化部")
    assert (dept.parent_id, dept.duty_phone, dept.active) == (parent.id, "0571-88880000", True)
    listed = editor.get("/admin/catalogue/departments").get_data(as_text=True)
    assert "已新建" in listed and '<td class="depth-1">绿化部</td>' in listed
    post_form(editor, f"/admin/catalogue/departments/{dept.id}",
         {"name": "园林绿化部", "parent": "", "duty_phone": ""})
    dept = Department.get_by_id(dept.id)
    assert (dept.name, dept.parent_id, dept.duty_phone) == ("园林绿化部", None, "")
    created, updated = audit_rows("departments.create"), audit_rows("departments.update")
    assert created[0].actor == "zhuguan" and created[0].target == f"departments:{dept.id}"
    assert "name=绿化部" in created[0].detail
    assert "name: 绿化部 → 园林绿化部" in updated[0].detail
    assert "parent: 后勤服务中心 → " in updated[0].detail


def test_a_department_cannot_sit_under_itself_or_its_children(editor):
    top = Department.get(Department.name == "后勤服务中心")
    child = Department.get(Department.name == "工程部")
    for parent in (top, child):
        page = post_form(editor, f"/admin/catalogue/departments/{top.id}",
                    {"name": "后勤服务中心", "parent": str(parent.id)})
        assert page.status_code == 400 and "上级不能是本部门或其下级部门" in page.get_data(as_text=True)
    assert Department.get_by_id(top.id).parent_id is None


def test_a_fault_type_keeps_what_was_typed_when_it_is_refused(editor):
    page = post_form(editor, "/admin/catalogue/fault-types/new",
                {"name": "水电", "kind": "repair", "keywords": "漏水,跳闸", "sort_order": "x"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "排序须为整数" in text and 'value="水电"' in text and "漏水,跳闸</textarea>" in text
    page = post_form(editor, "/admin/catalogue/fault-types/new",
                {"name": "水电", "kind": "repair", "sort_order": "3"})
    assert "名称已被使用" in page.get_data(as_text=True)
    for name, problem in (("", "请填写名称"), ("电,梯", "名称不能包含逗号"), ("长" * 33, "名称太长了")):
        page = post_form(editor, "/admin/catalogue/fault-types/new", {"name": name, "kind": "repair"})
        assert page.status_code == 400 and problem in page.get_data(as_text=True)
    page = post_form(editor, "/admin/catalogue/fault-types/new", {"name": "电梯", "kind": "planet"})
    assert "请从列表中选择类别" in page.get_data(as_text=True)
    assert FaultType.select().where(FaultType.name.in_(["电梯", "电,梯"])).count() == 0
    assert not audit_rows("fault-types.create")


@pytest.mark.parametrize("name", ["水\x00电", "水\x1b电", "水\n电"])
def test_control_characters_are_refused_not_a_server_error(editor, name):
    page = post_form(editor, "/admin/catalogue/fault-types/new", {"name": name, "kind": "repair"})
    assert page.status_code == 400 and "控制字符" in page.get_data(as_text=True)
    ok = post_form(editor, "/admin/catalogue/fault-types/new",
              {"name": "电梯", "kind": "repair", "keywords": "电梯\n扶梯"})
    assert ok.status_code == 302


def test_a_fault_type_is_made_with_keywords_kind_and_department(editor):
    order = Department.get(Department.name == "秩序部")
    post_form(editor, "/admin/catalogue/fault-types/new",
         {"name": "噪音扰民", "kind": "matter", "keywords": "噪音，吵闹", "sort_order": "20",
          "department": str(order.id)})
    made = FaultType.get(FaultType.name == "噪音扰民")
    assert (made.kind, made.keyword_list, made.department_id, made.sort_order) == (
        "matter", ["噪音", "吵闹"], order.id, 20)
    listed = editor.get("/admin/catalogue/fault-types").get_data(as_text=True)
    assert "<td>报事</td>" in listed and "<td>秩序部</td>" in listed


def test_urgent_keywords_are_edited_on_the_fault_type_form_and_audited(editor):
    lift = FaultType.get(FaultType.name == "公共设施")
    form = editor.get(f"/admin/catalogue/fault-types/{lift.id}").get_data(as_text=True)
    assert "紧急关键词" in form and "电梯困人,困在电梯" in form
    post_form(editor, f"/admin/catalogue/fault-types/{lift.id}",
         {"name": "公共设施", "kind": "repair", "keywords": lift.keywords,
          "urgent_keywords": "电梯困人，扶梯夹脚", "sort_order": "4"})
    assert FaultType.get_by_id(lift.id).urgent_keyword_list == ["电梯困人", "扶梯夹脚"]
    assert "urgent_keywords" in audit_rows("fault-types.update")[-1].detail
    listed = editor.get("/admin/catalogue/fault-types").get_data(as_text=True)
    assert "<th>紧急关键词</th>" in listed and "<td>电梯困人，扶梯夹脚</td>" in listed


def test_the_fault_type_page_shows_its_sla_from_the_config(app, editor):
    app.extensions["baoxiu"].settings.sla["types"] = {"水电": {"complete_hours": 4}}
    water = FaultType.get(FaultType.name == "水电")
    page = editor.get(f"/admin/catalogue/fault-types/{water.id}").get_data(as_text=True)
    assert "[sla.types.水电]" in page and "4 小时" in page and "紧急" in page
    other = FaultType.get(FaultType.name == "空调")
    page = editor.get(f"/admin/catalogue/fault-types/{other.id}").get_data(as_text=True)
    assert "通用时限" in page and "24 小时" in page


def test_a_fault_type_with_its_own_sla_is_not_renamed_away_from_it(app, editor):
    app.extensions["baoxiu"].settings.sla["types"] = {"水电": {"complete_hours": 4}}
    water = FaultType.get(FaultType.name == "水电")
    page = post_form(editor, f"/admin/catalogue/fault-types/{water.id}",
                {"name": "水电维修", "kind": "repair"})
    assert page.status_code == 400 and "改名后将不再生效" in page.get_data(as_text=True)
    assert FaultType.get_by_id(water.id).name == "水电"
    kept = post_form(editor, f"/admin/catalogue/fault-types/{water.id}",
                {"name": "水电", "kind": "repair", "keywords": "漏水", "sort_order": "0"})
    assert kept.status_code == 302 and FaultType.get_by_id(water.id).keywords == "漏水"


def test_a_deactivated_department_is_not_offered_but_stays_where_chosen(editor):
    order = Department.get(Department.name == "秩序部")
    post_form(editor, f"/admin/catalogue/departments/{order.id}/active", {"active": "0"},
         form="/admin/catalogue/departments")
    assert not Department.get_by_id(order.id).active
    assert audit_rows("departments.deactivate")[0].detail == "秩序部 rows=1"
    new_form = editor.get("/admin/catalogue/fault-types/new").get_data(as_text=True)
    assert f'<option value="{order.id}"' not in new_form
    theft = FaultType.get(FaultType.name == "失物报失")
    edit_form = editor.get(f"/admin/catalogue/fault-types/{theft.id}").get_data(as_text=True)
    assert f'<option value="{order.id}" selected>秩序部' in edit_form
    refused = post_form(editor, "/admin/catalogue/fault-types/new",
                   {"name": "噪音", "kind": "matter", "department": str(order.id)})
    assert refused.status_code == 400 and "请从列表中选择负责部门" in refused.get_data(as_text=True)
    kept = post_form(editor, f"/admin/catalogue/fault-types/{theft.id}",
                {"name": "失物报失", "kind": "matter", "department": str(order.id)})
    assert kept.status_code == 302 and FaultType.get_by_id(theft.id).department_id == order.id


def test_every_text_field_is_shown_escaped(editor):
    top = Department.get(Department.name == "后勤服务中心")
    post_form(editor, "/admin/catalogue/departments/new", {"name": XSS, "parent": str(top.id)})
    post_form(editor, "/admin/catalogue/fault-types/new",
         {"name": XSS, "kind": "repair", "keywords": XSS})
    post_form(editor, "/admin/catalogue/locations/new", {"name": XSS})
    post_form(editor, "/admin/catalogue/device-types/new", {"name": XSS})
    kind = DeviceType.get(DeviceType.name == XSS)
    post_form(editor, "/admin/catalogue/devices/new", {"code": XSS, "device_type": str(kind.id),
                                                  "model": XSS, "vendor": XSS})
    counts = {"departments": 1, "fault-types": 2, "locations": 2, "device-types": 1, "devices": 4}
    for slug, shown in counts.items():
        page = editor.get(f"/admin/catalogue/{slug}").get_data(as_text=True)
        assert XSS not in page and page.count(ESCAPED) >= shown, slug
    device = Device.get(Device.code == XSS)
    for path in (f"/admin/catalogue/devices/{device.id}", "/admin/catalogue/fault-types/new",
                 f"/admin/catalogue/fault-types/{FaultType.get(FaultType.name == XSS).id}"):
        page = editor.get(path).get_data(as_text=True)
        assert XSS not in page and ESCAPED in page
    # A refused value comes back in the form, escaped too.
    page = post_form(editor, "/admin/catalogue/departments/new", {"name": "x", "duty_phone": XSS})
    assert page.status_code == 400 and XSS not in page.get_data(as_text=True)
    assert ESCAPED in page.get_data(as_text=True)
    device_page = post_form(editor, "/admin/catalogue/devices/new", {"code": "D-1", "vendor_phone": XSS})
    assert XSS not in device_page.get_data(as_text=True)


@pytest.mark.parametrize("slug, model", [
    ("departments", Department), ("fault-types", FaultType), ("locations", Location),
    ("device-types", DeviceType), ("devices", Device)])
def test_every_list_and_form_opens_for_an_editor(editor, slug, model):
    first = model.select().order_by(model.id).first()
    listed = editor.get(f"/admin/catalogue/{slug}").get_data(as_text=True)
    assert f'href="/admin/catalogue/{slug}/{first.id}"' in listed
    for path in (f"/admin/catalogue/{slug}/new", f"/admin/catalogue/{slug}/{first.id}"):
        page = editor.get(path)
        assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
