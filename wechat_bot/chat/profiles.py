"""Loading the facts about a user that each turn needs when Redis has none cached."""
from datetime import datetime

from handlers.turn import Profile
from models.people import User


def load_profile(openid: str, now: datetime) -> Profile:
    """The user's profile from the database; someone never seen gets one with no row behind it
    (written when first needed: see Profile.id), so a first contact writes nothing."""
    facts = User.facts(openid)
    if facts is None:
        return Profile(id=None, openid=openid, first_seen=now.isoformat())
    user_id, role, phone, name, unit = facts
    return Profile(id=user_id, openid=openid, role=role, phone=phone, name=name, unit=unit)
