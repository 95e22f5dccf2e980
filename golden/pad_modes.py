"""np.pad in every mode with widths up to twice the axis size (reflecting modes then reflect more
than once), from real JAX. Read by core/numpy/pad-modes.test.ts.

Run: /work/venv/bin/python golden/pad_modes.py
"""
import random

import numpy as np
import jax.numpy as jnp

from common import enc, write

rng = random.Random(3)
cases = []
for mode in ["constant", "edge", "reflect", "symmetric", "wrap"]:
    for _ in range(16):
        rank = rng.randint(1, 3)
        shape = [rng.randint(1, 4) for _ in range(rank)]
        widths = [[rng.randint(0, 2 * n), rng.randint(0, 2 * n)] for n in shape]
        x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) + 1
        y = jnp.pad(jnp.asarray(x), widths, mode=mode)
        cases.append({"shape": shape, "widths": widths, "mode": mode, "y": enc(y)})

write("pad_modes", cases)
