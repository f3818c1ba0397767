"""Orders nobody could take: they reach someone as soon as someone can, and somebody is told."""
import logging

from models.orders import OrderEvent, RepairOrder
from models.people import EngineerProfile, User
from tests.admin_flows import desk, token
from tests.background.test_clock_jobs import run
from tests.flows import bind, delivered, plumber, report_leak
from wechat_bot.background.wake import pool_key, wake_key


def notes(order, trigger=None):
    """The timeline notes of `order` (of one trigger), oldest first."""
    return [e.note for e in OrderEvent.timeline(RepairOrder.get_by_id(order.id))
            if trigger is None or e.trigger == trigger]


def told(sandbox, kind="escalation"):
    return [(m["touser"], m["data"]["thing2"]["value"]) for m in delivered(sandbox, kind)]


def queued_leak(chat, worker) -> RepairOrder:
    """A leak reported while no plumber exists: it waits in the queue."""
    order = report_leak(chat)
    worker.run_until_idle()
    waiting = RepairOrder.get_by_id(order.id)
    assert (waiting.status, waiting.engineer) == ("submitted", None) and waiting.queued_at
    return waiting


def test_a_queued_order_goes_to_the_engineer_who_binds_later(client, chat, clock, worker,
                                                             sandbox, redis_db):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = queued_leak(chat, worker)
    clock.advance(minutes=3)
    redis_db.delete(wake_key("t:"))
    wang = plumber(client, clock)
    assert redis_db.llen(wake_key("t:")) == 1  # binding wakes the worker
    assert redis_db.get(pool_key("t:")) == b"1"  # and has it look at the queue
    worker.run_until_idle()
    taken = RepairOrder.get_by_id(order.id)
    assert (taken.status, taken.engineer.name, taken.queued_at) == ("dispatched", "王师傅", None)
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]
    assert notes(order)[-1] == "派给王师傅"
    assert told(sandbox) == [(boss.openid, "暂无合适的维修人员，等待人工派单")]


def test_retrying_the_queue_tells_its_people_once(client, chat, clock, worker, sandbox):
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = queued_leak(chat, worker)
    for _ in range(10):
        run(worker, clock, seconds=50)
    assert told(sandbox) == [(boss.openid, "暂无合适的维修人员，等待人工派单")]
    assert notes(order, "queue") == ["暂无合适的维修人员，已通知主管"]


def test_a_queued_order_goes_to_the_night_engineer_when_the_night_shift_starts(
        client, chat, clock, worker, sandbox):
    night = bind(client, clock, "o_engineer_night_1", "engineer", name="夜班刘师傅",
                 skills="水电", shift="night")
    order = queued_leak(chat, worker)  # 09:30: the day shift, and no day plumber
    run(worker, clock, hours=7, minutes=59)  # 17:29
    assert RepairOrder.get_by_id(order.id).engineer is None
    run(worker, clock, minutes=1, seconds=5)  # 17:30:05: the night desk is on duty
    assert RepairOrder.get_by_id(order.id).engineer.name == "夜班刘师傅"
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [night.openid]


def test_switching_an_engineer_on_in_the_back_office_hands_them_the_queue(
        client, chat, clock, worker, sandbox, redis_db):
    wang = plumber(client, clock)
    profile = EngineerProfile.select().join(User).where(User.openid == wang.openid).get()
    EngineerProfile.update(active=False).where(EngineerProfile.id == profile.id).execute()
    order = queued_leak(chat, worker)
    desk(client, "supervisor", "zhuguan")
    path = f"/admin/people/engineers/{profile.id}"
    form = {"skills": [str(s.fault_type_id) for s in profile.skills],
            "areas": [str(a.location_id) for a in profile.areas], "shift": "",
            "department": str(wang_department(profile)), "active": "1",
            "csrf_token": token(client, path)}
    redis_db.delete(wake_key("t:"))
    assert client.post(path, data=form).status_code == 302
    assert redis_db.llen(wake_key("t:")) == 1  # the worker is woken at once
    assert redis_db.get(pool_key("t:")) == b"1"  # and looks at the queue
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).engineer.name == "王师傅"
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid]


def wang_department(profile) -> int:
    return User.get_by_id(profile.user_id).department_id


def test_without_supervisors_the_leaders_are_told(client, chat, clock, worker, sandbox):
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = queued_leak(chat, worker)
    assert told(sandbox) == [(leader.openid, "暂无合适的维修人员，等待人工派单")]
    assert notes(order, "queue") == ["暂无合适的维修人员，已通知领导"]


def test_without_supervisors_or_leaders_the_desk_is_told(client, chat, clock, worker, sandbox):
    clerk = bind(client, clock, "o_dispatcher_0001", "dispatcher")
    night = bind(client, clock, "o_engineer_night_1", "engineer", name="夜班刘师傅",
                 skills="空调", shift="night")
    day = bind(client, clock, "o_engineer_day_01", "engineer", name="白班赵师傅",
               skills="空调", shift="day")
    order = queued_leak(chat, worker)  # 09:30: the day desk is on duty
    assert sorted(told(sandbox)) == sorted([(clerk.openid, "暂无合适的维修人员，等待人工派单"),
                                            (day.openid, "暂无合适的维修人员，等待人工派单")])
    assert night.openid not in [to for to, _ in told(sandbox)]
    assert notes(order, "queue") == ["暂无合适的维修人员，已通知值班人员"]


def test_when_nobody_can_be_told_the_timeline_and_the_log_say_so(client, chat, clock, worker,
                                                                  sandbox, caplog):
    with caplog.at_level(logging.ERROR, logger="wechat_bot"):
        order = queued_leak(chat, worker)
    assert told(sandbox) == []
    assert notes(order, "queue") == ["暂无合适的维修人员，未能通知到任何工作人员"]
    assert any(order.number in r.getMessage() and r.levelno == logging.ERROR
               for r in caplog.records)
