"""PyTorch side of bench/run.ts: the same MLP, data, optimizer and batching, timed the same way.
Reads JSON jobs on stdin, prints the best of 3 {"seconds": s, "final_loss": x} per job."""
import json
import sys
import time

import torch

torch.set_num_threads(1)


def run(job):
    x = torch.tensor(job["x"], dtype=torch.float32)
    y = torch.tensor(job["y"], dtype=torch.float32)
    sizes = job["sizes"]
    layers = []
    for i in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(torch.nn.Tanh())
    net = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(net.parameters(), lr=job["lr"])
    loss_fn = torch.nn.MSELoss()
    n, bs = x.shape[0], job["batch"]
    g = torch.Generator().manual_seed(1)
    t0 = time.perf_counter()
    for _ in range(job["epochs"]):
        perm = torch.randperm(n, generator=g) if bs < n else torch.arange(n)
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            opt.zero_grad()
            loss = loss_fn(net(x[idx]), y[idx])
            loss.backward()
            opt.step()
    return {"seconds": time.perf_counter() - t0, "final_loss": float(loss)}


jobs = json.load(sys.stdin)
print(json.dumps([min((run(j) for _ in range(3)), key=lambda r: r["seconds"]) for j in jobs]))
