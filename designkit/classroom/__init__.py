"""designkit.classroom: the instructor pipeline over nbgrader.

Run ``python -m designkit.classroom --help`` for the commands (assignments, release, simulate,
collect, grade, feedback, export, report, demo). Everything works on the standard nbgrader course
layout (``submitted/<student>/<assignment>/`` with ``timestamp.txt``, ``autograded/``, ``feedback/``,
``gradebook.db``), so the stock ``nbgrader`` commands and formgrader keep working on the same folder.

Modules (nbgrader is imported lazily, only by the steps that need it):

- ``course``      the course folder: paths, problem sets, nbgrader config and API
- ``status``      the status table (``grading-status.json``): one row per submission and its outcome
- ``preflight``   checks and safe repairs of a submission before nbgrader sees it
- ``simulate``    a reproducible simulated class written as real submissions
- ``grading``     parallel, resumable autograding in long-lived worker processes
- ``manual``      a simulated grader entering rubric scores through the Gradebook API
- ``results``     the one reader of gradebook + status table (for export, report and demo)
- ``export``      ``grades.csv``, one row per student
- ``report``      ``reports/report.html`` (Jinja2 template) with figures and item analysis
- ``cli``         the command line

>>> from designkit.classroom.course import Course
>>> Course.find().root.name != ""
True
"""
