"""The kit on a real JupyterHub (deploy/jupyterhub_config.py), with real OS users, on loopback.

The hub (PyPI jupyterhub, configurable-http-proxy from npm) spawns each user's JupyterLab server as that user
(LocalProcessSpawner) and runs the course's grading service as the grader account. Through the hub's REST API and
the servers' own HTTP APIs (nbgrader's Formgrader and Assignments handlers, Jupyter's contents API) the instructor
generates and releases ps0, the student fetches it, answers it and submits it, and the instructor collects and
autogrades it. nbgrader's JupyterHub auth plugin (deploy/shared/nbgrader_config.py) answers from the hub's groups:
the instructor's course list links to the grading service, the student's course list holds the course, and the
student cannot use the grading service. Formgrader's own pages are read over HTTP at the end. Needs root (to create
OS users); skips elsewhere unless CI=true.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
COURSE = "design-for-children"
ASSIGNMENT = "ps0-warm-up"
INSTRUCTOR, STUDENT, GRADER = "dfc-instructor", "dfc-student", f"grader-{COURSE}"
IN_CI = os.environ.get("CI") == "true"

pytestmark = pytest.mark.hub


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "the hub test creates OS users and spawns servers as them: it must run as root"
    if not shutil.which("configurable-http-proxy"):
        return "configurable-http-proxy not found (npm install -g configurable-http-proxy)"
    if not shutil.which("jupyterhub", path=os.path.dirname(sys.executable)):
        return "jupyterhub is not installed in this environment (pip install -e '.[test]')"
    if not (ROOT / "source" / ASSIGNMENT).is_dir():
        return f"source/{ASSIGNMENT} does not exist"
    return None


@pytest.fixture(scope="module")
def requirements():
    reason = _missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_user(name: str) -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
        return pwd.getpwnam(name)


def _chown_tree(path: Path, user: pwd.struct_passwd) -> None:
    for dirpath, _dirnames, filenames in os.walk(path):
        os.chown(dirpath, user.pw_uid, user.pw_gid)
        for name in filenames:
            os.chown(os.path.join(dirpath, name), user.pw_uid, user.pw_gid)


def _wait(what: str, check, timeout: float = 90.0, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = check()
        except requests.RequestException:
            result = None
        if result:
            return result
        time.sleep(0.5)
    text = log.read_text() if log and log.exists() else ""
    lines = [ln for ln in text.splitlines() if "ConfigProxy" not in ln and "ECONNREFUSED" not in ln]
    tail = "\n".join(lines[-60:])
    raise AssertionError(f"timed out waiting for {what}\n--- hub log ---\n{tail}")


def _open_path_for_all(paths: list[str]) -> list[tuple[str, int]]:
    """Give every user search (x) permission on the folders leading to the kit's Python, so the hub can run servers
    as other accounts (e.g. pyenv under /root is 0700). Returns what to restore."""
    changed = []
    for target in paths:
        folder = os.path.dirname(os.path.realpath(target))
        while folder not in ("/", ""):
            mode = os.stat(folder).st_mode
            if not mode & 0o001:
                changed.append((folder, mode))
                os.chmod(folder, mode | 0o001)
            folder = os.path.dirname(folder)
    return changed


@pytest.fixture(scope="module")
def hub(requirements):
    """A running hub: yields (base_url, admin_token, paths)."""
    restore = _open_path_for_all([sys.executable, os.path.realpath(sys.executable), str(ROOT / "designkit")])
    for name in (INSTRUCTOR, STUDENT):
        home = Path(_ensure_user(name).pw_dir)
        # start from a clean slate: nbgrader remembers submissions in a per-user cache
        shutil.rmtree(home / ".local" / "share" / "jupyter" / "nbgrader_cache", ignore_errors=True)
        shutil.rmtree(home / COURSE, ignore_errors=True)
    grader = _ensure_user(GRADER)

    work = Path(tempfile.mkdtemp(prefix="dfc-hub-"))
    work.chmod(0o755)
    course = work / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    _chown_tree(course, grader)
    exchange = work / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)  # everybody writes their own files, nobody deletes others' (like /tmp)
    (work / "students.txt").write_text(f"# the course's students\n{STUDENT}\n")

    token = os.urandom(16).hex()
    hub_port, service_port, internal_port, proxy_api_port = (_free_port() for _ in range(4))
    config = work / "test_jupyterhub_config.py"
    config.write_text(
        "c = get_config()  # noqa\n"
        f"load_subconfig({str(ROOT / 'deploy' / 'jupyterhub_config.py')!r})\n"
        "c.JupyterHub.services.append({'name': 'dfc-test', 'api_token': %r})\n"
        "c.JupyterHub.load_roles.append({'name': 'dfc-test-admin', 'services': ['dfc-test'], 'scopes': "
        "['admin:users', 'admin:servers', 'tokens', 'list:users', 'read:users', 'access:servers', 'list:groups', 'read:groups']})\n"
        "c.Spawner.start_timeout = 120\nc.Spawner.http_timeout = 120\n"
        f"c.JupyterHub.hub_port = {internal_port}\n"
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{proxy_api_port}'\n" % token
    )
    env = dict(os.environ)
    env.update({
        "DFC_COURSE_DIR": str(course), "DFC_INSTRUCTORS": INSTRUCTOR, "DFC_STUDENTS_FILE": str(work / "students.txt"),
        "DFC_EXCHANGE": str(exchange), "DFC_HUB_PORT": str(hub_port), "DFC_SERVICE_PORT": str(service_port),
        "DFC_AUTHENTICATOR": "dummy", "DFC_DUMMY_PASSWORD": os.urandom(8).hex(),
    })
    log = work / "hub.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "jupyterhub"), "-f", str(config)],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    base = f"http://127.0.0.1:{hub_port}"
    try:
        _wait("the hub API", lambda: requests.get(f"{base}/hub/api/", timeout=2).ok, log=log)
        yield base, token, {"work": work, "course": course, "exchange": exchange, "log": log}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        for name in (INSTRUCTOR, STUDENT):  # each run starts from an empty home folder
            shutil.rmtree(Path(pwd.getpwnam(name).pw_dir) / COURSE, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
        for folder, mode in reversed(restore):
            os.chmod(folder, mode)


def _api(base: str, token: str):
    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"
    return session


def _start_server(admin, base: str, name: str, log: Path) -> None:
    response = admin.post(f"{base}/hub/api/users/{name}/server")
    assert response.status_code in (201, 202), response.text
    _wait(f"{name}'s server", lambda: admin.get(f"{base}/hub/api/users/{name}").json()["servers"].get("", {}).get("ready"),
          timeout=120, log=log)


def _user_token(admin, base: str, name: str) -> str:
    response = admin.post(f"{base}/hub/api/users/{name}/tokens", json={"note": "dfc hub test", "expires_in": 3600})
    assert response.status_code in (200, 201), response.text
    return response.json()["token"]


def _ok(response: requests.Response) -> dict | list:
    assert response.ok, f"{response.request.method} {response.url} -> {response.status_code}: {response.text[:500]}"
    return response.json()


def test_release_fetch_submit_collect_autograde(hub):
    base, token, paths = hub
    admin = _api(base, token)

    # the hub knows the course: its groups, and the grading service running as the grader account
    groups = {g["name"]: g["users"] for g in _ok(admin.get(f"{base}/hub/api/groups"))}
    assert sorted(groups[f"formgrade-{COURSE}"]) == sorted([INSTRUCTOR, GRADER])
    assert groups[f"nbgrader-{COURSE}"] == [STUDENT]

    for name in (INSTRUCTOR, STUDENT):
        _start_server(admin, base, name, paths["log"])
    instructor = _api(base, _user_token(admin, base, INSTRUCTOR))
    student = _api(base, _user_token(admin, base, STUDENT))

    # the instructor can see the course's grading service on the hub; the student can see it exists but not use it
    assert COURSE in _ok(instructor.get(f"{base}/hub/api/services"))
    formgrader = f"{base}/services/{COURSE}/formgrader/api"
    _wait("the grading service", lambda: instructor.get(f"{formgrader}/status").ok, timeout=90, log=paths["log"])
    assert student.get(f"{formgrader}/status").status_code == 403

    # nbgrader's course list on the instructor's own server, from the hub's groups (JupyterHubAuthPlugin): the course,
    # linked to its grading service
    courses = _ok(instructor.get(f"{base}/user/{INSTRUCTOR}/formgraders"))
    assert courses == {"success": True, "value": [
        {"course_id": COURSE, "url": f"{base}/services/{COURSE}/lab?formgrader=true", "kind": "jupyterhub"}]}, courses

    # the instructor generates and releases ps0 through the shared grading service's Formgrader API
    assert _ok(instructor.post(f"{formgrader}/assignment/{ASSIGNMENT}/assign"))["success"]
    released = _ok(instructor.post(f"{formgrader}/assignment/{ASSIGNMENT}/release"))
    assert released["success"], released
    assert (paths["exchange"] / COURSE / "outbound" / ASSIGNMENT).is_dir()

    # the student sees it, fetches it into their own home, answers it and submits it
    listed = _ok(student.get(f"{base}/user/{STUDENT}/assignments", params={"course_id": COURSE}))
    assert [(a["assignment_id"], a["status"]) for a in listed["value"]] == [(ASSIGNMENT, "released")], listed
    # the student's courses, from the hub's group nbgrader-<course>
    assert _ok(student.get(f"{base}/user/{STUDENT}/courses")) == {"success": True, "value": [COURSE]}
    fetched = _ok(student.post(f"{base}/user/{STUDENT}/assignments/fetch",
                               data={"assignment_id": ASSIGNMENT, "course_id": COURSE}))
    assert fetched["success"], fetched
    notebook_path = f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"  # Exchange.path_includes_course: a folder per course
    listed = _ok(student.get(f"{base}/user/{STUDENT}/assignments", params={"course_id": COURSE}))
    assert [(a["assignment_id"], a["status"]) for a in listed["value"]] == [(ASSIGNMENT, "fetched")], listed
    contents = f"{base}/user/{STUDENT}/api/contents/{notebook_path}"
    blank = _ok(student.get(contents))["content"]
    solved = _answer_with_solutions(blank, paths["course"] / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    marker = _mark_first_answer(solved)
    _ok(student.put(contents, json={"type": "notebook", "format": "json", "content": solved}))
    home = Path(pwd.getpwnam(STUDENT).pw_dir)
    assert (home / notebook_path).stat().st_uid == pwd.getpwnam(STUDENT).pw_uid, "files belong to the student"
    submitted = _ok(student.post(f"{base}/user/{STUDENT}/assignments/submit",
                                 data={"assignment_id": ASSIGNMENT, "course_id": COURSE}))
    assert submitted["success"], submitted
    inbound = list((paths["exchange"] / COURSE / "inbound").glob(f"{STUDENT}+{ASSIGNMENT}+*"))
    assert len(inbound) == 1, "nbgrader names the submission after the student's OS account"

    # the instructor collects and autogrades it on the grading service; full marks for a correct answer
    assert _ok(instructor.post(f"{formgrader}/assignment/{ASSIGNMENT}/collect"))["success"]
    assert (paths["course"] / "submitted" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").exists()
    graded = _ok(instructor.post(f"{formgrader}/submission/{ASSIGNMENT}/{STUDENT}/autograde"))
    assert graded["success"], graded.get("error") or graded.get("log")
    (submission,) = _ok(instructor.get(f"{formgrader}/submissions/{ASSIGNMENT}"))
    assert submission["student"] == STUDENT and submission["autograded"]
    assert submission["code_score"] == pytest.approx(submission["max_code_score"]) and submission["max_code_score"] > 0
    # the student's list: their fetched copy and their submission
    listed = _ok(student.get(f"{base}/user/{STUDENT}/assignments", params={"course_id": COURSE}))
    assert sorted((a["assignment_id"], a["status"]) for a in listed["value"]) == [
        (ASSIGNMENT, "fetched"), (ASSIGNMENT, "submitted")], listed

    # Formgrader's pages, as an instructor opens them on the grading service
    pages = f"{base}/services/{COURSE}/formgrader"
    for page, text in [("manage_assignments", "Manage Assignments"), (f"manage_submissions/{ASSIGNMENT}", ASSIGNMENT),
                       ("gradebook", "Manual Grading"), (f"gradebook/{ASSIGNMENT}", ASSIGNMENT),
                       ("manage_students", "Manage Students"), (f"manage_students/{STUDENT}", STUDENT)]:
        response = instructor.get(f"{pages}/{page}")
        assert response.status_code == 200 and text in response.text, f"{page}: {response.status_code}"
    assert [s["id"] for s in _ok(instructor.get(f"{formgrader}/students"))] == [STUDENT]
    notebooks = _ok(instructor.get(f"{formgrader}/student_notebook_submissions/{STUDENT}/{ASSIGNMENT}"))
    assert [nb["name"] for nb in notebooks] == [ASSIGNMENT], notebooks
    page = instructor.get(f"{pages}/submissions/{notebooks[0]['id']}/")
    assert page.status_code == 200, page.status_code
    # the student's own answer is on the grading page
    assert marker in page.text
    assert student.get(f"{pages}/manage_assignments").status_code == 403


def _answer_with_solutions(blank: dict, source_path: Path) -> dict:
    """The student's answers: the released notebook with each solution cell's source taken from the instructor's
    version (what a student who solved everything would have typed)."""
    source = json.loads(source_path.read_text(encoding="utf-8"))
    answers = {
        cell["metadata"]["nbgrader"]["grade_id"]: cell["source"]
        for cell in source["cells"]
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    for cell in blank["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell["source"] = answers[grade_id]
    return blank



def _mark_first_answer(notebook: dict) -> str:
    """Add a comment only this run's student wrote to their first code answer; return it."""
    marker = f"# answered in the hub test {os.urandom(4).hex()}"
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code" and cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = f"{source}\n{marker}\n"
            return marker
    raise AssertionError("the released notebook has no code answer cell")


