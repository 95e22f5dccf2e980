"""Golden values for jaxfx's lax.linalg primitives, from real JAX (CPU, float32).

Each case: {"fn", "options" (jaxfx's camelCase options), "args": [arrays], "outs": JAX's outputs
(a list of arrays), "weights": arrays W_i, "grad": jax.grad of L(args) = sum_i sum(g_i(out_i) * W_i)
with respect to the float arguments}. g_i is the identity, or the square (`"squared": true` for
eigh's and svd's singular vectors, whose signs are not unique: the square is sign-invariant).
Inputs: random well- and ill-conditioned matrices, batches, 0x0 and 1x1, repeated eigenvalues.
Run: /path/to/venv/bin/python golden/linalg.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np
from jax import lax  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(0)
f32 = np.float32
cases = []


def spd(n, batch=(), cond=None):
    a = rng.randn(*batch, n, n)
    if cond is None:
        return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(f32)
    q, _ = np.linalg.qr(a)
    w = np.logspace(0, -np.log10(cond), n)
    return (q * w[..., None, :] @ np.swapaxes(q, -1, -2)).astype(f32)


def case(fn, args, options, call, squared=(), grad=True, diff=None, use=None, weights=None):
    outs = call(*[jnp.asarray(a) for a in args])
    outs = list(outs) if isinstance(outs, (tuple, list)) else [outs]
    weights = weights or [rng.uniform(-1, 1, np.shape(o)).astype(f32) for o in outs]
    c = {"fn": fn, "options": options, "args": [enc(a) for a in args], "outs": [enc(o) for o in outs],
         "weights": [enc(w) for w in weights], "squared": list(squared)}
    use = use if use is not None else list(range(len(outs)))
    c["use"] = use
    if grad:
        diff = diff if diff is not None else [i for i, a in enumerate(args) if np.asarray(a).dtype == f32]

        def loss(*xs):
            full = list(args)
            for i, x in zip(diff, xs):
                full[i] = x
            os = call(*full)
            os = list(os) if isinstance(os, (tuple, list)) else [os]
            return sum(jnp.sum((o * o if i in squared else o) * w) for i, (o, w) in enumerate(zip(os, weights))
                       if jnp.issubdtype(o.dtype, jnp.floating) and i in use)

        g = jax.grad(loss, argnums=list(range(len(diff))))(*[jnp.asarray(args[i]) for i in diff])
        c["grad"] = [enc(x) for x in g]
        # the same gradient in float64 at the same (float32) inputs: tells rounding from errors
        weights = [np.asarray(w, np.float64) for w in weights]
        g64 = jax.grad(loss, argnums=list(range(len(diff))))(*[jnp.asarray(args[i], jnp.float64) for i in diff])
        c["grad64"] = [enc(x) for x in g64]
        c["diff"] = diff
    cases.append(c)


# --- cholesky
for shape, cond in [((3,), None), ((5,), None), ((1,), None), ((0,), None), ((2, 4), None), ((4,), 1e4)]:
    a = spd(shape[-1], shape[:-1], cond)
    case("cholesky", [a], {}, lambda x: lax.linalg.cholesky(x), grad=shape[-1] > 0)
# not positive definite: NaNs
case("cholesky", [np.array([[1, 2], [2, 1]], f32)], {}, lambda x: lax.linalg.cholesky(x), grad=False)

# --- triangular_solve
for left in (True, False):
    for lower in (True, False):
        for trans in (True, False):
            for unit in (True, False):
                a = (rng.randn(4, 4) + 4 * np.eye(4)).astype(f32)
                b = rng.randn(4, 3).astype(f32) if left else rng.randn(3, 4).astype(f32)
                o = dict(leftSide=left, lower=lower, transposeA=trans, unitDiagonal=unit)
                case("triangularSolve", [a, b], o, lambda x, y, o=o: lax.linalg.triangular_solve(
                    x, y, left_side=o["leftSide"], lower=o["lower"], transpose_a=o["transposeA"], unit_diagonal=o["unitDiagonal"]))
a = (rng.randn(2, 3, 3) + 3 * np.eye(3)).astype(f32)
b = rng.randn(2, 3, 2).astype(f32)
case("triangularSolve", [a, b], dict(leftSide=True, lower=True), lambda x, y: lax.linalg.triangular_solve(x, y, left_side=True, lower=True))

# --- lu
for shape in [(4, 4), (3, 5), (5, 3), (2, 3, 3), (1, 1), (0, 0)]:
    a = rng.randn(*shape).astype(f32)
    case("lu", [a], {}, lambda x: lax.linalg.lu(x), grad=shape[-1] > 0)
case("lu", [np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], f32)], {}, lambda x: lax.linalg.lu(x), grad=False)
case("luPivotsToPermutation", [np.array([[2, 2, 3, 3], [0, 3, 2, 3]], np.int32)], {"permutationSize": 5},
     lambda p: lax.linalg.lu_pivots_to_permutation(p, 5), grad=False)

# --- qr
for shape in [(4, 3), (3, 4), (4, 4), (2, 5, 3), (1, 1)]:
    for full in (True, False):
        a = rng.randn(*shape).astype(f32)
        case("qr", [a], {"fullMatrices": full}, lambda x, full=full: lax.linalg.qr(x, full_matrices=full))

# --- eigh (outputs [v, w]; v's signs are not unique)
def sym(n, batch=()):
    a = rng.randn(*batch, n, n)
    return ((a + np.swapaxes(a, -1, -2)) / 2).astype(f32)


q, _ = np.linalg.qr(rng.randn(4, 4))
repeated = (q @ np.diag([1.0, 1.0, 2.0, 3.0]) @ q.T).astype(f32)
for a in [sym(4), sym(3, (2,)), sym(1), sym(6), spd(4, cond=1e5)]:
    case("eigh", [a], {}, lambda x: lax.linalg.eigh(x), squared=[0])
# repeated eigenvalues: the eigenvectors of the double one are not unique (the gradient of w is)
# (equal weights on the double eigenvalue: a weighted sum of its two copies depends on the basis)
case("eigh", [repeated], {}, lambda x: lax.linalg.eigh(x), squared=[0], use=[1],
     weights=[np.zeros((4, 4), f32), np.array([0.5, 0.5, -0.25, 0.75], f32)])
case("eigh", [sym(4)], {"lower": False}, lambda x: lax.linalg.eigh(x, lower=False), squared=[0])
case("eigh", [rng.randn(3, 3).astype(f32)], {"lower": False, "symmetrizeInput": False},
     lambda x: lax.linalg.eigh(x, lower=False, symmetrize_input=False), squared=[0], grad=False)

# --- svd (outputs [u, s, vh])
for shape in [(4, 3), (3, 4), (4, 4), (2, 3, 2), (1, 1), (5, 1)]:
    a = rng.randn(*shape).astype(f32)
    case("svd", [a], {"fullMatrices": False}, lambda x: lax.linalg.svd(x, full_matrices=False), squared=[0, 2])
    case("svd", [a], {"fullMatrices": True}, lambda x: lax.linalg.svd(x, full_matrices=True), squared=[0, 2], grad=False)
    case("svd", [a], {"computeUv": False}, lambda x: lax.linalg.svd(x, compute_uv=False))
rankdef = (rng.randn(5, 2) @ rng.randn(2, 4)).astype(f32)
# (zero singular values: s is not differentiable there)
case("svd", [rankdef], {"computeUv": False}, lambda x: lax.linalg.svd(x, compute_uv=False), grad=False)
case("svd", [rankdef], {"fullMatrices": True}, lambda x: lax.linalg.svd(x, full_matrices=True), squared=[0, 2], grad=False)
ill = (np.linalg.qr(rng.randn(4, 4))[0] @ np.diag([1, 1e-2, 1e-4, 1e-6]) @ np.linalg.qr(rng.randn(4, 4))[0]).astype(f32)
case("svd", [ill], {"computeUv": False}, lambda x: lax.linalg.svd(x, compute_uv=False))

# --- tridiagonal_solve (diagonally dominant)
for batch, m, n in [((), 5, 2), ((2,), 4, 3), ((), 1, 1)]:
    dl, du = rng.randn(*batch, m).astype(f32), rng.randn(*batch, m).astype(f32)
    d = (rng.randn(*batch, m) + 4).astype(f32)
    case("tridiagonalSolve", [dl, d, du, rng.randn(*batch, m, n).astype(f32)], {},
         lambda a, b, c, y: lax.linalg.tridiagonal_solve(a, b, c, y))

write("linalg", cases)
