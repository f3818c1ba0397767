"""Everything users read comes from Jinja templates under templates/messages/."""
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


class Texts:
    """Renders chat replies; templates are compiled once and kept (no per-message loading)."""

    def __init__(self, root: Path = TEMPLATES_DIR):
        self.env = Environment(loader=FileSystemLoader(str(root)), trim_blocks=True,
                               lstrip_blocks=True, undefined=StrictUndefined, auto_reload=False)
        labels = self.env.get_template("messages/_labels.txt").module
        self.env.globals.update(STATUS=labels.STATUS, ROLE=labels.ROLE, KIND=labels.KIND,
                                TRIGGER=labels.TRIGGER, REACHED=labels.REACHED)
        self.env.filters["wxtime"] = _wxtime
        self._kept: dict = {}

    def say(self, template: str, /, **context) -> str:
        """The reply text of template messages/<name>.txt."""
        return self._template(template).render(**context).strip()

    def _template(self, name: str):
        """The compiled template, with its globals as one plain dict.

        Jinja chains a template's globals to the environment's and walks the whole chain
        each time a render starts, which cost more than most of our small templates
        themselves; the globals are set once above, so each template takes a flat copy."""
        template = self._kept.get(name)
        if template is None:
            template = self.env.get_template(f"messages/{name}.txt")
            template.globals = dict(template.globals)
            self._kept[name] = template
        return template

    def label(self, table: str, key: str) -> str:
        """A Chinese label (STATUS, ROLE, KIND, TRIGGER, REACHED) for a code value."""
        return self.env.globals[table].get(key, key)


def _wxtime(value) -> str:
    """A datetime as messages show it: 2026-11-26 14:30."""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""
