"""``digit-descent predict``: image files read as the pad reads them."""

import json
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from digit_descent.engine import Network, load, save_model
from digit_descent.engine.images import read_digit
from digit_descent.engine.model_io import load_model
from digit_descent.cli.predict import SHIPPED_MODEL


def predict(*args):
    return subprocess.run([sys.executable, "-m", "digit_descent", "predict", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    """A 7 photographed on grey paper (JPEG) and a 2 drawn light on dark (PNG)."""
    folder = tmp_path_factory.mktemp("photos")
    test = load("mnist").test
    two = int(np.flatnonzero(test.labels == 2)[0])
    paper = np.linspace(0.45, 0.85, 400)[None, :] * np.ones((300, 1))
    seven = np.asarray(Image.fromarray((test.x[0].reshape(28, 28) * 255).astype(np.uint8))
                       .resize((180, 180), Image.BICUBIC), np.float32) / 255
    paper[60:240, 110:290] *= 1 - 0.75 * seven
    Image.fromarray((paper * 255).astype(np.uint8)).save(folder / "seven.jpg", quality=90)
    drawn = np.pad(test.x[two].reshape(28, 28), 10)
    Image.fromarray((drawn * 255).astype(np.uint8)).save(folder / "two.png")
    return folder / "seven.jpg", folder / "two.png"


def test_answers_outputs_and_refusals(tmp_path, photos):
    seven, two = photos
    bad = tmp_path / "notes.png"
    bad.write_text("shopping list")
    run = predict(seven, bad, two, tmp_path / "missing.png")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: {bad}: not an image this app can read (it reads PNG, JPEG, BMP, GIF, TIFF, "
        "WEBP, PPM)",
        f"error: {tmp_path / 'missing.png'}: no such file"]
    lines = run.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines] == [str(seven), str(two)]
    assert lines[0].split(": ")[1].startswith("7 (") and lines[1].split(": ")[1].startswith("2 (")
    assert len(lines[0].split("outputs ")[1].split()) == 10


def test_json_lines_match_the_pads_reader(photos):
    run = predict("--json", *photos)
    assert run.returncode == 0 and not run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(r["file"], r["answer"]) for r in results] == [(str(photos[0]), 7), (str(photos[1]), 2)]
    net = load_model(SHIPPED_MODEL)
    for r in results:
        expected = net.forward(read_digit(r["file"]).steps.result.reshape(1, -1))[0]
        assert np.allclose(r["outputs"], expected, atol=1e-6)


def test_a_model_of_ones_choice_and_usage_errors(tmp_path, photos):
    flat = Network((784, 10), cost="cross-entropy")
    flat.params[:] = 0
    flat.params[-10:] = np.eye(10)[3] * 5  # answers 3 whatever it sees
    save_model(flat, tmp_path / "threes.npz")
    run = predict("--json", "--model", tmp_path / "threes.npz", photos[0])
    assert run.returncode == 0 and json.loads(run.stdout)["answer"] == 3
    toy = tmp_path / "xor.npz"
    save_model(Network((2, 3, 1)), toy)
    for args, message in [((), "the following arguments are required: IMAGE"),
                          (("--model", toy, photos[0]), "does not read 28×28 images")]:
        run = predict(*args)
        assert run.returncode == 2 and not run.stdout
        assert len(run.stderr.splitlines()) == 1 and message in run.stderr


def test_a_session_is_read_as_its_network_and_a_model_is_not_a_session(tmp_path, photos):
    from digit_descent.engine import preset
    from digit_descent.engine.session import Session
    from digit_descent.engine.session_io import load_session, save_session

    session = Session(preset("3b1b").replace(train_subset=200, epochs=1))
    session.run_epoch()
    saved = tmp_path / "run.npz"
    save_session(session, saved)
    run = predict("--json", "--model", saved, photos[0])
    assert run.returncode == 0, run.stderr
    expected = session.network.forward(read_digit(photos[0]).steps.result.reshape(1, -1))[0]
    assert np.allclose(json.loads(run.stdout)["outputs"], expected, atol=1e-4)
    model = tmp_path / "m.npz"
    save_model(session.network, model)
    from digit_descent.engine import SessionFileError
    with pytest.raises(SessionFileError, match=r"m\.npz: a model \(saved with train --save or "
                                               r"File → Save model\), not a session"):
        load_session(model)
    with pytest.raises(Exception, match=r"run\.npz: a session \(saved with train --session"):
        load_model(saved)
