"""Regenerates the input streams of river's published drift examples.

The streams of river's doctests and regression tests are drawn with
Python's standard `random` module (Mersenne Twister), so they can be
rebuilt exactly without river itself:

    python3 gen.py

Each output file holds one stream: '#' comment lines, then the values as
digits, one value per character (all values are 0..9), 100 per line.
The expected alarm indexes live in river_test.go, with the river file each
comes from. Python >= 3.6 (random.choices) is enough.
"""
import random


def write(name, comment, values):
    with open(name, "w") as f:
        f.write("# " + comment + "\n")
        digits = "".join(str(v) for v in values)
        for i in range(0, len(digits), 100):
            f.write(digits[i : i + 100] + "\n")


# river/drift/binary/ddm.py and eddm.py docstrings.
rng = random.Random(42)
s = rng.choices([0, 1], k=1000)
s = s + rng.choices([0, 1], k=1000, weights=[0.3, 0.7])
write(
    "binary_42.txt",
    "random.Random(42): choices([0, 1], k=1000) + choices([0, 1], k=1000, weights=[0.3, 0.7])",
    s,
)

# river/drift/adwin.py and page_hinkley.py docstrings.
rng = random.Random(12345)
s = rng.choices([0, 1], k=1000) + rng.choices(range(4, 8), k=1000)
write(
    "two_dist_12345.txt",
    "random.Random(12345): choices([0, 1], k=1000) + choices(range(4, 8), k=1000)",
    s,
)

# river/drift/test_adwin_regression.py, test_multiple_drifts.
rng = random.Random(42)
s = (
    rng.choices([0, 1], k=1000)
    + rng.choices(range(4, 8), k=1000)
    + rng.choices([0, 1], k=1000)
    + rng.choices(range(4, 8), k=1000)
)
write(
    "four_segments_42.txt",
    "random.Random(42): choices([0, 1], k=1000) + choices(range(4, 8), k=1000), twice",
    s,
)
