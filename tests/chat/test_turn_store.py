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


def test_begin_sent_twice_finds_the_claim_and_lock_its_own(redis_db):
    # The line sends BEGIN again after reconnecting; the first send may have been applied.
    store = TurnStore(redis_db, "t:", draft_ttl=1800)
    store.begin("o_user:1", "o_user", "token-1")
    again = store.begin("o_user:1", "o_user", "token-1")
    assert again.claimed and again.locked
    other = store.begin("o_user:1", "o_user", "token-2")      # WeChat's retry of the message
    assert not other.claimed and redis_db.get("t:lock:o_user") == b"token-1"


def test_a_retry_of_a_finished_message_leaves_the_lock_free(redis_db):
    store = TurnStore(redis_db, "t:", draft_ttl=1800)
    first = store.begin("o_user:1", "o_user", "token-1")
    store.finish("o_user:1", "o_user", "token-1", "好的", None, None, since=first.since)
    assert redis_db.get("t:lock:o_user") is None

    retry = store.begin("o_user:1", "o_user", "token-2")
    assert not retry.claimed
    assert redis_db.get("t:lock:o_user") is None                # the user's next message goes on
    assert store.wait_for_reply("o_user:1", 0.1) == "好的"
    assert 15 < redis_db.ttl("t:dup:o_user:1") <= 60   # outlives WeChat's three tries, no more


def test_a_turn_that_outlived_its_lock_does_not_release_the_next_turns(redis_db):
    store = TurnStore(redis_db, "t:", draft_ttl=1800, lock_ms=15000)
    stalled = store.begin("o_user:1", "o_user", "token-1")
    redis_db.set("t:lock:o_user", "token-2")    # the lock expired; the user's next turn took it
    store.finish("o_user:1", "o_user", "token-1", "好的", None, None,
                 since=stalled.since - 20)      # BEGIN was 20 s ago, past the 15 s lock
    assert redis_db.get("t:lock:o_user") == b"token-2"
    store.abandon("o_user:1", "o_user", "token-1")   # no `since`: the token is checked too
    assert redis_db.get("t:lock:o_user") == b"token-2"
