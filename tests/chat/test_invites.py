"""Invite codes: printed by run.py invite, bound once with 绑定, expiring."""
from datetime import timedelta

import pytest

from models.invites import create_invite
from models.people import EngineerProfile, RoleAssignment, User
from tests.wechat_sim import Chat


def test_bind_gives_the_role_and_the_engineer_profile(chat, clock):
    invite = create_invite("engineer", clock.now(), 7, name="王师傅", phone="13700000000",
                           skills="水电,空调", areas="东校区 3号楼", department="工程部")
    assert "维修人员" in chat.say(f"绑定 {invite.code.lower()}")
    user = User.get(User.openid == chat.openid)
    assert (user.role, user.name, user.phone, user.department.name) == (
        "engineer", "王师傅", "13700000000", "工程部")
    profile = EngineerProfile.get(EngineerProfile.user == user)
    assert sorted(s.fault_type.name for s in profile.skills) == ["水电", "空调"]
    assert [a.location.full_name for a in profile.areas] == ["东校区 3号楼"]
    assert RoleAssignment.select().where(RoleAssignment.user == user).count() == 1
    assert "当前身份：维修人员" in chat.say("帮助")


def test_a_code_works_once(client, chat, clock):
    invite = create_invite("leader", clock.now(), 7)
    chat.say(f"绑定 {invite.code}")
    other = Chat(client, "o_second_user_001")
    assert "无效、已使用或已过期" in other.say(f"绑定 {invite.code}")
    assert User.get(User.openid == other.openid).role == "reporter"


def test_an_expired_code_is_refused(chat, clock):
    invite = create_invite("leader", clock.now(), 1)
    clock.advance(days=1, seconds=1)
    assert "无效、已使用或已过期" in chat.say(f"绑定 {invite.code}")
    assert "请回复“绑定 邀请码”" in chat.say("绑定")


def test_invites_check_names_against_the_catalogue(app, clock):
    with pytest.raises(ValueError, match="unknown fault type: 电梯维保"):
        create_invite("engineer", clock.now(), 7, skills="水电,电梯维保")
    with pytest.raises(ValueError, match="unknown role"):
        create_invite("janitor", clock.now(), 7)
    with pytest.raises(ValueError, match="unknown department"):
        create_invite("engineer", clock.now(), 7, department="不存在")


def test_guessing_codes_locks_binding_for_that_user_a_while(client, chat, clock, caplog):
    invite = create_invite("leader", clock.now(), 7)
    for guess in range(5):
        assert "无效、已使用或已过期" in chat.say(f"绑定 WRONG{guess:03d}")
    refused = chat.say(f"绑定 {invite.code}")   # the right code, but after five wrong ones
    assert "输错次数过多，请 15 分钟后再试" in refused
    assert User.get(User.openid == chat.openid).role == "reporter"
    assert "绑定成功" in Chat(client, "o_other_binder_01").say(f"绑定 {invite.code}")
    assert chat.openid not in caplog.text
    assert caplog.text.count("绑定 failed for o_re…_0001") == 5   # masked, one line a guess


def test_the_lock_ends_and_a_good_code_forgets_the_failures(chat, clock):
    first, second = (create_invite("leader", clock.now(), 7) for _ in range(2))
    for guess in range(6):
        chat.say(f"绑定 WRONG{guess:03d}")
    assert "输错次数过多" in chat.say(f"绑定 {first.code}")
    clock.advance(minutes=15, seconds=1)
    assert "绑定成功" in chat.say(f"绑定 {first.code}")
    for guess in range(5):   # a fresh start: five more wrong codes are still answered
        assert "无效、已使用或已过期" in chat.say(f"绑定 AGAIN{guess:03d}")
    assert "输错次数过多" in chat.say(f"绑定 {second.code}")
