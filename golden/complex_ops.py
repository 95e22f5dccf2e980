"""complex64 operations beyond arithmetic, in real JAX on CPU: ordering (sort, argsort, lexsort,
lax.sort with complex keys, searchsorted, max/min reductions, maximum/minimum, the jnp comparisons,
cummax/cummin), products (prod, cumprod), scatter mul/min/max (.at[] and lax.scatter_*), control
flow carrying complex values (cond, switch, while_loop, fori_loop, scan), jit of closures over
complex constants, isclose/allclose, collectives under vmap with an axis name, and gradients where
JAX has them. Read by backends/cpu/complex-ops.golden.test.ts.

Run: /work/venv/bin/python golden/complex_ops.py
"""
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from common import collector, write

jax.config.update("jax_enable_x64", False)
warnings.simplefilter("ignore")
cases, case = collector()
nan, inf = np.nan, np.inf
c64 = np.complex64

z = np.array([1 + 2j, 1 - 1j, 0 + 5j, -1 + 0j, 2 + 0.5j, -1 - 3j], c64)
w = np.array([1 + 1j, 1 - 1j, -2 + 5j, -1 + 0.5j, 2 + 0.5j, 3 + 0j], c64)
zn = np.array([1 + 2j, complex(nan, 1), 3 + 0j, complex(2, nan), 0j, complex(-0.0, 1), complex(0.0, -1)], c64)
ties = np.array([1 + 1j, 1 + 3j, 1 - 2j, -4 + 9j, 1 + 3j, complex(-0.0, 0), complex(0.0, -0.0)], c64)
zm = z.reshape(2, 3)
wm = w.reshape(2, 3)
rng = np.random.default_rng(12)
long_ = (np.exp(1j * rng.uniform(-np.pi, np.pi, 100)) * rng.uniform(0.9, 1.1, 100)).astype(c64)
gauss = np.array([1 + 1j, 2 - 1j, -1 + 3j, 2 + 2j, 1 - 2j, -3 + 1j, 1 + 1j, 2 + 0j], c64)

# 1. Ordering
case("sort", jnp.sort, z)
case("sort nan and signed zeros", jnp.sort, zn)
case("sort ties", jnp.sort, ties)
case("sort axis 0", lambda a: jnp.sort(a, axis=0), zm)
case("sort descending", lambda a: jnp.sort(a, descending=True), z)
case("argsort", jnp.argsort, z)
case("argsort nan and signed zeros", jnp.argsort, zn)
case("argsort ties (stable)", jnp.argsort, ties)
case("argsort axis 1", lambda a: jnp.argsort(a, axis=1), zm)
case("lexsort", lambda a, b: jnp.lexsort([a, b]), z, w)
case("lax.sort complex key, int values", lambda a: jax.lax.sort([a, jnp.arange(6)], num_keys=1), z)
case("lax.sort two complex keys", lambda a, b: jax.lax.sort([a, b], num_keys=2), np.array([1 + 1j, 1 + 1j, 0j, 0j], c64),
     np.array([2j, 1j, 3 + 0j, -1 + 0j], c64))
case("searchsorted", lambda a, v: jnp.searchsorted(jnp.sort(a), v), z, w)
case("max", jnp.max, z)
case("min", jnp.min, z)
case("max ties on the real part", jnp.max, ties)
case("min ties on the real part", jnp.min, ties)
case("max axis 1", lambda a: jnp.max(a, axis=1), zm)
case("min axis 0", lambda a: jnp.min(a, axis=0), zm)
case("max keepdims", lambda a: jnp.max(a, axis=0, keepdims=True), zm)
case("reduce_max empty", lambda a: jax.lax.reduce_max(a, (0,)), np.zeros((0,), c64))
case("reduce_min empty", lambda a: jax.lax.reduce_min(a, (0,)), np.zeros((0,), c64))
case("maximum", jnp.maximum, z, w)
case("minimum", jnp.minimum, z, w)
case("maximum nan", jnp.maximum, zn, zn[::-1].copy())
case("minimum nan", jnp.minimum, zn, zn[::-1].copy())
case("maximum broadcast", lambda a: jnp.maximum(a, 1 + 0j), z)
case("less", jnp.less, z, w)
case("less_equal", jnp.less_equal, z, w)
case("greater", jnp.greater, z, w)
case("greater_equal", jnp.greater_equal, z, w)
case("cummax", jax.lax.cummax, z)
case("cummin", jax.lax.cummin, z)
case("cummax reverse", lambda a: jax.lax.cummax(a, reverse=True), z)
case("cummax nan", jax.lax.cummax, zn)
case("cummax axis 1", lambda a: jax.lax.cummax(a, axis=1), zm)

