"""The grading flow's defences, on real nbgrader in temporary course copies (ps0 only, no sandbox needed):

- intake: links (to the instructor's source notebook, to /etc/passwd), hard links to files outside and
  special files never reach ``autograded/`` or ``feedback/``, also when they come through the exchange;
- the course lock: one grader at a time (a second is refused naming the holder, or queues), stale locks taken
  over, manual scores entered while grading runs survive;
- bad state files (status table, lock file) are one-line errors with the fix;
- a broken grading environment stops the batch and records no zeros; a worker that fails to start says so;
- the stored-bytes cap per student, with a note in the feedback and the status row.
"""
from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_classroom import PS0, cli, make_course

from designkit.classroom.course import Course
from designkit.classroom.status import FlagKind, State, StatusTable
from designkit.grading.intake import sanitize, sanitize_inbound, scan
from designkit.grading.lock import CourseLock, LockBusy

pytestmark = pytest.mark.skipif(not (Course.find().source / PS0).is_dir(), reason="no source/ps0-warm-up")
SECRET_MARKERS = ("### BEGIN SOLUTION", "root:x:0:0")  # the source notebook's solutions, /etc/passwd


def all_text(folder: Path) -> str:
    """Every regular file's bytes under ``folder``, as text (links are not followed)."""
    out = []
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            if stat.S_ISREG(os.lstat(path).st_mode):
                out.append(Path(path).read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


# --------------------------------------------------------------------------------------------------
# intake, without nbgrader
# --------------------------------------------------------------------------------------------------
def test_intake_drops_links_hard_links_and_special_files(tmp_path):
    outside = tmp_path / "instructor.ipynb"
    outside.write_text("### BEGIN SOLUTION")
    sub = tmp_path / "sub"
    (sub / "data").mkdir(parents=True)
    (sub / "answer.ipynb").write_text("{}")
    (sub / "data" / "mine.csv").write_text("a,b")
    os.link(sub / "data" / "mine.csv", sub / "data" / "same.csv")  # both names inside: kept
    os.symlink(outside, sub / "notes.txt")
    os.symlink("/etc", sub / "etc")  # a linked folder: never descended into
    os.link(outside, sub / "copy.ipynb")  # a hard link to a file outside
    os.mkfifo(sub / "data" / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sub / "sock"))
    if os.geteuid() == 0:
        os.mknod(sub / "null", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    try:
        dropped = {d.path: d for d in sanitize(sub)}
    finally:
        server.close()
    assert dropped["notes.txt"].kind == "symlink" and dropped["notes.txt"].target == str(outside)
    assert dropped["etc"].kind == "symlink"
    assert dropped["copy.ipynb"].kind == "hardlink"
    assert dropped["data/pipe"].kind == "fifo" and dropped["sock"].kind == "socket"
    if os.geteuid() == 0:
        assert dropped["null"].kind == "device"
    left = sorted(str(p.relative_to(sub)) for p in sub.rglob("*"))
    assert left == ["answer.ipynb", "data", "data/mine.csv", "data/same.csv"]
    assert outside.read_text() == "### BEGIN SOLUTION"  # targets are never touched
    assert scan(sub) == []


def test_intake_on_an_exchange_inbound(tmp_path):
    inbound = tmp_path / "inbound"
    entry = inbound / f"s1+{PS0}+2026-11-30 05:00:00.000000 UTC+abcdef"
    entry.mkdir(parents=True)
    (entry / f"{PS0}.ipynb").write_text("{}")
    os.symlink("/etc/passwd", entry / "passwd.txt")
    os.symlink("/etc", inbound / f"s2+{PS0}+2026-11-30 05:00:00.000000 UTC+123456")  # the entry itself
    out = sanitize_inbound(inbound, PS0)
    assert [d.describe() for d in out[("s1", PS0)]] == ["'passwd.txt': a symbolic link (to /etc/passwd)"]
    assert out[("s2", PS0)][0].path == "."
    assert sorted(p.name for p in inbound.iterdir()) == [entry.name]
    assert Path("/etc/passwd").exists()


# --------------------------------------------------------------------------------------------------
# one graded class: links, a 40 MB attachment, the report
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def leaky_class(tmp_path_factory):
    from designkit.classroom.feedback import feedback
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path_factory.mktemp("leaky"))
    simulate(course, 3, seed=5, progress=False)
    s1, s2, _ = course.students_submitted()
    source_nb = course.source / PS0 / f"{PS0}.ipynb"
    os.symlink(source_nb, course.submitted / s1 / PS0 / "notes.txt")
    os.symlink("/etc/passwd", course.submitted / s1 / PS0 / "passwd.txt")
    with open(course.submitted / s2 / PS0 / "attachment.bin", "wb") as fh:
        fh.write(os.urandom(1 << 20) * 40)  # 40 MB
    graded = cli(course, "grade", "--no-sandbox", "--jobs", "2")
    fb = feedback(course, jobs=2, progress=False)
    report = cli(course, "report")
    return course, (s1, s2), graded, fb, report


