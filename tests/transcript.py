"""Golden transcripts: a conversation's script replayed through the real webhook and worker,
written out with every reply and every template message, and compared with the kept file.

A transcript file is its own script. Only these lines are read; the rest is output, rewritten
on every run:

    # a comment                 kept as it is
    小王> 报修                   a message from a person of CAST (text, or [图片], [语音] 文字,
                                [菜单] KEY, [关注])
    @ 绑定 王师傅                a step that is not a message: 绑定 <person>, 后台 (the worker
                                runs until idle), 定时 (the clock jobs due now, then the worker),
                                时间 +N分钟|小时|天, 设置 units = 甲, 乙 (before anything else)

A reply follows its message as lines starting with "| "; the template messages the emulator
received follow 后台 and 定时 as "[模板消息 …]" blocks. Run with UPDATE_TRANSCRIPTS=1 to write
the files anew (then read `git diff tests/transcripts/`).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from models.invites import create_invite
from models.notifications import Notification
from tests.wechat_sim import Chat
from wechat_bot.texts import TEMPLATES_DIR

FOLDER = Path(__file__).resolve().parent / "transcripts"
MESSAGE = re.compile(r"^(\S+)> (.*)$")
DIRECTIVE = re.compile(r"^@ (\S+)\s*(.*)$")
DURATION = re.compile(r"^\+(\d+)(分钟|小时|天)$")
UNITS = {"分钟": "minutes", "小时": "hours", "天": "days"}


@dataclass(frozen=True)
class Person:
    """Someone in the transcripts: their openid and, for staff, the invite they bind."""
    openid: str
    role: str = "reporter"
    invite: dict = field(default_factory=dict)


CAST = {
    "小王": Person("o_reporter_alice_0001"),
    "小李": Person("o_reporter_bob_00001"),
    "王师傅": Person("o_engineer_wang_01", "engineer", dict(
        name="王师傅", phone="13700000001", skills="水电", areas="东校区 3号楼",
        department="工程部")),
    "张主管": Person("o_supervisor_0001", "supervisor", dict(name="张主管", department="工程部")),
    "李校长": Person("o_leader_0000001", "leader", dict(name="李校长")),
    "前台小陈": Person("o_dispatcher_0001", "dispatcher", dict(name="小陈")),
    "管理员": Person("o_admin_00000001", "admin", dict(name="管理员")),
}


@dataclass(frozen=True)
class Step:
    """One line of the script: a comment, a person's message, or a directive."""
    kind: str        # comment | message | directive
    who: str         # the person, or the directive's word
    text: str        # the message, or the directive's argument, or the comment line


def parse(text: str) -> list[Step]:
    """The script of a transcript file: its comments, messages and directives."""
    steps = []
    for line in text.splitlines():
        if line.startswith("#"):
            steps.append(Step("comment", "", line))
        elif (found := MESSAGE.match(line)) and found.group(1) in CAST:
            steps.append(Step("message", found.group(1), found.group(2)))
        elif found := DIRECTIVE.match(line):
            steps.append(Step("directive", found.group(1), found.group(2).strip()))
    return steps


def conversation_overrides(steps: list[Step]) -> dict:
    """[conversation] settings a script sets before it starts (`@ 设置 units = 甲, 乙`)."""
    overrides = {}
    for step in steps:
        if step.kind == "directive" and step.who == "设置":
            key, _, value = step.text.partition("=")
            items = tuple(v.strip() for v in value.split(",") if v.strip())
            overrides[key.strip()] = items if key.strip() == "units" else value.strip()
    return overrides


