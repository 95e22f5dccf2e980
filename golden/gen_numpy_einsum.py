"""jnp.einsum in its forms (explicit and implicit outputs, ellipses, repeated labels, the
interleaved operand/sublist form, several operands with optimize), for core/numpy/einsum.test.ts.

Each case is {"id", "args": [arrays], "out": array}.
Run: /work/venv/bin/python golden/gen_numpy_einsum.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_platforms", "cpu")
rng = np.random.default_rng(0)
cases, case = collector()


def r(*shape):
    return rng.standard_normal(shape).astype(np.float32)


A, B, C, D = r(2, 3), r(3, 4), r(4, 5), r(5, 2)
case("matmul", lambda a, b: jnp.einsum("ij,jk->ik", a, b), A, B)
case("implicit", lambda a, b: jnp.einsum("ij,jk", a, b), A, B)
case("implicit-order", lambda a: jnp.einsum("ba", a), A)
case("trace", lambda a: jnp.einsum("ii", a), r(4, 4))
case("diagonal", lambda a: jnp.einsum("ii->i", a), r(4, 4))
case("repeated-3", lambda a: jnp.einsum("iji->j", a), r(3, 2, 3))
case("sum-all", lambda a: jnp.einsum("ijk->", a), r(2, 3, 4))
case("outer", lambda a, b: jnp.einsum("i,j->ij", a, b), r(3), r(4))
case("ellipsis-batch", lambda a, b: jnp.einsum("...ij,...jk->...ik", a, b), r(2, 1, 3, 4), r(5, 4, 2))
case("ellipsis-implicit", lambda a: jnp.einsum("...ij", a), r(2, 3, 4))
case("ellipsis-middle", lambda a: jnp.einsum("i...j->j...i", a), r(2, 3, 4, 5))
case("chain3", lambda a, b, c: jnp.einsum("ij,jk,kl->il", a, b, c), A, B, C)
case("chain4-optimize", lambda a, b, c, d: jnp.einsum("ij,jk,kl,lm->im", a, b, c, d, optimize="greedy"), A, B, C, D)
case("chain4-no-optimize", lambda a, b, c, d: jnp.einsum("ij,jk,kl,lm->im", a, b, c, d, optimize=False), A, B, C, D)
case("hadamard-sum", lambda a, b: jnp.einsum("ij,ij->i", a, b), A, A)
case("bilinear", lambda x, w, y: jnp.einsum("bi,oij,bj->bo", x, w, y), r(3, 2), r(4, 2, 5), r(3, 5))
case("interleaved", lambda a, b: jnp.einsum(a, [0, 1], b, [1, 2], [0, 2]), A, B)
case("interleaved-implicit", lambda a, b: jnp.einsum(a, [0, 1], b, [1, 2]), A, B)
case("interleaved-ellipsis", lambda a, b: jnp.einsum(a, [Ellipsis, 0, 1], b, [Ellipsis, 1, 2], [Ellipsis, 0, 2]), r(2, 3, 4), r(2, 4, 3))
case("interleaved-trace", lambda a: jnp.einsum(a, [0, 0]), r(3, 3))
case("int", lambda a, b: jnp.einsum("ij,j->i", a, b), np.arange(6, dtype=np.int32).reshape(2, 3), np.array([1, -2, 3], np.int32))
case("bool", lambda a, b: jnp.einsum("ij,jk->ik", a, b), np.array([[True, False], [False, False]]), np.array([[True, True], [False, True]]))
case("empty-axis", lambda a, b: jnp.einsum("ij,jk->ik", a, b), np.zeros((2, 0), np.float32), np.zeros((0, 3), np.float32))
write("numpy_einsum", cases)
