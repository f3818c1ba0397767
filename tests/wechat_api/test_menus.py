"""Menus per role via user tags: sync-menu, and tagging users when they bind a role."""
from tests.flows import bind, plumber
from wechat_bot.wechat_api.gateway import make_gateway
from wechat_bot.wechat_api.menus import Tags, load_menus, sync_menus


def test_sync_menu_installs_default_and_role_menus(settings, redis_db, sandbox, database):
    gateway = make_gateway(settings, redis_db)
    tags = Tags(gateway, redis_db, settings.redis.prefix, load_menus()["tags"])
    assert sync_menus(gateway, tags) == ["reporter", "engineer", "leader"]
    assert sync_menus(gateway, tags) == ["reporter", "engineer", "leader"]  # idempotent
    state = sandbox.state
    assert [b["key"] for b in state.menu] == ["REPORT", "MY_ORDERS", "HELP"]
    menus = {m["matchrule"]["tag_id"]: m for m in state.conditional.values()}
    assert len(menus) == 2
    engineer_menu = menus[str(tags.tag_id("engineer"))]
    assert engineer_menu["button"][0]["key"] == "ENG_TASKS"
    leader_keys = [b["key"] for b in menus[str(tags.tag_id("leader"))]["button"][0]["sub_button"]]
    assert leader_keys == ["STATS_TODAY", "STATS_MONTH", "STATS_OVERDUE"]


def test_binding_a_role_tags_the_user(client, clock, worker, sandbox):
    wang = plumber(client, clock)
    worker.run_until_idle()
    tag_id = worker.tags.tag_id("engineer")
    assert sandbox.state.user_tags[wang.openid] == [tag_id]
    leader = bind(client, clock, "o_leader_000001", "leader")
    worker.run_until_idle()
    assert sandbox.state.user_tags[leader.openid] == [worker.tags.tag_id("leader")]
    worker.run_until_idle()
    assert len(sandbox.state.calls("/cgi-bin/tags/members/batchtagging")) == 2
