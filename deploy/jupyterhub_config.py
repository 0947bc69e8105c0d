"""JupyterHub configuration for one Design for Children course on a shared server.

nbgrader's documented multi-user set-up ("one class, multiple graders"):

- every user gets their own JupyterLab server (LocalProcessSpawner here; SystemdSpawner on The Littlest
  JupyterHub, KubeSpawner on Zero to JupyterHub: see deploy/README.md);
- students fetch and submit through one shared exchange folder;
- instructors and graders (group ``formgrade-<course>``) reach a shared grading server, a hub-managed service named
  after the course that runs as the course's grader account in the course folder, with Formgrader;
- the course's student list comes from a file; the gradebook URL is configurable (SQLite by default, PostgreSQL for
  several graders); autograding runs student code in the kit's bubblewrap sandbox (nbgrader_config.py).

Every setting comes from an environment variable, so the same file serves a real server and the test
(tests/test_hub.py):

  DFC_COURSE_ID        course id (default design-for-children); also the grading service's name
  DFC_COURSE_DIR       the course folder, a clone of this kit owned by the grader account (default /srv/<course>)
  DFC_GRADER_USER      OS account the grading service runs as (default grader-<course>)
  DFC_INSTRUCTORS      comma-separated instructor user names
  DFC_GRADERS          comma-separated grader (teaching assistant) user names
  DFC_STUDENTS_FILE    file with one student user name per line, or a CSV with an "id" column
                       (default <course dir>/deploy/students.txt)
  DFC_EXCHANGE         the shared exchange folder (default /srv/nbgrader/exchange)
  DFC_DB_URL           gradebook URL (default sqlite in the course folder; e.g. postgresql://grader@db/dfc)
  DFC_SHARED_CONFIG    folder holding the shared nbgrader_config.py for every user (default: this folder's shared/)
  DFC_HUB_IP, DFC_HUB_PORT, DFC_SERVICE_PORT   where the hub and the grading service listen
  DFC_AUTHENTICATOR    "pam" (default: the server's OS accounts), "lti13" (log in from the LMS, opt-in: below) or
                       "dummy" (tests only: one shared password)
  DFC_DUMMY_PASSWORD   the password for "dummy"

LTI 1.3 login from the LMS (DFC_AUTHENTICATOR=lti13; needs the optional extra: pip install -e '.[hub]', which brings
jupyterhub-ltiauthenticator). The settings are the package's LTI13Authenticator ones, from the tool registration in
the LMS (https://ltiauthenticator.readthedocs.io/en/latest/lti13/getting-started.html):

  DFC_LTI13_ISSUER          the platform's issuer, e.g. https://canvas.instructure.com
  DFC_LTI13_CLIENT_ID       the tool's client id(s) in the LMS, comma-separated
  DFC_LTI13_AUTHORIZE_URL   the platform's authorization endpoint, e.g. https://canvas.instructure.com/api/lti/authorize_redirect
  DFC_LTI13_JWKS_ENDPOINT   the platform's key set, e.g. https://canvas.instructure.com/api/lti/security/jwks
  DFC_LTI13_USERNAME_KEY    the ID-token claim that becomes the hub user name (default "email"; "custom_<name>" reads
                            a custom field); it must give the names listed in DFC_STUDENTS_FILE / DFC_INSTRUCTORS
"""
import csv
import os
import shutil
import sys

c = get_config()  # noqa: F821  (provided by JupyterHub)

here = os.path.dirname(os.path.abspath(__file__))
env = os.environ.get

COURSE = env("DFC_COURSE_ID", "design-for-children")
COURSE_DIR = env("DFC_COURSE_DIR", f"/srv/{COURSE}")
GRADER_USER = env("DFC_GRADER_USER", f"grader-{COURSE}")
EXCHANGE = env("DFC_EXCHANGE", "/srv/nbgrader/exchange")
SHARED_CONFIG = env("DFC_SHARED_CONFIG", os.path.join(here, "shared"))
SERVICE_PORT = int(env("DFC_SERVICE_PORT", "9999"))


def _names(variable):
    return [n.strip() for n in env(variable, "").split(",") if n.strip()]


