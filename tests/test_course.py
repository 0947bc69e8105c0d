"""Structure and execution tests for the course modules (``course/NN-kebab-slug.ipynb``).

Every module follows one skeleton (docs/design.md, "Conventions"): a ``# NN · Title`` heading, then these
level-2 headings in this order::

    Learning objectives, Prerequisites, Time, The case, <content sections>, Activity, Framing trap,
    Reflection questions, Key points, What's next, References

The toolkit gallery (``99-*.ipynb``) shows the toolkit rather than teaching a case, so it is exempt from
"The case", "Activity", "Framing trap" and "Reflection questions", and from needing a case and a dataset.

What is checked, per module: file name, title, skeleton order, non-empty objectives and key points, a
45-90 minute time breakdown, a case and a ``designkit.data`` call, alt text after every figure, the
first code cell imports everything ("run this cell first"), no stored outputs, kernelspec ``python3``,
cell ids, an instructor-notes file and a syllabus row; across ``course/`` and ``source/``: every
``[@key]`` resolves in ``course/references.yml`` and every reference there is cited somewhere; every
reference points to a page or document (not a bare site), and every markdown table of figures in a module
says what date its data are as of. Finally every notebook runs under nbval (``pytest --nbval-lax``) from a
temporary copy of ``course/``, writes nothing next to itself, and reports its duration (never asserted).

Run: ``.venv/bin/python -m pytest tests/test_course.py -q``
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
SOURCE = ROOT / "source"
REFERENCES = COURSE / "references.yml"

NAME_RE = re.compile(r"^(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb$")
TITLE_RE = re.compile(r"^# (\d\d) · \S.*$")
CITATION_RE = re.compile(r"\[(@[^\]]*)\]")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
MINUTES_RE = re.compile(r"(\d+)\s*(?:min\b|mins\b|minutes\b)")

SKELETON = [
    "Learning objectives",
    "Prerequisites",
    "Time",
    "The case",
    "Activity",
    "Framing trap",
    "Reflection questions",
    "Key points",
    "What's next",
    "References",
]
GALLERY_EXEMPT = {"The case", "Activity", "Framing trap", "Reflection questions"}
REQUIRED_FIELDS = ("key", "title", "author", "container", "year", "note")
SITE_ONLY_NOTE = "only the site is known"
LANG_RE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$", re.I)
SITE_INDEXES = {"home", "index", "index.html", "index.htm", "index.php", "home.php", "home.html", "default.aspx",
                "default.asp", "main", "start", "welcome"}

# designkit.plots functions that do not draw a new figure
PLOTS_NON_FIGURE = {"show", "alt_text", "finding", "to_png", "target_for", "Target", "figure_html",
                    "OKABE_ITO", "SDG32_UNDER5", "SDG32_NEONATAL"}
DATA_CALLS = {"load", "tidy", "catalogue", "describe", "entry", "zscores", "stunting_status", "iso3"}


def module_paths() -> list[Path]:
    """Every notebook directly in course/ (modules and the gallery)."""
    return sorted(COURSE.glob("*.ipynb"))


def is_gallery(path: Path) -> bool:
    return path.name.startswith("99-")


def read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # invalid JSON or schema: say which file
        pytest.fail(f"{path.relative_to(ROOT)} is not a readable notebook ({exc}); re-save it from JupyterLab.")


def strip_fences(text: str) -> str:
    """Markdown without fenced code blocks (a '#' in code is not a heading)."""
    return re.sub(r"```.*?```", "", text, flags=re.S)


def strip_code(text: str) -> str:
    """Markdown without fenced or inline code: `[@key]` written as code is an example, not a citation."""
    return re.sub(r"`[^`\n]*`", "", strip_fences(text))


def headings(nb: nbformat.NotebookNode) -> list[tuple[int, int, str]]:
    """(cell index, level, text) of every markdown heading, in order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for line in strip_fences(cell.source).splitlines():
            m = re.match(r"^(#{1,6})\s+(.*?)\s*$", line)
            if m:
                found.append((i, len(m.group(1)), m.group(2)))
    return found


