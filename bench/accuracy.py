"""Train the lecture presets to completion and compare with the lectures' figures.

    python bench/accuracy.py [PRESET ...] [--seeds 0 1]

Prints each epoch's test accuracy and, per preset, the final figure beside its
target. Full-size runs: minutes, not for the unit tests.
"""

import argparse
import time


from digit_descent.engine import Session, load, preset  # noqa: E402
from digit_descent.engine.threads import limit_blas_threads  # noqa: E402

TARGETS = {"3b1b": 0.945, "3b1b-tweaked": 0.958, "strong": 0.98, "nielsen": 0.95, "templates": 0.90}


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("presets", nargs="*", default=["3b1b", "3b1b-tweaked", "strong"])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    args = parser.parse_args(argv)
    limit_blas_threads(1)
    split = load("mnist")
    for name in args.presets:
        for seed in args.seeds:
            cfg = preset(name).replace(seed=seed)
            session = Session(cfg, split)
            start = time.perf_counter()
            curve = [session.run_epoch().test_accuracy for _ in range(cfg.epochs)]
            total = time.perf_counter() - start
            target = TARGETS.get(name, 0)
            verdict = "meets" if curve[-1] >= target else "MISSES"
            print(f"{name:13s} seed {seed}: {curve[-1]:.2%} after {cfg.epochs} epochs "
                  f"({total:.0f} s), target {target:.1%}: {verdict}", flush=True)
            print("    curve: " + " ".join(f"{a:.4f}" for a in curve), flush=True)


if __name__ == "__main__":
    main()
