"""Train the ``strong`` preset and ship it as ``resources/strong.npz`` (the drawing pad's model).

    python scripts/train_strong.py [--epochs N] [--seed S]

Deterministic for a seed; prints each epoch's test accuracy.
"""

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from digit_descent.engine import Session, preset, save_model  # noqa: E402
from digit_descent.engine.threads import limit_blas_threads  # noqa: E402

OUTPUT = ROOT / "resources" / "strong.npz"


def main(argv=None):
    parser = argparse.ArgumentParser(allow_abbrev=False, description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    limit_blas_threads(1)
    config = preset("strong").replace(epochs=args.epochs, seed=args.seed)
    session = Session(config)
    for _ in range(config.epochs):
        report = session.run_epoch()
        print(f"epoch {report.epoch}: test accuracy {report.test_accuracy:.2%} "
              f"({report.seconds:.1f} s)", flush=True)
    save_model(session.network, args.output, dataset="mnist", preset="strong",
               train_config=config.to_dict(),
               summary={"epochs": report.epoch, "test_accuracy": report.test_accuracy,
                        "test_cost": report.test_cost})
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
