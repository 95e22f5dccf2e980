"""How JS-number literals and lists become arrays, computed by real JAX (x64 off).

Cases: {"name": ..., "raises": "OverflowError" | "ValueError" | null, "value": enc(array) | absent,
"values": [enc, ...] for tuple results}. The test (core/numpy/literals.test.ts) evaluates the same
expression in jaxfx for each name; where jaxfx deliberately differs (a JS number cannot say
whether it is an int or a float) the test says so case by case.
Run: /path/to/venv/bin/python golden/array_literals.py
"""
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

warnings.simplefilter("ignore")
inf = float("inf")
nan = float("nan")
i32 = lambda v: jnp.array(v, dtype=jnp.int32)
u32 = lambda v: jnp.array(v, dtype=jnp.uint32)
f32 = lambda v: jnp.array(v, dtype=jnp.float32)

cases = []


def case(name, thunk):
    try:
        r = thunk()
    except (OverflowError, ValueError) as e:
        cases.append({"name": name, "raises": type(e).__name__})
        return
    if isinstance(r, tuple):
        cases.append({"name": name, "raises": None, "values": [enc(v) for v in r]})
    else:
        cases.append({"name": name, "raises": None, "value": enc(r)})


# Literals given to jnp.array / jnp.asarray.
case("array(2**31)", lambda: jnp.array(2**31))
case("array(2**31 - 1)", lambda: jnp.array(2**31 - 1))
case("array(-2**31)", lambda: jnp.array(-(2**31)))
case("array(-2**31 - 1)", lambda: jnp.array(-(2**31) - 1))
case("array([1, 2**31])", lambda: jnp.array([1, 2**31]))
case("array([[1], [-2**31 - 1]])", lambda: jnp.array([[1], [-(2**31) - 1]]))
case("asarray(2**31)", lambda: jnp.asarray(2**31))
case("array(-1, uint32)", lambda: jnp.array(-1, dtype=jnp.uint32))
case("array([-1], uint32)", lambda: jnp.array([-1], dtype=jnp.uint32))
case("array(2**32 - 1, uint32)", lambda: jnp.array(2**32 - 1, dtype=jnp.uint32))
case("array(2**32, uint32)", lambda: jnp.array(2**32, dtype=jnp.uint32))
case("array(2**31, uint32)", lambda: jnp.array(2**31, dtype=jnp.uint32))
case("array(1.7, int32)", lambda: jnp.array(1.7, dtype=jnp.int32))
case("array(-0.5, uint32)", lambda: jnp.array(-0.5, dtype=jnp.uint32))
case("array(-1.5, uint32)", lambda: jnp.array(-1.5, dtype=jnp.uint32))
case("array(1.5e10, int32)", lambda: jnp.array(1.5e10, dtype=jnp.int32))
case("array(inf, int32)", lambda: jnp.array(inf, dtype=jnp.int32))
case("array(nan, int32)", lambda: jnp.array(nan, dtype=jnp.int32))
case("array(2**31, float32)", lambda: jnp.array(2**31, dtype=jnp.float32))
case("array(2**31, bool)", lambda: jnp.array(2**31, dtype=bool))
case("array([1.5, 2**31])", lambda: jnp.array([1.5, 2**31]))

# Weak scalars meeting arrays.
case("int32 + 2**31", lambda: i32(1) + 2**31)
case("int32 + -2**31", lambda: i32(1) + -(2**31))
case("int32 + (-2**31 - 1)", lambda: i32(1) + (-(2**31) - 1))
case("int32 * 2**31 under jit", lambda: jax.jit(lambda x: x * 2**31)(i32(1)))
case("int32 < 2**31", lambda: i32(1) < 2**31)
case("bool + 2**31", lambda: jnp.array(True) + 2**31)
case("uint32 + -1", lambda: u32(1) + -1)
case("uint32 + 2**31", lambda: u32(1) + 2**31)
case("uint32 + 2**32", lambda: u32(1) + 2**32)
case("float32 + 2**31", lambda: f32(1) + 2**31)
case("maximum(int32, 2**31)", lambda: jnp.maximum(i32(1), 2**31))
case("clip(int32, 0, 2**31)", lambda: jnp.clip(i32([1]), 0, 2**31))
case("where(bool, int32, 2**31)", lambda: jnp.where(jnp.array([True]), i32([1]), 2**31))
case("where(bool, uint32, -1)", lambda: jnp.where(jnp.array([True, False]), u32([1, 2]), -1))
case("int32.at[0].set(2**31)", lambda: i32([0, 0]).at[0].set(2**31))
case("int32.at[0].add(2**31)", lambda: i32([0, 0]).at[0].add(2**31))
case("uint32.at[0].set(-1)", lambda: u32([0, 0]).at[0].set(-1))
case("uint32.at[0].set(2**31)", lambda: u32([0, 0]).at[0].set(2**31))
case("uint32.at[0].set(2**32)", lambda: u32([0, 0]).at[0].set(2**32))
case("uint32.at[0].set(-2**31 - 1)", lambda: u32([0, 0]).at[0].set(-(2**31) - 1))
case("pad(int32, constant 2**31)", lambda: jnp.pad(i32([1]), 1, constant_values=2**31))
case("max(int32, initial=2**31)", lambda: jnp.max(i32([1]), initial=2**31))
case("full(2, 2**31)", lambda: jnp.full(2, 2**31))
case("full(2, -1, uint32)", lambda: jnp.full(2, -1, dtype=jnp.uint32))
case("full(2, 2**31, uint32)", lambda: jnp.full(2, 2**31, dtype=jnp.uint32))
case("full(2, 2**32, uint32)", lambda: jnp.full(2, 2**32, dtype=jnp.uint32))
case("full_like(int32, 2**31)", lambda: jnp.full_like(i32([1]), 2**31))
case("arange(2**31 - 2, 2**31 + 1)", lambda: jnp.arange(2**31 - 2, 2**31 + 1))
case("arange(-2, 2, uint32)", lambda: jnp.arange(-2, 2, dtype=jnp.uint32))
case("arange(2**32 - 1, 2**32 + 1, uint32)", lambda: jnp.arange(2**32 - 1, 2**32 + 1, dtype=jnp.uint32))

