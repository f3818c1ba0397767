"""Pure catalogue and invite rules: tree order, levels, invite status."""
from datetime import datetime, timedelta
from types import SimpleNamespace as Row

from models.catalogue import FaultType, Location, tree_order
from models.invites import ACTIVE, EXPIRED, REVOKED, USED, invite_status
from models.people import InviteCode


def test_tree_order_puts_children_under_their_parent_in_the_given_order():
    rows = [Row(id=1, parent_id=None), Row(id=2, parent_id=None), Row(id=3, parent_id=2),
            Row(id=4, parent_id=1), Row(id=5, parent_id=3), Row(id=6, parent_id=99)]
    assert [(r.id, depth) for r, depth in tree_order(rows)] == [
        (1, 0), (4, 1), (2, 0), (3, 1), (5, 2), (6, 0)]  # an orphan is shown at the top


def test_a_place_made_under_another_is_one_level_down_and_rooms_take_none():
    assert [Location(level=level).child_level() for level in ("campus", "building", "room")] \
        == ["building", "room", ""]


def test_invite_status_follows_use_revocation_and_expiry():
    now = datetime(2026, 11, 26, 9, 30)
    fresh = dict(code="ABCDEFGH", role="engineer", created_at=now,
                 expires_at=now + timedelta(days=1))
    assert invite_status(InviteCode(**fresh), now) == ACTIVE
    assert invite_status(InviteCode(**fresh), now + timedelta(days=1)) == EXPIRED
    assert invite_status(InviteCode(**fresh, revoked_at=now), now) == REVOKED
    assert invite_status(InviteCode(**fresh, used_at=now), now + timedelta(days=2)) == USED


def test_keywords_are_split_on_any_comma_and_on_lines():
    typed = FaultType(keywords="漏水, 水管，跳闸、停电\n插座,,", urgent_keywords=" 跑水 \n漏电")
    assert typed.keyword_list == ["漏水", "水管", "跳闸", "停电", "插座"]
    assert typed.urgent_keyword_list == ["跑水", "漏电"]
    assert FaultType().urgent_keyword_list == []
