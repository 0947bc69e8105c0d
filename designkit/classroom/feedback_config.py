"""Where the kit's feedback page comes from: nbgrader config that names the kit's template and its
`PartsAndFlags` preprocessor (`designkit.classroom.feedback_parts`) by dotted name. A leaf module: `Course`
registers it in every config it builds without importing the rest of the classroom package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = "feedback"
TEMPLATE_FILE = "parts.html.j2"
TEMPLATES = Path(__file__).resolve().parent / "templates"


def register_feedback(config: Any) -> None:
    """Use the kit's feedback template and add :class:`PartsAndFlags` to ``config`` (in place; idempotent).

    >>> from traitlets.config import Config
    >>> c = Config(); register_feedback(c); register_feedback(c); c.GenerateFeedback.HTMLExporter.template_file
    'parts.html.j2'
    >>> "HTMLExporter" in c
    False
    >>> [str(p).rsplit(".", 1)[-1] for p in c.GenerateFeedback.preprocessors].count("PartsAndFlags")
    1
    """
    import nbgrader

    formgrader = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    # nested under GenerateFeedback (traitlets' parent-scoped config): Formgrader's own pages keep their templates
    config.GenerateFeedback.HTMLExporter.template_name = TEMPLATE
    config.GenerateFeedback.HTMLExporter.template_file = TEMPLATE_FILE
    config.GenerateFeedback.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(formgrader)]
    # the page's own words in the student's language (PartsAndFlags sets it from the notebook's metadata)
    config.GenerateFeedback.HTMLExporter.filters = {"designkit_t": "designkit.i18n._"}
    name = "designkit.classroom.feedback_parts.PartsAndFlags"
    if "preprocessors" in config.GenerateFeedback:
        current = list(config.GenerateFeedback.preprocessors)
    else:
        from nbgrader.converters import GenerateFeedback

        current = list(GenerateFeedback.class_traits()["preprocessors"].default())
    if not any(p == name or getattr(p, "__name__", "") == "PartsAndFlags" for p in current):
        config.GenerateFeedback.preprocessors = [*current, name]
