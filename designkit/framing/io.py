"""Save and load framing models as JSON files (the format of ``to_json()``).

``save`` writes to a temporary file in the same folder, then renames it over the target, so an
interrupted save never leaves half a file. ``load`` reads the ``type`` field to rebuild the right model.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "hmw.json"
>>> _ = save(HowMightWe("How might we help mothers learn results in time?"), path)
>>> load(path).text
'How might we help mothers learn results in time?'
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from designkit.i18n import _

from ._base import FramingError, FramingModel
from ._records import listing
from .affinity import AffinityMap
from .how_might_we import HowMightWe
from .interview_guide import InterviewGuide
from .journey import JourneyMap
from .participation import ParticipationPlan
from .persona import Persona
from .point_of_view import PointOfView
from .priority import PriorityMatrix
from .problem_tree import ObjectivesTree, ProblemTree
from .research_plan import ResearchPlan
from .stakeholders import StakeholderMap
from .testing import TestPlan, TestResults

MODELS: dict[str, type[FramingModel]] = {
    cls.MODEL: cls for cls in (ProblemTree, ObjectivesTree, StakeholderMap, PointOfView, HowMightWe, Persona,
                               JourneyMap, PriorityMatrix)
}
# The studio strand
MODELS.update({cls.MODEL: cls for cls in (ParticipationPlan, ResearchPlan, InterviewGuide, AffinityMap, TestPlan,
                                          TestResults)})


def from_json(text_or_dict: str | dict) -> FramingModel:
    """Rebuild any framing model from its JSON, using its ``type`` field.

    >>> from_json('{"type": "HowMightWe", "version": 1, "text": "How might we ...?"}').text
    'How might we ...?'
    """
    if isinstance(text_or_dict, str):
        try:
            data = json.loads(text_or_dict)
        except json.JSONDecodeError as err:
            raise FramingError(_("This is not valid JSON: {msg} at line {lineno}, column {colno}. Check the quotes, commas and "
                                 "brackets there.", msg=err.msg, lineno=err.lineno, colno=err.colno)) from None
    else:
        data = text_or_dict
    if not isinstance(data, dict) or "type" not in data:
        raise FramingError(_("This JSON has no 'type' field, so it is not a saved framing model. Save models with "
                           "designkit.framing.save(model, path)."))
    kind = data["type"]
    if kind not in MODELS:
        raise FramingError(_("Unknown model type {kind}: expected one of {models}.",
                             kind=repr(kind), models=listing(MODELS)))
    return MODELS[kind].from_json(data)


def save(model: FramingModel, path: str | os.PathLike) -> Path:
    """Write ``model.to_json()`` to ``path`` safely (temporary file, then rename); return the path.

    The model is checked first: a malformed model raises FramingError and the file is left untouched.
    """
    if not isinstance(model, FramingModel):
        raise FramingError(_("save() needs a framing model (ProblemTree, Persona, ...), not a {name}.",
                             name=type(model).__name__))
    target = Path(path)
    text = model.to_json() + "\n"
    if not target.parent.is_dir():
        raise FramingError(_("Cannot save to {target}: the folder {parent} does not exist. Create it first.",
                             target=target, parent=target.parent))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def load(path: str | os.PathLike, kind: type[FramingModel] | str | None = None) -> FramingModel:
    """Read a model saved with :func:`save`; ``kind`` (a class or its name) insists on one model type.

    FramingError names the file when it is missing, not JSON, or not the expected model.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FramingError(_("No file {source}: check the name and folder (the notebook's folder is {cwd}).", source=source, cwd=Path.cwd())) from None
    except (OSError, UnicodeDecodeError) as err:
        raise FramingError(_("Cannot read {source}: {err}.", source=source, err=err)) from None
    try:
        model = from_json(text)
        if kind is not None:
            name = kind if isinstance(kind, str) else kind.MODEL
            if model.MODEL != name:
                raise FramingError(_("It holds a {model}, not a {name}.", model=model.MODEL, name=name))
    except FramingError as err:
        raise FramingError(_("{source} is not a valid saved model: {err}", source=source, err=err)) from None
    return model
