"""The instructor pipeline (designkit.classroom) end to end, on real nbgrader, in temporary course copies.

A small class on ps0 only keeps this fast: simulate -> collect -> grade (2 workers) -> simulated grader ->
feedback -> export -> report, with the CSV and the report checked for their content; idempotence; serial
versus parallel grading; the gradebook backups; stock ``nbgrader list`` and ``nbgrader export`` on the
produced course. Malformed submissions and resuming after ``kill -9`` are in test_classroom_robustness.py.
"""
from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from designkit.classroom.course import Course, UnknownAssignmentError

REPO = Path(__file__).resolve().parents[1]
PS0 = "ps0-warm-up"
PY = sys.executable
BIN = str(Path(PY).parent)
os.environ.setdefault("MPLBACKEND", "Agg")

pytestmark = pytest.mark.skipif(not (REPO / "source" / PS0).is_dir(), reason="source/ps0-warm-up not in this checkout")


def make_course(dest: Path, sets: tuple[str, ...] = (PS0,)) -> Course:
    """A copy of the repository's course (config, header and the given sets) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    (dest / "source").mkdir(exist_ok=True)
    shutil.copy(REPO / "source" / "header.ipynb", dest / "source" / "header.ipynb")
    for name in sets:
        shutil.copytree(REPO / "source" / name, dest / "source" / name)
    return Course.find(dest)


def cli(course: Course, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), MPLBACKEND="Agg")
    env.pop("DESIGNKIT_EXCHANGE", None)
    done = subprocess.run([PY, "-m", "designkit.classroom", "--course-dir", str(course.root), "--quiet", *args],
                          capture_output=True, text=True, env=env, timeout=600)
    if check and done.returncode != 0:
        raise AssertionError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def grade_table(course: Course) -> dict[tuple[str, str, str], tuple[float | None, float | None]]:
    """(student, assignment, part) -> (auto_score, manual_score), read through nbgrader's Gradebook."""
    out = {}
    with course.open_gradebook() as gb:
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                for nb in sub.notebooks:
                    for g in nb.grades:
                        out[(sub.student.id, assignment.name, g.name)] = (g.auto_score, g.manual_score)
    return out


# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def graded_class(tmp_path_factory):
    """A class of 6 simulated students on ps0, released, collected, graded, hand-graded and reported.

    Steps run in this process (nbgrader imported once) except ``grade`` and ``report``, which go through the
    command line to check what it prints."""
    from designkit.classroom.assignments import release
    from designkit.classroom.collect import collect
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.feedback import feedback
    from designkit.classroom.manual import grade_written
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path_factory.mktemp("course"))
    out = {"release": release(course, progress=False)}
    sim = simulate(course, 6, seed=3, progress=False)
    out["collect"] = collect(course)
    out["grade"] = cli(course, "grade", "--jobs", "2", "--no-sandbox")
    out["manual"] = grade_written(course)
    out["feedback"] = feedback(course, jobs=2, progress=False)
    out["export"] = write_grades_csv(course)
    out["report"] = cli(course, "report")
    return course, sim, out


