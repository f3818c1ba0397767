"""Typed settings loaded from a TOML file, with secrets overridable from the environment."""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from models.shifts import plan_from_config
from models.sla_limits import check_sla_config
from models.work_calendar import ALWAYS_NAME, SettingError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = PROJECT_ROOT / "config.example.toml"
CONFIG_ENV = "WECHAT_BOT_CONFIG"

# Environment variables that override a setting: secrets stay out of files in production.
ENV_OVERRIDES = {
    "WECHAT_BOT_TOKEN": ("wechat", "token"),
    "WECHAT_BOT_APP_ID": ("wechat", "app_id"),
    "WECHAT_BOT_APP_SECRET": ("wechat", "app_secret"),
    "WECHAT_BOT_ENCODING_AES_KEY": ("wechat", "encoding_aes_key"),
    "WECHAT_BOT_DATABASE_URL": ("database", "url"),
    "WECHAT_BOT_REDIS_URL": ("redis", "url"),
    "WECHAT_BOT_SECRET_KEY": ("app", "secret_key"),
}


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the key."""


@dataclass(frozen=True)
class AppSettings:
    data_dir: str = "var"
    timezone: str = "Asia/Shanghai"
    secret_key: str = ""
    log_level: str = "INFO"
    max_body_bytes: int = 65536
    organization: str = ""
    service_phone: str = ""
    # What reporters are told in chat: the number for emergencies (empty: service_phone),
    # the desk's hours, and what is free and what is paid.
    emergency_phone: str = ""
    service_hours: str = ""
    charges: str = ""
    https: bool = False
    proxy_hops: int = 0


@dataclass(frozen=True)
class WechatSettings:
    token: str
    app_id: str = ""
    app_secret: str = ""
    encoding_aes_key: str = ""
    previous_encoding_aes_key: str = ""
    api_base_url: str = ""
    max_timestamp_skew: int = 600


@dataclass(frozen=True)
class DatabaseSettings:
    url: str


@dataclass(frozen=True)
class RedisSettings:
    url: str = ""
    prefix: str = "bx:"


@dataclass(frozen=True)
class ConversationSettings:
    idle_minutes: int = 30
    max_photos: int = 4
    recent_orders: int = 5
    invite_days: int = 7
    # What a reporter is asked besides name and phone: 学院/部门 on a campus, 楼栋房号 on an
    # estate ("" asks nothing); `units` lists the choices (empty: typed freely).
    unit_label: str = "学院/部门"
    units: tuple = ()


@dataclass(frozen=True)
class WorkerSettings:
    poll_seconds: int = 5
    lease_seconds: int = 20
    max_attempts: int = 8
    batch_size: int = 8
    request_timeout: int = 5
    # After this many rounds in a row failed on the database or Redis, the worker exits (1)
    # for its supervisor to restart it; the waits between failed rounds double up to the cap.
    max_failed_rounds: int = 10
    max_backoff_seconds: int = 60


@dataclass(frozen=True)
class TemplateSettings:
    """One notification kind: the account's template id, and keyword → value overrides."""
    template_id: str
    fields: dict = field(default_factory=dict)
    url: str = ""


@dataclass(frozen=True)
class Settings:
    wechat: WechatSettings
    database: DatabaseSettings
    app: AppSettings = field(default_factory=AppSettings)
    redis: RedisSettings = field(default_factory=RedisSettings)
    conversation: ConversationSettings = field(default_factory=ConversationSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    templates: dict = field(default_factory=dict)
    sla: dict = field(default_factory=dict)       # raw [sla]; models/sla_limits.py reads it
    shifts: dict = field(default_factory=dict)    # raw [shifts]; models/shifts.py reads it
    source: str = ""

    @property
    def data_path(self) -> Path:
        """The data directory, relative paths taken from the project root."""
        return PROJECT_ROOT / self.app.data_dir

    @property
    def database_url(self) -> str:
        """The database URL; a relative SQLite path is taken from the project root, its folder made."""
        url = self.database.url
        prefix = "sqlite:///"
        if not url.startswith(prefix) or url == prefix + ":memory:":
            return url
        path = PROJECT_ROOT / url[len(prefix):]  # an absolute path stays as it is
        path.parent.mkdir(parents=True, exist_ok=True)
        return prefix + str(path)


def resolve_path(cli_path: str | None = None) -> Path:
    """The config file: --config, else $WECHAT_BOT_CONFIG, else the example's embedded defaults."""
    chosen = cli_path or os.environ.get(CONFIG_ENV)
    return Path(chosen) if chosen else EXAMPLE_CONFIG


SECTIONS = {"app": AppSettings, "wechat": WechatSettings, "database": DatabaseSettings,
            "redis": RedisSettings, "conversation": ConversationSettings,
            "worker": WorkerSettings}
REQUIRED_NONEMPTY = {"wechat.token", "database.url"}


def load_settings(cli_path: str | None = None, env: dict | None = None) -> Settings:
    """Read, override from the environment and validate; raise ConfigError on any problem."""
    path = resolve_path(cli_path)
    raw = _read_toml(path)
    _apply_env(raw, os.environ if env is None else env)
    sections = {name: _build(cls, raw.pop(name, {}), name) for name, cls in SECTIONS.items()}
    templates = _build_templates(raw.pop("templates", {}))
    rules = {name: raw.pop(name, {}) for name in ("sla", "shifts")}
    if raw:
        raise ConfigError(f"config: unknown section [{sorted(raw)[0]}] in {path}")
    settings = Settings(source=str(path), templates=templates, **rules, **sections)
    _check_values(settings)
    return settings


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config: file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path} is not valid TOML: {exc}") from None