# --- LTI 1.3 login (opt-in): the configuration loads with it off and on ------------------------------------------

LTI_ENV = {
    "DFC_LTI13_ISSUER": "https://canvas.instructure.com",
    "DFC_LTI13_CLIENT_ID": "125900000000000329, 125900000000000330",
    "DFC_LTI13_AUTHORIZE_URL": "https://canvas.instructure.com/api/lti/authorize_redirect",
    "DFC_LTI13_JWKS_ENDPOINT": "https://canvas.instructure.com/api/lti/security/jwks",
}


def _hub_config(monkeypatch, tmp_path, **env: str):
    """deploy/jupyterhub_config.py loaded by traitlets (as JupyterHub loads it) under the given DFC_* variables,
    and a JupyterHub application built from it (nothing started)."""
    from jupyterhub.app import JupyterHub
    from traitlets.config.loader import PyFileConfigLoader

    for name in list(os.environ):
        if name.startswith("DFC_"):
            monkeypatch.delenv(name)
    (tmp_path / "students.txt").write_text("ada\nbo\n")
    monkeypatch.setenv("DFC_STUDENTS_FILE", str(tmp_path / "students.txt"))
    monkeypatch.setenv("DFC_INSTRUCTORS", "prof")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(ROOT / "deploy")).load_config()
    return config, JupyterHub(config=config)


