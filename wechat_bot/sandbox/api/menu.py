"""Custom menus: the default menu and conditional (per-tag) menus, checked like WeChat checks them.

https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html
https://developers.weixin.qq.com/doc/offiaccount/Custom_Menus/Personalized_menu_interface.html
"""
from __future__ import annotations

import copy

from wechat_bot.sandbox.api import bp, json_body, sandbox_state
from wechat_bot.sandbox.replies import ApiError, answer, ok

# Button type → the field it needs.
LEAF_FIELDS = {"click": "key", "view": "url", "scancode_push": "key", "scancode_waitmsg": "key",
               "pic_sysphoto": "key", "pic_photo_or_album": "key", "pic_weixin": "key",
               "location_select": "key", "media_id": "media_id", "view_limited": "media_id",
               "article_id": "article_id", "article_view_limited": "article_id",
               "miniprogram": "url"}
FIELD_BYTES = {"key": 128, "url": 1024, "media_id": 128, "article_id": 128}
# Limits and errcodes for a top-level button, and for a sub-button.
TOP = {"name_bytes": 16, "type": 40017, "name": 40018, "key": 40019, "url": 40020}
SUB = {"name_bytes": 60, "type": 40024, "name": 40025, "key": 40026, "url": 40027}
MATCH_FIELDS = ("tag_id", "sex", "country", "province", "city", "client_platform_type",
                "language")


@bp.post("/menu/create")
def menu_create():
    """Replace the default menu: 1-3 buttons, each a leaf or 1-5 sub-buttons."""
    buttons = _checked_buttons(json_body().get("button"))
    state = sandbox_state()
    with state.lock:
        state.menu = buttons
    return ok()


@bp.get("/menu/get")
def menu_get():
    """The default menu and the conditional ones, or 46003 when there is none."""
    state = sandbox_state()
    with state.lock:
        if state.menu is None:
            raise ApiError(46003)
        body = {"menu": {"button": copy.deepcopy(state.menu)}}
        if state.conditional:
            body["conditionalmenu"] = copy.deepcopy(list(state.conditional.values()))
    return answer(**body)


@bp.route("/menu/delete", methods=["GET", "POST"])
def menu_delete():
    """Delete the default menu and every conditional menu (wechatpy uses GET)."""
    state = sandbox_state()
    with state.lock:
        state.menu, state.conditional = None, {}
    return ok()


@bp.post("/menu/addconditional")
def menu_addconditional():
    """A menu for the users that match a rule (here: a tag); needs a default menu first."""
    body = json_body()
    buttons = _checked_buttons(body.get("button"))
    rule = body.get("matchrule")
    if not isinstance(rule, dict) or not any(rule.get(field) for field in MATCH_FIELDS):
        raise ApiError(65304)
    state = sandbox_state()
    with state.lock:
        if state.menu is None:
            raise ApiError(65303)
        if rule.get("tag_id") and not _known_tag(state, rule["tag_id"]):
            raise ApiError(40050)
        menuid = state.next_serial()
        state.conditional[menuid] = {"button": buttons, "matchrule": rule, "menuid": menuid}
    return answer(menuid=str(menuid))


@bp.post("/menu/delconditional")
def menu_delconditional():
    """Delete one conditional menu by its menuid (a string or a number)."""
    menuid = str(json_body().get("menuid", ""))
    state = sandbox_state()
    with state.lock:
        if not menuid.isdigit() or state.conditional.pop(int(menuid), None) is None:
            raise ApiError(65301)
    return ok()


def _known_tag(state, tag_id) -> bool:
    return str(tag_id).isdigit() and int(tag_id) in state.tags


def _checked_buttons(buttons) -> list:
    """The buttons as menu/get shows them (leaves get sub_button: []); ApiError if invalid."""
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise ApiError(40016)
    checked = []
    for button in buttons:
        if not isinstance(button, dict):
            raise ApiError(40017)
        subs = button.get("sub_button") or []
        if not subs:
            checked.append(_checked_leaf(button, TOP))
            continue
        if not isinstance(subs, list) or len(subs) > 5:
            raise ApiError(40023)
        _check_name(button, TOP)
        checked.append({"name": button["name"],
                        "sub_button": [_checked_leaf(sub, SUB) for sub in subs]})
    return checked


def _checked_leaf(button, limits: dict) -> dict:
    if not isinstance(button, dict) or button.get("type") not in LEAF_FIELDS:
        raise ApiError(limits["type"])
    _check_name(button, limits)
    field = LEAF_FIELDS[button["type"]]
    value = button.get(field)
    if not isinstance(value, str) or not value or len(value.encode()) > FIELD_BYTES[field]:
        raise ApiError(limits["url" if field == "url" else "key"])
    return {**copy.deepcopy(button), "sub_button": []}


def _check_name(button: dict, limits: dict) -> None:
    name = button.get("name")
    if not isinstance(name, str) or not name or len(name.encode()) > limits["name_bytes"]:
        raise ApiError(limits["name"])
