"""lax.stack / lax.unstack / lax.mulhi from real JAX. Read by core/lax/stacking.golden.test.ts.
Each case: {"id", "args", "out"} (golden/common.py collector); the id names the call the test makes.

Run: /work/venv/bin/python golden/lax_stacking.py
"""
import numpy as np
import jax
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
A = np.arange(6, dtype=np.float32).reshape(2, 3)
case("stack 0", lambda a, b: lax.stack([a, b]), A, A * 2)
case("stack -1", lambda a, b: lax.stack([a, b], -1), A, A * 2)
case("unstack 1", lambda a: lax.unstack(a, 1), A)
case("unstack 0 int", lambda a: lax.unstack(a), np.arange(6, dtype=np.int32).reshape(3, 2))
I = np.array([-5, 2**30, -2**31, 2**31 - 1, -1, 0, 123456789, -987654321], np.int32)
J = np.array([7, 2**20, -2**31, 2**31 - 1, -1, 5, -987654321, 123456789], np.int32)
case("mulhi int32", lax.mulhi, I, J)
case("mulhi uint32", lax.mulhi, I.view(np.uint32), J.view(np.uint32))
case("mulhi int8", lax.mulhi, np.array([-128, 127, -3, 100], np.int8), np.array([-128, 127, 5, 100], np.int8))
case("mulhi uint16", lax.mulhi, np.array([65535, 300], np.uint16), np.array([65535, 300], np.uint16))

write("lax_stacking", cases)
