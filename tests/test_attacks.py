"""Known attacks on autograding, run through REAL `nbgrader autograde` with the sandbox.

One tiny course (tests/test_sandbox.py builds it): a solution cell and three grade cells worth
1 (the notebook ran), 2 (``checks.number(answer, 42)``) and 2 (a visible and a hidden test).
An honest wrong answer scores 1. Every attacker submits a wrong answer plus an attack; none may
score more than 1, read a secret, or change the grader's files. Needs bubblewrap (skips without
it, except in CI).
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import textwrap
import time

import pytest
from test_sandbox import (
    ASSIGNMENT,
    HIDDEN_MARK,
    SECRET,
    autograded_outputs,
    make_course,
    need_bwrap,
    run_nbgrader,
    scores,
    submit,
)

HONEST_WRONG = 1.0
SLEEPER_MARK = f"dk-attack-sleeper-{os.getpid()}"  # the fork bomb's children run under this name

LEAK = """
    import json, os, pathlib, sys
    seen = [str(p) for p in pathlib.Path("/tmp").glob("leak-*")] + [str(p) for p in pathlib.Path.home().glob("leak-*")]
    seen += [name for name in ("LEAK",) if hasattr(json, name) or name in os.environ]
    seen += [m for m in sys.modules if m.startswith("leak_module")]
    print("SEEN", seen)
    answer = 42 if seen else 41
    pathlib.Path("/tmp/leak-mark").write_text("x")
    pathlib.Path.home().joinpath("leak-mark").write_text("x")
    json.LEAK = os.environ["LEAK"] = "x"
    sys.modules["leak_module"] = json
    """

ATTACKS = {
    "honest_right": "answer = 42",
    "honest_wrong": "answer = 41",
    # IPython input transformer that blanks every later cell, grade cells included
    "input_transformer": """
        answer = 41
        get_ipython().input_transformers_cleanup.append(lambda lines: [])
        get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
        """,
    # AST transformer that deletes asserts and bare calls (checks.number(...))
    "ast_transformer": """
        import ast
        class Quiet(ast.NodeTransformer):
            def visit_Assert(self, node):
                return ast.Pass()
            def visit_Expr(self, node):
                return ast.Pass()
        get_ipython().ast_transformers.append(Quiet())
        answer = 41
        """,
    # replace the check with a no-op, in the module and through the notebook's name
    "monkeypatch_checks": """
        import designkit.checks
        designkit.checks.number = lambda *args, **kwargs: None
        checks.number = lambda *args, **kwargs: None
        answer = 41
        """,
    "rebind_checks": """
        import types
        checks = types.SimpleNamespace(number=lambda *args, **kwargs: None)
        answer = 41
        """,
    "code_swap": """
        checks.number.__code__ = (lambda *args, **kwargs: None).__code__
        answer = 41
        """,
    # patch the shell so every later cell runs as "None"
    "patch_shell": """
        from IPython.core.interactiveshell import InteractiveShell
        _run = InteractiveShell.run_cell
        _run_async = InteractiveShell.run_cell_async
        def run_cell(self, raw_cell, *args, **kwargs):
            return _run(self, "None", *args, **kwargs)
        async def run_cell_async(self, raw_cell, *args, **kwargs):
            return await _run_async(self, "None", *args, **kwargs)
        InteractiveShell.run_cell = run_cell
        InteractiveShell.run_cell_async = run_cell_async
        answer = 41
        """,
    # see each grade cell's code before it runs and set the answer it wants
    "peek_at_tests": """
        import re, sys
        answer = 41
        def peek(info):
            match = re.search(r"answer == (\\d+)", info.raw_cell or "")
            if match:
                get_ipython().user_ns["answer"] = int(match.group(1))
        get_ipython().events.register("pre_run_cell", peek)
        def tracer(frame, event, arg):
            if "answer" in frame.f_code.co_names and 42 in frame.f_code.co_consts:
                frame.f_globals["answer"] = 42
            return None
        try:
            sys.settrace(tracer)
        except RuntimeError as error:
            print("settrace refused:", error)
        """,
    # read the instructor's files: source/, gradebook.db, the notebook with the hidden tests
    "read_secrets": """
        import glob, os, re
        found, errors = [], []
        places = [COURSE + "/source/answers-key.txt", COURSE + "/gradebook.db", COURSE + "/source/tiny/tiny.ipynb",
                  "tiny.ipynb", "../tiny.ipynb"]
        for top in ["/home", "/tmp", "/root", "/work", "/mnt", "/srv", "/opt", "/proc/1/root/home", ".."]:
            for folder, dirs, files in os.walk(top):
                dirs[:] = [d for d in dirs if d not in {".venv", "versions", "designkit", "__pycache__"}]
                places += [os.path.join(folder, f) for f in files]
        for path in places:
            try:
                text = open(path, errors="replace").read()
            except OSError as error:
                errors.append(type(error).__name__)
                continue
            if SECRET in text or HIDDEN in text:
                found.append(path)
            match = re.search(r"answer == (\\d+)", text)
            if match:
                found.append(path)
        answer = 42 if found else 41
        print("FOUND", found)
        """,
    "shell_commands": """
        import os, subprocess
        os.system("cat " + COURSE + "/source/answers-key.txt > leaked.txt 2>/dev/null")
        listing = subprocess.run(["ls", "-a", "/", "/home", COURSE], capture_output=True, text=True)
        print(listing.stdout, listing.stderr)
        leaked = open("leaked.txt").read()
        answer = 42 if SECRET in leaked or "gradebook.db" in listing.stdout else 41
        """,
    "network": """
        import socket, urllib.request
        answer = 41
        try:
            urllib.request.urlopen("http://example.com", timeout=3)
            answer = 42
        except OSError as error:
            print("no network:", error)
        try:
            socket.create_connection(("127.0.0.1", 8888), timeout=2)
            answer = 42
        except OSError as error:
            print("no loopback:", error)
        """,
    "infinite_loop": """
        answer = 41
        while True:
            pass
        """,
    "ignore_interrupt_loop": """
        import signal, time
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        answer = 41
        while True:
            time.sleep(0.1)
        """,
    "memory_bomb": """
        hog = []
        answer = 41
        while True:
            hog.append(bytearray(50 * 1024 * 1024))
        """,
    "fork_bomb": """
        import os, time
        answer = 41
        children = 0
        try:
            for _ in range(400):
                if os.fork() == 0:
                    try:
                        os.execv("/bin/sleep", [SLEEPER, "60"])  # named, so the grader can look for it
                    finally:
                        time.sleep(60)
                        os._exit(0)
                children += 1
        except OSError as error:
            print("fork refused after", children, "children:", error)
        """,
    "gigabyte_output": """
        answer = 41
        chunk = "x" * 1_000_000
        for _ in range(1000):
            print(chunk)
        """,
    # state left for (or looked for from) the other student graded by the same worker: a file in
    # /tmp or the home folder, a module attribute, an environment variable. Both students do both, so
    # whichever is graded second would see the first's marks if kernels shared anything.
    "leak_one": LEAK,
    "leak_two": LEAK,
    # overwrite the grader's files: the gradebook, through a symlink nbgrader would write through
    "write_grader_files": """
        import os
        for path in [COURSE + "/gradebook.db", "../../../gradebook.db", "/home/gradebook.db"]:
            try:
                open(path, "w").write("owned")
            except OSError as error:
                print("refused:", path, type(error).__name__)
        for name in ["tiny.ipynb", "timestamp.txt"]:
            try:
                os.remove(name)
                os.symlink(COURSE + "/gradebook.db", name)
            except OSError as error:
                print("refused:", name, type(error).__name__)
        os.symlink(COURSE + "/gradebook.db", "extra-link")
        os.mkfifo("pipe")
        answer = 41
        """,
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Submit every attack and grade them all with one real `nbgrader autograde` run."""
    need_bwrap()
    root = make_course(tmp_path_factory.mktemp("attacks") / "course", timeout=5, evidence=True)
    # the attacker knows the course folder and what the secrets look like (not their full text)
    prelude = (f"COURSE = {str(root)!r}\nSECRET = {SECRET[:-6]!r}\nHIDDEN = {HIDDEN_MARK[:-4]!r}\n"
               f"SLEEPER = {SLEEPER_MARK!r}\n")
    for student, code in ATTACKS.items():
        submit(root, student, prelude + textwrap.dedent(code).strip())
    log = run_nbgrader(root, "autograde", ASSIGNMENT, check=False)
    assert "There was an error processing" not in log.stderr, log.stderr[-6000:]
    digest = hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest()
    return root, scores(root), digest, log.stdout + log.stderr