@pytest.mark.slow
def test_links_never_reach_autograded_or_feedback(leaky_class):
    course, (s1, _), graded, _, _ = leaky_class
    assert (course.autograded / s1 / PS0 / f"{PS0}.ipynb").exists()
    for folder in (course.submitted / s1, course.autograded / s1, course.feedback / s1):
        assert not any(p.is_symlink() for p in folder.rglob("*"))
        text = all_text(folder)
        assert not any(marker in text for marker in SECRET_MARKERS), folder
    assert "BEGIN HIDDEN TESTS" not in all_text(course.feedback / s1)  # autograded/ has them: nbgrader's own
    row = StatusTable(course.status_file).get(s1, PS0)
    assert row.state == State.GRADED and FlagKind.DROPPED in row.kinds()
    assert any("notes.txt" in d and str(course.source) in d for d in row.dropped)
    assert any("passwd.txt" in d and "/etc/passwd" in d for d in row.dropped)
    assert "notes.txt" in graded.stdout and "passwd.txt" in graded.stdout


@pytest.mark.slow
def test_report_names_what_was_dropped(leaky_class):
    course, (s1, _), *_ = leaky_class
    html = (course.reports / "report.html").read_text(encoding="utf-8")
    assert "notes.txt" in html and "passwd.txt" in html and s1 in html


@pytest.mark.slow
def test_stored_bytes_cap_leaves_the_attachment_out_with_a_note(leaky_class):
    course, (_, s2), *_ = leaky_class
    from designkit.classroom.grading import DEFAULT_MAX_STORED

    stored = sum(p.stat().st_size for base in (course.autograded / s2, course.feedback / s2)
                 for p in base.rglob("*") if p.is_file())
    assert stored < DEFAULT_MAX_STORED
    row = StatusTable(course.status_file).get(s2, PS0)
    assert row.state == State.GRADED and row.left_out == ["'attachment.bin' (40.0 MB)"]
    assert FlagKind.LEFT_OUT in row.kinds()
    page = (course.feedback / s2 / PS0 / f"{PS0}.html").read_text(encoding="utf-8")
    assert "attachment.bin" in page and "Left out" in page


@pytest.mark.slow
def test_every_run_keeps_its_log(leaky_class):
    course, *_ = leaky_class
    for row in StatusTable(course.status_file):
        assert row.state == State.GRADED and "[INFO]" in row.log


# --------------------------------------------------------------------------------------------------
# the lock
# --------------------------------------------------------------------------------------------------
def test_lock_refuses_a_second_grader_naming_the_holder(tmp_path):
    url = f"sqlite:///{tmp_path}/gradebook.db"
    with CourseLock(tmp_path, url, course_id="c", command="grade"):
        with pytest.raises(LockBusy) as busy:
            CourseLock(tmp_path, url, course_id="c").acquire()
        text = str(busy.value)
        assert f"pid {os.getpid()}" in text and socket.gethostname() in text and "since" in text
        assert "--wait" in text
    CourseLock(tmp_path, url, course_id="c").acquire().release()  # free again


def test_lock_queues_until_the_holder_releases(tmp_path):
    url = f"sqlite:///{tmp_path}/gradebook.db"
    first = CourseLock(tmp_path, url, course_id="c", heartbeat=0.2).acquire()
    waiting = threading.Event()
    got: list[bool] = []

    def _second() -> None:
        waiting.set()
        with CourseLock(tmp_path, url, course_id="c", wait=120, heartbeat=0.2):
            got.append(True)

    thread = threading.Thread(target=_second)
    thread.start()
    waiting.wait()
    assert not got
    first.release()
    thread.join(120)
    assert got == [True]


