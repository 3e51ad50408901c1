from digit_descent.engine import trask


def test_trasks_printout_is_reproduced_digit_for_digit():
    lines = list(trask.train())
    errors = [f"{line['error']:.6f}" for line in lines[:-1]]
    assert [line["iteration"] for line in lines[:-1]] == [0, 10000, 20000, 30000, 40000, 50000]
    assert errors == ["0.496410", "0.008585", "0.005789", "0.004629", "0.003959", "0.003510"]
    assert [round(v, 4) for v in lines[-1]["outputs"]] == [0.997, 0.9967, 0.0026, 0.0039]
