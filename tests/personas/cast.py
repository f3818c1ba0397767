"""The whole cast, in one tuple: every person the suite plays. BLIND is the second cast,
written without reading the bot's handlers or templates."""
from tests.personas.cast_blind import BLIND
from tests.personas.cast_others import OTHERS
from tests.personas.cast_reports import FRESHMEN, PHOTOGRAPHERS, VOICES
from tests.personas.cast_reports_more import REPORTERS_MORE

CAST = FRESHMEN + VOICES + PHOTOGRAPHERS + REPORTERS_MORE + OTHERS + BLIND
BY_KEY = {person.key: person for person in CAST}
assert len(BY_KEY) == len(CAST), "two people share a key"
