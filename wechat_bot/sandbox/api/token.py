"""/cgi-bin/token and /cgi-bin/stable_token: credentials checked as WeChat checks them.

https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
"""
from __future__ import annotations

import hmac

from flask import request

from wechat_bot.sandbox.api import bp, json_body, sandbox_state
from wechat_bot.sandbox.replies import ApiError, answer


@bp.get("/token")
def token():
    """A new token on every call; the previous one keeps working 5 more minutes."""
    _check_credentials(request.args.get("grant_type"), request.args.get("appid"),
                       request.args.get("secret"))
    state = sandbox_state()
    with state.lock:
        value, expires_in = state.tokens.fetch()
    return answer(access_token=value, expires_in=expires_in)


@bp.post("/stable_token")
def stable_token():
    """The same token while it is valid, unless force_refresh (JSON body, POST only)."""
    body = json_body()
    _check_credentials(body.get("grant_type"), body.get("appid"), body.get("secret"))
    state = sandbox_state()
    with state.lock:
        value, expires_in = state.tokens.stable(body.get("force_refresh") is True)
    return answer(access_token=value, expires_in=expires_in)


def _check_credentials(grant_type, appid, secret) -> None:
    state = sandbox_state()
    if grant_type != "client_credential":
        raise ApiError(40002)
    if not appid:
        raise ApiError(41002)
    if not secret:
        raise ApiError(41004)
    if appid != state.app_id:
        raise ApiError(40013)
    if not hmac.compare_digest(str(secret).encode(), state.app_secret.encode()):
        raise ApiError(40125)
