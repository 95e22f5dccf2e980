"""Sorting from real JAX: jnp.sort/argsort/lexsort/partition/argpartition and lax.sort/sort_key_val/
top_k, over dtypes, axes, ties, NaN (positive: the JSON encoding keeps no NaN sign), inf, -0 and empty arrays.
Read by core/numpy/sorting.test.ts.

Each case: {"fn": jaxfx name, "args": [...], "opts": {jaxfx options}, "out": array or [arrays]}.
Arrays in args are encoded like outputs (golden/common.py); other args are plain JSON.

Run: /work/venv/bin/python golden/sorting.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_enable_x64", False)

nan = np.nan
F = np.array([3.0, -0.0, nan, 1.0, 0.0, -np.inf, 1.0, nan, np.inf, -2.5], dtype=np.float32)
F2 = np.array([[2.0, nan, -1.0, 2.0], [0.0, -0.0, 5.0, -3.0], [1.0, 1.0, -np.inf, 0.5]], dtype=np.float32)
I = np.array([5, -3, 2, 2, 0, -3, 7, 1], dtype=np.int32)
I2 = np.array([[4, 1, 4, 0], [2, 2, 9, -1], [7, 3, 3, 3]], dtype=np.int32)
U = np.array([3000000000, 1, 2147483648, 0, 4294967295, 1], dtype=np.uint32)
B = np.array([True, False, True, False, False], dtype=np.bool_)
E = np.zeros((0,), dtype=np.float32)
E2 = np.zeros((2, 0), dtype=np.float32)

cases = []


def arg(a):
    if isinstance(a, np.ndarray):
        return enc(a)
    if isinstance(a, (list, tuple)):
        return [arg(b) for b in a]
    return a


def add(fn, args, opts, out):
    enc_args = [arg(a) for a in args]
    enc_out = [enc(o) for o in out] if isinstance(out, (tuple, list)) else enc(out)
    cases.append({"fn": fn, "args": enc_args, "opts": opts, "out": enc_out})


for x in (F, F2, I, I2, U, B, E, E2):
    axes = [-1, None] if x.ndim == 1 else [0, 1, -1, None]
    for axis in axes:
        for desc in (False, True):
            add("np.sort", [x], {"axis": axis, "descending": desc}, jnp.sort(x, axis=axis, descending=desc))
            add("np.argsort", [x], {"axis": axis, "descending": desc}, jnp.argsort(x, axis=axis, descending=desc))

for x in (F, F2, I, I2, U):
    n = x.shape[-1]
    for kth in sorted({0, 1, n // 2, n - 1, -1}):
        add("np.partition", [x, kth], {}, jnp.partition(x, kth))
        add("np.argpartition", [x, kth], {}, jnp.argpartition(x, kth))
    if x.ndim == 2:
        add("np.partition", [x, 1], {"axis": 0}, jnp.partition(x, 1, axis=0))
        add("np.argpartition", [x, 1], {"axis": 0}, jnp.argpartition(x, 1, axis=0))

for x in (F, F2, I, I2, U, B, E2):
    for axis in ([-1] if x.ndim == 1 else [0, -1]):
        n = x.shape[axis]
        for k in sorted({0, 1, n}):
            if k <= n:
                add("lax.topK", [x, k], {"axis": axis}, lax.top_k(x, k, axis=axis) if axis != -1 else lax.top_k(x, k))

surname = np.array([2, 1, 2, 1, 3, 1], dtype=np.int32)
first = np.array([0.5, 0.5, -1.0, nan, 0.0, -0.0], dtype=np.float32)
add("np.lexsort", [[surname, first]], {}, jnp.lexsort([surname, first]))
add("np.lexsort", [[first, surname]], {}, jnp.lexsort([first, surname]))
add("np.lexsort", [[I2, I2 % 2]], {"axis": 0}, jnp.lexsort([I2, I2 % 2], axis=0))
add("np.lexsort", [[I]], {}, jnp.lexsort([I]))

add("lax.sort", [F], {}, lax.sort(F))
add("lax.sort", [F2], {"dimension": 0}, lax.sort(F2, dimension=0))
add("lax.sort", [[I, F[:8]]], {"numKeys": 1}, lax.sort((I, F[:8]), num_keys=1))
add("lax.sort", [[surname, first, np.arange(6, dtype=np.float32)]], {"numKeys": 2}, lax.sort((surname, first, np.arange(6, dtype=np.float32)), num_keys=2))
add("lax.sortKeyVal", [F, np.arange(10, dtype=np.int32)], {}, lax.sort_key_val(F, np.arange(10, dtype=np.int32)))

write("sorting", cases)
