"""Shared helpers for the scripts that generate golden files from real JAX.

Each script `golden/<topic>.py` writes `golden/<topic>.json` with
  {"jax_version": ..., "generator": "<topic>.py", "cases": [...]}
Arrays are encoded as {"dtype": str, "shape": [...], "data": [...]} in row-major order; non-finite
floats and negative zero are strings ("nan", "inf", "-inf", "-0") because JSON has no such numbers.
Run with the venv that has jax installed, e.g. `/path/to/venv/bin/python golden/<topic>.py`.
"""
import json
import math
import os

import numpy as np


def _scalar(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    if f == 0 and math.copysign(1.0, f) < 0:
        return "-0"
    return f


def enc(x):
    """Encode an array (numpy or jax) or a scalar for a golden file."""
    a = np.asarray(x)
    if np.iscomplexobj(a):
        flat = a.reshape(-1)
        data = [[_scalar(z.real), _scalar(z.imag)] for z in flat]
    else:
        data = [_scalar(v) for v in a.reshape(-1).tolist()]
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def write(topic, cases):
    """Write golden/<topic>.json next to this file."""
    import jax

    out = {"jax_version": jax.__version__, "generator": f"{topic}.py", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{topic}.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases")


def collector():
    """The cases of a generator and `case(id, fn, *args)`, which runs fn in JAX on the arrays and
    records {"id", "args", "out"} (out: an array, or a list of arrays for a tuple result)."""
    import jax.numpy as jnp

    cases = []

    def case(id_, fn, *args):
        out = fn(*[jnp.asarray(a) for a in args])
        cases.append({"id": id_, "args": [enc(a) for a in args],
                      "out": [enc(o) for o in out] if isinstance(out, (list, tuple)) else enc(out)})

    return cases, case
