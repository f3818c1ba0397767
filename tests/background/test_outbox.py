"""Delivering template messages: retries, dead letters, token refresh, no duplicates."""
from models.notifications import Notification
from models.seed import seed_demo
from tests.flows import report_leak
from tests.chat.test_concurrency import wait_until
from wechat_bot.background.worker import Worker
from wechat_bot.wechat_api.gateway import WechatGateway
from wechat_bot.wechat_api.gateway import SANDBOX_SECRET

SEND = "/cgi-bin/message/template/send"


def sends(sandbox) -> list[dict]:
    return sandbox.state.calls(SEND)


def the_notification() -> Notification:
    return Notification.get(Notification.kind == "order_received")


def test_busy_is_retried_after_back_off_and_delivered_once(chat, clock, worker, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, errcode=-1)
    worker.run_until_idle()
    note = the_notification()
    assert (note.status, note.attempts) == ("pending", 1) and note.last_error.startswith("-1")
    worker.run_until_idle()
    assert len(sends(sandbox)) == 1  # not due yet: no hammering
    clock.advance(seconds=10)
    worker.run_until_idle()
    assert the_notification().status == "sent"
    assert len(sandbox.state.delivered_templates()) == 1


def test_daily_quota_waits_an_hour(chat, clock, worker, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, errcode=45009)
    worker.run_until_idle()
    clock.advance(minutes=59)
    worker.run_until_idle()
    assert the_notification().status == "pending"
    clock.advance(minutes=1)
    worker.run_until_idle()
    assert the_notification().status == "sent" and len(sandbox.state.delivered_templates()) == 1


def test_a_timeout_is_retried_with_the_same_client_msg_id_and_shown_once(
        app, settings, redis_db, chat, clock, sandbox):
    gateway = WechatGateway(settings.wechat.app_id, SANDBOX_SECRET, sandbox.url, redis_db,
                            settings.redis.prefix, timeout=1)
    worker = Worker(settings, redis_db, clock, gateway=gateway)
    report_leak(chat)
    sandbox.state.add_fault(SEND, delay=2.5)  # WeChat got it but answers too late
    worker.run_until_idle()
    assert the_notification().last_error.startswith("None: network: ReadTimeout")
    wait_until(lambda: sends(sandbox) and sends(sandbox)[0]["errcode"] is not None)
    clock.advance(seconds=10)
    worker.run_until_idle()
    calls = sends(sandbox)
    assert len(calls) == 2 and calls[1]["duplicate"]
    assert calls[0]["body"]["client_msg_id"] == calls[1]["body"]["client_msg_id"]
    assert the_notification().status == "sent" and len(sandbox.state.delivered_templates()) == 1


def test_unfollowed_user_is_dead_with_the_reason(chat, worker, sandbox):
    sandbox.state.unsubscribe(chat.openid)
    report_leak(chat)
    worker.run_until_idle()
    note = the_notification()
    assert note.status == "dead" and note.last_error.startswith("43004")
    assert sandbox.state.delivered_templates() == []


def test_bad_argument_is_dead_at_once(chat, worker, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, errcode=47003)
    worker.run_until_idle()
    note = the_notification()
    assert (note.status, note.attempts) == ("dead", 1) and note.last_error.startswith("47003")


def test_transient_failures_give_up_after_max_attempts(chat, clock, worker, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, errcode=-1, times=50)
    for _ in range(10):
        worker.run_until_idle()
        clock.advance(hours=1)
    note = the_notification()
    assert (note.status, note.attempts) == ("dead", 8) and "gave up after 8 tries" in note.last_error


def test_an_invalid_token_is_refreshed_once_and_the_call_retried(chat, worker, sandbox):
    report_leak(chat)
    worker.run_until_idle()  # the first message fetched and cached a token
    sandbox.state.invalidate_tokens()
    chat.say("我的报修")
    report_leak(chat)
    worker.run_until_idle()
    tokens = sandbox.state.calls("/cgi-bin/stable_token")
    assert [c["body"]["force_refresh"] for c in tokens] == [False, True]
    assert [c["errcode"] for c in sends(sandbox)] == [0, 40001, 0]
    assert Notification.select().where(Notification.status == "sent").count() == 2


def test_a_token_rejected_twice_is_not_retried_forever(chat, worker, sandbox):
    report_leak(chat)
    sandbox.state.add_fault(SEND, errcode=40001, times=5)
    worker.run_until_idle()
    assert len(sends(sandbox)) == 2
    assert the_notification().status == "pending"


def test_photos_are_downloaded_by_the_worker(chat, worker, sandbox, settings):
    from models.orders import Attachment
    media_id = sandbox.state.issue_media("image")
    chat.say("报修")
    chat.photo(media_id)
    chat.photo("never_issued_by_wechat")
    worker.run_until_idle()
    good, bad = Attachment.select().order_by(Attachment.id)
    assert good.downloaded and open(good.file_path, "rb").read(2) == b"\xff\xd8"
    assert str(settings.data_path) in good.file_path
    assert not bad.downloaded and bad.download_error.startswith("40007")


def test_a_misconfigured_template_value_is_dead_with_wechats_reason(
        tmp_path, database_url, clock, database, redis_db, sandbox):
    import dataclasses
    from tests.conftest import make_settings
    from tests.wechat_sim import Chat
    from wechat_bot import create_app
    from wechat_bot.config import TemplateSettings
    settings = make_settings(tmp_path, database_url, api_base_url=sandbox.url)
    broken = dict(settings.templates, order_received=TemplateSettings(
        "TPL_ORDER_RECEIVED", {"time3": "明天下午"}))  # not a time WeChat accepts
    settings = dataclasses.replace(settings, templates=broken)
    seed_demo()
    app = create_app(settings, clock=clock, redis_client=redis_db)
    report_leak(Chat(app.test_client(), "o_reporter_alice_0001"))
    Worker(settings, redis_db, clock).run_until_idle()
    note = the_notification()
    assert note.status == "dead" and note.last_error.startswith("47003")
    assert "time3" in note.last_error