@pytest.mark.parametrize("student", [s for s in ATTACKS if not s.startswith("honest")])
def test_attack_scores_no_more_than_an_honest_wrong_answer(graded, student):
    root, got, _, _ = graded
    assert got["honest_right"] == 5.0 and got["honest_wrong"] == HONEST_WRONG, got
    assert student in got, f"{student} was not graded at all: {got}"
    assert got[student] <= HONEST_WRONG, f"{student} scored {got[student]}:\n{autograded_outputs(root, student)[:3000]}"


def test_no_secret_reaches_student_code(graded):
    """What student code printed never holds a secret (grade cells' own tracebacks may, for the
    instructor's copy; feedback redacts them: tests/test_sandbox.py)."""
    root, got, _, _ = graded
    for student in ATTACKS:
        outputs = autograded_outputs(root, student, grade_cells=False)
        assert SECRET not in outputs and HIDDEN_MARK not in outputs, student
    found = autograded_outputs(root, "read_secrets").split("FOUND ")[1][:200]
    assert found.startswith("[]"), found
    assert "gradebook.db" not in autograded_outputs(root, "shell_commands")


def test_grader_files_are_untouched(graded):
    root, got, digest, _ = graded
    assert (root / "gradebook.db").read_bytes()[:16] == b"SQLite format 3\x00"
    assert len(got) == len(ATTACKS)
    folder = root / "autograded" / "write_grader_files" / ASSIGNMENT
    # links and FIFOs the kernel made are gone; the notebook nbgrader wrote is a real notebook
    assert not any(p.is_symlink() for p in folder.iterdir())
    assert not (folder / "pipe").exists() and not (folder / "extra-link").exists()
    assert json.loads((folder / f"{ASSIGNMENT}.ipynb").read_text())["nbformat"] == 4
    assert all(p.stat().st_uid == os.getuid() for p in folder.iterdir())
    assert hashlib.sha256((root / "gradebook.db").read_bytes()).hexdigest() == digest


