"""The database handle every table binds to, and how to open it from a URL."""
import fcntl
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from typing import Callable, Optional, TypeVar

from peewee import (DatabaseProxy, InterfaceError, Model, OperationalError, PeeweeException,
                    PostgresqlDatabase, SqliteDatabase)
from playhouse.db_url import connect as connect_url
from playhouse.db_url import parse as parse_url
from playhouse.shortcuts import ReconnectMixin

db = DatabaseProxy()
A, B = TypeVar("A"), TypeVar("B")

# SQLite tuned for several web workers: WAL lets readers run beside one writer, and
# BEGIN IMMEDIATE takes the write lock up front so two writers queue instead of deadlocking.
SQLITE_OPTIONS = {
    "pragmas": {"journal_mode": "wal", "busy_timeout": 10000, "foreign_keys": 1,
                "synchronous": "normal", "cache_size": -16000,
                # Checkpoints are the worker's job (checkpoint_wal); this is only a backstop,
                # so a web request rarely pays for copying the log into the database.
                "wal_autocheckpoint": 20000},
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


PG_CONNECT_TIMEOUT = 3  # seconds: well inside WeChat's 5 s for a turn


class ReconnectingPostgres(ReconnectMixin, PostgresqlDatabase):
    """PostgreSQL that opens a new connection when the server has dropped this one.

    A restart, a failover or pg_terminate_backend leaves every process holding a dead
    connection; without this, each later query fails with "connection already closed" until
    the process is restarted. The statement that found the connection dead is run again on a
    fresh one, unless it was inside a transaction (then the caller's change fails as a whole
    and the next statement reconnects).
    """
    reconnect_errors = (
        (OperationalError, "terminating connection"),          # pg_terminate_backend, shutdown
        (OperationalError, "server closed the connection"),    # the server went away
        (OperationalError, "connection already closed"),
        (OperationalError, "ssl connection has been closed"),
        (InterfaceError, "connection already closed"),         # psycopg2, on the next use
    )


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
    elif url.startswith(("postgres://", "postgresql://")):
        # A host that stops answering would otherwise hang a turn (or the worker, or the health
        # check) on connect for minutes; the URL's own ?connect_timeout= wins.
        database = ReconnectingPostgres(**{"connect_timeout": PG_CONNECT_TIMEOUT, **parse_url(url)})
    else:
        database = connect_url(url)
    database.source_url = url
    db.initialize(database)
    return database


def transaction():
    """A transaction, or the caller's if one is open: joined, not nested in a savepoint.

    For writes that must be atomic on their own but are usually part of a bigger change
    (an order and its notice): a savepoint would cost three statements for nothing.
    """
    return nullcontext() if db.in_transaction() else db.atomic()


def checkpoint_wal() -> None:
    """Copy SQLite's write-ahead log into the database without blocking anyone (worker rounds)."""
    if is_sqlite():
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


def check_database() -> Optional[str]:
    """None when the database answers a trivial query now, else what went wrong (health checks)."""
    try:
        db.execute_sql("SELECT 1")
        return None
    except PeeweeException as exc:
        return " ".join(str(exc).split()) or type(exc).__name__  # one line, for logs


def is_sqlite() -> bool:
    """True when the proxy points at SQLite (a few queries differ)."""
    return isinstance(db.obj, SqliteDatabase)


def alongside(side: Callable[[], A], main: Callable[[], B]) -> tuple[A, B]:
    """Both results: `side()` runs on a connection of its own in a second thread while `main()`
    runs here, so the database works on two cores (the side reads what is committed).

    One after the other where a second connection would see another database: in-memory SQLite.
    """
    name = str(getattr(db.obj, "database", ""))
    if is_sqlite() and (not name or ":memory:" in name or "mode=memory" in name):
        return side(), main()
    with ThreadPoolExecutor(max_workers=1) as helper:
        pending = helper.submit(_on_own_connection, side)
        here = main()
        return pending.result(), here


def _on_own_connection(query: Callable[[], A]) -> A:
    with db.connection_context():
        return query()


_INSERT_PLANS: dict = {}
_DEFAULTS: dict = {}


def fast_create(model, **values):
    """Insert one row and return the instance, without peewee's query builder.

    For rows written on the webhook's hot path (orders, events, notifications): the SQL text
    and the columns' defaults are worked out once per table and reused; values still go
    through each field's db_value, and fields left out get their Python defaults, exactly as
    Model.create would.
    """
    sql = _insert_plan(model)
    cursor = db.execute_sql(sql, row_params(model, values))
    row_id = cursor.fetchone()[0] if db.returning_clause else cursor.lastrowid
    return as_stored(model, row_id, values)


def row_params(model, values: dict) -> list:
    """The parameters of `model`'s INSERT, column by column (primary key left out); `values`
    gets the defaults of the fields it lacks, as Model.create would give them."""
    for name, default in _defaults(model):
        if name not in values:
            values[name] = default() if callable(default) else default
    return [field.db_value(values[field.name]) for field in insert_fields(model)]


def insert_fields(model) -> list:
    """The fields an INSERT of `model` writes: all but the primary key, in table order."""
    return [field for field in model._meta.sorted_fields if field is not model._meta.primary_key]


def _defaults(model) -> list:
    """(field name, default) for every field an INSERT writes, worked out once per table."""
    defaults = _DEFAULTS.get(model)
    if defaults is None:
        defaults = [(field.name, model._meta.defaults.get(field)) for field in insert_fields(model)]
        _DEFAULTS[model] = defaults
    return defaults


def as_stored(model, row_id, values: dict):
    """The instance of the row just written, filled as peewee's accessors would fill it
    (a foreign key given as a row keeps that row and its id) but without a setattr per field."""
    instance = model.__new__(model)
    data, related = {model._meta.primary_key.name: row_id}, {}
    for name, value in values.items():
        if isinstance(value, Model):
            related[name] = value
            value = getattr(value, model._meta.fields[name].rel_field.name)
        data[name] = value
    instance.__data__, instance._dirty, instance.__rel__ = data, set(), related
    return instance


def _insert_plan(model) -> str:
    """The INSERT statement of `model`, made once per table and database kind."""
    sql = _INSERT_PLANS.get((model, type(db.obj)))
    if sql is None:
        fields = insert_fields(model)
        columns = ", ".join(quoted(field.column_name) for field in fields)
        marks = ", ".join([db.param] * len(fields))
        sql = f"INSERT INTO {quoted(model._meta.table_name)} ({columns}) VALUES ({marks})"
        if db.returning_clause:
            sql += f" RETURNING {quoted(model._meta.primary_key.column_name)}"
        _INSERT_PLANS[(model, type(db.obj))] = sql
    return sql


def quoted(name: str) -> str:
    """An identifier in the database's quotes ("name" or `name`)."""
    return f"{db.quote[0]}{name}{db.quote[1]}"
