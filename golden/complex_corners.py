"""Complex corner cases from real JAX: np.fmax / np.fmin on complex operands (lexicographic, NaN in
either part ignored), np.logaddexp and lax.cumlogsumexp on complex operands (JAX's principal-branch
formula), and max / min reductions where JAX's answer does not depend on XLA's reduction order (ties
in the real part, NaN in an imaginary part that is not the extreme real part). Read by
core/numpy/complex-corners.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py).

With a NaN real part, JAX's complex max / min reductions are order-dependent: XLA folds with
select(acc > x, acc, x), where a NaN comparison picks x, so jnp.max([nan, 1]) is 1 but
jnp.max([1, nan]) is nan, and arrays of 33+ elements fold in another (vectorized) order. jaxfx gives
NaN + NaN i there instead (NaN propagates, as for real max). The generator checks that claim.

Run: /work/venv/bin/python golden/complex_corners.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
nan = float("nan")
c64 = np.complex64

# The order dependence the docstring describes (asserted, so a JAX that changes it is noticed).
assert complex(jnp.max(jnp.array([nan, 1], c64))) == 1
assert np.isnan(complex(jnp.max(jnp.array([1, nan], c64))).real)

x = np.array([1 + 2j, complex(nan, 0), 3, 2 + 5j, complex(0, nan), complex(nan, nan), -1 - 1j, 2 + 5j], c64)
y = np.array([2, 2, 2 + 1j, complex(nan, 1), 1 + 9j, 3 - 1j, complex(2, nan), 2 + 5j], c64)
case("fmax", jnp.fmax, x, y)
case("fmax swapped", jnp.fmax, y, x)
case("fmin", jnp.fmin, x, y)
case("fmin swapped", jnp.fmin, y, x)
case("maximum", jnp.maximum, x, y)
case("minimum", jnp.minimum, x, y)

r = np.random.RandomState(0)
a = (r.uniform(-3, 3, (3, 5)) + 1j * r.uniform(-4, 4, (3, 5))).astype(c64)
b = (r.uniform(-3, 3, (3, 5)) + 1j * r.uniform(-4, 4, (3, 5))).astype(c64)
case("logaddexp", jnp.logaddexp, a, b)
case("cumlogsumexp axis 0", lambda z: lax.cumlogsumexp(z, axis=0), a)
case("cumlogsumexp axis 1 reverse", lambda z: lax.cumlogsumexp(z, axis=1, reverse=True), a)

ties = np.array([[2 + 1j, 2 + 7j, -1 + 9j, 2 - 3j], [0, 0 + 1j, 0 - 1j, -5 + 0j]], c64)
case("max ties", lambda z: jnp.max(z, axis=1), ties)
case("min ties", lambda z: jnp.min(z, axis=1), ties)
nan_im = np.array([1 + 2j, complex(0, nan), 3 + 0j, 2 + 5j], c64)
case("max nan imag not extreme", jnp.max, nan_im)
case("min nan imag at the min", jnp.min, nan_im)
write("complex_corners", cases)
