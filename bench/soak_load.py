"""Reporters as WeChat plays them: signed messages over HTTP, each reporter answering what the
bot asks until its order is stored, many reporters at once."""
from __future__ import annotations

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

import requests

from wechat_bot.cli.chat_client import WechatSigner

WECHAT_TIMEOUT = 5.0   # WeChat gives up on a reply after 5 s and sends the same message again
WECHAT_TRIES = 3       # the first try and WeChat's two retries, same MsgId
MAX_TURNS = 20         # a reporter who needs more is stuck: counted as an unexpected reply
UNIT = "计算机学院"
REPORTS = [  # one-shot reports (place, fault, phone, name): {room} and {phone} filled per reporter
    "宿舍5号楼{room}的灯坏了 {phone} 王同学",
    "东校区3号楼{room}空调不制冷了 {phone} 李老师",
    "学生公寓A栋{room}门锁坏了 {phone} 赵同学",
    "宿舍7号楼{room}水龙头一直漏水 {phone} 陈同学",
]
NUMBER = re.compile(r"BX\d{12,}")
ERROR_TEXT, BUSY_TEXT = "开了个小差", "正在处理您的上一条消息"


@dataclass
class Turn:
    """One message and how it was answered, as seen from outside."""
    started: float
    seconds: float
    outcome: str          # ok, busy, error (error text), http (non-200), timeout, unexpected
    text: str = ""


@dataclass
class Reporter:
    """One simulated person and what happened to them."""
    n: int
    openid: str
    turns: list[Turn] = field(default_factory=list)
    confirmed_at: Optional[float] = None   # when the first 确认 was sent
    number: str = ""                       # the order number the bot told them
    failure: str = ""                      # why they could not finish, if they could not

    @property
    def phone(self) -> str:
        return f"139{self.n:08d}"

    def opening(self) -> str:
        """The one-shot report this reporter sends first."""
        return REPORTS[self.n % len(REPORTS)].format(room=300 + self.n % 100, phone=self.phone)


def next_message(reply: str, reporter: Reporter) -> Optional[str]:
    """What a reporter answers to `reply`; None once the order is stored."""
    if NUMBER.search(reply):
        return None
    if "请核对" in reply or "回复“确认”" in reply:
        return "确认"
    if "学院/部门" in reply:
        return UNIT
    raise ValueError(f"unexpected reply: {reply[:200]!r}")


class Client:
    """Signed plaintext messages to one webhook, read back as WeChat would."""

    def __init__(self, base_url: str, token: str):
        self.url = f"{base_url}/wechat"
        self.signer = WechatSigner(token)
        self.local = threading.local()

    def session(self) -> requests.Session:
        if getattr(self.local, "session", None) is None:
            self.local.session = requests.Session()
        return self.local.session

    def send(self, openid: str, text: str) -> Turn:
        """One message; WeChat's retries of it (same MsgId) on a timeout; the final outcome."""
        xml = self.signer.message_xml(openid, "text", Content=text)
        started = time.time()
        for _ in range(WECHAT_TRIES):
            signed = self.signer.sign(xml, openid)
            try:
                response = self.session().post(f"{self.url}?{signed.query}", data=signed.body,
                                               timeout=WECHAT_TIMEOUT)
            except requests.RequestException:
                continue
            return self._turn(started, response)
        return Turn(started, time.time() - started, "timeout")

    def _turn(self, started: float, response: requests.Response) -> Turn:
        seconds = time.time() - started
        if response.status_code != 200:
            return Turn(started, seconds, "http", f"HTTP {response.status_code}")
        text = self.signer.read_reply(response.content).get("Content", "")
        outcome = "error" if ERROR_TEXT in text else "busy" if BUSY_TEXT in text else "ok"
        return Turn(started, seconds, outcome, text)


def play(client: Client, reporter: Reporter, pause: float = 0.5) -> Reporter:
    """Report, answer each question, 确认; a failed turn is sent again, as a person would."""
    message = reporter.opening()
    while len(reporter.turns) < MAX_TURNS:
        if message == "确认" and reporter.confirmed_at is None:
            reporter.confirmed_at = time.time()
        turn = client.send(reporter.openid, message)
        reporter.turns.append(turn)
        if turn.outcome != "ok":
            time.sleep(pause)   # the person reads the apology (or waits), then sends it again
            continue
        try:
            message = next_message(turn.text, reporter)
        except ValueError as exc:
            turn.outcome, reporter.failure = "unexpected", str(exc)
            return reporter
        if message is None:
            reporter.number = NUMBER.search(turn.text).group(0)
            return reporter
    reporter.failure = f"no order after {MAX_TURNS} messages"
    return reporter


def run_reporters(client: Client, count: int, concurrency: int, prefix: str,
                  on_done: Callable[[int], None] = lambda done: None) -> list[Reporter]:
    """`count` reporters, `concurrency` at a time; on_done(finished so far) after each."""
    reporters = [Reporter(n, f"{prefix}{n:06d}") for n in range(count)]
    finished, lock = [0], threading.Lock()

    def one(reporter: Reporter) -> None:
        play(client, reporter)
        with lock:
            finished[0] += 1
            done = finished[0]
        on_done(done)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, reporters))
    return reporters