def section(nb: nbformat.NotebookNode, title: str) -> tuple[str, list[nbformat.NotebookNode]]:
    """The markdown text and all cells under the level-2 heading `title`, up to the next level-1/2 heading."""
    text_parts: list[str] = []
    cells: list[nbformat.NotebookNode] = []
    inside = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            kept: list[str] = []
            for line in cell.source.splitlines():
                m = re.match(r"^(#{1,2})\s+(.*?)\s*$", line)
                if m:
                    if inside:
                        text_parts.append("\n".join(kept))
                        return "\n".join(text_parts), cells
                    inside = m.group(2) == title
                    kept = []
                    continue
                if inside:
                    kept.append(line)
            if inside:
                text_parts.append("\n".join(kept))
                cells.append(cell)
        elif inside:
            cells.append(cell)
    return "\n".join(text_parts), cells


def list_items(text: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(r"^\s*(?:[-*+]|\d+[.)])\s+(\S.*)$", text, flags=re.M)]


def load_references() -> list[dict]:
    try:
        refs = yaml.safe_load(REFERENCES.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        pytest.fail(f"course/references.yml is not valid YAML: {exc}")
    assert isinstance(refs, list), "course/references.yml must be a YAML list of mappings (one per source)"
    return refs


def cited_keys(text: str) -> list[str]:
    """Keys cited with [@key] or [@key1; @key2] in markdown text."""
    keys = []
    for group in CITATION_RE.findall(strip_code(text)):
        for part in group.split(";"):
            part = part.strip()
            if part.startswith("@"):
                keys.append(part[1:].strip())
    return keys


def markdown_sources() -> dict[str, str]:
    """Markdown text of every notebook and .md file under course/ and source/ (relative path -> text)."""
    texts: dict[str, str] = {}
    for base in (COURSE, SOURCE):
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if ".ipynb_checkpoints" in path.parts or not path.is_file():
                continue
            rel = str(path.relative_to(ROOT))
            if path.suffix == ".ipynb":
                nb = read(path)
                texts[rel] = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            elif path.suffix == ".md":
                texts[rel] = path.read_text(encoding="utf-8")
    return texts


def code_without_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


class CallFinder:
    """Resolves names bound by imports across a notebook and classifies calls in each code cell."""

    def __init__(self) -> None:
        self.aliases: dict[str, str] = {}  # local name -> dotted module/object path

    def learn(self, tree: ast.AST) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.aliases[a.asname] = a.name
                    else:
                        self.aliases[a.name.split(".")[0]] = a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"

    def dotted(self, func: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(func, ast.Attribute):
            parts.append(func.attr)
            func = func.value
        if not isinstance(func, ast.Name):
            return None
        head = self.aliases.get(func.id, func.id)
        return ".".join([head, *reversed(parts)])

    def calls(self, tree: ast.AST) -> list[str]:
        return [d for n in ast.walk(tree) if isinstance(n, ast.Call) and (d := self.dotted(n.func))]


def classify_cells(nb: nbformat.NotebookNode) -> list[dict]:
    """Per code cell: its index, whether it draws a figure, shows one with alt text, loads catalogue data."""
    finder = CallFinder()
    trees: list[tuple[int, ast.AST]] = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(code_without_magics(cell.source))
        except SyntaxError as exc:
            raise AssertionError(f"code cell {i} does not parse: {exc}") from None
        finder.learn(tree)
        trees.append((i, tree))
    out = []
    for i, tree in trees:
        calls = finder.calls(tree)
        draws = shows = data = False
        for name in calls:
            if name.startswith("designkit.plots."):
                leaf = name.rsplit(".", 1)[1]
                if leaf == "show":
                    shows = True
                elif leaf not in PLOTS_NON_FIGURE:
                    draws = True
            elif name.startswith("matplotlib.pyplot.") and not name.endswith((".close", ".rc", ".style.use")):
                draws = True
            elif name.startswith("designkit.data.") and name.rsplit(".", 1)[1] in DATA_CALLS:
                data = True
        out.append({"index": i, "draws": draws, "shows": shows, "data": data})
    return out


# ------------------------------------------------------------------------------------------------------
# course/references.yml
# ------------------------------------------------------------------------------------------------------


def test_references_file_is_well_formed() -> None:
    refs = load_references()
    problems = []
    seen: set[str] = set()
    for n, entry in enumerate(refs, start=1):
        if not isinstance(entry, dict):
            problems.append(f"entry {n} is not a mapping")
            continue
        key = entry.get("key")
        where = f"entry {n} ({key!r})"
        missing = [f for f in REQUIRED_FIELDS if f not in entry]
        if missing:
            problems.append(f"{where} lacks {', '.join(missing)}")
        site_only = bool(entry.get("site")) and SITE_ONLY_NOTE in str(entry.get("note", "")).lower()
        if not (entry.get("url") or entry.get("doi") or entry.get("isbn") or site_only):
            problems.append(f"{where} needs a url, a doi or an isbn (or a 'site' and a note saying "
                            f"'{SITE_ONLY_NOTE}...' with why)")
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(f"{where}: keys are lowercase letters, digits and '_'")
        elif key in seen:
            problems.append(f"{where}: duplicate key (keys must be unique; append a new key instead)")
        seen.add(str(key))
        for field in ("title", "author", "container", "note"):
            if field in entry and not str(entry[field] or "").strip():
                problems.append(f"{where}: {field} is empty")
        year = entry.get("year")
        if year is not None and not (isinstance(year, int) and 1900 <= year <= 2100):
            problems.append(f"{where}: year must be a four-digit year or null (got {year!r})")
    assert not problems, "course/references.yml:\n  " + "\n  ".join(problems)


def bare_site(url: str) -> bool:
    """True when `url` names a site rather than the page or document that holds a claim.

    >>> [bare_site(u) for u in ("https://www.unicef.org/", "https://www.who.int", "https://x.org/en/",
    ...                         "https://x.org/home.php", "https://x.org/a/story.php?s=26006")]
    [True, True, True, True, False]
    """
    parts = urlsplit(url)
    segments = [seg for seg in parts.path.split("/") if seg]
    if not segments:
        return not parts.query  # a query can name a page: story.php?s=1 (path) or /?p=12 (WordPress)
    if len(segments) == 1 and (LANG_RE.match(segments[0]) or segments[0].lower() in SITE_INDEXES):
        return True
    return len(segments) == 2 and LANG_RE.match(segments[0]) is not None and segments[1].lower() in SITE_INDEXES


def test_references_point_to_pages_not_sites() -> None:
    """Every url in course/references.yml is the page or document that holds the claim, not a homepage."""
    bad = []
    for n, entry in enumerate(load_references(), start=1):
        url = entry.get("url") if isinstance(entry, dict) else None
        if not url:
            continue
        if not re.match(r"^https?://[^/\s]+", str(url)):
            bad.append(f"entry {n} ({entry.get('key')!r}): {url!r} is not an http(s) address")
        elif bare_site(str(url)):
            bad.append(f"entry {n} ({entry.get('key')!r}): {url} is a site, not a page")
    assert not bad, (
        "course/references.yml: give the address of the page, document or DOI that holds the claim; where only "
        f"the site is known, replace 'url' by 'site' and say so in the note ('{SITE_ONLY_NOTE}...'):\n  "
        + "\n  ".join(bad)
    )


def test_every_citation_resolves() -> None:
    keys = {e["key"] for e in load_references() if isinstance(e, dict) and "key" in e}
    unknown = []
    malformed = []
    for rel, text in markdown_sources().items():
        for group in CITATION_RE.findall(strip_code(text)):
            for part in group.split(";"):
                part = part.strip()
                if not part.startswith("@") or not KEY_RE.match(part[1:].strip()):
                    malformed.append(f"{rel}: [{group}] (write [@key] or [@key1; @key2])")
                elif part[1:].strip() not in keys:
                    unknown.append(f"{rel}: @{part[1:].strip()}")
    assert not malformed, "malformed citations:\n  " + "\n  ".join(sorted(set(malformed)))
    assert not unknown, (
        "citations with no entry in course/references.yml (add the source at the end of that file):\n  "
        + "\n  ".join(sorted(set(unknown)))
    )


def test_every_reference_is_cited() -> None:
    keys = [e["key"] for e in load_references() if isinstance(e, dict) and "key" in e]
    cited: set[str] = set()
    for text in markdown_sources().values():
        cited.update(cited_keys(text))
    uncited = [k for k in keys if k not in cited]
    assert not uncited, (
        f"{len(uncited)} of {len(keys)} entries in course/references.yml are cited nowhere in course/ or "
        "source/ (cite them where their figures are used, or remove them):\n  " + "\n  ".join(uncited)
    )


# ------------------------------------------------------------------------------------------------------
# per module
# ------------------------------------------------------------------------------------------------------

MODULES = module_paths()
IDS = [p.name for p in MODULES]


def test_course_has_modules() -> None:
    assert any(NAME_RE.match(p.name) and not is_gallery(p) for p in MODULES), "no course/NN-slug.ipynb module found"


def test_no_stray_notebooks() -> None:
    bad = [p.name for p in MODULES if not NAME_RE.match(p.name)]
    assert not bad, f"course/ notebooks must be named NN-kebab-slug.ipynb (rename or remove): {bad}"
    numbers = [p.name[:2] for p in MODULES]
    dupes = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not dupes, f"two course notebooks share a number: {dupes}"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_stored_clean(path: Path) -> None:
    """No outputs, python3 kernelspec, an id on every cell."""
    nb = read(path)
    rel = path.relative_to(ROOT)
    with_outputs = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not with_outputs, (
        f"{rel}: code cells {with_outputs} hold outputs; clear them before committing "
        f"(.venv/bin/jupyter nbconvert --clear-output --inplace {rel})"
    )
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{rel}: kernelspec name must be 'python3' (got {spec.get('name')!r})"
    assert nb.metadata.get("language_info", {}).get("name") == "python", f"{rel}: language_info must be python"
    no_id = [i for i, c in enumerate(nb.cells) if not c.get("id")]
    assert not no_id, f"{rel}: cells {no_id} have no id (save with nbformat >= 4.5)"
    ids = [c.get("id") for c in nb.cells]
    assert len(ids) == len(set(ids)), f"{rel}: duplicate cell ids"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_skeleton(path: Path) -> None:
    nb = read(path)
    rel = path.relative_to(ROOT)
    heads = headings(nb)
    assert heads, f"{rel} has no markdown headings"
    first = heads[0]
    m = TITLE_RE.match(f"{'#' * first[1]} {first[2]}")
    assert m and first[1] == 1, f"{rel}: the first heading must be '# {path.name[:2]} · Title' (got {first[2]!r})"
    assert m.group(1) == path.name[:2], f"{rel}: title number {m.group(1)} does not match the file name"
    level2 = [text for _, level, text in heads if level == 2]
    wanted = [h for h in SKELETON if not (is_gallery(path) and h in GALLERY_EXEMPT)]
    missing = [h for h in wanted if h not in level2]
    assert not missing, f"{rel}: missing skeleton headings {missing} (each as '## <heading>')"
    positions = [level2.index(h) for h in wanted]
    assert positions == sorted(positions), (
        f"{rel}: skeleton headings out of order; expected {wanted}, found {[level2[p] for p in sorted(positions)]}"
    )
    if not is_gallery(path):
        inner = level2[level2.index("The case") + 1 : level2.index("Activity")]
        assert inner, f"{rel}: add content sections between '## The case' and '## Activity'"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_objectives_key_points_and_time(path: Path) -> None:
    nb = read(path)
    rel = path.relative_to(ROOT)
    for title in ("Learning objectives", "Key points"):
        text, _ = section(nb, title)
        assert list_items(text), f"{rel}: '## {title}' needs at least one bullet point"
    text, _ = section(nb, "Time")
    parts = [int(n) for item in list_items(text) if "total" not in item.lower() for n in MINUTES_RE.findall(item)]
    assert len(parts) >= 2, f"{rel}: '## Time' should break the work down in bullets such as '- Read the case: 10 min'"
    assert 45 <= sum(parts) <= 90, f"{rel}: the time breakdown adds up to {sum(parts)} min; aim for 45-90 min"


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_references_section_lists_cited_keys(path: Path) -> None:
    nb = read(path)
    rel = path.relative_to(ROOT)
    body = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    cited = set(cited_keys(body))
    text, cells = section(nb, "References")
    if any(c.cell_type == "code" for c in cells):
        return  # rendered from references.yml at run time
    listed = set(re.findall(r"\b[a-z0-9][a-z0-9_]*\b", text))
    missing = sorted(cited - listed)
    assert not missing, f"{rel}: '## References' does not list these cited keys: {missing}"


FIGURE_CELL_RE = re.compile(
    r"^(?:about |around |nearly |more than |over |up to |under |below |≤ ?|< ?|~ ?)?(?:US)?[$¥€£]?\d[\d.,]*\s*"
    r"(?:%|per cent|percent|million|billion|thousand|m\b|bn\b|per 1,000|/1,000|g/L|days?\b|SD\b)", re.I)


def markdown_tables(text: str) -> list[tuple[list[str], list[list[str]], str]]:
    """(header cells, body rows, the line after the table) of every pipe table in markdown `text`."""
    lines = strip_fences(text).splitlines()
    tables, i = [], 0
    while i < len(lines) - 1:
        if lines[i].lstrip().startswith("|") and re.match(r"^\s*\|?\s*:?-{3,}", lines[i + 1]):
            split = lambda row: [c.strip() for c in row.strip().strip("|").split("|")]  # noqa: E731
            header, body, j = split(lines[i]), [], i + 2
            while j < len(lines) and lines[j].lstrip().startswith("|"):
                body.append(split(lines[j]))
                j += 1
            after = next((ln.strip() for ln in lines[j:] if ln.strip()), "")
            tables.append((header, body, after))
            i = j
        else:
            i += 1
    return tables


def is_figure_cell(cell: str) -> bool:
    """A table cell that states a figure (a count, share, rate or amount), citations and emphasis removed.

    >>> [is_figure_cell(c) for c in ("99.5%", "about 22 million [@x]", "**3 laboratories**", "12", "Article 12")]
    [True, True, False, False, False]
    """
    text = re.sub(r"\[@[^\]]*\]|\*|_", "", cell).strip()
    return bool(FIGURE_CELL_RE.match(text))


@pytest.mark.parametrize("path", [p for p in MODULES if not is_gallery(p)], ids=[p.name for p in MODULES if not is_gallery(p)])
def test_figure_tables_say_data_as_of(path: Path) -> None:
    """A markdown table of figures says when its data are from: a 'Data as of' column or a 'Data as of:' line
    right under the table (global series are revised every year; a figure without its date invites a false trend)."""
    nb = read(path)
    rel = path.relative_to(ROOT)
    text = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    undated = []
    for header, body, after in markdown_tables(text):
        if not any(is_figure_cell(cell) for row in body for cell in row):
            continue
        dated_column = any("data as of" in h.lower() for h in header)
        dated_line = after.lower().lstrip("*_").startswith("data as of")
        if not (dated_column or dated_line):
            undated.append(" | ".join(header))
    assert not undated, (
        f"{rel}: these tables state figures without saying when the data are from; add a 'Data as of' column "
        f"(year of the data, and the edition where a series is revised) or a 'Data as of: ...' line under the "
        f"table: {undated}"
    )


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_case_and_dataset(path: Path) -> None:
    if is_gallery(path):
        pytest.skip("the toolkit gallery teaches no case")
    nb = read(path)
    rel = path.relative_to(ROOT)
    text, _ = section(nb, "The case")
    assert len(text.split()) >= 80, f"{rel}: '## The case' should tell a real case (at least 80 words)"
    assert cited_keys(text), f"{rel}: '## The case' cites no source; cite each figure with [@key]"
    assert any(c["data"] for c in classify_cells(nb)), (
        f"{rel}: no code cell loads a catalogue dataset (designkit.data.load/tidy/catalogue/describe)"
    )


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_every_figure_has_alt_text(path: Path) -> None:
    nb = read(path)
    rel = path.relative_to(ROOT)
    lacking = []
    for info in classify_cells(nb):
        if not info["draws"] or info["shows"]:
            continue
        nxt = nb.cells[info["index"] + 1] if info["index"] + 1 < len(nb.cells) else None
        if not (nxt is not None and nxt.cell_type == "markdown" and "alt text:" in nxt.source.lower()):
            lacking.append(info["index"])
    assert not lacking, (
        f"{rel}: code cells {lacking} draw a figure without alt text; display it with designkit.plots.show(fig) "
        "or follow the cell with a markdown line 'Alt text: ...'"
    )


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_first_code_cell_imports_everything(path: Path) -> None:
    nb = read(path)
    rel = path.relative_to(ROOT)
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    assert code, f"{rel} has no code cell"
    assert "run this cell first" in code[0][1].source.lower(), (
        f"{rel}: the first code cell should say '# Run this cell first' and import what the notebook needs"
    )
    late = []
    for i, cell in code[1:]:
        tree = ast.parse(code_without_magics(cell.source))
        if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(tree)):
            late.append(i)
    assert not late, f"{rel}: cells {late} import modules; move the imports to the first code cell"


@pytest.mark.parametrize("path", [p for p in MODULES if not is_gallery(p)], ids=[p.name for p in MODULES if not is_gallery(p)])
def test_instructor_notes_exist(path: Path) -> None:
    notes = COURSE / "instructor-notes" / (path.stem + ".md")
    assert notes.is_file(), f"{path.name} has no instructor notes: write course/instructor-notes/{notes.name}"
    text = notes.read_text(encoding="utf-8")
    for part in ("timing", "misconception", "reflection"):
        assert part in text.lower(), f"course/instructor-notes/{notes.name} should cover {part}s"


def test_syllabus_lists_every_module() -> None:
    readme = COURSE / "README.md"
    assert readme.is_file(), "course/README.md (the syllabus) is missing"
    text = readme.read_text(encoding="utf-8")
    linked = set(re.findall(r"\((?:\./)?(\d\d-[a-z0-9-]+\.ipynb)\)", text))
    on_disk = {p.name for p in MODULES}
    assert on_disk <= linked, f"course/README.md does not link: {sorted(on_disk - linked)}"
    assert linked <= on_disk, f"course/README.md links notebooks that do not exist yet: {sorted(linked - on_disk)}"
    targets = re.findall(r"\]\((?!https?:|#)([^)\s]+)\)", text)
    broken = [t for t in targets if not (COURSE / t).exists()]
    assert not broken, f"course/README.md links to paths that do not exist: {broken}"


# ------------------------------------------------------------------------------------------------------
# execution: every notebook in course/ runs under nbval (--nbval-lax), from a temporary copy of course/
# ------------------------------------------------------------------------------------------------------

CELL_TIMEOUT_S = 120  # a hung cell fails after this long (a guard, not a speed test: durations are only reported)
NOT_OUTPUTS = {".ipynb", ".md", ".yml"}  # authored files; anything else new in the copy was written by a module
ANSI_RE = re.compile(r"(?:\x1b|#x1B)\[[0-9;]*m")  # nbval colours its reports


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
            and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}


