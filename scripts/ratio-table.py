#!/usr/bin/env python3
"""TotalRecall's ratio effect (paper 000, sec. 3.5, Tables 1 and 3) as in BENCHMARKS.md: MFb
(the logistic loss) with a negative users and b negative items per positive, [a:b] in
{0:8, 8:0, 4:4, 8:8}, ML-1M, d = 96, on protocol `ncf` (u2i: HR@10 / NDCG@10) and `pums` (i2u:
Precision@10 / Recall@10 of the potential users of each test item).

Each (ratio, protocol) pair is tuned on that protocol's validation part, never on its test part:
`train --validation` holds out `pums`'s own validation items, and for `ncf` one training
interaction per user; the recipe with the best validation metric (pums: Precision@10, ncf:
NDCG@10) is chosen and that model is evaluated once on the test part.

  scripts/ratio-table.py                      TOTALRECALL=launcher OUT=dir THREADS=n

Results accumulate in OUT/results.jsonl (finished runs are not repeated); the table is printed
at the end.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.environ.get("TOTALRECALL", os.path.join(ROOT, "totalrecall"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "target", "ratio-table"))
THREADS = os.environ.get("THREADS", "2")
SHARED = os.path.join(ROOT, "..", "shared", "data")

RATIOS = ["0:8", "8:0", "4:4", "8:8"]
PROTOCOLS = {
    "ncf": (["--data", os.path.join(SHARED, "ml-1m-ncf")], "ndcg@10"),
    "pums": (["--data", os.path.join(SHARED, "ml-1m"), "--protocol", "pums"], "precision@10"),
}
# recipes shared by every ratio: the defaults (cosine, tau 0.125, Adam 0.003 decaying linearly),
# dot scores (the scorer of the MF baselines) without and with a little L2, and cosine at a
# higher and a lower temperature
RECIPES = {
    "cosine": [],
    "dot": ["--scorer", "dot"],
    "dot-l2": ["--scorer", "dot", "--l2", "0.001"],
    "cosine-tau0.25": ["--tau", "0.25"],
    "cosine-tau0.0625": ["--tau", "0.0625"],
}
PAPER = {  # paper 000, Table 1 (ncf HR@10 / NDCG@10) where given, Table 3 (pums P@10 / R@10)
    "0:8": "1.47 / 5.61", "8:0": "4.44 / 12.82", "4:4": "3.12 / 9.28", "8:8": "3.02 / 8.64",
}


def run_json(args):
    p = subprocess.run([LAUNCHER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()[-500:]))
    return json.loads(p.stdout)


def main():
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "results.jsonl")
    done = {}
    if os.path.exists(path):
        for line in open(path):
            r = json.loads(line)
            done[(r["ratio"], r["protocol"], r["recipe"])] = r
    for ratio in RATIOS:
        for protocol, (data, metric) in PROTOCOLS.items():
            for recipe, flags in RECIPES.items():
                key = (ratio, protocol, recipe)
                if key in done:
                    continue
                model = os.path.join(OUT, "%s-%s-%s.trm" % (ratio.replace(":", "-"), protocol, recipe))
                doc = run_json(["train"] + data + ["--objective", "mfb", "--ratio", ratio, "--dim", "96", "--seed", "1",
                                                   "--threads", THREADS, "--validation", "--json", "--quiet",
                                                   "--model", model] + flags)
                s = doc["summary"]
                r = {"ratio": ratio, "protocol": protocol, "recipe": recipe, "flags": flags, "model": model,
                     "validation": s["bestMetrics"][metric], "bestEpoch": s["bestEpoch"], "epochsRun": s["epochsRun"]}
                done[key] = r
                with open(path, "a") as f:
                    f.write(json.dumps(r) + "\n")
                print("%s %-5s %-7s validation %s %.4f (epoch %d of %d)" % (
                    ratio, protocol, recipe, metric, r["validation"], r["bestEpoch"], r["epochsRun"]), flush=True)
    tests = {}
    test_path = os.path.join(OUT, "test.jsonl")
    if os.path.exists(test_path):
        for line in open(test_path):
            t = json.loads(line)
            tests[(t["ratio"], t["protocol"], t["recipe"])] = t
    for ratio in RATIOS:
        for protocol, (data, metric) in PROTOCOLS.items():
            best = max((done[(ratio, protocol, rc)] for rc in RECIPES), key=lambda r: r["validation"])
            if (ratio, protocol, best["recipe"]) not in tests:
                doc = run_json(["evaluate", "--model", best["model"]] + data + ["--json"])
                m = doc["metrics"]
                t = dict(best, test={k: m[k] for k in ("hr@10", "ndcg@10", "precision@10", "recall@10") if k in m})
                tests[(ratio, protocol, best["recipe"])] = t
                with open(test_path, "a") as f:
                    f.write(json.dumps(t) + "\n")
    print("| ratio | ncf recipe (validation NDCG@10) | ncf HR@10 | ncf NDCG@10 | pums recipe (validation P@10) "
          "| pums P@10 | pums R@10 | paper pums P@10 / R@10 |")
    print("|---|---|---|---|---|---|---|---|")
    chosen = {}
    for ratio in RATIOS:
        for protocol in PROTOCOLS:
            best = max((done[(ratio, protocol, rc)] for rc in RECIPES), key=lambda r: r["validation"])
            chosen[(ratio, protocol)] = tests[(ratio, protocol, best["recipe"])]
    for ratio in RATIOS:
        n = chosen[(ratio, "ncf")]
        p = chosen[(ratio, "pums")]
        print("| [%s] | %s (%.4f) | %.4f | %.4f | %s (%.2f%%) | %.2f%% | %.2f%% | %s |" % (
            ratio, n["recipe"], n["validation"], n["test"]["hr@10"], n["test"]["ndcg@10"], p["recipe"],
            100 * p["validation"], 100 * p["test"]["precision@10"], 100 * p["test"]["recall@10"], PAPER[ratio]))
    p08 = chosen[("0:8", "pums")]["test"]["precision@10"]
    p80 = chosen[("8:0", "pums")]["test"]["precision@10"]
    print("pums P@10 [8:0] / [0:8] = %.2fx; ncf HR@10 [0:8] - [8:0] = %+.4f" % (
        p80 / p08, chosen[("0:8", "ncf")]["test"]["hr@10"] - chosen[("8:0", "ncf")]["test"]["hr@10"]))


if __name__ == "__main__":
    for d in ("ml-1m-ncf", "ml-1m"):
        if not os.path.isdir(os.path.join(SHARED, d)):
            sys.exit("ratio-table: %s not found (../shared/data beside the repository)" % os.path.join(SHARED, d))
    main()
