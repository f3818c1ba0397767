"""Loading the facts about a user that each turn needs when Redis has none cached."""
from datetime import datetime

from handlers.turn import Profile
from models.people import User


def load_profile(openid: str, now: datetime) -> Profile:
    """The user's profile from the database; someone never seen gets one with no row behind it
    (written when first needed: see Profile.id), so a first contact writes nothing."""
    user = User.get_or_none(User.openid == openid)
    if user is None:
        return Profile(id=None, openid=openid, first_seen=now.isoformat())
    return Profile(id=user.id, openid=openid, role=user.role, phone=user.phone, name=user.name,
                   unit=user.unit)
