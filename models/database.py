"""The database handle every table binds to, and how to open it from a URL."""
import fcntl
import sqlite3
import threading

from peewee import DatabaseProxy, Model, SqliteDatabase
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url

db = DatabaseProxy()

# SQLite tuned for several web workers: WAL lets readers run beside one writer, and
# BEGIN IMMEDIATE takes the write lock up front so two writers queue instead of deadlocking.
SQLITE_OPTIONS = {
    "pragmas": {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
                "synchronous": "normal", "cache_size": -16000},
    "lock_type": "IMMEDIATE",
    # UPDATE … RETURNING saves a read-back (order numbers); SQLite has it since 3.35.
    "returning_clause": sqlite3.sqlite_version_info >= (3, 35),
}


class QueuedWritersSqlite(SqliteDatabase):
    """SQLite whose write transactions queue on a file lock, across threads and processes.

    SQLite allows one writer at a time and makes the others poll with growing sleeps (1 ms,
    2 ms, 5 ms …). Queuing writers on flock() instead wakes the next one the moment the
    previous transaction ends, which matters when several web workers confirm orders at once.
    """

    def __init__(self, database, *args, **kwargs):
        super().__init__(database, *args, **kwargs)
        self._lock_path = f"{database}-writers.lock" if database != ":memory:" else None
        self._local = threading.local()

    def begin(self, lock_type=None):
        self._acquire()
        try:
            super().begin(lock_type)
        except BaseException:
            self._release()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._release()

    def _acquire(self) -> None:
        if self._lock_path is None:
            return
        if getattr(self._local, "handle", None) is None:
            self._local.handle = open(self._lock_path, "a+b")  # one per thread: flock is per file
        fcntl.flock(self._local.handle, fcntl.LOCK_EX)
        self._local.held = True

    def _release(self) -> None:
        if getattr(self._local, "held", False):
            self._local.held = False
            fcntl.flock(self._local.handle, fcntl.LOCK_UN)


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
    if url.startswith("sqlite"):
        database = QueuedWritersSqlite(**parse_url(url), **SQLITE_OPTIONS)
    else:
        database = connect_url(url)
    database.source_url = url
    db.initialize(database)
    return database


def is_sqlite() -> bool:
    """True when the proxy points at SQLite (a few queries differ)."""
    return isinstance(db.obj, SqliteDatabase)
