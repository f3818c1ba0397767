"""Opening a database from its URL: PostgreSQL gets a connect timeout unless the URL sets one."""
from models.database import PG_CONNECT_TIMEOUT, ReconnectingPostgres, db, open_database


def opened(url):
    """The handle open_database makes for `url`, the proxy put back as it was."""
    before = db.obj
    try:
        return open_database(url)
    finally:
        db.initialize(before)


def test_postgres_waits_at_most_a_few_seconds_for_a_connection():
    database = opened("postgresql://postgres@127.0.0.1:1/nowhere")
    assert isinstance(database, ReconnectingPostgres)
    assert database.connect_params["connect_timeout"] == PG_CONNECT_TIMEOUT <= 4


def test_the_urls_own_connect_timeout_wins():
    database = opened("postgresql://postgres@127.0.0.1:1/nowhere?connect_timeout=10")
    assert int(database.connect_params["connect_timeout"]) == 10
