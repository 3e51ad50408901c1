"""Training speed of the NumPy engine beside PyTorch (CPU), in the same run.

    pip install torch==2.13.0      # reference only; not an app dependency
    python bench/speed.py [--batch-sizes 10 128] [--epochs 1]

Trains 784-16-16-10 (sigmoid, MSE, plain SGD) on the 60,000 MNIST training
images on both sides: one BLAS/intra-op thread each, the mini-batch cost read
every step (the app plots it), same shuffling scheme. Prints µs per step,
the speed ratio, and the fraction of this machine's single-thread SGEMM peak
that one epoch reaches.
"""

import argparse
import time

import numpy as np


from digit_descent.engine import load, make_trainer, preset  # noqa: E402
from digit_descent.engine.threads import limit_blas_threads  # noqa: E402

SIZES = (784, 16, 16, 10)


def epoch_flops(n_samples, sizes=SIZES):
    """Multiply-adds ×2 of forward (1 GEMM) and backward (2 GEMMs) per layer."""
    macs = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return 2 * 3 * macs * n_samples


def sgemm_peak(n=1024, repeats=5):
    a = np.random.default_rng(0).random((n, n), dtype=np.float32)
    b = a.copy()
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n ** 3 / best


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def numpy_epoch(split, batch_size):
    trainer = make_trainer(preset("3b1b").replace(batch_size=batch_size, lr_decay=1.0), split)
    for _ in range(200):  # warm up buffers
        trainer.step()
    trainer.reset()
    n = len(split.train)
    start = time.perf_counter()
    while trainer.samples_seen < n:
        trainer.step()
    return time.perf_counter() - start, trainer.steps


def torch_epoch(split, batch_size):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    X = torch.from_numpy(split.train.x)
    Y = torch.from_numpy(split.train.targets)
    layers = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)

    def step(idx):
        xb, yb = X[idx], Y[idx]
        opt.zero_grad(set_to_none=True)
        loss = ((model(xb) - yb) ** 2).sum(dim=1).mean()
        loss.backward()
        opt.step()
        return loss.item()

    n = X.shape[0]
    perm = torch.randperm(n)
    for i in range(200):
        step(perm[i * batch_size % n:][:batch_size])
    start = time.perf_counter()
    steps = 0
    for i in range(0, n, batch_size):
        step(perm[i:i + batch_size])
        steps += 1
    return time.perf_counter() - start, steps


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[10, 128])
    parser.add_argument("--repeats", type=int, default=3, help="best of N epochs per side")
    args = parser.parse_args(argv)
    limit_blas_threads(1)
    split = load("mnist")
    peak = sgemm_peak()
    flops = epoch_flops(len(split.train))
    print(f"single-thread SGEMM peak: {peak / 1e9:.1f} GFLOP/s; one epoch is {flops / 1e9:.2f} GFLOP")
    try:
        import torch  # noqa: F401
        have_torch = True
    except ImportError:
        have_torch = False
        print("PyTorch is not installed (pip install torch==2.13.0): NumPy side only")
    for bs in args.batch_sizes:
        np_s, steps = min(numpy_epoch(split, bs) for _ in range(args.repeats))
        line = (f"batch {bs:4d}: NumPy {np_s:6.2f} s/epoch ({np_s / steps * 1e6:6.1f} µs/step, "
                f"{flops / np_s / peak:5.1%} of peak)")
        if have_torch:
            t_s, _ = min(torch_epoch(split, bs) for _ in range(args.repeats))
            line += f" | PyTorch {t_s:6.2f} s/epoch ({t_s / steps * 1e6:6.1f} µs/step) | ratio {t_s / np_s:4.1f}×"
        print(line, flush=True)


if __name__ == "__main__":
    main()
