"""JAX's dtype tables, from real JAX: `jnp.promote_types` for every pair of the 15 dtypes and the
three weak types (Python int, float, complex), with x64 off and on; `jnp.result_type` (with the
weak-type flag) for every pair of strong dtypes and Python scalars; `jnp.can_cast` for every pair
and casting rule; `jnp.issubdtype` against the abstract kinds; `jnp.finfo` and `jnp.iinfo`.
Read by core/dtypes/lattice.test.ts and core/dtypes/info.test.ts.

Run: /work/venv/bin/python golden/dtypes.py
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax._src import dtypes as jdt

from common import _scalar, write

jax.config.update("jax_enable_x64", False)

NAMES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
         "bfloat16", "float16", "float32", "float64", "complex64", "complex128"]
WEAK = {"weak_int": int, "weak_float": float, "weak_complex": complex}
SCALAR = {"weak_int": 1, "weak_float": 1.5, "weak_complex": 1j}
NODES = NAMES + list(WEAK)


def spec(n):
    return WEAK[n] if n in WEAK else n


cases = []
for x64 in (False, True):
    with jax.enable_x64(x64):
        table = {a: {b: str(jnp.promote_types(spec(a), spec(b))) for b in NODES} for a in NODES}
        cases.append({"id": f"promote_types x64={x64}", "kind": "promote_types", "x64": x64, "table": table})
        res = {}
        for a in NODES:
            res[a] = {}
            for b in NODES:
                va = SCALAR[a] if a in WEAK else jnp.dtype(a)
                vb = SCALAR[b] if b in WEAK else jnp.dtype(b)
                d, w = jdt.result_type(va, vb, return_weak_type_flag=True)
                res[a][b] = [str(d), bool(w)]
        single = {}
        for a in NODES:
            va = SCALAR[a] if a in WEAK else jnp.dtype(a)
            d, w = jdt.result_type(va, return_weak_type_flag=True)
            single[a] = [str(d), bool(w)]
        cases.append({"id": f"result_type x64={x64}", "kind": "result_type", "x64": x64, "table": res, "single": single})

for casting in ("no", "equiv", "safe", "same_kind", "unsafe"):
    table = {a: {b: bool(jnp.can_cast(a, b, casting=casting)) for b in NAMES} for a in NAMES}
    cases.append({"id": f"can_cast {casting}", "kind": "can_cast", "casting": casting, "table": table})

KINDS = {"generic": np.generic, "number": np.number, "inexact": np.inexact, "floating": np.floating,
         "complexfloating": np.complexfloating, "integer": np.integer, "signedinteger": np.signedinteger,
         "unsignedinteger": np.unsignedinteger, "bool": np.bool_}
table = {a: {k: bool(jnp.issubdtype(a, t)) for k, t in KINDS.items()} for a in NAMES}
for a in NAMES:
    for b in NAMES:
        table[a][b] = bool(jnp.issubdtype(a, b))
cases.append({"id": "issubdtype", "kind": "issubdtype", "table": table})

FIELDS = ["bits", "eps", "epsneg", "max", "min", "tiny", "smallest_normal", "smallest_subnormal", "resolution",
          "precision", "nexp", "nmant", "iexp", "machep", "negep", "minexp", "maxexp"]
for n in ["bfloat16", "float16", "float32", "float64"]:
    f = jnp.finfo(n)
    cases.append({"id": f"finfo {n}", "kind": "finfo", "dtype": n,
                  "fields": {k: _scalar(float(getattr(f, k))) if not isinstance(getattr(f, k), int) else getattr(f, k)
                             for k in FIELDS}, "field_dtype": str(f.dtype)})
for n in ["uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64"]:
    i = jnp.iinfo(n)
    cases.append({"id": f"iinfo {n}", "kind": "iinfo", "dtype": n,
                  "fields": {"bits": i.bits, "min": str(i.min), "max": str(i.max), "kind": i.kind}})

write("dtypes", cases)
