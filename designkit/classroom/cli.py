"""The command line: ``python -m designkit.classroom <command>``.

Commands (each prints what it did and where the results are)::

    assignments [SET ...]              nbgrader generate_assignment -> assignments/
    release [SET ...]                  generate and release to the exchange (exchange/ in the course folder)
    simulate --students N --seed S     a reproducible simulated class in submitted/
    collect [SET ...]                  nbgrader collect from the exchange; record what is in submitted/
    grade [SET ...] [--jobs J] [--no-sandbox] [--force]   collect, then autograde every submission (parallel)
          [--scheduler tcp://HOST:8786]  ... on a Dask cluster instead: one task per submission
    lab [--home DIR] [--no-release]    prepare the student's working copy ($DESIGNKIT_HOME) and open JupyterLab
    feedback [SET ...] [--jobs J]      nbgrader generate_feedback (+ release_feedback when there is an exchange)
    export [--format canvas|moodle --roster R --canvas-export C]   grades.csv, or the LMS's import file
    report                             reports/report.html with figures and item analysis
    demo --students N [--jobs J]       all of the above on a simulated class, with a few malformed submissions
    capstone status|prepare|propagate|peer   the team capstone (teams.csv): which submission counts, set the
                                       others aside before grading, give every member the team's result,
                                       peer-assessment factors (grade and export run prepare/propagate themselves)
    migrate-gradebook --to URL         copy the SQLite gradebook into PostgreSQL (then set DESIGNKIT_DB_URL=URL)

Every command takes ``--course-dir`` (default: the folder holding nbgrader_config.py). nbgrader is imported
only by the commands that need it, so ``--help`` is quick.

>>> build_parser().parse_args(["grade", "--jobs", "2"]).jobs
2
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _common(p: argparse.ArgumentParser, top: bool = False) -> None:
    # on sub-commands the default is SUPPRESS, so `--course-dir D grade` and `grade --course-dir D` both work
    p.add_argument("--course-dir", type=Path, default=None if top else argparse.SUPPRESS,
                   help="the course folder (holding nbgrader_config.py); default: this checkout")
    p.add_argument("--quiet", action="store_true", default=False if top else argparse.SUPPRESS,
                   help="no progress bars")


def _lock_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                   help="queue this long behind another grader of the course (default: refuse at once)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m designkit.classroom``."""
    parser = argparse.ArgumentParser(
        prog="python -m designkit.classroom",
        description="The instructor pipeline over nbgrader: generate, release, simulate, collect, grade, "
                    "feedback, export, report, demo.")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def cmd(name: str, help_: str, sets: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        _common(p)
        if sets:
            p.add_argument("assignments", nargs="*", metavar="SET",
                           help="problem sets (default: every source/ps*/)")
        return p

    cmd("assignments", "generate the student versions into assignments/ (nbgrader generate_assignment)")
    cmd("release", "generate and release the problem sets to the exchange")
    p = cmd("simulate", "write a reproducible simulated class into submitted/")
    p.add_argument("--students", type=int, default=30, help="class size (default 30)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same class)")
    _lock_args(cmd("collect", "collect submissions from the exchange and record those in submitted/"))
    p = cmd("grade", "collect from the exchange, then autograde every submission in submitted/ "
                     "(sandboxed, parallel, resumable)")
    p.add_argument("--no-collect", action="store_true", help="grade what is in submitted/ without collecting")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    p.add_argument("--no-sandbox", action="store_true", help="run student code WITHOUT the bubblewrap sandbox")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded")
    p.add_argument("--scheduler", default=None, metavar="tcp://HOST:8786",
                   help="grade on this Dask cluster (one task per submission) instead of local processes")
    _lock_args(p)
    p.add_argument("--max-stored-mb", type=float, default=20.0,
                   help="MB kept per student in autograded/ + feedback/; larger extra files are left out (default 20)")
    p = cmd("feedback", "generate feedback (HTML) and release it to the exchange if there is one")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    _lock_args(p)
    p.add_argument("--max-stored-mb", type=float, default=20.0,
                   help="MB kept per student in autograded/ + feedback/ (default 20)")
    p = cmd("export", "write grades.csv (one row per student), or the file Canvas or Moodle imports", sets=False)
    p.add_argument("--output", type=Path, default=None, help="where to write (default: grades.csv, grades-FORMAT.csv)")
    p.add_argument("--format", choices=["csv", "canvas", "moodle"], default="csv",
                   help="csv (grades.csv), canvas (fills in --canvas-export) or moodle (designkit/classroom/lms.py)")
    p.add_argument("--roster", type=Path, default=None, help="CSV student_id,lms_login matching students to the LMS")
    p.add_argument("--canvas-export", type=Path, default=None, help="the gradebook CSV downloaded from Canvas")
    p.add_argument("--moodle-identity", choices=["email", "idnumber", "username"], default=None,
                   help="what --roster's lms_login holds for Moodle (default: email; username without a roster)")
    cmd("report", "write reports/report.html with figures, item analysis and flagged submissions", sets=False)
    p = cmd("capstone", "the team capstone from teams.csv: status, prepare, propagate, peer", sets=False)
    p.add_argument("action", choices=["status", "prepare", "propagate", "peer", "init", "mentor-sync"],
                   help="status: which submission counts per team; prepare: set the others aside (before grading); "
                        "propagate: the team's result to every member (after grading); peer: WebPA factors; "
                        "init: create the mentor course (--target); mentor-sync: copy each team's M2 into it")
    p.add_argument("--target", type=Path, default=None,
                   help="init: the mentor course's folder (its own nbgrader course; mentors grade there only)")
    p.add_argument("--peer-weight", type=float, default=None,
                   help="how much the peer factor moves the team mark, 0-1 (default: capstone.json, else 0.5); "
                        "export uses capstone.json")
    p.add_argument("--peer-cap", type=float, default=None,
                   help="the largest move of a WebPA score away from 1 (default: capstone.json, else 0.3)")
    p = cmd("lab", "prepare the student's working copy outside the checkout and open it in JupyterLab",
            sets=False)
    p.add_argument("--home", type=Path, default=None,
                   help="the working copy (default: $DESIGNKIT_HOME, or ~/design-for-children)")
    p.add_argument("--no-release", action="store_true",
                   help="do not release the local course's problem sets to its local exchange")
    p.add_argument("--prepare-only", action="store_true", help="prepare the working copy, do not start JupyterLab")
    p.add_argument("--lang", default=None, choices=["en", "zh-CN"],
                   help="the course's language: the first module, JupyterLab's menus and the kernels' COURSE_LANG "
                        "(default: $COURSE_LANG, else en)")
    p.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="further arguments for jupyter lab")
    p = cmd("demo", "the whole instructor flow on a simulated class, offline", sets=False)
    p.add_argument("--students", type=int, default=30, help="class size (default 30)")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same class)")
    p.add_argument("--jobs", type=int, default=None, help="worker processes (default: number of cores)")
    p.add_argument("--no-sandbox", action="store_true", help="run student code WITHOUT the bubblewrap sandbox")
    p = cmd("migrate-gradebook", "copy the SQLite gradebook, row for row, into a server database", sets=False)
    p.add_argument("--to", required=True, metavar="URL", help="the new gradebook, e.g. postgresql://USER@HOST/DB")
    p.add_argument("--from", dest="source", default=None, metavar="URL",
                   help="the gradebook to copy (default: the course's own)")
    return parser


