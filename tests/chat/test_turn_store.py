"""A turn's state is in Redis before its reply leaves: FINISH survives a connection that Redis
dropped mid-turn (a restart), instead of being written into a dead socket and lost."""
from wechat_bot.chat.turn_store import TurnStore


def test_finish_after_redis_dropped_the_connection_mid_turn_saves_the_draft(redis_db):
    store = TurnStore(redis_db, "t:", draft_ttl=1800)
    loaded = store.begin("o_user:1", "o_user", "token-1")
    assert loaded.claimed and loaded.locked
    redis_db.client_kill_filter(_id=store.line.call("CLIENT", "ID"))   # as a restart leaves it

    store.finish("o_user:1", "o_user", "token-1", "请告诉我们您的学院/部门",
                 {"awaiting": "unit"}, None)

    assert redis_db.get("t:draft:o_user") == b'{"awaiting": "unit"}'
    assert redis_db.get("t:lock:o_user") is None          # the next message is not kept waiting
    assert redis_db.get("t:dup:o_user:1") == "请告诉我们您的学院/部门".encode()
