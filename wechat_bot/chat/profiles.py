"""Loading the facts about a user that each turn needs, creating the user on first contact."""
from datetime import datetime

from handlers.turn import Profile
from models.people import User


def load_profile(openid: str, now: datetime) -> Profile:
    """The user's profile from the database; a new reporter row on their first message."""
    User.insert(openid=openid, created_at=now).on_conflict_ignore().execute()
    user = User.get(User.openid == openid)
    return Profile(id=user.id, openid=openid, role=user.role, phone=user.phone, name=user.name,
                   unit=user.unit)
