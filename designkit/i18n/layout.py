"""Where each generated translation lives, and how its relative links are rewritten to work from there.

English files stay where they are; the Chinese ones are generated beside them (docs: source/README.md, "Two
languages"):

- ``course/<path>`` -> ``course/zh-CN/<path>`` (modules, syllabus, instructor notes, capstone docs);
- ``source/header.ipynb`` -> ``source/header-zh.ipynb``;
- ``source/<set>/<set>.ipynb`` -> ``source/<set>-zh/<set>-zh.ipynb``, its data files copied beside it: one
  nbgrader assignment per language.

>>> translated_path("course/01-rights-and-equity.ipynb", "zh-CN")
'course/zh-CN/01-rights-and-equity.ipynb'
>>> translated_path("source/ps2-problem-framing/ps2-problem-framing.ipynb", "zh-CN")
'source/ps2-problem-framing-zh/ps2-problem-framing-zh.ipynb'
>>> translated_path("source/header.ipynb", "zh-CN"), translated_path("source/ps0-warm-up", "zh-CN")
('source/header-zh.ipynb', 'source/ps0-warm-up-zh')
"""
from __future__ import annotations

import posixpath
import re
from collections.abc import Callable

SUFFIX = {"zh-CN": "zh"}  # assignment and header suffix per language: ps2-x-zh
GRADER_FILES = ("rubric.md", "mistakes.yml", "nonsense.yml")  # never copied into a translated assignment


def translated_path(rel: str, lang: str) -> str:
    """The path (relative to the checkout, posix) of the ``lang`` version of the English file ``rel``."""
    parts = rel.split("/")
    if parts[0] == "course":
        return "/".join(["course", lang, *parts[1:]])
    if parts[0] == "source" and len(parts) == 2:  # the header, or a set's folder
        stem, dot, ext = parts[1].rpartition(".") if "." in parts[1] else (parts[1], "", "")
        return f"source/{stem}-{SUFFIX[lang]}{dot}{ext}"
    if parts[0] == "source" and len(parts) == 3:
        folder = f"{parts[1]}-{SUFFIX[lang]}"
        name = f"{folder}.ipynb" if parts[2] == f"{parts[1]}.ipynb" else parts[2]
        return f"source/{folder}/{name}"
    raise ValueError(f"{rel}: no {lang} version is generated for files here (course/ and source/ only)")


def generated_roots(lang: str) -> tuple[str, ...]:
    """Glob patterns (relative to the checkout) of everything the build writes for ``lang``.

    >>> generated_roots("zh-CN")
    ('course/zh-CN/**', 'source/*-zh/**', 'source/header-zh.ipynb')
    """
    return (f"course/{lang}/**", f"source/*-{SUFFIX[lang]}/**", f"source/header-{SUFFIX[lang]}.ipynb")


# [text](target "title") and ![alt](target); reference definitions `[label]: target`; HTML src/href
LINK_RE = re.compile(r"(!?\[[^\]\n]*\]\()(<[^>\n]+>|[^)\s]+)((?:\s+\"[^\"\n]*\")?\))")
REFDEF_RE = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s+)(\S+)", re.M)
HTML_RE = re.compile(r"""(\b(?:src|href)=["'])([^"']+)(["'])""")


def is_relative(target: str) -> bool:
    """True for a link to a file of the checkout (not a URL, an anchor, an absolute path or a citation).

    >>> [is_relative(t) for t in ("references.yml", "../source/x", "https://x.org", "#goals", "/etc", "mailto:a")]
    [True, True, False, False, False, False]
    """
    return bool(target) and not re.match(r"^(?:[a-z][a-z0-9+.-]*:|#|/|@)", target, re.I)


def link_targets(text: str) -> list[str]:
    """Every link target in markdown ``text`` (inline links and images, reference definitions, HTML src/href).

    >>> link_targets('See [the map](03-x.ipynb#map), ![a chart](img/c.png "c") and <a href="https://x.org">x</a>.')
    ['03-x.ipynb#map', 'img/c.png', 'https://x.org']
    """
    found = [(m.start(), m.group(2).strip("<>")) for m in LINK_RE.finditer(text)]
    found += [(m.start(), m.group(2)) for m in REFDEF_RE.finditer(text)]
    found += [(m.start(), m.group(2)) for m in HTML_RE.finditer(text)]
    return [target for _, target in sorted(found)]


def resolve(target: str, where: str) -> str:
    """The checkout path a relative ``target`` points to from the file ``where`` (anchor and query dropped).

    >>> resolve("../references.yml#x", "course/zh-CN/01-a.ipynb")
    'course/references.yml'
    """
    path = re.split(r"[#?]", target, maxsplit=1)[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(where), path)) if path else where


def _sub_links(text: str, fix: Callable[[str], str]) -> str:
    text = LINK_RE.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), text)
    text = REFDEF_RE.sub(lambda m: m.group(1) + fix(m.group(2)), text)
    return HTML_RE.sub(lambda m: m.group(1) + fix(m.group(2)) + m.group(3), text)


def relink(text: str, en_path: str, lang: str, exists: Callable[[str], bool]) -> str:
    """English markdown of ``en_path`` with its relative links rewritten for the ``lang`` file's location.

    A link to a file that has a ``lang`` version (``exists`` says whether that path is generated or on disk)
    points to that version; any other link keeps pointing to the same file.

    >>> have = {"course/zh-CN/02-b.ipynb", "course/zh-CN/capstone"}.__contains__
    >>> relink("[next](02-b.ipynb), [refs](references.yml#top), [briefs](capstone), [w](https://x.org)",
    ...        "course/01-a.ipynb", "zh-CN", have)
    '[next](02-b.ipynb), [refs](../references.yml#top), [briefs](capstone), [w](https://x.org)'
    """
    here = translated_path(en_path, lang)

    def fix(target: str) -> str:
        bare = target.strip("<>")
        if not is_relative(bare):
            return target
        dest = resolve(bare, en_path)
        try:
            candidate = translated_path(dest, lang)
        except ValueError:
            candidate = ""
        if candidate and exists(candidate):
            dest = candidate
        tail = bare[len(re.split(r"[#?]", bare, maxsplit=1)[0]):]
        new = posixpath.relpath(dest, posixpath.dirname(here)) + tail
        return f"<{new}>" if target.startswith("<") else new

    return _sub_links(text, fix)
