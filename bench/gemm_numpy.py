#!/usr/bin/env python3
"""NumPy (OpenBLAS) float32 matmul GFLOP/s, the reference for org.bgtai.tensor.bench.GemmBench.

Usage: python3 bench/gemm_numpy.py --threads 2 --shapes 256x256x256,1152x1024x256,128:24x24x64
       python3 bench/gemm_numpy.py --threads 2 --serve   (reads one shape per stdin line,
       answers one JSON line {"batch","m","n","k","gflops"} each; lets the caller interleave runs)
Each shape is MxNxK (C[M x N] = A[M x K] @ B[K x N]), optionally prefixed by "BATCH:" for a
stacked matmul. Prints one JSON object: {"numpy": "<version>", "threads": N, "results": [{"batch",
"m", "n", "k", "gflops"}, ...]}. Timing is best of several runs after a warm-up, like the Java side.

Threads: the caller (GemmBench) sets OPENBLAS_NUM_THREADS / OMP_NUM_THREADS and removes
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE before starting this script; threadpoolctl, when installed,
also pins the BLAS thread count.
"""
import argparse
import json
import os
import sys
import time


def parse_shape(s):
    batch = 1
    if ":" in s:
        b, s = s.split(":", 1)
        batch = int(b)
    m, n, k = (int(x) for x in s.lower().split("x"))
    return batch, m, n, k


def bench(batch, m, n, k, np, min_time=0.25, runs=5):
    rng = np.random.default_rng(0)
    shape_a = (batch, m, k) if batch > 1 else (m, k)
    shape_b = (batch, k, n) if batch > 1 else (k, n)
    a = rng.standard_normal(shape_a, dtype=np.float32)
    b = rng.standard_normal(shape_b, dtype=np.float32)
    c = np.matmul(a, b)
    # warm-up and calibrate: repeat until one measurement takes at least min_time
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        dt = time.perf_counter() - t0
        if dt >= min_time:
            break
        reps *= 2
    best = dt / reps
    for _ in range(runs):
        t0 = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        best = min(best, (time.perf_counter() - t0) / reps)
    return 2.0 * batch * m * n * k / best / 1e9


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--serve", action="store_true")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shapes", default="256x256x256,512x512x512,1024x1024x1024,2048x2048x2048,1152x1024x256")
    args = ap.parse_args()
    try:
        import numpy as np
    except ImportError:
        print(json.dumps({"error": "numpy is not installed (pip install numpy)"}))
        return 0
    limiter = None
    try:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(limits=args.threads, user_api="blas")
    except ImportError:
        pass  # OPENBLAS_NUM_THREADS from the environment applies
    if args.serve:
        print(json.dumps({"numpy": np.__version__, "threads": args.threads,
                          "threadpoolctl": limiter is not None}), flush=True)
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            batch, m, n, k = parse_shape(line)
            g = bench(batch, m, n, k, np, runs=args.runs)
            print(json.dumps({"batch": batch, "m": m, "n": n, "k": k, "gflops": g}), flush=True)
        return 0
    results = []
    for s in args.shapes.split(","):
        batch, m, n, k = parse_shape(s)
        results.append({"batch": batch, "m": m, "n": n, "k": k, "gflops": bench(batch, m, n, k, np, runs=args.runs)})
    print(json.dumps({"numpy": np.__version__, "threads": args.threads,
                      "threadpoolctl": limiter is not None, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
