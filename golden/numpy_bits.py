"""jnp.bitwise_count / packbits / unpackbits / mask_indices / frombuffer / isdtype from real JAX.
Read by core/numpy/packbits.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py
collector); the id names the call the test makes. frombuffer's argument is the buffer's bytes (uint8).

Run: /work/venv/bin/python golden/numpy_bits.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()

case("bitwiseCount int32", jnp.bitwise_count, np.array([0, 1, -1, 7, -16, 2**31 - 1, -2**31], np.int32))
case("bitwiseCount int8", jnp.bitwise_count, np.array([-128, -1, 127, 5], np.int8))
case("bitwiseCount uint8", jnp.bitwise_count, np.array([255, 0, 129], np.uint8))
case("bitwiseCount uint32", jnp.bitwise_count, np.array([2**32 - 1, 6], np.uint32))
case("bitwiseCount bool", jnp.bitwise_count, np.array([True, False]))
B = np.array([[1, 0, 1, 1, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]], np.int32)
case("packbits", jnp.packbits, B)
case("packbits axis1 little", lambda a: jnp.packbits(a, axis=1, bitorder="little"), B)
case("packbits axis0", lambda a: jnp.packbits(a, axis=0), B)
case("packbits bool", jnp.packbits, np.array([True, False, True]))
case("packbits negative", jnp.packbits, np.array([-3, 0, 2], np.int32))
U = np.array([[5, 255, 0], [128, 1, 77]], np.uint8)
case("unpackbits", jnp.unpackbits, U)
case("unpackbits axis1", lambda a: jnp.unpackbits(a, axis=1), U)
case("unpackbits axis0 little", lambda a: jnp.unpackbits(a, axis=0, bitorder="little"), U)
case("unpackbits count -3", lambda a: jnp.unpackbits(a, count=-3), U)
case("unpackbits count 50", lambda a: jnp.unpackbits(a, count=50), U)
case("unpackbits axis1 count 5", lambda a: jnp.unpackbits(a, axis=1, count=5), U)
case("maskIndices triu 1", lambda: jnp.mask_indices(3, jnp.triu, 1))
case("maskIndices tril -1", lambda: jnp.mask_indices(4, jnp.tril, -1))
case("maskIndices triu 0", lambda: jnp.mask_indices(2, jnp.triu))
BUF = np.frombuffer(np.array([1.5, -2.0, 3.25], np.float32).tobytes() + np.array([7, -9], np.int32).tobytes(), np.uint8)
case("frombuffer float32", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.float32, count=3), BUF)
case("frombuffer int32 offset", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.int32, offset=12), BUF)
case("frombuffer uint16", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.uint16), BUF)
case("frombuffer int8 count", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.int8, count=5, offset=2), BUF)
case("frombuffer float16", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.float16, count=4), BUF)
case("frombuffer bool", lambda b: jnp.frombuffer(np.asarray(b).tobytes(), dtype=jnp.bool_, count=6), BUF)
for dt, kind in [("float32", "real floating"), ("int8", ("unsigned integer", "bool")), ("uint16", "integral"), ("bool", "numeric"),
                 ("int32", "int32"), ("float16", ("numeric",)), ("bfloat16", "real floating"), ("uint8", "signed integer")]:
    case(f"isdtype {dt} {kind}", lambda dt=dt, kind=kind: jnp.asarray(jnp.isdtype(jnp.dtype(dt), kind)))

write("numpy_bits", cases)
