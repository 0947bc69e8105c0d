"""Benchmark of the toolkit: editor latency (change -> feedback + redraw), figure time, import time.

``run() -> dict`` is called by ``benchmarks/run.py``; run this file as a script to print the results.
Targets: median change -> feedback + redraw <= 50 ms per editor; ``import designkit`` in a fresh
interpreter <= 0.5 s; any figure built and rendered well under 200 ms; no memory growth on redraw.

    .venv/bin/python benchmarks/bench_toolkit.py
"""
from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

os.environ.setdefault("MPLBACKEND", "Agg")

TARGET_CHANGE_MS = 50.0
TARGET_IMPORT_S = 0.5
TARGET_FIGURE_MS = 200.0


def _median_ms(action: Callable[[int], object], n: int, warmup: int = 3) -> tuple[float, float, float]:
    """(median wall ms, 90th percentile wall ms, median CPU ms of this process).

    CPU time is reported too because the wall time of a 2-core machine shared with other jobs
    includes waiting for a core; compare the load average printed with the results.
    """
    for i in range(warmup):
        action(i)
    times, cpu = [], []
    for i in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        action(i)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.9))], statistics.median(cpu)


def _editors():
    """One editor per model on the Project Mwana case, and the control change that drives it."""
    from designkit.framing import (
        HowMightWe,
        Idea,
        JourneyMap,
        Node,
        PriorityMatrix,
        ProblemTree,
        Stage,
        Stakeholder,
        StakeholderMap,
    )
    from designkit.widgets import (
        HowMightWeBuilder,
        IndicatorExplorer,
        JourneyMapEditor,
        PersonaEditor,
        PriorityMatrixEditor,
        ProblemTreeEditor,
        StakeholderMapEditor,
    )

    tree = ProblemTreeEditor(ProblemTree(
        "HIV-exposed infants wait months for their test results",
        [Node("results travel by courier from the labs", "seidenberg2012", [Node("only 3 labs run the test")]),
         Node("clinics cannot reach mothers", "sutcliffe2017", [Node("few mothers have used a phone")]),
         Node("paper results pile up")],
        [Node("treatment starts late", None, [Node("infected infants die before age 1")]),
         Node("mothers stop coming back")]))
    core = tree.core.value
    people = StakeholderMapEditor(StakeholderMap([
        Stakeholder("HIV-exposed infants", "rights-holder", 5, 1), Stakeholder("Mothers", "rights-holder", 5, 2),
        Stakeholder("Ministry of Health", "duty-bearer", 4, 5), Stakeholder("Clinic staff", "implementer", 4, 3),
        Stakeholder("Community agents", "implementer", 4, 2), Stakeholder("UNICEF", "funder", 4, 4)]))
    journey = JourneyMapEditor(JourneyMap("Chipo", [
        Stage("Tested", ["blood spot"], ["clinic"], [], 0),
        Stage("Sample to the lab", ["waits"], ["courier"], ["only 3 labs"], -1),
        Stage("Waiting", ["walks back to ask"], ["clinic"], ["no news for weeks", "each trip costs a day"], -2),
        Stage("Result arrives", ["traced by an agent"], ["SMS printer"], ["no phone"], -1),
        Stage("Treatment", ["collects medicine"], ["clinic"], [], 1)]))
    matrix = PriorityMatrixEditor(PriorityMatrix([Idea("Text results to clinics", 5, 4), Idea("Agents trace mothers", 4, 4),
                                                  Idea("Drones carry samples", 4, 2), Idea("More PCR labs", 5, 1)]))
    persona = PersonaEditor()
    hmw = HowMightWeBuilder(HowMightWe("How might we help mothers in rural Zambia learn results in time?"))
    explorer = IndicatorExplorer(countries=["Zambia", "Malawi", "Uganda"])
    return {
        "ProblemTreeEditor": lambda i: setattr(tree.core, "value", core + ("." if i % 2 else "")),
        "StakeholderMapEditor": lambda i: setattr(people.rows.rows[0]["influence"], "value", 1 + i % 5),
        "JourneyMapEditor": lambda i: setattr(journey.rows.rows[0]["emotion"], "value", -2 + i % 5),
        "PriorityMatrixEditor": lambda i: setattr(matrix.rows.rows[0]["impact"], "value", 1 + i % 5),
        "PersonaEditor": lambda i: setattr(persona.name, "value", f"Chipo {i}"),
        "HowMightWeBuilder": lambda i: setattr(hmw.text, "value", hmw.text.value.rstrip("?") + ("??" if i % 2 else "?")),
        "IndicatorExplorer": lambda i: setattr(explorer.countries, "value",
                                               ["Zambia", "Malawi", "Uganda"][: 1 + i % 3]),
    }, tree


