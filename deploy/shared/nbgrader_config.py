"""nbgrader settings every user on the server shares (students, instructors, graders).

Install it where every user's Jupyter finds it: /etc/jupyter/nbgrader_config.py on a server, or point
JUPYTER_CONFIG_PATH at this folder (deploy/jupyterhub_config.py does). The course's own settings (release folder,
header, stubs, timeout, sandbox) live in the course folder's nbgrader_config.py, which only the grading service reads.
"""
import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("DFC_COURSE_ID", "design-for-children")
c.Exchange.root = os.environ.get("DESIGNKIT_EXCHANGE", "/srv/nbgrader/exchange")

# nbgrader asks JupyterHub which courses each user takes (group nbgrader-<course>) or grades (group
# formgrade-<course>): the instructor's course list then links to the course's grading service, and a student sees
# only the assignments of their own courses. As nbgrader's guide sets it up ("Using nbgrader with JupyterHub",
# JupyterHub Authentication), with each course's files in a folder of its own in a student's home (<course>/<ps>).
c.Authenticator.plugin_class = JupyterHubAuthPlugin
c.Exchange.path_includes_course = True
