"""The cast played once per test session (about 15 s on SQLite), and its summary line at the
end of the test output."""
from __future__ import annotations

import pytest

from models import db, open_database
from tests.personas.cast import CAST
from tests.personas.driver import play_cast
from tests.personas.figures import Figures, summary_line
from tests.personas.world import settings_for

PLAYED: list[Figures] = []   # what the session measured, for the summary line


@pytest.fixture(scope="session")
def figures(_schema, database_url, redis_client, _sandbox_server, tmp_path_factory) -> Figures:
    """Every person of the cast played through the real webhook, and the figures."""
    open_database(database_url)
    settings = settings_for(tmp_path_factory.mktemp("personas"), database_url,
                            _sandbox_server.url)
    try:
        measured = Figures(play_cast(settings, redis_client, _sandbox_server, CAST))
    finally:
        db.close()
    PLAYED.append(measured)
    return measured


def pytest_terminal_summary(terminalreporter):
    for measured in PLAYED:
        terminalreporter.write_line(summary_line(measured))
