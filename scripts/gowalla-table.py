#!/usr/bin/env python3
"""The Gowalla method table of BENCHMARKS.md: every objective/sampler pairing of issue 11 on the
LightGCN split (protocol `full`), each tuned modestly on a validation split carved from the
training part, never on the test part.

For every row, each candidate setting is trained with `train --validation` (one training
interaction per user held out, full-ranking NDCG@10 on 5,000 of those users picks the epoch and
stops the run after 5 validations without improvement, keeping the best epoch). The candidate
with the best validation NDCG@20 is the row's setting; that same model (trained on the training
part minus the held-out interactions) is then evaluated once on the test part. Nothing about the
test part feeds back into any choice.

  scripts/gowalla-table.py [ROW ...]          rows to run (default: all), in the order given
  TOTALRECALL=path/to/launcher OUT=dir         (defaults: ./totalrecall, target/gowalla-table)

Results accumulate in OUT/results.jsonl (a finished candidate is not trained again), and the
markdown table of every finished row is printed at the end. Run on a quiet machine for the
positives/s column.
"""
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.environ.get("TOTALRECALL", os.path.join(ROOT, "totalrecall"))
OUT = os.environ.get("OUT", os.path.join(ROOT, "target", "gowalla-table"))
DATA = os.path.join(ROOT, "..", "shared", "data", "gowalla")

# row name -> (base flags, [candidate extra flags, ...]); every run: dim 64, seed 1, 2 threads,
# at most 30 epochs (fewer for the full softmax, whose epoch costs B x 41k per batch)
ROWS = {
    "bpr+uniform": (["--objective", "bpr", "--sampler", "uniform"], [
        [], ["--tau", "0.08"], ["--l2", "0.01"], ["--scorer", "dot", "--l2", "0.01"], ["--scorer", "dot"],
        ["--scorer", "dot", "--l2", "0.0001"]]),
    "bpr+popularity": (["--objective", "bpr", "--sampler", "popularity"], [
        [], ["--beta", "0.5"], ["--beta", "0.25"]]),
    "warp": (["--objective", "warp"], [
        [], ["--margin", "2"], ["--margin", "0.5"]]),
    "logistic+uniform": (["--objective", "logistic", "--sampler", "uniform"], [
        [], ["--ratio", "0:4"], ["--ratio", "0:4", "--negative-weight", "0.25"]]),
    "mfb 0:8": (["--objective", "mfb", "--ratio", "0:8"], [
        [], ["--tau", "0.25"]]),
    "mfb 8:8": (["--objective", "mfb", "--ratio", "8:8"], [
        [], ["--tau", "0.25"]]),
    "sampled-softmax+uniform": (["--objective", "sampled-softmax", "--sampler", "uniform", "--shared", "1024"], [
        ["--tau", "0.1"], []]),
    "sampled-softmax+popularity": (["--objective", "sampled-softmax", "--sampler", "popularity", "--shared", "1024"], [
        ["--tau", "0.1"], []]),
    "sampled-softmax+mixed": (["--objective", "sampled-softmax", "--sampler", "mixed"], [
        ["--tau", "0.1"], []]),
    "bi-infonce": (["--objective", "bi-infonce"], [
        ["--tau", "0.09", "--logq-weight", "1.75", "--l2", "0.01"], [],
        ["--tau", "0.08", "--logq-weight", "2", "--l2", "0.01"]]),
    "bi-infonce, d = 128": (["--objective", "bi-infonce", "--dim", "128"], [
        ["--tau", "0.09", "--logq-weight", "1.75", "--l2", "0.01"], ["--tau", "0.08", "--logq-weight", "2", "--l2", "0.01"]]),
    "ials": (["--objective", "ials", "--epochs", "20"], [
        ["--l2", "0.01"], ["--l2", "0.003"], ["--l2", "0.01", "--unobserved-weight", "0.03"],
        ["--l2", "0.003", "--unobserved-weight", "0.3"]]),
    "full-softmax": (["--objective", "full-softmax", "--epochs", "12"], [
        ["--tau", "0.1"]]),
    "ccl+uniform": (["--objective", "ccl", "--sampler", "uniform", "--scorer", "cosine", "--tau", "1"], [
        [], ["--negative-weight", "50"], ["--lr", "0.0005"], ["--lr", "0.0005", "--negative-weight", "50"]]),
}


