#!/usr/bin/env python3
"""The repetitions of one case (bench/suite.sh): how many ran on a quiet host, and which one counts.

usage: pick_repetition.py RESULTS SERVER CASE quiet-count STEAL_LIMIT_PCT
       pick_repetition.py RESULTS SERVER CASE least-steal
       pick_repetition.py RESULTS SERVER CASE median-p99 STEAL_LIMIT_PCT

The repetitions are the lines of RESULTS labelled "<SERVER>/<CASE>~k". A run is quiet when the
hypervisor took at most STEAL_LIMIT_PCT of the CPU time during it (unknown steal counts as
quiet); quiet-count prints how many were. With the other two rules the chosen one is
appended as "<SERVER>/<CASE>", with how it was chosen, every repetition's figures, and lost,
duplicates and errors summed over all of them (a loss in any run counts).
  least-steal: the throughput run during which the hypervisor took the least CPU time: chosen
               by the host's state, never by the run's own result.
  median-p99:  the run with the median p99 among the quiet ones (among all when none was);
               of an even count, the higher of the two middle ones (the conservative one).
Exits 1 when no repetition has the figure needed.
"""
import json
import sys


def repetitions(results, server, case):
    prefix = f"{server}/{case}~"
    with open(results) as f:
        return [r for r in map(json.loads, f) if (r.get("label") or "").startswith(prefix)]


def least_steal(runs):
    measured = [r for r in runs if r.get("msgs_per_s") is not None]
    if not measured:
        return None
    chosen = dict(min(measured, key=lambda r: r.get("host_steal_pct") or 0.0))
    chosen["msgs_per_s_runs"] = [r.get("msgs_per_s") for r in runs]
    return chosen


def is_quiet(run, limit):
    steal = run.get("host_steal_pct")
    return steal is None or steal <= limit


def median_p99(runs, limit):
    timed = sorted((r for r in runs if r.get("p99_ms") is not None), key=lambda r: r["p99_ms"])
    if not timed:
        return None
    quiet = [r for r in timed if is_quiet(r, limit)]
    among = quiet or timed
    chosen = dict(among[len(among) // 2])
    chosen["quiet_repeats"] = len(quiet)
    chosen["p99_ms_runs"] = [r.get("p99_ms") for r in runs]
    return chosen


def main(argv):
    if len(argv) < 5 or argv[4] not in ("quiet-count", "least-steal", "median-p99"):
        sys.exit(__doc__)
    results, server, case, rule = argv[1:5]
    runs = repetitions(results, server, case)
    if rule == "quiet-count":
        print(sum(is_quiet(r, float(argv[5])) for r in runs))
        return 0
    if rule == "least-steal":
        chosen = least_steal(runs)
    else:
        chosen = median_p99(runs, float(argv[5]))
    if chosen is None:
        return 1
    chosen["label"] = f"{server}/{case}"
    chosen["repeats"] = len(runs)
    chosen["chosen_by"] = rule.replace("-", "_")
    chosen["host_steal_pct_runs"] = [r.get("host_steal_pct") for r in runs]
    for key in ("lost", "duplicates", "errors"):
        chosen[key] = sum(r.get(key) or 0 for r in runs)
    with open(results, "a") as f:
        f.write(json.dumps(chosen) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
