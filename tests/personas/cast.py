"""The whole cast, in one tuple: every person the suite plays."""
from tests.personas.cast_others import OTHERS
from tests.personas.cast_reports import FRESHMEN, PHOTOGRAPHERS, VOICES
from tests.personas.cast_reports_more import REPORTERS_MORE

CAST = FRESHMEN + VOICES + PHOTOGRAPHERS + REPORTERS_MORE + OTHERS
BY_KEY = {person.key: person for person in CAST}
