"""Collectives over named axes under vmap(axis_name=...): values and gradients from real JAX.

Each case applies one collective inside vmap over axis 0 of x (axis name "i"; nested cases map
axis 1 as "j" inside it) and records the output and the gradient of sum(sin(output)).
The TypeScript test (core/parallel/collectives.test.ts) has the same programs under the same names.

Run: /work/venv/bin/python golden/parallel.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")


def over_i(op):
    return lambda x: jax.vmap(op, axis_name="i")(x)


def over_ij(op):
    return lambda x: jax.vmap(jax.vmap(op, axis_name="j"), axis_name="i")(x)


def data(shape):
    n = int(np.prod(shape))
    return jnp.asarray((np.sin(np.arange(n) * 1.7 + 0.3) * 3).astype(np.float32).reshape(shape))


programs = {
    "psum": (over_i(lambda v: lax.psum(v, "i")), [4, 3], True),
    "pmean": (over_i(lambda v: lax.pmean(v, "i")), [4, 3], True),
    "pmax": (over_i(lambda v: lax.pmax(v, "i")), [4, 3], False),
    "pmin": (over_i(lambda v: lax.pmin(v, "i")), [4, 3], False),
    "psum of a constant": (over_i(lambda v: v * lax.psum(1, "i")), [4, 3], True),
    "normalize": (over_i(lambda v: v / lax.psum(v, "i")), [4, 3], True),
    "psum over (i, j)": (over_ij(lambda v: lax.psum(v, ("i", "j"))), [2, 3, 2], True),
    "pmean over (i, j)": (over_ij(lambda v: lax.pmean(v, ("i", "j"))), [2, 3, 2], True),
    "psum over j inside i": (over_ij(lambda v: lax.psum(v, "j") * lax.axis_index("i")), [2, 3, 2], True),
    "allGather": (over_i(lambda v: lax.all_gather(v, "i")), [4, 3], True),
    "allGather axis 1": (over_i(lambda v: lax.all_gather(v, "i", axis=1)), [4, 3, 2], True),
    "allGather tiled": (over_i(lambda v: lax.all_gather(v, "i", tiled=True)), [4, 3, 2], True),
    "ppermute": (over_i(lambda v: lax.ppermute(v, "i", [(0, 1), (1, 2), (2, 3), (3, 0)])), [4, 3], True),
    "pshuffle": (over_i(lambda v: lax.pshuffle(v, "i", [2, 0, 3, 1])), [4, 3], True),
    "psumScatter": (over_i(lambda v: lax.psum_scatter(v, "i")), [4, 4, 2], True),
    "psumScatter tiled": (over_i(lambda v: lax.psum_scatter(v, "i", scatter_dimension=1, tiled=True)), [4, 2, 8], True),
    "allToAll 1 0": (over_i(lambda v: lax.all_to_all(v, "i", 1, 0)), [4, 3, 4], True),
    "allToAll 0 1": (over_i(lambda v: lax.all_to_all(v, "i", 0, 1)), [4, 4, 3], True),
    "allToAll tiled": (over_i(lambda v: lax.all_to_all(v, "i", 0, 1, tiled=True)), [4, 8, 3], True),
    "axisIndex": (over_i(lambda v: v * lax.axis_index("i")), [4, 3], True),
    "axisIndex (i, j)": (over_ij(lambda v: v * lax.axis_index(("i", "j"))), [2, 3, 2], True),
    "axisSize": (over_ij(lambda v: v * lax.axis_size(("i", "j"))), [2, 3, 2], True),
    "jit inside vmap": (over_i(jax.jit(lambda v: v / lax.psum(v, "i"))), [4, 3], True),
    "grad inside vmap": (over_i(jax.grad(lambda v: jnp.sum(jnp.sin(v) * lax.psum(v, "i")))), [4, 3], True),
}

cases = []
for name, (f, shape, with_grad) in programs.items():
    x = data(shape)
    case = {"name": name, "x": enc(x), "out": enc(f(x))}
    if with_grad:
        case["grad"] = enc(jax.grad(lambda x: jnp.sum(jnp.sin(f(x))))(x))
    cases.append(case)

write("parallel", cases)
