"""`make bench`: grading speed, notebook run times, toolkit latency and memory -> docs/benchmarks.md.

    .venv/bin/python benchmarks/run.py            # 100 simulated students, every section
    .venv/bin/python benchmarks/run.py --quick    # 10 students: to try it out
    .venv/bin/python benchmarks/run.py --only grading --students 30

Sections: engine (benchmarks/bench_engine.py: the grading engine of commit 6b5be06 and this one, side by
side on the same submissions), grading (benchmarks/bench_grading.py: floor, stock nbgrader, ours with 1 and N workers,
sandbox on and off), notebooks (every course module and every problem-set solution executed: wall
time and the kernel's peak RSS), toolkit (benchmarks/bench_toolkit.py's ``run()``: widget latency,
``import designkit``), jupyterlab (a server's RSS with one module open). Targets are checked here, not
in timed tests. Results are also saved as JSON in .bench/results.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
VENV_BIN = Path(sys.executable).parent
SECTIONS = ("grading", "kernels", "notebooks", "toolkit", "jupyterlab", "engine", "dask")
ENGINE_BEGIN, ENGINE_END = "<!-- engine:begin -->", "<!-- engine:end -->"
TARGETS = {"ours_vs_stock": 3.0, "speedup_n_vs_1": 1.8, "sandbox_overhead": 0.10}


def log(message: str) -> None:
    print(message, flush=True)


# -- environment ---------------------------------------------------------------------------------

def machine() -> dict:
    """CPU, cores, memory, load and versions, for the report."""
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = int(line.split()[1]) * 1024
    except OSError:
        pass
    versions = {}
    for package in ("nbgrader", "nbclient", "jupyter_client", "ipykernel", "jupyterlab", "notebook", "pandas",
                    "matplotlib", "ipywidgets"):
        try:
            versions[package] = version(package)
        except Exception:
            versions[package] = "not installed"
    bwrap = shutil.which("bwrap")
    if bwrap:
        versions["bubblewrap"] = subprocess.run([bwrap, "--version"], capture_output=True, text=True).stdout.split()[-1]
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu,
            "cores": os.cpu_count(), "memory_gib": round(memory / 1024**3, 1), "os": platform.platform(),
            "python": platform.python_version(), "load_before": os.getloadavg(), "versions": versions}


# -- notebooks -----------------------------------------------------------------------------------

RSS_CODE = "import resource as _r; print(_r.getrusage(_r.RUSAGE_SELF).ru_maxrss)"


def run_notebook(path: Path) -> dict:
    """Execute one notebook in a fresh kernel: wall seconds, errors, and the kernel's peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        assert client.kc is not None
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(RSS_CODE)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
        nb.cells.pop()
    rss = "".join(out.get("text", "") for out in probe.get("outputs", []) if out.get("output_type") == "stream")
    errors = sum(1 for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "error")
    peak = int(rss.strip() or 0) * 1024
    return {"seconds": round(seconds, 2), "errors": errors, "peak_rss": peak}


def bench_notebooks() -> dict:
    """Every course module and every problem-set solution (source notebooks), executed."""
    out: dict = {"modules": {}, "solutions": {}}
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for path in sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb")):
        log(f"  module {path.name} ...")
        out["modules"][path.name] = run_notebook(path)
    for path in sorted((ROOT / "source").glob("ps*/ps*.ipynb")):
        log(f"  solution {path.name} ...")
        out["solutions"][path.name] = run_notebook(path)
    return out


# -- JupyterLab ----------------------------------------------------------------------------------

