"""Golden values for eig (lax.linalg.eig / np.linalg.eig / eigvals) and np.roots from real JAX on CPU
(LAPACK's geev): eigenvalues in LAPACK's order, left and right eigenvectors normalized as geev does
(unit 2-norm, the largest entry real). Each case: {"id", "args": [a], "out": [w, vl, vr]} for
float64 inputs (complex128 results) and float32 inputs (complex64 results); roots cases:
{"id", "args": [p], "out": roots}.
Run: /path/to/venv/bin/python golden/eig.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from common import collector, write  # noqa: E402

rng = np.random.RandomState(13)
cases, case = collector()


def eig(x):
    return lax.linalg.eig(x, compute_left_eigenvectors=True, compute_right_eigenvectors=True)


q, _ = np.linalg.qr(rng.randn(4, 4))
mats = {
    "random4": rng.randn(4, 4),
    "random5": rng.randn(5, 5),
    "random6": rng.randn(6, 6),
    "random9": rng.randn(9, 9),
    "one": np.array([[2.5]]),
    "rotation": np.array([[0.0, -1.0], [1.0, 0.0]]),
    "symmetric": (lambda s: s + s.T)(rng.randn(4, 4)),
    "similar_diag": q @ np.diag([3.0, -1.0, 0.5, 2.0]) @ q.T + 0.1 * rng.randn(4, 4),
    "scaled": rng.randn(5, 5) * np.logspace(-3, 3, 5)[:, None],
    "triangular": np.triu(rng.randn(3, 3)) + np.triu(rng.randn(3, 3), 1),
    "companion": np.array([[6.0, -11.0, 6.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),
}
for name, a in mats.items():
    case(f"{name} f64", eig, a.astype(np.float64))
    case(f"{name} f32", eig, a.astype(np.float32))
case("batch f64", eig, rng.randn(2, 3, 3))
cmats = {
    "crandom3": rng.randn(3, 3) + 1j * rng.randn(3, 3),
    "crandom5": rng.randn(5, 5) + 1j * rng.randn(5, 5),
    "hermitian": (lambda h: h + h.conj().T)(rng.randn(4, 4) + 1j * rng.randn(4, 4)),
    "real_as_complex": rng.randn(4, 4) + 0j,
    "cone": np.array([[1.5 - 2j]]),
}
for name, a in cmats.items():
    case(f"{name} c128", eig, a.astype(np.complex128))
    case(f"{name} c64", eig, a.astype(np.complex64))

for name, p in {
    "cubic": [1.0, -6.0, 11.0, -6.0],
    "complex_pair": [1.0, 0.0, 1.0],
    "leading_zeros": [0.0, 0.0, 2.0, -3.0, 1.0],
    "trailing_zeros": [1.0, -3.0, 2.0, 0.0, 0.0],
    "constant": [5.0],
    "random": list(rng.randn(6)),
}.items():
    case(f"roots {name}", lambda x: jnp.roots(x), np.array(p, np.float64))
    case(f"roots {name} nostrip", lambda x: jnp.roots(x, strip_zeros=False), np.array(p, np.float64))
write("eig", cases)
