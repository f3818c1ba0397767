"""An older database gains the columns the back office added (active flags, revoked invites,
a fault type's own SLA and urgent keywords)."""
from playhouse.migrate import SchemaMigrator, migrate

from models import ALL_TABLES, create_tables, db
from models.catalogue import DeviceType, FaultType
from models.people import InviteCode
from models.schema import add_missing_columns


def test_an_old_database_gains_the_new_columns(database):
    kinds, invites = DeviceType._meta.table_name, InviteCode._meta.table_name
    types = FaultType._meta.table_name
    migrator = SchemaMigrator.from_database(db.obj)
    migrate(migrator.drop_column(kinds, "active"), migrator.drop_column(invites, "revoked_at"),
            migrator.drop_column(types, "complete_minutes"),
            migrator.drop_column(types, "urgent_keywords"))
    try:
        assert "active" not in {c.name for c in db.get_columns(kinds)}
        assert sorted(add_missing_columns(ALL_TABLES)) == sorted([
            f"{kinds}.active", f"{invites}.revoked_at", f"{types}.complete_minutes",
            f"{types}.urgent_keywords"])
        kind = DeviceType.create(name="投影仪")
        assert DeviceType.get_by_id(kind.id).active is True
    finally:
        create_tables()  # leave the schema whole for the tests after this one
