"""The back office's accounts and access: login, logout, CSRF, throttling, roles, audit, CLI."""
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import requests

from models.staff import AuditLog, StaffAccount
from tests.admin_flows import PASSWORD, TOKEN_RE, log_in, make_staff, token
from tests.conftest import START
from tests.cli.test_cli import config_file, run_py
from wechat_bot import create_app

def test_login_shows_home_and_records_the_login(app, client):
    staff = make_staff()
    response = log_in(client)
    assert response.status_code == 302 and response.location == "/admin/"
    home = client.get("/admin/").get_data(as_text=True)
    assert "王主任" in home and "管理员" in home and "账号管理" in home
    assert StaffAccount.get_by_id(staff.id).last_login_at == START
    assert [(row.action, row.actor) for row in AuditLog.select().order_by(AuditLog.id)] == \
        [("staff.create", "cli"), ("login", "boss")]


def test_wrong_password_or_unknown_user_is_refused_alike(app, client):
    make_staff()
    for username, password in (("boss", "wrong password"), ("nobody", PASSWORD)):
        response = log_in(client, username, password)
        assert response.status_code == 200 and "用户名或密码不正确" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_an_inactive_account_cannot_log_in(app, client):
    staff = make_staff()
    StaffAccount.update(active=False).where(StaffAccount.id == staff.id).execute()
    assert "用户名或密码不正确" in log_in(client).get_data(as_text=True)


def test_logout_ends_the_session(app, client):
    make_staff()
    log_in(client)
    response = client.post("/admin/logout", data={"csrf_token": token(client, "/admin/")})
    assert response.status_code == 302 and response.location == "/admin/login"
    assert client.get("/admin/").status_code == 302
    assert AuditLog.select().where(AuditLog.action == "logout").count() == 1


def test_a_cookie_saved_before_logout_opens_nothing_after_it(app, client):
    from models.people import InviteCode
    make_staff()
    log_in(client)
    csrf = token(client, "/admin/people/invites/new")
    saved = client.get_cookie("bx_session").value
    client.post("/admin/logout", data={"csrf_token": token(client, "/admin/")})
    thief = app.test_client()
    thief.set_cookie("bx_session", saved)
    assert thief.get("/admin/orders").status_code == 302
    made = thief.post("/admin/people/invites/new", data={"role": "engineer", "days": "7",
                                                         "csrf_token": csrf})
    assert made.status_code in (302, 400) and "/admin/login" in made.headers.get("Location", "/admin/login")
    assert InviteCode.select().count() == 0


def test_posts_without_the_csrf_token_are_400(app, client):
    make_staff()
    bare = {"username": "boss", "password": PASSWORD}
    assert client.post("/admin/login", data=bare).status_code == 400
    log_in(client)
    refused = client.post("/admin/logout")
    assert refused.status_code == 400 and "页面已过期" in refused.get_data(as_text=True)
    assert client.post("/admin/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/admin/").status_code == 200  # still logged in


def test_anonymous_visitors_are_sent_to_login_and_back(app, client):
    make_staff()
    response = client.get("/admin/staff")
    assert response.status_code == 302 and response.location.startswith("/admin/login?next=")
    login_page = client.get(response.location).get_data(as_text=True)
    form = {"username": "boss", "password": PASSWORD, "next": "/admin/staff",
            "csrf_token": TOKEN_RE.search(login_page).group(1)}
    assert 'name="next" value="/admin/staff"' in login_page
    back = client.post("/admin/login", data=form)
    assert back.location == "/admin/staff"


def test_next_never_leaves_the_back_office(app, client):
    make_staff()
    for target in ("https://evil.example/", "//evil.example/admin/", "/\\evil.example",
                   "/admin/\\..\\\\evil.example"):
        response = client.post("/admin/login", data={"username": "boss", "password": PASSWORD,
                                                     "next": target, "csrf_token": token(client)})
        assert response.location == "/admin/"
        client.post("/admin/logout", data={"csrf_token": token(client, "/admin/")})


