"""Time-driven work with a controllable clock: SLA timeouts, escalation, shifts, survey."""
import logging

from models.orders import OrderEscalation, OrderEvent, RepairOrder
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
    assert escalations(sandbox) == [(boss.openid, "2次派单均未及时接单，请安排人工派单")]
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid, li.openid]
    assert [(e.trigger, e.note) for e in OrderEvent.timeline(queued)][1:] == [
        ("dispatch", "派给王师傅"),
        ("timeout", "派单后 5 分钟未接单，改派给李师傅"),
        ("dispatch", "派给李师傅"),
        ("timeout", "派单后 5 分钟未接单，已 2 次派单均未接单，等待人工派单，已通知主管")]
    withdrawn = [(m["touser"], m["data"]["thing2"]["value"], m["data"]["character_string1"]["value"])
                 for m in delivered(sandbox, "cancelled")]
    assert withdrawn == [(wang.openid, "超时未接单，工单已收回", order.number),
                         (li.openid, "超时未接单，工单已收回", order.number)]
    clock.advance(minutes=3)
    bind(client, clock, "o_engineer_zhao_3", "engineer", name="赵师傅", skills="水电")
    run(worker, clock, minutes=5)  # held for the desk: no third automatic try
    assert RepairOrder.get_by_id(order.id).engineer is None


def test_an_accept_timeout_with_nobody_else_queues_and_says_so(client, chat, clock, worker,
                                                               sandbox):
    wang = plumber(client, clock)
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = report_leak(chat)
    worker.run_until_idle()
    run(worker, clock, minutes=6, seconds=1)
    queued = RepairOrder.get_by_id(order.id)
    assert (queued.status, queued.engineer, queued.accept_misses) == ("submitted", None, 1)
    assert OrderEvent.timeline(queued)[-1].note == \
        "派单后 5 分钟未接单，暂无其他维修人员，等待人工派单，已通知领导"
    assert escalations(sandbox) == [(leader.openid, "暂无合适的维修人员，等待人工派单")]
    assert [m["touser"] for m in delivered(sandbox, "cancelled")] == [wang.openid]
    li = plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    worker.run_until_idle()  # one miss is below the limit: the queue goes to the newcomer
    assert RepairOrder.get_by_id(order.id).engineer.name == "李师傅"
    assert [m["touser"] for m in delivered(sandbox, "new_job")] == [wang.openid, li.openid]


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
    assert [e.note for e in OrderEvent.timeline(RepairOrder.get_by_id(order.id))
            if e.trigger == "escalate"] == ["到场超时，已提醒维修人员", "到场超时，已请主管督办",
                                            "到场超时，已报领导"]


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


def test_a_vendor_order_never_times_out_and_climbs_the_ladder_once(client, chat, clock, worker,
                                                                   sandbox):
    from models.catalogue import Device
    plumber(client, clock)
    boss = bind(client, clock, "o_supervisor_0001", "supervisor", department="工程部")
    leader = bind(client, clock, "o_leader_0000001", "leader")
    order = report_leak(chat)
    RepairOrder.update(device=Device.get(Device.code == "KT-E3-201")).execute()
    worker.run_until_idle()
    for _ in range(30):  # five hours
        run(worker, clock, minutes=10)
    vendor = RepairOrder.get_by_id(order.id)
    assert (vendor.status, vendor.engineer, vendor.vendor_name) == ("dispatched", None, "格力售后")
    assert [(e.trigger, e.note) for e in OrderEvent.timeline(vendor)][1:] == [
        ("dispatch", "保修期内，转格力售后 4008365315"),
        ("escalate", "到场超时，已请主管督办"),   # nobody to remind but the supervisors
        ("escalate", "到场超时，已请主管督办"),
        ("escalate", "到场超时，已报领导")]
    assert escalations(sandbox) == [(boss.openid, "到场超时，请主管督办"),
                                    (boss.openid, "到场超时，请主管督办"),
                                    (leader.openid, "到场超时，已报领导")]
    assert delivered(sandbox, "new_job") == [] and delivered(sandbox, "cancelled") == []


def test_the_ladder_skips_to_whoever_exists_and_the_timeline_says_who(client, chat, clock,
                                                                       worker, sandbox):
    wang = plumber(client, clock)
    clerk = bind(client, clock, "o_dispatcher_0001", "dispatcher")
    order = report_leak(chat)  # no supervisor, no leader: the desk hears the late steps
    worker.run_until_idle()
    wang.say("1")
    run(worker, clock, minutes=16)
    run(worker, clock, minutes=30)
    run(worker, clock, minutes=60)
    notes = [e.note for e in OrderEvent.timeline(RepairOrder.get_by_id(order.id))
             if e.trigger == "escalate"]
    assert notes == ["到场超时，已提醒维修人员", "到场超时，已通知值班人员", "到场超时，已通知值班人员"]
    assert escalations(sandbox) == [(wang.openid, "到场超时，请尽快处理"),
                                    (clerk.openid, "到场超时，请值班人员跟进"),
                                    (clerk.openid, "到场超时，请值班人员跟进")]


def test_a_shift_change_is_one_log_line_not_one_a_minute(client, clock, worker, caplog):
    bind(client, clock, "o_engineer_night_1", "engineer", name="夜班刘师傅", skills="水电",
         shift="night")
    run(worker, clock, hours=7, minutes=55)  # 17:25
    with caplog.at_level(logging.INFO):
        for _ in range(10):  # 17:26 … 17:35, the night desk takes over at 17:30
            run(worker, clock, minutes=1)
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO
            and r.name.startswith("wechat_bot") and not r.name.startswith("wechat_bot.sandbox")]
    assert said == ["shift change at 17:30: night takes over from day; open orders 0, "
                    "overdue 0; handover list queued for 1 staff"]
