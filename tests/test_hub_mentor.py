"""Capstone mentors on a real JupyterHub: a mentor grades M2 in the mentor course's own grading service and
cannot reach the main course's service (other assignments, students' marks), over HTTP.

Reuses tests/test_hub.py's hub fixture and helpers by import; the mentor course (``capstone init``) is built
before the hub starts, and the DFC_MENTOR_* variables switch on deploy/jupyterhub_config.py's mentor block.
Needs root (OS users); skips elsewhere unless CI=true.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from test_hub import (  # noqa: F401  (requirements and hub are fixtures)
    COURSE,
    ROOT,
    _api,
    _chown_tree,
    _ensure_user,
    _ok,
    _user_token,
    _wait,
    hub,
    requirements,
)

M2 = "capstone-m2-mentor-review"
MENTOR, MENTOR_GRADER, TEAM_MEMBER = "dfc-mentor", "dfc-mentor-grader", "dfc-team-member"
MENTOR_COURSE = f"{COURSE}-mentors"

pytestmark = [pytest.mark.hub,
              pytest.mark.skipif(not (ROOT / "source" / M2).is_dir(), reason=f"source/{M2} not in this checkout")]


@pytest.fixture(scope="module")
def mentor_course(requirements):  # noqa: F811
    """The main course (a copy) and its mentor course with one team's M2 submission, owned by the mentor
    service's account; the DFC_MENTOR_* variables set for the hub fixture."""
    from designkit.classroom import capstone
    from designkit.classroom.assignments import generate
    from designkit.classroom.course import Course

    work = Path(tempfile.mkdtemp(prefix="dfc-mentor-"))
    work.chmod(0o755)
    main = work / "main"
    (main / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", main)
    shutil.copy(ROOT / "source" / "header.ipynb", main / "source")
    shutil.copytree(ROOT / "source" / M2, main / "source" / M2)
    mentors = capstone.init_mentor_course(Course.find(main), work / "mentors")
    generate(mentors, [M2], progress=False)
    folder = mentors.submitted / TEAM_MEMBER / M2
    folder.mkdir(parents=True)
    shutil.copy(mentors.release / M2 / f"{M2}.ipynb", folder)
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
    _ensure_user(MENTOR)
    _chown_tree(mentors.root, _ensure_user(MENTOR_GRADER))
    saved = {k: os.environ.get(k) for k in ("DFC_MENTOR_COURSE_DIR", "DFC_MENTORS", "DFC_MENTOR_GRADER_USER",
                                            "DFC_MENTOR_SERVICE_PORT")}
    from test_hub import _free_port

    os.environ.update({"DFC_MENTOR_COURSE_DIR": str(mentors.root), "DFC_MENTORS": MENTOR,
                       "DFC_MENTOR_GRADER_USER": MENTOR_GRADER, "DFC_MENTOR_SERVICE_PORT": str(_free_port())})
    try:
        yield mentors
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(work, ignore_errors=True)


def test_mentor_grades_m2_and_sees_nothing_else(mentor_course, hub):  # noqa: F811
    base, token, paths = hub
    admin = _api(base, token)
    mentor = _api(base, _user_token(admin, base, MENTOR))

    # the hub shows the mentor the mentor course's service only
    services = _ok(mentor.get(f"{base}/hub/api/services"))
    assert MENTOR_COURSE in services
    print("services the mentor can list:", sorted(services))
    # the main course's grading service refuses the mentor (no access scope): no other set, no marks
    main = mentor.get(f"{base}/services/{COURSE}/formgrader/api/assignments", allow_redirects=False)
    assert main.status_code in (302, 403), main.status_code
    if main.status_code == 302:  # sent to log in / authorise: never the data
        assert "/hub/" in main.headers.get("Location", "")

    formgrader = f"{base}/services/{MENTOR_COURSE}/formgrader/api"
    _wait("the mentor grading service", lambda: mentor.get(f"{formgrader}/status").ok, timeout=120, log=paths["log"])
    assignments = [a["name"] for a in _ok(mentor.get(f"{formgrader}/assignments"))]
    assert assignments == [M2]
    assert _ok(mentor.post(f"{formgrader}/submission/{M2}/{TEAM_MEMBER}/autograde"))["success"]
    (nb,) = _ok(mentor.get(f"{formgrader}/submitted_notebooks/{M2}/{M2}"))
    grades = _ok(mentor.get(f"{formgrader}/grades", params={"submission_id": nb["id"]}))
    manual = [g for g in grades if g["max_score"] and g["auto_score"] is None]
    assert manual, "M2 has rubric rows a person scores"
    row = manual[0]
    scored = _ok(mentor.put(f"{formgrader}/grade/{row['id']}", json={"manual_score": row["max_score"]}))
    assert scored["manual_score"] == row["max_score"]

    from designkit.classroom.course import Course

    with Course.find(mentor_course.root).open_gradebook() as gb:  # stored in the mentor course's gradebook
        assert gb.find_grade_by_id(row["id"]).manual_score == row["max_score"]
