"""Shared steps for back-office tests: staff accounts, logging in, CSRF tokens."""
import re

from models.staff import AuditLog, create_staff
from tests.conftest import START

PASSWORD = "correct horse 42"
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_staff(username="boss", role="admin", display_name="王主任"):
    return create_staff(username, PASSWORD, role, display_name, START)


def token(client, path="/admin/login") -> str:
    """The CSRF token of the form that `path` renders."""
    page = client.get(path)
    return TOKEN_RE.search(page.get_data(as_text=True)).group(1)


def log_in(client, username="boss", password=PASSWORD, **environ):
    return client.post("/admin/login", data={"username": username, "password": password,
                                             "csrf_token": token(client)}, **environ)


def desk(client, role="dispatcher", username="desk", display_name="前台小李"):
    """A logged-in member of staff with `role`."""
    make_staff(username, role, display_name)
    log_in(client, username)


def post_form(client, path, data, form=None):
    """POST `data` with the CSRF token of the form at `form` (default: the page itself)."""
    return client.post(path, data={**data, "csrf_token": token(client, form or path)})


def audit_rows(action):
    """The audit log's rows of `action`, oldest first."""
    return list(AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id))
