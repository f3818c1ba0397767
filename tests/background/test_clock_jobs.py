"""Time-driven work with a controllable clock: SLA timeouts, escalation, shifts, survey."""

from models.orders import OrderEscalation, RepairOrder
from tests.flows import bind, delivered, dispatched_job, plumber, report_leak
from wechat_bot.background.worker import Worker


def run(worker, clock, **delta):
    """Move the clock, run the due jobs, then let the worker finish what they queued."""
    clock.advance(**delta)
    ran = worker.scheduler.run_due()
    worker.run_until_idle()
    return ran


def escalations(sandbox):
    return [(m["touser"], m["data"]["thing2"]["value"]) for m in delivered(sandbox, "escalation")]


def test_accept_timeout_redispatches_then_escalates(client, chat, clock, worker, sandbox):
    wang = plumber(client, clock)
    li = plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = report_leak(chat)
    worker.run_until_idle()
    assert RepairOrder.get_by_id(order.id).engineer_id is not None
    run(worker, clock, minutes=5)
    assert RepairOrder.get_by_id(order.id).status == "dispatched"  # 5 minutes is still in time
    run(worker, clock, minutes=1, seconds=1)
    again = RepairOrder.get_by_id(order.id)
    assert (again.engineer.name, again.accept_misses) == ("李师傅", 1)
    run(worker, clock, minutes=6)
    queued = RepairOrder.get_by_id(order.id)
    assert (queued.status, queued.accept_misses, queued.engineer) == ("submitted", 2, None)
    assert queued.queued_at is not None
    assert escalations(sandbox) == [(boss.openid, "2次派单均未及时接单，请主管安排")]
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid, li.openid]
    triggers = [e.trigger for e in queued.events]
    assert triggers.count("timeout") == 2 and triggers.count("dispatch") == 2


def test_late_arrival_climbs_the_ladder_once_per_step(client, chat, clock, worker, sandbox):
    wang = plumber(client, clock)
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = report_leak(chat)  # 09:30
    worker.run_until_idle()
    wang.say("1")
    run(worker, clock, minutes=15)  # 09:45: arrival due, not yet late
    assert escalations(sandbox) == []
    run(worker, clock, minutes=1)   # 09:46
    assert escalations(sandbox) == [(wang.openid, "到场超时，请尽快处理")]
    run(worker, clock, minutes=29)  # 10:15: 30 minutes after the breach
    assert escalations(sandbox)[-1] == (boss.openid, "到场超时，请主管督办")
    run(worker, clock, minutes=60)  # 11:15: 90 minutes after the breach
    assert escalations(sandbox)[-1] == (leader.openid, "到场超时，已报领导")
    run(worker, clock, hours=3)
    assert len(escalations(sandbox)) == 3
    assert OrderEscalation.select().count() == 3
    assert [e.trigger for e in RepairOrder.get_by_id(order.id).events].count("escalate") == 3


def test_suspension_stops_the_completion_clock(client, chat, clock, worker, sandbox):
    wang, _ = dispatched_job(client, chat, clock, worker)  # 09:30, before 14:00: due 17:00
    wang.say("1")
    run(worker, clock, minutes=5)
    wang.say("到达")
    run(worker, clock, minutes=25)  # 10:00
    wang.say("挂起 等待配件")
    run(worker, clock, hours=24)    # 2026-11-27 10:00, suspended all along
    assert escalations(sandbox) == []
    wang.say("恢复")
    run(worker, clock, hours=6, minutes=55)  # 16:55: 17:00 + 24 h paused = 17:00 tomorrow
    assert escalations(sandbox) == []
    run(worker, clock, minutes=6)   # 17:01
    assert escalations(sandbox) == [(wang.openid, "完工超时，请尽快处理")]


def test_night_orders_go_to_the_night_desk(client, chat, clock, worker, sandbox):
    day = plumber(client, clock)
    night = bind(client, clock, "o_engineer_night_1", "engineer", name="夜班刘师傅",
                 skills="水电", areas="东校区 3号楼", shift="night")
    from models.people import EngineerProfile, User
    EngineerProfile.update(shift="day").where(
        EngineerProfile.user == User.get(User.openid == day.openid)).execute()
    first = report_leak(chat)  # 09:30: day desk
    worker.run_until_idle()
    clock.advance(hours=11)    # 20:30: night desk
    second = report_leak(chat)
    worker.run_until_idle()
    assert RepairOrder.get_by_id(first.id).engineer.name == "王师傅"
    assert RepairOrder.get_by_id(second.id).engineer.name == "夜班刘师傅"
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [day.openid, night.openid]


def test_shift_change_sends_the_handover_to_the_incoming_desk(client, chat, clock, worker, sandbox):
    night = bind(client, clock, "o_engineer_night_1", "engineer", name="夜班刘师傅",
                 skills="水电", shift="night")
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    order = report_leak(chat)
    worker.scheduler.run_due()
    run(worker, clock, hours=7, minutes=59, seconds=50)  # 17:29:50
    assert delivered(sandbox, "handover") == []
    run(worker, clock, seconds=20)  # 17:30:10
    handovers = delivered(sandbox, "handover")
    assert sorted(m["touser"] for m in handovers) == sorted([night.openid, boss.openid])
    values = {k: v["value"] for k, v in handovers[0]["data"].items()}
    assert values["thing1"] == "监控中心接班" and values["number2"] == "1"
    assert values["character_string4"] == order.number
    run(worker, clock, minutes=5)
    assert len(delivered(sandbox, "handover")) == 2


def test_survey_reminds_once_then_closes_unrated(client, chat, clock, worker, sandbox):
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    wang.say(f"完成 {order.number} 更换阀芯")
    worker.scheduler.run_due()
    run(worker, clock, hours=23, minutes=50)
    assert delivered(sandbox, "survey") == []
    run(worker, clock, minutes=20)
    survey, = delivered(sandbox, "survey")
    assert survey["touser"] == chat.openid
    assert survey["data"]["character_string1"]["value"] == order.number
    assert survey["data"]["thing4"]["value"] == "回复 1-5 评价，5 分最满意"
    run(worker, clock, hours=12)
    assert len(delivered(sandbox, "survey")) == 1
    run(worker, clock, hours=12)
    closed = RepairOrder.get_by_id(order.id)
    assert (closed.status, closed.unrated, closed.rating) == ("closed", True, None)


def test_a_second_worker_waits_and_takes_over_when_the_first_dies(
        client, chat, clock, worker, sandbox, settings, redis_db):
    wang = plumber(client, clock)
    report_leak(chat)
    worker.run_until_idle()
    wang.say("1")
    other = Worker(settings, redis_db, clock)
    clock.advance(minutes=16)  # 09:46: arrival is late
    assert worker.scheduler.run_due() != [] and other.scheduler.run_due() == []
    worker.run_until_idle()
    other.run_until_idle()
    clock.advance(minutes=1)   # the first worker died: it stopped renewing its lease
    assert other.scheduler.run_due() == []  # which still runs for half a minute
    clock.advance(minutes=1)
    assert "sla_check" in other.scheduler.run_due()
    other.run_until_idle()
    assert len(delivered(sandbox, "escalation")) == 1  # the engineer step, once
