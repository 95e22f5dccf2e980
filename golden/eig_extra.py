"""Golden values from real JAX on CPU for what golden/eig.py lacks: eig of matrices that LAPACK's
balancing (dgebal: permutation isolating eigenvalues, then scaling) changes, np.roots of
polynomials with zero coefficients, the jvp of lax.linalg.eig with enable_eigvec_derivs=True, and
jax.scipy.linalg.schur (real and complex output).
Cases: {"id", "args": [a] or [a, da], "out": [...]}:
  "eig ...":   out [w, vl, vr]
  "roots ...": out roots (strip_zeros default) and "roots ... nostrip"
  "jvp ...":   out [w, vl, vr, dw, dvl, dvr] (enable_eigvec_derivs=True) and "jvpvals ...": out [w, dw]
  "schur ...": out [T, Z] for output "real" ("schur ...") or "complex" ("schurc ...")
Run: /path/to/venv/bin/python golden/eig_extra.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import jax.scipy.linalg as jsl  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from common import collector, write  # noqa: E402

rng = np.random.RandomState(1313)
cases, case = collector()


def eig(x):
    return lax.linalg.eig(x, compute_left_eigenvectors=True, compute_right_eigenvectors=True)


def block_perm(n, k):
    """A random n x n matrix with a zero lower-left (n-k) x k block, rows and columns permuted alike."""
    a = rng.randn(n, n)
    a[k:, :k] = 0
    p = rng.permutation(n)
    return a[np.ix_(p, p)]


d = np.diag(np.logspace(-6, 6, 5))
mats = {
    "badly_scaled": d @ rng.randn(5, 5) @ np.linalg.inv(d),
    "badly_scaled_rows": rng.randn(4, 4) * np.array([1e-8, 1.0, 1e5, 1e9])[:, None],
    "upper_triangular_permuted": block_perm(4, 4),
    "isolated_row": (lambda a: (a.__setitem__((2, [0, 1, 3, 4]), 0), a)[1])(rng.randn(5, 5)),
    "isolated_col": (lambda a: (a.__setitem__(([0, 2, 3, 4], 1), 0), a)[1])(rng.randn(5, 5)),
    "block_triangular": block_perm(6, 2),
    "companion_zero_roots": np.array([[1.5, -0.5, 0.0, 0.0], [1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 1.0, 0]]),
}
for name, a in mats.items():
    case(f"eig {name} f64", eig, a.astype(np.float64))
    case(f"eig {name} f32", eig, a.astype(np.float32))
cmats = {
    "c_badly_scaled": d @ (rng.randn(5, 5) + 1j * rng.randn(5, 5)) @ np.linalg.inv(d),
    "c_isolated": (lambda a: (a.__setitem__((1, [0, 2, 3]), 0), a)[1])(rng.randn(4, 4) + 1j * rng.randn(4, 4)),
}
for name, a in cmats.items():
    case(f"eig {name} c128", eig, a.astype(np.complex128))

for name, p in {
    "cubic": [1.0, -6.0, 11.0, -6.0],
    "leading_zeros": [0.0, 0.0, 2.0, -3.0, 1.0],
    "trailing_zeros": [1.0, -3.0, 2.0, 0.0, 0.0],
    "both_zeros": [0.0, 1.0, 0.5, -2.0, 0.0],
    "all_zero": [0.0, 0.0, 0.0],
    "linear": [2.0, 1.0],
    "random": list(rng.randn(7)),
}.items():
    for dt in (np.float64, np.float32):
        tag = "f64" if dt == np.float64 else "f32"
        case(f"roots {name} {tag}", lambda x: jnp.roots(x), np.array(p, dt))
        case(f"roots {name} {tag} nostrip", lambda x: jnp.roots(x, strip_zeros=False), np.array(p, dt))


def eig_jvp(a, da):
    f = lambda x: lax.linalg.eig(x, compute_left_eigenvectors=True, compute_right_eigenvectors=True,  # noqa: E731
                                 enable_eigvec_derivs=True)
    (w, vl, vr), (dw, dvl, dvr) = jax.jvp(f, (a,), (da,))
    return [w, vl, vr, dw, dvl, dvr]


def eigvals_jvp(a, da):
    f = lambda x: lax.linalg.eig(x, compute_left_eigenvectors=False, compute_right_eigenvectors=False)[0]  # noqa: E731
    w, dw = jax.jvp(f, (a,), (da,))
    return [w, dw]


for name, a in {
    "random4": rng.randn(4, 4),
    "random5": rng.randn(5, 5),
    "complex_pairs": np.array([[0.0, -2.0, 0.5], [1.5, 0.3, -0.2], [0.1, 0.4, 1.0]]),
}.items():
    da = rng.randn(*a.shape)
    case(f"jvp {name}", eig_jvp, a, da)
    case(f"jvpvals {name}", eigvals_jvp, a, da)
ca = rng.randn(3, 3) + 1j * rng.randn(3, 3)
cda = rng.randn(3, 3) + 1j * rng.randn(3, 3)
case("jvp complex3", eig_jvp, ca, cda)
case("jvp batch", eig_jvp, rng.randn(2, 3, 3), rng.randn(2, 3, 3))

smats = {
    "random4": rng.randn(4, 4),
    "random6": rng.randn(6, 6),
    "symmetric": (lambda s: s + s.T)(rng.randn(4, 4)),
    "rotation": np.array([[0.0, -1.0], [1.0, 0.0]]),
    "one": np.array([[3.0]]),
    "upper_triangular_permuted": block_perm(4, 4),
    "block_triangular": block_perm(5, 2),
    "badly_scaled": d @ rng.randn(5, 5) @ np.linalg.inv(d),
}
for name, a in smats.items():
    case(f"schur {name} f64", lambda x: jsl.schur(x), a.astype(np.float64))
    case(f"schur {name} f32", lambda x: jsl.schur(x), a.astype(np.float32))
    case(f"schurc {name} c128", lambda x: jsl.schur(x, output="complex"), a.astype(np.float64))
case("schurc complex4 c128", lambda x: jsl.schur(x), rng.randn(4, 4) + 1j * rng.randn(4, 4))
case("schur batch f64", lambda x: jsl.schur(x), rng.randn(2, 3, 3))
write("eig_extra", cases)
