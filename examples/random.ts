/**
 * JAX 101, "Pseudorandom numbers", in jaxfx. Run: `npx tsx examples/random.ts`.
 * Each section prints jaxfx's output next to what JAX (and NumPy) print in the chapter.
 *
 * The NumPy half of the chapter is NumPy's global-state Mersenne Twister; it is reproduced here
 * by a small MT19937 (`np.random.seed`/`random`/`uniform`, legacy seeding) so the contrast with
 * explicit keys can be run side by side. The JAX half uses jaxfx's `random`.
 */
import { type Array, np, random, vmap } from "../index.js"

const section = (title: string): void => console.log(`\n## ${title}`)
const show = (label: string, ours: string, jax: string): void => {
  console.log(`jaxfx: ${label}${ours}`)
  console.log(`JAX:   ${label}${jax}${ours === jax ? "" : "   <-- differs"}`)
}

// ---------------------------------------------------------------------------------------------
// NumPy's global state: MT19937 with numpy.random's legacy seeding and random_sample.

class MT19937 {
  readonly mt = new Uint32Array(624)
  pos = 624
  seed(s: number): void {
    this.mt[0] = s >>> 0
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30)
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0
    }
    this.pos = 624
  }
  private twist(): void {
    const mt = this.mt
    for (let i = 0; i < 624; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % 624]! & 0x7fffffff)
      mt[i] = mt[(i + 397) % 624]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)
    }
    this.pos = 0
  }
  nextU32(): number {
    if (this.pos >= 624) this.twist()
    let y = this.mt[this.pos++]!
    y ^= y >>> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >>> 18
    return y >>> 0
  }
  /** numpy's random_sample: 53 random bits, (a >> 5) * 2^26 + (b >> 6), over 2^53. */
  random(): number {
    const a = this.nextU32() >>> 5
    const b = this.nextU32() >>> 6
    return (a * 67108864 + b) / 9007199254740992
  }
}
const globalState = new MT19937()
const npRandom = {
  seed: (s: number) => globalState.seed(s),
  random: () => globalState.random(),
  uniform: (size?: number): number | number[] =>
    size === undefined ? globalState.random() : globalThis.Array.from({ length: size }, () => globalState.random()),
  stateHead: (n: number) => [...globalState.mt.slice(0, n)]
}
/** NumPy prints float64 vectors with 8 significant digits. */
const npVec = (xs: ReadonlyArray<number>): string => np.array([...xs], { dtype: "float64" }).str()

section("Random numbers in NumPy: a global state")
npRandom.seed(0)
const draws = [npRandom.random(), npRandom.random(), npRandom.random()]
show("", draws.join("\n       "), ["0.5488135039273248", "0.7151893663724195", "0.6027633760716439"].join("\n       "))

npRandom.seed(0)
show("state after seed(0): ", `[${npRandom.stateHead(5).join(", ")}, ...]`, "[0, 1, 1812433255, 1900727105, 1208447044, ...]")
npRandom.uniform()
show("state after one draw: ", `[${npRandom.stateHead(5).join(", ")}, ...]`, "[2443250962, 1093594115, 1878467924, 2709361018, 1101979660, ...]")

npRandom.seed(0)
show("uniform(size=3): ", npVec(npRandom.uniform(3) as number[]), "[0.5488135  0.71518937 0.60276338]")
npRandom.seed(0)
const individually = [npRandom.uniform(), npRandom.uniform(), npRandom.uniform()] as number[]
npRandom.seed(0)
show("individually: ", npVec(individually), "[0.5488135  0.71518937 0.60276338]")
show("all at once:  ", npVec(npRandom.uniform(3) as number[]), "[0.5488135  0.71518937 0.60276338]")

section("foo() = bar() + 2 * baz(): the result depends on evaluation order")
npRandom.seed(0)
const bar = (): number => npRandom.uniform() as number
const baz = (): number => npRandom.uniform() as number
const foo = (): number => bar() + 2 * baz()
show("", String(foo()), "1.9791922366721637")

// ---------------------------------------------------------------------------------------------
// JAX: explicit keys

section("Explicit random state: key = random.key(42)")
let key = random.key(42)
show("", key.toString().replace("\n", "\n       "), "Array((), dtype=key<fry>) overlaying:\n       [ 0 42]")

section("the same key gives the same sample")
show("", random.normal(key).str(), "-0.028304616")
show("", random.normal(key).str(), "-0.028304616")

section("split before every draw")
const jaxDraws = ["0.6057640314102173", "-0.21089035272598267", "-0.3948981463909149"]
for (let i = 0; i < 3; i++) {
  const [newKey, subkey] = random.split(key)
  const val = random.normal(subkey)
  // Python prints the float32 value as a double: its exact value, shortest form
  show(`draw ${i}: `, String(val.item()), jaxDraws[i]!)
  key = newKey
}

section("split into many keys")
const [k, ...fortyTwoSubkeys] = random.split(key, 43)
console.log(
  `jaxfx: key ${k!.shape.length === 0 ? "is a scalar key" : "?"}, ${fortyTwoSubkeys.length} subkeys (JAX: key, *forty_two_subkeys = random.split(key, num=43))`
)

section("Lack of sequential equivalence")
key = random.key(42)
const subkeys = random.split(key, 3)
const sequence = np.stack([...subkeys].map((s) => random.normal(s)))
show("individually: ", sequence.str(), "[0.07592554 0.60576403 0.4323065 ]")
key = random.key(42)
show("all at once:  ", random.normal(key, [3]).str(), "[-0.02830462  0.46713185  0.29570296]")
show("vectorized:   ", vmap((s: random.PRNGKeyArray): Array => random.normal(s))(subkeys).str(), "[0.07592554 0.60576403 0.4323065 ]")

// ---------------------------------------------------------------------------------------------
section("jax.random module docs: random.key(0)")
const k0 = random.key(0)
show("random.uniform(key)    ", random.uniform(k0).toString(), "Array(0.947667, dtype=float32)")
const [, sub0] = random.split(k0)
show("random.uniform(subkey) ", random.uniform(sub0).toString(), "Array(0.00729382, dtype=float32)")
