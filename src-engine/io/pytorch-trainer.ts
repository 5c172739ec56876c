/**
 * The Python that an exported model file runs for `python3 model.py train` (its command line is in
 * pytorch-main.ts), the same for every model. It reads what exportPytorch writes above it: GRAPH,
 * TRAINING, STATE, PARAM_KEYS, STATE_KEYS, DECAY_KEYS, PROBABILITIES, FIND_UNUSED, HAS_BATCHNORM, build(),
 * make_optimizer(), data_loss().
 *
 * The training step is the engine's (src-engine/train/objective.ts), in this order: data loss (mean
 * over the batch) + entropy term, backward, + L1 λΣ|w| and L2 (λ/2)Σw² on weights only, clipping
 * (the norm is taken before value clipping, the factor is max_norm/(norm + 1e-6)), optimizer step.
 * With K workers each step's batch is split into K contiguous parts; a worker's loss is weighted by
 * its share of the batch and by K, so DistributedDataParallel's mean of the gradients is exactly the
 * gradient of the whole batch's mean loss.
 */
export const PYTHON_TRAINER = String.raw`
def lr_at(epoch, epochs):
    """The learning rate after epoch completed epochs, as the engine's learningRate (schedule.ts)."""
    lr0 = TRAINING["optimizer"]["lr"]
    s = TRAINING["lr_schedule"]
    if not s or s["name"] == "constant":
        return lr0
    if s["name"] == "step":
        return lr0 * s["gamma"] ** (epoch // s["step_size"])
    if s["name"] == "exponential":
        return lr0 * s["gamma"] ** epoch
    t_max = s.get("T_max") or epochs
    return s["eta_min"] + (lr0 - s["eta_min"]) * (1 + math.cos(math.pi * min(epoch, t_max) / t_max)) / 2


def entropy(out):
    """λ's factor in the entropy term: mean over rows of −Σ p log p (log p clamped at −100)."""
    if PROBABILITIES in ("identity", "sigmoid"):
        p = out if PROBABILITIES == "identity" else torch.sigmoid(out)
        p = torch.cat([p, 1 - p], dim=1)
    elif PROBABILITIES == "softmax":
        p = torch.softmax(out, dim=1)
    else:
        p = torch.exp(out)
    return -(p * torch.log(p.clamp_min(math.exp(-100)))).sum() / out.shape[0]


def penalty(weights):
    reg = TRAINING["regularization"]
    total = 0.0
    if reg["l1"]:
        total = total + reg["l1"] * sum(w.abs().sum() for w in weights)
    if reg["l2"]:
        total = total + 0.5 * reg["l2"] * sum((w * w).sum() for w in weights)
    return total


def clip(params):
    norm_cap, value_cap = TRAINING["clip_grad_norm"], TRAINING["clip_grad_value"]
    if norm_cap is None and value_cap is None:
        return
    grads = [p.grad for p in params if p.grad is not None]
    norm = torch.sqrt(sum((g.double() ** 2).sum() for g in grads)).item()
    if value_cap is not None:
        for g in grads:
            g.clamp_(-value_cap, value_cap)
    if norm_cap is not None and norm > norm_cap:
        for g in grads:
            g.mul_(norm_cap / (norm + 1e-6))


def shared(value, distributed, device):
    """Worker 0's value, on every worker (so that all of them take the same decisions)."""
    if not distributed:
        return value
    t = torch.tensor([value], dtype=torch.float64, device=device)
    dist.broadcast(t, 0)
    return t.item()


def fit(rank, world, cfg, device):
    distributed = world > 1
    dtype = torch.float64 if TRAINING["dtype"] == "float64" else torch.float32
    x = torch.tensor(scaled(read_csv(cfg["input"], "--input")), dtype=dtype, device=device)
    y = torch.tensor(read_csv(cfg["target"], "--target"), dtype=dtype, device=device)
    n, epochs, seed = len(x), cfg["epochs"], TRAINING["seed"]
    order_rng = torch.Generator().manual_seed(seed)
    val_split, test_split = TRAINING["validation_split"], TRAINING["test_split"]
    perm = torch.randperm(n, generator=order_rng) if val_split > 0 or test_split > 0 else torch.arange(n)
    n_test, n_val = math.floor(n * test_split + 0.5), math.floor(n * val_split + 0.5)
    n_train = max(0, n - n_val - n_test)
    if n_train < 1:
        fail("no rows left for training after the validation and test split")
    train_idx, val_idx = perm[:n_train], perm[n_train:n_train + n_val]
    torch.manual_seed(seed + rank)  # dropout masks differ between workers, as rows of one big batch would
    module = build(dtype=dtype).to(device)
    module.train()
    if distributed and device.type == "cuda":
        module = nn.SyncBatchNorm.convert_sync_batchnorm(module)
    net = module
    if distributed:
        net = DDP(module, device_ids=[device.index] if device.type == "cuda" else None, find_unused_parameters=FIND_UNUSED)
    params = list(module.parameters())
    named = dict(module.named_parameters())
    weights = [named[k] for k in DECAY_KEYS]
    opt = make_optimizer(params)
    bs = n_train if TRAINING["batch_size"] == "full" else min(TRAINING["batch_size"], n_train)
    full = bs >= n_train
    reg = TRAINING["regularization"]
    history, stopped = [], None
    best, since_best = None, 0
    es = TRAINING["early_stopping"]
    for epoch in range(epochs):
        lr = lr_at(epoch, epochs)
        for g in opt.param_groups:
            g["lr"] = lr
        before = {k: v.detach().clone() for k, v in module.state_dict().items()}
        order = train_idx[torch.randperm(n_train, generator=order_rng)] if TRAINING["shuffle"] and not full else train_idx
        loss_sum = 0.0
        for start in range(0, n_train, bs):
            batch = order[start:start + bs]
            parts = torch.tensor_split(batch, world)
            if HAS_BATCHNORM and min(len(q) for q in parts) < 2:
                # BatchNorm needs two rows per worker: worker 0 takes the whole batch, the others run it with weight 0.
                mine, share = batch, (1.0 if rank == 0 else 0.0)
            else:
                mine = parts[rank]
                share = len(mine) / len(batch)
                if len(mine) == 0:
                    mine = batch  # a batch smaller than the worker count: this worker runs it with weight 0
            xb, yb = x[mine.to(device)], y[mine.to(device)]
            first = []

            def closure():
                opt.zero_grad()
                out = net(xb)
                data = data_loss(out, yb)
                local = data * share
                if reg["entropy"]:
                    local = local + reg["entropy"] * entropy(out) * share
                pen = penalty(weights)
                (local * world + pen).backward()  # DDP averages the gradients over the workers
                clip(params)
                both = torch.stack([data.detach() * share, local.detach()]).double()
                if distributed:
                    dist.all_reduce(both)
                if not first:
                    first.append(both[0].item())
                return both[1] + (pen.detach().double() if torch.is_tensor(pen) else pen)

            opt.step(closure)
            loss_sum += first[0] * len(batch)
            if not math.isfinite(first[0]):
                break
        loss = loss_sum / n_train
        point = {"epoch": epoch + 1, "loss": loss, "lr": lr}
        if not math.isfinite(loss) or not all(torch.isfinite(p).all() for p in params):
            module.load_state_dict(before)
            history.append(point)
            stopped = f"diverged at epoch {epoch + 1}: the loss became {loss}; the weights before that epoch are kept"
            break
        if len(val_idx):
            module.eval()
            with torch.no_grad():
                val = data_loss(module(x[val_idx.to(device)]), y[val_idx.to(device)]).item()
            module.train()
            point["val_loss"] = shared(val, distributed, device)
        history.append(point)
        if es:
            watched = point.get("val_loss", loss)
            if best is None or watched < best[0] - es.get("min_delta", 0):
                best, since_best = (watched, {k: v.detach().clone() for k, v in module.state_dict().items()}, epoch + 1), 0
            else:
                since_best += 1
                if since_best >= es["patience"]:
                    module.load_state_dict(best[1])
                    stopped = f"stopped early at epoch {epoch + 1}; weights restored from epoch {best[2]}"
                    break
    return module, history, stopped


def model_json(module, epochs_given):
    """The trained module as Neurograph model JSON v1: this graph, its training block, params and state."""
    sd = module.state_dict()
    out = dict(GRAPH)
    training = dict(GRAPH.get("training") or {"loss": TRAINING["loss"]})
    if epochs_given:
        training["epochs"] = epochs_given
    out["training"] = training
    out["params"] = {node: {name: sd[key].detach().cpu().double().tolist() for name, key in names.items()} for node, names in PARAM_KEYS.items()}
    out["state"] = {
        node: {name: (int(sd[key].item()) if sd[key].dim() == 0 else sd[key].detach().cpu().double().tolist()) for name, key in names.items()}
        for node, names in STATE_KEYS.items()
    }
    return out


def run_worker(rank, world, cfg, init_method):
    distributed = world > 1
    # One GPU per process on this machine, else all of them on the CPU (NCCL refuses two ranks on one GPU).
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", world))
    cuda = torch.cuda.is_available() and torch.cuda.device_count() >= local_world
    if cuda:
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", rank)) % torch.cuda.device_count())
    device = torch.device("cuda", torch.cuda.current_device()) if cuda else torch.device("cpu")
    if distributed:
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // world))
        dist.init_process_group("nccl" if cuda else "gloo", init_method=init_method, rank=rank, world_size=world)
    try:
        module, history, stopped = fit(rank, world, cfg, device)
        if rank == 0:
            out = cfg["out"]
            tmp = os.path.join(os.path.dirname(os.path.abspath(out)), f".{os.path.basename(out)}.{os.getpid()}.tmp")
            with open(tmp, "w") as f:
                json.dump(model_json(module, cfg["epochs_given"]), f)
            os.replace(tmp, out)
            summary = {
                "epochs": len(history),
                "final_loss": history[-1]["loss"] if history else None,
                "history": history,
                "workers": world,
                "backend": ("nccl" if cuda else "gloo") if distributed else None,
                "out": out,
            }
            if stopped:
                summary["stopped"] = stopped
            print(json.dumps(summary), flush=True)
    finally:
        if distributed:
            dist.destroy_process_group()
`;
