"""A fresh world for each person: the real app, worker and WeChat API emulator on a manual
clock, the demo catalogue, the staff on duty, and whatever the person had before (their phone
on file, earlier orders in the state their story needs).

The setup goes through the bot's documented words (绑定, 接单 单号, 到达 单号, 完成 单号 说明)
or straight into the database, never through the report conversation being measured.
"""
from __future__ import annotations

import dataclasses
from datetime import timedelta
from pathlib import Path

from models.catalogue import FaultType, Location
from models.invites import create_invite
from models.orders import RepairOrder
from models.people import ENGINEER, LEADER, SUPERVISOR, User
from models.seed import seed_demo
from models.workflow import NewOrder, fire, submit_order
from tests.conftest import START, TEMPLATES, _empty_tables
from tests.personas.people import Person, Prior
from tests.wechat_sim import AES_KEY, APP_ID, TOKEN, Chat
from wechat_bot import create_app
from wechat_bot.background.worker import Worker
from wechat_bot.clock import ManualClock
from wechat_bot.config import EXAMPLE_CONFIG, load_settings
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET

SETUP_DAYS = 14                 # the world starts this long before the play (START)
SERVICE_PHONE = "0571-86091234"
ENGINEER_ID, SUPERVISOR_ID, NEIGHBOUR_ID = ("o_persona_staff_wang_000000", "o_persona_staff_zhang_00000",
                                            "o_persona_neighbour_0000000")
ENGINEER_INVITE = dict(name="王师傅", phone="13700000001", department="工程部",
                       skills="水电,门窗家具,空调,网络,公共设施,其他", areas="东校区,西校区")
STAFF_WORDS = {"accepted": ("接单 {n}",), "arrived": ("接单 {n}", "到达 {n}"),
               "completed": ("接单 {n}", "到达 {n}", "完成 {n} 更换了配件"),
               "rated": ("接单 {n}", "到达 {n}", "完成 {n} 更换了配件")}


def settings_for(data_dir: Path, database_url: str, sandbox_url: str):
    """The example configuration as shipped (what an operator starts from), on the test
    database, Redis, emulator and signing keys, with a desk phone and an urgent SLA."""
    base = load_settings(str(EXAMPLE_CONFIG), env={})
    sla = dict(base.sla)
    sla.setdefault("urgent", {"arrive_minutes": 10, "complete_hours": 4})
    return dataclasses.replace(
        base, sla=sla, templates=TEMPLATES,
        wechat=dataclasses.replace(base.wechat, token=TOKEN, app_id=APP_ID,
                                   encoding_aes_key=AES_KEY, max_timestamp_skew=0,
                                   app_secret=SANDBOX_SECRET, api_base_url=sandbox_url),
        database=dataclasses.replace(base.database, url=database_url),
        redis=dataclasses.replace(base.redis, prefix="persona:"),
        app=dataclasses.replace(base.app, data_dir=str(data_dir), service_phone=SERVICE_PHONE,
                                organization="示例大学后勤管理处"),
        worker=dataclasses.replace(base.worker, request_timeout=2))


class World:
    """Everything one person talks to, emptied and built again."""

    def __init__(self, settings, redis_client, sandbox):
        _empty_tables()
        redis_client.flushdb()
        sandbox.state.reset()
        seed_demo()
        self.settings, self.sandbox = settings, sandbox
        self.clock = ManualClock(START - timedelta(days=SETUP_DAYS))
        self.app = create_app(settings, clock=self.clock, redis_client=redis_client)
        self.client = self.app.test_client()
        self.worker = Worker(settings, redis_client, self.clock)

    def chat(self, openid: str) -> Chat:
        """A WeChat user whose messages go signed and encrypted, as in 安全模式."""
        return Chat(self.client, openid, mode="safe")

    def bind(self, openid: str, role: str, **invite) -> Chat:
        chat = self.chat(openid)
        code = create_invite(role, self.clock.now(), 7, **invite).code
        chat.say(f"绑定 {code}")
        return chat

    def photo(self) -> str:
        """A media id as if the user had just taken a photo."""
        return self.sandbox.state.issue_media("image")

    def delivered(self) -> list[dict]:
        return self.sandbox.state.delivered_templates()


def prepare(world: World, person: Person) -> list[RepairOrder]:
    """Staff, the person's file and their earlier orders; the clock then stands at START."""
    engineer = world.bind(person.openid if person.role == ENGINEER else ENGINEER_ID, ENGINEER,
                          **ENGINEER_INVITE)
    world.bind(SUPERVISOR_ID, SUPERVISOR, name="张主管", department="工程部")
    if person.role == LEADER:
        world.bind(person.openid, LEADER, name="李校长")
    owner = _reporter(world, person)
    made = {}
    for index, prior in sorted(enumerate(person.priors), key=lambda p: p[1].age, reverse=True):
        world.clock.current = START - prior.age   # oldest first: the clock only moves on
        made[index] = _prior_order(world, owner, prior, engineer)
    world.clock.current = START
    world.worker.run_until_idle()
    return [RepairOrder.get_by_id(made[index].id) for index in range(len(person.priors))]


def _reporter(world: World, person: Person) -> User:
    """Who files the earlier orders: the person (on file when known), else a neighbour."""
    if person.role != "reporter":
        return User.create(openid=NEIGHBOUR_ID, name="邻居小赵", phone="13600000009",
                           unit="物理学院", created_at=world.clock.now())
    facts = person.facts
    known = dict(name=facts.name, phone=facts.phone, unit=facts.unit) if person.known else {}
    return User.create(openid=person.openid, created_at=world.clock.now(), **known)


def _prior_order(world: World, owner: User, prior: Prior, engineer: Chat) -> RepairOrder:
    """One earlier order, dispatched to the engineer and moved on to `prior.state`."""
    now = world.clock.now()
    place = Location.get(Location.full_name == prior.place)
    order = submit_order(NewOrder(
        reporter=owner, category=FaultType.get(FaultType.name == prior.category),
        location=place, location_text=place.full_name, description=prior.what,
        phone=owner.phone, reporter_name=owner.name, reporter_unit=owner.unit), now)
    world.worker.run_until_idle()
    for words in STAFF_WORDS.get(prior.state, ()):
        engineer.say(words.format(n=order.number))
    if prior.state == "rated":
        fire(RepairOrder.get_by_id(order.id), "rate", owner, now, rating=5, note="5分")
    return order
