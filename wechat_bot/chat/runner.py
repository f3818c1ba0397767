"""One chat turn end to end: drop retries, lock the user, load state, route, save, reply."""
from __future__ import annotations

import logging
import secrets
import time

import redis
from handlers import catalogue_view
from handlers.turn import Profile, Turn
from wechat_bot.background.wake import note_pool_change
from wechat_bot.chat.profiles import load_profile
from wechat_bot.chat.router import route
from wechat_bot.chat.tries import BindTries
from wechat_bot.chat.turn_store import Loaded, TurnStore
from wechat_bot.clock import Clock
from wechat_bot.config import Settings
from wechat_bot.logs import mask
from wechat_bot.texts import Texts
from wechat_bot.webhook.inbound import Inbound
from wechat_bot.webhook.reply_xml import text_reply
from wechat_bot.wechat_api.notify import Notifier

log = logging.getLogger(__name__)
NO_REPLY = "success"   # WeChat's "nothing to say"
# All the waiting one message may do (for its first try, or for the user's lock) fits in this,
# so the answer, at worst the busy text, is back before WeChat's 5-second deadline.
RETRY_WAIT = 4.0


class TurnRunner:
    """Handles messages for the webhook; holds nothing another process would need."""

    def __init__(self, store: TurnStore, settings: Settings, clock: Clock, texts: Texts,
                 notifier: Notifier):
        self.store, self.settings, self.clock, self.texts = store, settings, clock, texts
        self.notifier = notifier
        self.idle_seconds = settings.conversation.idle_minutes * 60
        self.tries = BindTries(store.redis, store.prefix, clock)

    def handle(self, msg: Inbound) -> str:
        """The reply XML (or 'success') for `msg`; a retry gets the first try's reply."""
        try:
            return self._handle(msg)
        except redis.RedisError:
            log.exception("redis unavailable while handling %s", mask(msg.openid))
            return self._reply(msg, self.texts.say("common/error"))

    def _handle(self, msg: Inbound) -> str:
        deadline = time.monotonic() + RETRY_WAIT
        while True:  # loops only when the first try died and let go of the message
            token = secrets.token_hex(8)
            loaded = self.store.begin(msg.retry_key, msg.openid, token)
            if loaded.claimed:
                return self._run_claimed(msg, token, loaded, deadline)
            remaining = deadline - time.monotonic()
            cached = self.store.wait_for_reply(msg.retry_key, remaining) if remaining > 0 else None
            if cached is not None:
                return cached
            if time.monotonic() >= deadline:
                return self._reply(msg, self.texts.say("common/busy"))

    def _run_claimed(self, msg: Inbound, token: str, loaded: Loaded, deadline: float) -> str:
        if not loaded.locked:
            loaded = self.store.wait_for_lock(msg.retry_key, msg.openid, token,
                                              max(0.0, deadline - time.monotonic()))
            if not loaded.locked:
                self.store.abandon(msg.retry_key, msg.openid, token, loaded.since)
                return self._reply(msg, self.texts.say("common/busy"))
        catalogue_view.check_version(loaded.catalogue)   # the back office changed it?
        try:
            turn = self._build_turn(msg, loaded)
            reply = self._reply(msg, self._answer(turn))
        except Exception:  # noqa: BLE001 - the webhook must answer politely whatever broke
            log.exception("turn failed for %s (%s)", mask(msg.openid), msg.msg_type)
            self.store.abandon(msg.retry_key, msg.openid, token, loaded.since)
            return self._reply(msg, self.texts.say("common/error"))
        self._save(msg, token, turn, reply, loaded)
        return reply

    def _build_turn(self, msg: Inbound, loaded: Loaded) -> Turn:
        now = self.clock.now()
        if loaded.profile:
            profile = Profile(**loaded.profile)
        else:
            profile = load_profile(msg.openid, now)
        draft, lapsed = loaded.draft, False
        if draft and self.clock.timestamp() - draft.get("t", 0) > self.idle_seconds:
            draft, lapsed = None, _held_a_report(draft)
        app = self.settings.app
        return Turn(msg=msg, profile=profile, draft=draft, now=now, lapsed=lapsed,
                    settings=self.settings.conversation, texts=self.texts,
                    notifier=self.notifier, tries=self.tries, sla_settings=self.settings.sla,
                    shifts=self.settings.shifts, service_phone=app.service_phone,
                    emergency_phone=app.emergency_phone or app.service_phone,
                    service_hours=app.service_hours, charges=app.charges)

    def _answer(self, turn: Turn) -> str:
        text = route(turn)(turn)
        if turn.lapsed:
            notice = self.texts.say("reporter/lapsed", minutes=turn.settings.idle_minutes)
            text = f"{notice}\n\n{text}" if text else notice
        return text

    def _save(self, msg: Inbound, token: str, turn: Turn, reply: str, loaded: Loaded) -> None:
        if turn.draft is not None:
            turn.draft["t"] = self.clock.timestamp()
        changed = turn.profile_dirty or turn.profile.stored_now or loaded.profile is None
        profile = turn.profile.as_dict() if changed else None
        if turn.pool_changed:  # before FINISH wakes the worker, so its round sees the change
            note_pool_change(self.store.redis, self.store.prefix)
        self.store.finish(msg.retry_key, msg.openid, token, reply, turn.draft, profile,
                          wake=turn.wake_worker, since=loaded.since)

    def _reply(self, msg: Inbound, text: str) -> str:
        if not text:
            return NO_REPLY
        return text_reply(msg.openid, msg.to_user, text, self.clock.timestamp())


def _held_a_report(draft: dict) -> bool:
    """Whether an idle draft held a report, so the user is told it lapsed. Other flows (a
    pending choice between orders, an engineer's after-photos window) just end, unless a
    report waits under them ("resume")."""
    held = draft.get("resume") or {} if draft.get("flow") else draft
    return bool(held) and not held.get("flow")
