"""The one way out to WeChat's API: wechatpy's client with its traps closed.

- the base URL is configurable for every call, the token fetch too (the emulator, a proxy);
- every call has a timeout;
- the access token lives in Redis, shared by every process (stable_token, so workers agree);
- a token error refreshes once and retries once, never wechatpy's unbounded loop;
- failures are typed: TransientError (try again later) or PermanentError (give up).
https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
"""
from __future__ import annotations

import logging
from typing import Optional

import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from wechat_bot.config import Settings

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.weixin.qq.com"
TOKEN_ERRORS = {40001, 40014, 42001}
# Worth another try later: busy, rate and quota limits, WeChat's own hiccups.
TRANSIENT_ERRORS = {-1, 45009, 45011, 45047, 44004}
TOKEN_MARGIN = 300  # refresh five minutes before WeChat's expiry


class WechatError(Exception):
    """A WeChat API call failed; `errcode` is WeChat's code (None for transport errors)."""

    def __init__(self, errcode: Optional[int], errmsg: str):
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode, self.errmsg = errcode, errmsg


class TransientError(WechatError):
    """Retry later: timeouts, connection errors, busy, rate or quota limits."""


class PermanentError(WechatError):
    """Retrying cannot help: user unfollowed (43004), bad argument (47003), bad template ..."""


class _Client(WeChatClient):
    """wechatpy's client with the base URL and timeout applied to the token fetch as well."""

    def __init__(self, app_id: str, secret: str, base_url: str, session, timeout: float):
        super().__init__(app_id, secret, session=session, timeout=timeout, auto_retry=False)
        self.API_BASE_URL = f"{base_url.rstrip('/')}/cgi-bin/"
        self.force_refresh = False

    def fetch_access_token(self):
        """POST stable_token: every process gets the same token while it is valid."""
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": self.force_refresh}
        res = self._http.post(f"{self.API_BASE_URL}stable_token", json=body,
                              timeout=self.timeout)
        res.raise_for_status()
        result = res.json()
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""), client=self)
        ttl = max(60, int(result.get("expires_in", 7200)) - TOKEN_MARGIN)
        self.session.set(self.access_token_key, result["access_token"], ttl)
        return result


class WechatGateway:
    """Typed, bounded calls to the WeChat API."""

    def __init__(self, app_id: str, secret: str, base_url: str, redis_client,
                 prefix: str = "bx:", timeout: float = 5.0):
        storage = RedisStorage(redis_client, prefix=f"{prefix}wechatpy")
        self.client = _Client(app_id, secret, base_url or DEFAULT_BASE_URL, storage, timeout)

    def call(self, method: str, endpoint: str, **kwargs):
        """One API call; on a token error, one refresh and one retry."""
        try:
            return self._once(method, endpoint, **kwargs)
        except _TokenRejected as rejected:
            self._refresh(rejected.token)
            try:
                return self._once(method, endpoint, **kwargs)
            except _TokenRejected as again:
                raise TransientError(again.errcode, "access token rejected twice") from None

    def send_template(self, openid: str, template_id: str, data: dict, url: str = "",
                      client_msg_id: str = "") -> int:
        """Send a template message; WeChat delivers one openid + client_msg_id only once."""
        payload = {"touser": openid, "template_id": template_id,
                   "data": {key: {"value": value} for key, value in data.items()}}
        if url:
            payload["url"] = url
        if client_msg_id:
            payload["client_msg_id"] = client_msg_id
        return self.call("post", "message/template/send", data=payload).get("msgid", 0)

    def create_scene_qrcode(self, scene: str) -> dict:
        """A permanent string-scene QR code → {"ticket", "url"} (the url is what it encodes).

        https://developers.weixin.qq.com/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html
        """
        payload = {"action_name": "QR_LIMIT_STR_SCENE",
                   "action_info": {"scene": {"scene_str": scene}}}
        result = self.call("post", "qrcode/create", data=payload)
        if not (isinstance(result, dict) and result.get("ticket") and result.get("url")):
            raise TransientError(None, "qrcode/create answered without a ticket and url")
        return {"ticket": str(result["ticket"]), "url": str(result["url"])}

    def download_media(self, media_id: str) -> bytes:
        """The bytes of a photo a user sent (WeChat keeps them three days)."""
        result = self.call("get", "media/get", params={"media_id": media_id})
        if isinstance(result, dict):
            raise PermanentError(result.get("errcode"), "media/get answered JSON, not a file")
        return result.content

    def _once(self, method: str, endpoint: str, **kwargs):
        token = None
        try:
            token = self.client.access_token
            params = dict(kwargs.pop("params", {}), access_token=token)
            return self.client._request(method, endpoint, params=params, **kwargs)
        except WeChatClientException as exc:
            raise _classify(exc, token) from None
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientError(None, f"network: {type(exc).__name__}") from None
        except (requests.RequestException, ValueError) as exc:
            raise TransientError(None, f"bad answer: {exc}") from None

    def _refresh(self, failed_token: Optional[str]) -> None:
        """Fetch a new token unless another process already replaced the failed one."""
        current = self.client.session.get(self.client.access_token_key)
        if current and current != failed_token:
            return
        self.client.force_refresh = True
        try:
            self.client.fetch_access_token()
        except WeChatClientException as exc:
            raise _classify(exc, None) from None
        except requests.RequestException as exc:
            raise TransientError(None, f"token refresh failed: {exc}") from None
        finally:
            self.client.force_refresh = False


class _TokenRejected(WechatError):
    def __init__(self, errcode: int, token: Optional[str]):
        super().__init__(errcode, "access token rejected")
        self.token = token


def _classify(exc: WeChatClientException, token: Optional[str]) -> WechatError:
    code = exc.errcode
    if code is None:  # an HTTP error status from WeChat or a proxy
        return TransientError(None, f"HTTP error: {exc.errmsg}")
    code = int(code)
    if code in TOKEN_ERRORS:
        return _TokenRejected(code, token)
    if code in TRANSIENT_ERRORS:
        return TransientError(code, str(exc.errmsg))
    return PermanentError(code, str(exc.errmsg))


# Which WeChat a config talks to: the real one with a secret, else the project's emulator.
SANDBOX_URL = "http://127.0.0.1:5001"
SANDBOX_SECRET = "sandbox-secret"


def api_base_url(settings: Settings) -> str:
    """Where the WeChat API is: as configured, else WeChat with a secret, else the emulator."""
    wx = settings.wechat
    return wx.api_base_url or (DEFAULT_BASE_URL if wx.app_secret else SANDBOX_URL)


def make_gateway(settings: Settings, redis_client) -> WechatGateway:
    """The WeChat API client for this config."""
    wx = settings.wechat
    return WechatGateway(wx.app_id, wx.app_secret or SANDBOX_SECRET, api_base_url(settings),
                         redis_client, settings.redis.prefix, settings.worker.request_timeout)
