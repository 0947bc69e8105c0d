"""Two languages, one source of truth: English sources, translation catalogues, one message function.

Every student-visible string that the kit's code prints (check messages, ``validate()`` feedback, widget labels,
figure titles and alt text, report and feedback text) goes through :func:`_`. English is the message id; the
Chinese comes from gettext catalogues (``designkit/locale/zh_CN/LC_MESSAGES/<domain>.po``, read with Babel; one
domain per part of the kit, all merged into one lookup). Fields are filled after translation, so a translation
may reorder them::

    _("{n} of {total} parts pass", n=3, total=5)

The language is ``COURSE_LANG`` (``en`` or ``zh-CN``; ``make lab COURSE_LANG=zh-CN``, and the grader sets it
from the submitted notebook's metadata), never the system ``LANG``. :func:`set_lang` overrides it in-process.

Course text is translated in catalogues (:mod:`designkit.i18n.catalog`); ``make translations``
(:mod:`designkit.i18n.build`) extracts the gettext messages, refreshes the catalogues and generates the Chinese
files (:mod:`designkit.i18n.generate`, placed by :mod:`designkit.i18n.layout`); :mod:`designkit.i18n.consistency`
holds the checks that catch translation slips.

>>> set_lang("en"); _("{n} of {total} parts pass", n=3, total=5)
'3 of 5 parts pass'
>>> lang()
'en'
>>> set_lang(None)
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
SUPPORTED = ("en", "zh-CN")
_override: str | None = None


def normalise(code: str | None) -> str:
    """``en`` or ``zh-CN`` for the ways people write them (``zh``, ``zh_CN``, ``zh-Hans``, ``en_GB.UTF-8``...).

    >>> normalise("zh_CN.UTF-8"), normalise("zh-hans"), normalise("en-GB"), normalise(None)
    ('zh-CN', 'zh-CN', 'en', 'en')
    """
    if not code:
        return "en"
    base = code.split(".")[0].replace("_", "-").lower()
    if base.startswith("zh"):
        return "zh-CN"
    if base.startswith("en"):
        return "en"
    raise ValueError(f"COURSE_LANG={code!r}: the course exists in {' and '.join(SUPPORTED)}; use one of those")


def lang() -> str:
    """The course language now: :func:`set_lang`'s value, else ``COURSE_LANG``, else English."""
    return _override or normalise(os.environ.get("COURSE_LANG"))


def set_lang(code: str | None) -> None:
    """Use ``code`` for this process (``None`` goes back to ``COURSE_LANG``)."""
    global _override
    _override = normalise(code) if code else None


@functools.cache
def messages(code: str) -> dict[str, str]:
    """Every translated message of language ``code``, from all its ``.po`` files (fuzzy entries are not used).

    >>> messages("en")
    {}
    """
    if code == "en":
        return {}
    from babel.messages.pofile import read_po

    folder = LOCALE_DIR / code.replace("-", "_") / "LC_MESSAGES"
    table: dict[str, str] = {}
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as fh:
            try:
                catalog = read_po(fh, locale=code.replace("-", "_"))
            except Exception as err:  # a broken catalogue must say which file, not fail somewhere later
                raise ValueError(f"{po}: not a readable gettext catalogue ({err}); fix it or run make translations") from err
        for msg in catalog:
            if msg.id and isinstance(msg.id, str) and msg.string and not msg.fuzzy:
                table[msg.id] = msg.string
    return table


def _(message: str, /, **fields: object) -> str:
    """``message`` in the course language, with ``fields`` filled in (``str.format``) after translation.

    >>> set_lang("en"); _("Passed: {part}", part="q1"); set_lang(None)
    'Passed: q1'
    """
    text = messages(lang()).get(message, message)
    return text.format(**fields) if fields else text


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it now (module-level constants); call ``_`` on use.

    >>> N_("Must fix")
    'Must fix'
    """
    return message


__all__ = ["_", "N_", "lang", "set_lang", "normalise", "messages", "LOCALE_DIR", "SUPPORTED"]
