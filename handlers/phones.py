"""Phone numbers however they are typed or said: 13800138000, 138 0013 8000, 138-0013-8000,
+86 138…, 010-62345678, and spoken 幺三八零零… (voice recognition puts commas between the
groups). One reader serves the whole conversation, the contact step and the back office.
"""
from __future__ import annotations

import re
from typing import Optional

from handlers.numerals import DIGIT_CLASS, to_arabic

D = DIGIT_CLASS
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# Digits may be parted by spaces, dashes, or the commas and stops voice recognition adds.
GAP = r"[\s\-,，、。.]?"
IN_TEXT = re.compile(rf"(?<![{D}])(?:\+?86{GAP})?(?:[1幺一](?:{GAP}[{D}]){{10}}|[0零洞](?:[{D}]){{2,3}}"
                     rf"[\s-]?[{D}]{{7,8}}(?:-\d{{1,6}})?)(?![{D}])")
LONG_NUMBER = re.compile(rf"[{D}](?:{GAP}[{D}]){{4,}}")  # enough digits for a phone meant


def normalise_phone(text: str) -> Optional[str]:
    """A mainland mobile (11 digits) or landline with area code; None when neither."""
    compact = re.sub(r"[\s()（）]", "", text).replace("—", "-")
    compact = re.sub(r"^(\+?86)-?", "", compact)
    if MOBILE.match(compact.replace("-", "")):
        return compact.replace("-", "")
    return compact if LANDLINE.match(compact) else None


def find_phone(text: str) -> tuple[Optional[str], Optional[re.Match]]:
    """The first phone in `text` (normalised) and where it stood; (None, None) when none."""
    for match in IN_TEXT.finditer(text):
        digits = re.sub(r"[\s,，、。.]", "", to_arabic(match.group()))
        phone = normalise_phone(digits)
        if phone:
            return phone, match
    return None, None


def means_a_number(text: str) -> bool:
    """Whether the text holds a run of digits long enough to be a phone number meant."""
    return bool(LONG_NUMBER.search(text))
