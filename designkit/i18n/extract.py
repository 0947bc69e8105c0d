"""Gettext catalogues of the kit's Python messages: extract each domain's ``_()``/``N_()`` literals, update its ``.po``.

``designkit/locale/domains.yml`` maps files to domains (the first matching domain wins, in file order). For each
domain, Babel's extractor reads the literals into ``designkit/locale/<domain>.pot``; Babel's ``Catalog.update``
then brings ``designkit/locale/<lang>/LC_MESSAGES/<domain>.po`` in step (new messages untranslated, changed ones
fuzzy: a fuzzy message is not used until a translator revises it and removes the flag). The ``course`` domain is
generated from the ``strings`` of the notebook catalogues (``translations/<lang>/**.yml``).

Files are written only when a message changed (creation and revision dates are not a change), so running the
build twice changes nothing.

>>> domain_of("designkit/classroom/on_submit.py", {"loop": ["designkit/classroom/on_submit.py"],
...                                                "classroom": ["designkit/classroom/**.py"]})
'loop'
>>> domain_of("designkit/i18n/build.py", {"classroom": ["designkit/classroom/**.py"]}) is None
True
"""
from __future__ import annotations

import ast
import fnmatch
import io
import re
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from . import LOCALE_DIR

KEYWORDS = {"_": None, "N_": None}
COURSE_DOMAIN = "course"
PROJECT = "designkit"
DATE_LINE = re.compile(rb'^"(?:POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', re.M)


def domains(locale_dir: Path = LOCALE_DIR) -> dict[str, list[str]]:
    """The domain -> file patterns map of ``domains.yml`` (in file order)."""
    path = locale_dir / "domains.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"{path}: expected `domain: [file patterns]` entries")
    return data


def domain_of(rel: str, table: dict[str, list[str]]) -> str | None:
    """The domain whose patterns first match the checkout path ``rel`` (``*`` also matches ``/``)."""
    for domain, patterns in table.items():
        if any(fnmatch.fnmatchcase(rel, pattern) for pattern in patterns):
            return domain
    return None


def calls_message_function(path: Path) -> bool:
    """True when the Python file calls ``_(...)`` or ``N_(...)``.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = pathlib.Path(tmp, "m.py"); _ = p.write_text('x = _("Hi")'); calls_message_function(p)
    True
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in KEYWORDS
               for n in ast.walk(tree))


def domain_files(root: Path, table: dict[str, list[str]]) -> dict[str, list[Path]]:
    """Every Python file of ``root/designkit`` in its domain (files in no domain are left out)."""
    out: dict[str, list[Path]] = {d: [] for d in table}
    for path in sorted((root / "designkit").rglob("*.py")):
        domain = domain_of(path.relative_to(root).as_posix(), table)
        if domain is not None:
            out[domain].append(path)
    return out


def template(domain: str, files: list[Path], root: Path) -> Catalog:
    """The message template of ``domain``: every literal its files pass to ``_()`` or ``N_()``, first use first."""
    cat = Catalog(project=PROJECT, domain=domain, charset="utf-8",
                  header_comment=f"# designkit: the messages of the {domain} domain (make translations).")
    for path in files:
        rel = path.relative_to(root).as_posix()
        for lineno, message, comments, context in extract_from_file("python", str(path), keywords=KEYWORDS):
            if isinstance(message, str) and message:
                cat.add(message, locations=[(rel, lineno)], auto_comments=comments, context=context)
    return cat


def updated(po_path: Path, pot: Catalog, lang: str) -> Catalog:
    """The ``.po`` at ``po_path`` (a new one if missing) updated from the template ``pot`` with Babel."""
    locale = lang.replace("-", "_")
    if po_path.exists():
        with po_path.open("rb") as fh:
            cat = read_po(fh, locale=locale)
    else:
        cat = Catalog(locale=locale, domain=pot.domain, project=PROJECT, creation_date=pot.creation_date,
                      fuzzy=False, charset="utf-8",
                      header_comment=f"# {lang} translations of designkit's `{pot.domain}` messages.")
    cat.update(pot, update_header_comment=False)
    return cat


def course_catalog(catalogues: list[dict[str, Any]], lang: str) -> Catalog:
    """The ``course`` domain: every ``strings`` entry of the notebook catalogues, with its translation if any."""
    cat = Catalog(locale=lang.replace("-", "_"), domain=COURSE_DOMAIN, project=PROJECT, fuzzy=False, charset="utf-8",
                  header_comment=f"# GENERATED by `make translations` from the `strings` of translations/{lang}/**.yml:"
                                 "\n# edit those catalogues, never this file.")
    for data in catalogues:
        for entry in data.get("strings") or []:
            if entry["en"] in cat:
                msg = cat[entry["en"]]
                msg.auto_comments = sorted({*msg.auto_comments, data["source"]})
                msg.string = msg.string or entry.get("zh") or ""
            else:
                cat.add(entry["en"], entry.get("zh") or "", auto_comments=[data["source"]])
    return cat


def po_bytes(cat: Catalog) -> bytes:
    """A catalogue as PO text, as ``pybabel update`` writes it from a template extracted with ``--no-location``."""
    buf = io.BytesIO()
    write_po(buf, cat, no_location=True)
    return buf.getvalue()


def keep(path: Path, new: bytes) -> bytes:
    """``new``, or the file's current text when they differ only in their dates (so nothing is rewritten)."""
    if path.exists():
        old = path.read_bytes()
        if same(old, new):
            return old
    return new


def same(old: bytes, new: bytes) -> bool:
    """True when two PO texts differ at most in their dates.

    >>> same(b'"POT-Creation-Date: 2026-01-01\\\\n"\\nmsgid "a"\\n', b'"POT-Creation-Date: 2027-05-05\\\\n"\\nmsgid "a"\\n')
    True
    """
    return DATE_LINE.sub(b"", old) == DATE_LINE.sub(b"", new)


def status(cat: Catalog) -> dict[str, int]:
    """Counts of messages translated, untranslated and fuzzy (stale: the English changed since translation)."""
    counts = {"current": 0, "untranslated": 0, "stale": 0}
    for msg in cat:
        if not msg.id:
            continue
        translated = all(msg.string) if isinstance(msg.string, tuple) else bool(msg.string)
        counts["stale" if msg.fuzzy else "current" if translated else "untranslated"] += 1
    return counts


def read(path: Path, lang: str) -> Catalog:
    """A ``.po``/``.pot`` file read with Babel; a broken file names itself."""
    with path.open("rb") as fh:
        try:
            return read_po(fh, locale=lang.replace("-", "_") if path.suffix == ".po" else None)
        except Exception as err:
            raise ValueError(f"{path}: not a readable gettext catalogue ({err}); fix it, then run make translations") from err
