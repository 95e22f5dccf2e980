/// <reference lib="dom" />
/**
 * The playground page: pick a JAX 101 snippet, edit it, choose a device (CPU 0: this thread; CPU 1:
 * a Web Worker; the GPU through WebGPU when the browser has it) and run it; printed arrays and plots appear below. `window.jaxfxPlayground` exposes the same
 * to scripts (the Chromium test drives the page through the buttons and through it).
 */
import { Effect } from "effect"
import * as jaxfx from "../index.js"
import * as effects from "../effects/index.js"
import { chapters } from "./chapters.js"
import { type RunResult, runSnippet } from "./run.js"

// Two CPU devices: device 1 runs on a Web Worker, whose script is the worker bundle next to this one.
jaxfx.config.update("jaxfxWorkerUrl", new URL("./worker.js", import.meta.url).href)
jaxfx.config.update("jaxfxCpuDevices", 2)

const byId = <E extends HTMLElement>(id: string): E => {
  const e = document.getElementById(id)
  if (e === null) throw new Error(`playground: the page has no #${id}`)
  return e as E
}

const snippet = byId<HTMLSelectElement>("snippet")
const device = byId<HTMLSelectElement>("device")
const code = byId<HTMLTextAreaElement>("code")
const output = byId<HTMLPreElement>("output")
const plots = byId<HTMLDivElement>("plots")
const run = byId<HTMLButtonElement>("run")
const status = byId<HTMLSpanElement>("status")

for (const s of chapters) snippet.append(new Option(`${s.chapter}: ${s.title}`, s.id))
for (const d of jaxfx.devices()) {
  device.append(new Option(`${d.toString()}${d.id === 0 ? " (this thread)" : " (Web Worker)"}`, String(d.id)))
}
status.textContent = crossOriginIsolated ? "cross-origin isolated: worker devices available" : "not cross-origin isolated: only device 0 works"

/** The device a select value names: a CPU device id, or "webgpu" for the GPU. */
const chosen = (value: string): number | "webgpu" => (value === "webgpu" ? "webgpu" : Number(value))
const deviceOf = (value: string): jaxfx.Device => (value === "webgpu" ? jaxfx.devices("webgpu")[0]! : jaxfx.devices()[Number(value)]!)

/** Offer the GPU when the browser has WebGPU: acquiring it is asynchronous (`await init("webgpu")`). */
const gpu = (async (): Promise<string> => {
  if ((navigator as { gpu?: unknown }).gpu === undefined) return "no WebGPU in this browser"
  try {
    const [d] = await jaxfx.init("webgpu")
    device.append(new Option(`${String(d)} (WebGPU)`, "webgpu"))
    return `WebGPU: ${String(d)}`
  } catch (e) {
    return `WebGPU unavailable: ${e instanceof Error ? e.message : String(e)}`
  }
})()
void gpu.then((s) => (status.textContent = `${status.textContent}; ${s}`))

const show = (id: string): void => {
  code.value = chapters.find((s) => s.id === id)?.code ?? ""
  output.textContent = ""
  plots.replaceChildren()
}
snippet.addEventListener("change", () => show(snippet.value))
show(chapters[0]!.id)

/** A plot (Vega's SVG) shown as an image: an <img> runs no script the SVG might carry. */
const showPlot = (svg: string): void => {
  const img = new Image()
  img.src = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }))
  img.alt = "plot"
  plots.append(img)
}

let last: RunResult | undefined
run.addEventListener("click", () => {
  output.textContent = ""
  plots.replaceChildren()
  run.disabled = true
  status.textContent = "running..."
  void runSnippet(code.value, chosen(device.value), (line) => (output.textContent += `${line}\n`), showPlot).then((r) => {
    if (r.error !== undefined) output.textContent += `${r.error}\n`
    last = r
    run.disabled = false
    status.textContent = `done on ${deviceOf(device.value).toString()}`
  })
})

declare global {
  interface Window {
    jaxfxPlayground: {
      readonly chapters: typeof chapters
      readonly run: typeof runSnippet
      readonly last: () => RunResult | undefined
      /** What became of the WebGPU device: "WebGPU: <device>", or why there is none. */
      readonly gpu: Promise<string>
      readonly jaxfx: typeof jaxfx
      readonly effects: typeof effects
      readonly Effect: typeof Effect
    }
  }
}

window.jaxfxPlayground = { chapters, run: runSnippet, last: () => last, gpu, jaxfx, effects, Effect }
