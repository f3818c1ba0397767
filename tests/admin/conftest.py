"""Fixtures the back-office tests share."""
import pytest

from tests.admin_flows import desk


@pytest.fixture
def editor(client):
    """A client logged in as a supervisor, who may edit the catalogue."""
    desk(client, "supervisor", "zhuguan", "张主管")
    return client
