"""jax.numpy's differences, products, numerical calculus, function helpers, polynomials and window
functions (calculus.ts, functional.ts, poly.ts, windows.ts), for core/numpy/calculus.test.ts.

Each case is {"id", "args": [arrays], "out": array or [arrays]}.
Run: /work/venv/bin/python golden/gen_numpy_calc.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_platforms", "cpu")

cases, case = collector()


f32 = np.float32
i32 = np.int32
v = np.array([1.0, 4.0, 9.0, 16.0, 25.0, -np.inf, np.nan, 3.0], f32)
m = (np.arange(12, dtype=f32).reshape(3, 4) ** 2) / 7

case("diff", jnp.diff, v)
case("diff:n2-axis0", lambda x: jnp.diff(x, n=2, axis=0), m)
case("diff:prepend-append", lambda x: jnp.diff(x, prepend=0.0, append=jnp.array([[9.0], [9.0], [9.0]], jnp.float32)), m)
case("diff:bool", jnp.diff, np.array([True, False, False, True]))
case("diff:int", jnp.diff, np.array([3, 1, 4, 1, 5], i32))
case("diff:n0", lambda x: jnp.diff(x, n=0), m)
case("ediff1d", lambda x: jnp.ediff1d(x, to_end=jnp.array([100.0, 200.0]), to_begin=-1.0), m)
case("ediff1d:int-cast", lambda x: jnp.ediff1d(x, to_begin=jnp.array([9.5])), np.arange(4, dtype=i32))
case("kron", jnp.kron, np.array([[1.0, 2.0], [3.0, 4.0]], f32), np.array([[0.0, 1.0, 2.0]], f32))
case("kron:ranks", jnp.kron, np.array([1.0, -2.0], f32), np.ones((2, 2), f32))
case("cross:3", jnp.cross, np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], f32), np.array([4.0, 5.0, 6.0], f32))
case("cross:2", jnp.cross, np.array([1.0, 2.0], f32), np.array([3.0, 4.0], f32))
case("cross:2x3", jnp.cross, np.array([1.0, 2.0], f32), np.array([3.0, 4.0, 5.0], f32))
case("cross:axis0", lambda a, b: jnp.cross(a, b, axis=0), np.arange(6, dtype=f32).reshape(3, 2), np.ones((3, 2), f32))
case("gradient", jnp.gradient, np.array([1.0, 2.0, 4.0, 7.0, 11.0, 16.0], f32))
case("gradient:2d", jnp.gradient, m)
case("gradient:spacing", lambda x: jnp.gradient(x, 0.5, axis=1), m)
case("gradient:coords", lambda x, c: jnp.gradient(x, c), np.array([1.0, 4.0, 9.0, 16.0], f32), np.array([0.0, 1.0, 1.5, 3.5], f32))
case("trapezoid", jnp.trapezoid, np.array([1.0, 2.0, 3.0], f32))
case("trapezoid:x", lambda y, x: jnp.trapezoid(y, x), np.array([1.0, 2.0, 3.0, 5.0], f32), np.array([0.0, 1.0, 3.0, 3.5], f32))
case("trapezoid:dx-axis0", lambda y: jnp.trapezoid(y, dx=0.25, axis=0), m)
xs = np.array([-1.0, 0.0, 0.5, 1.0, 1.7, 2.0, 2.5, 3.0, 4.0, np.nan], f32)
case("interp", jnp.interp, xs, np.array([0.0, 1.0, 2.0, 3.0], f32), np.array([0.0, 10.0, 5.0, -5.0], f32))
case("interp:left-right", lambda x, xp, fp: jnp.interp(x, xp, fp, left=-100.0, right=100.0), xs, np.array([0.0, 1.0, 2.0, 3.0], f32), np.array([0.0, 10.0, 5.0, -5.0], f32))
case("interp:repeated-xp", jnp.interp, xs, np.array([0.0, 1.0, 1.0, 3.0], f32), np.array([0.0, 10.0, 20.0, -5.0], f32))
case("interp:period", lambda x, xp, fp: jnp.interp(x, xp, fp, period=3.0), xs, np.array([2.5, 0.0, 1.0, 2.0], f32), np.array([7.0, 0.0, 10.0, 5.0], f32))
case("unwrap", jnp.unwrap, np.array([0.0, 3.0, 6.5, 0.2, -3.0, 10.0], f32))
case("unwrap:period", lambda x: jnp.unwrap(x, period=4.0, axis=0), np.array([[0.0, 1.0], [3.5, -1.5], [1.0, 2.0]], f32))
case("unwrap:discont", lambda x: jnp.unwrap(x, discont=4.0), np.array([0.0, 3.5, 7.0, 12.0], f32))
case("vectorize", lambda a, b: jnp.vectorize(lambda p, q: p + 2 * q)(a, b), np.array([1.0, 2.0], f32), np.array([[1.0], [2.0], [3.0]], f32))
case("vectorize:signature", lambda a, b: jnp.vectorize(lambda p, q: jnp.dot(p, q), signature="(m,n),(n)->(m)")(a, b), np.arange(24, dtype=f32).reshape(2, 3, 4), np.ones((4,), f32))
case("vectorize:excluded", lambda a: jnp.vectorize(lambda p, k: p * k, excluded={1})(a, 3.0), np.arange(4, dtype=f32))
case("applyAlongAxis", lambda a: jnp.apply_along_axis(lambda r: jnp.sum(r * r), 1, a), m)
case("applyAlongAxis:vector-out", lambda a: jnp.apply_along_axis(lambda r: jnp.stack([r.min(), r.max()]), 0, a), m)
case("applyOverAxes", lambda a: jnp.apply_over_axes(jnp.sum, a, [0, 2]), np.arange(24, dtype=f32).reshape(2, 3, 4))
case("fromfunction", lambda: jnp.fromfunction(lambda i, j: i + 10 * j, (2, 3)))
case("fromfunction:int", lambda: jnp.fromfunction(lambda i, j: i * j, (3, 3), dtype=jnp.int32))
x6 = np.arange(6, dtype=f32)
case("select", lambda x: jnp.select([x < 2, x > 3], [x, x * 10], -1.0), x6)
case("select:overlap", lambda x: jnp.select([x < 4, x > 1], [x, -x]), x6)
case("piecewise", lambda x: jnp.piecewise(x, [x < 2, x >= 4], [lambda t: -t, lambda t: t * t]), x6 - 1)
case("piecewise:otherwise", lambda x: jnp.piecewise(x, [x < 2, x > 1], [1.0, lambda t: t * 2, 7.0]), x6)
case("polyval", jnp.polyval, np.array([3.0, 0.0, 1.0, -2.0], f32), np.array([-1.0, 0.0, 0.5, 2.0, np.inf], f32))
case("polyval:int", jnp.polyval, np.array([1, 2, 3], i32), np.array([2, -1], i32))
case("polyadd", jnp.polyadd, np.array([1.0, 2.0], f32), np.array([1.0, 0.0, 0.0], f32))
case("polysub", jnp.polysub, np.array([1.0, 2.0, 3.0], f32), np.array([4.0, 5.0], f32))
case("polymul", jnp.polymul, np.array([1.0, 1.0], f32), np.array([1.0, -1.0, 2.0], f32))
case("polydiv", jnp.polydiv, np.array([1.0, 0.0, -1.0, 5.0], f32), np.array([2.0, 1.0], f32))
case("polyder", jnp.polyder, np.array([1.0, 1.0, 1.0, 1.0], f32))
case("polyder:m2", lambda p: jnp.polyder(p, 2), np.array([5.0, 4.0, 3.0, 2.0, 1.0], f32))
case("polyint", jnp.polyint, np.array([3.0, 2.0, 1.0], f32))
case("polyint:m2-k", lambda p: jnp.polyint(p, m=2, k=jnp.array([1.0, 2.0])), np.array([6.0, 2.0], f32))
case("poly", jnp.poly, np.array([1.0, 2.0, -3.0], f32))
case("vander", jnp.vander, np.array([1.0, 2.0, 3.0, -0.5], f32))
case("vander:N-increasing", lambda x: jnp.vander(x, N=3, increasing=True), np.array([1.0, 2.0, 3.0], f32))
for M in (0, 1, 2, 5, 8):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        case(f"{name}:{M}", lambda: getattr(jnp, name)(M))
    case(f"kaiser:{M}", lambda: jnp.kaiser(M, 5.0))
case("kaiser:beta0", lambda: jnp.kaiser(6, 0.0))
case("kaiser:beta14", lambda: jnp.kaiser(7, 14.0))

write("numpy_calc", cases)