def test_config_loads_with_lti_off(monkeypatch, tmp_path):
    config, app = _hub_config(monkeypatch, tmp_path)
    assert app.authenticator_class.__name__ == "PAMAuthenticator"  # the server's OS accounts, JupyterHub's default
    assert "LTI13Authenticator" not in config
    assert config.Authenticator.allowed_users == {"prof", "ada", "bo"}


def test_config_loads_with_lti_on(monkeypatch, tmp_path):
    if not IN_CI:  # make venv installs the extra; CI must run this
        pytest.importorskip("ltiauthenticator", reason="the optional extra: pip install -e '.[hub]'")
    config, app = _hub_config(monkeypatch, tmp_path, DFC_AUTHENTICATOR="lti13", DFC_LTI13_USERNAME_KEY="custom_login",
                              **LTI_ENV)
    from ltiauthenticator.lti13.auth import LTI13Authenticator

    assert app.authenticator_class is LTI13Authenticator
    authenticator = app.authenticator_class(parent=app)  # the real class accepts every setting
    assert authenticator.issuer == LTI_ENV["DFC_LTI13_ISSUER"]
    assert authenticator.client_id == {"125900000000000329", "125900000000000330"}
    assert authenticator.authorize_url == LTI_ENV["DFC_LTI13_AUTHORIZE_URL"]
    assert authenticator.jwks_endpoint == LTI_ENV["DFC_LTI13_JWKS_ENDPOINT"]
    assert authenticator.username_key == "custom_login"
    assert authenticator.allowed_users == {"prof", "ada", "bo"}  # the LMS logs people in; the course list admits them
    routes = [route for route, _handler in authenticator.get_handlers(app)]
    assert {"lti13/oauth_login", "lti13/oauth_callback", "lti13/config"} <= set(routes)


def test_config_refuses_lti_without_its_settings(monkeypatch, tmp_path):
    with pytest.raises(SystemExit, match="DFC_AUTHENTICATOR=lti13 needs DFC_LTI13_AUTHORIZE_URL, DFC_LTI13_JWKS_ENDPOINT"):
        _hub_config(monkeypatch, tmp_path, DFC_AUTHENTICATOR="lti13", DFC_LTI13_ISSUER=LTI_ENV["DFC_LTI13_ISSUER"],
                    DFC_LTI13_CLIENT_ID="1")
    with pytest.raises(SystemExit, match="DFC_AUTHENTICATOR='ldap': choose pam, lti13 or dummy"):
        _hub_config(monkeypatch, tmp_path, DFC_AUTHENTICATOR="ldap")
