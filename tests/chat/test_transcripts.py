"""The golden transcripts (tests/transcripts/*.txt) replayed: any change in what users read,
replies or template messages, fails here with a unified diff until the file is updated on
purpose (UPDATE_TRANSCRIPTS=1, then review `git diff tests/transcripts/`)."""
import dataclasses
import os
import warnings

import pytest

from models.seed import seed_demo
from tests import transcript
from wechat_bot import create_app
from wechat_bot.background.worker import Worker

UPDATE = os.environ.get("UPDATE_TRANSCRIPTS") == "1"


@pytest.mark.parametrize("name", transcript.transcript_names())
def test_the_conversation_reads_as_kept(name, settings, clock, database, redis_db, sandbox):
    path = transcript.FOLDER / f"{name}.txt"
    kept = path.read_text("utf-8")
    steps = transcript.parse(kept)
    overrides = transcript.conversation_overrides(steps)
    settings = dataclasses.replace(
        settings, conversation=dataclasses.replace(settings.conversation, **overrides))
    seed_demo()
    app = create_app(settings, clock=clock, redis_client=redis_db)
    stage = transcript.Stage(app.test_client(), clock, Worker(settings, redis_db, clock), sandbox)
    replayed = stage.play(steps)
    diff = transcript.difference(path, kept, replayed)
    if diff and UPDATE:
        path.write_text(replayed, "utf-8")
        warnings.warn(f"rewrote tests/transcripts/{path.name}: review the change with git diff")
    elif diff:
        pytest.fail(f"tests/transcripts/{path.name} no longer matches what users read "
                    f"(UPDATE_TRANSCRIPTS=1 rewrites it):\n{diff}", pytrace=False)


def test_a_changed_reply_fails_with_a_readable_diff(tmp_path):
    kept = "# t\n小王> 报修\n| 好的\n\n"
    replayed = "# t\n小王> 报修\n| 好的，我们开始报修。\n\n"
    diff = transcript.difference(tmp_path / "t.txt", kept, replayed)
    assert "-| 好的\n+| 好的，我们开始报修。" in diff and "t.txt (kept)" in diff
    assert transcript.difference(tmp_path / "t.txt", kept, kept) is None


def test_only_messages_directives_and_comments_are_the_script():
    steps = transcript.parse("# 标题\n小王> 报修\n| 回复> 不是消息\n@ 时间 +30分钟\n"
                             "[模板消息 x → 小王]\n  thing2: 王师傅> 也不是\n")
    assert [(s.kind, s.who, s.text) for s in steps] == [
        ("comment", "", "# 标题"), ("message", "小王", "报修"), ("directive", "时间", "+30分钟")]
