"""Statistics on a hand-built month: every figure checked against arithmetic done by hand.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (the date arithmetic differs).
The fixture: November 2026, looked at on 26 November at noon, three fault types, two catalogue
rooms, typed places, two engineers. Times are minutes after submission unless said otherwise.

 order  submitted     type  place      status      eng  accept arrive complete rating
 A      10-20 10:00   水电  西门路灯*  closed      E1   5      20     60       4
 B      10-31 23:59:59 网络 L2         cancelled   -
 C      10-02 09:00   网络  图书馆*    completed   E2   10     20     60
 D      10-06 08:59:59 空调 食堂*      completed   E1   5      10     40
 O1     11-01 00:00   水电  L1         closed      E1   5      15     75       5
 O2     11-03 10:00   水电  L1         rated       E1   10     30     150      3
 O3     11-05 08:00   网络  L2         completed   E2   2      -      62
 O4     11-10 14:00   水电  西门路灯*  cancelled   -
 O5     11-12 14:00   水电  西门路灯*  rated       E1   4      10     40       4
 O6     11-20 09:00   空调  L1         arrived     E2   20     40
 O7     11-25 18:00   空调  L1         accepted    E1   30
 O8     11-26 11:00   网络  L2         submitted   -
 O9     11-15 08:00   网络  L1         suspended   E2   30     45
 O10    11-01 09:00   网络  图书馆*    completed   E2   1      16     106
 O11    11-05 09:00   空调  食堂*      completed   E1   3      13     43       2
 O12    11-18 10:00   水电  L1         submitted   -    5      15     75    (reopened: stale times)
 O13    11-22 12:00   -     3号楼*     submitted   -
 (* typed place, no catalogue location)
"""
from datetime import date, datetime, timedelta
from itertools import count

import pytest

from models.catalogue import Department, FaultType, Location
from models.job_facts import backfill_job_facts
from models.orders import OrderEvent, RepairOrder
from models.people import User
from models.statistics import (Counters, Limits, Period, Repeats, breakdown, day_period,
                               hot_locations, month_period, period_counters, period_report,
                               repeat_faults, top_fault_types, week_period)
from models.statistics_engineers import engineer_performance

NOW = datetime(2026, 11, 26, 12, 0)
NOVEMBER = month_period(date(2026, 11, 14))
_numbers = count(1)


