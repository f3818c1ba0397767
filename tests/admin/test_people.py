"""The engineers pages: the list for every role, editing for supervisors and admins."""
import pytest

from models.catalogue import Department, FaultType, Location
from models.people import EngineerProfile, User
from models.staff import AuditLog
from tests.admin_flows import desk, token
from tests.flows import plumber

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def profile_of(openid="o_engineer_wang_01"):
    return EngineerProfile.select().join(User).where(User.openid == openid).get()


def ids(model, column, *names):
    return [str(model.get(column == name).id) for name in names]


@pytest.fixture
def wang(client, clock):
    plumber(client, clock)
    return profile_of()


@pytest.mark.parametrize("role", ["dispatcher", "leader"])
def test_every_role_reads_the_list_but_only_supervisors_and_admins_edit(client, wang, role):
    desk(client, role)
    page = client.get("/admin/people/engineers").get_data(as_text=True)
    assert "王师傅" in page and "水电" in page and "东校区 3号楼" in page and "编辑" not in page
    assert "维修人员</a>" in client.get("/admin/").get_data(as_text=True)
    assert client.get(f"/admin/people/engineers/{wang.id}").status_code == 403
    refused = client.post(f"/admin/people/engineers/{wang.id}",
                          data={"active": "", "csrf_token": token(client, "/admin/")})
    assert refused.status_code == 403 and EngineerProfile.get_by_id(wang.id).active


def test_a_supervisor_changes_skills_areas_shift_department_and_active(client, wang):
    desk(client, "supervisor", "zhuguan")
    page = client.get(f"/admin/people/engineers/{wang.id}").get_data(as_text=True)
    water = FaultType.get(FaultType.name == "水电")
    assert f'name="skills" value="{water.id}" checked' in page
    form = {"skills": ids(FaultType, FaultType.name, "空调", "网络"),
            "areas": ids(Location, Location.full_name, "西校区", "东校区 图书馆"),
            "shift": "night", "department": ids(Department, Department.name, "信息中心")[0],
            "active": "", "csrf_token": token(client, f"/admin/people/engineers/{wang.id}")}
    saved = client.post(f"/admin/people/engineers/{wang.id}", data=form)
    assert saved.status_code == 302
    profile = profile_of()
    assert sorted(s.fault_type.name for s in profile.skills) == ["空调", "网络"]
    assert sorted(a.location.full_name for a in profile.areas) == ["东校区 图书馆", "西校区"]
    assert (profile.shift, profile.active, profile.user.department.name) == ("night", False, "信息中心")
    row = AuditLog.get(AuditLog.action == "engineer.update")
    assert row.actor == "zhuguan" and row.target == f"engineer:{profile.user_id}"
    assert "skills: 水电 → 空调,网络" in row.detail
    assert "active: True → False" in row.detail and "shift:  → night" in row.detail
    listed = client.get("/admin/people/engineers").get_data(as_text=True)
    assert "已保存" in listed and "监控中心（night）" in listed and "停用" in listed


@pytest.mark.parametrize("field, value, problem", [
    ("skills", ["999999"], "请从列表中选择技能"),
    ("skills", ["abc"], "请从列表中选择技能"),
    ("shift", "weekend", "请从列表中选择班次"),
    ("department", "999999", "请从列表中选择所属部门"),
])
def test_bad_choices_are_refused_and_nothing_changes(client, wang, field, value, problem):
    desk(client, "admin")
    form = {"skills": ids(FaultType, FaultType.name, "空调"), "shift": "", "active": "1",
            field: value, "csrf_token": token(client, f"/admin/people/engineers/{wang.id}")}
    page = client.post(f"/admin/people/engineers/{wang.id}", data=form)
    assert page.status_code == 400 and problem in page.get_data(as_text=True)
    assert [s.fault_type.name for s in profile_of().skills] == ["水电"]
    assert not AuditLog.select().where(AuditLog.action == "engineer.update").exists()


def test_a_deactivated_area_is_not_offered_but_an_engineer_keeps_it(client, wang):
    desk(client, "admin")
    building = Location.get(Location.full_name == "东校区 3号楼")
    library = Location.get(Location.full_name == "东校区 图书馆")
    Location.update(active=False).where(Location.id.in_([building.id, library.id])).execute()
    page = client.get(f"/admin/people/engineers/{wang.id}").get_data(as_text=True)
    assert f'value="{building.id}" checked' in page and f'value="{library.id}"' not in page
    csrf = token(client, f"/admin/people/engineers/{wang.id}")
    base = {"skills": ids(FaultType, FaultType.name, "水电"), "active": "1", "csrf_token": csrf}
    kept = client.post(f"/admin/people/engineers/{wang.id}",
                       data={**base, "areas": [str(building.id)]})
    assert kept.status_code == 302
    refused = client.post(f"/admin/people/engineers/{wang.id}",
                          data={**base, "areas": [str(building.id), str(library.id)]})
    assert refused.status_code == 400 and "请从列表中选择负责区域" in refused.get_data(as_text=True)


def test_unknown_engineers_are_404(client):
    desk(client, "admin")
    assert client.get("/admin/people/engineers/4242").status_code == 404
    assert client.get("/admin/people/engineers/99999999999999999999").status_code == 404


def test_an_engineer_post_without_the_csrf_token_is_refused(client, wang):
    desk(client, "admin")
    refused = client.post(f"/admin/people/engineers/{wang.id}", data={"active": ""})
    assert refused.status_code == 400 and EngineerProfile.get_by_id(wang.id).active


def test_names_shown_on_the_engineer_pages_are_escaped(client, wang):
    User.update(name=XSS, phone=XSS).where(User.id == wang.user_id).execute()
    FaultType.update(name=XSS).where(FaultType.name == "水电").execute()
    desk(client, "admin")
    for path in ("/admin/people/engineers", f"/admin/people/engineers/{wang.id}"):
        page = client.get(path).get_data(as_text=True)
        assert XSS not in page and page.count(ESCAPED) >= 2, path
