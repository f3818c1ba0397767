"""Bringing an existing database up to the current tables: columns added since it was made.

New columns must be nullable or have a default, so rows that exist get a value.
"""
from playhouse.migrate import SchemaMigrator, migrate

from models.database import db


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
