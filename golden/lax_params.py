"""Which static parameters JAX's lax functions accept, and what they compute then.

Each case calls one lax function on small arange operands with one set of static parameters
(camelCase names, as jaxfx spells them) and records either the result or that JAX refused the
parameters (any exception: JAX raises TypeError or ValueError from its shape rules). Invalid
cases are the ones issue 10 names (repeated and out-of-range axes, negative dimensions, fractional
starts, string paddings, ...) and their neighbours; valid ones pin the semantics (JAX's
broadcastDimensions, negative padding that crops, transposing broadcasts).

Run: /work/venv/bin/python golden/lax_params.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")


def operand(shape, dtype="float32"):
    """1, 2, 3, ... in row-major order (distinct, non-zero values)."""
    n = int(np.prod(shape)) if len(shape) > 0 else 1
    return jnp.asarray((np.arange(n) + 1).reshape(shape), dtype=dtype)


def call(op, xs, p):
    if op == "rev":
        return lax.rev(xs[0], p["dimensions"])
    if op == "concatenate":
        return lax.concatenate(xs, p["dimension"])
    if op == "broadcast_in_dim":
        return lax.broadcast_in_dim(xs[0], p["shape"], p["broadcastDimensions"])
    if op == "slice":
        return lax.slice(xs[0], p["startIndices"], p["limitIndices"], p.get("strides"))
    if op == "pad":
        return lax.pad(xs[0], jnp.zeros((), xs[0].dtype), [tuple(c) for c in p["paddingConfig"]])
    if op == "reshape":
        return lax.reshape(xs[0], p["newSizes"])
    if op == "transpose":
        return lax.transpose(xs[0], p["permutation"])
    if op == "iota":
        return lax.broadcasted_iota(p["dtype"], p["shape"], p["dimension"])
    if op == "reduce_sum":
        return lax.reduce_sum_p.bind(xs[0], axes=tuple(p["axes"]), out_sharding=None)
    if op == "reduce_max":
        return lax.reduce_max_p.bind(xs[0], axes=tuple(p["axes"]), out_sharding=None)
    if op == "argmax":
        return lax.argmax(xs[0], p["axis"], jnp.int32)
    if op == "cumsum":
        return lax.cumsum(xs[0], p["axis"], p["reverse"])
    if op == "dot_general":
        (lc, rc), (lb, rb) = p["contracting"], p["batch"]
        return lax.dot_general(xs[0], xs[1], ((tuple(lc), tuple(rc)), (tuple(lb), tuple(rb))))
    if op == "sort":
        out = lax.sort(tuple(xs), dimension=p["dimension"], num_keys=p["numKeys"])
        return out[0]
    if op == "integer_pow":
        return lax.integer_pow(xs[0], p["y"])
    if op == "round":
        return lax.round(xs[0], p["roundingMethod"])
    raise ValueError(op)


F = "float32"
I = "int32"
# (op, operand shapes and dtypes, params)
CASES = [
    # rev: distinct axes in range
    ("rev", [([2, 3], F)], {"dimensions": [0, 1]}),
    ("rev", [([2, 3], F)], {"dimensions": []}),
    ("rev", [([2, 3], F)], {"dimensions": [1, 1]}),
    ("rev", [([2, 3], F)], {"dimensions": [5]}),
    ("rev", [([2, 3], F)], {"dimensions": [-1]}),
    ("rev", [([2, 3], F)], {"dimensions": [0.5]}),
    # concatenate: a dimension in [0, rank)
    ("concatenate", [([2, 3], F), ([2, 3], F)], {"dimension": 1}),
    ("concatenate", [([2, 3], F), ([2, 3], F)], {"dimension": 0}),
    ("concatenate", [([2, 3], F), ([2, 3], F)], {"dimension": -1}),
    ("concatenate", [([2, 3], F), ([2, 3], F)], {"dimension": 2}),
    ("concatenate", [([2, 3], F), ([2, 2], F)], {"dimension": 0}),
    # broadcast_in_dim: JAX's broadcastDimensions, honoured
    ("broadcast_in_dim", [([3], F)], {"shape": [3, 2], "broadcastDimensions": [0]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [2, 3], "broadcastDimensions": [1]}),
    ("broadcast_in_dim", [([2, 3], F)], {"shape": [3, 2], "broadcastDimensions": [1, 0]}),
    ("broadcast_in_dim", [([3, 1], F)], {"shape": [3, 4], "broadcastDimensions": [0, 1]}),
    ("broadcast_in_dim", [([3, 1], F)], {"shape": [2, 3, 4], "broadcastDimensions": [1, 2]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [2, 3], "broadcastDimensions": [0]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [3, 2], "broadcastDimensions": [0, 1]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [3, 2], "broadcastDimensions": [2]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [3, 2], "broadcastDimensions": [-2]}),
    ("broadcast_in_dim", [([2, 2], F)], {"shape": [2, 2], "broadcastDimensions": [0, 0]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [-1, 3], "broadcastDimensions": [1]}),
    ("broadcast_in_dim", [([3], F)], {"shape": [3], "broadcastDimensions": [0]}),
    # slice: non-negative integer starts and limits in range, positive strides
    ("slice", [([4, 5], F)], {"startIndices": [1, 0], "limitIndices": [3, 5]}),
    ("slice", [([4, 5], F)], {"startIndices": [0, 1], "limitIndices": [4, 5], "strides": [2, 3]}),
    ("slice", [([4, 5], F)], {"startIndices": [0.5, 0], "limitIndices": [2, 3]}),
    ("slice", [([4, 5], F)], {"startIndices": [-1, 0], "limitIndices": [2, 3]}),
    ("slice", [([4, 5], F)], {"startIndices": [0, 0], "limitIndices": [5, 3]}),
    ("slice", [([4, 5], F)], {"startIndices": [3, 0], "limitIndices": [2, 3]}),
    ("slice", [([4, 5], F)], {"startIndices": [0, 0], "limitIndices": [4, 5], "strides": [0, 1]}),
    ("slice", [([4, 5], F)], {"startIndices": [0], "limitIndices": [4]}),
    # pad: integer triples, interior >= 0, negative edges crop
    ("pad", [([3], F)], {"paddingConfig": [[1, 2, 0]]}),
    ("pad", [([3], F)], {"paddingConfig": [[-1, 1, 1]]}),
    ("pad", [([2, 3], F)], {"paddingConfig": [[0, -1, 0], [2, -2, 1]]}),
    ("pad", [([3], F)], {"paddingConfig": [[-3, 0, 0]]}),
    ("pad", [([3], F)], {"paddingConfig": [[-3, -1, 0]]}),
    ("pad", [([3], F)], {"paddingConfig": [[1, 1, -1]]}),
    ("pad", [([3], F)], {"paddingConfig": [["1", 0, 0]]}),
    ("pad", [([3], F)], {"paddingConfig": [[1, 1, 0], [0, 0, 0]]}),
    # reshape: non-negative sizes of the same total
    ("reshape", [([2, 3], F)], {"newSizes": [3, 2]}),
    ("reshape", [([2, 3], F)], {"newSizes": [6, 1]}),
    ("reshape", [([2, 3], F)], {"newSizes": [-1, 6]}),
    ("reshape", [([2, 3], F)], {"newSizes": [4, 2]}),
    # transpose: a permutation
    ("transpose", [([2, 3], F)], {"permutation": [1, 0]}),
    ("transpose", [([2, 3], F)], {"permutation": [0, 0]}),
    ("transpose", [([2, 3], F)], {"permutation": [0]}),
    ("transpose", [([2, 3], F)], {"permutation": [0, 2]}),
    # iota (broadcasted): numeric dtype, non-negative shape, a dimension in range
    ("iota", [], {"dtype": "int32", "shape": [2, 3], "dimension": 1}),
    ("iota", [], {"dtype": "float32", "shape": [3], "dimension": 0}),
    ("iota", [], {"dtype": "int32", "shape": [2, 3], "dimension": 2}),
    ("iota", [], {"dtype": "int32", "shape": [-1], "dimension": 0}),
    ("iota", [], {"dtype": "bool", "shape": [3], "dimension": 0}),
    # reductions: distinct non-negative axes in range
    ("reduce_sum", [([2, 3, 2], F)], {"axes": [0, 2]}),
    ("reduce_sum", [([2, 3], F)], {"axes": [1, 1]}),
    ("reduce_sum", [([2, 3], F)], {"axes": [2]}),
    ("reduce_sum", [([2, 3], F)], {"axes": [-1]}),
    ("reduce_max", [([2, 3], F)], {"axes": [1]}),
    ("reduce_max", [([2, 3], F)], {"axes": [0, 0]}),
    ("argmax", [([2, 3], F)], {"axis": 1}),
    ("argmax", [([2, 3], F)], {"axis": -1}),
    ("argmax", [([2, 3], F)], {"axis": 2}),
    ("cumsum", [([2, 3], F)], {"axis": 1, "reverse": True}),
    ("cumsum", [([2, 3], F)], {"axis": -1, "reverse": False}),
    ("cumsum", [([2, 3], F)], {"axis": 2, "reverse": False}),
    # dot_general: axes in range, distinct, contracting and batch disjoint, sizes equal
    ("dot_general", [([2, 3], F), ([3, 4], F)], {"contracting": [[1], [0]], "batch": [[], []]}),
    ("dot_general", [([2, 3, 4], F), ([2, 4, 5], F)], {"contracting": [[2], [1]], "batch": [[0], [0]]}),
    ("dot_general", [([2, 3], F), ([3, 4], F)], {"contracting": [[1], [1]], "batch": [[], []]}),
    ("dot_general", [([2, 3], F), ([3, 4], F)], {"contracting": [[2], [0]], "batch": [[], []]}),
    ("dot_general", [([2, 3], F), ([3, 4], F)], {"contracting": [[-1], [0]], "batch": [[], []]}),
    ("dot_general", [([3, 3], F), ([3, 3], F)], {"contracting": [[0, 0], [0, 1]], "batch": [[], []]}),
    ("dot_general", [([2, 3], F), ([2, 3], F)], {"contracting": [[0], [0]], "batch": [[0], [0]]}),
    # sort: a dimension (negative allowed, as lax.sort canonicalizes) and a key count
    ("sort", [([2, 3], F)], {"dimension": 0, "numKeys": 1}),
    ("sort", [([2, 3], F)], {"dimension": -1, "numKeys": 1}),
    ("sort", [([2, 3], F)], {"dimension": 2, "numKeys": 1}),
    ("sort", [([2, 3], F)], {"dimension": 0, "numKeys": 2}),
    # integer_pow: an integer exponent, non-negative for integer operands
    ("integer_pow", [([2, 3], F)], {"y": 3}),
    ("integer_pow", [([2, 3], F)], {"y": -2}),
    ("integer_pow", [([2, 3], I)], {"y": -1}),
    ("integer_pow", [([2, 3], F)], {"y": 1.5}),
    # round: JAX's two rounding methods only
    ("round", [([2, 3], F)], {"roundingMethod": 0}),
    ("round", [([2, 3], F)], {"roundingMethod": 1}),
    ("round", [([2, 3], F)], {"roundingMethod": 2}),
]


def run(op, operands, params):
    xs = [operand(s, d) for s, d in operands]
    # Under jit, where JAX always runs the shape rule (eagerly a few of its impls skip it: an eager
    # lax.slice with a negative start clamps instead of refusing).
    try:
        out = jax.jit(lambda *a: call(op, list(a), params))(*xs)
    except Exception as e:  # JAX refuses the params (TypeError/ValueError from its shape rule)
        return {"ok": False, "error": type(e).__name__}
    return {"ok": True, "out": enc(out)}


cases = []
for op, operands, params in CASES:
    r = run(op, operands, params)
    cases.append({"op": op, "operands": [{"shape": s, "dtype": d} for s, d in operands], "params": params, **r})

write("lax_params", cases)
