"""jnp.polyfit, cumulative_sum/prod, vecdot/matvec/vecmat, logspace/geomspace from real JAX.
Read by core/numpy/gaps.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py collector);
the id names the call that the test makes with the same options.

Run: /work/venv/bin/python golden/numpy_gaps.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()

x = np.array([0.0, 1.0, 2.0, 3.0, 4.5, 6.0], dtype=np.float32)
y = np.array([1.0, 2.5, 2.0, 4.0, 7.0, 11.0], dtype=np.float32)
Y = np.stack([y, -2 * y + 1, np.cos(x)], axis=1).astype(np.float32)
w = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0], dtype=np.float32)
case("polyfit deg2", lambda a, b: jnp.polyfit(a, b, 2), x, y)
case("polyfit deg0", lambda a, b: jnp.polyfit(a, b, 0), x, y)
case("polyfit 2d deg1", lambda a, b: jnp.polyfit(a, b, 1), x, Y)
case("polyfit w", lambda a, b, c: jnp.polyfit(a, b, 2, w=c), x, y, w)
case("polyfit full", lambda a, b: jnp.polyfit(a, b, 2, full=True), x, y)
case("polyfit cov", lambda a, b: jnp.polyfit(a, b, 2, cov=True), x, y)
case("polyfit cov unscaled 2d", lambda a, b: jnp.polyfit(a, b, 1, cov="unscaled"), x, Y)
case("polyfit int", lambda a, b: jnp.polyfit(a, b, 1), np.array([1, 2, 3, 4], dtype=np.float32), np.array([2, 4, 7, 8], dtype=np.int32))
case("polyfit rank-deficient", lambda a, b: jnp.polyfit(a, b, 3, full=True), np.array([1.0, 1.0, 2.0, 2.0], dtype=np.float32), np.array([1.0, 2.0, 3.0, 5.0], dtype=np.float32))

I2 = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int32)
F2 = np.array([[1.5, -2.0, np.nan], [0.0, np.inf, 3.0]], dtype=np.float32)
B = np.array([True, False, True, True])
case("cumulativeSum 1d", lambda a: jnp.cumulative_sum(a), np.array([1.0, 2.0, -0.5], dtype=np.float32))
case("cumulativeSum axis1 initial", lambda a: jnp.cumulative_sum(a, axis=1, include_initial=True), I2)
case("cumulativeSum axis0", lambda a: jnp.cumulative_sum(a, axis=0), F2)
case("cumulativeSum bool", lambda a: jnp.cumulative_sum(a), B)
case("cumulativeSum empty initial", lambda a: jnp.cumulative_sum(a, include_initial=True), np.zeros((0,), np.float32))
case("cumulativeProd axis-1 initial", lambda a: jnp.cumulative_prod(a, axis=-1, include_initial=True), I2)
case("cumulativeProd axis0 float32", lambda a: jnp.cumulative_prod(a, axis=0, dtype=jnp.float32), I2)

M = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7
V4 = np.array([1.0, -1.0, 0.5, 2.0], dtype=np.float32)
case("vecdot", lambda a, b: jnp.vecdot(a, b), M, V4)
case("vecdot axis0", lambda a, b: jnp.vecdot(a, b, axis=0), I2, np.array([[1], [2]], dtype=np.int32))
case("matvec", lambda a, b: jnp.matvec(a, b), M, V4)
case("matvec batch", lambda a, b: jnp.matvec(a, b), np.arange(12, dtype=np.int32).reshape(1, 3, 4), np.arange(8, dtype=np.int32).reshape(2, 1, 4))
case("vecmat", lambda a, b: jnp.vecmat(a, b), np.array([1.0, 2.0, -1.0], dtype=np.float32), M)

case("logspace", lambda a, b: jnp.logspace(a, b, 5), np.float32(0.0), np.float32(3.0))
case("logspace base2 noend", lambda a, b: jnp.logspace(a, b, 4, endpoint=False, base=2.0), np.float32(-1.0), np.float32(3.0))
case("logspace int32", lambda a, b: jnp.logspace(a, b, 4, dtype=jnp.int32), np.float32(0.0), np.float32(2.5))
case("logspace array axis1", lambda a, b: jnp.logspace(a, b, 3, axis=1), np.array([0.0, 1.0], np.float32), np.array([1.0, -1.0], np.float32))
case("geomspace", lambda a, b: jnp.geomspace(a, b, 4), np.float32(1.0), np.float32(1000.0))
case("geomspace neg noend", lambda a, b: jnp.geomspace(a, b, 5, endpoint=False), np.float32(-2.0), np.float32(-64.0))
case("geomspace array axis1", lambda a, b: jnp.geomspace(a, b, 3, axis=1), np.array([1.0, 2.0], np.float32), np.array([4.0, 0.5], np.float32))
case("geomspace int32", lambda a, b: jnp.geomspace(a, b, 3, dtype=jnp.int32), np.float32(1.0), np.float32(100.0))

T = np.zeros((4, 5), np.float32); T[1:3, 1:4] = 1; T[2, 1] = 0
case("trimZeros 1d", lambda a: jnp.trim_zeros(a), np.array([0, 0, 1, 0, 2, 0], np.int32))
case("trimZeros f", lambda a: jnp.trim_zeros(a, trim="f"), np.array([0.0, -0.0, 1.0, 0.0], np.float32))
case("trimZeros b", lambda a: jnp.trim_zeros(a, trim="b"), np.array([0.0, 3.0, 0.0], np.float32))
case("trimZeros all zero", lambda a: jnp.trim_zeros(a), np.zeros((3,), np.float32))
case("trimZeros 2d", lambda a: jnp.trim_zeros(a), T)
case("trimZeros 2d axis1 f", lambda a: jnp.trim_zeros(a, trim="f", axis=1), T)
case("spacing", lambda a: jnp.spacing(a), np.array([1.0, -1.0, 0.0, -0.0, 1e-45, 3.0e38, np.inf, -np.inf, np.nan, 1e-3], np.float32))
case("spacing int", lambda a: jnp.spacing(a), np.array([1, -8, 0], np.int32))

write("numpy_gaps", cases)