def slug(row, i):
    return row.replace("+", "_").replace(" ", "_").replace(":", "-") + "-" + str(i)


def load_results(path):
    done = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                done[(r["row"], r["candidate"])] = r
    return done


def run_json(args):
    p = subprocess.run([LAUNCHER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()[-500:]))
    return json.loads(p.stdout)


def train_candidate(row, i, flags):
    model = os.path.join(OUT, slug(row, i) + ".trm")
    args = ["train", "--data", DATA, "--seed", "1", "--threads", "2", "--validation",
            "--json", "--quiet", "--model", model] + ([] if "--dim" in flags else ["--dim", "64"]) + flags
    start = time.time()
    doc = run_json(args)
    s = doc["summary"]
    return {"row": row, "candidate": i, "flags": flags, "model": model,
            "validation": {k: s["bestMetrics"][k] for k in ("ndcg@10", "ndcg@20", "recall@20")},
            "bestEpoch": s["bestEpoch"], "epochsRun": s["epochsRun"], "trainSeconds": s["trainSeconds"],
            "positivesPerSecond": s["positivesPerSecond"], "wallSeconds": time.time() - start}


def main(rows):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, "results.jsonl")
    done = load_results(path)
    for row in rows:
        base, candidates = ROWS[row]
        for i, extra in enumerate(candidates):
            if (row, i) in done:
                continue
            r = train_candidate(row, i, base + extra)
            done[(row, i)] = r
            with open(path, "a") as f:
                f.write(json.dumps(r) + "\n")
            print("%-28s %-45s val NDCG@20 %.4f Recall@20 %.4f  epoch %d/%d  %.0f s  %.0f pos/s" % (
                row, " ".join(extra) or "(defaults)", r["validation"]["ndcg@20"], r["validation"]["recall@20"],
                r["bestEpoch"], r["epochsRun"], r["trainSeconds"], r["positivesPerSecond"]), flush=True)
        best = max((done[(row, i)] for i in range(len(candidates))), key=lambda r: r["validation"]["ndcg@20"])
        test_path = os.path.join(OUT, "test.jsonl")
        tests = load_results(test_path)
        if (row, best["candidate"]) not in tests:
            doc = run_json(["evaluate", "--model", best["model"], "--data", DATA, "--protocol", "full", "--json"])
            m = doc["metrics"]
            t = dict(best, test={k: m[k] for k in ("recall@20", "ndcg@20", "recall@50", "ndcg@50")})
            with open(test_path, "a") as f:
                f.write(json.dumps(t) + "\n")
            print("%-28s chosen: %s -> test Recall@20 %.4f NDCG@20 %.4f" % (
                row, " ".join(best["flags"]), m["recall@20"], m["ndcg@20"]), flush=True)
    table()


def table():
    tests = load_results(os.path.join(OUT, "test.jsonl"))
    done = load_results(os.path.join(OUT, "results.jsonl"))
    print("| method | chosen setting (validation NDCG@20) | Recall@20 | NDCG@20 | Recall@50 | NDCG@50 | training | positives/s |")
    print("|---|---|---|---|---|---|---|---|")
    for row in ROWS:
        runs = [done[(row, i)] for i in range(len(ROWS[row][1])) if (row, i) in done]
        best = max(runs, key=lambda r: r["validation"]["ndcg@20"]) if runs else None
        for (r, c), t in tests.items():
            if r == row and c == best["candidate"]:
                base = ROWS[row][0]
                extra = t["flags"][len(base):]
                print("| %s | `%s` (%.4f; epoch %d of %d) | %.4f | %.4f | %.4f | %.4f | %.0f s | %.0fk |" % (
                    row, " ".join(base + extra), t["validation"]["ndcg@20"], t["bestEpoch"], t["epochsRun"],
                    t["test"]["recall@20"], t["test"]["ndcg@20"], t["test"]["recall@50"], t["test"]["ndcg@50"],
                    t["trainSeconds"], t["positivesPerSecond"] / 1000))


if __name__ == "__main__":
    if not os.path.isdir(DATA):
        sys.exit("gowalla-table: %s not found (../shared/data/gowalla beside the repository)" % DATA)
    chosen = sys.argv[1:] or list(ROWS)
    unknown = [r for r in chosen if r not in ROWS]
    if unknown:
        sys.exit("gowalla-table: unknown rows %s; rows: %s" % (unknown, ", ".join(ROWS)))
    main(chosen)
