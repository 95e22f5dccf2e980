"""`jax.random.bits` for uint8, uint16 and uint32 (x64 off), with JAX's partitionable threefry (the
default) and the original scheme. Read by core/random/bits.test.ts.

Run: /work/venv/bin/python golden/random_bits.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

jax.config.update("jax_enable_x64", False)
cases = []
for part in (True, False):
    jax.config.update("jax_threefry_partitionable", part)
    for seed in (0, 42):
        for shape in ((5,), (3, 3), (7,), (2, 4)):
            for d in ("uint8", "uint16", "uint32"):
                out = jax.random.bits(jax.random.key(seed), shape, jnp.dtype(d))
                cases.append({"id": f"bits seed={seed} shape={shape} {d} partitionable={part}", "seed": seed, "shape": list(shape),
                              "dtype": d, "partitionable": part, "out": enc(np.asarray(out))})
write("random_bits", cases)
