"""The simulated desk and leader. The desk records in the back office the completions written
on returned 派工单 and those the warranty vendors phone in; the leader reads 统计 before
midnight and the 报修日报 every morning, and the figures they read are kept for the checks."""
from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta

from models.lifecycle import DISPATCHED, SUBMITTED
from models.orders import RepairOrder
from models.people import DISPATCHER
from models.staff import create_staff
from models.statistics import day_period
from wechat_bot.cli.simulation.journal import Delivery, Shown

DESK_USER = "sim_desk"
STATS_TIMES = (time(11, 30), time(23, 50))
VENDOR_HOURS = (2, 8)      # how long a vendor takes before phoning the desk that it is done
QUEUE_ROUNDS = 30          # minutes between the desk's looks at the orders waiting for them
SUGGESTED = re.compile(r'<select name="engineer"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"( selected)?>')
REPORT_FIGURES = {"received": r"受理 (\d+)", "completed": r"(?<!未)完成 (\d+)",
                  "cancelled": r"取消 (\d+)", "open": r"未完成 (\d+)",
                  "completion": r"完成率 ([\d.]+|—)", "on_time_rate": r"及时率 ([\d.]+|—)"}
DIGEST_FIGURES = {"received": r"^(\d+)$", "completed": r"^(\d+)$",
                  "completion": r"完成率([\d.]+|—)", "on_time_rate": r"及时率([\d.]+|—)"}
DIGEST_KEYS = {"received": "number2", "completed": "number3", "completion": "thing4",
               "on_time_rate": "thing4"}


class Desk:
    """A dispatcher at the back office, recording completions through the completion form."""

    def __init__(self, world):
        self.world = world
        password = secrets.token_urlsafe(12)
        create_staff(DESK_USER, password, DISPATCHER, "前台(模拟)", world.clock.now())
        self.browser = world.browser(DESK_USER, password)
        self.vendor_orders: set[int] = set()

    def paper_completion(self, number: str, done_by: str, minutes: float) -> None:
        """An engineer finished on paper now; the desk types it in `minutes` later."""
        done_at = self.world.clock.now()
        self.world.after(minutes, lambda: self.complete(number, done_at, "按纸质派工单完工",
                                                        done_by))

    def look_at_vendor_orders(self) -> None:
        """Every half hour: orders sent to a vendor get done by the vendor some hours later."""
        waiting = RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.vendor_name) \
            .where(RepairOrder.status == DISPATCHED, RepairOrder.vendor_name != "",
                   RepairOrder.engineer.is_null())
        for order in waiting:
            if order.id not in self.vendor_orders:
                self.vendor_orders.add(order.id)
                self._vendor_repairs(order.number, order.vendor_name)
        self.world.after(30, self.look_at_vendor_orders)

    def look_at_the_queue(self) -> None:
        """Every half hour: orders waiting for a person are dispatched by hand, to the engineer
        the order page suggests (else one of those it offers), as a front desk does."""
        cutoff = self.world.clock.now() - timedelta(minutes=QUEUE_ROUNDS)
        waiting = RepairOrder.select(RepairOrder.id, RepairOrder.number).where(
            RepairOrder.status == SUBMITTED, RepairOrder.queued_at <= cutoff)
        for order in waiting:
            self._dispatch_by_hand(order.id, order.number)
        self.world.after(QUEUE_ROUNDS, self.look_at_the_queue)

    def _dispatch_by_hand(self, order_id: int, number: str) -> None:
        page = f"/admin/orders/{order_id}"
        form = SUGGESTED.search(self.browser.page(page))
        options = OPTION.findall(form.group(1)) if form else []
        if not options:
            return  # nobody to give it to: it stays in the queue, as it would at a real desk
        chosen = next((value for value, selected in options if selected),
                      self.world.rng.choice(options)[0])
        outcome = self.browser.post_form(page, f"{page}/dispatch", {"engineer": chosen}, number)
        if not outcome.startswith("notice"):
            self.world.journal.snag(self.world.clock.now(), DESK_USER,
                                    f"could not dispatch by hand: {outcome or 'no form'}", number)

    def _vendor_repairs(self, number: str, vendor: str) -> None:
        hours = self.world.rng.uniform(*VENDOR_HOURS)
        done_at = self.world.clock.now() + timedelta(hours=hours)
        self.world.at(done_at, lambda: self.complete(number, done_at, "厂家上门维修完毕", vendor))

    def complete(self, number: str, done_at: datetime, solution: str, done_by: str) -> None:
        """The completion form (the desk branch's contract): time done, solution, who."""
        order = RepairOrder.get(RepairOrder.number == number)
        page = f"/admin/orders/{order.id}"
        fields = {"completed_at": done_at.strftime("%Y-%m-%dT%H:%M"), "solution": solution,
                  "cost": "", "done_by": done_by}
        outcome = self.browser.post_form(page, f"{page}/complete", fields, number)
        if not outcome.startswith("notice"):
            self.world.journal.snag(self.world.clock.now(), DESK_USER,
                                    f"could not record the completion: {outcome or 'no form'}",
                                    number)


class Leader:
    """A leader with WeChat who reads the figures they are shown."""

    def __init__(self, world, openid: str):
        self.world = world
        self.phone = world.phone(openid, self)

    def plan_day(self, day) -> None:
        """统计 for today before lunch and ten minutes before midnight."""
        for when in STATS_TIMES:
            self.world.at(datetime.combine(day, when), self.read_stats)

    def read_stats(self) -> None:
        now = self.world.clock.now()
        reply = self.phone.say("统计 今日")
        self._keep(now, day_period(now.date()), "统计 今日",
                   {name: _figure(pattern, reply) for name, pattern in REPORT_FIGURES.items()})

    def receive(self, delivery: Delivery) -> None:
        """The 报修日报 at 08:00 covers yesterday."""
        if delivery.kind != "digest":
            return
        figures = {name: _figure(DIGEST_FIGURES[name], str(delivery.values.get(key, "")))
                   for name, key in DIGEST_KEYS.items()}
        self._keep(delivery.at, day_period(delivery.at.date() - timedelta(days=1)), "报修日报",
                   figures)

    def _keep(self, at: datetime, period, source: str, figures: dict) -> None:
        if any(value is False for value in figures.values()):
            self.world.journal.snag(at, self.phone.openid, f"{source}: figures not readable")
            return
        self.world.journal.shown.append(Shown(at, period, source, figures))


def _figure(pattern: str, text: str):
    """A number read off a text: int or float (percent), None for '—', False when absent."""
    found = re.search(pattern, text, re.M)
    if found is None:
        return False
    value = found.group(1)
    if value == "—":
        return None
    return float(value) if "." in value or "率" in pattern else int(value)
