"""Putting the million orders into a database and keeping them there between runs.

Tables first and indexes after (bulk loads are faster so), executemany on SQLite and COPY on
PostgreSQL, a version row written last so a broken build is redone, and the options and
database loop every million-order benchmark shares.
"""
from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import time as clock
from pathlib import Path

from stats_data import (BENCH_DIR, DATA_VERSION, EVENT_FIELDS, MONTHS, USER_FIELDS, VARYING,
                        batches, catalogue, set_span)
from peewee import CharField, SqliteDatabase  # noqa: E402 - stats_data put the project on the path

from models import db, open_database  # noqa: E402
from models.catalogue import Department, Device, DeviceType, FaultType, Location  # noqa: E402
from models.database import BaseModel  # noqa: E402
from models.job_facts import JobFact  # noqa: E402
from models.repeats import mark_all_repeats  # noqa: E402
from models.schema import add_job_facts, add_missing_columns  # noqa: E402
from models.orders import OrderEvent, RepairOrder  # noqa: E402
from models.people import User  # noqa: E402

TABLES = (Department, FaultType, Location, DeviceType, Device, User, RepairOrder, OrderEvent)
DERIVED = (JobFact,)   # made by the app's own migration from the rows above (add_job_facts)
PG_URL = "postgresql://postgres@127.0.0.1:5432/bench_stats"


class BenchVersion(BaseModel):
    """The version of the data a bench database holds; written last, so a broken build redoes."""
    version = CharField()


def columns_of(model, given) -> tuple[list[str], tuple]:
    """The model's columns, `given` (field names) first, and the defaults of the rest."""
    meta = model._meta
    rest = [f for f in meta.sorted_fields if f.name not in given and f is not meta.primary_key]
    for f in rest:
        if not f.null and f not in meta.defaults:
            sys.exit(f"stats_bench: {meta.table_name}.{f.column_name} needs a value")
    defaults = tuple(f.db_value(d() if callable(d) else d)
                     for f in rest for d in [meta.defaults.get(f)])
    return [meta.fields[name].column_name for name in given] + [f.column_name for f in rest], \
        defaults


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def create_schema() -> None:
    """Tables without their secondary indexes: loading first and indexing after is faster."""
    db.drop_tables(DERIVED + TABLES + (BenchVersion,), safe=True,
                   **({} if is_sqlite() else {"cascade": True}))
    for model in TABLES + (BenchVersion,):
        model._schema.create_table(safe=False)


def load(write, orders: int) -> None:
    """Write the catalogue, users, orders and events with `write(model, given, rows)`."""
    departments, types, locations, users, places = catalogue()
    write(Department, ("id", "name", "parent"), departments)
    write(FaultType, ("id", "name", "kind", "department"), types)
    write(Location, ("id", "name", "parent", "level", "full_name"), locations)
    write(User, USER_FIELDS, users)
    started, done = clock.perf_counter(), 0
    for order_rows, event_rows in batches(orders, places):
        write(RepairOrder, VARYING, order_rows)
        write(OrderEvent, EVENT_FIELDS, event_rows)
        done += len(order_rows)
        print(f"\r  {done:,} orders ({clock.perf_counter() - started:.0f} s)", end="", flush=True)
    print()


def sqlite_writer(conn):
    """write() for SQLite: executemany in the one open transaction."""
    def write(model, given, rows):
        columns, defaults = columns_of(model, given)
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" * len(columns))
        conn.executemany(f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})',
                         (row + defaults for row in rows))
    return write


def pg_writer(cursor):
    """write() for PostgreSQL: COPY in text format (the generated text has no tabs)."""
    def text(value):
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value)

    def write(model, given, rows):
        columns, defaults = columns_of(model, given)
        buffer = io.StringIO("".join("\t".join(map(text, row + defaults)) + "\n" for row in rows))
        names = ", ".join(f'"{c}"' for c in columns)
        cursor.copy_expert(f'COPY "{model._meta.table_name}" ({names}) FROM STDIN', buffer)
    return write


def build_sqlite(path: Path, orders: int) -> None:
    """A fresh SQLite file: schema by peewee, rows by executemany without a journal."""
    db.close()
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    create_schema()
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    load(sqlite_writer(conn), orders)
    conn.execute("COMMIT")
    conn.close()


