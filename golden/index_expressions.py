"""NumPy-style index expressions (`x[...]`) evaluated by real JAX: integers (negative too), slices
with any bounds and steps (out-of-range bounds clamp, negative steps reverse), new axes, an
ellipsis, and integer index arrays (negative entries wrap; two arrays separated by a slice move the
advanced axes to the front). Also `x.at[...].add` with the same expressions (repeated indices
accumulate). Read by core/numpy/index-expressions.test.ts.

An item is written as an int, a string "start:stop:step" (empty parts are None), "..." (Ellipsis),
null (None) or {"indices": [...], "shape": [...]} (an int32 index array).
Run: /work/venv/bin/python golden/index_expressions.py
"""
import random

import numpy as np
import jax.numpy as jnp

from common import enc, write

rng = random.Random(10)


def slice_item(n):
    def bound():
        return None if rng.random() < 0.3 else rng.randint(-n - 2, n + 2)

    step = rng.choice([None, 1, -1, 2, -2, 3, -3])
    a, b = bound(), bound()
    return f"{'' if a is None else a}:{'' if b is None else b}{'' if step is None else f':{step}'}"


def item(n, arr_shape, arrays):
    r = rng.random()
    if r < 0.3:
        return rng.randint(-n, n - 1)
    if r < 0.75:
        return slice_item(n)
    if r < 0.85 or arrays[0] >= 2:
        return ":"
    arrays[0] += 1
    size = int(np.prod(arr_shape)) if arr_shape else 1
    return {"indices": [rng.randint(-n, n - 1) for _ in range(size)], "shape": list(arr_shape)}


def to_jax(it):
    if it is None:
        return None
    if isinstance(it, int):
        return it
    if isinstance(it, dict):
        return jnp.asarray(np.array(it["indices"], dtype=np.int32).reshape(it["shape"]))
    if it == "...":
        return Ellipsis
    parts = it.split(":")
    vals = [None if p == "" else int(p) for p in parts] + [None] * (3 - len(parts))
    return slice(*vals)


cases = []
for _ in range(160):
    rank = rng.randint(1, 3)
    shape = [rng.randint(1, 4) for _ in range(rank)]
    arr_shape = rng.choice([[1], [2], [3], [2, 2], []])
    arrays = [0]
    items = [item(n, arr_shape, arrays) for n in shape]
    keep = rng.randint(0, rank)
    items = items[:keep]
    if keep < rank and rng.random() < 0.5:
        items.append("...")
    if rng.random() < 0.3:
        items.insert(rng.randint(0, len(items)), None)
    x = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape)
    idx = tuple(to_jax(i) for i in items)
    y = jnp.asarray(x)[idx]
    u = (np.arange(int(np.prod(y.shape)), dtype=np.float32).reshape(y.shape) + 1) * 100
    z = jnp.asarray(x).at[idx].add(jnp.asarray(u))
    cases.append({"shape": shape, "items": items, "get": enc(y), "add": enc(z)})

write("index_expressions", cases)
