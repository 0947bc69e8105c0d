"""nbgrader settings every user on the server shares (students, instructors, graders).

Install it where every user's Jupyter finds it: /etc/jupyter/nbgrader_config.py on a server, or point
JUPYTER_CONFIG_PATH at this folder (deploy/jupyterhub_config.py does). The course's own settings (release folder,
header, stubs, timeout, sandbox) live in the course folder's nbgrader_config.py, which only the grading service reads.
"""
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("DFC_COURSE_ID", "design-for-children")
c.Exchange.root = os.environ.get("DESIGNKIT_EXCHANGE", "/srv/nbgrader/exchange")
