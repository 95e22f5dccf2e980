"""jax.numpy's extra elementwise math (math-extra.ts, bitwise.ts) on edge values, for
core/numpy/math-extra.test.ts: every binary function on all pairs of a value list (NaN, ±inf, ±0,
large and small magnitudes), in float32, and integer functions on int32/uint32.

Each case is {"id", "args": [arrays], "out": array or [arrays]}.
No subnormal inputs: XLA's CPU backend flushes them to zero (FTZ/DAZ), which jaxfx does not
imitate. Nor decimal rounding at a tie of the scaled value (XLA turns the division by 10**d into
a multiplication by its reciprocal).
Run: /work/venv/bin/python golden/gen_numpy_math.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_platforms", "cpu")

cases, case = collector()


f32 = np.float32
vals = np.array([-np.inf, -1e30, -3.5, -2.5, -1.0, -0.5, -0.0, 0.0, 1e-30, 0.3, 0.5, 1.0, 1.5, 2.5, 7.0, 1e30, np.inf, np.nan], f32)
xs = np.repeat(vals, len(vals))
ys = np.tile(vals, len(vals))
unit = np.array([-1.0, -0.999, -0.5, -1e-8, -0.0, 0.0, 1e-8, 0.25, 0.5, 0.999, 1.0, 1.5, np.nan, np.inf, -np.inf], f32)
pos = np.array([0.0, 0.5, 1.0, 1.0001, 1.5, 2.0, 10.0, 1e10, 1e20, 3e38, np.inf, np.nan], f32)
ints = np.array([-7, -6, -1, 0, 1, 3, 4, 12, 18, 2147483647, -2147483648], np.int32)
ia = np.repeat(ints, len(ints))
ib = np.tile(ints, len(ints))
small = np.array([-12, -8, -5, 0, 1, 4, 6, 9, 15, 18, 100], np.int32)
sa = np.repeat(small, len(small))
sb = np.tile(small, len(small))

for name in ["logaddexp", "logaddexp2", "fmod", "fmin", "fmax", "copysign", "hypot", "heaviside", "nextafter", "float_power", "arctan2"]:
    case(name, getattr(jnp, name), xs, ys)
case("divmod", jnp.divmod, xs, ys)
for name in ["trunc", "signbit", "cbrt", "sinc", "rint", "isposinf", "isneginf", "nan_to_num", "deg2rad", "rad2deg", "fabs", "positive", "arcsinh", "modf", "frexp"]:
    case(name, getattr(jnp, name), vals)
case("around:2", lambda x: jnp.around(x, 2), np.array([0.125, 1.005, -2.5, 123.456, np.nan], f32))
case("arctanh", jnp.arctanh, unit)
case("arccosh", jnp.arccosh, pos)
case("arcsinh:wide", jnp.arcsinh, np.array([1e-30, 1e-8, 1e-3, 0.7, 3.0, 1e4, 1e18, 1e20, 3e38], f32))
case("nan_to_num:args", lambda x: jnp.nan_to_num(x, nan=-1.0, posinf=9.0, neginf=-9.0), vals)
case("cbrt:wide", jnp.cbrt, np.array([1e-38, 1e-30, 8e-9, 0.001, 0.125, 27.0, 1000.0, 12345.678, 3e38, -64.0], f32))
case("ldexp", jnp.ldexp, np.array([0.75, -0.5, 1e-30, 3e38, 1e-20, 0.0, -0.0, np.inf, np.nan, 1.5], f32), np.array([3, -2, 30, -1, 130, 5, 5, 1, 1, -120], np.int32))
case("nextafter:f32-edges", jnp.nextafter, np.array([1.0, 1.0, 1.1754944e-38, -1.1754944e-38, 3.4028235e38, 2.0, -2.0, 0.5, np.inf, -np.inf, 0.0, -0.0], f32), np.array([2.0, 0.0, 1.0, -1.0, np.inf, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, -1.0], f32))
case("trunc:int", jnp.trunc, ints)
case("signbit:int", jnp.signbit, ints)
case("fmod:int", jnp.fmod, sa, sb)
case("divmod:int", jnp.divmod, sa, sb)
case("gcd", jnp.gcd, sa, sb)
case("lcm", jnp.lcm, sa, sb)
case("gcd:uint", jnp.gcd, np.array([0, 12, 4000000000, 7], np.uint32), np.array([5, 18, 3000000000, 0], np.uint32))
for name in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
    case(name, getattr(jnp, name), ia, ib)
    case(name + ":uint", getattr(jnp, name), ia.astype(np.uint32), ib.astype(np.uint32))
    case(name + ":bool", getattr(jnp, name), np.array([True, True, False, False]), np.array([True, False, True, False]))
case("bitwise_not", jnp.bitwise_not, ints)
case("bitwise_not:uint", jnp.bitwise_not, ints.astype(np.uint32))
case("invert:bool", jnp.invert, np.array([True, False]))
shifts = np.array([0, 1, 3, 31, 32, 33], np.int32)
case("left_shift", jnp.left_shift, np.repeat(ints, len(shifts)), np.tile(shifts, len(ints)))
case("right_shift", jnp.right_shift, np.repeat(ints, len(shifts)), np.tile(shifts, len(ints)))
case("right_shift:uint", jnp.right_shift, np.repeat(ints, len(shifts)).astype(np.uint32), np.tile(shifts, len(ints)).astype(np.uint32))
case("logaddexp:f64", jnp.logaddexp, np.array([1e3, -1e3, 0.0], np.float32), np.array([1e3, 5.0, -np.inf], np.float32))

write("numpy_math", cases)
