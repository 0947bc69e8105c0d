"""ILLUSTRATIVE field notes for practising synthesis: written for the course, NOT real data, no real people.

One design challenge (families getting a child's birth certificate in time for school and exam registration,
in a fictional rural district), ten participants of different ages and roles (children aged 8-15 heard through
role-play, drawing, paired interviews and a caregiver as proxy; caregivers; a midwife; a head teacher) and
about forty anonymised notes. No figure in it comes from a source: never cite it as evidence about the world.

>>> from designkit.data import field_notes
>>> notes = field_notes()
>>> list(notes.columns)
['note_id', 'participant', 'age', 'role', 'text']
>>> sorted(notes["role"].unique())
['caregiver', 'child', 'health worker', 'teacher']
>>> notes.attrs["status"]
'illustrative'
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from designkit.i18n import _

from .errors import DataError

FIELD_NOTES_PATH = Path(__file__).with_name("field_notes.yml")
COLUMNS = ["note_id", "participant", "age", "role", "text"]


def read_field_notes(path: str | Path = FIELD_NOTES_PATH) -> pd.DataFrame:
    """Read the YAML file of field notes into a table (``COLUMNS``); DataError naming the file if malformed.

    The table's ``attrs`` carry the file's ``status`` ('illustrative'), ``challenge``, ``setting`` and the
    participants' descriptions (how each was heard).
    """
    import yaml

    source = Path(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(_("No field notes file at {source}: reinstall designkit (the file ships "
                          "with it).", source=source)) from None
    except yaml.YAMLError as err:
        raise DataError(_("{source} is not valid YAML: {err}", source=source, err=err)) from None
    if not isinstance(data, dict) or not isinstance(data.get("notes"), list) \
            or not isinstance(data.get("participants"), list):
        raise DataError(_("{source} must be a mapping with 'participants' and 'notes' lists.", source=source))
    people = {}
    for i, p in enumerate(data["participants"]):
        if not isinstance(p, dict) or not {"id", "age", "role"} <= set(p):
            raise DataError(_("{source}: participants[{i}] needs an id, an age and a role.", source=source, i=i))
        people[str(p["id"])] = p
    rows, seen = [], set()
    for i, n in enumerate(data["notes"]):
        if not isinstance(n, dict) or not {"id", "participant", "text"} <= set(n):
            raise DataError(_("{source}: notes[{i}] needs an id, a participant and a text.", source=source, i=i))
        who = people.get(str(n["participant"]))
        if who is None:
            raise DataError(_("{source}: note {id} names participant {participant!r}, who is not "
                              "in 'participants'.", source=source, id=n['id'], participant=n['participant']))
        if n["id"] in seen:
            raise DataError(_("{source}: two notes have the id {id!r}.", source=source, id=n['id']))
        seen.add(n["id"])
        rows.append({"note_id": str(n["id"]), "participant": str(n["participant"]), "age": int(who["age"]),
                     "role": str(who["role"]), "text": str(n["text"]).strip()})
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs.update({"status": str(data.get("status", "")), "challenge": str(data.get("challenge", "")).strip(),
                        "setting": str(data.get("setting", "")).strip(),
                        "participants": {k: dict(v) for k, v in people.items()}})
    return frame


read_field_notes.__name__ = "designkit.data.field_notes()"
