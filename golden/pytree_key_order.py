"""The order in which JAX flattens dict keys (sorted, by Unicode code point), for objects whose keys
are inserted in different orders. Read by core/tree/key-order.test.ts.

A tree is written as a list of [key, child] entries in insertion order (JSON objects cannot keep
the order of integer-like keys in JavaScript); a child is a leaf number or a nested entry list.
Run: /work/venv/bin/python golden/pytree_key_order.py
"""
import random

import jax

from common import write


def build(entries):
    return {k: (build(v) if isinstance(v, list) else v) for k, v in entries}


def entries_of(keys, start, nested=None):
    out = []
    n = start
    for k in keys:
        if nested is not None and k == nested[0]:
            child, n = entries_of(nested[1], n)
            out.append([k, child])
        else:
            out.append([k, n])
            n += 1
    return out, n


key_sets = [
    ["b", "a", "c"],
    # integer-like keys: JavaScript enumerates them first, numerically; JAX sorts them as strings
    ["10", "9", "2", "a", "1", "01", "-1", "1.5", "4294967295", "4294967296"],
    # ASCII classes: digits < uppercase < "_" < lowercase; prefixes sort first
    ["_", "B", "a", "A", "ab", "a_b", "aB", "", " ", "~", "Z"],
    # beyond ASCII: BMP letters, characters above the surrogate range, and astral characters
    # (UTF-16 code-unit order puts the astral ones before U+E000..U+FFFF; code-point order after)
    ["é", "e", "\uff01", "\U0001f600", "\ue000", "\u00ff", "z", "\U00010000", "\ufffd", "\u4e2d"],
    ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"],
]

rng = random.Random(0)
cases = []
for keys in key_sets:
    for order in range(3):
        ks = list(keys) if order == 0 else list(reversed(keys)) if order == 1 else rng.sample(keys, len(keys))
        entries, _ = entries_of(ks, 0)
        leaves, _ = jax.tree_util.tree_flatten(build(entries))
        cases.append({"entries": entries, "leaves": leaves})

# nested objects, each level inserted in its own order
inner = ["y", "10", "\U0001f600", "\uff01", "b"]
for order in range(2):
    outer_keys = ["m", "a", "2", "\ufb01"] if order == 0 else ["\ufb01", "2", "a", "m"]
    ks = inner if order == 0 else list(reversed(inner))
    entries, _ = entries_of(outer_keys, 0, nested=("m", ks))
    leaves, _ = jax.tree_util.tree_flatten(build(entries))
    cases.append({"entries": entries, "leaves": leaves})

write("pytree_key_order", cases)
