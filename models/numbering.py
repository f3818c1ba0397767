"""Order numbers BX + YYYYMMDD + daily sequence, unique under concurrent submissions."""
from datetime import date

from peewee import CharField, IntegerField

from models.database import BaseModel, db

PREFIX = "BX"
INCREMENT = ('UPDATE "order_sequence" SET "last" = "last" + 1 WHERE "day" = {mark} '
             'RETURNING "last", "day"')
# format_number in PostgreSQL's words, over the row INCREMENT returns (as {row}): for the
# statement that takes a number and stores its order at once.
NUMBER_SQL = (f"'{PREFIX}' || {{row}}.\"day\" || CASE WHEN {{row}}.\"last\" < 10000 "
              f"THEN lpad({{row}}.\"last\"::text, 4, '0') ELSE {{row}}.\"last\"::text END")


class OrderSequence(BaseModel):
    """The last sequence number handed out on one day."""
    day = CharField(max_length=8, primary_key=True)
    last = IntegerField(default=0)


def format_number(day: date, sequence: int) -> str:
    """BX202611260007: four digits at least, more once a day passes 9999 orders."""
    return f"{PREFIX}{day:%Y%m%d}{sequence:04d}"


def day_key(day: date) -> str:
    """The day's counter row: 20261126."""
    return f"{day:%Y%m%d}"


def open_day(day: date) -> None:
    """Make the day's counter row (at 0) unless another submission just made it."""
    OrderSequence.insert(day=day_key(day), last=0).on_conflict_ignore().execute()


def next_order_number(day: date) -> str:
    """Take the next number for `day`; call inside the transaction that stores the order.

    The UPDATE locks the day's row until that transaction ends, so no two transactions can
    read the same value: there is no read-then-write race.
    """
    key = day_key(day)
    sequence = _increment(key)
    if sequence is None:   # the day's first order: make its row, then count as everyone does
        open_day(day)
        sequence = _increment(key)
    return format_number(day, sequence)


def _increment(key: str):
    """Add one to the day's counter and return it (None when the day has no row yet)."""
    if not db.returning_clause:  # MySQL: no RETURNING, read it back under the row lock
        query = OrderSequence.update(last=OrderSequence.last + 1).where(OrderSequence.day == key)
        return OrderSequence.get_by_id(key).last if query.execute() else None
    # Written out: this runs on every 确认 and peewee's query builder costs more than SQLite.
    row = db.execute_sql(INCREMENT.format(mark=db.param), [key]).fetchone()
    return row[0] if row else None