def _students(path):
    """User names from a plain list (one per line) or a CSV with an ``id`` column (nbgrader's student import)."""
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    first = text.splitlines()[0] if text.strip() else ""
    if "," in first and "id" in [f.strip() for f in first.split(",")]:
        return [row["id"].strip() for row in csv.DictReader(text.splitlines()) if row.get("id", "").strip()]
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


INSTRUCTORS = _names("DFC_INSTRUCTORS")
GRADERS = _names("DFC_GRADERS")
STUDENTS = _students(env("DFC_STUDENTS_FILE", os.path.join(COURSE_DIR, "deploy", "students.txt")))
STAFF = INSTRUCTORS + GRADERS

# --- who may log in -------------------------------------------------------------------------------------
AUTHENTICATOR = env("DFC_AUTHENTICATOR", "pam")
LTI13_REQUIRED = ("DFC_LTI13_ISSUER", "DFC_LTI13_CLIENT_ID", "DFC_LTI13_AUTHORIZE_URL", "DFC_LTI13_JWKS_ENDPOINT")
if AUTHENTICATOR == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = env("DFC_DUMMY_PASSWORD", "")
elif AUTHENTICATOR == "lti13":
    missing = [name for name in LTI13_REQUIRED if not env(name, "").strip()]
    if missing:
        raise SystemExit(f"{__file__}: DFC_AUTHENTICATOR=lti13 needs {', '.join(missing)} "
                         "(from the tool's registration in your LMS; see deploy/README.md)")
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = env("DFC_LTI13_ISSUER").strip()
    c.LTI13Authenticator.client_id = set(_names("DFC_LTI13_CLIENT_ID"))
    c.LTI13Authenticator.authorize_url = env("DFC_LTI13_AUTHORIZE_URL").strip()
    c.LTI13Authenticator.jwks_endpoint = env("DFC_LTI13_JWKS_ENDPOINT").strip()
    c.LTI13Authenticator.username_key = env("DFC_LTI13_USERNAME_KEY", "email")
elif AUTHENTICATOR != "pam":
    raise SystemExit(f"{__file__}: DFC_AUTHENTICATOR={AUTHENTICATOR!r}: choose pam, lti13 or dummy")
c.Authenticator.allowed_users = set(STAFF + STUDENTS)
c.Authenticator.admin_users = set(INSTRUCTORS)

c.JupyterHub.ip = env("DFC_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env("DFC_HUB_PORT", "8000"))

# --- every user's own server -----------------------------------------------------------------------------
bin_dir = os.path.dirname(sys.executable)
singleuser = shutil.which("jupyterhub-singleuser", path=bin_dir) or "jupyterhub-singleuser"
c.Spawner.cmd = [singleuser]
# Formgrader runs only in the course's grading service (nbgrader's guide: instructors' and students' own servers run
# the Assignment List and Course List, not Formgrader); on an instructor's own server it would list a second, empty
# "local" course beside the real one
c.Spawner.args = ["--ServerApp.jpserver_extensions=nbgrader.server_extensions.formgrader=False"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    # nbgrader reads nbgrader_config.py from every folder on the Jupyter config path: the shared one names the
    # course and the exchange for everybody
    "JUPYTER_CONFIG_PATH": SHARED_CONFIG,
    "DESIGNKIT_EXCHANGE": EXCHANGE,
    "DFC_COURSE_ID": COURSE,
    "PATH": bin_dir + os.pathsep + env("PATH", "/usr/bin:/bin"),
}

# --- groups, roles and the shared grading service ----------------------------------------------------------
# The group name must be formgrade-<course id> for nbgrader's course list to find the grading service.
c.JupyterHub.load_groups = {
    # the grader account belongs with the staff (nbgrader's guide): the grading service, which runs as it, asks the
    # hub for its courses through nbgrader's JupyterHubAuthPlugin
    f"formgrade-{COURSE}": {"users": STAFF + [GRADER_USER]},
    f"nbgrader-{COURSE}": {"users": STUDENTS},
}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE}",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={COURSE}", "list:services", f"read:services!service={COURSE}"],
    },
    {
        "name": f"nbgrader-{COURSE}",
        "groups": [f"nbgrader-{COURSE}"],
        "scopes": ["list:services", f"read:services!service={COURSE}"],
    },
    # a user's server may ask the hub which courses (services) its user can see: nbgrader's course list does
    {"name": "server", "scopes": ["inherit"]},
    # nbgrader's JupyterHubAuthPlugin (deploy/shared/nbgrader_config.py) in the grading service: it reads its own
    # account's groups (the courses it grades), and when a student is added to the gradebook nbgrader adds them to
    # the group nbgrader-<course>. nbgrader's guide asks for an admin's API token for this; with JupyterHub's roles
    # the service gets only the scopes those calls need.
    {
        "name": f"grading-service-{COURSE}",
        "services": [COURSE],
        "scopes": ["list:groups", f"groups!group=nbgrader-{COURSE}", f"read:users:groups!user={GRADER_USER}"],
    },
]
c.JupyterHub.services = [
    {
        "name": COURSE,
        "url": f"http://127.0.0.1:{SERVICE_PORT}",
        "command": [singleuser, f"--ServerApp.root_dir={COURSE_DIR}"],
        "user": GRADER_USER,
        "cwd": COURSE_DIR,
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            "JUPYTER_CONFIG_PATH": SHARED_CONFIG,
            "DESIGNKIT_EXCHANGE": EXCHANGE,
            "DESIGNKIT_DB_URL": env("DFC_DB_URL", "sqlite:///" + os.path.join(COURSE_DIR, "gradebook.db")),
            "HOME": os.path.expanduser(f"~{GRADER_USER}"),
            "PATH": bin_dir + os.pathsep + env("PATH", "/usr/bin:/bin"),
        },
        "oauth_no_confirm": True,
    }
]