def test_help_is_quick_and_does_not_import_nbgrader():
    code = ("import sys; from designkit.classroom.cli import build_parser; build_parser().format_help(); "
            "assert 'nbgrader' not in sys.modules and 'nbconvert' not in sys.modules, 'imported eagerly'")
    subprocess.run([PY, "-c", code], check=True, timeout=30)
    done = subprocess.run([PY, "-m", "designkit.classroom", "--help"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0
    for command in ("assignments", "release", "simulate", "collect", "grade", "feedback", "export", "report", "demo"):
        assert command in done.stdout


def test_unknown_assignment_names_the_known_ones(tmp_path):
    course = make_course(tmp_path / "c")
    with pytest.raises(UnknownAssignmentError) as err:
        course.check_assignments(["ps9-nope"])
    assert "ps9-nope" in str(err.value) and PS0 in str(err.value)
    done = cli(course, "assignments", "ps9-nope", check=False)
    assert done.returncode == 2
    assert "ps9-nope" in done.stderr and PS0 in done.stderr and "Traceback" not in done.stderr


def test_not_a_course_folder_is_a_clear_error(tmp_path):
    done = subprocess.run([PY, "-m", "designkit.classroom", "--course-dir", str(tmp_path), "export"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "nbgrader_config.py" in done.stderr and "--course-dir" in done.stderr


def test_simulation_is_reproducible(tmp_path):
    from designkit.classroom.simulate import simulate
    from designkit.classroom.status import fingerprint

    course = make_course(tmp_path / "a")
    sim_a = simulate(course, 5, seed=11, progress=False)
    first = {s: fingerprint(course.submitted / s / PS0) for s in sim_a.students
             if (course.submitted / s / PS0).is_dir()}
    sim_b = simulate(course, 5, seed=11, progress=False)
    assert sim_a.profiles == sim_b.profiles
    assert {s: fingerprint(course.submitted / s / PS0) for s in sim_b.students
            if (course.submitted / s / PS0).is_dir()} == first
    assert all((course.submitted / s / PS0 / "timestamp.txt").exists() for s in first)
    assert simulate(course, 5, seed=12, progress=False).profiles != sim_a.profiles


def test_written_answer_texts_match_the_sets():
    """Every answers/<set>.yml names real written parts, and its scores fit the part's points and order."""
    import json

    import yaml

    from designkit.classroom.simulate import ANSWERS_DIR, QUALITIES, written_answers

    course = Course.find(REPO)
    files = sorted(ANSWERS_DIR.glob("*.yml"))
    assert files, "no written answers for the simulated class"
    for path in files:
        name = path.stem
        assert name in course.assignment_names(), f"{path.name}: no source/{name}/"
        nb = json.loads((course.source / name / f"{name}.ipynb").read_text(encoding="utf-8"))
        points = {c["metadata"]["nbgrader"]["grade_id"]: float(c["metadata"]["nbgrader"]["points"])
                  for c in nb["cells"] if c["cell_type"] == "markdown"
                  and c["metadata"].get("nbgrader", {}).get("grade") and c["metadata"]["nbgrader"].get("solution")}
        # A written answer cell carries 0 points; its part's points are the sum of its rubric rows (task cells
        # `qK-rN-...`, source/README.md).
        rows = {c["metadata"]["nbgrader"]["grade_id"]: float(c["metadata"]["nbgrader"]["points"])
                for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("task")}
        points = {gid: p or sum(v for r, v in rows.items() if r.startswith(gid.split("-")[0] + "-r"))
                  for gid, p in points.items()}
        given = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(given) == set(points), f"{path.name}: parts {sorted(given)} != written parts {sorted(points)}"
        answers = written_answers(course, name)
        for gid, qualities in answers.items():
            assert set(qualities) == set(QUALITIES)
            scores = [qualities[q]["score"] for q in QUALITIES]
            assert scores[0] == points[gid] and scores == sorted(scores, reverse=True), (path.name, gid, scores)
            assert all(s * 2 == int(s * 2) for s in scores), "rubric scores are whole or half marks"
            texts = [qualities[q]["text"] for q in QUALITIES]
            assert len(set(texts)) == 3 and all(len(t) > 40 for t in texts)
            assert "BEGIN SOLUTION" not in texts[0] and "for graders" not in texts[0]


def test_assignments_are_generated_deterministically(graded_class, tmp_path):
    course, _, out = graded_class
    assert out["release"] == course.root / "exchange" / "design-for-children"
    released = (course.release / PS0 / f"{PS0}.ipynb").read_bytes()
    cli(course, "assignments", PS0)
    assert (course.release / PS0 / f"{PS0}.ipynb").read_bytes() == released
    # the exchange exists inside the course folder, with the release in it
    assert (course.root / "exchange" / "design-for-children" / "outbound" / PS0 / f"{PS0}.ipynb").exists()


def test_every_submission_has_a_final_status(graded_class):
    from designkit.classroom.status import StatusTable

    course, sim, out = graded_class
    assert out["collect"].recorded == sum(p.kind != "missing" for p in sim.profiles.values())
    table = StatusTable(course.status_file)
    for student in sim.students:
        row = table.get(student, PS0)
        assert row is not None, student
        kind = sim.profiles[(student, PS0)].kind
        if kind == "missing":
            assert row.state == "missing"
        else:
            assert row.state == "graded", (student, row)
            assert row.late == (kind == "late")
    assert "status table" in out["grade"].stdout and "gradebook backup" in out["grade"].stdout


def test_grades_csv_content(graded_class):
    from designkit.classroom.simulate import written_answers

    course, sim, out = graded_class
    assert out["export"] == course.grades_csv
    with course.grades_csv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["student_id", PS0, "total", "max_total", "percent", "notes"]
    assert [r["student_id"] for r in rows] == sim.students
    grades = grade_table(course)
    answers = written_answers(course, PS0)
    autograded_points = 8.0  # four autograded parts of 2 points
    for r in rows:
        student, prof = r["student_id"], sim.profiles[(r["student_id"], PS0)]
        assert r["max_total"] == "10"
        if r[PS0] == "awaiting manual grading":   # rubric rows nobody has scored yet: never a low total
            assert r["total"] == r["percent"] == "awaiting manual grading", r
            assert any(m is None and p.startswith("q5-r") for (s, _, p), (a, m) in grades.items() if s == student)
            continue
        parts = {p: (m if m is not None else a) or 0.0 for (s, _, p), (a, m) in grades.items() if s == student}
        assert float(r[PS0]) == pytest.approx(sum(parts.values()))
        assert float(r["percent"]) == pytest.approx(10 * float(r["total"]), abs=0.05)
        if prof.kind == "missing":
            assert r[PS0] == "0" and f"{PS0}: missing" in r["notes"]
        elif prof.kind == "blank":
            assert r[PS0] == "0" and r["notes"] == ""  # a real zero: no note
        elif prof.kind == "full":
            written = answers["q5-written"][prof.written]["score"]
            assert float(r[PS0]) == autograded_points + written
        if prof.kind == "late":
            assert f"{PS0}: late" in r["notes"]


def test_simulated_grader_enters_rubric_scores(graded_class):
    """Each rubric row of ps0's written part gets its own score; the rows add up to the score the simulated
    answer was written for; about one submission in ten is left for a person (awaiting manual grading)."""
    from designkit.classroom.simulate import written_answers

    course, sim, out = graded_class
    answers = written_answers(course, PS0)
    grades = grade_table(course)
    answered = [s for s in sim.students if sim.profiles[(s, PS0)].kind not in ("missing", "blank")]
    left = {entry.split("/")[0] for entry in out["manual"].submissions_left if entry.endswith("/" + PS0)}
    assert out["manual"].scored > 0 and len(left) <= max(1, round(0.1 * len(answered)))
    rows = sorted({name for (_, a, name) in grades if a == PS0 and name.startswith("q5-r")})
    assert rows, "ps0's written part has no rubric rows in the gradebook"
    for student in answered:
        scores = [grades[(student, PS0, r)][1] for r in rows]
        if student in left:
            assert all(x is None for x in scores), (student, scores)   # awaiting a person
            continue
        quality = sim.profiles[(student, PS0)].written
        assert all(x is not None for x in scores), (student, scores)
        assert sum(scores) == answers["q5-written"][quality]["score"], (student, quality, scores)


def test_feedback_files(graded_class):
    course, sim, out = graded_class
    graded = [s for s in sim.students if sim.profiles[(s, PS0)].kind != "missing"]
    for student in graded:
        page = course.feedback / student / PS0 / f"{PS0}.html"
        assert page.exists(), page
    text = (course.feedback / graded[0] / PS0 / f"{PS0}.html").read_text(encoding="utf-8")
    assert "q1-highest-rate" in text or "Part 1" in text
    assert "BEGIN HIDDEN TESTS" not in text
    assert out["feedback"].generated == len(graded) and not out["feedback"].problems
    assert out["feedback"].not_via_exchange == len(graded)  # simulated: no submission_secret.txt


def test_report_content(graded_class):
    course, sim, out = graded_class
    report = course.reports / "report.html"
    assert str(report) in out["report"].stdout
    text = report.read_text(encoding="utf-8")
    for figure in ("scores.png", "pass_rates.png", "items.png", "totals.png"):
        png = course.reports / "figures" / figure
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="figures/{figure}"' in text
    assert text.count('alt="') >= 4
    for part in ("q1-highest-rate", "q2-median-rate", "q3-malawi-reduction", "q4-at-target", "q5-r1-"):
        assert part in text
    assert "Item analysis" in text and "discrimination" in text and "Students at risk" in text
    late = [s for s in sim.students if sim.profiles[(s, PS0)].kind == "late"]
    for student in late:
        assert student in text
    if late:
        assert "late: " in text
    missing = [s for s in sim.students if sim.profiles[(s, PS0)].kind in ("missing", "blank")]
    for student in missing:  # 0 points: at risk
        assert f"<td>{student}</td>" in text.split("Students at risk")[1]


def test_regrading_gives_identical_grades_serial_and_parallel(graded_class):
    from designkit.classroom.grading import grade
    from designkit.classroom.status import StatusTable

    course, sim, _ = graded_class
    before = grade_table(course)
    states = {r.key: (r.state, r.flags) for r in StatusTable(course.status_file)}
    # serial (one worker), forced: every submission graded again
    summary = grade(course, jobs=1, use_sandbox=False, force=True, progress=False)
    assert summary.graded == sum(1 for p in sim.profiles.values() if p.kind != "missing")
    after_serial = grade_table(course)
    assert after_serial == before
    # not forced: nothing to do, nothing changes
    again = grade(course, jobs=2, use_sandbox=False, force=False, progress=False)
    assert again.graded == 0 and again.skipped == summary.graded
    assert grade_table(course) == before
    assert {r.key: (r.state, r.flags) for r in StatusTable(course.status_file)} == states
    # gradebook backed up before each run, only the last few kept, each a readable SQLite database
    backups = sorted(course.backups.glob("gradebook-*.db"))
    assert 2 <= len(backups) <= 5
    con = sqlite3.connect(backups[-1])
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_backups_keep_only_the_last_few(tmp_path):
    course = make_course(tmp_path / "c")
    sqlite3.connect(course.gradebook).close()
    made = [course.backup_gradebook(keep=3) for _ in range(5)]
    kept = sorted(course.backups.glob("gradebook-*.db"))
    assert kept == sorted(made[-3:])


def test_stock_nbgrader_commands_work_on_the_course(graded_class):
    course, sim, _ = graded_class
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("DESIGNKIT_EXCHANGE", None)
    listed = subprocess.run([f"{BIN}/nbgrader", "list"], cwd=course.root, capture_output=True, text=True,
                            env=env, timeout=120)
    assert listed.returncode == 0 and PS0 in listed.stdout + listed.stderr
    out = course.root / "nbgrader-grades.csv"
    exported = subprocess.run([f"{BIN}/nbgrader", "export", "--to", str(out)], cwd=course.root,
                              capture_output=True, text=True, env=env, timeout=120)
    assert exported.returncode == 0, exported.stderr
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # Where rubric rows await a person, grades.csv says so instead of a number; nbgrader's export shows the
    # partial score: compare the scored submissions.
    ours = {r["student_id"]: float(r[PS0]) for r in csv.DictReader(course.grades_csv.open(encoding="utf-8"))
            if r[PS0] != "awaiting manual grading"}
    theirs = {r["student_id"]: float(r["score"]) for r in rows if r["assignment"] == PS0}
    assert ours and {s: theirs[s] for s in ours} == ours
    assert set(theirs) == set(sim.students)


def test_sandbox_flag_handling(monkeypatch):
    from designkit.classroom import grading

    use, message = grading.sandbox_decision(no_sandbox=True)
    assert use is False and "WITHOUT the sandbox" in message
    if grading._sandbox is None:
        pytest.skip("designkit.classroom.sandbox not in this checkout")
    monkeypatch.setattr(grading._sandbox, "bwrap_available", lambda: False)
    with pytest.raises(grading.SandboxRefused) as err:
        grading.sandbox_decision(no_sandbox=False)
    assert "bubblewrap" in str(err.value) and "--no-sandbox" in str(err.value)


def test_sandboxed_grading_gives_the_same_grades(graded_class, tmp_path):
    from designkit.classroom import grading

    if grading._sandbox is None or not grading._sandbox.bwrap_available():
        pytest.skip("no bubblewrap sandbox here")
    course, sim, _ = graded_class
    student = next(s for s in sim.students if sim.profiles[(s, PS0)].kind in ("full", "mistakes"))
    copy = make_course(tmp_path / "c")
    shutil.copytree(course.submitted / student, copy.submitted / student)
    summary = grading.grade(copy, jobs=1, use_sandbox=True, progress=False)
    assert summary.graded == 1
    # Autograded parts only: the rubric rows and the written answer are scored by a person (or not yet).
    ours = {k: v for k, v in grade_table(course).items() if k[0] == student and not k[2].startswith("q5-")}
    theirs = {k: v for k, v in grade_table(copy).items() if k[0] == student and not k[2].startswith("q5-")}
    assert theirs == ours


@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")  # nbgrader typo "authentictor"
def test_exchange_round_trip_release_submit_collect_feedback(tmp_path):
    """A real student (this OS user) fetches and submits through the exchange with stock nbgrader; the
    pipeline collects, grades, and releases feedback that the student fetches back."""
    from designkit.classroom.assignments import release
    from designkit.classroom.collect import collect
    from designkit.classroom.feedback import feedback
    from designkit.classroom.grading import grade

    course = make_course(tmp_path / "course")
    exchange = release(course, [PS0], progress=False).parent
    assert (exchange.stat().st_mode & 0o777) == 0o777
    home = tmp_path / "student"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("DESIGNKIT_EXCHANGE", None)
    common = ["--course", "design-for-children", f"--Exchange.root={exchange}"]

    def student(*args: str) -> None:
        done = subprocess.run([f"{BIN}/nbgrader", *args, *common], cwd=home, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    student("fetch_assignment", PS0)
    assert (home / PS0 / f"{PS0}.ipynb").exists()
    student("submit", PS0)
    summary = collect(course)
    assert summary.collected == [PS0]
    import pwd

    me = pwd.getpwuid(os.getuid()).pw_name
    assert (course.submitted / me / PS0 / "timestamp.txt").exists()
    result = grade(course, jobs=1, use_sandbox=False, progress=False)
    assert result.graded == 1 and result.rows[0].score == 0.0  # the untouched student version: a real zero
    fb = feedback(course, jobs=1, progress=False)
    assert fb.released == [f"{me}/{PS0}"] and not fb.problems
    student("fetch_feedback", PS0)
    assert list((home / PS0 / "feedback").glob(f"*/{PS0}.html"))