@pytest.fixture(scope="session")
def nbval_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Run ``pytest --nbval-lax`` once over a temporary copy of ``course/``; return per-notebook results.

    The copy keeps the checkout clean (each kernel's working folder is the copy, as in JupyterLab the
    notebook's folder), and whatever a module writes is listed afterwards. Result:
    ``{"modules": {name: {"seconds": float, "failures": [str]}}, "written": [paths], "log": str}``.
    """
    import shutil
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    work = tmp_path_factory.mktemp("nbval")
    copy = work / "course"
    shutil.copytree(COURSE, copy, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    before = _files(copy)
    report = work / "nbval.xml"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    notebooks = [str(copy / p.name) for p in MODULES]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", f"--nbval-cell-timeout={CELL_TIMEOUT_S}",
         "-p", "no:cacheprovider", "-q", f"--junitxml={report}", f"--rootdir={copy}", *notebooks],
        cwd=copy, env=env, capture_output=True, text=True, check=False,
    )
    log = proc.stdout[-6000:] + proc.stderr[-2000:]
    if not report.is_file():
        pytest.fail(f"nbval did not run (exit {proc.returncode}); its output:\n{log}")
    modules: dict[str, dict] = {p.name: {"seconds": 0.0, "failures": [], "cells": 0} for p in MODULES}
    for case in ET.parse(report).getroot().iter("testcase"):
        where = f"{case.get('classname', '')} {case.get('name', '')} {case.get('file', '')}"
        name = next((n for n in modules if n[:-len(".ipynb")] in where), None)
        if name is None:
            continue
        modules[name]["seconds"] += float(case.get("time", 0) or 0)
        modules[name]["cells"] += 1
        for bad in [*case.iter("failure"), *case.iter("error")]:
            text = ANSI_RE.sub("", bad.text or bad.get("message", ""))
            modules[name]["failures"].append(f"{case.get('name')}:\n{text[-3000:]}")
    written = sorted(f for f in _files(copy) - before if Path(f).suffix not in NOT_OUTPUTS)
    return {"modules": modules, "written": written, "log": log, "returncode": proc.returncode}


@pytest.mark.parametrize("path", MODULES, ids=IDS)
def test_module_runs_under_nbval(path: Path, nbval_run: dict, timings: dict[str, float]) -> None:
    """The module executes top to bottom with no error (nbval --nbval-lax); its duration is reported."""
    result = nbval_run["modules"][path.name]
    rel = path.relative_to(ROOT)
    if result["cells"] == 0:
        pytest.fail(f"nbval collected no cells from {rel} (exit {nbval_run['returncode']}):\n{nbval_run['log']}")
    timings[f"course {path.name} (nbval)"] = result["seconds"]
    assert not result["failures"], (
        f"{rel} failed under nbval (run it: .venv/bin/python -m pytest --nbval-lax {rel}):\n"
        + "\n".join(result["failures"])
    )


def test_modules_write_nothing(nbval_run: dict) -> None:
    """Running the modules creates no file next to them (write to a temporary folder instead)."""
    assert not nbval_run["written"], (
        f"running the course notebooks wrote files into course/: {nbval_run['written']}; "
        "write to a temporary folder (tempfile.TemporaryDirectory()) instead"
    )
