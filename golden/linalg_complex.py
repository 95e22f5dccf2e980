"""Golden values for complex linear algebra from real JAX on CPU (LAPACK's complex routines):
lax.linalg's cholesky, triangular_solve (transpose / conjugate), lu, qr, eigh, svd,
tridiagonal_solve and householder_product, np.linalg's inv, solve, det, slogdet, norm, pinv,
lstsq, matrix_rank, cond and qr (raw too), and scipy.linalg's solvers, pivoted qr and expm on random well-conditioned complex matrices (batches, 0x0 and 1x1 edges) in complex64 and
complex128. Phase-free forms where LAPACK's choice of phase is not unique: eigh's and svd's
vectors as |v| (distinct eigenvalues / singular values). Gradients of real-valued functions of
complex matrices as jax.grad returns them (its convention, recorded rather than assumed: for
f(z) = |z|^2 it gives 2 conj(z)), the constants of each function passed as further args.
Each case: {"id", "args": [...], "out": [...]}.
Run: /path/to/venv/bin/python golden/linalg_complex.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from common import collector, write  # noqa: E402

rng = np.random.RandomState(1313)
cases, case = collector()


def crandn(*shape):
    return rng.randn(*shape) + 1j * rng.randn(*shape)


def general(n, batch=()):
    """Well conditioned: a random complex matrix plus a multiple of the identity."""
    return crandn(*batch, n, n) + 2 * np.sqrt(max(n, 1)) * np.eye(n)


def hermitian_pd(n, batch=()):
    a = crandn(*batch, n, n)
    return a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)


def hermitian(n, batch=()):
    a = crandn(*batch, n, n)
    return a + np.conj(np.swapaxes(a, -1, -2))


L = lax.linalg
LA = jnp.linalg

for dt in ["complex64", "complex128"]:
    def c(x):
        return np.asarray(x, dtype=dt)

    # --- values
    for n, batch in [(0, ()), (1, ()), (3, ()), (5, ()), (3, (2,))]:
        tag = f"{dt} n{n} b{len(batch)}"
        h = c(hermitian_pd(n, batch))
        a = c(general(n, batch))
        b = c(crandn(*batch, n, 2))
        case(f"cholesky {tag}", lambda x: L.cholesky(x), h)
        case(f"lu {tag}", lambda x: L.lu(x), a)
        case(f"inv {tag}", LA.inv, a)
        case(f"solve {tag}", LA.solve, a, b)
        case(f"det {tag}", LA.det, a)
        case(f"slogdet {tag}", lambda x: tuple(LA.slogdet(x)), a)
        case(f"eigvalsh {tag}", LA.eigvalsh, h)
        case(f"eigh abs {tag}", lambda x: (LA.eigh(x)[0], jnp.abs(LA.eigh(x)[1])), h)
        case(f"qr reduced {tag}", lambda x: LA.qr(x), a)
        if n > 0:
            lo = c(np.tril(general(n, batch)))
            for trans in [0, 1, 2]:
                case(f"solve_triangular lower trans{trans} {tag}", lambda x, y, t=trans: jax.scipy.linalg.solve_triangular(x, y, trans=t, lower=True), lo, b)
            case(f"triangular_solve right conj {tag}", lambda x, y: L.triangular_solve(x, y, left_side=False, lower=True, conjugate_a=True, transpose_a=False),
                 lo, c(crandn(*batch, 2, n)))
            case(f"triangular_solve upper unit transpose {tag}", lambda x, y: L.triangular_solve(x, y, left_side=True, lower=False, transpose_a=True, unit_diagonal=True),
                 c(np.swapaxes(lo, -1, -2)), b)
            case(f"cho_solve {tag}", lambda x, y: jax.scipy.linalg.cho_solve(jax.scipy.linalg.cho_factor(x), y), h, b)
            case(f"lu_solve trans2 {tag}", lambda x, y: jax.scipy.linalg.lu_solve(jax.scipy.linalg.lu_factor(x), y, trans=2), a, b)
            case(f"norms {tag}", lambda x: tuple(LA.norm(x, ord=o, axis=(-2, -1)) for o in [None, "fro", "nuc", 2, -2, 1, -1, np.inf]), a)

    for m, n in [(4, 3), (3, 5), (1, 1), (2, 0)]:
        tag = f"{dt} {m}x{n}"
        x = c(crandn(m, n))
        case(f"qr complete {tag}", lambda y: LA.qr(y, mode="complete"), x)
        case(f"qr reduced {tag}", lambda y: LA.qr(y), x)
        case(f"svdvals {tag}", lambda y: LA.svd(y, compute_uv=False), x)
        if m > 0 and n > 0:
            case(f"svd abs {tag}", lambda y: (jnp.abs(LA.svd(y, full_matrices=False)[0]), LA.svd(y)[1], jnp.abs(LA.svd(y, full_matrices=False)[2])), x)
            case(f"pinv {tag}", LA.pinv, x)
            case(f"lstsq {tag}", lambda y, z: LA.lstsq(y, z)[0], x, c(crandn(m, 2)))
            case(f"matrix_rank cond {tag}", lambda y: (LA.matrix_rank(y), LA.cond(y)), x)
    case(f"matrix_rank deficient {dt}", LA.matrix_rank, c(np.outer(crandn(4), crandn(3))))
    case(f"norm vector {dt}", lambda v: tuple(LA.norm(v, ord=o) for o in [None, 1, 2, np.inf, 0, 3]), c(crandn(5)))
    m = 5
    case(f"tridiagonal_solve {dt}", lambda dl, d, du, y: L.tridiagonal_solve(dl, d, du, y),
         c(crandn(m) * np.r_[0, np.ones(m - 1)]), c(crandn(m) + 6), c(crandn(m) * np.r_[np.ones(m - 1), 0]), c(crandn(m, 2)))
    for shape in [(4, 3), (3, 5)]:
        x = c(crandn(*shape))
        case(f"qr raw {dt} {shape[0]}x{shape[1]}", lambda y: tuple(LA.qr(y, mode="raw")), x)
        case(f"householder_product {dt} {shape[0]}x{shape[1]}", lambda y: L.householder_product(*(lambda h, t: (h.mT[..., :, :min(y.shape)], t))(*LA.qr(y, mode="raw"))), x)
        case(f"scipy qr pivoting {dt} {shape[0]}x{shape[1]}", lambda y: tuple(jax.scipy.linalg.qr(y, pivoting=True)), x)
    case(f"expm {dt}", jax.scipy.linalg.expm, c(crandn(2, 3, 3) * 0.7))
    case(f"eigh upper {dt}", lambda x: L.eigh(x, lower=False, symmetrize_input=False)[1], c(hermitian(4)))

    # --- gradients of real functions of complex matrices (as jax.grad gives them)
    a = c(general(3))
    h = c(hermitian_pd(3))
    w = c(crandn(3, 3))
    b = c(crandn(3, 2))
    rect = c(crandn(4, 3))

    def re_inner(x, y):
        return jnp.sum(jnp.real(jnp.conj(x) * y))

    # Each function of (x, w, b, rect): x differentiated, the others constants recorded as args.

    grads = {
        "inv trace": (lambda x, w, b, rect: jnp.real(jnp.trace(LA.inv(x))), a),
        "solve": (lambda x, w, b, rect: re_inner(w[:, :2], LA.solve(x, b)), a),
        "det": (lambda x, w, b, rect: re_inner(w[0, 0], LA.det(x)), a),
        "logabsdet": (lambda x, w, b, rect: LA.slogdet(x)[1], a),
        "slogdet sign": (lambda x, w, b, rect: re_inner(w[0, 1], LA.slogdet(x)[0]), a),
        "cholesky": (lambda x, w, b, rect: re_inner(w, LA.cholesky(x)), h),
        "eigvalsh": (lambda x, w, b, rect: jnp.sum(jnp.real(w[0]) * LA.eigvalsh(x)), h),
        "eigh abs2": (lambda x, w, b, rect: jnp.sum(jnp.real(w) * jnp.abs(LA.eigh(x)[1]) ** 2), h),
        "qr": (lambda x, w, b, rect: re_inner(w, LA.qr(x)[0]) + re_inner(w.T, LA.qr(x)[1]), a),
        "qr tall": (lambda x, w, b, rect: re_inner(rect, LA.qr(x)[0]) + re_inner(w, LA.qr(x)[1]), rect),
        "lu": (lambda x, w, b, rect: re_inner(w, L.lu(x)[0]), a),
        "norm 2": (lambda x, w, b, rect: LA.norm(x, 2), a),
        "norm fro": (lambda x, w, b, rect: LA.norm(x), a),
        "norm nuc": (lambda x, w, b, rect: LA.norm(x, "nuc"), rect),
        "svd abs2": (lambda x, w, b, rect: jnp.sum(jnp.real(rect) * jnp.abs(LA.svd(x, full_matrices=False)[0]) ** 2) + jnp.sum(LA.svd(x, full_matrices=False)[1] * jnp.real(w[0])), rect),
        "pinv": (lambda x, w, b, rect: re_inner(rect.T, LA.pinv(x)), rect),
        "triangular": (lambda x, w, b, rect: re_inner(b, jax.scipy.linalg.solve_triangular(x, b, lower=True, trans=2)), c(np.tril(general(3)))),
    }
    for name, (f, x) in grads.items():
        case(f"grad {name} {dt}", lambda y, *k, f=f: jax.grad(f)(y, *k), x, w, b, rect)

write("linalg_complex", cases)
