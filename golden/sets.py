"""Searching and sets from real JAX: nonzero/flatnonzero/argwhere (with size and fill_value),
count_nonzero, searchsorted (side, sorter), digitize, bincount, unique (every return flag, axis,
equal_nan, size, fill_value) and its array-API forms, isin, union1d, intersect1d (assume_unique,
return_indices, size), setdiff1d and setxor1d, over ints, floats with NaN/inf/-0, bools and empty
arrays. Read by core/numpy/sets.test.ts. Case format as in golden/sorting.py.

Run: /work/venv/bin/python golden/sets.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import enc, write

jax.config.update("jax_enable_x64", False)

nan = np.nan
F = np.array([2.5, nan, -0.0, 1.0, 0.0, 2.5, -np.inf, nan, 1.0], dtype=np.float32)
I = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], dtype=np.int32)
I2 = np.array([[1, 0, 2], [0, 0, 3], [1, 0, 2], [4, 5, 0]], dtype=np.int32)
U = np.array([7, 3000000000, 7, 0], dtype=np.uint32)
B = np.array([[True, False], [False, True]], dtype=np.bool_)
E = np.zeros((0,), dtype=np.float32)
cases = []


def arg(a):
    if isinstance(a, np.ndarray):
        return enc(a)
    if isinstance(a, (list, tuple)):
        return [arg(b) for b in a]
    return a


def add(fn, args, opts, out):
    if isinstance(out, tuple) and hasattr(out, "_fields"):
        out = list(out)
    enc_out = [enc(o) for o in out] if isinstance(out, (tuple, list)) else enc(out)
    cases.append({"fn": fn, "args": [arg(a) for a in args], "opts": opts, "out": enc_out})


for x in (F, I, I2, U, B, E):
    add("np.nonzero", [x], {}, jnp.nonzero(x))
    add("np.flatnonzero", [x], {}, jnp.flatnonzero(x))
    add("np.argwhere", [x], {}, jnp.argwhere(x))
    add("np.countNonzero", [x], {}, jnp.count_nonzero(x))
    for size in (0, 2, 12):
        add("np.nonzero", [x], {"size": size}, jnp.nonzero(x, size=size))
        add("np.nonzero", [x], {"size": size, "fillValue": -1}, jnp.nonzero(x, size=size, fill_value=-1))
        add("np.flatnonzero", [x], {"size": size, "fillValue": 7}, jnp.flatnonzero(x, size=size, fill_value=7))
        add("np.argwhere", [x], {"size": size}, jnp.argwhere(x, size=size))
add("np.countNonzero", [I2], {"axis": 0}, jnp.count_nonzero(I2, axis=0))
add("np.countNonzero", [I2], {"axis": 1, "keepdims": True}, jnp.count_nonzero(I2, axis=1, keepdims=True))
add("np.nonzero", [I2], {"size": 8, "fillValue": [-1, -2]}, jnp.nonzero(I2, size=8, fill_value=(-1, -2)))

S = np.array([-np.inf, -1.0, 0.0, 0.0, 2.0, 2.0, 2.0, 5.0, np.inf, nan], dtype=np.float32)
V = np.array([[2.0, -0.0, nan], [np.inf, -5.0, 5.5]], dtype=np.float32)
for side in ("left", "right"):
    add("np.searchsorted", [S, V], {"side": side}, jnp.searchsorted(S, V, side=side))
    add("np.searchsorted", [I, np.array([0, 1, 5, 10], np.int32)], {"side": side, "sorter": enc(np.argsort(I, kind="stable").astype(np.int32))},
        jnp.searchsorted(I, np.array([0, 1, 5, 10], np.int32), side=side, sorter=np.argsort(I, kind="stable")))
    add("np.searchsorted", [E, V], {"side": side}, jnp.searchsorted(E, V, side=side))
add("np.searchsorted", [S, 2.0], {}, jnp.searchsorted(S, 2.0))

bins_up = np.array([0.0, 1.0, 2.5, 4.0], dtype=np.float32)
bins_down = bins_up[::-1].copy()
xs = np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 3.9, 4.0, 7.0, nan], dtype=np.float32)
for right in (False, True):
    add("np.digitize", [xs, bins_up], {"right": right}, jnp.digitize(xs, bins_up, right=right))
    add("np.digitize", [xs, bins_down], {"right": right}, jnp.digitize(xs, bins_down, right=right))
add("np.digitize", [xs, E], {}, jnp.digitize(xs, E))

BC = np.array([0, 3, 1, 3, 3, -2, 0], dtype=np.int32)
W = np.array([0.5, 1.0, 2.0, -1.0, 0.25, 3.0, 1.0], dtype=np.float32)
add("np.bincount", [BC], {}, jnp.bincount(BC))
add("np.bincount", [BC], {"minlength": 7}, jnp.bincount(BC, minlength=7))
add("np.bincount", [BC], {"length": 3}, jnp.bincount(BC, length=3))
add("np.bincount", [BC], {"weights": enc(W)}, jnp.bincount(BC, weights=W))
add("np.bincount", [np.zeros((0,), np.int32)], {"minlength": 2}, jnp.bincount(np.zeros((0,), np.int32), minlength=2))

for x in (F, I, I2, U, B):
    for ri in (False, True):
        for rv in (False, True):
            for rc in (False, True):
                kw = {"return_index": ri, "return_inverse": rv, "return_counts": rc}
                opts = {"returnIndex": ri, "returnInverse": rv, "returnCounts": rc}
                add("np.unique", [x], opts, jnp.unique(x, **kw))
                add("np.unique", [x], {**opts, "size": 9}, jnp.unique(x, size=9, **kw))
                add("np.unique", [x], {**opts, "size": 2, "fillValue": 0}, jnp.unique(x, size=2, fill_value=0, **kw))
    add("np.unique", [x], {"equalNan": False}, jnp.unique(x, equal_nan=False))
    add("np.unique", [x], {"size": 12, "fillValue": 1}, jnp.unique(x, size=12, fill_value=1))
    add("np.uniqueValues", [x], {}, jnp.unique_values(x))
    add("np.uniqueCounts", [x], {}, jnp.unique_counts(x))
    add("np.uniqueInverse", [x], {}, jnp.unique_inverse(x))
    add("np.uniqueAll", [x], {}, jnp.unique_all(x))
    add("np.uniqueAll", [x], {"size": 10, "fillValue": 0}, jnp.unique_all(x, size=10, fill_value=0))
for axis in (0, 1, -1):
    add("np.unique", [I2], {"axis": axis, "returnIndex": True, "returnInverse": True, "returnCounts": True},
        jnp.unique(I2, axis=axis, return_index=True, return_inverse=True, return_counts=True))
    add("np.unique", [I2], {"axis": axis, "size": 5, "fillValue": -1}, jnp.unique(I2, axis=axis, size=5, fill_value=-1))
add("np.unique", [E], {}, jnp.unique(E))
add("np.unique", [E], {"size": 3, "fillValue": 2}, jnp.unique(E, size=3, fill_value=2))

T = np.array([5, 1, 9, 11], dtype=np.int32)
FT = np.array([1.0, nan, -0.0], dtype=np.float32)
for inv in (False, True):
    add("np.isin", [I2, T], {"invert": inv}, jnp.isin(I2, T, invert=inv))
    add("np.isin", [F, FT], {"invert": inv}, jnp.isin(F, FT, invert=inv))
    add("np.isin", [I, E], {"invert": inv}, jnp.isin(I, E, invert=inv))

A1 = np.array([5, 1, 3, 3, 7, 1, 9], dtype=np.int32)
A2 = np.array([[3, 8, 1], [1, 10, 9]], dtype=np.int32)
UA = np.array([4, 2, 8, 6], dtype=np.int32)
UB = np.array([6, 5, 4, 0], dtype=np.int32)
for (a, b) in ((A1, A2), (A2, A1), (F, FT), (A1, np.zeros((0,), np.int32))):
    add("np.union1d", [a, b], {}, jnp.union1d(a, b))
    add("np.setdiff1d", [a, b], {}, jnp.setdiff1d(a, b))
    add("np.setxor1d", [a, b], {}, jnp.setxor1d(a, b))
    add("np.intersect1d", [a, b], {}, jnp.intersect1d(a, b))
    add("np.intersect1d", [a, b], {"returnIndices": True}, jnp.intersect1d(a, b, return_indices=True))
    for size in (1, 6):
        add("np.union1d", [a, b], {"size": size}, jnp.union1d(a, b, size=size))
        add("np.union1d", [a, b], {"size": size, "fillValue": -3}, jnp.union1d(a, b, size=size, fill_value=-3))
        add("np.setdiff1d", [a, b], {"size": size}, jnp.setdiff1d(a, b, size=size))
        add("np.setdiff1d", [a, b], {"size": size, "fillValue": -3}, jnp.setdiff1d(a, b, size=size, fill_value=-3))
        add("np.setxor1d", [a, b], {"size": size}, jnp.setxor1d(a, b, size=size))
        add("np.setxor1d", [a, b], {"size": size, "fillValue": -3}, jnp.setxor1d(a, b, size=size, fill_value=-3))
        add("np.intersect1d", [a, b], {"size": size}, jnp.intersect1d(a, b, size=size))
        if b.size:  # JAX 0.10 fails on an empty second array here
            add("np.intersect1d", [a, b], {"size": size, "returnIndices": True}, jnp.intersect1d(a, b, size=size, return_indices=True))
        add("np.intersect1d", [a, b], {"size": size, "fillValue": -3}, jnp.intersect1d(a, b, size=size, fill_value=-3))
for au in (True,):
    add("np.intersect1d", [UA, UB], {"assumeUnique": au, "returnIndices": True}, jnp.intersect1d(UA, UB, assume_unique=au, return_indices=True))
    add("np.intersect1d", [UA, UB], {"assumeUnique": au, "returnIndices": True, "size": 3}, jnp.intersect1d(UA, UB, assume_unique=au, return_indices=True, size=3))
    add("np.setdiff1d", [UA, UB], {"assumeUnique": au}, jnp.setdiff1d(UA, UB, assume_unique=au))
    add("np.setdiff1d", [UA, UB], {"assumeUnique": au, "size": 3}, jnp.setdiff1d(UA, UB, assume_unique=au, size=3))
    add("np.setxor1d", [UA, UB], {"assumeUnique": au}, jnp.setxor1d(UA, UB, assume_unique=au))
    add("np.setxor1d", [UA, UB], {"assumeUnique": au, "size": 5}, jnp.setxor1d(UA, UB, assume_unique=au, size=5))

write("sets", cases)
