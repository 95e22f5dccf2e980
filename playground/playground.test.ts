/**
 * The playground in headless Chromium (Debian's /usr/bin/chromium, provisioned by
 * scripts/provision-chromium.sh): the page loads cross-origin isolated, the JAX 101 snippets run on
 * CPU device 0 (the page's thread) and on CPU device 1 (a Web Worker) and print what JAX prints
 * (golden/jax101_printed.json), a synchronous read on the page's thread is the DeviceError naming
 * the asynchronous API, checkpoints work without a disk, the GPU is offered through WebGPU
 * (Chromium's software adapter) and the snippets print JAX's values on it, and a screenshot is
 * saved as out/playground.png. One browser launch.
 */
import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { loadGolden } from "../golden/load.js"
import { buildPlayground } from "./build.js"
import { type Served, serveDirectory } from "./serve.js"

const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium"
const out = join(import.meta.dirname, "..", "out")
const golden = new Map(loadGolden<{ id: string; printed: string[] }>("jax101_printed").cases.map((c) => [c.id, c.printed]))

/** A printed line as its tokens: numbers parsed, everything else (brackets, names) kept as text. */
const printedTokens = (line: string): ReadonlyArray<number | string> =>
  (line.match(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|-?nan|-?inf|[^\s\d.-]+/g) ?? []).map((t) =>
    /\d|nan|inf/.test(t) ? Number(t.replace("inf", "Infinity")) : t
  )

/** Expected tokens whose numbers match within a relative tolerance (texts exactly). */
const within =
  (rtol: number) =>
  (tokens: ReadonlyArray<number | string>): ReadonlyArray<unknown> =>
    tokens.map((t) => (typeof t === "number" && Number.isFinite(t) && t !== 0 ? expect.closeTo(t, -Math.log10(rtol * Math.abs(t))) : t))

/** How many symbols (scatter points) Vega drew in a plot's SVG. */
const symbolsIn = (svg: string): number => {
  const start = svg.indexOf('<g class="mark-symbol role-mark')
  return start < 0 ? 0 : (svg.slice(start, svg.indexOf("</g>", start)).match(/<path /g) ?? []).length
}

let browser: Browser | undefined
let served: Served | undefined
let page: Page

