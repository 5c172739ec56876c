/**
 * The command line of an exported model file: reading CSVs and model JSON, checking data against the
 * model, and the two entry points — `python3 model.py --input X.csv [--weights m.json]` (predict) and
 * `python3 model.py train …` (PYTHON_TRAINER), which spawns K worker processes with a loopback TCP
 * rendezvous (torchrun is not needed) or, under a launcher that sets RANK and WORLD_SIZE, is one rank.
 */
export const PYTHON_MAIN = String.raw`def fail(message):
    sys.stderr.write("model.py: " + message + "\n")
    sys.exit(2)


def read_csv(path, what):
    """Rows of finite numbers, one per line; a first line that is not numbers (a header) is skipped."""
    rows = []
    try:
        f = open(path, newline="")
    except OSError as e:
        fail(f"{what} {path}: {e.strerror}")
    with f:
        for i, row in enumerate(csv.reader(f)):
            if not row:
                continue
            try:
                values = [float(c) for c in row]
            except ValueError:
                if i == 0:
                    continue
                fail(f"{what} {path}, line {i + 1}: not a row of numbers: {row!r}")
            if not all(math.isfinite(v) for v in values):
                fail(f"{what} {path}, line {i + 1}: NaN or infinite value")
            rows.append(values)
    if not rows:
        fail(f"{what} {path} has no rows of numbers")
    for i, r in enumerate(rows):
        if len(r) != len(rows[0]):
            fail(f"{what} {path}: row {i + 1} has {len(r)} values, the first row {len(rows[0])}")
    return rows


def scaled(rows):
    """Raw input rows as the model's Input takes them: with the input scaling it was trained with."""
    if SCALING is None:
        return rows
    return [[(v - o) / d for v, o, d in zip(r, SCALING["offset"], SCALING["divisor"])] for r in rows]


def load_model_json(path):
    """The state dict for a model JSON of this same graph (for example one that train wrote)."""
    try:
        with open(path) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"--weights {path}: {e}")
    ours = [(n["id"], n["type"]) for n in GRAPH["nodes"]]
    if [(n.get("id"), n.get("type")) for n in m.get("nodes", [])] != ours:
        fail(f"--weights {path} is a model of another graph (its nodes differ from this file's)")
    values = {}
    for table, keys in (("params", PARAM_KEYS), ("state", STATE_KEYS)):
        for node, names in keys.items():
            for name, key in names.items():
                try:
                    values[key] = m[table][node][name]
                except (KeyError, TypeError):
                    fail(f"--weights {path} has no {table}.{node}.{name}")
    return values


def check_data(x, y):
    if len(x[0]) != INPUT_WIDTH:
        fail(f"--input has {len(x[0])} columns but the model's Input takes {INPUT_WIDTH}")
    if len(y) != len(x):
        fail(f"--input has {len(x)} rows but --target has {len(y)}")
    if len(y[0]) != TARGET_WIDTH:
        fail(f"--target has {len(y[0])} columns but loss {TRAINING['loss']} takes {TARGET_WIDTH} per row (see train --help)")
    for i, r in enumerate(y):
        if TARGET_KIND == "index" and not all(v == int(v) and 0 <= v < OUTPUT_WIDTH for v in r):
            fail(f"--target row {i + 1}: {r[0]} is not a class index 0…{OUTPUT_WIDTH - 1} (loss {TRAINING['loss']} takes class indices)")
        if TARGET_KIND == "binary" and not all(0 <= v <= 1 for v in r):
            fail(f"--target row {i + 1}: loss {TRAINING['loss']} takes targets in [0, 1], got {r}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def train_main(argv):
    ap = argparse.ArgumentParser(prog="model.py train", description="Train the model on with its Neurograph training block and write model JSON v1.", epilog=TRAIN_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True, help="CSV of inputs, one row per sample (a header row is skipped)")
    ap.add_argument("--target", required=True, help="CSV of targets, one row per sample, as the loss takes them (below)")
    ap.add_argument("--epochs", type=int, help="epochs to train (default: the training block's)")
    ap.add_argument("--workers", type=int, default=1, help="processes for DistributedDataParallel (gloo on CPU, NCCL on CUDA); default 1")
    ap.add_argument("--out", required=True, help="where to write the trained model JSON (Neurograph imports it)")
    a = ap.parse_args(argv)
    if OPTIMIZER_PROBLEM:
        fail(OPTIMIZER_PROBLEM)
    if a.epochs is not None and a.epochs < 1:
        fail(f"--epochs must be at least 1, got {a.epochs}")
    if a.workers < 1:
        fail(f"--workers must be at least 1, got {a.workers}")
    check_data(read_csv(a.input, "--input"), read_csv(a.target, "--target"))
    cfg = {"input": a.input, "target": a.target, "out": a.out, "epochs": a.epochs or TRAINING["epochs"], "epochs_given": a.epochs}
    env_world = int(os.environ.get("WORLD_SIZE", "1") or 1)
    if "RANK" in os.environ and env_world > 1:
        # Started by a launcher (torchrun or a cluster's): this process is one of its ranks.
        run_worker(int(os.environ["RANK"]), env_world, cfg, "env://")
    elif a.workers > 1:
        addr = os.environ.get("MASTER_ADDR", "127.0.0.1")
        port = os.environ.get("MASTER_PORT") or str(free_port())
        mp.spawn(run_worker, args=(a.workers, cfg, f"tcp://{addr}:{port}"), nprocs=a.workers, join=True)
    else:
        run_worker(0, 1, cfg, None)


def predict_main(argv):
    ap = argparse.ArgumentParser(
        description="Run the exported Neurograph model on a CSV of inputs (prints one CSV row of outputs per input row).",
        epilog="To train the model on: python3 model.py train --help",
    )
    ap.add_argument("--input", required=True, help="CSV of numbers, one row per sample (a header row is skipped)")
    ap.add_argument("--weights", help="model JSON of this graph to take the weights from (e.g. what train wrote)")
    a = ap.parse_args(argv)
    rows = read_csv(a.input, "--input")
    if len(rows[0]) != INPUT_WIDTH:
        fail(f"--input has {len(rows[0])} columns but the model's Input takes {INPUT_WIDTH}")
    net = build(a.weights, torch.float64)
    with torch.no_grad():
        out = net(torch.tensor(scaled(rows), dtype=torch.float64))
    w = csv.writer(sys.stdout)
    for r in out.tolist():
        w.writerow([repr(v) for v in r])


if __name__ == "__main__":
    if sys.argv[1:2] == ["train"]:
        train_main(sys.argv[2:])
    else:
        predict_main(sys.argv[1:])
`;
