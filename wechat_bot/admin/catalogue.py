"""The catalogue pages: one list, one form and one on/off switch serve every entity.

Everyone logged in may read; supervisors and admins edit. Rows are never deleted (orders,
devices and engineers point at them): they are switched off, and then no longer offered.
"""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from peewee import IntegrityError

from handlers import catalogue_view
from models.catalogue import subtree_ids, tree_order
from models.database import db
from models.people import ADMIN, SUPERVISOR
from models.staff import STAFF_ROLES, audit
from wechat_bot.admin import bp
from wechat_bot.admin.catalogue_forms import ENTITIES, Entity
from wechat_bot.admin.form_fields import MAX_ID, REF, changes, options, parse, typed
from wechat_bot.admin.guard import current_staff, requires
from wechat_bot.redis_conn import note_catalogue_change

EDITORS = (SUPERVISOR, ADMIN)


@bp.get("/catalogue")
@requires(*STAFF_ROLES)
def catalogue():
    """The five lists, with how many rows each has in use."""
    counts = {slug: entity.model.select().where(entity.model.active).count()
              for slug, entity in ENTITIES.items()}
    return render_template("admin/catalogue/index.html", entities=ENTITIES, counts=counts)


@bp.get("/catalogue/<slug>")
@requires(*STAFF_ROLES)
def catalogue_list(slug: str):
    """Every row of one entity, switched-off ones too (a tree when rows have parents)."""
    entity = _entity(slug)
    rows = list(entity.model.select().order_by(*entity.order()))
    labels = _ref_labels(entity)
    listed = tree_order(rows) if entity.tree else [(row, 0) for row in rows]
    rows = [(row, depth, _cells(entity, row, labels)) for row, depth in listed]
    return render_template("admin/catalogue/list.html", entity=entity, poster=_poster(entity),
                           rows=rows, may_edit=current_staff().role in EDITORS)


@bp.get("/catalogue/<slug>/new")
@requires(*EDITORS)
def catalogue_new(slug: str):
    """The empty form (?parent=<id> starts a child of that row)."""
    return _form(_entity(slug), None, {"parent": request.args.get("parent", "")}, [])


@bp.post("/catalogue/<slug>/new")
@requires(*EDITORS)
def catalogue_create(slug: str):
    """Make the row (audited), or show the form again with what is wrong."""
    return _submit(_entity(slug), None)


@bp.get(f"/catalogue/<slug>/<int(max={MAX_ID}):row_id>")
@requires(*EDITORS)
def catalogue_edit(slug: str, row_id: int):
    """The form filled with the stored values."""
    entity, row = _row(slug, row_id)
    return _form(entity, row, _stored(entity, row), [])


@bp.post(f"/catalogue/<slug>/<int(max={MAX_ID}):row_id>")
@requires(*EDITORS)
def catalogue_update(slug: str, row_id: int):
    """Save the changes (audited), or show the form again with what is wrong."""
    entity, row = _row(slug, row_id)
    return _submit(entity, row)


@bp.post(f"/catalogue/<slug>/<int(max={MAX_ID}):row_id>/active")
@requires(*EDITORS)
def catalogue_active(slug: str, row_id: int):
    """Switch a row (and in a tree, everything below it) off or back on."""
    entity, row = _row(slug, row_id)
    active, model = request.form.get("active") == "1", entity.model
    if active and entity.tree and row.parent_id and not row.parent.active:
        flash("parent_inactive", "catalogue_problem")
        return redirect(url_for("admin.catalogue_list", slug=slug))
    ids = subtree_ids(model, row.id) if entity.tree else [row.id]
    with db.atomic():
        changed = model.update(active=active).where(model.id.in_(ids),
                                                    model.active != active).execute()
        audit(current_staff(), f"{slug}.{'activate' if active else 'deactivate'}",
              f"{slug}:{row.id}", f"{_summary(entity, row)[entity.fields[0].name]} rows={changed}",
              _now())
    _changed()
    flash("activated" if active else "deactivated", "catalogue_done")
    return redirect(url_for("admin.catalogue_list", slug=slug))


