"""lax.round with both rounding methods, and jnp.round, on float32 and float64 values around ties.

JAX's lax.round rounds halves away from zero by default (RoundingMethod.AWAY_FROM_ZERO = 0);
TO_NEAREST_EVEN = 1 is what jnp.round uses. Values: exact halves of both signs, values just off
a half, signed zeros, non-finite values and the largest non-integers of each dtype.

Run: /work/venv/bin/python golden/lax_round.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")
jax.config.update("jax_enable_x64", True)

values = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, -3.5, 0.49999997, 0.4, -0.4, 2.6, -2.6, 0.0, -0.0,
          float("nan"), float("inf"), float("-inf"), 8388607.5, -8388607.5, 8388609.0, 1e30, 123.456]

cases = []
for dtype in ["float32", "float64"]:
    vs = list(values) + ([4503599627370495.5, -4503599627370495.5] if dtype == "float64" else [])
    x = jnp.asarray(np.array(vs, dtype=dtype))
    cases.append({
        "dtype": dtype,
        "x": enc(x),
        "awayFromZero": enc(lax.round(x)),
        "toNearestEven": enc(lax.round(x, lax.RoundingMethod.TO_NEAREST_EVEN)),
        "npRound": enc(jnp.round(x)),
    })

write("lax_round", cases)
