"""A fault type's own SLA, set in the back office: merged over [sla], read by every clock."""
from models.catalogue import FaultType
from models.orders import RepairOrder
from models.sla_limits import limits_for, with_type_limits
from models.sla_overrides import effective_sla
from models.staff import AuditLog
from tests.admin_flows import desk
from tests.flows import plumber, report_leak
from tests.admin_flows import post_form
from tests.background.test_clock_jobs import run

CONFIG = {"accept_minutes": 5, "types": {"水电": {"complete_hours": 4, "urgent": {"accept_minutes": 1}}}}


def test_own_limits_lay_over_the_config_and_leave_it_untouched():
    merged = with_type_limits(CONFIG, {"水电": {"accept_minutes": 2, "complete_minutes": 90},
                                       "空调": {"arrive_minutes": 40}})
    assert limits_for("水电", "normal", merged).accept_minutes == 2
    assert limits_for("水电", "normal", merged).complete_minutes == 90   # replaces complete_hours
    assert limits_for("水电", "urgent", merged).accept_minutes == 1      # the priority table wins
    assert limits_for("空调", "normal", merged).arrive_minutes == 40
    assert limits_for("网络", "normal", merged).accept_minutes == 5
    assert CONFIG["types"]["水电"] == {"complete_hours": 4, "urgent": {"accept_minutes": 1}}
    assert with_type_limits(CONFIG, {}) is CONFIG


def test_effective_sla_reads_the_types_that_have_their_own(database):
    from models.seed import seed_demo
    seed_demo()
    assert effective_sla(CONFIG) == CONFIG
    FaultType.update(arrive_minutes=30).where(FaultType.name == "空调").execute()
    assert limits_for("空调", "normal", effective_sla(CONFIG)).arrive_minutes == 30
    assert limits_for("空调", "normal", effective_sla(None)).arrive_minutes == 30


def test_a_limit_set_on_the_page_drives_the_clock(app, client, chat, clock, worker, sandbox):
    plumber(client, clock)
    plumber(client, clock, "o_engineer_li_0002", "李师傅", areas="西校区")
    desk(client, "supervisor", "zhuguan", "张主管")
    water = FaultType.get(FaultType.name == "水电")
    path = f"/admin/catalogue/fault-types/{water.id}"
    form = {"name": "水电", "kind": "repair", "keywords": water.keywords, "sort_order": "1",
            "accept_minutes": "2", "arrive_minutes": "", "complete_minutes": "240"}
    assert post_form(client, path, {**form, "accept_minutes": "0"}).status_code == 400
    assert post_form(client, path, {**form, "accept_minutes": "两"}).status_code == 400
    assert post_form(client, path, form).status_code == 302
    saved = FaultType.get_by_id(water.id)
    assert (saved.accept_minutes, saved.arrive_minutes, saved.complete_minutes) == (2, None, 240)
    assert "accept_minutes" in AuditLog.get(AuditLog.action == "fault-types.update").detail
    page = client.get(path).get_data(as_text=True)
    assert "2 分钟" in page and "4 小时" in page
    order = report_leak(chat)
    worker.run_until_idle()
    run(worker, clock, minutes=2, seconds=1)   # past the type's own 2 minutes, not [sla]'s 5
    assert RepairOrder.get_by_id(order.id).accept_misses == 1
    deadline = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "13:30" in deadline     # completion: 240 minutes after the 09:30 report
