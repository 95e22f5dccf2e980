"""lax.rng_bit_generator from real JAX on CPU: the new key and the bits for several keys, shapes,
dtypes and algorithms (DEFAULT is PHILOX on CPU), and under vmap. Read by core/lax/rng.golden.test.ts.
Each case: {"key", "shape", "dtype", "algorithm", "new_key", "bits"} (bits and keys as uint32 data),
or with "vmap": true a batch of keys [B, 4].

Run: /work/venv/bin/python golden/lax_rng.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_enable_x64", False)
ALG = {"RNG_DEFAULT": lax.RandomAlgorithm.RNG_DEFAULT, "RNG_THREE_FRY": lax.RandomAlgorithm.RNG_THREE_FRY,
       "RNG_PHILOX": lax.RandomAlgorithm.RNG_PHILOX}
KEYS = [[1, 2, 3, 4], [0, 0, 0, 0], [0xDEADBEEF, 0x12345678, 0xFFFFFFFF, 0xFFFFFFFF],
        [7, 0xFFFFFFFF, 0xFFFFFFFE, 5], [0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF]]
SHAPES = [[6], [9], [], [0], [3, 5], [5, 3, 7], [2, 7], [1, 1], [4, 1, 3]]
cases = []
for key in KEYS:
    for shape in SHAPES:
        for alg in ALG:
            for dtype in ["uint32", "uint8", "uint16"]:
                if dtype != "uint32" and shape not in ([9], [3, 5]):
                    continue
                k = jnp.array(key, jnp.uint32)
                nk, bits = lax.rng_bit_generator(k, tuple(shape), jnp.dtype(dtype), ALG[alg])
                cases.append({"key": enc(k), "shape": shape, "dtype": dtype, "algorithm": alg,
                              "new_key": enc(nk), "bits": enc(bits)})

# vmap: JAX's batching rule draws the whole batch from the first key and advances only it.
keys = jnp.array(KEYS[:3], jnp.uint32)
for alg in ["RNG_DEFAULT", "RNG_THREE_FRY"]:
    nk, bits = jax.vmap(lambda k: lax.rng_bit_generator(k, (5,), jnp.uint32, ALG[alg]))(keys)
    cases.append({"vmap": True, "key": enc(keys), "shape": [5], "dtype": "uint32", "algorithm": alg,
                  "new_key": enc(nk), "bits": enc(bits)})

write("lax_rng", cases)