def test_a_lock_whose_holder_stopped_beating_is_taken_over(tmp_path):
    url = f"sqlite:///{tmp_path}/gradebook.db"
    stale = {"host": "another-host", "pid": 1, "since": 1000.0, "beat": 1000.0, "token": "old", "command": "grade"}
    (tmp_path / ".grading.lock").write_text(json.dumps(stale))
    with CourseLock(tmp_path, url, course_id="c", stale_after=60) as lock:
        assert lock.holder().pid == os.getpid()
    # the same host and a process that is gone: taken over at once
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = dict(stale, host=socket.gethostname(), pid=int(dead.stdout), beat=9e12)
    (tmp_path / ".grading.lock").write_text(json.dumps(gone))
    with CourseLock(tmp_path, url, course_id="c") as lock:
        assert lock.holder().pid == os.getpid()


def test_a_holder_that_lost_its_lock_is_told(tmp_path):
    from designkit.grading.lock import LockLost

    url = f"sqlite:///{tmp_path}/gradebook.db"
    lock = CourseLock(tmp_path, url, course_id="c", heartbeat=0.05).acquire()
    taken = {"host": "h", "pid": 1, "since": 1.0, "beat": 9e12, "token": "someone-else"}
    (tmp_path / ".grading.lock").write_text(json.dumps(taken))
    lock._impl._thread.join(60)  # its next beat sees the other token and stops
    with pytest.raises(LockLost):
        lock.check()
    lock.release()
    assert json.loads((tmp_path / ".grading.lock").read_text())["token"] == "someone-else"


@pytest.fixture(scope="module")
def small_course(tmp_path_factory):
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path_factory.mktemp("small"))
    simulate(course, 2, seed=2, progress=False)
    return course


@pytest.mark.slow
def test_bad_state_files_are_one_line_errors_with_the_fix(small_course):
    course = small_course
    lock_file = course.root / ".grading.lock"
    lock_file.write_text("{half a lock")
    done = cli(course, "grade", "--no-sandbox", check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = [ln for ln in done.stderr.splitlines() if not ln.startswith("WARNING: grading WITHOUT")]
    assert len(errors) == 1 and errors[0].startswith("error: ") and "corrupt" in errors[0] and "rm '" in errors[0]
    lock_file.unlink()
    course.status_file.write_text('{"rows": {"a/b": {"student": 1')
    for command in ("grade", "export", "report"):
        done = cli(course, command, *(["--no-sandbox"] if command == "grade" else []), check=False)
        assert done.returncode == 2 and "Traceback" not in done.stderr, (command, done.stderr)
        errors = [ln for ln in done.stderr.splitlines() if not ln.startswith("WARNING: grading WITHOUT")]
        assert len(errors) == 1 and "grading-status.json" in errors[0] and "--force" in errors[0]
    course.status_file.unlink()


@pytest.mark.slow
def test_a_second_grade_run_is_refused_naming_the_holder(small_course):
    course = small_course
    with course.lock(command="grade"):
        done = cli(course, "grade", "--no-sandbox", check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"pid {os.getpid()}" in done.stderr and "is grading this course" in done.stderr
    assert not course.autograded.exists()


@pytest.mark.slow
def test_manual_scores_entered_while_grading_runs_survive(tmp_path):
    from designkit.classroom.grading import grade
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path / "c")
    simulate(course, 3, seed=4, progress=False)
    first = course.students_submitted()[0]
    entered: list[str] = []

    def _grader_types_a_score(row) -> None:  # what the Formgrader does, between two submissions' grading
        if entered:
            return
        with course.open_gradebook() as gb:
            g = gb.find_grade("q5-written", PS0, PS0, row.student)
            g.manual_score = 1.5
            gb.db.commit()
        entered.append(row.student)

    summary = grade(course, jobs=1, use_sandbox=False, on_row=_grader_types_a_score)
    assert summary.graded == 3 and entered == [first]
    summary = grade(course, jobs=1, use_sandbox=False, force=True)  # a regrade keeps it too
    with course.open_gradebook() as gb:
        assert gb.find_grade("q5-written", PS0, PS0, first).manual_score == 1.5


# --------------------------------------------------------------------------------------------------
# a broken environment: stop, record nothing
# --------------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_batch_of_environment_failures_stops_and_records_no_zeros(tmp_path):
    from designkit.classroom.grading import GradingStopped, grade
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path / "c")
    path = course.source / PS0 / f"{PS0}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    setup = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "ps0-setup")
    setup["source"] = "import dk_course_dependency_not_installed\n" + "".join(setup["source"])
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    simulate(course, 5, seed=1, progress=False)
    with pytest.raises(GradingStopped) as stopped:
        grade(course, jobs=1, use_sandbox=False, canary=False, stop_after=3)
    assert "dk_course_dependency_not_installed" in str(stopped.value) and "3 submissions in a row" in str(stopped.value)
    rows = list(StatusTable(course.status_file))
    failed = [r for r in rows if r.state == State.FAILED]
    assert len(failed) >= 3 and all(r.state in (State.FAILED, State.SUBMITTED, State.MISSING) or
                                    r.state == State.FAILED for r in rows)
    with course.open_gradebook() as gb:  # no zero reached the gradebook
        scores = [g.auto_score for a in gb.assignments for s in a.submissions for n in s.notebooks for g in n.grades]
    assert all(score is None for score in scores), scores
    assert not any((course.autograded / r.student / PS0).exists() for r in failed)


