"""JAX's public names in the namespaces of issue 13 (linear algebra, FFT, special functions and
statistics), for scripts/api-audit-13.ts, which lists what jaxfx lacks of them.

Each case: {"namespace": "jax.numpy.linalg" (or "jax.scipy.stats.norm" for a distribution's
methods), "names": [public attributes that are not modules], "kinds": {name: "function" |
"class" | "primitive" | "other"}}.
Run: /path/to/venv/bin/python golden/api_audit_13.py
"""
import inspect
import types

import jax
import jax.extend.core
import jax.lax.linalg
import jax.numpy as jnp
import jax.scipy.linalg
import jax.scipy.special
import jax.scipy.stats

from common import write


def kind(v):
    if isinstance(v, jax.extend.core.Primitive):
        return "primitive"
    if inspect.isclass(v):
        return "class"
    if callable(v):
        return "function"
    return "other"


def names(label, module):
    pub = sorted(n for n in dir(module) if not n.startswith("_") and not isinstance(getattr(module, n), types.ModuleType))
    return {"namespace": label, "names": pub, "kinds": {n: kind(getattr(module, n)) for n in pub}}


cases = [
    names("jax.numpy.linalg", jnp.linalg),
    names("jax.numpy.fft", jnp.fft),
    names("jax.lax.linalg", jax.lax.linalg),
    names("jax.scipy.linalg", jax.scipy.linalg),
    names("jax.scipy.special", jax.scipy.special),
    names("jax.scipy.stats", jax.scipy.stats),
]
for dist in sorted(dir(jax.scipy.stats)):
    m = getattr(jax.scipy.stats, dist)
    if isinstance(m, types.ModuleType) and not dist.startswith("_"):
        cases.append(names(f"jax.scipy.stats.{dist}", m))
write("api_audit_13", cases)