def at(text: str) -> datetime:
    """'11-03 10:00' or '10-31 23:59:59' in 2026."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M:%S" if text.count(":") == 2
                             else "%Y-%m-%d %H:%M")


@pytest.fixture
def shop(database):
    """Catalogue, people and the orders of the table above, with their timeline events."""
    works, it = Department.create(name="工程部"), Department.create(name="信息中心")
    water = FaultType.create(name="水电", department=works)
    net = FaultType.create(name="网络", department=it)
    air = FaultType.create(name="空调", department=works)
    l1 = Location.create(name="101", full_name="东校区 1号楼 101", level="room")
    l2 = Location.create(name="102", full_name="东校区 1号楼 102", level="room")
    people = {name: User.create(openid=f"o_stats_{name}", name=name, created_at=NOW)
              for name in ("reporter", "王师傅", "李师傅")}
    s = dict(water=water, net=net, air=air, l1=l1, l2=l2, e1=people["王师傅"],
             e2=people["李师傅"], reporter=people["reporter"])
    rows = [  # label, submitted, type, place, status, engineer, accept, arrive, complete, rating
        ("A", "10-20 10:00", water, "西门路灯", "closed", "e1", 5, 20, 60, 4),
        ("B", "10-31 23:59:59", net, l2, "cancelled", None, None, None, None, None),
        ("C", "10-02 09:00", net, "图书馆", "completed", "e2", 10, 20, 60, None),
        ("D", "10-06 08:59:59", air, "食堂", "completed", "e1", 5, 10, 40, None),
        ("O1", "11-01 00:00", water, l1, "closed", "e1", 5, 15, 75, 5),
        ("O2", "11-03 10:00", water, l1, "rated", "e1", 10, 30, 150, 3),
        ("O3", "11-05 08:00", net, l2, "completed", "e2", 2, None, 62, None),
        ("O4", "11-10 14:00", water, "西门路灯", "cancelled", None, None, None, None, None),
        ("O5", "11-12 14:00", water, "西门路灯", "rated", "e1", 4, 10, 40, 4),
        ("O6", "11-20 09:00", air, l1, "arrived", "e2", 20, 40, None, None),
        ("O7", "11-25 18:00", air, l1, "accepted", "e1", 30, None, None, None),
        ("O8", "11-26 11:00", net, l2, "submitted", None, None, None, None, None),
        ("O9", "11-15 08:00", net, l1, "suspended", "e2", 30, 45, None, None),
        ("O10", "11-01 09:00", net, "图书馆", "completed", "e2", 1, 16, 106, None),
        ("O11", "11-05 09:00", air, "食堂", "completed", "e1", 3, 13, 43, 2),
        ("O12", "11-18 10:00", water, l1, "submitted", None, 5, 15, 75, None),
        ("O13", "11-22 12:00", None, "3号楼", "submitted", None, None, None, None, None),
    ]
    for label, submitted, kind, place, status, eng, accept, arrive, complete, rating in rows:
        s[label] = make_order(s, at(submitted), kind, place, status, s.get(eng), accept,
                              arrive, complete, rating)
    add_events(s)
    backfill_job_facts()   # events written directly get their facts as the migration gives them
    return s


def make_order(s, submitted, kind, place, status, engineer, accept, arrive, complete, rating):
    """One order written directly, as the statistics read it."""
    def later(minutes):
        return None if minutes is None else submitted + timedelta(minutes=minutes)
    catalogued = isinstance(place, Location)
    return RepairOrder.create(
        number=f"BX2026{next(_numbers):08d}", reporter=s["reporter"], category=kind,
        location=place if catalogued else None,
        location_text=place.full_name if catalogued else place,
        department=kind.department if kind else None, description="坏了", phone="13800138000",
        status=status, engineer=engineer, submitted_at=submitted, accepted_at=later(accept),
        arrived_at=later(arrive), completed_at=later(complete), rating=rating,
        cancelled_at=submitted if status == "cancelled" else None)


def event(order, trigger, actor, when):
    """A timeline row; only trigger, actor and time matter to the statistics."""
    OrderEvent.create(order=order, actor=actor, trigger=trigger, to_status="x", created_at=when)


def add_events(s):
    """Who accepted and completed what, plus a reject, a transfer and escalations."""
    e1, e2 = s["e1"], s["e2"]
    for label, who in (("A", e1), ("C", e2), ("D", e1), ("O1", e1), ("O2", e1), ("O3", e2),
                       ("O5", e1), ("O7", e1), ("O9", e2), ("O10", e2), ("O11", e1),
                       ("O12", e1)):
        order = s[label]
        event(order, "accept", who, order.accepted_at)
        if order.completed_at:
            event(order, "complete", who, order.completed_at)
    # O6: 王师傅 took it and handed it back, then 李师傅 took it.
    event(s["O6"], "accept", e1, at("11-20 09:10"))
    event(s["O6"], "transfer", e1, at("11-20 09:15"))
    event(s["O6"], "accept", e2, s["O6"].accepted_at)
    # O7: offered to 李师傅 first, who turned it down.
    event(s["O7"], "reject", e2, at("11-25 18:10"))
    # The SLA checks escalate without an actor; O9 and O6 are 李师傅's now, O12 nobody's.
    for label, when in (("O9", "11-16 08:00"), ("O9", "11-17 08:00"), ("O6", "11-21 09:00"),
                        ("O12", "11-20 10:00"), ("D", "10-07 10:00")):
        event(s[label], "escalate", None, at(when))


# ---------------------------------------------------------------- periods


def test_periods_are_half_open_days_iso_weeks_and_months():
    assert day_period(date(2026, 11, 5)) == Period(at("11-05 00:00"), at("11-06 00:00"))
    # 4 November 2026 is a Wednesday: its ISO week runs Monday 2 to Monday 9.
    assert week_period(date(2026, 11, 4)) == Period(at("11-02 00:00"), at("11-09 00:00"))
    assert week_period(date(2026, 11, 8)) == week_period(date(2026, 11, 2))
    assert month_period(date(2026, 2, 10)) == Period(at("02-01 00:00"), at("03-01 00:00"))
    assert month_period(date(2026, 12, 31)) == Period(at("12-01 00:00"),
                                                      datetime(2027, 1, 1))


# ---------------------------------------------------------------- the month's counters


def test_month_counters_match_the_hand_count(shop):
    c = period_counters(NOVEMBER, NOW)
    assert c == Counters(
        received=13,          # O1 … O13; B (10-31 23:59:59) is October's
        completed=6,          # O1 closed, O2 rated, O3, O5 rated, O10, O11; not O12 (reopened)
        cancelled=1,          # O4
        open=6,               # O6, O7, O8, O9, O12, O13
        overdue=4,            # open and submitted before 11-25 12:00: O6, O9, O12, O13
        arrived=8,            # O1 O2 O5 O6 O9 O10 O11 O12
        on_time=4,            # ≤ 15 min: O1 (exactly 15), O5 (10), O11 (13), O12 (15)
        rated=4, rated_high=2,                    # 5, 3, 4, 2
        avg_rating=3.5,                           # 14 / 4
        avg_response_minutes=11.0,                # (5+10+2+4+20+30+30+1+3+5) / 10
        avg_arrival_minutes=23.0,                 # (15+30+10+40+45+16+13+15) / 8
        avg_repair_minutes=65.0)                  # (60+120+60+30+90+30) / 6; O3 from accept
    assert c.completion_rate == 6 / 12            # cancelled O4 left out
    assert c.on_time_rate == 4 / 8
    assert c.high_rating_share == 2 / 4
    assert c.completed + c.cancelled + c.open == c.received


def test_limits_per_fault_type_and_by_default(shop):
    air = shop["air"].id
    per_type = period_counters(NOVEMBER, NOW, Limits(arrive_minutes_by_type={air: 45},
                                                     complete_hours_by_type={air: 12}))
    assert per_type.on_time == 5      # + O6 (空调, 40 ≤ 45)
    assert per_type.overdue == 5      # + O7 (空调, 11-25 18:00 + 12 h < now)
    looser = period_counters(NOVEMBER, NOW, Limits(arrive_minutes=16, complete_hours=200))
    assert looser.on_time == 5        # + O10 (16)
    assert looser.overdue == 1        # before 11-18 04:00: only O9 (11-15)


def test_shorter_periods_and_their_edges(shop):
    assert period_counters(week_period(date(2026, 11, 4)), NOW).received == 3   # O2 O3 O11
    assert period_counters(day_period(date(2026, 11, 5)), NOW).received == 2    # O3 O11
    october = period_counters(month_period(date(2026, 10, 1)), NOW)
    assert (october.received, october.cancelled, october.completed) == (4, 1, 3)  # A B C D
    assert october.avg_repair_minutes == round(110 / 3, 4)      # A 40, C 40, D 30
    empty = period_counters(month_period(date(2026, 12, 1)), NOW)
    assert empty == Counters()
    assert (empty.completion_rate, empty.on_time_rate, empty.high_rating_share) == \
        (None, None, None)


# ---------------------------------------------------------------- top lists and repeats


def test_top_fault_types_leave_out_orders_without_a_type(shop):
    assert [(t.name, t.count) for t in top_fault_types(NOVEMBER)] == \
        [("水电", 5), ("网络", 4), ("空调", 3)]          # O13 has no type
    assert [t.id for t in top_fault_types(NOVEMBER, limit=1)] == [shop["water"].id]


def test_hot_locations_are_catalogue_places_or_typed_text(shop):
    hot = hot_locations(NOVEMBER, limit=3)
    assert [(p.id, p.name, p.count) for p in hot] == [
        (shop["l1"].id, "东校区 1号楼 101", 6),          # O1 O2 O6 O7 O9 O12
        (shop["l2"].id, "东校区 1号楼 102", 2),          # O3 O8; ties: catalogue first
        (None, "西门路灯", 2)]                           # O4 O5
    tail = hot_locations(NOVEMBER, limit=10)[3:]
    assert sorted((p.name, p.count) for p in tail) == [("3号楼", 1), ("图书馆", 1), ("食堂", 1)]


def test_repeat_faults_within_thirty_days_at_the_same_place(shop):
    repeats = repeat_faults(NOVEMBER)
    # O2 (O1), O5 (A, October; cancelled O4 does not count), O7 (O6), O8 (O3, 21 days),
    # O10 (C, exactly 30 days), O12 (O2). Not: O3 (only cancelled B before), O11 (D, 30 days
    # and 1 second), O4 (cancelled itself), O13 (no type), O1 O6 O9 (first of their kind).
    assert repeats.count == 6
    assert [(r.category, r.location, r.count) for r in repeats.top] == [
        ("水电", "东校区 1号楼 101", 2), ("水电", "西门路灯", 1), ("网络", "东校区 1号楼 102", 1),
        ("网络", "图书馆", 1), ("空调", "东校区 1号楼 101", 1)]
    assert repeats.top[0].location_id == shop["l1"].id and repeats.top[1].location_id is None
    assert repeat_faults(NOVEMBER, limit=1).count == 6       # the total is not cut by the limit
    assert repeat_faults(NOVEMBER, limit=0) == Repeats(6, [])
    assert repeat_faults(month_period(date(2026, 12, 1))).count == 0


def test_a_typed_place_is_not_the_catalogue_place_of_the_same_name(shop):
    water, l1 = shop["water"], shop["l1"]
    for day, place in (("12-01", l1), ("12-02", l1.full_name), ("12-03", l1.full_name)):
        make_order(shop, at(f"{day} 10:00"), water, place, "completed", None, 1, 2, 3, None)
    december = month_period(date(2026, 12, 1))
    assert [(p.id, p.name, p.count) for p in hot_locations(december)] == [
        (None, "东校区 1号楼 101", 2), (l1.id, "东校区 1号楼 101", 1)]
    # 12-01 repeats O12 (水电 at L1, 11-18), 12-03 repeats the typed 12-02; 12-02 repeats nothing.
    assert [(r.location_id, r.count) for r in repeat_faults(december).top] == \
        [(l1.id, 1), (None, 1)]


def test_period_report_puts_it_together(shop):
    report = period_report(NOVEMBER, NOW, top=2)
    assert report.period == NOVEMBER and report.counters.received == 13
    assert [t.name for t in report.top_types] == ["水电", "网络"]
    assert [p.name for p in report.hot_locations] == ["东校区 1号楼 101", "东校区 1号楼 102"]
    assert report.repeats == Repeats(6, [])          # the count; repeat_faults() says where


# ---------------------------------------------------------------- breakdowns


def test_breakdown_by_department(shop):
    works, it, nobody = breakdown(NOVEMBER, NOW, "department")
    assert (works.name, it.name, nobody.id) == ("工程部", "信息中心", None)
    # 工程部: 水电 O1 O2 O4 O5 O12 and 空调 O6 O7 O11.
    assert works.counters == Counters(
        received=8, completed=4, cancelled=1, open=3, overdue=2,   # done O1 O2 O5 O11; O6 O12
        arrived=6, on_time=4, rated=4, rated_high=2, avg_rating=3.5,
        avg_response_minutes=11.0,                  # (5+10+4+20+30+3+5) / 7
        avg_arrival_minutes=20.5,                   # (15+30+10+40+13+15) / 6
        avg_repair_minutes=60.0)                    # (60+120+30+30) / 4
    # 信息中心: 网络 O3 O8 O9 O10.
    assert it.counters == Counters(
        received=4, completed=2, cancelled=0, open=2, overdue=1, arrived=2, on_time=0,
        avg_response_minutes=11.0,                  # (2+30+1) / 3
        avg_arrival_minutes=30.5,                   # (45+16) / 2
        avg_repair_minutes=75.0)                    # (60+90) / 2
    assert nobody.counters == Counters(received=1, open=1, overdue=1)      # O13


def test_breakdown_by_fault_type_and_by_engineer(shop):
    types = breakdown(NOVEMBER, NOW, "category")
    assert [(g.name, g.counters.received) for g in types] == \
        [("水电", 5), ("网络", 4), ("空调", 3), ("", 1)]
    assert types[2].counters.overdue == 1                  # 空调: O6 only
    engineers = breakdown(NOVEMBER, NOW, "engineer")
    assert [(g.name, g.counters.received) for g in engineers] == \
        [("王师傅", 5), ("李师傅", 4), ("", 4)]            # current assignee; ties: named first
    assert engineers[0].counters.avg_rating == 3.5          # O1 5, O2 3, O5 4, O11 2


# ---------------------------------------------------------------- engineer performance


def test_engineer_performance_in_november(shop):
    wang, li = engineer_performance(NOVEMBER)
    assert (wang.engineer_id, wang.name) == (shop["e1"].id, "王师傅")
    assert (wang.jobs, wang.completed) == (7, 5)   # accepted O1 O2 O5 O6 O7 O11 O12; A D: Oct.
    assert (wang.arrived, wang.on_time, wang.on_time_rate) == (5, 4, 0.8)   # O2 (30) late
    assert wang.avg_repair_minutes == 60.0          # (60+120+30+30+60) / 5, O12 before reopen
    assert (wang.rated, wang.avg_rating) == (4, 3.5)
    assert (wang.rejects, wang.transfers, wang.escalations) == (0, 1, 0)    # handed O6 back
    assert (li.jobs, li.completed, li.arrived, li.on_time) == (4, 2, 1, 0)  # O3 O6 O9 O10
    assert (li.avg_repair_minutes, li.rated, li.avg_rating) == (75.0, 0, None)
    assert (li.rejects, li.transfers, li.escalations) == (1, 0, 3)   # O7; O9 twice and O6
    assert (wang.overdue, li.overdue) == (0, 2)     # 超时 counts orders: O9 once, O6


def test_engineer_performance_in_october(shop):
    wang, li = engineer_performance(month_period(date(2026, 10, 1)))
    assert (wang.jobs, wang.completed, wang.on_time, wang.arrived) == (2, 2, 1, 2)  # A 20, D 10
    assert wang.escalations == wang.overdue == 1    # D, 10-07
    assert (li.name, li.jobs, li.completed, li.avg_repair_minutes) == ("李师傅", 1, 1, 40.0)
    assert engineer_performance(month_period(date(2026, 12, 1))) == []