# 1./5. Products
case("cumprod", jnp.cumprod, z)
case("cumprod axis 0", lambda a: jnp.cumprod(a, axis=0), zm)
case("lax.cumprod reverse", lambda a: jax.lax.cumprod(a, reverse=True), z)
case("cumprod long", jnp.cumprod, long_)
case("prod", jnp.prod, z)
case("prod axis 1", lambda a: jnp.prod(a, axis=1), zm)
case("prod gaussian integers", jnp.prod, gauss)
case("prod long", jnp.prod, long_)
case("prod of an empty axis", lambda a: jnp.prod(a, axis=0), np.zeros((0, 2), c64))
case("prod with a zero and an inf", jnp.prod, np.array([2 + 1j, 0j, 3 - 1j], c64))

# 2. Scatter
idx_dup = np.array([0, 2, 0, 5], np.int32)
case("at multiply repeated indices", lambda a, u: a.at[jnp.array(idx_dup)].multiply(u), z, w[:4].copy())
case("at min", lambda a, u: a.at[jnp.array([0, 1, 2, 1])].min(u), z, w[:4].copy())
case("at max", lambda a, u: a.at[jnp.array([0, 1, 2, 1])].max(u), z, w[:4].copy())
case("at max ties on the real part", lambda a, u: a.at[jnp.array([0, 0, 1])].max(u), np.array([1 + 1j, 2 + 0j], c64),
     np.array([1 + 3j, 1 + 2j, 2 - 1j], c64))
