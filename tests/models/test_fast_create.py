"""fast_create: the row as Model.create would write it, and an instance that behaves like one."""
from datetime import datetime

from models.database import fast_create
from models.orders import OrderEvent, RepairOrder
from models.people import User

NOW = datetime(2026, 11, 26, 9, 30)


def _order(reporter, number="BX202611260001"):
    return fast_create(RepairOrder, number=number, reporter=reporter, category=None,
                       location_text="3号楼201", description="水龙头漏水", phone="13800138000",
                       status="submitted", submitted_at=NOW)


def test_the_row_and_the_instance_match_what_create_makes(database):
    reporter = User.create(openid="o_fast_create_01", created_at=NOW)
    order = _order(reporter)
    stored = RepairOrder.get_by_id(order.id)
    assert order.id == stored.id and order.number == stored.number == "BX202611260001"
    assert order.reporter is reporter and order.reporter_id == reporter.id   # no query
    assert stored.reporter_id == reporter.id and stored.unrated is False     # defaults written
    assert order.unrated is False and order.engineer_id is None
    assert order.is_dirty() is False


def test_a_foreign_key_given_as_an_id_loads_its_row_and_a_change_saves(database):
    reporter = User.create(openid="o_fast_create_02", created_at=NOW)
    order = _order(reporter.id)
    event = fast_create(OrderEvent, order=order.id, actor=reporter.id, trigger="submit",
                        from_status="", to_status="submitted", created_at=NOW)
    assert event.order.number == order.number and event.actor.openid == "o_fast_create_02"
    order.description = "改了"
    order.save()
    assert RepairOrder.get_by_id(order.id).description == "改了"