def build_pg(url: str, orders: int) -> None:
    """Fresh tables in the bench database, rows by COPY, sequences moved past the ids."""
    import psycopg2
    create_schema()
    db.close()
    conn = psycopg2.connect(url)
    with conn, conn.cursor() as cursor:
        try:   # skips foreign-key triggers while loading (superuser only)
            cursor.execute("SET session_replication_role = replica")
        except psycopg2.Error:
            conn.rollback()
        load(pg_writer(cursor), orders)
        for model in TABLES:
            if model is not OrderEvent:
                table = model._meta.table_name
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
    conn.close()


def sync_indexes() -> list[str]:
    """Create the models' missing indexes, drop the ones they no longer declare."""
    changes = []
    for model in TABLES + DERIVED:
        table = model._meta.table_name
        wanted = {index._name[:63] for index in model._meta.fields_to_index()}  # PostgreSQL: 63
        for index in db.get_indexes(table):
            if index.name[:63] not in wanted and not index.name.endswith("_pkey") \
                    and not index.name.startswith("sqlite_autoindex"):
                db.execute_sql(f'DROP INDEX "{index.name}"')
                changes.append(f"dropped {index.name}")
        missing = wanted - {index.name[:63] for index in db.get_indexes(table)}
        if missing:
            started = clock.perf_counter()
            model._schema.create_indexes(safe=True)
            changes.append(f"created {', '.join(sorted(missing))} "
                           f"({clock.perf_counter() - started:.0f} s)")
    return changes


def mark_repeats_now() -> None:
    """Mark every order's repeat fault, the worker's job done at once (after sync_indexes:
    the unmarked orders are found through their own index)."""
    started = clock.perf_counter()
    marked = mark_all_repeats()
    if marked:
        print(f"  repeat faults: {marked:,} orders marked in {clock.perf_counter() - started:.0f} s")


def ensure_data(build, version: str, rebuild: bool) -> None:
    """Build unless the database already holds this version of the data; then the derived
    tables, made as the app's migration makes them on an existing database."""
    current = None
    if not rebuild and db.table_exists(BenchVersion._meta.table_name):
        current = BenchVersion.select(BenchVersion.version).scalar()
    if current != version:
        print(f"  building {version} …")
        started = clock.perf_counter()
        build()
        open_database(db.obj.source_url)
        BenchVersion.create(version=version)
        print(f"  built in {clock.perf_counter() - started:.0f} s")
    if add_missing_columns([RepairOrder]):
        print("  migration: repair_order.repeat_fault added")
    started = clock.perf_counter()
    written = add_job_facts()
    if written is not None:
        print(f"  migration: job_fact made, {written:,} facts from the timelines in "
              f"{clock.perf_counter() - started:.0f} s")


def pg_ready(url: str) -> bool:
    """Create the bench database if needed; False (with a message) when PostgreSQL is away."""
    import psycopg2
    base, name = url.rsplit("/", 1)
    try:
        conn = psycopg2.connect(f"{base}/postgres", connect_timeout=3)
    except psycopg2.Error as error:
        print(f"PostgreSQL: skipped, {base} does not answer ({str(error).strip()})")
        return False
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return True


def data_arguments(description: str, runs: int, runs_help: str) -> argparse.ArgumentParser:
    """The options every million-order benchmark takes: the data, the runs, which databases."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=MONTHS, help="the span the orders cover")
    parser.add_argument("--runs", type=int, default=runs, help=runs_help)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the data again")
    return parser


def on_each_database(args, bench_database) -> None:
    """Run `bench_database(name, url, build, args)` on SQLite, then PostgreSQL if it answers."""
    set_span(args.months)
    results = BENCH_DIR / "results"
    results.mkdir(exist_ok=True)
    if not args.no_sqlite:
        path = results / f"stats-{DATA_VERSION}-{args.orders}-{args.months}m.sqlite"
        bench_database("SQLite", f"sqlite:///{path}", lambda: build_sqlite(path, args.orders),
                       args)
    if not args.no_pg and pg_ready(args.pg_url):
        bench_database("PostgreSQL", args.pg_url, lambda: build_pg(args.pg_url, args.orders),
                       args)
