"""Bringing an existing database up to the current tables: columns added since it was made,
and tables whose rows are derived from others (the job facts) filled in when they appear.

New columns must be nullable or have a default, so rows that exist get a value.
"""
from typing import Optional

from playhouse.migrate import SchemaMigrator, migrate

from models.database import db, is_sqlite
from models.job_facts import JobFact, backfill_job_facts


def add_missing_columns(tables) -> list[str]:
    """Add every model field that its table lacks; the names of the columns added."""
    migrator = SchemaMigrator.from_database(db.obj)
    added = []
    for model in tables:
        table = model._meta.table_name
        existing = {column.name for column in db.get_columns(table)}
        for field in model._meta.sorted_fields:
            if field.column_name not in existing:
                migrate(migrator.add_column(table, field.column_name, field))
                added.append(f"{table}.{field.column_name}")
    return added


def add_job_facts() -> Optional[int]:
    """Create the job facts table if it is missing and fill it from the orders' timelines, all
    in one transaction (the indexes after the rows: faster on a big database); the number
    of facts written, None when the table was there already. Safe to run again."""
    if db.table_exists(JobFact._meta.table_name):
        return None
    with db.atomic():   # SQLite: BEGIN IMMEDIATE, so a second migrator waits here
        if not is_sqlite():   # a worker and a web process starting together: one fills it
            db.execute_sql("SELECT pg_advisory_xact_lock(hashtext('job_fact migration'))")
        if db.table_exists(JobFact._meta.table_name):
            return None
        JobFact._schema.create_table(safe=True)
        written = backfill_job_facts()
        JobFact._schema.create_indexes(safe=True)
    return written
