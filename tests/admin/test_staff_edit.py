"""Editing back-office accounts: name and role, switching off, new password; admins only."""
import pytest

from models.staff import AuditLog, StaffAccount
from tests.admin_flows import PASSWORD, desk, log_in, make_staff, token

XSS = "<script>alert(1)</script>"


@pytest.fixture
def admin(client):
    desk(client, "admin", "boss", "王主任")
    return StaffAccount.get(StaffAccount.username == "boss")


@pytest.fixture
def clerk():
    return make_staff("clerk", "dispatcher", "前台小李")


def edit(client, account, suffix="", **data):
    path = f"/admin/staff/{account.id}"
    return client.post(path + suffix, data={**data, "csrf_token": token(client, path)})


def test_only_admins_open_or_change_accounts(client, clerk):
    desk(client, "supervisor", "zhuguan")
    csrf = token(client, "/admin/")
    assert client.get(f"/admin/staff/{clerk.id}").status_code == 403
    for suffix, data in (("", {"display_name": "x", "role": "admin"}), ("/active", {"active": "0"}),
                         ("/password", {"password": "a new password"})):
        answer = client.post(f"/admin/staff/{clerk.id}{suffix}", data={**data, "csrf_token": csrf})
        assert answer.status_code == 403
    clerk = StaffAccount.get_by_id(clerk.id)
    assert (clerk.display_name, clerk.role, clerk.active) == ("前台小李", "dispatcher", True)


def test_an_admin_renames_and_promotes_an_account(client, admin, clerk):
    assert f'href="/admin/staff/{clerk.id}"' in client.get("/admin/staff").get_data(as_text=True)
    saved = edit(client, clerk, display_name="李主管", role="supervisor")
    assert saved.status_code == 302
    clerk = StaffAccount.get_by_id(clerk.id)
    assert (clerk.display_name, clerk.role) == ("李主管", "supervisor")
    row = AuditLog.get(AuditLog.action == "staff.update")
    assert row.actor == "boss" and row.target == "staff:clerk"
    assert row.detail == "display_name: 前台小李 → 李主管; role: dispatcher → supervisor"
    assert "账号已保存：clerk" in client.get("/admin/staff").get_data(as_text=True)


@pytest.mark.parametrize("data, problem", [
    ({"display_name": "", "role": "dispatcher"}, "请填写姓名"),
    ({"display_name": "小李", "role": "janitor"}, "请选择角色"),
    ({"display_name": "小\x00李", "role": "dispatcher"}, "控制字符"),
])
def test_bad_account_fields_are_explained(client, admin, clerk, data, problem):
    page = edit(client, clerk, **data)
    assert page.status_code == 400 and problem in page.get_data(as_text=True)
    assert StaffAccount.get_by_id(clerk.id).display_name == "前台小李"


def test_an_admin_cannot_change_their_own_role_or_switch_themselves_off(client, admin):
    page = edit(client, admin, display_name="王主任", role="dispatcher")
    assert page.status_code == 400 and "不能修改自己的角色" in page.get_data(as_text=True)
    refused = edit(client, admin, "/active", active="0")
    assert "不能停用自己的账号" in client.get(refused.headers["Location"]).get_data(as_text=True)
    me = StaffAccount.get_by_id(admin.id)
    assert (me.role, me.active) == ("admin", True)
    assert edit(client, admin, display_name="王大主任", role="admin").status_code == 302
    assert "停用账号" not in client.get(f"/admin/staff/{admin.id}").get_data(as_text=True)


def test_a_switched_off_account_is_logged_out_at_once_and_can_come_back(app, client, admin, clerk):
    other = app.test_client()
    log_in(other, "clerk")
    assert other.get("/admin/").status_code == 200
    edit(client, clerk, "/active", active="0")
    assert not StaffAccount.get_by_id(clerk.id).active
    assert other.get("/admin/").status_code == 302
    assert "用户名或密码不正确" in log_in(other, "clerk").get_data(as_text=True)
    edit(client, clerk, "/active", active="1")
    assert log_in(app.test_client(), "clerk").status_code == 302
    assert [r.action for r in AuditLog.select().where(AuditLog.target == "staff:clerk",
                                                      AuditLog.staff == admin.id)
            .order_by(AuditLog.id)] == ["staff.deactivate", "staff.activate"]


def test_a_password_reset_takes_the_new_password_and_is_audited_without_it(app, client, admin,
                                                                          clerk):
    short = edit(client, clerk, "/password", password="short")
    assert short.status_code == 400 and "密码长度须为8–128位" in short.get_data(as_text=True)
    edit(client, clerk, "/password", password="brand new secret 7")
    other = app.test_client()
    assert log_in(other, "clerk", PASSWORD).status_code == 200  # the old one no longer works
    assert log_in(other, "clerk", "brand new secret 7").status_code == 302
    row = AuditLog.get(AuditLog.action == "staff.password")
    assert row.target == "staff:clerk" and "brand new" not in row.detail


def test_unknown_accounts_are_404_and_posts_need_the_token(client, admin, clerk):
    assert client.get("/admin/staff/9999").status_code == 404
    assert client.post(f"/admin/staff/{clerk.id}/active", data={"active": "0"}).status_code == 400
    assert StaffAccount.get_by_id(clerk.id).active


def test_names_on_the_account_pages_are_escaped(client, admin, clerk):
    edit(client, clerk, display_name=XSS, role="dispatcher")
    for path in ("/admin/staff", f"/admin/staff/{clerk.id}"):
        page = client.get(path).get_data(as_text=True)
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_switching_back_on_does_not_revive_an_old_session(app, client, admin, clerk):
    old = app.test_client()
    log_in(old, "clerk")
    edit(client, clerk, "/active", active="0")
    assert old.get("/admin/").status_code == 302          # the session ends, for good
    edit(client, clerk, "/active", active="1")
    assert old.get("/admin/").status_code == 302          # not back by switching on again
    assert log_in(old, "clerk").status_code == 302        # a fresh login works


def test_a_new_password_ends_the_other_sessions_but_not_the_admins_own(app, client, admin,
                                                                       clerk):
    clerks = app.test_client()
    log_in(clerks, "clerk")
    admins_other = app.test_client()
    log_in(admins_other, "boss")
    edit(client, clerk, "/password", password="brand new secret 7")
    assert clerks.get("/admin/").status_code == 302       # someone who knew the old one is out
    edit(client, admin, "/password", password="another secret 8")
    assert client.get("/admin/").status_code == 200       # the admin who changed it stays in
    assert admins_other.get("/admin/").status_code == 302