def _apply_env(raw: dict, env) -> None:
    for name, (section, key) in ENV_OVERRIDES.items():
        if env.get(name):
            raw.setdefault(section, {})[key] = env[name]


def _build(cls: type, values, section: str):
    """Build one section's dataclass, naming the first bad key in the error."""
    if not isinstance(values, dict):
        raise ConfigError(f"config: [{section}] must be a table")
    kwargs = {}
    for fld in dataclasses.fields(cls):
        key = f"{section}.{fld.name}"
        if fld.name in values:
            kwargs[fld.name] = _check_type(key, values.pop(fld.name), fld.type)
        elif fld.default is dataclasses.MISSING and fld.default_factory is dataclasses.MISSING:
            raise ConfigError(f"config: missing setting {key}")
    if values:
        raise ConfigError(f"config: unknown setting {section}.{sorted(values)[0]}")
    return cls(**kwargs)


def _build_templates(raw) -> dict:
    """[templates.<kind>] tables: template_id required, fields a table of strings."""
    if not isinstance(raw, dict):
        raise ConfigError("config: [templates] must hold [templates.<kind>] tables")
    built = {}
    for kind, values in raw.items():
        section = f"templates.{kind}"
        if not isinstance(values, dict):
            raise ConfigError(f"config: [{section}] must be a table")
        fields = values.pop("fields", {})
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise ConfigError(f"config: {section}.fields must map keywords to strings")
        template = _build(TemplateSettings, values, section)
        built[kind] = dataclasses.replace(template, fields=dict(fields))
    return built


def _check_type(key: str, value, type_name: str):
    """Values are strings, non-negative integers or true/false; anything else names its key."""
    if type_name == "dict":
        raise ConfigError(f"config: {key} must be a table")
    if type_name == "tuple":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise ConfigError(f"config: {key} must be a list of non-empty strings")
        return tuple(v.strip() for v in value)
    if type_name == "bool":
        if not isinstance(value, bool):
            raise ConfigError(f"config: {key} must be true or false")
        return value
    if type_name == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError(f"config: {key} must be a non-negative integer")
    elif not isinstance(value, str):
        raise ConfigError(f"config: {key} must be a string")
    elif (key in REQUIRED_NONEMPTY or key.endswith(".template_id")) and not value.strip():
        raise ConfigError(f"config: {key} must not be empty")
    return value


def _check_rules(settings: Settings) -> None:
    """[sla] and [shifts] are checked by the rules that read them; errors name the key."""
    try:
        plan = plan_from_config(settings.shifts)
        check_sla_config(settings.sla, (ALWAYS_NAME, *(shift.name for shift in plan.shifts)))
    except SettingError as exc:
        raise ConfigError(f"config: {exc}") from None


def _check_values(settings: Settings) -> None:
    """Checks that need more than a type: key lengths, time zones, SLA and shifts."""
    _check_rules(settings)
    for name in ("encoding_aes_key", "previous_encoding_aes_key"):
        key = getattr(settings.wechat, name)
        if key and len(key) != 43:
            raise ConfigError(f"config: wechat.{name} must be 43 characters (from the WeChat console)")
    try:
        ZoneInfo(settings.app.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"config: app.timezone is not a known time zone: {settings.app.timezone}") from None
    for section in ("conversation", "worker"):
        for fld in dataclasses.fields(SECTIONS[section]):
            if fld.type == "int" and getattr(getattr(settings, section), fld.name) < 1:
                raise ConfigError(f"config: {section}.{fld.name} must be at least 1")