# Casts of arrays are casts (saturating float -> int), never errors.
casts = f32([3e9, -3e9, nan, inf, -1.5])
case("float32 array astype int32", lambda: casts.astype(jnp.int32))
case("float32 array astype uint32", lambda: casts.astype(jnp.uint32))
case("int32 array astype uint32", lambda: i32([-1, 5]).astype(jnp.uint32))

# Bytes.
case("array(uint8 bytes)", lambda: jnp.array(np.array([0, 1, 255], dtype=np.uint8)))
case("array(int8)", lambda: jnp.array(np.array([-128, 127], dtype=np.int8)))
case("array(uint16)", lambda: jnp.array(np.array([0, 65535], dtype=np.uint16)))

# Lists that hold arrays are stacks, under every transformation.
case("array([int32 x, 2**31])", lambda: jnp.array([i32(1), 2**31]))
case("array([uint32 x, -1])", lambda: jnp.array([u32(1), -1]))
case("array([int32 x, 1.5])", lambda: jnp.array([i32(1), 1.5]))
case("array([int32 x, True])", lambda: jnp.array([i32(1), True]))
case("array([uint32 x, 1])", lambda: jnp.array([u32(1), 1]))
case("array([uint32 x, int32 y])", lambda: jnp.array([u32(1), i32(2)]))
case("array([weak int32 x, uint32 y])", lambda: jnp.array([jnp.full((), 1), u32(2)]))
case("array([[1, 2], int32[3, 4]])", lambda: jnp.array([[1, 2], i32([3, 4])]))
case("array([int32 x, 1], float32)", lambda: jnp.array([i32(1), 1], dtype=jnp.float32))
case("array([float32 x, 2], int32)", lambda: jnp.array([f32(1.5), 2], dtype=jnp.int32))
case("grad sum(array([2x, 3x])) at 1.5", lambda: jax.grad(lambda x: jnp.sum(jnp.array([x * 2, x * 3])))(f32(1.5)))
case("jit array([2x, 3x]) at 1.5", lambda: jax.jit(lambda x: jnp.array([x * 2, x * 3]))(f32(1.5)))
case("vmap array([[x, 1], [2, x]])", lambda: jax.vmap(lambda x: jnp.array([[x, 1.0], [2.0, x]]))(f32([1.0, 2.0])))
case(
    "grad sum(array([[x, 1], [2, x*x]])) at 1.5",
    lambda: jax.grad(lambda x: jnp.sum(jnp.array([[x, 1.0], [2.0, x * x]])))(f32(1.5)),
)
case("jvp array([x, x*x, 3]) at 2", lambda: jax.jvp(lambda x: jnp.array([x, x * x, 3.0]), (f32(2.0),), (f32(1.0),)))
case(
    "grad of a depth-3 list of rows",
    lambda: jax.grad(lambda v: jnp.sum(jnp.array([[[v[0], v[1]]], [[v[1] * v[0], 2.0]]]) ** 2))(f32([1.5, -2.0])),
)
case(
    "jit(grad) through vmap of a list",
    lambda: jax.jit(jax.grad(lambda w: jnp.sum(jax.vmap(lambda x: jnp.array([x * w[0], w[1], x]))(f32([1.0, 2.0, 3.0])) ** 2)))(
        f32([0.5, -1.0])
    ),
)


def convolve(x, w):
    output = []
    for i in range(1, len(x) - 1):
        output.append(jnp.dot(x[i - 1 : i + 2], w))
    return jnp.array(output)


xs = jnp.stack([jnp.arange(5), jnp.arange(5)])
ws = jnp.stack([f32([2.0, 3.0, 4.0])] * 2)
case("JAX 101 convolve under vmap", lambda: jax.vmap(convolve)(xs, ws))
case("JAX 101 convolve under jit(vmap)", lambda: jax.jit(jax.vmap(convolve))(xs, ws))

write("array_literals", cases)
