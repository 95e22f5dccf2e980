"""Arithmetic, conversions and printing of the 8- and 16-bit dtypes (int8, int16, uint8, uint16,
float16, bfloat16) in real JAX on CPU: per-operation rounding (float16 sum, overflow to inf,
bfloat16 add), astype between every pair, float32 -> float16/bfloat16 rounding of awkward values
(ties, subnormals, overflow), and repr. Read by backends/cpu/narrow.test.ts.

Run: /work/venv/bin/python golden/dtypes_arith.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import collector, enc, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()

NARROW = ["int8", "int16", "uint8", "uint16", "float16", "bfloat16"]
ALL = NARROW + ["float32", "int32", "uint32", "bool"]

rng = np.random.default_rng(0)
# (No float32 subnormals: XLA on CPU flushes them to zero, which jaxfx does not emulate.)
f = np.array([0.0, -0.0, 1.0, -1.5, 0.1, 2049.0, 65504.0, 65519.0, 65520.0, 70000.0, 1e-8, 3e-8, 6e-5, -2.98e-8,
              1.0009765625, 1.00048828125, 1.0014648437, 3.14159, 1e38, 3.4e38, np.nan, np.inf, -np.inf,
              300.0, -300.0, 127.9, -128.9, 65535.6, 2e-38], dtype=np.float32)
f = np.concatenate([f, (rng.standard_normal(40) * 10.0 ** rng.integers(-9, 7, 40)).astype(np.float32)])
for d in ALL:
    case(f"astype float32->{d}", lambda x, d=d: x.astype(d), f)
ints = np.array([0, 1, -1, 127, -128, 255, 300, -300, 32767, -32768, 65535, 70000, 2**31 - 1], dtype=np.int32)
for d in ALL:
    case(f"astype int32->{d}", lambda x, d=d: x.astype(d), ints)
# Between narrow dtypes: from each narrow dtype's values to every dtype.
for s in NARROW:
    src = jnp.asarray(f).astype(s)
    for d in ALL:
        case(f"astype {s}->{d}", lambda x, d=d: x.astype(d), np.asarray(src))

for d in ["float16", "bfloat16"]:
    a = np.asarray(jnp.asarray(f[:20]).astype(d))
    b = np.asarray(jnp.asarray(f[20:40]).astype(d))
    case(f"{d} add", lambda x, y: x + y, a, b)
    case(f"{d} mul", lambda x, y: x * y, a, b)
    case(f"{d} div", lambda x, y: x / y, a, b)
    case(f"{d} sub", lambda x, y: x - y, a, b)
    case(f"{d} chain", lambda x, y: (x * y + x) * 3.0 - y, a, b)
    case(f"{d} exp", lambda x: jnp.exp(x), a)
    case(f"{d} sin", lambda x: jnp.sin(x), a)
    case(f"{d} sqrt", lambda x: jnp.sqrt(jnp.abs(x)), a)
    big = np.asarray(jnp.array([60000.0, 60000.0, -60000.0, 1.0, 0.0009765625] * 4, d))
    case(f"{d} sum", lambda x: jnp.sum(x), big)
    case(f"{d} sum axis", lambda x: jnp.sum(x.reshape(4, 5), axis=1), big)
    case(f"{d} mean", lambda x: jnp.mean(x), big)
    case(f"{d} max", lambda x: jnp.max(x), big)
    case(f"{d} mul overflow", lambda x: x * x, big)
    case(f"{d} dot", lambda x, y: jnp.dot(x, y), np.asarray(jnp.asarray(f[30:42]).astype(d)).reshape(3, 4),
         np.asarray(jnp.asarray(f[42:50]).astype(d)).reshape(4, 2))
    case(f"{d} grad", lambda x: jax.grad(lambda z: jnp.sum(jnp.sin(z) * z))(x), np.asarray(jnp.asarray(f[30:40]).astype(d)))
for d in ["int8", "int16", "uint8", "uint16"]:
    a = np.asarray(jnp.asarray(ints).astype(d))
    b = np.asarray(jnp.asarray(ints[::-1]).astype(d))
    case(f"{d} add", lambda x, y: x + y, a, b)
    case(f"{d} mul", lambda x, y: x * y, a, b)
    case(f"{d} sub", lambda x, y: x - y, a, b)
    case(f"{d} neg", lambda x: -x, a)
    case(f"{d} sum", lambda x: jnp.sum(x), a)
    case(f"{d} max", lambda x: jnp.max(x), a)
    case(f"{d} floordiv", lambda x, y: x // jnp.where(y == 0, 1, y), a, b)
    case(f"{d} scalar", lambda x: x * 3 + 1, a)

reprs = []
for d in NARROW:
    for vals in ([1, 2], [0.1, 1e5, 3.14159, 257], [1e-5, 256, 257, 3.14159, -2.5], [0.5], [1.5, -0.0, np.nan, np.inf]):
        if d not in ("float16", "bfloat16") and any(isinstance(v, float) and (not np.isfinite(v) or v != int(v)) for v in vals):
            continue
        x = jnp.array(vals, d)
        reprs.append({"dtype": d, "values": enc(np.asarray(x)), "repr": repr(x), "str": str(x)})
    x = jnp.array(0.1 if d in ("float16", "bfloat16") else 7, d)
    reprs.append({"dtype": d, "values": enc(np.asarray(x)), "repr": repr(x), "str": str(x)})
cases.append({"id": "reprs", "reprs": reprs})

write("dtypes_arith", cases)