def bench_editors(n: int = 30) -> dict:
    """Median and 90th percentile of one control change -> model, feedback and figure redrawn."""
    actions, _ = _editors()
    out = {}
    for name, action in actions.items():
        median, p90, cpu = _median_ms(action, n)
        out[name] = {"median_ms": round(median, 1), "p90_ms": round(p90, 1), "cpu_median_ms": round(cpu, 1)}
    return out


def bench_memory(changes: int = 40) -> dict:
    """Python memory held after many redraws of the problem-tree editor (KiB; ~0 means no growth)."""
    actions, _ = _editors()
    action = actions["ProblemTreeEditor"]
    for i in range(5):
        action(i)
    gc.collect()
    tracemalloc.start()
    for i in range(changes // 2):
        action(i)
    gc.collect()
    first = tracemalloc.get_traced_memory()[0]
    for i in range(changes // 2):
        action(i)
    gc.collect()
    second = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return {"changes": changes, "growth_kib_second_half": round((second - first) / 1024, 1)}


def bench_figures(n: int = 7) -> dict:
    """Median time to build each figure and render it to PNG (ms)."""
    import designkit.data as kit_data
    from designkit import plots
    from designkit.framing import (
        Idea,
        JourneyMap,
        Node,
        PriorityMatrix,
        ProblemTree,
        Stage,
        Stakeholder,
        StakeholderMap,
    )

    tidy = kit_data.tidy("sowc_child_mortality")
    wide = kit_data.load("sowc_child_mortality")
    makers = {
        "trend_with_target": lambda: plots.trend_with_target(tidy, "under5_mortality_rate", ["Zambia", "Malawi", "Uganda"]),
        "equity_gap": lambda: plots.equity_gap(wide, "under5_mortality_2018_male", "under5_mortality_2018_female"),
        "problem_tree": lambda: plots.problem_tree(ProblemTree("late results", [Node("courier"), Node("few labs"),
                                                                                 Node("no phones")],
                                                               [Node("late treatment"), Node("deaths")])),
        "stakeholder_grid": lambda: plots.stakeholder_grid(StakeholderMap([Stakeholder("Infants", "rights-holder", 5, 1),
                                                                           Stakeholder("MoH", "duty-bearer", 4, 5)])),
        "journey_map": lambda: plots.journey_map(JourneyMap("Chipo", [Stage("A", [], [], [], 0),
                                                                      Stage("B", [], [], ["wait"], -2),
                                                                      Stage("C", [], [], [], 1)])),
        "priority_matrix": lambda: plots.priority_matrix(PriorityMatrix([Idea("SMS", 5, 4), Idea("Drones", 4, 2)])),
    }
    return {name: round(_median_ms(lambda _i, m=make: plots.to_png(m()), n, warmup=1)[0], 1)
            for name, make in makers.items()}


def bench_import(repeat: int = 5) -> dict:
    """``import designkit`` (and its subpackages) in fresh interpreters: median seconds."""
    code = ("import time; t = time.perf_counter(); import {mod}; "
            "print(time.perf_counter() - t)")
    out = {}
    for mod in ("designkit", "designkit.framing", "designkit.plots", "designkit.widgets"):
        times, walls = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            res = subprocess.run([sys.executable, "-c", code.format(mod=mod)], capture_output=True, text=True,
                                 check=True, env={**os.environ, "MPLBACKEND": "Agg"})
            walls.append(time.perf_counter() - t0)
            times.append(float(res.stdout.strip().splitlines()[-1]))
        out[mod] = {"import_s": round(statistics.median(times), 3), "process_s": round(statistics.median(walls), 3)}
    return out


def run() -> dict:
    """All toolkit measurements, with their targets and whether each is met."""
    load_before = os.getloadavg()[0]
    editors = bench_editors()
    figures = bench_figures()
    imports = bench_import()
    memory = bench_memory()
    worst_editor = max(v["median_ms"] for v in editors.values())
    return {
        "editor_change_to_feedback_and_redraw": editors,
        "editor_median_ms_overall": round(statistics.median(v["median_ms"] for v in editors.values()), 1),
        "editor_worst_median_ms": worst_editor,
        "editor_target_ms": TARGET_CHANGE_MS,
        "editor_target_met": worst_editor <= TARGET_CHANGE_MS,
        "figure_build_and_png_ms": figures,
        "figure_target_ms": TARGET_FIGURE_MS,
        "figure_target_met": max(figures.values()) < TARGET_FIGURE_MS,
        "import": imports,
        "import_target_s": TARGET_IMPORT_S,
        "import_target_met": imports["designkit"]["import_s"] <= TARGET_IMPORT_S,
        "redraw_memory": memory,
        "cpus": os.cpu_count(),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    import json

    print(json.dumps(run(), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
