"""User tags: the project tags staff by role so each role gets its own conditional menu.

https://developers.weixin.qq.com/doc/offiaccount/User_Management/User_Tag_Management.html
"""
from __future__ import annotations

from wechat_bot.sandbox.api import bp, json_body, sandbox_state
from wechat_bot.sandbox.replies import ApiError, answer, ok

MAX_TAGS = 100  # per account
MAX_TAGS_PER_USER = 20
MAX_BATCH = 50  # openids per (un)tagging call
MAX_NAME_BYTES = 30


@bp.post("/tags/create")
def tags_create():
    """A new tag with a unique name of at most 30 bytes → {"tag": {"id", "name"}}."""
    tag = json_body().get("tag")
    name = tag.get("name") if isinstance(tag, dict) else None
    state = sandbox_state()
    with state.lock:
        if not isinstance(name, str) or not name.strip() or name in state.tags.values():
            raise ApiError(45157)
        if len(name.encode()) > MAX_NAME_BYTES:
            raise ApiError(45158)
        if len(state.tags) >= MAX_TAGS:
            raise ApiError(45056)
        tag_id = max(max(state.tags), 99) + 1
        state.tags[tag_id] = name
    return answer(tag={"id": tag_id, "name": name})


@bp.get("/tags/get")
def tags_get():
    """Every tag with its number of users → {"tags": [{"id", "name", "count"}]}."""
    state = sandbox_state()
    with state.lock:
        counts = {tag_id: 0 for tag_id in state.tags}
        for tag_ids in state.user_tags.values():
            for tag_id in tag_ids:
                counts[tag_id] += 1
        tags = [{"id": tag_id, "name": name, "count": counts[tag_id]}
                for tag_id, name in state.tags.items()]
    return answer(tags=tags)


@bp.post("/tags/members/batchtagging")
def tags_batchtagging():
    """Put a tag on up to 50 users (a user carries at most 20 tags)."""
    tag_id, openids = _batch(json_body())
    state = sandbox_state()
    with state.lock:
        for openid in openids:
            current = state.user_tags.get(openid, [])
            if tag_id not in current and len(current) >= MAX_TAGS_PER_USER:
                raise ApiError(45059)
        for openid in openids:
            current = state.user_tags.setdefault(openid, [])
            if tag_id not in current:
                current.append(tag_id)
    return ok()


@bp.post("/tags/members/batchuntagging")
def tags_batchuntagging():
    """Take a tag off up to 50 users."""
    tag_id, openids = _batch(json_body())
    state = sandbox_state()
    with state.lock:
        for openid in openids:
            if tag_id in state.user_tags.get(openid, []):
                state.user_tags[openid].remove(tag_id)
    return ok()


@bp.post("/tags/getidlist")
def tags_getidlist():
    """A user's tags → {"tagid_list": [ids]}."""
    openid = json_body().get("openid")
    if not isinstance(openid, str) or not openid:
        raise ApiError(40003)
    state = sandbox_state()
    with state.lock:
        return answer(tagid_list=list(state.user_tags.get(openid, [])))


def _batch(body: dict) -> tuple[int, list]:
    """The tag id and openids of a (un)tagging call; ApiError when either is wrong."""
    openids = body.get("openid_list")
    if not isinstance(openids, list) or not 1 <= len(openids) <= MAX_BATCH:
        raise ApiError(40032)
    if not all(isinstance(openid, str) and openid for openid in openids):
        raise ApiError(40003)
    tag_id = body.get("tagid")
    state = sandbox_state()
    with state.lock:
        if not str(tag_id).isdigit() or int(tag_id) not in state.tags:
            raise ApiError(45159)
    return int(tag_id), openids
