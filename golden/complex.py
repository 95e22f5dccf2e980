"""complex64 in real JAX on CPU: construction, arithmetic, transcendental functions, reductions,
matmul, promotion with every real dtype and with weak scalars, conversions, the np complex
functions, printing (repr and str) and gradients (JAX's conventions: grad of a real function of a
complex input, holomorphic grad). Read by backends/cpu/complex.golden.test.ts.

Run: /work/venv/bin/python golden/complex.py
"""
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from common import collector, enc, write

jax.config.update("jax_enable_x64", False)
warnings.simplefilter("ignore")
cases, case = collector()

z = np.array([1 + 2j, 3 - 4j, -0.5 + 0.25j, 0j, -2 - 1j, 0.1 + 3j], dtype=np.complex64)
w = np.array([2 - 1j, 0.5 + 0.5j, 1j, -3 + 0j, 1 + 1j, -0.7 - 0.2j], dtype=np.complex64)
r = np.array([1.5, -2.0, 0.25, 3.0, -0.5, 2.0], dtype=np.float32)

for name, f in [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b), ("mul", lambda a, b: a * b),
                ("div", lambda a, b: a / b), ("pow", lambda a, b: a ** b), ("eq", lambda a, b: a == b),
                ("ne", lambda a, b: a != b)]:
    case(f"binary {name}", f, z, w)
case("binary div by zero", lambda a, b: a / b, z[:3], np.zeros(3, np.complex64))
for name, f in [("neg", jnp.negative), ("exp", jnp.exp), ("log", jnp.log), ("sqrt", jnp.sqrt), ("sin", jnp.sin),
                ("cos", jnp.cos), ("tan", jnp.tan), ("sinh", jnp.sinh), ("cosh", jnp.cosh), ("tanh", jnp.tanh),
                ("expm1", jnp.expm1), ("log1p", jnp.log1p), ("sign", jnp.sign), ("abs", jnp.abs), ("real", jnp.real),
                ("imag", jnp.imag), ("conj", jnp.conj), ("angle", jnp.angle), ("square", jnp.square),
                ("reciprocal", jnp.reciprocal), ("cube", lambda a: a ** 3), ("pow -2", lambda a: a ** -2),
                ("rsqrt", jax.lax.rsqrt), ("iscomplex", jnp.iscomplex), ("isreal", jnp.isreal)]:
    case(f"unary {name}", f, z if name != "rsqrt" and name != "log" and name != "reciprocal" and name != "pow -2" else w)
case("unary angle deg", lambda a: jnp.angle(a, deg=True), z)
case("sqrt of negative reals", jnp.sqrt, np.array([-4 + 0j, -1 + 0j, 4 + 0j], np.complex64))
case("tanh large", jnp.tanh, np.array([30 + 1j, -30 + 2j, 0.5 + 40j], np.complex64))

zm = z.reshape(2, 3)
case("sum", lambda a: jnp.sum(a), zm)
case("sum axis 0", lambda a: jnp.sum(a, axis=0), zm)
case("prod", lambda a: jnp.prod(a, axis=1), zm)
case("mean", lambda a: jnp.mean(a), zm)
case("cumsum", lambda a: jnp.cumsum(a, axis=1), zm)
case("matmul", lambda a, b: a @ b, zm, w.reshape(3, 2))
case("vdot", jnp.vdot, z, w)
case("dot real x complex", lambda a, b: jnp.dot(a, b), r.reshape(2, 3), w.reshape(3, 2))
case("transpose", lambda a: a.T, zm)
case("concatenate", lambda a, b: jnp.concatenate([a, b]), z, w)
case("slice gather", lambda a: a[jnp.array([4, 0, 2])], z)
case("where", lambda a, b: jnp.where(jnp.abs(a) > 1.5, a, b), z, w)
case("sort_complex", jnp.sort_complex, np.array([1 + 2j, 1 - 1j, 0 + 5j, -1 + 0j, 1 + 2j], np.complex64))

# Promotion and weak scalars.
for d in ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "float16", "bfloat16", "float32"]:
    x = np.asarray(jnp.array([1, 0, 2], dtype=d))
    case(f"promote {d} + complex64", lambda a, b: a + b, x, z[:3])
case("weak float * complex", lambda a: a * 2.5, z)
case("weak int + complex", lambda a: a + 3, z)
case("float32 * weak complex", lambda a: a * 1j, r)
case("int32 + weak complex", lambda a: a + (2 - 1j), np.array([1, 2, 3], np.int32))
case("lax.complex", jax.lax.complex, r, r[::-1].copy())

# Conversions.
case("astype float32 -> complex64", lambda a: a.astype(jnp.complex64), r)
case("astype complex64 -> float32", lambda a: a.astype(jnp.float32), z)
case("astype complex64 -> int32", lambda a: a.astype(jnp.int32), z)
case("astype complex64 -> bool", lambda a: a.astype(jnp.bool_), z)
case("astype int32 -> complex64", lambda a: a.astype(jnp.complex64), np.array([1, -2, 3], np.int32))

# Gradients.
s = np.complex64(3 + 4j)
case("grad abs^2", jax.grad(lambda a: jnp.abs(a) ** 2), s)
case("grad abs", jax.grad(lambda a: jnp.abs(a)), s)
case("grad real(z^2)", jax.grad(lambda a: jnp.real(a * a)), s)
case("grad imag(z^2)", jax.grad(lambda a: jnp.imag(a * a)), s)
case("grad real(exp z * conj z)", jax.grad(lambda a: jnp.real(jnp.exp(a) * jnp.conj(a))), np.complex64(0.5 - 0.3j))
case("grad sum |sin z|^2", jax.grad(lambda a: jnp.sum(jnp.abs(jnp.sin(a)) ** 2)), z)
case("grad holomorphic z^2", jax.grad(lambda a: a * a, holomorphic=True), s)
case("grad holomorphic sin", jax.grad(lambda a: jnp.sin(a), holomorphic=True), s)
case("grad holomorphic exp(z)/z", jax.grad(lambda a: jnp.exp(a) / a, holomorphic=True), np.complex64(1 - 2j))
case("grad real of complex(x, y)", jax.grad(lambda a: jnp.abs(jax.lax.complex(a, a * 2)) ** 2), np.float32(1.5))
case("grad real input, complex inside", jax.grad(lambda a: jnp.real(jnp.exp(a * 1j))), np.float32(0.7))
case("grad matmul", jax.grad(lambda a, b: jnp.real(jnp.sum(a @ b))), zm, w.reshape(3, 2))

write("complex", cases)

# Printing: repr and str of complex arrays, as JAX prints them.
printed = []
for v in [z, zm, np.array(1 + 2j, np.complex64), np.array([1.5 + 2j, 3 - 4.25j, np.nan + 1j, 1e-5j], np.complex64),
          np.array([[1e9 + 2j], [complex(np.nan, -np.inf)]], np.complex64), np.zeros(3, np.complex64),
          np.arange(40).astype(np.complex64), np.array([-0.0 - 0.0j, 2j], np.complex64)]:
    a = jnp.asarray(v)
    printed.append({"value": enc(v), "repr": repr(a), "str": str(a)})
weak = jax.lax.complex(1.0, 2.0)
printed.append({"value": enc(np.asarray(weak)), "weak": True, "repr": repr(weak), "str": str(weak)})
write("complex_printed", printed)
