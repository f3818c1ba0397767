"""Log lines: local time with its offset (as the jobs and timelines show it), openids masked."""
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from wechat_bot.logs import LocalTimeFormatter, mask


def test_log_times_are_local_with_the_offset():
    moment = datetime(2026, 11, 26, 1, 30, tzinfo=ZoneInfo("UTC"))
    record = logging.LogRecord("worker", logging.INFO, __file__, 1, "shift change", None, None)
    record.created = moment.timestamp()
    line = LocalTimeFormatter("%(asctime)s %(message)s", ZoneInfo("Asia/Shanghai")).format(record)
    assert line == "2026-11-26T09:30:00.000+08:00 shift change"


def test_openids_are_masked():
    assert mask("o6_bmjrPTlm6_2sgVt7hMZOPfL2M") == "o6_b…PfL2M"
    assert mask("short") == "*****"


def test_apschedulers_per_run_lines_only_show_at_debug():
    from wechat_bot.logs import setup_logging
    executor = logging.getLogger("apscheduler.executors.default")
    try:
        setup_logging("INFO")
        assert not executor.isEnabledFor(logging.INFO) and executor.isEnabledFor(logging.WARNING)
        setup_logging("DEBUG")
        assert executor.isEnabledFor(logging.DEBUG)
    finally:
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def test_access_lines_mask_the_openid_and_carry_no_second_clock(caplog):
    import threading

    import requests
    from werkzeug.serving import make_server

    from wechat_bot.logs import AccessLog

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    server = make_server("127.0.0.1", 0, app, request_handler=AccessLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            requests.get(f"http://127.0.0.1:{server.port}/wechat?signature=ab&"
                         f"openid=o6_bmjrPTlm6_2sgVt7hMZOPfL2M&nonce=1", timeout=5)
    finally:
        server.shutdown()
        thread.join()
    line = next(r.getMessage() for r in caplog.records if r.name == "werkzeug")
    assert "openid=o6_b…PfL2M&nonce=1" in line and "bmjrPTlm6" not in line
    assert line.startswith("127.0.0.1 ") and " - - [" not in line and '" 200 ' in line
