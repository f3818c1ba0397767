"""Every back-office page, opened by every role, over data full of script tags.

The pages come from the app's own URL map, so a page added later without a line in PARAMS
fails here until someone says how to open it. Allowed roles get 200, the others 403, and no
HTML page ever carries the typed markup unescaped.
"""
import pytest

from models.catalogue import Device, Location
from models.handoff import request_handoff
from models.notifications import Notification
from models.orders import Attachment, RepairOrder
from models.people import EngineerProfile, User
from models.staff import STAFF_ROLES, StaffAccount
from models.workflow import fire
from tests.admin_flows import TOKEN_RE, desk, make_staff
from tests.conftest import START
from tests.flows import plumber
from tests.admin.test_orders import new_order

XSS = '<script>alert("x")</script>'


@pytest.fixture
def evil(app, client, clock):
    """An order, a place, a device, an engineer and staff whose every text is a script tag."""
    wang = plumber(client, clock, name="王师傅")
    engineer = User.get(User.openid == wang.openid)
    User.update(name=XSS).where(User.id == engineer.id).execute()
    reporter = User.create(openid="o_evil_reporter_01", name=XSS, phone="13800138000",
                           created_at=START)
    room = Location.get(Location.full_name == "东校区 3号楼 201")
    place = Location.create(name=XSS, parent=room.parent, level="room",
                            full_name=f"东校区 3号楼 {XSS}")
    device = Device.get(Device.code == "KT-E3-201")
    Device.update(model=XSS, vendor=XSS).where(Device.id == device.id).execute()
    order = new_order(reporter, clock.now(), description=XSS, where=XSS)
    fire(order, "dispatch", None, clock.now(), note=XSS, engineer=engineer.id)
    fire(order, "accept", engineer, clock.now())
    fire(order, "complete", engineer, clock.now(), note=XSS, solution=XSS, materials=XSS)
    fire(order, "rate", reporter, clock.now(), rating=1, feedback=XSS)
    Notification.create(kind="completed", order=order, recipient=reporter, openid=reporter.openid,
                        template_id="T", payload="{}", client_msg_id="evil-1", status="dead",
                        next_attempt_at=clock.now(), last_error=XSS, created_at=clock.now())
    Attachment.create(order=order, uploader=reporter, media_id="m1", stage="before",
                      created_at=clock.now())
    make_staff("evil", "dispatcher", XSS)
    handoff = request_handoff(reporter.id, XSS, clock.now())
    return {"order_id": order.id, "request_id": handoff.id, "attachment_id": Attachment.get().id,
            "profile_id": EngineerProfile.get(EngineerProfile.user == engineer.id).id,
            "staff_id": StaffAccount.get(StaffAccount.username == "evil").id,
            "location_id": place.id, "device_id": device.id, "row_id": place.id,
            "slug": "locations", "report": "daily"}


def pages(app) -> list:
    """(path template, endpoint, allowed roles) of every GET page behind a role guard."""
    return [(rule.rule, rule.endpoint, app.view_functions[rule.endpoint].allowed_roles)
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("admin.") and "GET" in rule.methods
            and hasattr(app.view_functions[rule.endpoint], "allowed_roles")]


def fill(rule: str, values: dict) -> str:
    """The path with each <converter:name> replaced by the fixture's value for `name`."""
    path = rule
    while "<" in path:
        start, end = path.index("<"), path.index(">")
        name = path[start + 1:end].split(":")[-1]
        path = path[:start] + str(values[name]) + path[end + 1:]
    return path


# A photo never downloaded has no file: its page is 404 for everyone who may look.
NOT_FOUND = {"admin.photo"}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_page_answers_each_role_and_shows_typed_markup_escaped(app, client, evil, role,
                                                                      sandbox):
    desk(client, role=role, username=f"r_{role}")
    checked = 0
    for rule, endpoint, allowed in pages(app):
        response = client.get(fill(rule, evil))
        expected = 403 if role not in allowed else (404 if endpoint in NOT_FOUND else 200)
        assert response.status_code == expected, (endpoint, response.status_code)
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            assert "<script>alert" not in body, endpoint
        checked += 1
    assert checked >= 25


def test_the_admin_may_do_whatever_the_desk_may(app):
    """The first account is an admin: it must never be locked out of the desk's work."""
    guarded = pages(app) + actions(app)
    desk_work = [endpoint for _, endpoint, allowed in guarded
                 if allowed & {"dispatcher", "supervisor"}]
    assert {"admin.phone_entry", "admin.order_dispatch", "admin.order_print"} <= set(desk_work)
    assert [endpoint for _, endpoint, allowed in guarded
            if endpoint in desk_work and "admin" not in allowed] == []


def test_the_pages_that_show_the_data_show_it_escaped(app, client, evil, sandbox):
    desk(client, role="admin", username="lead")
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"
    for path in ("/admin/orders", f"/admin/orders/{evil['order_id']}",
                 f"/admin/orders/{evil['order_id']}/print", "/admin/outbox",
                 "/admin/people/engineers", "/admin/catalogue/locations",
                 f"/admin/posters/location/{evil['location_id']}",
                 "/admin/catalogue/devices", "/admin/staff", "/admin/handoffs"):
        assert escaped in client.get(path).get_data(as_text=True), path
    assert RepairOrder.get_by_id(evil["order_id"]).description == XSS   # stored as typed


def actions(app) -> list:
    """(path template, endpoint, allowed roles) of every POST behind a role guard."""
    return [(rule.rule, rule.endpoint, app.view_functions[rule.endpoint].allowed_roles)
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("admin.") and "POST" in rule.methods
            and hasattr(app.view_functions[rule.endpoint], "allowed_roles")]


def test_every_action_needs_the_csrf_token_and_the_right_role(app, client, evil, sandbox):
    before = (RepairOrder.get_by_id(evil["order_id"]).status, StaffAccount.select().count())
    desk(client, role="supervisor", username="lead")
    for rule, endpoint, allowed in actions(app):
        path = fill(rule, {**evil, "note_id": 1, "invite_id": 1})
        assert client.post(path, data={"note": "x"}).status_code == 400, endpoint  # no token
    outsiders = {role: app.test_client() for role in STAFF_ROLES}
    for role, other in outsiders.items():
        desk(other, role=role, username=f"o_{role}")
    for rule, endpoint, allowed in actions(app):
        path = fill(rule, {**evil, "note_id": 1, "invite_id": 1})
        for role in set(STAFF_ROLES) - allowed:
            other = outsiders[role]
            page_token = TOKEN_RE.search(other.get("/admin/").get_data(as_text=True)).group(1)
            response = other.post(path, data={"note": "x", "csrf_token": page_token})
            assert response.status_code == 403, (endpoint, role)
    assert (RepairOrder.get_by_id(evil["order_id"]).status,
            StaffAccount.select().count()) == (before[0], before[1] + 1 + len(STAFF_ROLES))
