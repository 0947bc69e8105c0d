"""What a translation must keep from the English it translates: the checks that catch translation slips.

Each function compares one unit (a markdown cell or section) in English with its translation and returns the
problems as short sentences (empty: nothing to fix). ``tests/test_i18n.py`` runs them over every catalogue and
names the file and unit of each problem.

>>> citation_problems("Only 3 labs [@a; @b].", "只有3个实验室[@a]。")
['citation [@b] is missing']
>>> number_problems("44.2 days, 1,000 births, 2013–15", "44.2天，每1000名新生儿，2013—2015年")
[]
>>> number_problems("30% of 419 mothers under 5", "419名五岁以下儿童的母亲中的三成")
['number 30 is missing']
>>> marker_problems("### BEGIN MARK SCHEME\\nFull\\n### END MARK SCHEME", "### BEGIN MARK SCHEME\\n满分")
['nbgrader markers differ: English has BEGIN MARK SCHEME, END MARK SCHEME; the translation BEGIN MARK SCHEME']
"""
from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .layout import is_relative, link_targets, resolve, translated_path

FENCE_RE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.S | re.M)
CODE_SPAN_RE = re.compile(r"`[^`\n]+`")
CITATION_RE = re.compile(r"\[(@[^\]]*)\]")
URL_RE = re.compile(r"https?://\S+|\]\([^)]*\)")
NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
MARKER_RE = re.compile(r"^\s*#{3}\s*((?:BEGIN|END) (?:SOLUTION|MARK SCHEME|HIDDEN TESTS))\s*$", re.M)
HEADING_RE = re.compile(r"^(#{1,6})\s", re.M)
CHINESE_NUMERALS = {str(i): zh for i, zh in enumerate(["零", "一", "二两", "三", "四", "五", "六", "七", "八", "九", "十"])}


def prose(text: str) -> str:
    """``text`` without fenced code blocks and code spans (code is never translated).

    >>> prose("A `Persona` here\\n```python\\nx = 1\\n```\\nend")
    'A  here\\n\\nend'
    """
    return CODE_SPAN_RE.sub("", FENCE_RE.sub("", text))


def citations(text: str) -> list[str]:
    """The keys cited as ``[@key]`` or ``[@a; @b]`` outside code, sorted.

    >>> citations("See [@who2020; @unicef] and `[@not_this]`.")
    ['unicef', 'who2020']
    """
    keys = {part.strip()[1:] for group in CITATION_RE.findall(prose(text)) for part in group.split(";")
            if part.strip().startswith("@")}
    return sorted(keys)


def citation_problems(en: str, zh: str) -> list[str]:
    """Citation keys of the English missing from the translation, or added to it."""
    en_keys, zh_keys = set(citations(en)), set(citations(zh))
    return ([f"citation [@{k}] is missing" for k in sorted(en_keys - zh_keys)]
            + [f"citation [@{k}] is not in the English" for k in sorted(zh_keys - en_keys)])


def numbers(text: str) -> list[str]:
    """The numbers of ``text`` (thousands separators dropped), citations and link targets left out.

    >>> numbers("In 2018, 1,234 of 5.5 [@who2019] (see [x](02-a.ipynb))")
    ['2018', '1234', '5.5']
    """
    text = URL_RE.sub(" ", CITATION_RE.sub(" ", unicodedata.normalize("NFKC", text)))
    return [re.sub(r"(?<=\d),(?=\d{3}\b)", "", n).rstrip(".,") for n in NUMBER_RE.findall(text)]


def number_problems(en: str, zh: str) -> list[str]:
    """Every number of the English must appear in the translation (as written, or within a longer figure such as
    a year written in full; 0 to 10 may be written in Chinese numerals: under-5 -> 五岁以下); a changed or dropped
    figure is named."""
    zh_text = " ".join(numbers(zh))
    missing = []
    for n in dict.fromkeys(numbers(en)):
        numeral = CHINESE_NUMERALS.get(n, "")
        if n not in zh_text and not any(ch in zh for ch in numeral):
            missing.append(f"number {n} is missing")
    return missing


def markers(text: str) -> list[str]:
    """nbgrader's region markers (``### BEGIN SOLUTION``...) in order.

    >>> markers("### BEGIN SOLUTION\\nanswer\\n### END SOLUTION")
    ['BEGIN SOLUTION', 'END SOLUTION']
    """
    return MARKER_RE.findall(text)


def marker_problems(en: str, zh: str) -> list[str]:
    """The translation keeps nbgrader's markers, in English, on their own lines, in the same order."""
    if markers(en) == markers(zh):
        return []
    return [f"nbgrader markers differ: English has {', '.join(markers(en)) or 'none'}; "
            f"the translation {', '.join(markers(zh)) or 'none'}"]


