"""Golden Hessians of scalar losses built on np.linalg, from real JAX (CPU): jax.hessian at the
float32 input ("hessian") and in float64 at the same input values ("hessian64", which tells
rounding from errors). Losses: det, slogdet, solve, inv, cholesky, eigh/eigvalsh, svdvals, qr,
with fixed weights stored as extra args; and degenerate inputs (repeated eigenvalues), where JAX's
eigh derivative divides by w_i - w_j = 0 and the Hessian is NaN.
Case: {"id", "fn", "args": [x, *weights], "hessian", "hessian64"}.
Run: /path/to/venv/bin/python golden/linalg_hessian.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(31)
f32 = np.float32
cases = []

LOSSES = {
    "det": lambda a: jnp.linalg.det(a),
    "slogdet": lambda a: jnp.linalg.slogdet(a)[1],
    "solve": lambda a, b, w: jnp.sum(jnp.linalg.solve(a, b) * w),
    "inv": lambda a, w: jnp.sum(jnp.linalg.inv(a) * w),
    "cholesky": lambda a, w: jnp.sum(jnp.linalg.cholesky(a) * w),
    "eigh": lambda a, c, w: jnp.sum(jnp.linalg.eigh(a)[0] * c) + jnp.sum(jnp.linalg.eigh(a)[1] ** 2 * w),
    "eigvalsh": lambda a, c: jnp.sum(jnp.linalg.eigvalsh(a) * c),
    "svdvals": lambda a, c: jnp.sum(jnp.linalg.svd(a, compute_uv=False) * c),
    "qr": lambda a, w: jnp.sum(jnp.linalg.qr(a)[1] * w),
}


def case(id_, fn, x, *weights):
    f = LOSSES[fn]
    h = jax.hessian(f)(jnp.asarray(x), *[jnp.asarray(w) for w in weights])
    h64 = jax.hessian(f)(jnp.asarray(x, jnp.float64), *[jnp.asarray(w, jnp.float64) for w in weights])
    cases.append({"id": id_, "fn": fn, "args": [enc(x)] + [enc(w) for w in weights], "hessian": enc(h), "hessian64": enc(h64)})


def u(*shape):
    return rng.uniform(-1, 1, shape).astype(f32)


def well(n):
    return (rng.randn(n, n) + 2 * np.eye(n)).astype(f32)


def spd(n):
    a = rng.randn(n, n)
    return (a @ a.T + n * np.eye(n)).astype(f32)


case("det 3x3", "det", well(3))
case("slogdet 3x3", "slogdet", well(3))
case("solve 3x3", "solve", well(3), u(3, 2), u(3, 2))
case("inv 3x3", "inv", well(3), u(3, 3))
case("cholesky 3x3", "cholesky", spd(3), u(3, 3))
case("eigh 3x3", "eigh", spd(3), u(3), u(3, 3))
case("eigvalsh 3x3", "eigvalsh", spd(3), u(3))
case("svdvals 3x3", "svdvals", well(3), u(3))
case("qr 3x3", "qr", well(3), u(3, 3))
# degenerate: repeated eigenvalues (JAX: NaN Hessians)
case("eigvalsh identity", "eigvalsh", np.eye(3, dtype=f32), np.ones(3, f32))
case("eigh repeated", "eigh", np.diag([1, 1, 2]).astype(f32), u(3), u(3, 3))

write("linalg_hessian", cases)