@pytest.mark.slow
def test_a_worker_that_fails_to_start_is_reported_as_such(tmp_path):
    from designkit.classroom.grading import WorkerStartFailed, grade
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path / "c")
    simulate(course, 2, seed=1, progress=False)
    with (course.root / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
        fh.write("\nimport multiprocessing\nif multiprocessing.current_process().name != 'MainProcess':\n"
                 "    raise RuntimeError('this config breaks grading workers')\n")
    with pytest.raises(WorkerStartFailed) as failed:
        grade(course, jobs=2, use_sandbox=False, canary=False)
    assert "failed to start" in str(failed.value) and "this config breaks grading workers" in str(failed.value)
    assert not any(r.state == State.NOT_GRADED for r in StatusTable(course.status_file))


@pytest.mark.slow
def test_collect_never_follows_links_planted_in_the_exchange(tmp_path):
    """A student submits with stock nbgrader, then plants links in their inbound folder (it is theirs, in a
    world-writable exchange): nbgrader collect would copy the targets; intake removes the links first."""
    import pwd

    from test_classroom import BIN

    from designkit.classroom.assignments import release
    from designkit.classroom.collect import collect

    course = make_course(tmp_path / "course")
    exchange = release(course, [PS0], progress=False).parent
    home = tmp_path / "student"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    env.pop("DESIGNKIT_EXCHANGE", None)
    for step in ("fetch_assignment", "submit"):
        subprocess.run([f"{BIN}/nbgrader", step, PS0, "--course", "design-for-children",
                        f"--Exchange.root={exchange}"], cwd=home, env=env, capture_output=True, check=True, timeout=300)
    (entry,) = (exchange / "design-for-children" / "inbound").glob(f"*+{PS0}+*")
    os.symlink(course.source / PS0 / f"{PS0}.ipynb", entry / "notes.txt")
    os.symlink("/etc/passwd", entry / "passwd.txt")
    summary = collect(course)
    me = pwd.getpwuid(os.getuid()).pw_name
    folder = course.submitted / me / PS0
    assert summary.collected == [PS0] and (folder / f"{PS0}.ipynb").exists()
    assert not (folder / "notes.txt").exists() and not (folder / "passwd.txt").exists()
    assert not any(marker in all_text(folder) for marker in SECRET_MARKERS)
    assert any("notes.txt" in line and "never followed" in line for line in summary.lines())
    row = StatusTable(course.status_file).get(me, PS0)
    assert row.state == State.SUBMITTED and any("/etc/passwd" in d for d in row.dropped)


def test_demo_runs_without_bubblewrap_but_grade_refuses(tmp_path):
    """On a machine without bubblewrap (hidden here by a bind mount in a private mount namespace) the demo
    says how to install it and grades its own simulated class unsandboxed; ``grade`` still refuses."""
    import shutil

    bwrap = shutil.which("bwrap")
    if bwrap is None or shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs bubblewrap installed, unshare and root to hide it")
    code = ("from designkit.classroom.demo import demo_sandbox; print(demo_sandbox(False))")
    script = (f"mount --bind /dev/null {bwrap} && {sys.executable} -c '{code}' && "
              f"{sys.executable} -m designkit.classroom --course-dir {Course.find().root} grade ps0-warm-up")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=120)
    first = done.stdout.splitlines()[0]
    assert first.startswith("(False, 'notice: bubblewrap is not installed") and "apt-get install bubblewrap" in first
    assert done.returncode == 2 and "bubblewrap" in done.stderr and "--no-sandbox" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_written_parts_awaiting_a_person_are_never_a_low_total(leaky_class):
    """Nobody has scored the written part yet: grades.csv and the report say "awaiting manual grading" for the
    set and the total; once a person scores it (as the Formgrader does), the total includes it."""
    import csv

    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.report import write_report
    from designkit.classroom.results import AWAITING, read_results

    course, *_ = leaky_class
    student = course.students_submitted()[2]
    results = read_results(course)
    sub = results.sub(student, PS0)
    assert sub.state == State.GRADED and sub.awaiting_manual and results.total(student) is None

    def _csv_row() -> dict:
        with write_grades_csv(course).open(encoding="utf-8") as fh:
            return next(r for r in csv.DictReader(fh) if r["student_id"] == student)

    row = _csv_row()
    assert row[PS0] == AWAITING and row["total"] == AWAITING and row["percent"] == AWAITING
    assert f"{PS0}: {AWAITING}" in row["notes"]
    html = write_report(course).read_text(encoding="utf-8")
    assert AWAITING in html.split("Flagged submissions")[1]
    scored = 0.0
    with course.open_gradebook() as gb:  # what the Formgrader's grade handler does, for each rubric row
        for notebook in gb.find_submission(PS0, student).notebooks:
            for grade in notebook.grades:
                if grade.needs_manual_grade:
                    grade.manual_score = grade.max_score
                    grade.needs_manual_grade = False
                    scored += grade.max_score
        gb.db.commit()
    assert scored > 0, "ps0's written part has rubric rows to score"
    row = _csv_row()
    assert row[PS0] == row["total"] == f"{sub.score + scored:g}" and AWAITING not in row["notes"]


