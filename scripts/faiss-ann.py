#!/usr/bin/env python3
"""The ANN peer: Faiss's HNSW (IndexHNSWFlat, inner product) and flat search on the vectors that
`./totalrecall bench ann ... --dump DIR` wrote, with the same query rows, M, efConstruction and ef
values, so that the two can be compared in one script (scripts/ann-bench.sh).

  faiss-ann.py DIR [--m 16] [--ef-construction 200] [--ef 10,20,40,80,160] [--threads 1,2] [--k 10]

Prints one JSON object: per direction, flat (exact) queries per second, HNSW build seconds, and
per ef the recall@10 against exact search and queries per second (median of 3 runs after a
warm-up run). Needs numpy and faiss-cpu (../shared/peers/README.md installs them into its venv).
"""
import argparse
import json
import os
import sys
import time

import numpy as np

try:
    import faiss
except ImportError:
    sys.exit("faiss-ann: the faiss-cpu package is missing (see ../shared/peers/README.md: pip install faiss-cpu)")


def read_table(path):
    with open(path, "rb") as f:
        rows, dim = np.frombuffer(f.read(8), dtype="<i4")
        data = np.frombuffer(f.read(), dtype="<f4")
    if data.size != rows * dim:
        sys.exit("faiss-ann: %s holds %d floats, not %d x %d" % (path, data.size, rows, dim))
    return np.ascontiguousarray(data.reshape(rows, dim))


def timed(fn, runs=3):
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def recall(truth, found, k):
    hits = 0
    for t, f in zip(truth, found):
        hits += len(set(t[:k].tolist()) & set(x for x in f[:k].tolist() if x >= 0))
    return hits / (k * len(truth))


def direction(xb, xq, args, efs, thread_counts):
    d = xb.shape[1]
    flat = faiss.IndexFlatIP(d)
    flat.add(xb)
    _, truth = flat.search(xq, args.k)
    hnsw = faiss.IndexHNSWFlat(d, args.m, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = args.ef_construction
    faiss.omp_set_num_threads(max(thread_counts))
    t0 = time.perf_counter()
    hnsw.add(xb)
    build = time.perf_counter() - t0
    runs = []
    for threads in thread_counts:
        faiss.omp_set_num_threads(threads)
        flat_s = timed(lambda: flat.search(xq, args.k))
        rows = []
        for ef in efs:
            hnsw.hnsw.efSearch = ef
            _, found = hnsw.search(xq, args.k)
            s = timed(lambda: hnsw.search(xq, args.k))
            rows.append({"ef": ef, "recall@10": round(recall(truth, found, args.k), 4), "qps": round(len(xq) / s, 1),
                         "speedupOverFlat": round(flat_s / s, 3)})
        runs.append({"threads": threads, "flat.qps": round(len(xq) / flat_s, 1), "hnsw": rows})
    return {"queries": len(xq), "candidates": len(xb), "buildSeconds": round(build, 3),
            "buildThreads": max(thread_counts), "runs": runs}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("dir")
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--ef", default="10,20,40,80,160")
    p.add_argument("--threads", default="2", help="thread counts, one run each on the same index, e.g. 1,2")
    p.add_argument("--k", type=int, default=10)
    args = p.parse_args()
    thread_counts = [int(x) for x in args.threads.split(",")]
    efs = [int(x) for x in args.ef.split(",")]
    users = read_table(os.path.join(args.dir, "users.f32"))
    items = read_table(os.path.join(args.dir, "items.f32"))
    out = {"peer": "faiss", "faiss": faiss.__version__, "m": args.m,
           "efConstruction": args.ef_construction}
    for name, xb, queries in (("u2i", items, users), ("i2u", users, items)):
        qfile = os.path.join(args.dir, name + ".queries.i32")
        if not os.path.exists(qfile):
            continue
        rows = np.fromfile(qfile, dtype="<i4")
        out[name] = direction(xb, np.ascontiguousarray(queries[rows]), args, efs, thread_counts)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
