"""Invite codes in the back office: issuing, listing by status, revoking; and the chat's side."""
import pytest

from models.catalogue import Department, FaultType, Location
from models.invites import create_invite
from models.people import EngineerProfile, InviteCode, User
from models.staff import AuditLog
from tests.admin_flows import desk, token
from tests.wechat_sim import Chat

XSS = "<script>alert(1)</script>"


def issue(client, **fields):
    form = {"role": "engineer", "days": "7", **fields,
            "csrf_token": token(client, "/admin/people/invites/new")}
    return client.post("/admin/people/invites/new", data=form)


def revoke(client, invite):
    return client.post(f"/admin/people/invites/{invite.id}/revoke",
                       data={"csrf_token": token(client, "/admin/people/invites")})


@pytest.mark.parametrize("role", ["dispatcher", "leader"])
def test_only_supervisors_and_admins_see_or_issue_codes(client, clock, role):
    invite = create_invite("engineer", clock.now(), 7)
    desk(client, role)
    assert client.get("/admin/people/invites").status_code == 403
    assert client.get("/admin/people/invites/new").status_code == 403
    csrf = token(client, "/admin/")
    form = {"role": "engineer", "days": "7", "csrf_token": csrf}
    assert client.post("/admin/people/invites/new", data=form).status_code == 403
    assert client.post(f"/admin/people/invites/{invite.id}/revoke",
                       data={"csrf_token": csrf}).status_code == 403
    assert InviteCode.select().count() == 1 and InviteCode.get().revoked_at is None


def test_a_supervisor_issues_an_engineer_code_that_binds_in_the_chat(client, clock):
    desk(client, "supervisor", "zhuguan")
    skills = [str(FaultType.get(FaultType.name == n).id) for n in ("水电", "空调")]
    area = str(Location.get(Location.full_name == "东校区 3号楼").id)
    dept = str(Department.get(Department.name == "工程部").id)
    made = issue(client, name="赵师傅", phone="137 0000 0009", skills=skills, areas=[area],
                 department=dept, shift="day", days="3")
    invite = InviteCode.get()
    listed = client.get(made.headers["Location"]).get_data(as_text=True)
    assert f"邀请码已生成：{invite.code}" in listed and f"<code>{invite.code}</code>" in listed
    assert (invite.role, invite.name, invite.phone, invite.skills, invite.areas, invite.shift) == (
        "engineer", "赵师傅", "13700000009", "水电,空调", "东校区 3号楼", "day")
    assert invite.expires_at == clock.now().replace(day=29)
    row = AuditLog.get(AuditLog.action == "invite.create")
    assert row.actor == "zhuguan" and row.target == f"invite:{invite.code}"
    chat = Chat(client, "o_new_engineer_01")
    assert "绑定成功" in chat.say(f"绑定 {invite.code}")
    profile = EngineerProfile.select().join(User).where(User.openid == chat.openid).get()
    assert sorted(s.fault_type.name for s in profile.skills) == ["水电", "空调"]
    assert (profile.shift, profile.user.department.name) == ("day", "工程部")
    assert "已使用" in client.get("/admin/people/invites?status=used").get_data(as_text=True)


def test_a_supervisor_may_not_invite_an_admin_but_an_admin_may(app, client):
    desk(client, "supervisor", "zhuguan")
    assert 'value="admin"' not in client.get("/admin/people/invites/new").get_data(as_text=True)
    refused = issue(client, role="admin")
    assert refused.status_code == 400 and "请从列表中选择角色" in refused.get_data(as_text=True)
    boss = app.test_client()
    desk(boss, "admin", "boss")
    assert issue(boss, role="admin").status_code == 302
    assert [i.role for i in InviteCode.select()] == ["admin"]


@pytest.mark.parametrize("fields, problem", [
    ({"phone": "12345"}, "请填写有效的手机号"),
    ({"days": "0"}, "有效天数须为1–90天"),
    ({"days": "91"}, "有效天数须为1–90天"),
    ({"days": "一周"}, "有效天数须为整数"),
    ({"skills": ["999999"]}, "请从列表中选择技能"),
    ({"shift": "weekend"}, "请从列表中选择班次"),
    ({"name": "名" * 65}, "姓名太长了"),
])
def test_bad_invite_fields_are_explained_and_no_code_is_made(client, fields, problem):
    desk(client, "admin")
    page = issue(client, **{"name": "钱师傅", **fields})
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and problem in text
    assert 'value="' + fields.get("name", "钱师傅") + '"' in text
    assert InviteCode.select().count() == 0 and not AuditLog.select().where(
        AuditLog.action == "invite.create").exists()