def _say(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    """Run one parsed command; returns the exit status."""
    from designkit.classroom.course import Course

    course = Course.find(args.course_dir)
    progress = not args.quiet
    c = args.command
    names = getattr(args, "assignments", None) or None

    if c == "assignments":
        from designkit.classroom.assignments import generate

        folders = generate(course, names, progress=progress)
        _say(*(f"generated {f.relative_to(course.root)}/" for f in folders),
             f"{len(folders)} student version(s) in {course.release}")
    elif c == "release":
        from designkit.classroom.assignments import release

        where = release(course, names, progress=progress)
        _say(f"released {', '.join(course.check_assignments(names))} to {where}")
    elif c == "simulate":
        from designkit.classroom.simulate import PROFILES, simulate

        sim = simulate(course, args.students, args.seed, names, progress=progress)
        counts = ", ".join(f"{k} {sim.count(k)}" for k in PROFILES)
        _say(f"simulated {len(sim.students)} students (seed {args.seed}): {counts}",
             f"submissions in {sim.submitted}/<student>/<set>/ (with timestamp.txt)")
    elif c == "collect":
        from designkit.classroom.collect import collect

        summary = collect(course, names, wait=args.wait)
        _say(*summary.lines(), f"status table: {course.status_file}")
    elif c == "grade":
        from designkit.classroom.grading import SandboxRefused, grade, sandbox_decision
        from designkit.classroom.status import State

        try:
            use_sandbox, message = sandbox_decision(args.no_sandbox)
        except SandboxRefused as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(message, file=sys.stderr if not use_sandbox else sys.stdout, flush=True)
        if not args.no_collect:
            from designkit.classroom.collect import collect

            _say(*collect(course, names, wait=args.wait).lines())

        from designkit.classroom import capstone

        if capstone.enabled(course):  # one submission per team before anything is graded
            from designkit.classroom.teams import prepare, read_teams, rule

            flags = [f for ts in prepare(course, read_teams(course), course.check_assignments(names))
                     for f in ts.flags()]
            _say(rule(), *(f"  flag: {f}" for f in flags))
        runner = None
        if args.scheduler:
            from designkit.classroom.dask_grading import on_cluster

            runner = on_cluster(args.scheduler)
        s = grade(course, names, jobs=args.jobs, use_sandbox=use_sandbox, force=args.force, progress=progress,
                  wait=args.wait, max_stored=int(args.max_stored_mb * 1024 ** 2), runner=runner)
        _say(f"graded {s.graded}, not graded {s.not_graded}, already graded (skipped) {s.skipped}, "
             f"missing {s.missing}; half-written autograded folders redone: {s.half_written}; "
             f"{s.seconds:.1f} s",
             *(f"  dropped from {key} (never followed or copied): {'; '.join(what)}"
               for key, what in sorted(s.dropped.items())),
             f"gradebook backup: {s.backup}" if s.backup else
             "gradebook backup: none (no SQLite gradebook yet, or a server database: back it up with its tools)",
             f"results: {course.autograded}/, {course.db_url}, status table {course.status_file}")
        for row in s.rows:
            if row.state in (State.NOT_GRADED, State.FAILED):
                _say(f"  {row.state.value}: {row.key}: {row.reason}")
        if s.failed:
            print(f"error: {s.failed} submission(s) could not be graded because the grading environment failed "
                  "(nothing recorded for them); fix it and run grade again.", file=sys.stderr)
            return 3
    elif c == "feedback":
        from designkit.classroom import capstone
        from designkit.classroom.feedback import feedback

        if capstone.enabled(course):  # every member's graded copy of the team's work first
            from designkit.classroom.teams import propagate, read_teams

            capstone.import_mentor_grades(course)
            _say(*propagate(course, read_teams(course), names).lines()[:2])

        _say(*feedback(course, names, jobs=args.jobs, progress=progress, wait=args.wait,
                       max_stored=int(args.max_stored_mb * 1024 ** 2)).lines())
    elif c == "export" and args.format != "csv":
        from designkit.classroom.lms import grades_from_results, write_for_lms
        from designkit.classroom.results import read_results

        identity = args.moodle_identity or ("email" if args.roster else "username")
        _say(*write_for_lms(grades_from_results(read_results(course)), args.format,
                            args.output or course.root / f"grades-{args.format}.csv", args.roster,
                            args.canvas_export, identity))
    elif c == "export":
        from designkit.classroom.export import write_grades_csv

        path = write_grades_csv(course, args.output)
        _say(f"wrote {path}")
    elif c == "report":
        from designkit.classroom.report import write_report

        path = write_report(course)
        _say(f"wrote {path} (figures in {path.parent / 'figures'})")
    elif c == "capstone":
        return _capstone(course, args)
    elif c == "migrate-gradebook":
        from designkit.classroom.migrate import migrate_gradebook

        counts = migrate_gradebook(course, args.to, args.source)
        where = args.to.split("@")[-1]
        _say(*(f"  {t.table}: {t.target} row(s)" for t in counts if t.target),
             f"copied {sum(t.target for t in counts)} rows into {where}; every table compared equal",
             f"now point the course at it: export DESIGNKIT_DB_URL='{args.to}'")
    elif c == "lab":
        import os

        from designkit.classroom.workspace import lab_command, prepare, set_ui_language
        from designkit.i18n import lang, normalise

        try:
            course_lang = normalise(args.lang) if args.lang else lang()
            report = prepare(args.home, course.root, release=not args.no_release)
            set_ui_language(report.home, course_lang)
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        _say(*report.lines(), f"  language: {course_lang} (COURSE_LANG; JupyterLab's menus and the kernels)")
        if args.prepare_only:
            return 0
        os.environ["COURSE_LANG"] = course_lang  # the kernels' language; the system LANG is left as it is
        jupyter = str(Path(sys.executable).parent / "jupyter")
        command = lab_command(report.home, jupyter, [a for a in args.jupyter_args if a != "--"], course_lang)
        # nbgrader's Assignments tab fetches into the server's working folder (not its root_dir): the working copy
        os.chdir(report.home)
        os.execv(jupyter, command)  # JupyterLab replaces this process (Ctrl-C stops it as usual)
    elif c == "demo":
        from designkit.classroom.demo import demo

        return demo(course, args.students, seed=args.seed, jobs=args.jobs, no_sandbox=args.no_sandbox,
                    progress=progress)
    return 0


def _capstone(course, args: argparse.Namespace) -> int:
    from designkit.classroom.peer import PeerConfig
    from designkit.classroom.teams import prepare, propagate, read_teams, resolve, rule
    from designkit.classroom.teams import team_sets as sets_of_teams

    if args.action == "init":
        from designkit.classroom.capstone import init_mentor_course

        if args.target is None:
            print("error: capstone init needs --target DIR (the mentor course's own folder)", file=sys.stderr)
            return 2
        mentors = init_mentor_course(course, args.target)
        _say(f"mentor course {mentors.course_id()} in {mentors.root} (milestones: "
             f"{', '.join(mentors.assignment_names())}); recorded in {course.root / 'capstone.json'}",
             f"next: capstone mentor-sync after collecting, then grade --course-dir {mentors.root}; "
             "export here imports the mentors' scores")
        return 0
    teams = read_teams(course)
    team_sets = sets_of_teams(course)  # one per milestone, whatever its languages
    if args.action == "mentor-sync":
        from designkit.classroom.capstone import sync_to_mentors

        prepare(course, teams, team_sets)
        copied = sync_to_mentors(course, teams)
        _say(*copied, f"{len(copied)} team submission(s) copied to the mentor course")
        return 0
    if args.action == "status":
        from designkit.classroom.capstone import mentor_lines

        _say(rule(), *mentor_lines(course))
        for a in team_sets:
            for ts in resolve(course, teams, a):
                who = ts.counting.member if ts.counting else "nobody"
                _say(f"{a}: team {ts.team}: {who}'s submission counts", *(f"  flag: {f}" for f in ts.flags()))
    elif args.action == "prepare":
        done = prepare(course, teams, team_sets)
        _say(rule(), *(f"  flag: {f}" for ts in done for f in ts.flags()),
             f"set aside: {course.backups / 'team-superseded'}")
    elif args.action == "propagate":
        _say(*propagate(course, teams).lines())
    else:
        from designkit.classroom.capstone import capstone_marks, peer_config, write_peer_report
        from designkit.classroom.results import read_results

        base = peer_config(course)
        config = PeerConfig(base.weight if args.peer_weight is None else args.peer_weight,
                            base.cap if args.peer_cap is None else args.peer_cap)
        marks = capstone_marks(course, read_results(course), config)
        for p in marks.peers:
            _say(f"team {p.team}: " + ", ".join(f"{m} {p.scores[m]:.2f} -> x{p.factors[m]:.2f}" for m in p.members)
                 + (f"; did not rate: {', '.join(p.missing_raters)}" if p.missing_raters else ""),
                 *(f"  flag: {f}" for f in p.flags))
        factors, comments = write_peer_report(course, marks)
        _say(f"wrote {factors} and {comments} (instructors only)")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; errors about the course or its files are printed without a traceback."""
    args = build_parser().parse_args(argv)
    from designkit.classroom.course import CourseError

    start = time.monotonic()
    try:
        status = run(args)
    except CourseError as exc:  # a bad course folder, state file, or a grading run stopped for the environment
        from designkit.classroom.grading import GradingStopped

        print(f"error: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, GradingStopped) else 2
    except Exception as exc:  # the lock and intake refusals: one line, no traceback
        from designkit.grading.intake import IntakeError
        from designkit.grading.lock import LockError

        if not isinstance(exc, LockError | IntakeError):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "demo":
        print(f"demo wall time: {time.monotonic() - start:.0f} s")
    return status
