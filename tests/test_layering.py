"""The house rules of the code: run.py → wechat_bot → handlers → models, and each room of
wechat_bot/ importing only what its __init__ docstring allows. Read from the source with ast."""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUMBING = ("wechat_bot.config", "wechat_bot.clock", "wechat_bot.logs", "wechat_bot.redis_conn",
            "wechat_bot.texts", "wechat_bot.outages")
# What each layer or room may import of the project (besides itself); the docstrings say why.
ALLOWED = {
    "models": (),
    "handlers": ("models",),
    "wechat_bot/webhook": ("models", *PLUMBING),
    "wechat_bot/wechat_api": ("models", *PLUMBING),
    "wechat_bot/chat": ("models", "handlers", *PLUMBING, "wechat_bot.webhook.inbound",
                        "wechat_bot.webhook.reply_xml", "wechat_bot.wechat_api.notify",
                        "wechat_bot.background.wake"),
    "wechat_bot/background": ("models", "handlers", *PLUMBING, "wechat_bot.wechat_api"),
    "wechat_bot/admin": ("models", "handlers", *PLUMBING, "wechat_bot.wechat_api",
                         "wechat_bot.background.dispatch", "wechat_bot.background.wake"),
    "wechat_bot/sandbox": ("wechat_bot.clock", "wechat_bot.logs",
                           "wechat_bot.wechat_api.template_rules"),
}
PROJECT = ("models", "handlers", "wechat_bot")


def project_imports(path: Path):
    """(module, the modules it may name) for every project import in a file, functions included.

    `from wechat_bot.webhook import endpoint` imports the module wechat_bot.webhook.endpoint,
    so the names after `import` count as modules too.
    """
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found = [(node.module, [f"{node.module}.{alias.name}" for alias in node.names])]
        elif isinstance(node, ast.Import):
            found = [(alias.name, [alias.name]) for alias in node.names]
        else:
            continue
        yield from ((module, members) for module, members in found
                    if module.split(".")[0] in PROJECT)


def allowed(name: str, own: str, rules: tuple) -> bool:
    """Whether module `name` is inside the room itself or one of the allowed prefixes."""
    return any(name == rule or name.startswith(rule + ".") for rule in (own, *rules))


@pytest.mark.parametrize("room", sorted(ALLOWED))
def test_each_room_imports_only_what_its_docstring_allows(room):
    own = room.replace("/", ".")
    broken = []
    for path in sorted((ROOT / room).rglob("*.py")):
        for module, members in project_imports(path):
            if not (allowed(module, own, ALLOWED[room])
                    or all(allowed(member, own, ALLOWED[room]) for member in members)):
                broken.append(f"{path.relative_to(ROOT)} imports {module}")
    assert broken == []


def test_the_runtime_keeps_only_its_plumbing_at_the_top():
    top = sorted(path.name for path in (ROOT / "wechat_bot").glob("*.py"))
    assert top == ["__init__.py", "clock.py", "config.py", "logs.py", "outages.py", "redis_conn.py",
                   "texts.py"]


@pytest.mark.parametrize("package", sorted(
    path.parent.relative_to(ROOT).as_posix()
    for path in ROOT.glob("wechat_bot/*/__init__.py")) + ["handlers", "models"])
def test_every_package_says_what_it_holds(package):
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text("utf-8")))
    assert doc and len(doc) > 60


def test_a_forbidden_import_is_caught(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("def f():\n    from wechat_bot.chat.runner import TurnRunner\n")
    found = [module for module, _ in project_imports(sneaky)]
    assert found == ["wechat_bot.chat.runner"]
    assert not allowed(found[0], "handlers", ALLOWED["handlers"])


def code_map() -> str:
    """The README's code map block."""
    text = (ROOT / "README.md").read_text("utf-8")
    section = text[text.index("## Code map"):]
    return section[section.index("```"):section.index("```", section.index("```") + 3)]


@pytest.mark.parametrize("folder", ["wechat_bot", "wechat_bot/webhook", "wechat_bot/chat",
                                    "wechat_bot/wechat_api", "wechat_bot/background",
                                    "wechat_bot/cli", "handlers"])
def test_the_readme_code_map_names_every_module(folder):
    names = {path.name for path in (ROOT / folder).glob("*.py")} - {"__init__.py"}
    assert sorted(name for name in names if name not in code_map()) == []


def test_the_readme_code_map_names_no_missing_module():
    named = set(re.findall(r"\b([a-z_]+\.py)\b", code_map())) - {"run.py", "__init__.py"}
    present = {path.name for path in ROOT.glob("**/*.py") if ".venv" not in path.parts}
    assert sorted(named - present) == []


@pytest.mark.parametrize("layer", ["wechat_bot", "handlers", "models"])
def test_every_module_opens_with_what_it_holds(layer):
    silent = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / layer).rglob("*.py"))
              if not ast.get_docstring(ast.parse(path.read_text("utf-8")))]
    assert silent == []