def heading_levels(text: str) -> list[int]:
    """The levels of the markdown headings outside code, in order.

    >>> heading_levels("# A\\n## B\\n```\\n# not a heading\\n```\\n### C")
    [1, 2, 3]
    """
    return [len(m.group(1)) for m in HEADING_RE.finditer(FENCE_RE.sub("", text))]


def heading_problems(en: str, zh: str) -> list[str]:
    """The translation keeps the headings and their levels (the module skeleton depends on them)."""
    if heading_levels(en) == heading_levels(zh):
        return []
    return [f"heading levels differ: English {heading_levels(en)}, translation {heading_levels(zh)}"]


def link_problems(en: str, zh: str, en_path: str, lang: str, exists: Callable[[str], bool]) -> list[str]:
    """Every link of the English is in the translation: URLs as they are; a relative link resolved from the
    translated file's location reaches the same file or its translation, and exists.

    >>> link_problems("[refs](references.yml), [w](https://x.org)", "[参考](../references.yml)",
    ...               "course/01-a.ipynb", "zh-CN", lambda p: True)
    ['link https://x.org is missing']
    """
    here = translated_path(en_path, lang)
    zh_targets = link_targets(zh)
    reached = {resolve(t, here) for t in zh_targets if is_relative(t)}
    problems = []
    for target in dict.fromkeys(link_targets(en)):
        if not is_relative(target):
            if target.startswith(("http", "mailto:")) and target not in zh_targets:
                problems.append(f"link {target} is missing")
            continue
        dest = resolve(target, en_path)
        try:
            wanted = {dest, translated_path(dest, lang)}
        except ValueError:
            wanted = {dest}
        if not reached & wanted:
            problems.append(f"link {target} is missing or points elsewhere (from {here} it must reach "
                            f"{' or '.join(sorted(wanted))})")
    for target in zh_targets:
        if is_relative(target) and not exists(resolve(target, here)):
            problems.append(f"link {target} leads nowhere from {here}")
    return problems


def load_glossary(path: Path) -> dict[str, Any]:
    """``course/glossary.yml``: ``terms`` ({en, zh, zh_first?, zh_also?}) and ``exceptions``."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data.get("terms"), list):
        raise ValueError(f"{path}: expected a `terms:` list of {{en, zh}} entries")
    return data


def term_pattern(term: str) -> re.Pattern[str]:
    """The English term, case-insensitive, singular or plural, a hyphen, space or line break between its words.

    >>> bool(term_pattern("rights-holder").search("Children are Rights Holders."))
    True
    >>> bool(term_pattern("persona").search("personal data")), bool(term_pattern("persona").search("two personas"))
    (False, True)
    """
    words = re.split(r"[\s-]+", term.strip())
    body = r"[\s-]".join(re.escape(w) for w in words)  # one space, line break or hyphen: not a paragraph break
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w-])", re.I)


def glossary_problems(en: str, zh: str, terms: list[dict[str, Any]]) -> list[str]:
    """Where the English uses a glossary term, the translation uses its Chinese term (``zh``, ``zh_first`` or one
    of ``zh_also``), outside code.

    >>> glossary_problems("Draw a problem tree.", "画一棵因果树。", [{"en": "problem tree", "zh": "问题树"}])
    ['glossary: "problem tree" must be 问题树']
    """
    en_text, zh_text = prose(en), prose(zh)
    problems = []
    for term in terms:
        if term_pattern(term["en"]).search(en_text):
            forms = [term["zh"], *([term["zh_first"]] if term.get("zh_first") else []), *term.get("zh_also", [])]
            if not any(form in zh_text for form in forms):
                problems.append(f'glossary: "{term["en"]}" must be {" or ".join(forms)}')
    return problems


def fields(text: str) -> list[str]:
    """The names of the ``str.format`` fields of a message, sorted (``_()`` fills them after translation).

    >>> fields("{n} of {total:.0f} parts pass {{literal}}")
    ['n', 'total']
    """
    return sorted({name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name})


def field_problems(en: str, zh: str) -> list[str]:
    """A translated message has exactly the English message's fields (an unknown one would fail at run time).

    >>> field_problems("Passed: {part}", "通过：{部分}")
    ['fields differ: English {part}, translation {部分}']
    """
    try:
        zh_fields = fields(zh)
    except ValueError as err:
        return [f"not a valid format string ({err}): write fields as {{name}} and braces as {{{{ }}}}"]
    if fields(en) == zh_fields:
        return []
    show = lambda names: "{" + "}, {".join(names) + "}" if names else "none"  # noqa: E731
    return [f"fields differ: English {show(fields(en))}, translation {show(zh_fields)}"]


def unit_problems(en: str, zh: str, en_path: str, lang: str, exists: Callable[[str], bool]) -> list[str]:
    """Citations, numbers, nbgrader markers, headings and links of one translated unit."""
    return [*citation_problems(en, zh), *number_problems(en, zh), *marker_problems(en, zh),
            *heading_problems(en, zh), *link_problems(en, zh, en_path, lang, exists)]