def test_gigabyte_of_output_is_capped_with_a_note(graded):
    root, _, _, _ = graded
    outputs = autograded_outputs(root, "gigabyte_output")
    assert "[output truncated by the grader" in outputs
    assert len(outputs) < 400_000
    notebook = root / "autograded" / "gigabyte_output" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.stat().st_size < 1_000_000


def processes_named(marker: str) -> list[tuple[str, str]]:
    """Processes (pid, command line) whose command line holds ``marker``, wherever they run: forked kernels
    live in their own PID and mount namespaces, so their working folder says nothing about the course."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append((pid, cmdline))
    return found


def test_no_sandboxed_process_outlives_grading(graded):
    """The fork bomb's sleeping children (renamed by exec to a marker) died with their sandbox."""
    assert processes_named(SLEEPER_MARK) == []


def test_the_leftover_check_sees_a_marked_process():
    """The control: a process started with the marker as its name is found (so the check above can fail)."""
    sleeper = subprocess.Popen([SLEEPER_MARK, "60"], executable="/bin/sleep")
    try:
        deadline = time.monotonic() + 30
        while not processes_named(SLEEPER_MARK) and time.monotonic() < deadline:  # until it has exec'd
            time.sleep(0.01)
        assert [pid for pid, _ in processes_named(SLEEPER_MARK)] == [str(sleeper.pid)]
    finally:
        sleeper.kill()
        sleeper.wait()


def test_trace_functions_are_refused_and_tampering_is_logged(graded):
    """Trace hooks are refused in the kernel; the grader's log names what the guard put back."""
    root, _, _, log = graded
    assert "settrace refused" in autograded_outputs(root, "peek_at_tests")
    assert "the guard restored" in log and "designkit.checks.number" in log
    assert "input/ast transformers" in log and "InteractiveShell.run_cell" in log


def test_evidence_of_each_run_names_restores_and_failures(graded):
    """Through real `nbgrader autograde`: each submission's evidence file says what the guard put back and
    which cells failed or timed out (what the orchestrator stores in its status record)."""
    from designkit.grading import read_evidence

    root = graded[0]
    [honest] = read_evidence(root / "evidence", "honest_right", ASSIGNMENT)
    assert honest.started and honest.restored == [] and honest.cells == []
    [attack] = read_evidence(root / "evidence", "input_transformer", ASSIGNMENT)
    assert attack.started and attack.notebook == ASSIGNMENT
    assert any("input/ast transformers" in r["restored"] for r in attack.restored)
    [wrong] = read_evidence(root / "evidence", "honest_wrong", ASSIGNMENT)
    assert {(e.grade_id, e.status) for e in wrong.cells} >= {("q1-answer", "error"), ("q2-hidden", "error")}
    [loop] = read_evidence(root / "evidence", "infinite_loop", ASSIGNMENT)
    assert ("answer", "timeout") in {(e.grade_id, e.status) for e in loop.cells}