def test_five_failures_lock_the_username_for_fifteen_minutes(app, client, clock):
    make_staff()
    for _ in range(5):
        assert log_in(client, password="nope").status_code == 200
    locked = log_in(client)  # even the right password is refused now
    assert locked.status_code == 429 and "15分钟后再试" in locked.get_data(as_text=True)
    clock.advance(minutes=14)
    assert log_in(client).status_code == 429
    clock.advance(minutes=1, seconds=1)
    assert log_in(client).status_code == 302


def test_five_failures_from_one_address_lock_every_username(app, client, clock):
    make_staff()
    for number in range(5):
        log_in(client, f"guess{number}", "nope", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert log_in(client, environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 429
    assert log_in(client, environ_base={"REMOTE_ADDR": "10.0.0.10"}).status_code == 302


def test_forty_logins_at_once_get_at_most_five_password_checks(app, live_server):
    make_staff()

    def ready_session():
        browser = requests.Session()
        page = browser.get(f"{live_server}/admin/login", timeout=10).text
        return browser, TOKEN_RE.search(page).group(1)

    def guess(ready):
        browser, csrf = ready
        return browser.post(f"{live_server}/admin/login", timeout=30, allow_redirects=False,
                            data={"username": "boss", "password": "guess", "csrf_token": csrf})

    with ThreadPoolExecutor(20) as pool:
        sessions = list(pool.map(lambda _: ready_session(), range(41)))
        statuses = sorted(r.status_code for r in pool.map(guess, sessions[:40]))
    assert statuses.count(200) <= 5 and statuses.count(429) >= 35
    browser, csrf = sessions[40]
    right = browser.post(f"{live_server}/admin/login", allow_redirects=False, timeout=10,
                         data={"username": "boss", "password": PASSWORD, "csrf_token": csrf})
    assert right.status_code == 429


def test_failures_outside_the_window_do_not_add_up(app, client, clock):
    make_staff()
    for _ in range(4):
        log_in(client, password="nope")
    clock.advance(minutes=16)
    log_in(client, password="nope")
    assert log_in(client).status_code == 302


def test_failed_logins_are_logged_without_the_password(app, client, caplog):
    log_in(client, "boss", "s3cret-typo")
    assert "admin login failed" in caplog.text and "boss" in caplog.text
    assert "s3cret-typo" not in caplog.text


@pytest.mark.parametrize("role", ["dispatcher", "supervisor", "leader"])
def test_only_admins_open_the_staff_pages(app, client, role):
    make_staff("desk", role, "前台小李")
    log_in(client, "desk")
    home = client.get("/admin/").get_data(as_text=True)
    assert "前台小李" in home and "账号管理" not in home
    forbidden = client.get("/admin/staff")
    assert forbidden.status_code == 403 and "无权访问" in forbidden.get_data(as_text=True)
    assert client.get("/admin/staff/new").status_code == 403
    form = {"username": "sneaky", "display_name": "x", "role": "admin", "password": PASSWORD,
            "csrf_token": token(client, "/admin/")}
    assert client.post("/admin/staff/new", data=form).status_code == 403
    assert not StaffAccount.select().where(StaffAccount.username == "sneaky").exists()


def test_admin_creates_an_account_and_it_is_audited(app, client):
    make_staff()
    log_in(client)
    assert client.get("/admin/staff").status_code == 200
    form = {"username": "Desk1", "display_name": "前台小李", "role": "dispatcher",
            "password": "front desk pw", "csrf_token": token(client, "/admin/staff/new")}
    response = client.post("/admin/staff/new", data=form, follow_redirects=True)
    assert response.status_code == 200 and "账号已创建：desk1" in response.get_data(as_text=True)
    created = StaffAccount.get(StaffAccount.username == "desk1")
    assert created.role == "dispatcher" and created.check_password("front desk pw")
    row = AuditLog.get(AuditLog.target == "staff:desk1")
    assert (row.actor, row.target, row.detail) == ("boss", "staff:desk1", "role=dispatcher")
    assert "front desk pw" not in row.detail and "front desk pw" not in created.password_hash


def test_a_bad_form_is_shown_again_with_its_problems(app, client):
    make_staff()
    log_in(client)
    form = {"username": "boss", "display_name": "", "role": "root", "password": "short",
            "csrf_token": token(client, "/admin/staff/new")}
    page = client.post("/admin/staff/new", data=form).get_data(as_text=True)
    for problem in ("该用户名已被使用", "请填写姓名", "请选择角色", "密码长度须为8–128位"):
        assert problem in page
    assert StaffAccount.select().count() == 1


def test_display_names_are_escaped(app, client):
    make_staff()
    make_staff("evil", "dispatcher", '<script>alert("x")</script>')
    log_in(client)
    page = client.get("/admin/staff").get_data(as_text=True)
    assert "<script>" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_session_cookie_is_httponly_and_samesite(app, client):
    make_staff()
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert "Expires=" in cookie  # a permanent session: 8 hours


def test_a_login_ends_after_eight_hours(app, client, clock):
    make_staff()
    log_in(client)
    clock.advance(hours=7, minutes=59)
    assert client.get("/admin/").status_code == 200
    clock.advance(minutes=2)
    assert client.get("/admin/").status_code == 302


def test_the_signing_key_is_kept_in_the_data_dir(app, settings):
    key_file = settings.data_path / "secret_key"
    assert app.config["SECRET_KEY"] == key_file.read_text() and len(key_file.read_text()) == 64
    assert key_file.stat().st_mode & 0o077 == 0


def test_the_webhook_needs_no_csrf_token(app, chat):
    assert "报修" in chat.say("帮助")


def test_create_admin_makes_an_account_that_logs_in(tmp_path):
    config = config_file(tmp_path)
    result = run_py("create-admin", "--config", config, "--username", "Root",
                    "--password", PASSWORD)
    assert result.returncode == 0, result.stderr
    assert "admin account created: root" in result.stdout and PASSWORD not in result.stdout
    again = run_py("create-admin", "--config", config, "--username", "root", "--password", "short")
    assert again.returncode == 2 and "username already exists" in again.stdout
    assert "short" not in again.stdout
    with sqlite3.connect(tmp_path / "data" / "bot.db") as conn:
        accounts = conn.execute("SELECT username, role FROM staff_account").fetchall()
        assert accounts == [("root", "admin")]
        assert conn.execute("SELECT actor, action, target FROM audit_log").fetchall() == \
            [("cli", "staff.create", "staff:root")]


def test_create_admin_asks_for_the_password_twice(tmp_path):
    config = config_file(tmp_path)
    differ = run_py("create-admin", "--config", config, "--username", "root",
                    stdin=f"{PASSWORD}\nsomething else\n")
    assert differ.returncode == 2 and "differ" in differ.stdout
    result = run_py("create-admin", "--config", config, "--username", "root",
                    stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.returncode == 0 and PASSWORD not in result.stdout + result.stderr
    with sqlite3.connect(tmp_path / "data" / "bot.db") as conn:
        assert conn.execute("SELECT username FROM staff_account").fetchall() == [("root",)]


def second_caller_after_five_failures(app):
    """Five failed logins from one caller, then another caller behind the same proxy logs in."""
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        log_in(app.test_client(), f"intruder{n}", "wrong password",
               headers={"X-Forwarded-For": "203.0.113.7"}, environ_base=proxy)
    return log_in(app.test_client(), headers={"X-Forwarded-For": "203.0.113.8"},
                  environ_base=proxy).status_code


def test_https_marks_the_cookie_secure_and_proxy_hops_trust_the_forwarded_address(
        settings, clock, database, redis_db):
    make_staff()
    plain = create_app(settings, clock=clock, redis_client=redis_db)
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert second_caller_after_five_failures(plain) == 429   # everyone is the proxy: locked out
    redis_db.flushdb()
    behind = create_app(replace(settings, app=replace(settings.app, https=True, proxy_hops=1)),
                        clock=clock, redis_client=redis_db)
    assert behind.config["SESSION_COOKIE_SECURE"] is True
    assert second_caller_after_five_failures(behind) == 302  # the real addresses are told apart
