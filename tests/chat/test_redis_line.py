"""The turn's own Redis connection: answers, errors, reconnecting, one connection per thread."""
import threading

import pytest
import redis

from wechat_bot.chat.redis_line import RedisLine


def test_it_answers_and_keeps_one_connection_per_thread(redis_db):
    line = RedisLine(redis_db)
    first = line.call("CLIENT", "ID")
    assert line.call("CLIENT", "ID") == first   # the same connection each time
    other = []
    thread = threading.Thread(target=lambda: other.append(line.call("CLIENT", "ID")))
    thread.start()
    thread.join()
    assert other and other[0] != first


def test_a_redis_error_is_raised_and_the_connection_stays_usable(redis_db):
    line = RedisLine(redis_db)
    with pytest.raises(redis.ResponseError, match="NOSCRIPT"):
        line.call("EVALSHA", "0" * 40, 0)
    assert line.call("PING") in (b"PONG", "PONG", True)


def test_a_dropped_connection_is_reopened_once(redis_db):
    line = RedisLine(redis_db)
    before = line.call("CLIENT", "ID")
    redis_db.client_kill_filter(_id=before)   # as a Redis restart would leave it
    assert line.call("CLIENT", "ID") != before



def test_several_commands_go_in_one_write_and_answer_in_order(redis_db):
    line = RedisLine(redis_db)
    answers = line.call_many([("SET", "k", "v"), ("LPUSH", "k", "x"), ("GET", "k")])
    assert answers[0] in (True, b"OK") and answers[2] == b"v"
    assert isinstance(answers[1], redis.ResponseError)   # WRONGTYPE, returned in its place


def test_several_commands_are_sent_again_on_a_reopened_connection(redis_db):
    line = RedisLine(redis_db)
    redis_db.client_kill_filter(_id=line.call("CLIENT", "ID"))
    assert line.call_many([("SET", "k", "v"), ("GET", "k")])[1] == b"v"


def test_a_reply_larger_than_one_read_arrives_whole(redis_db):
    line = RedisLine(redis_db)
    big = "长" * 100000    # 300 kB: several reads of the socket
    assert line.call_many([("SET", "k", big), ("GET", "k")])[1] == big.encode()
