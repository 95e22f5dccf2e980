"""Values at singular points (zeros, ties, infinities), computed by real JAX.

Cases: {"name": ..., "value": enc(array)} or, for a tuple result, {"name": ..., "values": [enc, ...]}.
The test (core/singular-points.test.ts) evaluates the same expression in jaxfx for each name.
Run: /path/to/venv/bin/python golden/singular_points.py
"""
import jax
import jax.numpy as jnp

from common import enc, write

inf = float("inf")
nan = float("nan")
f32 = lambda v: jnp.array(v, dtype=jnp.float32)
i32 = lambda v: jnp.array(v, dtype=jnp.int32)
u32 = lambda v: jnp.array(v, dtype=jnp.uint32)

cases = []


def case(name, value):
    if isinstance(value, tuple):
        cases.append({"name": name, "values": [enc(v) for v in value]})
    else:
        cases.append({"name": name, "value": enc(value)})


# Derivatives at kinks and ties.
xs = f32([0.0, -0.0, 2.0, -2.0, nan])
case("grad abs at [0, -0, 2, -2, nan]", jax.vmap(jax.grad(jnp.abs))(xs))
case("jvp abs at 0", jax.jvp(jnp.abs, (f32(0.0),), (f32(1.0),)))
case("grad sqrt at 0", jax.grad(jnp.sqrt)(f32(0.0)))
case("grad relu at 0", jax.grad(jax.nn.relu)(f32(0.0)))
case("grad maximum at a tie", jax.grad(jnp.maximum, argnums=(0, 1))(f32(1.0), f32(1.0)))
case("grad minimum at a tie", jax.grad(jnp.minimum, argnums=(0, 1))(f32(1.0), f32(1.0)))
case("grad max with a tie", jax.grad(jnp.max)(f32([1.0, 1.0, 0.0])))
case("grad sign at 0", jax.grad(jnp.sign)(f32(0.0)))
case("grad softplus at [0, -0]", jax.vmap(jax.grad(jax.nn.softplus))(f32([0.0, -0.0])))
case("grad log_sigmoid at 0", jax.grad(jax.nn.log_sigmoid)(f32(0.0)))
case("grad clip(x, 0, 1) at [0, 1]", jax.vmap(jax.grad(lambda x: jnp.clip(x, 0.0, 1.0)))(f32([0.0, 1.0])))

# Division by zero.
num = [7, -7, 0]
case("floor_divide int32 by 0", jnp.floor_divide(i32(num), i32(0)))
case("floor_divide uint32 by 0", jnp.floor_divide(u32([7, 0]), u32(0)))
case("floor_divide float32 by 0", jnp.floor_divide(f32([7.0, -7.0, 0.0]), f32(0.0)))
case("floor_divide float32 by -0", jnp.floor_divide(f32([7.0, -7.0, 0.0]), f32(-0.0)))
case("floor_divide float32 inf", jnp.floor_divide(f32([inf, -inf, 7.0]), f32([2.0, 2.0, inf])))
case("floor_divide int32 signs", jnp.floor_divide(i32([7, -7, 7, -7]), i32([2, 2, -2, -2])))
case("remainder int32 by 0", jnp.remainder(i32(num), i32(0)))
case("remainder uint32 by 0", jnp.remainder(u32([7, 0]), u32(0)))
case("remainder float32 by 0", jnp.remainder(f32([7.0, -7.0, 0.0]), f32(0.0)))
case("remainder float32 by inf", jnp.remainder(f32([7.0, -7.0]), f32(inf)))

# Softmax and friends with infinities.
rows = f32([[inf, 0.0], [inf, inf], [-inf, -inf], [-inf, 0.0], [inf, -inf]])
case("softmax rows with infinities", jax.nn.softmax(rows))
case("log_softmax rows with infinities", jax.nn.log_softmax(rows))
case("logsumexp rows with infinities", jax.nn.logsumexp(rows, axis=1))
case("grad logsumexp at [-inf, 0]", jax.grad(jax.nn.logsumexp)(f32([-inf, 0.0])))

write("singular_points", cases)
