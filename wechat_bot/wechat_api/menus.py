"""Menus per role and the WeChat user tags that select them.

https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Personalized_menu_interface.html
The default menu is the reporter's; engineers and leaders get conditional menus matched by a
user tag. The worker keeps every user's tag in step with their role.
"""
from __future__ import annotations

import logging
import tomllib

from models.people import User
from wechat_bot.logs import mask
from wechat_bot.texts import TEMPLATES_DIR
from wechat_bot.wechat_api.gateway import PermanentError, TransientError, WechatGateway

log = logging.getLogger(__name__)


def load_menus() -> dict:
    """templates/menus.toml: tag names per role and the buttons of each role's menu."""
    return tomllib.loads((TEMPLATES_DIR / "menus.toml").read_text("utf-8"))


def buttons(entries: list[dict]) -> list[dict]:
    """WeChat's button JSON: click buttons, or a name with sub-buttons."""
    return [{"name": e["name"], "sub_button": buttons(e["sub"])} if "sub" in e
            else {"type": "click", "name": e["name"], "key": e["key"]} for e in entries]


class Tags:
    """Role → WeChat tag id, created on first use and remembered in Redis."""

    def __init__(self, gateway: WechatGateway, redis_client, prefix: str, names: dict[str, str]):
        self.gateway, self.redis, self.names = gateway, redis_client, names
        self.key = f"{prefix}wechat:tags"

    def tag_id(self, role: str) -> int:
        """The tag of `role`, created in WeChat when it does not exist yet."""
        cached = self.redis.hget(self.key, role)
        if cached:
            return int(cached)
        name = self.names[role]
        existing = self.gateway.call("get", "tags/get").get("tags", [])
        found = next((t["id"] for t in existing if t["name"] == name), None)
        if found is None:
            found = self.gateway.call("post", "tags/create", data={"tag": {"name": name}})["tag"]["id"]
        self.redis.hset(self.key, role, found)
        return int(found)


def sync_menus(gateway: WechatGateway, tags: Tags) -> list[str]:
    """Replace all menus: the default one and one conditional menu per tagged role."""
    menus = load_menus()
    gateway.call("post", "menu/delete")
    gateway.call("post", "menu/create", data={"button": buttons(menus["reporter"])})
    made = ["reporter"]
    for role in menus["tags"]:
        gateway.call("post", "menu/addconditional", data={
            "button": buttons(menus[role]), "matchrule": {"tag_id": str(tags.tag_id(role))}})
        made.append(role)
    return made


def sync_user_tags(gateway: WechatGateway, tags: Tags, limit: int = 50) -> int:
    """Tag users whose role changed (untagging the old role); how many were updated."""
    stale = list(User.select().where(User.role != User.tagged_role, User.subscribed).limit(limit))
    for done, user in enumerate(stale):
        try:
            _retag(gateway, tags, user)
        except TransientError as exc:
            log.info("tagging paused: %s", exc)
            return done
        except PermanentError as exc:  # e.g. the user unfollowed meanwhile: nothing to retry
            log.warning("could not tag %s as %s: %s", mask(user.openid), user.role, exc)
        User.update(tagged_role=user.role).where(User.id == user.id).execute()
    return len(stale)


def _retag(gateway: WechatGateway, tags: Tags, user: User) -> None:
    if user.tagged_role in tags.names:
        gateway.call("post", "tags/members/batchuntagging",
                     data={"openid_list": [user.openid], "tagid": tags.tag_id(user.tagged_role)})
    if user.role in tags.names:
        gateway.call("post", "tags/members/batchtagging",
                     data={"openid_list": [user.openid], "tagid": tags.tag_id(user.role)})
