"""Leaders read statistics in chat; nobody else does."""
from tests.flows import bind, dispatched_job, finished_job, report_leak


def test_only_leaders_get_statistics(client, chat, clock):
    for words in ("统计", "统计 本月"):
        assert "仅对领导开放" in chat.say(words)
    assert "仅对领导开放" in chat.click("STATS_TODAY")


def test_today_month_and_overdue_reports(client, chat, clock, worker):
    leader = bind(client, clock, "o_leader_0000001", "leader", name="李校长")
    wang, order = dispatched_job(client, chat, clock, worker)
    wang.say("1")
    clock.advance(minutes=10)
    wang.say("到达")
    wang.say(f"完成 {order.number} 更换阀芯")
    chat.say(f"评价 {order.number} 5")
    report_leak(chat, "1号楼101")
    today = leader.click("STATS_TODAY")
    assert "受理 2｜完成 1｜取消 0｜未完成 1" in today
    assert "完成率 50.0%｜及时率 100.0%" in today and "平均 5.00 分" in today
    assert "高发类别：水电 2" in today
    assert today.split("【")[1].startswith("今日概况") and leader.say("统计") == today
    assert "本月统计" in leader.click("STATS_MONTH")
    assert "目前没有超时工单" in leader.click("STATS_OVERDUE")
    clock.advance(minutes=20)
    late = leader.click("STATS_OVERDUE")
    assert "超时未完成工单 1 单" in late and "1号楼 101" in late
    assert leader.say("统计 明年").startswith("没有这种统计。可以回复：\n统计（或“统计一下”）—— 今日概况")


def test_each_role_s_help_lists_its_own_words(client, chat, clock):
    leader = bind(client, clock, "o_leader_0000001", "leader")
    wang = bind(client, clock, "o_engineer_wang_01", "engineer", name="王师傅")
    helps = {"leader": leader.say("帮助"), "engineer": wang.say("帮助"), "reporter": chat.say("帮助")}
    assert "统计 工程师 [上月] —— 维修人员绩效" in helps["leader"] and "菜单“统计”" in helps["leader"]
    assert "统计" not in helps["engineer"] and "统计" not in helps["reporter"]
    assert "接单 单号（新派单可直接回复 1、收到、好的）" in helps["engineer"] and "我的工单" not in helps["leader"]
    assert all("完工后直接回复 1-5 评价" in text for text in helps.values())


def test_engineer_performance(client, chat, clock, worker):
    leader = bind(client, clock, "o_leader_0000001", "leader")
    finished_job(client, chat, clock, worker, arrive=True)
    reply = leader.say("统计 工程师")
    assert "【维修人员绩效】2026年11月" in reply and "王师傅：接单 1，完成 1，及时率 100%" in reply


def test_daily_digest_and_month_report_reach_leaders_once(client, chat, clock, worker, sandbox):
    from tests.flows import delivered
    leader = bind(client, clock, "o_leader_0000001", "leader")
    report_leak(chat)
    worker.scheduler.run_due()
    clock.advance(hours=22, minutes=31)  # 2026-11-27 08:01
    worker.scheduler.run_due()
    worker.run_until_idle()
    digest, = delivered(sandbox, "digest")
    assert digest["touser"] == leader.openid
    values = {k: v["value"] for k, v in digest["data"].items()}
    assert values["thing1"] == "报修日报 11月26日" and values["number2"] == "1"
    clock.advance(days=4, minutes=30)  # 2026-12-01 08:31, the worker was down for days
    worker.scheduler.run_due()
    worker.run_until_idle()
    assert len(delivered(sandbox, "digest")) == 2  # caught up once, not four times
    month, = delivered(sandbox, "month_report")
    assert month["data"]["thing1"]["value"] == "2026年11月工单月报"
    assert month["data"]["number2"]["value"] == "1"