class Stage:
    """Plays a script against the app (test client), the worker, the clock and the emulator."""

    def __init__(self, client, clock, worker, sandbox):
        self.client, self.clock, self.worker, self.sandbox = client, clock, worker, sandbox
        self.chats: dict[str, Chat] = {}
        self.seen = 0  # template messages already written out
        self.names = {person.openid: name for name, person in CAST.items()}

    def play(self, steps: list[Step]) -> str:
        """The transcript text of the whole script."""
        out: list[str] = []
        for step in steps:
            if step.kind == "comment":
                out.append(step.text)
                continue
            head = f"{step.who}> {step.text}" if step.kind == "message" else \
                f"@ {step.who} {step.text}".rstrip()
            body = self.message(step) if step.kind == "message" else self.directive(step)
            out += [head, *body, ""]
        return "\n".join(out).rstrip("\n") + "\n"

    def chat(self, who: str) -> Chat:
        if who not in self.chats:
            self.chats[who] = Chat(self.client, CAST[who].openid)
        return self.chats[who]

    def message(self, step: Step) -> list[str]:
        chat, text = self.chat(step.who), step.text
        if text == "[图片]":
            reply = chat.photo(self.sandbox.state.issue_media("image"))
        elif text.startswith("[语音]"):
            reply = chat.voice(text[len("[语音]"):].strip())
        elif text.startswith("[菜单]"):
            reply = chat.click(text[len("[菜单]"):].strip())
        elif text == "[关注]":
            reply = chat.event("subscribe")
        else:
            reply = chat.say(text)
        return reply_lines(reply)

    def directive(self, step: Step) -> list[str]:
        if step.who == "绑定":
            person = CAST[step.text]
            code = create_invite(person.role, self.clock.now(), 7, **person.invite).code
            return reply_lines(self.chat(step.text).say(f"绑定 {code}"))
        if step.who == "后台":
            self.worker.run_until_idle()
            return self.new_templates()
        if step.who == "定时":
            self.worker.scheduler.run_due()
            self.worker.run_until_idle()
            return self.new_templates()
        if step.who == "时间":
            found = DURATION.match(step.text)
            assert found, f"@ 时间 takes +N分钟|小时|天, not {step.text!r}"
            now = self.clock.advance(**{UNITS[found.group(2)]: int(found.group(1))})
            return [f"（现在是 {now:%Y-%m-%d %H:%M}）"]
        if step.who == "设置":
            return []
        raise AssertionError(f"unknown directive @ {step.who}")

    def new_templates(self) -> list[str]:
        delivered = self.sandbox.state.delivered_templates()
        fresh, self.seen = delivered[self.seen:], len(delivered)
        if not fresh:
            return ["[没有新的模板消息]"]
        # In the order they were written: the worker sends different people's side by side.
        written = dict(Notification.select(Notification.client_msg_id, Notification.id).tuples())
        fresh.sort(key=lambda message: written.get(message.get("client_msg_id"), 0))
        return [line for message in fresh for line in self.template_lines(message)]

    def template_lines(self, message: dict) -> list[str]:
        kind = message["template_id"].removeprefix("TPL_").lower()
        to = self.names.get(message["touser"], message["touser"])
        lines = [f"[模板消息 {template_title(kind)}（{kind}）→ {to}]"]
        return lines + [f"  {key}: {item['value']}" for key, item in message["data"].items()]


def reply_lines(reply: str) -> list[str]:
    """A reply as transcript lines: each prefixed with '| ' (a bare '|' for an empty one)."""
    if not reply:
        return ["|（没有回复）"]
    return [f"| {line}".rstrip() for line in reply.split("\n")]


def template_title(kind: str) -> str:
    """The template's Chinese name, from the first comment of templates/notify/<kind>.toml."""
    first = (TEMPLATES_DIR / "notify" / f"{kind}.toml").read_text("utf-8").split("\n", 1)[0]
    return first.lstrip("# ").split(" →")[0]


def difference(path: Path, kept: str, replayed: str) -> Optional[str]:
    """A unified diff from the kept transcript to the replayed one; None when they agree."""
    if kept == replayed:
        return None
    lines = difflib.unified_diff(kept.splitlines(), replayed.splitlines(), lineterm="",
                                 fromfile=f"{path.name} (kept)", tofile=f"{path.name} (replayed)")
    return "\n".join(lines)


def transcript_names() -> list[str]:
    """The kept transcripts, by file name without .txt."""
    return sorted(path.stem for path in FOLDER.glob("*.txt"))

