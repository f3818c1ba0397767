"""What everyone can say or do: help, follow and unfollow, binding a role, the unknown."""
from __future__ import annotations

from handlers.reporter import current_prompt
from handlers.turn import Turn
from models.invites import redeem_invite
from models.people import User


def help_text(turn: Turn) -> str:
    """帮助 / HELP: the words this user can use, plus where a draft stands."""
    reply = turn.say("common/help", role=turn.profile.role)
    if turn.draft is not None:
        reply += "\n\n" + turn.say("common/draft_open") + "\n" + current_prompt(turn)
    return reply


def on_subscribe(turn: Turn) -> str:
    """A user followed the account: welcome them and show help."""
    record_subscribed(turn)
    return turn.say("common/welcome") + "\n\n" + turn.say("common/help", role=turn.profile.role)


def record_subscribed(turn: Turn) -> None:
    """The user follows the account (again): notices may reach them."""
    User.update(subscribed=True, unsubscribed_at=None).where(User.id == turn.profile.id).execute()


def on_unsubscribe(turn: Turn) -> str:
    """A user unfollowed: record it; WeChat shows them nothing, so no reply."""
    User.update(subscribed=False, unsubscribed_at=turn.now).where(
        User.id == turn.profile.id).execute()
    turn.draft = None
    return ""


def bind(turn: Turn) -> str:
    """绑定 邀请码: take the role an invite code grants."""
    code = turn.args.split()[0] if turn.args else ""
    if not code:
        return turn.say("common/bind_usage")
    openid, tries = turn.profile.openid, turn.tries
    attempt = tries.attempt(openid) if tries else ""
    if attempt is None:  # counted before the code is checked: parallel guesses count too
        return turn.say("common/bind_throttled", minutes=tries.lock_minutes)
    invite = redeem_invite(code, User.get_by_id(turn.profile.id), turn.now)
    if invite is None:
        if tries:
            tries.failed(openid)
        return turn.say("common/bind_failed")
    if tries:
        tries.succeeded(openid, attempt)
    turn.update_profile(role=invite.role, name=invite.name or turn.profile.name,
                        phone=invite.phone or turn.profile.phone)
    turn.wake_worker = turn.pool_changed = True  # queued orders may go; so does the menu
    return turn.say("common/bound", role=invite.role)


def greet(turn: Turn) -> str:
    """在吗 / 你好: a short hello and how to report."""
    return turn.say("common/greeting", role=turn.profile.role)


def thank(turn: Turn) -> str:
    """谢谢 / 辛苦了: you are welcome."""
    return turn.say("common/thanks")


def ack(turn: Turn) -> str:
    """收到 / 好的 / 👍 with nothing waiting on it: a short acknowledgement."""
    return turn.say("common/ack", role=turn.profile.role)


def unknown(turn: Turn) -> str:
    """Anything the bot does not understand: a polite pointer to help."""
    return turn.say("common/unknown")


def silent(turn: Turn) -> str:
    """Events that need no answer (template delivery reports, menu links, location pings)."""
    return ""
