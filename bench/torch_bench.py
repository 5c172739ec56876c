"""PyTorch side of bench/run.ts: one job per process, so each run is as cold as the CLI's.

    python3 bench/torch_bench.py job.json

A job is {"kind": "mlp", "sizes": [8, 12, 8, 1], "hidden": "relu"|"tanh", "output": "sigmoid"|"tanh"|null,
"loss": "bce"|"mse"|"cross_entropy", "optimizer": {"name": "adam"|"sgd", "lr": x}, "epochs": E,
"batch": B, "csv": path, "targets": T} (the CSV has a header; its last T columns are the targets, a
single class-index column for cross_entropy) or {"kind": "gemm", "n": 512, "reps": R}.
Prints one JSON line: {"seconds": training loop only, "final_loss", "samples", "max_rss_kb"} or
{"seconds_per_product", "gflops"}. One thread (torch.set_num_threads(1); the caller also sets
OPENBLAS_NUM_THREADS=1, which torch's own setting does not reach).
"""
import json
import resource
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)

ACT = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid}


def mlp(job):
    data = np.loadtxt(job["csv"], delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
    t = job["targets"]
    x = torch.from_numpy(np.ascontiguousarray(data[:, :-t]))
    y = torch.from_numpy(np.ascontiguousarray(data[:, -t:]))
    sizes = job["sizes"]
    layers = []
    for i in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(ACT[job["hidden"]]())
        elif job.get("output"):
            layers.append(ACT[job["output"]]())
    net = torch.nn.Sequential(*layers)
    if job["loss"] == "cross_entropy":
        y = y[:, 0].long()
        loss_fn = torch.nn.CrossEntropyLoss()
    else:
        loss_fn = {"bce": torch.nn.BCELoss, "mse": torch.nn.MSELoss}[job["loss"]]()
    opt_cfg = job["optimizer"]
    make = {"adam": torch.optim.Adam, "sgd": torch.optim.SGD}[opt_cfg["name"]]
    opt = make(net.parameters(), lr=opt_cfg["lr"])
    n, bs = x.shape[0], job["batch"]
    g = torch.Generator().manual_seed(1)
    t0 = time.perf_counter()
    for _ in range(job["epochs"]):
        perm = torch.randperm(n, generator=g)
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "final_loss": float(loss), "samples": n * job["epochs"],
            "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def gemm(job):
    n, reps = job["n"], job["reps"]
    a, b = torch.randn(n, n), torch.randn(n, n)
    for _ in range(5):
        a @ b
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ b
    dt = (time.perf_counter() - t0) / reps
    return {"seconds_per_product": dt, "gflops": 2 * n ** 3 / dt / 1e9}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        job = json.load(f)
    print(json.dumps(gemm(job) if job["kind"] == "gemm" else mlp(job)))