def _rss(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS) of a process, bytes."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def bench_jupyterlab() -> dict:
    """Start JupyterLab, open the first module (a session with its kernel), run its cells; measure RSS."""
    import requests

    module = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))[0]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    cmd = [str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--allow-root", f"--port={port}",
           "--ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}",
           "--LabApp.news_url=None"]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"token {token}"}
    try:
        start = time.perf_counter()
        while True:
            try:
                if requests.get(f"{base}/api/status", headers=headers, timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.perf_counter() - start > 120:
                raise RuntimeError("JupyterLab did not start in 120 s")
            time.sleep(0.3)
        ready = time.perf_counter() - start
        requests.get(f"{base}/lab", headers=headers, timeout=30)  # the page itself, as a browser would
        session = requests.post(f"{base}/api/sessions", headers=headers, timeout=60, json={
            "path": str(module.relative_to(ROOT)), "type": "notebook", "name": module.name,
            "kernel": {"name": "python3"}}).json()
        kernel_id = session["kernel"]["id"]
        time.sleep(3)
        server_rss = _rss(server.pid)
        kernels = [int(p) for p in os.listdir("/proc") if p.isdigit() and _is_child_kernel(int(p), kernel_id)]
        kernel_rss = _rss(kernels[0]) if kernels else (0, 0)
        return {"ready_seconds": round(ready, 1), "module": module.name, "server_rss": server_rss[0],
                "server_peak_rss": server_rss[1], "kernel_rss": kernel_rss[0]}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _is_child_kernel(pid: int, kernel_id: str) -> bool:
    try:
        return kernel_id in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


# -- report --------------------------------------------------------------------------------------

def flatten(data: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Nested results as (dotted key, value) rows."""
    rows: list[tuple[str, object]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += flatten(value, name + ".")
        else:
            rows.append((name, value))
    return rows


def mib(value: int) -> str:
    return f"{value / 1024**2:.0f} MiB" if value else "n/a"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def render(results: dict) -> str:
    m = results["machine"]
    lines = ["# Benchmarks", "",
             "Measured by `make bench` (`.venv/bin/python benchmarks/run.py`); `--quick` runs 10 students.",
             "Speed and memory targets live here, not in timed tests. Rerun on your machine before relying "
             "on a number.", "",
             f"- Date: {m['date']}",
             f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}",
             f"- Load average when the run started: {', '.join(f'{x:.1f}' for x in m['load_before'])} "
             "(other work on the machine slows every variant alike, but adds noise)",
             f"- Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items())]
    measured = results.get("measured", {})
    if measured:
        lines.append("- Sections measured: " + ", ".join(
            f"{name} {measured.get(name, 'in an earlier run of ' + m['date'][:10])}"
            for name in SECTIONS if name in results))
    lines.append("")
    g = results.get("grading")
    if g:
        n, jobs = g["submissions"], g["jobs"]
        per = lambda key: f"{g[key]:.1f} s ({g[key] / max(n, 1):.2f} s/submission)"  # noqa: E731
        lines += [f"## Grading: {g['assignment']}, {n} submissions", "",
                  "| variant | time |", "|---|---|",
                  f"| floor: the cells' own run time in one warm kernel | {per('floor')} |",
                  f"| stock `nbgrader autograde`, serial | {per('stock_serial')} |",
                  f"| ours, 1 worker, sandbox on (fork server) | {per('ours_1_sandbox')} |",
                  f"| ours, {jobs} workers, sandbox on (fork server) | {per(f'ours_{jobs}_sandbox')} |",
                  f"| ours, 1 worker, sandbox off (`--no-sandbox`: cold guarded kernels) | {per('ours_1_nosandbox')} |",
                  f"| nbgrader API + cold sandboxed kernels, 1 process | {per('api_sandbox_cold')} |",
                  f"| nbgrader API + cold unsandboxed guarded kernels, 1 process | {per('api_nosandbox_cold')} |",
                  f"| nbgrader API + fork-server sandboxed kernels, 1 process | {per('api_sandbox_fast')} |",
                  "", "| ratio | value | target |", "|---|---|---|",
                  f"| stock / ours (1 worker) | {g['ours_vs_stock']:.2f}x | >= {TARGETS['ours_vs_stock']}x: "
                  f"{verdict(g['ours_vs_stock'] >= TARGETS['ours_vs_stock'])} |",
                  f"| ours (1 worker) / floor | {g['ours_vs_floor']:.2f}x | as low as possible |",
                  f"| speed-up {jobs} workers vs 1 | {g['speedup_n_vs_1']:.2f}x | >= {TARGETS['speedup_n_vs_1']}x: "
                  f"{verdict(g['speedup_n_vs_1'] >= TARGETS['speedup_n_vs_1'])} |",
                  f"| sandbox overhead, cold kernels (bubblewrap vs none) | {g['sandbox_overhead_cold']:+.1%} | "
                  f"<= {TARGETS['sandbox_overhead']:.0%}: "
                  f"{verdict(g['sandbox_overhead_cold'] <= TARGETS['sandbox_overhead'])} |",
                  f"| ours sandboxed vs ours `--no-sandbox` | {g['sandbox_overhead_ours']:+.1%} | (the fork "
                  "server only runs sandboxed, so this is negative when it wins) |",
                  f"| identical scores (stock, ours 1 and {jobs} workers, API fork server) | "
                  f"{'yes' if g['identical_scores'] else 'NO: ' + json.dumps(g.get('score_differences'))} | yes |",
                  f"| peak RSS of one grading worker (ours, 1 job) | {mib(g.get('peak_rss_worker', 0))} | |", ""]
    kernels = results.get("kernels")
    if kernels:
        lines += ["## Where a submission's fixed cost goes (median of 8 kernels, seconds)", "",
                  "| kernel manager | start to ready | `import pandas, matplotlib.pyplot` | shutdown |",
                  "|---|---|---|---|"]
        names = {"AsyncKernelManager": "stock (jupyter_client)", "GuardedKernelManager": "guarded, no sandbox",
                 "SandboxKernelManager": "sandboxed, cold", "ForkServerKernelManager": "sandboxed, forked"}
        for name, k in kernels.items():
            lines.append(f"| {names.get(name, name)} | {k['start_to_ready']:.2f} | {k['import_pandas_pyplot']:.2f} "
                         f"| {k['shutdown']:.2f} |")
        lines.append("")
    nbs = results.get("notebooks")
    if nbs:
        lines += ["## Notebooks executed (fresh kernel each)", "", "| notebook | seconds | errors | kernel peak RSS |",
                  "|---|---|---|---|"]
        for group in ("modules", "solutions"):
            for name, r in nbs[group].items():
                lines.append(f"| {name} | {r['seconds']:.1f} | {r['errors']} | {mib(r['peak_rss'])} |")
        total = sum(r["seconds"] for group in ("modules", "solutions") for r in nbs[group].values())
        lines += [f"| **all** | {total:.1f} | | |", ""]
    tk = results.get("toolkit")
    if tk:
        lines += ["## Toolkit (benchmarks/bench_toolkit.py: widget latency, figures, `import designkit`)", "",
                  "| measure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in flatten(tk)]
        lines.append("")
    elif "toolkit_missing" in results:
        lines += ["## Toolkit", "", results["toolkit_missing"], ""]
    lab = results.get("jupyterlab")
    if lab:
        lines += ["## JupyterLab", "",
                  f"- Ready in {lab['ready_seconds']} s; with `{lab['module']}` open (a session and its kernel): "
                  f"server RSS {mib(lab['server_rss'])} (peak {mib(lab['server_peak_rss'])}), "
                  f"kernel RSS {mib(lab['kernel_rss'])}.", ""]
    if g:
        n = max(g["submissions"], 1)
        ours, stock_s, floor_s = g["ours_1_sandbox"] / n, g["stock_serial"] / n, g["floor"] / n
        api_fast = g.get("api_sandbox_fast", 0) / n
        lines += ["## Reading the numbers", "",
                  f"- Per submission: stock {stock_s:.2f} s, ours {ours:.2f} s (1 worker), floor {floor_s:.2f} s. "
                  f"Ours spends {ours - floor_s:.2f} s per submission beyond the cells' own run time.",
                  f"- nbgrader's API alone with the fork server takes {api_fast:.2f} s per submission: the "
                  f"rest of ours ({ours - api_fast:+.2f} s) is the pipeline around it (worker start, preflight "
                  "checks, status table, gradebook backup).",
                  "- The fork server removes the kernel's start and the imports (table above); what remains is "
                  "the forked kernel's IPython set-up, nbgrader's own work per notebook (sanitising, two "
                  "conversions, one gradebook write per cell) and the cells themselves. Those set the limit "
                  "on the ratio to stock.",
                  f"- Workers: {g['jobs']} workers on {results['machine']['cores']} cores; other processes on "
                  "the machine (see the load average) take cores away from the parallel run.", ""]
    if results.get("notes"):
        lines += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 students instead of 100")
    parser.add_argument("--students", type=int, default=None, help="simulated students (default 100)")
    parser.add_argument("--jobs", type=int, default=None, help="workers for the parallel run (default: cores)")
    parser.add_argument("--only", choices=SECTIONS, action="append",
                        help="re-measure only these sections (repeatable); the others are kept from the last "
                             "run's .bench/results.json")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"), help="where to write the report")
    parser.add_argument("--render", action="store_true",
                        help="measure nothing: rewrite the report from the last run's .bench/results.json")
    args = parser.parse_args(argv)
    if args.render:
        saved_results = json.loads((ROOT / ".bench" / "results.json").read_text())
        Path(args.out).write_text(splice_dask(splice_engine(render(saved_results) + "\n", saved_results), saved_results))
        log(f"wrote {args.out}")
        return 0
    students = args.students or (10 if args.quick else 100)
    sections = args.only or list(SECTIONS)
    results: dict = {}
    saved = ROOT / ".bench" / "results.json"
    if args.only and saved.exists():
        results = json.loads(saved.read_text())
    results["machine"] = machine()
    results.setdefault("notes", [])
    saved.parent.mkdir(exist_ok=True)

    def save() -> None:  # after each section, so a failure later keeps what was measured
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        for section in SECTIONS:
            if section in results and section in sections:
                results.setdefault("measured", {})[section] = now
        saved.write_text(json.dumps(results, indent=2, default=str))

    if "kernels" in sections:
        from bench_grading import kernel_lifecycle

        log("kernels ...")
        results["kernels"] = kernel_lifecycle()
        save()
    if "grading" in sections:
        from bench_grading import run as grading

        log("grading ...")
        results["grading"] = grading(students, jobs=args.jobs, log=log)
        save()
    if "notebooks" in sections:
        log("notebooks ...")
        results["notebooks"] = bench_notebooks()
        save()
    if "toolkit" in sections:
        if (ROOT / "benchmarks" / "bench_toolkit.py").exists():
            log("toolkit ...")
            from bench_toolkit import run as toolkit

            results["toolkit"] = toolkit()
        else:
            results["toolkit_missing"] = "benchmarks/bench_toolkit.py is not in this checkout yet."
    if "jupyterlab" in sections:
        log("jupyterlab ...")
        results["jupyterlab"] = bench_jupyterlab()
    if "engine" in sections:
        from bench_engine import run as engine

        log("engine (old and new, side by side) ...")
        results["engine"] = engine(min(students, 16), log=log)
        save()
    if "dask" in sections:  # benchmarks/bench_dask.py: Dask with 1 and 2 workers next to the local pool
        from bench_dask import run as dask_run

        log("dask ...")
        results["dask"] = dask_run(min(students, 16), log=log)
        save()
    results["machine"]["load_after"] = os.getloadavg()
    (ROOT / ".bench").mkdir(exist_ok=True)
    (ROOT / ".bench" / "results.json").write_text(json.dumps(results, indent=2, default=str))
    out = Path(args.out)
    others = [name for name in SECTIONS if name not in ("engine", "dask") and name in results]
    text = render(results) + "\n" if others or not out.exists() else out.read_text()
    out.write_text(splice_dask(splice_engine(text, results), results))
    log(f"wrote {args.out}")
    return 0


def splice_dask(text: str, results: dict) -> str:
    from bench_dask import splice_results

    return splice_results(text, results)


def splice_engine(text: str, results: dict) -> str:
    """Put the engine section (between its markers) into the report, keeping everything else."""
    from bench_engine import render as render_engine

    if "engine" not in results:
        return text
    measured = results.get("measured", {}).get("engine", results["machine"]["date"])
    block = f"{ENGINE_BEGIN}\n{render_engine(results['engine'], measured)}\n{ENGINE_END}\n"
    if ENGINE_BEGIN in text and ENGINE_END in text:
        head, rest = text.split(ENGINE_BEGIN, 1)
        return head + block + rest.split(ENGINE_END, 1)[1].lstrip("\n")
    first = text.find("\n## ")
    return text + "\n" + block if first < 0 else text[:first + 1] + block + "\n" + text[first + 1:]


if __name__ == "__main__":
    sys.exit(main())
