"""The database handle every table binds to, and how to open it from a URL."""
from peewee import DatabaseProxy, Model
from playhouse.db_url import connect as connect_url

db = DatabaseProxy()

# SQLite tuned for several web workers: WAL lets readers run beside one writer, and
# BEGIN IMMEDIATE takes the write lock up front so two writers queue instead of deadlocking.
SQLITE_OPTIONS = {
    "pragmas": {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
                "synchronous": "normal", "cache_size": -16000},
    "lock_type": "IMMEDIATE",
}


class BaseModel(Model):
    """Every table lives in the one proxied database."""

    class Meta:
        database = db
        legacy_table_names = False


def open_database(url: str):
    """Point the proxy at the database at `url` (sqlite:///, postgresql://, mysql://).

    Opening the same URL again keeps the existing handle and its connections.
    """
    if db.obj is not None and getattr(db.obj, "source_url", None) == url:
        return db.obj
    options = SQLITE_OPTIONS if url.startswith("sqlite") else {}
    database = connect_url(url, **options)
    database.source_url = url
    db.initialize(database)
    return database


def is_sqlite() -> bool:
    """True when the proxy points at SQLite (a few queries differ)."""
    return type(db.obj).__name__.startswith("Sqlite")
