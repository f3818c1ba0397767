"""Typed fields of the back office's edit forms: read what was typed, and list the choices.

A problem is a code (required, too_long, bad_date ...); its Chinese words are in the templates.
A choice from another table (REF, REFS) must be an active row, or the row already chosen, so
deactivating a place never silently empties the forms that point at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

TEXT, TEXTAREA, NUMBER, DATE, CHOICE, REF, REFS, FLAG, MINUTES = (
    "text", "textarea", "number", "date", "choice", "ref", "refs", "flag", "minutes")
LIST_SEPARATOR = re.compile("[,，]")  # names that invites keep in comma lists must not hold one
LINE_BREAK = re.compile(r"[\r\n]")
PHONE = re.compile(r"\+?[0-9][0-9 -]{3,30}")
NUMBER_RE = re.compile(r"-?[0-9]{1,6}")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID_RE = re.compile(r"[0-9]{1,9}")
MAX_ID = 2**31 - 1  # in URLs as <int(max=...)>: a larger id is 404, not a database overflow


@dataclass(frozen=True)
class Field:
    """One input of a form; `name` is the model attribute it sets."""
    name: str
    kind: str = TEXT
    required: bool = False
    max_len: int = 64
    choices: tuple[str, ...] = ()   # CHOICE: the codes (labels are in the template)
    ref: Optional[type] = None      # REF, REFS: the model chosen from
    label: str = "name"             # REF, REFS: the attribute a choice shows
    listed: bool = False            # TEXT: kept in comma lists (invites), so no commas
    phone: bool = False             # TEXT: digits, spaces, '-' and a leading '+'
    fixed: bool = False             # chosen when the row is made, shown but not edited after


def typed(fields, form) -> dict:
    """What the user typed, by field name, to show the form again (REFS as lists of ids)."""
    return {f.name: (form.getlist(f.name) if f.kind == REFS else form.get(f.name, ""))
            for f in fields}


def parse(fields, raw: dict, current: dict) -> tuple[dict, list[tuple[str, str]]]:
    """(values by field name, [(field name, problem code)]); `current` holds stored values."""
    values, problems = {}, []
    for field in fields:
        value, problem = parse_field(field, raw.get(field.name, ""), current.get(field.name))
        values[field.name] = value
        if problem:
            problems.append((field.name, problem))
    return values, problems


def parse_field(field: Field, raw, current=None):
    """(value, problem code or None) of one field; `current` is its stored value, if any."""
    if field.kind == REFS:
        return _refs(field, raw, current or ())
    if field.kind == FLAG:
        return raw == "1", None
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        empty = {DATE: None, REF: None, NUMBER: 0, MINUTES: None}.get(field.kind, "")
        return empty, ("required" if field.required else None)
    return _KINDS.get(field.kind, _text)(field, text, current)


def _text(field: Field, text: str, current):
    # Other control characters never reach here (the blueprint refuses them with a 400 page);
    # one-line fields take no line breaks.
    if field.kind == TEXT and LINE_BREAK.search(text):
        return text, "control"
    if len(text) > field.max_len:
        return text, "too_long"
    if field.listed and LIST_SEPARATOR.search(text):
        return text, "comma"
    if field.phone and not PHONE.fullmatch(text):
        return text, "bad_phone"
    return text, None


def _number(field: Field, text: str, current):
    return (int(text), None) if NUMBER_RE.fullmatch(text) else (0, "bad_number")


def _minutes(field: Field, text: str, current):
    """A limit in whole minutes, at least one (an empty box means "not set here")."""
    ok = text.isascii() and text.isdigit() and 1 <= int(text) <= 999_999
    return (int(text), None) if ok else (None, "bad_minutes")


def _date(field: Field, text: str, current):
    try:
        return (date.fromisoformat(text), None) if DATE_RE.fullmatch(text) else (None, "bad_date")
    except ValueError:  # 2026-02-30
        return None, "bad_date"


def _choice(field: Field, text: str, current):
    return (text, None) if text in field.choices else (None, "bad_choice")


def _ref(field: Field, text: str, current):
    rows = _rows(field, [text], _ids(current))
    return (rows[0], None) if len(rows) == 1 else (None, "bad_choice")


def _refs(field: Field, raw, current):
    wanted = [text for text in (raw if isinstance(raw, list) else [raw]) if text]
    rows = _rows(field, wanted, _ids(current))
    return rows, (None if len(rows) == len(set(wanted)) else "bad_choice")


_KINDS = {NUMBER: _number, MINUTES: _minutes, DATE: _date, CHOICE: _choice, REF: _ref}


def _rows(field: Field, texts: list[str], allowed: set[int]) -> list:
    """The rows named by id in `texts` that may be chosen: active ones and those in `allowed`."""
    ids = {int(t) for t in texts if isinstance(t, str) and ID_RE.fullmatch(t)}
    if len(ids) != len(set(texts)):
        return []
    model = field.ref
    return [row for row in model.select().where(model.id.in_(ids))
            if row.active or row.id in allowed]


def _ids(current) -> set[int]:
    """Ids of the stored choice(s): a row, an id, or a list of either."""
    items = current if isinstance(current, (list, tuple, set)) else [current]
    return {getattr(item, "id", item) for item in items if item is not None}


def options(field: Field, current=None) -> list[tuple[int, str]]:
    """(id, label) of what a REF/REFS field offers: active rows plus the stored ones, by label."""
    model, keep = field.ref, _ids(current)
    column = getattr(model, field.label)
    where = model.active | model.id.in_(keep) if keep else model.active
    return [(row.id, getattr(row, field.label))
            for row in model.select().where(where).order_by(column, model.id)]


def changes(before: dict, after: dict, limit: int = 2000) -> str:
    """What an edit changed, for the audit log: "k: old → new; ..." ("k=v; ..." for a new row)."""
    if not before:
        return "; ".join(f"{k}={v}" for k, v in after.items() if v)[:limit]
    return "; ".join(f"{k}: {before[k]} → {after[k]}" for k in after
                     if before[k] != after[k])[:limit]
