"""Shared pieces of the emulator tests: the server on a manual clock, a token, clients."""
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat_bot.sandbox import SandboxServer, create_sandbox_app
from wechat_bot.sandbox.samples import SAMPLE_AMR, SAMPLE_JPEG

APP_ID, SECRET = "wx5a4db0x000000001", "sandbox-test-secret"
CREDENTIALS = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET}
ALICE, BOB = "o_sandbox_alice_0001", "o_sandbox_bob_00002"
TEMPLATE = {"touser": ALICE, "template_id": "tpl_dispatch_01",
            "data": {"character_string1": {"value": "BX202611260007"},
                     "thing2": {"value": "3号楼201 水龙头漏水"},
                     "time3": {"value": "2026-11-26 09:30"}}}
MENU = {"button": [{"type": "click", "name": "报修", "key": "REPORT"},
                   {"type": "click", "name": "我的报修", "key": "MY_ORDERS"},
                   {"name": "更多", "sub_button": [
                       {"type": "click", "name": "帮助", "key": "HELP"},
                       {"type": "view", "name": "网站", "url": "https://example.edu/"}]}]}
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sandbox(clock):
    """The emulator on a free loopback port, timed by the test's manual clock."""
    with SandboxServer(APP_ID, SECRET, clock=clock) as server:
        yield server


@pytest.fixture
def token(sandbox) -> str:
    return new_token(sandbox)


class SandboxWeChatClient(WeChatClient):
    """wechatpy pointed at the emulator: its base URL and its token URL are WeChat's otherwise."""

    def __init__(self, base_url: str, secret: str = SECRET, **kwargs):
        super().__init__(APP_ID, secret, **kwargs)
        self.API_BASE_URL = base_url

    def fetch_access_token(self):
        return self._fetch_access_token(url=self.API_BASE_URL + "token", params={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})


@pytest.fixture
def wechat(sandbox) -> SandboxWeChatClient:
    return SandboxWeChatClient(sandbox.api_base_url, timeout=5)


def new_token(sandbox) -> str:
    return requests.get(sandbox.api_base_url + "token", params=CREDENTIALS, timeout=5) \
        .json()["access_token"]


def post(sandbox, path: str, body, token: str, **kwargs) -> dict:
    response = requests.post(sandbox.api_base_url + path, params={"access_token": token},
                             json=body, timeout=5, **kwargs)
    assert response.status_code == 200
    return response.json()


def get(sandbox, path: str, token: str, **params) -> dict:
    params["access_token"] = token
    response = requests.get(sandbox.api_base_url + path, params=params, timeout=5)
    assert response.status_code == 200
    return response.json()


def control(sandbox, path: str, body=None) -> dict:
    if body is None:
        return requests.get(f"{sandbox.url}/_sandbox/{path}", timeout=5).json()
    return requests.post(f"{sandbox.url}/_sandbox/{path}", json=body, timeout=5).json()


def errcodes(sandbox, path: str = "") -> list:
    calls = control(sandbox, f"calls?path={path}" if path else "calls")["calls"]
    return [call["errcode"] for call in calls]
