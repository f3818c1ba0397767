"""Parameter QR codes: a ticket and the URL the code encodes (no image is drawn).

https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
"""
from __future__ import annotations

import secrets

from wechat_bot.sandbox.api import bp, json_body, sandbox_state
from wechat_bot.sandbox.replies import ApiError, answer

# action_name → (scene field, permanent?)
ACTIONS = {"QR_SCENE": ("scene_id", False), "QR_STR_SCENE": ("scene_str", False),
           "QR_LIMIT_SCENE": ("scene_id", True), "QR_LIMIT_STR_SCENE": ("scene_str", True)}
DEFAULT_EXPIRE = 30  # seconds, when a temporary code gives none
MAX_EXPIRE = 2_592_000  # 30 days
MAX_SCENE_ID = {False: 2 ** 32 - 1, True: 100_000}


@bp.post("/qrcode/create")
def qrcode_create():
    """{ticket, expire_seconds, url} for a temporary code; {ticket, url} for a permanent one."""
    body = json_body()
    if body.get("action_name") not in ACTIONS:
        raise ApiError(40052)
    field, permanent = ACTIONS[body["action_name"]]
    scene = _scene(body.get("action_info"), field, permanent)
    ticket, code = "gQ" + secrets.token_urlsafe(60), secrets.token_urlsafe(16)
    reply = {"ticket": ticket, "url": f"http://weixin.qq.com/q/{code}"}
    if not permanent:
        reply["expire_seconds"] = _expire_seconds(body.get("expire_seconds"))
    state = sandbox_state()
    with state.lock:
        state.qrcodes.append({"action_name": body["action_name"], field: scene,
                              "created_at": state.now(), **reply})
    return answer(**reply)


def _scene(action_info, field: str, permanent: bool):
    """scene_id: 1…2³²-1 (temporary) or 1…100000 (permanent); scene_str: 1-64 characters."""
    scene = action_info.get("scene") if isinstance(action_info, dict) else None
    value = scene.get(field) if isinstance(scene, dict) else None
    if field == "scene_str":
        valid = isinstance(value, str) and 1 <= len(value) <= 64
    else:
        valid = (isinstance(value, int) and not isinstance(value, bool)
                 and 1 <= value <= MAX_SCENE_ID[permanent])
    if not valid:
        raise ApiError(40053)
    return value


def _expire_seconds(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return DEFAULT_EXPIRE
    return min(value, MAX_EXPIRE)