def test_a_revoked_code_is_refused_politely_in_the_chat(client, clock, chat):
    invite = create_invite("engineer", clock.now(), 7, name="孙师傅")
    desk(client, "supervisor", "zhuguan")
    answer = revoke(client, invite)
    assert "邀请码已作废" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert InviteCode.get_by_id(invite.id).revoked_at == clock.now()
    assert AuditLog.get(AuditLog.action == "invite.revoke").target == f"invite:{invite.code}"
    assert "无效、已使用或已过期" in chat.say(f"绑定 {invite.code}")
    user = User.get(User.openid == chat.openid)
    assert user.role == "reporter" and not EngineerProfile.select().exists()
    page = client.get("/admin/people/invites?status=revoked").get_data(as_text=True)
    assert invite.code in page and "已作废" in page
    active = client.get("/admin/people/invites?status=active").get_data(as_text=True)
    assert invite.code not in active


def test_used_and_expired_codes_cannot_be_revoked(client, clock, chat):
    used = create_invite("leader", clock.now(), 7)
    chat.say(f"绑定 {used.code}")
    expired = create_invite("leader", clock.now(), 1)
    clock.advance(days=2)
    desk(client, "admin")
    for invite in (used, expired):
        answer = revoke(client, invite)
        assert "无法作废" in client.get(answer.headers["Location"]).get_data(as_text=True)
        assert InviteCode.get_by_id(invite.id).revoked_at is None
    assert expired.code in client.get("/admin/people/invites?status=expired").get_data(as_text=True)
    assert not AuditLog.select().where(AuditLog.action == "invite.revoke").exists()
    assert client.post("/admin/people/invites/424242/revoke",
                       data={"csrf_token": token(client, "/admin/")}).status_code == 404


def test_a_revoke_without_the_csrf_token_is_refused(client, clock):
    invite = create_invite("engineer", clock.now(), 7)
    desk(client, "admin")
    assert client.post(f"/admin/people/invites/{invite.id}/revoke").status_code == 400
    assert InviteCode.get_by_id(invite.id).revoked_at is None


def test_text_on_the_invite_list_is_escaped(client, clock):
    desk(client, "admin")
    issue(client, name=XSS)
    page = client.get("/admin/people/invites").get_data(as_text=True)
    assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_too_many_areas_for_one_code_are_refused_with_a_hint(client):
    desk(client, "admin")
    every_place = [str(p.id) for p in Location.select()]
    page = issue(client, areas=every_place)
    assert page.status_code == 400 and "负责区域选得太多了" in page.get_data(as_text=True)
    assert InviteCode.select().count() == 0


def test_renames_in_the_catalogue_reach_unused_invites(client, clock):
    waiting = create_invite("engineer", clock.now(), 7, skills="水电,空调",
                            areas="东校区 3号楼,东校区 3号楼 201,西校区")
    desk(client, "admin")
    water = FaultType.get(FaultType.name == "水电")
    building = Location.get(Location.full_name == "东校区 3号楼")
    for path, form in ((f"/admin/catalogue/fault-types/{water.id}",
                        {"name": "水电暖", "kind": "repair"}),
                       (f"/admin/catalogue/locations/{building.id}", {"name": "三号楼"})):
        saved = client.post(path, data={**form, "csrf_token": token(client, path)})
        assert saved.status_code == 302
    invite = InviteCode.get_by_id(waiting.id)
    assert invite.skills == "水电暖,空调"
    assert invite.areas == "东校区 三号楼,东校区 三号楼 201,西校区"
    chat = Chat(client, "o_renamed_engineer")
    chat.say(f"绑定 {invite.code}")
    profile = EngineerProfile.select().join(User).where(User.openid == chat.openid).get()
    assert sorted(a.location.full_name for a in profile.areas) == [
        "东校区 三号楼", "东校区 三号楼 201", "西校区"]
    assert sorted(s.fault_type.name for s in profile.skills) == ["水电暖", "空调"]
