"""Loading the assignment inputs from a real database (SQLite, or PostgreSQL when set)."""
from datetime import date, datetime
from itertools import count

import pytest

from models import assignment, catalogue, db
from models.assignment import ENGINEER, QUEUE, VENDOR, Warranty
from models.assignment_data import (load_candidates, order_facts, suggest, supervisors_for)
from models.catalogue import Department, Device, FaultType, Location
from models.invites import create_invite, redeem_invite
from models.orders import RepairOrder
from models.people import EngineerProfile, User
from models.seed import seed_demo
from models.workflow import NewOrder, fire, submit_order

NOW = datetime(2026, 11, 26, 9, 30)
TODAY = NOW.date()
_openids = count(1)


@pytest.fixture
def demo(database):
    """The demo catalogue and a reporter."""
    seed_demo()
    return person()


def person(role="reporter", department=None, subscribed=True) -> User:
    """A user made directly, as the back office would."""
    dept = Department.get(Department.name == department) if department else None
    return User.create(openid=f"o_assign_{next(_openids):04d}", role=role, department=dept,
                       subscribed=subscribed, created_at=NOW)


def engineer(skills: str, areas: str = "", department: str = "工程部") -> User:
    """An engineer bound the real way: an invite code redeemed by a WeChat user."""
    user = person()
    invite = create_invite("engineer", NOW, 7, skills=skills, areas=areas, department=department)
    assert redeem_invite(invite.code, user, NOW) is not None
    return User.get_by_id(user.id)


def report(reporter: User, category="水电", place="东校区 3号楼 201", **changes) -> RepairOrder:
    """A submitted order, with any column changed afterwards (engineer, status, device)."""
    fault = FaultType.get(FaultType.name == category)
    where = Location.get(Location.full_name == place) if place else None
    order = submit_order(NewOrder(reporter, fault, place or "电话报修", "坏了", "13800138000",
                                  kind=fault.kind, location=where), NOW)
    if changes:
        RepairOrder.update(**changes).where(RepairOrder.id == order.id).execute()
    return RepairOrder.get_by_id(order.id)


def id_of(name, model=Location, field="full_name") -> int:
    """The id of a catalogue row by name."""
    return model.get(getattr(model, field) == name).id


def ids(*names, model=Location, field="full_name") -> frozenset[int]:
    """Ids of catalogue rows by name."""
    return frozenset(id_of(name, model, field) for name in names)


def test_pure_module_kinds_match_the_catalogue():
    assert (assignment.REPAIR, assignment.MATTER) == (catalogue.REPAIR, catalogue.MATTER)


def test_candidates_are_the_skilled_with_their_skills_and_areas(demo):
    near = engineer("水电,空调", "东校区 3号楼")
    far = engineer("水电", "西校区,东校区 图书馆")
    engineer("空调", "东校区 3号楼")
    idle = engineer("水电")
    EngineerProfile.update(active=False).where(EngineerProfile.user == idle).execute()
    stamp = datetime(2026, 11, 25, 17, 0)
    EngineerProfile.update(last_assigned_at=stamp).where(EngineerProfile.user == far).execute()
    found = {c.user_id: c for c in load_candidates(report(demo))}
    assert set(found) == {near.id, far.id, idle.id}
    assert found[near.id].skills == ids("水电", "空调", model=FaultType, field="name")
    assert found[near.id].areas == ids("东校区 3号楼")
    assert found[far.id].areas == ids("西校区", "东校区 图书馆")
    assert found[far.id].department_id == id_of("工程部", Department, "name")
    assert (found[far.id].last_assigned_at, found[near.id].last_assigned_at) == (stamp, None)
    assert [found[u].active for u in (near.id, idle.id)] == [True, False]
    assert all(c.on_duty for c in found.values())


def test_open_jobs_count_only_work_in_hand(demo):
    busy, other = engineer("水电"), engineer("水电")
    for status in ("dispatched", "accepted", "arrived", "suspended"):
        report(demo, engineer=busy, status=status)
    for status in ("submitted", "completed", "rated", "closed", "cancelled"):
        report(demo, engineer=busy, status=status)
    report(demo, engineer=other, status="accepted")
    jobs = {c.user_id: c.open_jobs for c in load_candidates(report(demo))}
    assert jobs == {busy.id: 4, other.id: 1}


def test_facts_of_a_repair(demo):
    order = report(demo)
    facts = order_facts(order, TODAY)
    assert (facts.kind, facts.fault_type_id, facts.today) == ("repair", order.category_id, TODAY)
    assert facts.department_ids == ids("工程部", model=Department, field="name")
    assert facts.location_path == tuple(id_of(n) for n in
                                        ("东校区 3号楼 201", "东校区 3号楼", "东校区"))
    assert (facts.rejected_by, facts.warranty) == (frozenset(), None)


