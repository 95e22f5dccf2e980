"""uint32 reductions of values above 2^31 (where a signed accumulator or comparison goes wrong),
over every axis choice, from real JAX. Read by core/numpy/reductions-uint32.test.ts.

Run: /work/venv/bin/python golden/uint32_reductions.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import enc, write

jax.config.update("jax_enable_x64", False)

# Values straddling 2^31 and near 2^32: as int32 they are negative, so a signed max/min/argmax or a
# sum that overflows through int32 picks or wraps differently.
X = np.array(
    [
        [3000000000, 1, 2147483648, 7],
        [2147483647, 4294967295, 5, 2147483649],
        [4000000000, 2147483648, 4294967294, 0],
    ],
    dtype=np.uint32,
)
V = np.array([3000000000, 2147483649, 5, 4294967295, 2147483648], dtype=np.uint32)

ops = {
    "sum": lambda x, a, k: jnp.sum(x, axis=a, keepdims=k),
    "prod": lambda x, a, k: jnp.prod(x, axis=a, keepdims=k),
    "max": lambda x, a, k: jnp.max(x, axis=a, keepdims=k),
    "min": lambda x, a, k: jnp.min(x, axis=a, keepdims=k),
    "argmax": lambda x, a, k: jnp.argmax(x, axis=a, keepdims=k),
    "argmin": lambda x, a, k: jnp.argmin(x, axis=a, keepdims=k),
    "mean": lambda x, a, k: jnp.mean(x, axis=a, keepdims=k),
}
cumulative = {
    "cumsum": lambda x, a: jnp.cumsum(x, axis=a),
    "cumprod": lambda x, a: jnp.cumprod(x, axis=a),
}

cases = []
for name, x in (("X", X), ("V", V)):
    axes = [None, 0] if x.ndim == 1 else [None, 0, 1, -1]
    for op, f in ops.items():
        for axis in axes:
            for keepdims in (False, True):
                y = f(jnp.asarray(x), axis, keepdims)
                cases.append({"input": name, "x": enc(x), "op": op, "axis": axis, "keepdims": keepdims, "y": enc(y)})
    for op, f in cumulative.items():
        for axis in ([0] if x.ndim == 1 else [0, 1]):
            cases.append({"input": name, "x": enc(x), "op": op, "axis": axis, "keepdims": False, "y": enc(f(jnp.asarray(x), axis))})

write("uint32_reductions", cases)
