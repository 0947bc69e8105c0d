"""nbgrader configuration for the Design for Children course kit.

The course folder is this checkout: instructors edit source/, nbgrader writes the student
versions to assignments/, and grading state (submitted/ autograded/ feedback/ gradebook.db
exchange/) stays here too, git-ignored. Nothing needs root or /srv.
"""
import os

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821  (provided by nbgrader when it loads this file)

# The course and where things live.
c.CourseDirectory.course_id = "design-for-children"
c.CourseDirectory.root = here
c.CourseDirectory.release_directory = "assignments"  # student versions, committed to git
# SQLite in the course folder by default; several graders on a server: a PostgreSQL URL.
c.CourseDirectory.db_url = os.environ.get("DESIGNKIT_DB_URL", "sqlite:///" + os.path.join(here, "gradebook.db"))

# rubric.md, mistakes.yml, nonsense.yml and answers-zh.yml are for graders: never copied into assignments/ or autograded/.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "rubric.md", "mistakes.yml", "nonsense.yml",
                            "answers-zh.yml"]

# Every problem set starts with the shared header notebook.
c.IncludeHeaderFooter.header = "source/header.ipynb"

# Friendly stubs instead of `raise NotImplementedError()`.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE: replace this line with your answer"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A cell that runs longer than this is interrupted and the grader moves on.
c.Execute.timeout = 20
c.Execute.kernel_name = "python3"

# The exchange (release/fetch/submit/collect) lives inside the course folder, git-ignored.
# On a shared server, deploy/jupyterhub_config.py points every user at one shared exchange.
c.Exchange.root = os.environ.get("DESIGNKIT_EXCHANGE", os.path.join(here, "exchange"))

# Feedback (also from Formgrader) never shows hidden-test source or grader paths. Importing designkit.grading
# loads no kernel machinery (jupyter_client, zmq): every other command, a student's Validate included, stays fast.
from designkit.grading import feedback_config  # noqa: E402

c.merge(feedback_config())

# Stock `nbgrader autograde` grades in the kit's sandbox when DESIGNKIT_SANDBOX=1 (the kit's `grade` always does).
if os.environ.get("DESIGNKIT_SANDBOX") == "1":
    from designkit.grading import sandbox_config

    c.merge(sandbox_config())

# Rubric rows: mark schemes (anchor answers) never reach feedback, and 0-point answer cells need no manual grade.
# Last, so it extends the final lists (designkit/classroom/markscheme.py).
from designkit.classroom.markscheme import register_preprocessors  # noqa: E402

register_preprocessors(c)

# Feedback names each part, from the kit's feedback command and Formgrader's button alike (feedback_parts.py). Last.
from designkit.classroom.feedback_config import register_feedback  # noqa: E402

register_feedback(c)
