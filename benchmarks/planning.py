"""Solve time of the investment planner's allocation (maison_geo.planning.solve_milp, scipy/HiGHS) on
SYNTHETIC instances: 22, 204 and 3,321 units × 5 interventions. The instances are made up (random
gaps, households and unit costs near the planning assumptions of geodata/interventions.json, seed
fixed); they measure the solver, not any real plan.

    .venv/bin/python benchmarks/planning.py [--sizes 22 204 3321] [--repeat 3] [--time-limit 60]

Writes benchmarks/out/planning.md (the table and the command); benchmarks/RESULTS.md records a run.
"""
import argparse
import platform
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import scipy  # noqa: E402

from maison_geo.planning import DEFAULT_MIP_GAP, Item, greedy, solve_milp, spend  # noqa: E402

COSTS = {"road": 3e9, "village_gate": 150e6, "house_gate_light": 5e6, "grid": 25e6, "clean_water": 8e6}


def instance(n_units, seed=2026):
    """5 items per unit; gaps and households drawn at random; bản gate beneficiaries = households/bản."""
    rng = random.Random(seed + n_units)
    items = []
    for u in range(n_units):
        households = rng.randint(300, 5000)
        bans = rng.randint(5, 40)
        gaps = {"road": rng.choice([0, 0, rng.randint(1, 10)]), "village_gate": rng.randint(0, bans),
                "house_gate_light": rng.randint(0, households // 2), "grid": rng.randint(0, households // 20),
                "clean_water": rng.randint(0, households // 5)}
        per_unit = {"road": 30.0, "village_gate": households / bans, "house_gate_light": 1.0, "grid": 1.0,
                    "clean_water": 1.0}
        for key, cost in COSTS.items():
            items.append(Item(cost * rng.uniform(0.8, 1.2), per_unit[key], gaps[key], f"u{u}"))
    return items


def run(n_units, years, repeat, time_limit, mip_gap):
    items = instance(n_units)
    closing = sum(it.cost * it.gap for it in items)
    budgets = [0.3 * closing / years] * years
    times, sol = [], None
    for _ in range(repeat):
        sol = solve_milp(items, budgets, time_limit=time_limit, mip_rel_gap=mip_gap)
        times.append(sol.seconds)
    g = greedy(items, budgets)
    assert all(spend(items, sol.units, y) <= b for y, b in enumerate(budgets))
    assert all(sum(u) <= it.gap for it, u in zip(items, sol.units))
    return {"units": n_units, "items": len(items), "years": years, "variables": len(items) * years,
            "median_s": statistics.median(times), "max_s": max(times), "status": sol.status,
            "mip_gap": sol.mip_gap, "milp": sol.objective if sol.found else None, "greedy": g.objective, "greedy_s": g.seconds}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[22, 204, 3321])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--mip-gap", type=float, default=DEFAULT_MIP_GAP,
                        help="relative optimality gap HiGHS must prove (the planner's default)")
    parser.add_argument("--out", default=str(HERE / "out" / "planning.md"))
    args = parser.parse_args()
    rows = []
    for years in (1, 5):
        for n in args.sizes:
            row = run(n, years, args.repeat, args.time_limit, args.mip_gap)
            rows.append(row)
            print(row, flush=True)
    lines = [
        "# Investment planner: solve time",
        "",
        "SYNTHETIC instances (random gaps, households and unit costs near the planning assumptions; seed "
        "fixed) — they measure the solver, not a real plan. Budget = 30 % of the cost of closing every gap "
        "(one total budget, or split evenly over 5 years 2026–2030). Exact MILP by `scipy.optimize.milp` "
        f"(HiGHS), `mip_rel_gap` {args.mip_gap:g} (the planner's default), time limit {args.time_limit:g} s; "
        "greedy = cheapest per beneficiary first. status `optimal` = proven within that gap; `time_limit` = "
        "best plan found when the limit was reached (still feasible, never above budget or gap).",
        "",
        f"Machine: {platform.platform()}, Python {platform.python_version()}, SciPy {scipy.__version__}; "
        f"{args.repeat} runs each, run on {time.strftime('%Y-%m-%d')}.",
        "",
        "| units × 5 interventions | budget periods | variables | MILP median (s) | MILP max (s) | status | "
        "proven gap | MILP beneficiaries | greedy beneficiaries | MILP gain over greedy | greedy (s) |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["milp"] is None:
            milp, gain, gap = "no plan found in time (the planner shows the greedy plan)", "–", "–"
        else:
            milp, gap = f"{r['milp']:,.1f}", f"{(r['mip_gap'] or 0):.1e}"
            gain = f"{(r['milp'] - r['greedy']) / r['greedy'] * 100 if r['greedy'] else 0.0:+.4f} %"
        lines.append(f"| {r['units']:,} | {r['years']} | {r['variables']:,} | {r['median_s']:.3f} | {r['max_s']:.3f} | "
                     f"{r['status']} | {gap} | {milp} | {r['greedy']:,.1f} | {gain} | {r['greedy_s']:.3f} |")
    command = " ".join(["    .venv/bin/python benchmarks/planning.py", "--sizes", *map(str, args.sizes),
                        "--repeat", str(args.repeat), "--time-limit", f"{args.time_limit:g}",
                        "--mip-gap", f"{args.mip_gap:g}"])
    lines += ["", "Rerun (takes about 10 minutes; run it on an otherwise idle machine):", "", command, ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
