"""store_new_order: the order, its number, event, notice and photos written all or nothing (one
statement on PostgreSQL, one transaction on SQLite), on the database under test."""
from datetime import date, datetime

import pytest
from peewee import IntegrityError

from models.database import db
from models.new_orders import store_new_order
from models.notifications import Notification, pending_values
from models.numbering import OrderSequence, format_number
from models.orders import Attachment, OrderEvent, RepairOrder
from models.people import User

NOW = datetime(2026, 11, 26, 9, 30)
DAY = date(2026, 11, 26)


@pytest.fixture
def reporter(database):
    return User.create(openid="o_new_orders_01", created_at=NOW)


def store(reporter, key=None, photos=(), notice=True):
    order = dict(reporter=reporter, category=None, location_text="3号楼201",
                 description="水龙头漏水", phone="13800138000", status="submitted",
                 submitted_at=NOW, submission_key=key)
    event = dict(actor=reporter, trigger="submit", from_status="", to_status="submitted",
                 created_at=NOW)
    message = pending_values("order_received", reporter, "TPL", {"context": {}}, NOW)
    return store_new_order(DAY, order, event, message if notice else None, photos)


def test_the_order_its_event_and_notice_are_stored_and_returned_as_stored(reporter):
    order = store(reporter)
    stored = RepairOrder.get_by_id(order.id)
    assert order.number == stored.number == "BX202611260001"
    assert order.reporter_id == stored.reporter_id == reporter.id
    assert order.unrated is stored.unrated is False and order.is_dirty() is False
    assert [(e.order_id, e.trigger) for e in OrderEvent.select()] == [(order.id, "submit")]
    assert [(n.order_id, n.openid) for n in Notification.select()] == [
        (order.id, "o_new_orders_01")]


def test_numbers_count_up_from_the_days_first_and_past_four_digits_as_format_number(reporter):
    assert store(reporter).number == format_number(DAY, 1)   # the day's row made on the way
    OrderSequence.update(last=9998).where(OrderSequence.day == "20261126").execute()
    assert [store(reporter).number for _ in range(2)] == [format_number(DAY, 9999),
                                                          format_number(DAY, 10000)]
    assert format_number(DAY, 10000) == "BX2026112610000"


def test_a_taken_submission_key_writes_nothing_and_takes_no_number(reporter):
    first = store(reporter, key="draft-key-1")
    with pytest.raises(IntegrityError):
        store(reporter, key="draft-key-1")
    assert RepairOrder.select().count() == OrderEvent.select().count() == 1
    assert Notification.select().count() == 1
    assert store(reporter, key="draft-key-2").number == "BX202611260002"   # no gap
    assert first.number == "BX202611260001"


def test_without_a_notice_none_is_written(reporter):
    store(reporter, notice=False)
    assert RepairOrder.select().count() == 1 and Notification.select().count() == 0


def test_only_the_reporters_loose_photos_join_the_order(reporter):
    other = User.create(openid="o_new_orders_02", created_at=NOW)
    earlier = store(reporter)
    photo = lambda who, order=None: Attachment.create(   # noqa: E731
        uploader=who, order=order, media_id=f"m{who.id}{order}", created_at=NOW).id
    mine, theirs, taken = photo(reporter), photo(other), photo(reporter, earlier)
    order = store(reporter, photos=(mine, theirs, taken))
    owners = {a.id: a.order_id for a in Attachment.select()}
    assert owners == {mine: order.id, theirs: None, taken: earlier.id}


def test_inside_a_callers_transaction_a_rollback_takes_it_all_back(reporter):
    with db.atomic() as transaction:
        store(reporter)
        transaction.rollback()
    assert RepairOrder.select().count() == Notification.select().count() == 0
    assert store(reporter).number == "BX202611260001"
