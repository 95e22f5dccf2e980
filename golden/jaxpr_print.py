"""How JAX prints jaxprs: one line when the program fits in 80 columns, else one equation per
line, params broken over lines when their group does not fit, nested programs indented. The cases
avoid params whose content differs between JAX and jaxfx (sharding), so the texts compare whole.

Run: /work/venv/bin/python golden/jaxpr_print.py
"""
import jax
import jax.numpy as jnp

from common import write

jax.config.update("jax_platforms", "cpu")

cases = []


def case(id, f, *args):
    cases.append({"id": id, "text": str(jax.make_jaxpr(f)(*args))})


case("sin", jnp.sin, 1.0)
case("identity", lambda x: x, 1.0)
case("log2", lambda x: jnp.log(x) / jnp.log(2.0), 1.0)
case("two outputs", lambda x, y: (x * y, x + 1.0), 1.0, 2.0)
case("nested jit", lambda x: jax.jit(jnp.sin)(x) * 2.0, 1.0)
case("many inputs", lambda a, b, c, d, e, f, g, h, i, j: a + b + c + d + e + f + g + h + i + j, *([1.0] * 10))
write("jaxpr_print", cases)