# ==========================================================================================================
# --- capstone mentors: a second grading service for the mentor course (issue 16) --------------------------
# Mentors (external reviewers) grade the capstone's M2 by rubric and see nothing else of the class. Formgrader
# has no per-assignment access, so M2 is graded in its own nbgrader course (created by
# `python -m designkit.classroom capstone init --target DIR`, holding M2 only, with its own gradebook) behind
# its own service; mentors are in that service's group only, never in formgrade-<course>. The main course's
# `export` imports the mentors' scores. Switched on by DFC_MENTOR_COURSE_DIR:
#   DFC_MENTOR_COURSE_DIR    the mentor course folder (owned by DFC_MENTOR_GRADER_USER)
#   DFC_MENTORS              comma-separated mentor user names
#   DFC_MENTOR_GRADER_USER   OS account of the mentor service (default grader-<course>-mentors)
#   DFC_MENTOR_SERVICE_PORT  where it listens (default 9998)
MENTOR_COURSE_DIR = env("DFC_MENTOR_COURSE_DIR", "")
if MENTOR_COURSE_DIR:
    MENTOR_COURSE = f"{COURSE}-mentors"  # the course id `capstone init` writes
    MENTORS = _names("DFC_MENTORS")
    c.Authenticator.allowed_users |= set(MENTORS)
    c.JupyterHub.load_groups[f"formgrade-{MENTOR_COURSE}"] = {"users": INSTRUCTORS + MENTORS}
    c.JupyterHub.load_roles.append({
        "name": f"formgrade-{MENTOR_COURSE}",
        "groups": [f"formgrade-{MENTOR_COURSE}"],
        "scopes": [f"access:services!service={MENTOR_COURSE}", "list:services",
                   f"read:services!service={MENTOR_COURSE}"],
    })
    mentor_grader = env("DFC_MENTOR_GRADER_USER", f"grader-{MENTOR_COURSE}")
    c.JupyterHub.services.append({
        "name": MENTOR_COURSE,
        "url": f"http://127.0.0.1:{int(env('DFC_MENTOR_SERVICE_PORT', '9998'))}",
        "command": [singleuser, f"--ServerApp.root_dir={MENTOR_COURSE_DIR}"],
        "user": mentor_grader,
        "cwd": MENTOR_COURSE_DIR,
        "environment": {
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            # no shared config path: the mentor course's own nbgrader_config.py (in cwd) names its course and
            # gradebook; the exchange is unused (submissions arrive by `capstone mentor-sync`)
            "HOME": os.path.expanduser(f"~{mentor_grader}"),
            "PATH": bin_dir + os.pathsep + env("PATH", "/usr/bin:/bin"),
        },
        "oauth_no_confirm": True,
    })