def _submit(entity: Entity, row):
    """Check the typed values, then save them and the audit row together."""
    fields = entity.editable(row is None)
    raw = typed(fields, request.form)
    values, problems = parse(fields, raw, _current(fields, row))
    if not problems:
        problems = _taken(entity, row, values) + entity.check(row, values)
    if problems:
        return _form(entity, row, raw, problems), 400
    before = _summary(entity, row) if row is not None else {}
    target = row if row is not None else entity.model()
    try:
        with db.atomic():
            entity.save(target, values)
            audit(current_staff(), f"{entity.slug}.{'update' if before else 'create'}",
                  f"{entity.slug}:{target.id}", changes(before, _summary(entity, target)), _now())
    except IntegrityError:  # the same name saved at the same moment by someone else
        return _form(entity, row, raw, [(entity.unique[0], "taken")]), 400
    _changed()
    flash("updated" if before else "created", "catalogue_done")
    return redirect(url_for("admin.catalogue_list", slug=entity.slug))


def _changed() -> None:
    """The chat reads the catalogue afresh: in this process now, in every other at its next
    turn (the version every turn reads from Redis)."""
    catalogue_view.forget()
    bot = current_app.extensions["baoxiu"]
    note_catalogue_change(bot.redis, bot.settings.redis.prefix)


def _taken(entity: Entity, row, values: dict) -> list[tuple[str, str]]:
    model, problems = entity.model, []
    for name in entity.unique:
        same = model.select().where(getattr(model, name) == values[name])
        if row is not None:
            same = same.where(model.id != row.id)
        if same.exists():
            problems.append((name, "taken"))
    return problems


def _form(entity: Entity, row, raw: dict, problems: list):
    fields = entity.editable(row is None)
    current = _current(fields, row)
    choices = {f.name: options(f, current.get(f.name)) for f in fields if f.kind == REF}
    return render_template("admin/catalogue/form.html", entity=entity, row=row, fields=fields,
                           form=raw, choices=choices, problems=problems,
                           facts=entity.extra(row) if row is not None else {})


def _current(fields, row) -> dict:
    """The stored values the form starts from (ids for references)."""
    if row is None:
        return {}
    return {f.name: getattr(row, f.name + "_id" if f.kind == REF else f.name) for f in fields}


def _stored(entity: Entity, row) -> dict:
    """The stored values as a form would carry them (text)."""
    return {name: "" if value is None else value.isoformat() if isinstance(value, date)
            else str(value) for name, value in _current(entity.fields, row).items()}


def _summary(entity: Entity, row) -> dict:
    """Field → readable value, for the audit log."""
    summary = {}
    for field in entity.fields:
        value = getattr(row, field.name)
        summary[field.name] = str(getattr(value, field.label) if field.kind == REF and value
                                  else "" if value is None else value)
    return summary


def _ref_labels(entity: Entity) -> dict:
    """For each reference column, id → label of every row it may point at (one query each)."""
    return {f.name: dict(f.ref.select(f.ref.id, getattr(f.ref, f.label)).tuples())
            for f in entity.fields if f.kind == REF and f.name in entity.columns}


def _cells(entity: Entity, row, labels: dict) -> list[tuple[str, object]]:
    cells = []
    for column in entity.columns:
        value = (labels[column].get(getattr(row, column + "_id")) if column in labels
                 else getattr(row, column))
        cells.append((column, value.isoformat() if isinstance(value, date) else value))
    return cells


def _poster(entity: Entity):
    """(endpoint, argument) of the row's QR poster page, or None while no module adds it."""
    if entity.poster not in current_app.view_functions:
        return None
    arguments = next(current_app.url_map.iter_rules(entity.poster)).arguments
    return (entity.poster, next(iter(arguments))) if len(arguments) == 1 else None


def _entity(slug: str) -> Entity:
    return ENTITIES.get(slug) or abort(404)


def _row(slug: str, row_id: int):
    entity = _entity(slug)
    return entity, entity.model.get_or_none(entity.model.id == row_id) or abort(404)


def _now():
    return current_app.extensions["baoxiu"].clock.now()
