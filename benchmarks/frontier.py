"""Time of "what each extra tỷ buys" (maison_geo.planning.frontier: 12 optimal plans from no budget to
every gap closed, plus the chosen budget and one tỷ more) on the REAL store of Mai Sơn (22 communes
before 2025, 8 after) beside one plan (make_plan) at the same budget, measured in the same run.

    .venv/bin/python benchmarks/frontier.py [--repeat 7] [--store instance/maison.gpkg]

Writes benchmarks/out/frontier.md; benchmarks/RESULTS.md records a run.
"""
import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from maison_geo.indicators import Catalogue  # noqa: E402
from maison_geo.planning import frontier, make_plan  # noqa: E402
from maison_geo.store import open_store  # noqa: E402


def timed(call, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--store", default=str(HERE.parent / "instance" / "maison.gpkg"))
    parser.add_argument("--out", default=str(HERE / "out" / "frontier.md"))
    args = parser.parse_args()
    store, catalogue = open_store(args.store), Catalogue.load()
    lines = ["# Planner: what each extra tỷ buys (frontier) beside one plan", "",
             f"Machine: {platform.platform()}, Python {platform.python_version()}; {args.repeat} runs each, "
             f"{time.strftime('%Y-%m-%d')}. Real store, objective `benefit`, budget 20 tỷ đồng.", "",
             "| era | points | frontier median (s) | frontier max (s) | one plan median (s) | ratio |",
             "|---|---:|---:|---:|---:|---:|"]
    for vintage in ("pre2025", "post2025"):
        for points in (12, 24):
            data = {"budget": 20e9, "vintage": vintage, "points": points}
            curve_s, curve_max = timed(lambda: frontier(store, catalogue, data), args.repeat)
            plan_s, _ = timed(lambda: make_plan(store, catalogue, data), args.repeat)
            lines.append(f"| {vintage} | {points} | {curve_s:.3f} | {curve_max:.3f} | {plan_s:.3f} | "
                         f"{curve_s / plan_s:.1f} |")
            print(lines[-1], flush=True)
    lines += ["", "Rerun:", "", f"    .venv/bin/python benchmarks/frontier.py --repeat {args.repeat}", ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
