"""Configuration: typed, environment overrides, and one clear line for every mistake."""
import subprocess
import sys
from pathlib import Path

import pytest

from models.sla_limits import limits_for
from wechat_bot.config import EXAMPLE_CONFIG, ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = '[wechat]\ntoken = "t"\n[database]\nurl = "sqlite:///var/x.db"\n'


def write(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_example_is_the_embedded_default():
    settings = load_settings(env={})
    assert settings.source == str(EXAMPLE_CONFIG)
    assert settings.conversation.idle_minutes == 30 and settings.redis.url == ""


def test_the_example_gives_urgent_orders_tighter_limits_and_leaves_the_chat_facts_empty():
    settings = load_settings(env={})
    urgent, normal = (limits_for(None, priority, settings.sla) for priority in ("urgent", "normal"))
    assert (urgent.accept_minutes, urgent.arrive_minutes, urgent.complete_minutes) == (3, 10, 240)
    assert (normal.accept_minutes, normal.arrive_minutes, normal.complete_minutes) == (5, 15, 1440)
    app = settings.app
    assert (app.emergency_phone, app.service_hours, app.charges) == ("", "", "")


def test_the_desk_facts_reporters_read_are_settings(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL + '[app]\nservice_phone = "0571-1"\n'
                                   'emergency_phone = "0571-2"\nservice_hours = "每天 8:00-22:00"\n'
                                   'charges = "材料费按价收取"\n'), env={})
    assert (settings.app.emergency_phone, settings.app.service_hours, settings.app.charges) == (
        "0571-2", "每天 8:00-22:00", "材料费按价收取")


def test_minimal_file_gets_defaults(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), env={})
    assert settings.wechat.token == "t" and settings.conversation.max_photos == 4


def test_environment_overrides_secrets(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL), env={
        "WECHAT_BOT_TOKEN": "from-env", "WECHAT_BOT_REDIS_URL": "redis://h:6379/2"})
    assert settings.wechat.token == "from-env" and settings.redis.url == "redis://h:6379/2"


@pytest.mark.parametrize("text, key", [
    ('[database]\nurl = "sqlite://"\n', "wechat.token"),
    ('[wechat]\ntoken = "t"\n', "database.url"),
    (MINIMAL + "[conversation]\nidle_minutes = \"thirty\"\n", "conversation.idle_minutes"),
    (MINIMAL + "[conversation]\nmax_photos = 0\n", "conversation.max_photos"),
    (MINIMAL + "[conversation]\nidle_minuts = 3\n", "conversation.idle_minuts"),
    (MINIMAL.replace('"t"', '""'), "wechat.token"),
    (MINIMAL + '[app]\ntimezone = "Mars/Olympus"\n', "app.timezone"),
    (MINIMAL.replace('token = "t"', 'token = "t"\nencoding_aes_key = "short"'), "wechat.encoding_aes_key"),
    (MINIMAL + "[smtp]\nhost = 1\n", "[smtp]"),
    (MINIMAL + "wechat = 3\n", "wechat"),
    (MINIMAL + "[app]\nhttps = \"yes\"\n", "app.https"),
    (MINIMAL + "[app]\nproxy_hops = -1\n", "app.proxy_hops"),
    (MINIMAL + "[conversation]\nunits = \"计算机学院\"\n", "conversation.units"),
    (MINIMAL + "[conversation]\nunits = [\"计算机学院\", 3]\n", "conversation.units"),
    (MINIMAL + "[app]\nemergency_phone = 110\n", "app.emergency_phone"),
    (MINIMAL + "[app]\nservice_hours = 8\n", "app.service_hours"),
    (MINIMAL + "[app]\ncharges = false\n", "app.charges"),
])
def test_bad_settings_name_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, text), env={})


def test_units_are_a_list_of_names(tmp_path):
    settings = load_settings(write(tmp_path, MINIMAL + '[conversation]\nunit_label = "楼栋房号"\n'
                                   'units = [" 计算机学院 ", "后勤处"]\n'), env={})
    assert settings.conversation.units == ("计算机学院", "后勤处")
    assert settings.conversation.unit_label == "楼栋房号"


def test_malformed_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[wechat\ntoken="), env={})
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(str(tmp_path / "nope.toml"), env={})


def test_run_py_reports_a_bad_config_in_one_line(tmp_path):
    result = subprocess.run([sys.executable, "run.py", "init-db", "--config",
                             write(tmp_path, '[wechat]\ntoken = "t"\n')],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == "config: missing setting database.url"
    assert "Traceback" not in result.stdout + result.stderr