describe("the playground in headless Chromium", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/provision-chromium.sh (or set CHROMIUM to a Chromium binary).`)
    const dir = join(out, "playground")
    await buildPlayground(dir)
    served = await serveDirectory(dir)
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-unsafe-webgpu"
      ]
    })
    page = await browser.newPage()
    const errors: string[] = []
    page.on("pageerror", (e) => errors.push(e.message))
    await page.goto(served.url)
    await page.waitForFunction(() => window.jaxfxPlayground !== undefined, undefined, { timeout: 30_000 })
    expect(errors).toEqual([])
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await served?.close()
  })

  it("loads cross-origin isolated, with CPU device 1 on a Web Worker and the GPU through WebGPU", async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true)
    expect(await page.evaluate(() => window.jaxfxPlayground.gpu)).toBe("WebGPU: WebGpuDevice(id=2)")
    expect(await page.locator("#device option").allTextContents()).toEqual([
      "CpuDevice(id=0) (this thread)",
      "CpuDevice(id=1) (Web Worker)",
      "WebGpuDevice(id=2) (WebGPU)"
    ])
  })

  it("an example run from the page's controls prints JAX's values (on the Web Worker device)", async () => {
    await page.selectOption("#snippet", "squared-error")
    await page.selectOption("#device", "1")
    await page.click("#run")
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("done") === true)
    expect((await page.textContent("#output"))?.trimEnd().split("\n")).toEqual(golden.get("squared-error"))
    expect(await page.textContent("#status")).toBe("done on CpuDevice(id=1)")
    expect(await page.locator("#plots img").count()).toBe(0)
    // the training loop prints JAX's theta and shows its plot in the page, as an image that loaded
    await page.selectOption("#snippet", "linear-regression")
    await page.click("#run")
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("done") === true)
    expect((await page.textContent("#output"))?.trimEnd().split("\n")).toEqual(golden.get("linear-regression"))
    await page.waitForFunction(() => document.querySelector<HTMLImageElement>("#plots img")?.complete === true)
    expect(await page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>("#plots img")).map((i) => i.naturalWidth > 300))).toEqual([true])
    mkdirSync(out, { recursive: true })
    await page.screenshot({ path: join(out, "playground.png"), fullPage: true })
  })

  it("every chapter snippet prints what JAX prints, on device 0 and on the Web Worker device", async () => {
    const runs = await page.evaluate(async () => {
      const p = window.jaxfxPlayground
      const all: Array<{ id: string; device: number; printed: ReadonlyArray<string>; plots: ReadonlyArray<string>; error: string | undefined }> = []
      for (const device of [0, 1]) for (const s of p.chapters) all.push({ id: s.id, device, ...(await p.run(s.code, device)) })
      return all
    })
    expect(runs.length).toBe(2 * golden.size)
    for (const r of runs) {
      expect({ id: r.id, device: r.device, printed: [...r.printed], error: r.error }).toEqual({
        id: r.id,
        device: r.device,
        printed: golden.get(r.id),
        error: undefined
      })
      // the training loop draws its 101 points and the fitted line (Vega-Lite's SVG); the others draw nothing
      expect(r.plots.map((svg) => [symbolsIn(svg), svg.includes("mark-line role-mark")])).toEqual(r.id === "linear-regression" ? [[101, true]] : [])
    }
  })

  it("offers the GPU through WebGPU, and the chapter snippets print JAX's values on it", async () => {
    const runs = await page.evaluate(async () => {
      const p = window.jaxfxPlayground
      const all: Array<{ id: string; printed: ReadonlyArray<string>; error: string | undefined }> = []
      for (const s of p.chapters) all.push({ id: s.id, ...(await p.run(s.code, "webgpu")) })
      all.push({ id: "device", ...(await p.run("await print(np.arange(3).device)", "webgpu")) })
      return all
    })
    // The GPU's exp/log/tanh are not the CPU's: numbers agree within float32 tolerance, not digit for digit.
    for (const r of runs.slice(0, -1)) {
      expect(r.error).toBe(undefined)
      expect(r.printed.map(printedTokens)).toEqual(golden.get(r.id)?.map(printedTokens).map(within(2e-6)))
    }
    expect(runs.at(-1)).toEqual({ id: "device", printed: ["WebGpuDevice(id=2)"], plots: [], error: undefined })
    await page.selectOption("#snippet", "squared-error")
    await page.selectOption("#device", "webgpu")
    await page.click("#run")
    await page.waitForFunction(() => document.getElementById("status")?.textContent?.startsWith("done") === true)
    expect(await page.textContent("#status")).toBe("done on WebGpuDevice(id=2)")
    expect((await page.textContent("#output"))?.trimEnd().split("\n")).toEqual(golden.get("squared-error"))
  })

  it("arrays live on the chosen device; a synchronous read of a Web Worker device's array is the DeviceError naming dataAsync", async () => {
    const code = "const x = np.arange(3).mul(2)\nawait print(x.device)\nawait print(x)\nx.data()\n"
    const r1 = await page.evaluate((c) => window.jaxfxPlayground.run(c, 1), code)
    expect(r1.printed).toEqual(["CpuDevice(id=1)", "[0 2 4]"])
    expect(r1.error).toMatch(/^DeviceError: .*CpuDevice\(id=1\).*Device\.read\(x\)`.*x\.dataAsync\(\)/)
    const r0 = await page.evaluate((c) => window.jaxfxPlayground.run(c, 0), code)
    expect(r0).toEqual({ printed: ["CpuDevice(id=0)", "[0 2 4]"], plots: [], error: undefined })
  })

  it("host callbacks from the Web Worker device (debug.print under jit) have run by the time a result is read", async () => {
    const code = [
      "const lines = []",
      "const previous = jaxfx.debug.setPrintSink((line) => lines.push(line))",
      'const y = jit((x) => { jaxfx.debug.print("x = {}", x); return x.mul(2) })(np.arange(3))',
      "await print(y)",
      "jaxfx.debug.setPrintSink(previous)",
      'await print(lines.join(" | "))'
    ].join("\n")
    for (const device of [1, 0]) {
      expect(await page.evaluate(([c, d]) => window.jaxfxPlayground.run(c, d), [code, device] as const)).toEqual({
        printed: ["[0 2 4]", "x = [0 1 2]"],
        plots: [],
        error: undefined
      })
    }
  })

  it("a worker script that cannot load makes the worker device's reads a DeviceError saying how to fix it (no hang)", async () => {
    const other = await browser!.newPage()
    try {
      await other.route("**/worker.js", (route) => route.fulfill({ status: 404, body: "" }))
      await other.goto(served!.url)
      await other.waitForFunction(() => window.jaxfxPlayground !== undefined)
      const r = await other.evaluate(() => window.jaxfxPlayground.run("await print(np.arange(3).mul(2))", 1))
      expect(r.printed).toEqual([])
      expect(r.error).toMatch(/^DeviceError: CpuDevice worker 1 failed to start: the worker script .*worker\.js could not run.*jaxfxWorkerUrl/)
    } finally {
      await other.close()
    }
  })

  it("checkpoints without a disk: a typed error without a FileSystem, the in-memory layer, bytes and Blobs", async () => {
    const r = await page.evaluate(async () => {
      const { jaxfx, effects, Effect } = window.jaxfxPlayground
      const { codec } = effects
      const params = { w: jaxfx.np.asarray([1.5, -2, 0.25], { dtype: "float32" }) }
      const template = { w: jaxfx.np.zeros([3]) }
      const noFs = await Effect.runPromiseExit(codec.save("ckpt.safetensors", params))
      const viaMemory = await Effect.runPromise(
        Effect.gen(function* () {
          yield* codec.save("run/ckpt.safetensors", params)
          return yield* codec.load("run/ckpt.safetensors", template)
        }).pipe(Effect.provide(codec.layerMemory()))
      )
      const blob = await Effect.runPromise(codec.toBlob(params))
      const viaBlob = await Effect.runPromise(codec.fromBlob(blob, template))
      return {
        noFs: noFs._tag === "Failure" ? String(noFs.cause) : "succeeded",
        memory: [...(await viaMemory.w.dataAsync())],
        blob: [blob instanceof Blob, [...(await viaBlob.w.dataAsync())]]
      }
    })
    expect(r.noFs).toMatch(/CodecError.*there is no file system here.*codec\.layerMemory\(\)/s)
    expect(r.memory).toEqual([1.5, -2, 0.25])
    expect(r.blob).toEqual([true, [1.5, -2, 0.25]])
  })
})
