/**
 * The layers against real JAX (golden/nn_layers.py): each layer's output, and the gradients of
 * sum(out * w) with respect to its parameters and float inputs, for given parameters, equal
 * Haiku's computation written out in jax.numpy, within a few float32 roundings (|got - want| <=
 * 1e-5 max(1, |want|); JAX and jaxfx sum in different orders). BatchNorm's new running statistics
 * and Dropout's mask for the same key are checked too.
 */
import { Effect } from "effect"
import { describe, it } from "vitest"
import { type Array, grad, nn, np, random } from "../../index.js"
import { type GoldenArray, loadGolden } from "../../golden/load.js"
import { expectGolden, fromGolden } from "../optim/test-helpers.js"
import {
  BatchNorm,
  Dropout,
  Embed,
  GroupNorm,
  LayerNorm,
  Linear,
  MLP,
  type MLPOptions,
  MultiHeadAttention,
  type Params,
  RMSNorm,
  transform,
  transformWithState
} from "../index.js"

interface Case {
  readonly layer: string
  readonly options: Readonly<Record<string, unknown>>
  readonly call: Readonly<Record<string, unknown>>
  readonly inputs: ReadonlyArray<GoldenArray>
  readonly params: Readonly<Record<string, GoldenArray>>
  readonly state?: Readonly<Record<string, GoldenArray>>
  readonly newState?: Readonly<Record<string, GoldenArray>>
  readonly out: GoldenArray
  readonly cotangent: GoldenArray
  readonly grads: { readonly params: Readonly<Record<string, GoldenArray>>; readonly inputs: ReadonlyArray<GoldenArray | null> }
  readonly seed?: number
}

const golden = loadGolden<Case>("nn_layers")
const TOL = 1e-5

const record = (r: Readonly<Record<string, GoldenArray>>): Params => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, fromGolden(v)]))

/** The layer of a case as a function of (params, state, key, inputs) -> [out, state']. */
const modelOf = (c: Case): ((p: Params, s: Params, key: random.PRNGKeyArray | null, xs: ReadonlyArray<Array>) => readonly [Array, Params]) => {
  const o = c.options as never
  const isTraining = c.call.isTraining as boolean | undefined
  const stateless = (f: (xs: ReadonlyArray<Array>) => Effect.Effect<Array, never, never> | ReturnType<ReturnType<typeof Linear>>) => {
    const m = transform((xs: ReadonlyArray<Array>) => f(xs))
    return (p: Params, _s: Params, key: random.PRNGKeyArray | null, xs: ReadonlyArray<Array>) => [m.apply(p, key, xs), {}] as const
  }
  switch (c.layer) {
    case "Linear": {
      const l = Linear(o)
      return stateless(([x]) => l(x!))
    }
    case "LayerNorm": {
      const l = LayerNorm(o)
      return stateless(([x]) => l(x!))
    }
    case "RMSNorm": {
      const l = RMSNorm(o)
      return stateless(([x]) => l(x!))
    }
    case "GroupNorm": {
      const l = GroupNorm(o)
      return stateless(([x]) => l(x!))
    }
    case "Dropout": {
      const l = Dropout(o)
      return stateless(([x]) => l(x!, { isTraining }))
    }
    case "Embed": {
      const l = Embed(o)
      return stateless(([ids]) => l(ids!))
    }
    case "EmbedAttend": {
      const l = Embed(o)
      return stateless(([h]) => l.attend(h!))
    }
    case "MLP": {
      const { activation, ...rest } = c.options
      const l = MLP({ ...(rest as unknown as MLPOptions), ...(activation === "tanh" ? { activation: nn.tanh } : {}) })
      return stateless(([x]) => l(x!))
    }
    case "MultiHeadAttention": {
      const l = MultiHeadAttention(o)
      const isCausal = c.call.isCausal as boolean | undefined
      return stateless(([q, k, v, mask]) => l(q!, k!, v!, { mask, isCausal }))
    }
    case "BatchNorm": {
      const l = BatchNorm(o)
      const m = transformWithState((xs: ReadonlyArray<Array>) => l(xs[0]!, { isTraining }))
      return (p, s, key, xs) => m.apply(p, s, key, xs)
    }
    default:
      throw new Error(`no layer ${c.layer}`)
  }
}

describe("layers give Haiku's numbers, computed in real JAX (golden/nn_layers.py)", () => {
  golden.cases.forEach((c, i) => {
    it(`${i}: ${c.layer} ${JSON.stringify(c.options)} ${JSON.stringify(c.call)}`, () => {
      const model = modelOf(c)
      const params = record(c.params)
      const state = record(c.state ?? {})
      const inputs = c.inputs.map(fromGolden)
      const key = c.seed === undefined ? null : random.key(c.seed)
      const [out, newState] = model(params, state, key, inputs)
      expectGolden(out, c.out, TOL, "output")
      for (const [k, v] of Object.entries(c.newState ?? {})) expectGolden(newState[k]!, v, TOL, `new state ${k}`)

      // gradients of sum(out * w) with respect to the params and the float inputs
      const floatAt = c.grads.inputs.flatMap((g, j) => (g === null ? [] : [j]))
      const w = fromGolden(c.cotangent)
      const loss = (p: Params, fx: ReadonlyArray<Array>) => {
        const xs = inputs.map((x, j) => (floatAt.includes(j) ? fx[floatAt.indexOf(j)]! : x))
        return np.sum(model(p, state, key, xs)[0].mul(w))
      }
      const [gp, gx] = grad(loss, { argnums: [0, 1] })(
        params,
        floatAt.map((j) => inputs[j]!)
      )
      for (const [k, v] of Object.entries(c.grads.params)) expectGolden(gp[k]!, v, TOL, `d/d ${k}`)
      floatAt.forEach((j, n) => expectGolden(gx[n]!, c.grads.inputs[j]!, TOL, `d/d input ${j}`))
    })
  })
})
