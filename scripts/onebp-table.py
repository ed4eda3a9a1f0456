#!/usr/bin/env python3
"""One Backpropagation against two-sided training (paper 004, sec. 4.1 and Table 4) as in
BENCHMARKS.md: MF (dot scores), InfoNCE with random negatives (sampled softmax over uniform
negative items) and BPR, each with --update two-sided, onebp, user-only (004 Table 4's "only
users": gradients update users, items follow their users by the moving aggregation) and
users-only (items frozen at their initialisation), on ML-1M and Gowalla under protocol `random-split` (80/20 per user, split seed 42).
Every run holds out 10% of its training part for validation (early stopping on NDCG@10, best
epoch kept); the test part is evaluated once. Reports Precision, Recall and NDCG at 5, 10 and 20
and the seconds per epoch.

  scripts/onebp-table.py                    TOTALRECALL=launcher OUT=dir

Results accumulate in OUT/results.jsonl (finished runs are skipped); the table is printed last.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.environ.get("TOTALRECALL", os.path.join(ROOT, "totalrecall"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "target", "onebp-table"))
SHARED = os.path.join(ROOT, "..", "shared", "data")

DATASETS = {"ml-1m": os.path.join(SHARED, "ml-1m"), "gowalla": os.path.join(SHARED, "gowalla")}
METHODS = {
    "infonce-random": ["--objective", "sampled-softmax", "--sampler", "uniform", "--ratio", "0:64"],
    "bpr": ["--objective", "bpr"],
}
UPDATES = ["two-sided", "onebp", "user-only", "users-only"]
METRICS = ["precision@5", "recall@5", "ndcg@5", "precision@10", "recall@10", "ndcg@10", "precision@20", "recall@20",
           "ndcg@20"]


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
            done[(r["data"], r["method"], r["update"])] = r
    for data, folder in DATASETS.items():
        for method, flags in METHODS.items():
            for update in UPDATES:
                if (data, method, update) in done:
                    continue
                model = os.path.join(OUT, "%s-%s-%s.trm" % (data, method, update))
                t = run_json(["train", "--data", folder, "--protocol", "random-split", "--split-seed", "42",
                              "--scorer", "dot", "--dim", "64", "--epochs", "30", "--seed", "1", "--threads", "2",
                              "--update", update, "--validation", "--json", "--quiet", "--model", model] + flags)
                e = run_json(["evaluate", "--model", model, "--data", folder, "--json"])
                s = t["summary"]
                r = {"data": data, "method": method, "update": update, "bestEpoch": s["bestEpoch"],
                     "epochsRun": s["epochsRun"],
                     "secondsPerEpoch": s["trainSeconds"] / max(1, s["epochsRun"]),
                     "test": {k: e["metrics"][k] for k in METRICS}}
                done[(data, method, update)] = r
                with open(path, "a") as f:
                    f.write(json.dumps(r) + "\n")
                print("%-8s %-15s %-10s NDCG@10 %.4f  (epoch %d of %d, %.1f s/epoch)" % (
                    data, method, update, r["test"]["ndcg@10"], r["bestEpoch"], r["epochsRun"], r["secondsPerEpoch"]),
                    flush=True)
    print("| data | method | update | P@5 | R@5 | NDCG@5 | P@10 | R@10 | NDCG@10 | P@20 | R@20 | NDCG@20 | s/epoch |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for (data, method, update), r in done.items():
        print("| %s | %s | %s | %s | %.1f |" % (data, method, update,
              " | ".join("%.4f" % r["test"][k] for k in METRICS), r["secondsPerEpoch"]))


if __name__ == "__main__":
    for d in DATASETS.values():
        if not os.path.isdir(d):
            sys.exit("onebp-table: %s not found (../shared/data beside the repository)" % d)
    main()
