"""The reply templates themselves: no line loses its line break to trim_blocks.

texts.py renders with trim_blocks, which drops the newline after every block tag. On a line that
prints something and ends with `{% endif %}`, that newline is part of the text: without it the
next line runs on (`地点：东校区 3号楼 201` + `3. 描述` read `2013. 描述`). Such a line must end
with `+%}`, which keeps it.
"""
import re
from pathlib import Path

import pytest

from wechat_bot.texts import TEMPLATES_DIR, Texts

TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
LAST_TAG = re.compile(r"\{%-?\s*(\w+)[^{]*?%\}$")


def trapped_lines(source: str) -> list[int]:
    """Line numbers (from 1) that print text and end with a block tag eating their newline."""
    masked = TAG.sub(lambda tag: re.sub(r"[^\n]", "\0", tag.group()), source)
    lines, printed = source.split("\n"), masked.split("\n")
    last = max((n for n, line in enumerate(lines) if line.strip()), default=-1)
    trapped = []
    for n, (line, shown) in enumerate(zip(lines, printed)):
        tag = LAST_TAG.search(line.rstrip())
        if n < last and tag and not line.rstrip().endswith("+%}") \
                and shown.replace("\0", "").strip() and tag.group(1) not in ("endmacro", "set"):
            trapped.append(n + 1)
    return trapped


def reply_templates() -> list[Path]:
    return sorted(path for folder in ("messages", "notify")
                  for path in (TEMPLATES_DIR / folder).rglob("*") if path.is_file())


@pytest.mark.parametrize("path", reply_templates(), ids=lambda p: p.relative_to(TEMPLATES_DIR).as_posix())
def test_no_printed_line_ends_with_a_tag_that_eats_its_newline(path):
    assert trapped_lines(path.read_text("utf-8")) == []


@pytest.mark.parametrize("source, trapped", [
    ('2. 地点：{{ a }}{% if b %}（{{ b }}）{% endif %}\n3. 描述：{{ c }}\n', [1]),
    ('2. 地点：{{ a }}{% if b %}（{{ b }}）{% endif +%}\n3. 描述：{{ c }}\n', []),
    ('{% if b %}\n有{{ b }}\n{% endif %}\n末行\n', []),           # tags alone on their lines
    ('{% macro p(x) %}{{ x }}%{% endmacro %}\n{{ p(1) }}\n', []),  # a definition prints nothing
    ('{% set A = {\n  "a": "甲"} %}\n{{ A.a }}\n', []),             # a tag over several lines
    ('{% if a %}有{% else %}无{% endif %}\n', []),                   # the last line: nothing follows
])
def test_the_check_finds_the_trap_and_only_the_trap(source, trapped):
    assert trapped_lines(source) == trapped


@pytest.mark.parametrize("device", ["空调 KT-E3-201", ""])
def test_the_summary_keeps_each_field_on_its_own_line(device):
    draft = {"kind": "repair", "category_name": "空调", "location": "东校区 3号楼 201",
             "device_name": device, "description": "不制冷", "phone": "13800138000",
             "name": "王同学", "unit": "计算机学院"}
    lines = Texts().say("reporter/summary", draft=draft, photos=0, limit=4, unit_label="学院/部门")
    assert lines.split("\n")[1:] == [
        "1. 类别：空调", "2. 地点：东校区 3号楼 201" + (f"（设备：{device}）" if device else ""),
        "3. 描述：不制冷", "4. 联系人：王同学，13800138000", "5. 学院/部门：计算机学院",
        "可以发送现场照片（最多 4 张）。",
        "信息无误请回复“确认”提交；要改哪项直接说，例如“地点是4楼”，或回复“修改”。"]
