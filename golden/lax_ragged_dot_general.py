"""lax.ragged_dot_general from real JAX: its three modes (ragged non-contracting, contracting and
batch dimensions) with batch dims, group sizes summing to less / exactly / more than the ragged
dimension, per-batch group sizes, and the gradients of sum(out * c) in lhs and rhs. Read by
core/lax/ragged-dot-general.golden.test.ts. Each case: {"id", "dims", "args", "out"}.

Run: /work/venv/bin/python golden/lax_ragged_dot_general.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_enable_x64", False)
r = np.random.RandomState(1)
cases = []


def u(*shape):
    return r.uniform(-1, 1, shape).astype(np.float32)


def case(id_, lhs, rhs, gs, contracting, batch, ragged, group, grads=False, dense=None):
    dims = lax.RaggedDotDimensionNumbers(dot_dimension_numbers=(contracting, batch),
                                         lhs_ragged_dimensions=[ragged], rhs_group_dimensions=group)
    f = lambda l, w: lax.ragged_dot_general(l, w, jnp.asarray(gs), dims)
    out = f(lhs, rhs)
    c = {"id": id_, "dims": {"contracting": [list(contracting[0]), list(contracting[1])],
                             "batch": [list(batch[0]), list(batch[1])], "ragged": ragged, "group": list(group)},
         "args": [enc(lhs), enc(rhs), enc(np.asarray(gs))], "out": enc(out)}
    if grads:
        ct = u(*out.shape)
        # JAX 0.10 has no gradient for the ragged contracting mode: there the reference is the
        # gradient of an independent dense formula (masked einsum) that equals the forward values.
        if dense is not None:
            np.testing.assert_allclose(dense(lhs, rhs), out, rtol=1e-5, atol=1e-6)
        loss = lambda l, w: jnp.sum((f if dense is None else dense)(l, w) * ct)
        gl, gw = jax.grad(loss, (0, 1))(lhs, rhs)
        c["ct"] = enc(ct)
        c["grads"] = [enc(gl), enc(gw)]
    cases.append(c)


# 1. ragged non-contracting: [m, k] x [g, k, n] (ragged_dot) and with a batch dim [b, m, k] x [b, g, k, n].
case("noncontracting", u(7, 3), u(4, 3, 2), np.array([2, 1, 3, 1], np.int32), ([1], [1]), ([], []), 0, [0], grads=True)
case("noncontracting fewer", u(7, 3), u(4, 3, 2), np.array([2, 0, 3, 0], np.int32), ([1], [1]), ([], []), 0, [0])
case("noncontracting batch", u(2, 5, 3), u(2, 3, 3, 4), np.array([1, 3, 1], np.int32), ([2], [2]), ([0], [0]), 1, [1], grads=True)
case("noncontracting batch per-batch sizes", u(2, 5, 3), u(2, 3, 3, 4), np.array([[1, 3, 1], [0, 2, 2]], np.int32), ([2], [2]), ([0], [0]), 1, [1])
case("noncontracting group dim last", u(6, 3), u(3, 2, 3), np.array([2, 2, 2], np.int32), ([1], [0]), ([], []), 0, [2])
# 2. ragged contracting: [m, k] x [k, n] -> [g, m, n]; with a batch dim.
def contracting_dense(sizes):
    ends = np.cumsum(sizes)
    starts = ends - np.asarray(sizes)
    masks = [((np.arange(6) >= s) & (np.arange(6) < e)).astype(np.float32) for s, e in zip(starts, ends)]
    return lambda l, w: jnp.stack([jnp.einsum("mk,k,kn->mn", l, m, w) for m in masks])


case("contracting", u(3, 6), u(6, 2), np.array([1, 2, 3], np.int32), ([1], [0]), ([], []), 1, [], grads=True,
     dense=contracting_dense([1, 2, 3]))
case("contracting more", u(3, 6), u(6, 2), np.array([4, 4], np.int32), ([1], [0]), ([], []), 1, [])
case("contracting batch", u(2, 3, 5), u(2, 5, 4), np.array([2, 0, 3], np.int32), ([2], [1]), ([0], [0]), 2, [])
# 3. ragged batch: a plain dot_general.
case("batch", u(4, 2, 3), u(4, 3, 2), np.array([1, 3], np.int32), ([2], [1]), ([0], [0]), 0, [])
write("lax_ragged_dot_general", cases)
