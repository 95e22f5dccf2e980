"""Golden values for jaxfx's Householder routines, from real JAX (CPU, float32):
lax.linalg.householder_product, jnp.linalg.qr(mode="raw"), lax.linalg.qr(pivoting=True) and
jax.scipy.linalg.qr (modes, pivoting). Case ids name the call and its options; pivoted cases with
reduced factors of tall matrices also record the gradient of sum(q * wq) + sum(r * wr) (weights
stored as extra args), which JAX defines through the pivoted columns. Run: /path/to/venv/bin/python golden/householder.py
"""
import jax
import jax.numpy as jnp
import jax.scipy.linalg as sl
import numpy as np
from jax import lax

from common import collector, write

rng = np.random.RandomState(13)
f32 = np.float32
cases, case = collector()


def randn(*shape):
    return rng.randn(*shape).astype(f32)


# householder_product on random reflectors and on qr's raw output
for shape, k in [((4, 3), 3), ((5, 2), 1), ((3, 3), 0), ((2, 4, 3), 2), ((1, 1), 1)]:
    case(f"householderProduct {shape} k={k}", lax.linalg.householder_product, randn(*shape), rng.uniform(0, 2, shape[:-2] + (k,)).astype(f32))
x = randn(5, 3)
h, tau = jnp.linalg.qr(x, mode="raw")
case("householderProduct raw", lax.linalg.householder_product, np.asarray(h).T.copy(), np.asarray(tau))

# np.linalg.qr mode "raw": random, wide, batched, 1x1, and an upper-triangular input (tau 0 columns)
upper = np.triu(randn(4, 4)) + 3 * np.eye(4, dtype=f32)
for name, a in [("4x3", randn(4, 3)), ("3x5", randn(3, 5)), ("batch", randn(2, 3, 3)), ("1x1", randn(1, 1)), ("upper", upper)]:
    case(f"qrRaw {name}", lambda a: jnp.linalg.qr(a, mode="raw"), a)


def pivoted_loss(full):
    def f(a, wq, wr):
        q, r, _ = lax.linalg.qr(a, pivoting=True, full_matrices=full)
        return jnp.sum(q * wq) + jnp.sum(r * wr)
    return f


# lax.linalg.qr(pivoting=True): outputs and the gradient
dup = randn(4, 3)
dup[:, 2] = 2 * dup[:, 0] + 0.05 * randn(4)  # nearly a multiple of another column
# (jaxfx's qr derivative, like JAX's before 0.4.x, is for reduced factors of tall matrices: gradients there)
for name, a, full in [("4x3 reduced", randn(4, 3), False), ("5x5 reduced", randn(5, 5), False), ("near-dependent", dup, False)]:
    q, r, p = lax.linalg.qr(a, pivoting=True, full_matrices=full)
    wq = rng.uniform(-1, 1, q.shape).astype(f32)
    wr = rng.uniform(-1, 1, r.shape).astype(f32)
    case(f"qrPivoting {name} full={full}", lambda a, wq, wr, full=full: [*lax.linalg.qr(a, pivoting=True, full_matrices=full),
                                                                         jax.grad(pivoted_loss(full))(a, wq, wr)], a, wq, wr)

# batched (JAX 0.10.2's jvp of a batched pivoted qr fails in triangular_solve: outputs only)
case("qrPivoting batch full=True", lambda a: list(lax.linalg.qr(a, pivoting=True)), randn(2, 4, 4))
case("qrPivoting 4x3 full=True", lambda a: list(lax.linalg.qr(a, pivoting=True)), randn(4, 3))
case("qrPivoting 3x5 full=True", lambda a: list(lax.linalg.qr(a, pivoting=True)), randn(3, 5))

# jax.scipy.linalg.qr: modes and pivoting
a = randn(4, 3)
for mode in ["full", "economic", "r"]:
    for piv in [False, True]:
        case(f"scipyQr mode={mode} pivoting={piv}", lambda a, mode=mode, piv=piv: list(sl.qr(a, mode=mode, pivoting=piv)), a)

write("householder", cases)