case("at multiply 2-d axis 1", lambda a, u: a.at[:, jnp.array([1, 1, 0])].multiply(u), zm, wm)
dn = jax.lax.ScatterDimensionNumbers(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
case("lax.scatter_mul", lambda a, u: jax.lax.scatter_mul(a, jnp.array([[0], [3], [0]]), u, dn), z, w[:3].copy())
case("lax.scatter_min", lambda a, u: jax.lax.scatter_min(a, jnp.array([[0], [3], [0]]), u, dn), z, w[:3].copy())
case("lax.scatter_max", lambda a, u: jax.lax.scatter_max(a, jnp.array([[0], [3], [0]]), u, dn), z, w[:3].copy())

# 3. Control flow
case("cond true", lambda p, a: jax.lax.cond(p, lambda x: x * x, lambda x: jnp.conj(x), a), np.array(True), z)
case("cond false", lambda p, a: jax.lax.cond(p, lambda x: x * x, lambda x: jnp.conj(x), a), np.array(False), z)
case("switch", lambda i, a: jax.lax.switch(i, [lambda x: x + 1j, lambda x: x * (2 - 1j), lambda x: jnp.exp(x)], a),
     np.array(1, np.int32), z)
case("while_loop", lambda a: jax.lax.while_loop(lambda c: jnp.abs(c[1]) < 100, lambda c: (c[0] + 1, c[1] * a), (0, a))[1],
     np.complex64(1 + 1j))
case("fori_loop", lambda a: jax.lax.fori_loop(0, 5, lambda i, c: c * a + i, a), z)
case("scan", lambda a: jax.lax.scan(lambda c, x: (c * x, c + x), np.complex64(1), a), z)
case("scan reverse", lambda a: jax.lax.scan(lambda c, x: (c * x + 1j, jnp.real(c)), np.complex64(1), a, reverse=True), z)
case("scan real carry, complex xs", lambda a: jax.lax.scan(lambda c, x: (c + jnp.abs(x), x * c), np.float32(0), a), z)
case("grad through scan", jax.grad(lambda a: jnp.real(jax.lax.scan(lambda c, x: (c * x, None), np.complex64(1), a)[0])), z)
case("grad through cond", jax.grad(lambda a: jnp.abs(jax.lax.cond(True, lambda x: x * x, lambda x: x, a)) ** 2),
     np.complex64(1 - 2j))
case("jvp through while_loop", lambda a: jax.jvp(
    lambda x: jax.lax.while_loop(lambda c: c[0] < 3, lambda c: (c[0] + 1, c[1] * x), (0, x))[1], (a,), (np.complex64(1j),))[1],
     np.complex64(0.5 + 1j))

# 4. Closures over complex constants
k = np.array([1j, 2 + 0j, 1 + 1j, 3 + 3j, -1 + 0j, 0.5j], c64)
case("jit closure", jax.jit(lambda a: a * jnp.asarray(k) + jnp.sum(jnp.asarray(k))), z)
case("jit closure in a scan body", jax.jit(lambda a: jax.lax.scan(lambda c, x: (c + x * jnp.asarray(k)[0], c), 0j, a)[1]), z)
case("jit closure in a cond branch", jax.jit(lambda a: jax.lax.cond(True, lambda x: x * jnp.asarray(k), lambda x: x, a)), z)

# 5. isclose / allclose
case("isclose", jnp.isclose, z, z + np.complex64(1e-6 + 1e-6j))
case("isclose far", jnp.isclose, z, w)
case("isclose nan inf", jnp.isclose, np.array([complex(inf, 0), complex(inf, 1), complex(nan, 0), 1 + 1j, complex(0, inf)], c64),
     np.array([complex(inf, 0), complex(inf, 1), complex(nan, 0), 1 + 1.00001j, complex(0, inf)], c64))
case("isclose equal_nan", lambda a, b: jnp.isclose(a, b, equal_nan=True), np.array([complex(nan, 0), complex(1, nan), 1j], c64),
     np.array([complex(0, nan), complex(nan, nan), 1j], c64))
case("isclose rtol atol", lambda a, b: jnp.isclose(a, b, rtol=0.1, atol=0.5), z, w)
case("allclose", jnp.allclose, z, z + np.complex64(1e-7j))
case("allclose false", jnp.allclose, z, w)

# 6. Collectives under vmap with an axis name
for name, f in [("psum", lambda a: jax.lax.psum(a, "i")), ("pmean", lambda a: jax.lax.pmean(a, "i")),
                ("pmax", lambda a: jax.lax.pmax(a, "i")), ("pmin", lambda a: jax.lax.pmin(a, "i")),
                ("all_gather", lambda a: jax.lax.all_gather(a, "i")),
                ("ppermute", lambda a: jax.lax.ppermute(a, "i", [(0, 1), (1, 0)])),
                ("psum_scatter", lambda a: jax.lax.psum_scatter(a, "i", tiled=True)),
                ("all_to_all", lambda a: jax.lax.all_to_all(a, "i", 0, 0, tiled=True))]:
    case(f"vmap {name}", jax.vmap(f, axis_name="i"), np.stack([zm, wm]).reshape(2, 6)[:, :4].copy())

# Gradients (JAX's conventions for a real function of complex inputs)
case("grad cumprod", jax.grad(lambda a: jnp.real(jnp.sum(jnp.cumprod(a)))), z)
case("grad sort", jax.grad(lambda a: jnp.real(jnp.sum(jnp.sort(a) * jnp.arange(6)))), z)
case("grad max", jax.grad(lambda a: jnp.real(jnp.max(a))), z)
case("grad maximum", jax.grad(lambda a, b: jnp.real(jnp.sum(jnp.maximum(a, b)))), z, w)
case("grad prod", jax.grad(lambda a: jnp.real(jnp.prod(a))), z)
case("grad at max", jax.grad(lambda a: jnp.real(jnp.sum(a.at[jnp.array([0, 1])].max(a[2:4])))), z)

write("complex_ops", cases)
