"""``make demo``: the whole instructor flow on a simulated class, offline, on every problem set.

generate -> release to the exchange -> simulate the class (plus a few malformed submissions) -> collect ->
autograde (sandboxed, parallel) -> a simulated grader scores the written answers -> feedback -> grades.csv
-> report; then a summary table and the report's path.

The demo writes the simulated students (``student01``...) into ``submitted/``, replacing earlier simulated
work of the same names; ``make clean`` removes all grading state.

>>> DEMO_MALFORMED[:2]
['invalid-json', 'empty-file']
"""
from __future__ import annotations

import time

from designkit.classroom.course import Course, set_of
from designkit.classroom.status import State

DEMO_MALFORMED = ["invalid-json", "empty-file", "wrong-name", "duplicate-ids", "markdown-grade-cell",
                  "deleted-cells", "reordered", "extra-files", "non-utf8-name", "edited-locked", "wrong-assignment",
                  "error-in-answer", "infinite-loop"]


def _step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.monotonic()


def _done(start: float, *lines: str) -> None:
    for line in lines:
        print(f"   {line}", flush=True)
    print(f"   ({time.monotonic() - start:.1f} s)", flush=True)


def add_malformed(course: Course, sim, kinds: list[str] | None = None) -> list[tuple[str, str, str]]:
    """Break a few simulated submissions (one per kind, each in a different student's work, spread over
    the sets); returns (student, set, what was done)."""
    from designkit.classroom.malformed import malform

    kinds = list(DEMO_MALFORMED if kinds is None else kinds)
    names = course.set_names()  # another set, never the same set in the other language
    if len(names) < 2 and "wrong-assignment" in kinds:
        kinds.remove("wrong-assignment")  # needs a second set to take the notebook from
    eligible: dict[str, list[str]] = {}
    for (s, a), p in sorted(sim.profiles.items()):
        a = sim.submitted_as.get((s, a), a)  # the set in the language the student works in
        if p.kind in ("full", "mistakes", "partial") and (course.submitted / s / a).is_dir() \
                and set_of(a) != "capstone-peer":  # the peer form has no answer cells to break
            eligible.setdefault(s, []).append(a)
    students = sorted(eligible)
    done = []
    # one kind per student, students spread over the class, sets taken in turn
    stride = max(1, len(students) // max(1, len(kinds)))
    order = [students[(i * stride + i // max(1, len(students))) % len(students)] for i in range(len(students))]
    seen: set[str] = set()
    picked = [s for s in order if not (s in seen or seen.add(s))]
    for k, (kind, student) in enumerate(zip(kinds, picked, strict=False)):
        sets = eligible[student]
        name = sets[k % len(sets)]
        folder = course.submitted / student / name
        if kind == "wrong-assignment":
            other = next(n for n in names if n != set_of(name))
            nb = sorted((course.release / other).glob("*.ipynb"))[0]
            what = malform(folder, kind, other_notebook=nb)
        else:
            what = malform(folder, kind)
        done.append((student, name, what))
    return done


def demo_sandbox(no_sandbox: bool) -> tuple[bool, str]:
    """(use the sandbox?, the line to print). The demo grades only the class it simulated itself, so on a
    machine without bubblewrap it runs unsandboxed with a one-line notice (it never installs anything);
    ``grade`` on real submissions still refuses without the sandbox unless ``--no-sandbox``.

    >>> demo_sandbox(True)[0]
    False
    """
    from designkit.classroom.grading import SandboxRefused, sandbox_decision

    try:
        return sandbox_decision(no_sandbox)
    except SandboxRefused:
        return False, ("notice: bubblewrap is not installed, so the demo grades its own simulated class without "
                       "the sandbox; to grade real submissions install it: sudo apt-get install bubblewrap")


def demo(course: Course, n_students: int = 30, seed: int = 0, jobs: int | None = None, no_sandbox: bool = False,
         progress: bool = True) -> int:
    """Run the whole flow; returns the exit status.
    """
    from designkit.classroom.assignments import release
    from designkit.classroom.collect import collect
    from designkit.classroom.export import write_grades_csv
    from designkit.classroom.feedback import feedback
    from designkit.classroom.grading import default_jobs, grade
    from designkit.classroom.manual import grade_written
    from designkit.classroom.report import write_report
    from designkit.classroom.results import read_results
    from designkit.classroom.simulate import PROFILES, simulate

    use_sandbox, message = demo_sandbox(no_sandbox)
    names = course.check_assignments(None)
    jobs = jobs or default_jobs()
    print(f"Demo on {course.root}: {n_students} simulated students, problem sets {', '.join(names)}, "
          f"{jobs} worker(s).")

    t = _step("1. generate the student versions and release them to the exchange")
    where = release(course, names, progress=progress)
    _done(t, f"assignments/ and {where}")

    team_names = [a for a in names if a.startswith("capstone-")]
    capstone_langs = None
    if team_names:  # teams first, so that one team hands its capstone in in Chinese (capstone.capstone_languages)
        from designkit.classroom import capstone
        from designkit.classroom.simulate import student_ids, student_lang
        from designkit.classroom.teams import read_teams

        students = student_ids(n_students)
        if not capstone.enabled(course):
            capstone.form_teams(course, students, seed)
        capstone_langs = capstone.capstone_languages(read_teams(course, check=False),
                                                     {s: student_lang(students, s) for s in students})

    t = _step("2. simulate the class")
    sim = simulate(course, n_students, seed, names, progress=progress, capstone_langs=capstone_langs)
    broken = add_malformed(course, sim)
    _done(t, ", ".join(f"{k} {sim.count(k)}" for k in PROFILES),
          *(f"malformed: {s}/{a}: {what}" for s, a, what in broken))

    teams = cap = None
    if team_names:
        from designkit.classroom.teams import rule

        t = _step("2b. the capstone: teams, one submission per team (either language), peer forms")
        teams = read_teams(course)
        cap = capstone.simulate_capstone(course, teams, seed, capstone_langs)
        _done(t, f"{len(teams.teams)} teams in {course.root / 'teams.csv'}", rule(), *cap.lines())

    t = _step("3. collect")
    _done(t, *collect(course, names).lines())

    t = _step("4. autograde")
    print(f"   {message}", flush=True)
    if teams is not None:
        from designkit.classroom.teams import prepare

        for flag in [f for ts in prepare(course, teams, names) for f in ts.flags()]:
            print(f"   flag: {flag}", flush=True)
    g = grade(course, names, jobs=jobs, use_sandbox=use_sandbox, progress=progress)
    _done(t, f"graded {g.graded}, not graded {g.not_graded}, skipped (already graded) {g.skipped}, "
             f"missing {g.missing}", f"gradebook backup: {g.backup}")

    if teams is not None:
        t = _step("4b. mentors: each team's M2 in the mentor course, graded and scored there (capstone.json)")
        review = capstone.simulate_mentor_review(course, teams, jobs=jobs, use_sandbox=use_sandbox, progress=progress)
        _done(t, *(review.lines() if review else ["no mentor milestone in this course"]))

    t = _step("5. the simulated grader scores the written answers (Gradebook API, as the Formgrader does)")
    m = grade_written(course, names)
    _done(t, f"scored {m.scored} written answers; left for a person: {m.left}",
          *(f"not scored here: {a} (scored by mentors in the mentor course)" for a in m.for_mentors))

    if teams is not None:
        from designkit.classroom.teams import propagate

        t = _step("5b. the team's result to every member (Gradebook API, graded and feedback folders)")
        _done(t, *propagate(course, teams, names).lines()[1:2])

    t = _step("6. feedback")
    _done(t, *feedback(course, names, jobs=jobs, progress=progress).lines())

    t = _step("7. grades.csv and the report")
    csv_path = write_grades_csv(course)
    report = write_report(course)
    _done(t, f"{csv_path}", f"{report}")

    results = read_results(course, names)
    print("\nSummary")
    header = (f"{'set':<28}{'points':>7}{'graded':>8}{'awaiting':>10}{'not graded':>12}{'missing':>9}{'late':>6}"
              f"{'mean %':>8}")
    print(header)
    print("-" * len(header))
    for a in results.assignments:
        subs = [results.sub(s, a) for s in results.students]
        scores = [100 * s.score / s.max_score for s in results.graded(a) if not s.awaiting_manual and s.max_score]
        mean = f"{sum(scores) / len(scores):.1f}" if scores else "n/a"
        print(f"{a:<28}{results.max_scores[a]:>7g}{results.count(a, State.GRADED):>8}"
              f"{sum(s.awaiting_manual for s in subs):>10}{results.count(a, State.NOT_GRADED):>12}"
              f"{results.count(a, State.MISSING):>9}{sum(s.seconds_late > 0 for s in subs):>6}{mean:>8}")
    print("(awaiting: written parts no person has scored yet; mean % over graded and scored submissions)")

    if teams is not None:
        from designkit.classroom.capstone import capstone_marks

        marks = capstone_marks(course, results)
        ind = [marks.individual(s) for s in results.students if marks.individual(s) is not None]
        low = sorted(s for s in results.students if (marks.factor(s) or 1) < 1)
        mean = f"{100 * sum(ind) / (len(ind) * marks.max_mark):.1f}" if ind and marks.max_mark else "n/a"
        print(f"{'capstone x peer factor':<28}{marks.max_mark:>7g}{len(ind):>8}{'':>10}{'':>12}"
              f"{len(results.students) - len(ind):>9}{'':>6}{mean:>8}")
        print(f"\nCapstone per team and member (team mark out of {marks.max_mark:g}, x peer factor)")
        print("\n".join(marks.table()))
        print("(languages the teams handed in, milestones and peer forms: "
              + "; ".join(f"{t} {' & '.join(ls)}" for t, ls in cap.languages.items()) + ")")
        for line in capstone.mentor_lines(course):
            print(f"({line})")
        print(f"(capstone: {len(teams.teams)} teams; peer factor below 1 for {', '.join(low) or 'nobody'}; "
              f"did not rate: {sum(len(p.missing_raters) for p in marks.peers)}; "
              f"factors in {course.root / 'reports' / 'peer-factors.csv'})")
    same, differ = same_code_same_score(course, sim, {(s, a) for s, a, _ in broken})
    zh = sorted({s for (s, a), v in sim.submitted_as.items() if v != a})
    if zh:
        print(f"\nIn Chinese: {len(zh)} students ({', '.join(zh)}) submitted the Chinese sets (<set>-zh), counted in "
              "the same columns.")
        print(f"Same answers, same autograded score in both languages: {same} English/Chinese pair(s) compared, "
              f"{len(differ)} differ" + "".join(f"\n   DIFFERS: {d}" for d in differ))
    print(f"\nGrades: {csv_path}\nReport: {report}")
    return 1 if zh and differ else 0


def same_code_same_score(course: Course, sim, broken: set[tuple[str, str]]) -> tuple[int, list[str]]:
    """Compare the autograded points of Chinese and English submissions that hand in the same answers (the same
    simulated profile: kind, mistakes, answered cells); returns (pairs compared, the pairs that differ). Malformed
    submissions and late ones are left out (a late penalty is not about the language), and so are the team
    milestones (a member's result there is the team's counting submission, not the member's own)."""
    from designkit.classroom.results import read_results

    results = read_results(course, list(dict.fromkeys(sim.submitted_as.values())))
    by_code: dict[tuple, dict[str, tuple[str, float]]] = {}
    with course.open_gradebook() as gb:
        for (student, name), prof in sorted(sim.profiles.items()):
            variant = sim.submitted_as.get((student, name), name)
            if (prof.kind in ("missing", "late") or (student, variant) in broken or name not in results.assignments
                    or name.startswith("capstone-m")):  # a team milestone's result is the team's, not the profile's
                continue
            sub = results.sub(student, name)
            if sub.state != State.GRADED or sub.variant != variant:
                continue
            nb = gb.find_submission(variant, student)
            auto = sum(g.auto_score or 0 for snb in nb.notebooks for g in snb.grades
                       if g.cell.cell_type == "code")
            key = (name, prof.kind, tuple(prof.mistakes), tuple(prof.answered))
            by_code.setdefault(key, {}).setdefault(sub.lang, (student, auto))
    pairs = [(k, v) for k, v in by_code.items() if len(v) > 1]
    differ = [f"{k[0]} ({k[1]}{', mistakes ' + str(list(k[2])) if k[2] else ''}): "
              + ", ".join(f"{s} ({lang}) {pts:g}" for lang, (s, pts) in sorted(v.items()))
              for k, v in pairs if len({pts for _, pts in v.values()}) > 1]
    return len(pairs), differ
