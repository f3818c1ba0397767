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