@pytest.mark.slow
def test_grade_stops_before_touching_a_submission_when_the_canary_fails(tmp_path):
    """The kernel cannot import what the notebooks need: one line with the reason and the fix, exit status 3,
    nothing graded (stock nbgrader would record every student as 0 and exit 0)."""
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path / "c")
    path = course.source / PS0 / f"{PS0}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    setup = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "ps0-setup")
    setup["source"] = "import dk_course_dependency_not_installed\n" + "".join(setup["source"])
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    simulate(course, 2, seed=1, progress=False)
    done = cli(course, "grade", "--no-sandbox", check=False)
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("error:")]
    assert done.returncode == 3 and "Traceback" not in done.stderr, done.stderr
    assert len(errors) == 1 and "dk_course_dependency_not_installed" in errors[0] and "nothing was graded" in errors[0]
    assert not course.autograded.exists()
    with course.open_gradebook() as gb:
        assert not [s for a in gb.assignments for s in a.submissions]


@pytest.mark.slow
def test_what_the_guard_restored_is_kept_with_the_submission(tmp_path):
    """A student patches a builtin in an answer cell; the guard puts it back before the grade cells, and
    that evidence reaches the status record and the report's flagged list (not only nbgrader's log)."""
    from designkit.classroom.grading import grade
    from designkit.classroom.report import write_report
    from designkit.classroom.simulate import simulate

    course = make_course(tmp_path / "c")
    simulate(course, 2, seed=3, progress=False)
    student = course.students_submitted()[0]
    path = course.submitted / student / PS0 / f"{PS0}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    answer = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q1-answer")
    answer["source"] = "".join(answer["source"]) + "\nimport builtins\nbuiltins.abs = lambda x: 0\n"
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    grade(course, jobs=1, use_sandbox=False, canary=False)
    row = StatusTable(course.status_file).get(student, PS0)
    assert row.state == State.GRADED and FlagKind.GUARD in row.kinds(), row
    assert any("abs" in r for r in row.guard_restored), row.guard_restored
    flagged = write_report(course).read_text(encoding="utf-8").split("Flagged submissions")[1]
    assert "The guard restored" in flagged and student in flagged