def test_those_who_rejected_or_handed_back_are_remembered(demo):
    first, second, third = engineer("水电"), engineer("水电"), engineer("水电")
    order = report(demo)
    fire(order, "dispatch", None, NOW, engineer=first)
    fire(order, "reject", first, NOW, note="不在学校")
    fire(order, "dispatch", None, NOW, engineer=second)
    fire(order, "accept", second, NOW)
    fire(order, "transfer", second, NOW, note="需要电工")
    fire(order, "dispatch", None, NOW, engineer=third)
    fire(order, "accept", third, NOW)
    assert order_facts(order, TODAY).rejected_by == {first.id, second.id}
    assert suggest(order, TODAY).engineer_id == third.id


def test_a_device_brings_its_warranty_and_its_place(demo):
    aircon = Device.get(Device.code == "KT-E3-201")
    order = report(demo, category="空调", place=None, device=aircon)
    facts = order_facts(order, TODAY)
    assert facts.warranty == Warranty("格力售后", "4008365315", date(2027, 6, 30))
    assert facts.location_path[0] == aircon.location_id
    engineer("空调")
    decision = suggest(order, TODAY)
    assert (decision.how, decision.vendor_phone) == (VENDOR, "4008365315")


def test_an_expired_warranty_gets_an_engineer(demo):
    lift = Device.get(Device.code == "DT-LIB-01")          # warranty ended 2025-12-31
    fixer = engineer("公共设施")
    order = report(demo, category="公共设施", place="东校区 图书馆", device=lift)
    assert order_facts(order, TODAY).warranty.warranty_end == date(2025, 12, 31)
    assert (suggest(order, TODAY).how, suggest(order, TODAY).engineer_id) == (ENGINEER, fixer.id)


def test_the_area_decides_between_equals(demo):
    engineer("水电", "西校区")
    local = engineer("水电", "东校区 3号楼")
    engineer("水电")
    decision = suggest(report(demo), TODAY)
    assert decision.engineer_id == local.id
    assert decision.ranked[0].reasons[0] == "area_match"


def test_a_matter_goes_to_the_departments_staff(demo):
    guard = engineer("", department="秩序部")
    engineer("水电,公共设施", "东校区", department="工程部")
    order = report(demo, category="安全隐患", place="东校区 图书馆")
    facts = order_facts(order, TODAY)
    assert facts.kind == "matter"
    assert facts.department_ids == ids("秩序部", model=Department, field="name")
    assert [c.user_id for c in load_candidates(order)] == [guard.id]
    assert suggest(order, TODAY).engineer_id == guard.id


def test_a_matter_reaches_staff_of_departments_below(demo):
    security = Department.get(Department.name == "秩序部")
    Department.create(name="秩序部夜班", parent=security)
    night = engineer("", department="秩序部夜班")
    assert suggest(report(demo, category="失物报失"), TODAY).engineer_id == night.id


def test_nobody_skilled_means_the_queue(demo):
    engineer("网络")
    order = report(demo, category="水电")
    assert load_candidates(order) == []
    assert suggest(order, TODAY).how == QUEUE


def test_loading_takes_a_few_queries_whatever_the_team_size(demo, monkeypatch):
    for n in range(30):
        engineer("水电,空调", "东校区 3号楼" if n % 2 else "西校区")
    order = report(demo)
    calls = []
    real = db.obj.execute_sql
    monkeypatch.setattr(db.obj, "execute_sql", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert len(load_candidates(order)) == 30
    assert 0 < len(calls) <= 4


def test_supervisors_of_the_orders_department(demo):
    works = person("supervisor", "工程部")
    person("supervisor", "秩序部")
    person("supervisor", "工程部", subscribed=False)       # cannot receive a notice
    person("engineer", "工程部")
    assert supervisors_for(report(demo)) == [works.id]


def test_supervisors_by_invite_count_too(demo):
    user = person()
    invite = create_invite("supervisor", NOW, 7, department="秩序部")
    redeem_invite(invite.code, user, NOW)
    assert supervisors_for(report(demo, category="失物报失")) == [user.id]


def test_the_orders_own_department_wins_over_the_fault_types(demo):
    person("supervisor", "工程部")
    security = person("supervisor", "秩序部")
    moved = report(demo, department=Department.get(Department.name == "秩序部"))
    assert supervisors_for(moved) == [security.id]


def test_supervisors_fall_back_upwards_then_to_anyone(demo):
    head = person("supervisor", "后勤服务中心")
    assert supervisors_for(report(demo, category="网络")) == [head.id]   # 信息中心 has none
    head.department = None
    head.save()
    other = person("supervisor", "秩序部")
    assert supervisors_for(report(demo, category="网络")) == sorted([head.id, other.id])
