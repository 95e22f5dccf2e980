import { describe, expect, it } from "vitest"
import { config, ValueError } from "../../../index.js"

describe("the jaxfxWorkerUrl setting (the worker script of CPU devices in a browser)", () => {
  it("takes a string, a URL or null, and names what it expects otherwise", () => {
    expect(config.read("jaxfxWorkerUrl")).toBe(null)
    try {
      config.update("jaxfxWorkerUrl", new URL("https://example.org/app/worker.js"))
      expect(config.read("jaxfxWorkerUrl")).toBe("https://example.org/app/worker.js")
      config.update("jaxfxWorkerUrl", "./worker.js")
      expect(config.read("jaxfxWorkerUrl")).toBe("./worker.js")
      expect(() => config.update("jaxfxWorkerUrl", 3)).toThrow(ValueError)
      expect(() => config.update("jaxfxWorkerUrl", 3)).toThrow(/expected the URL of the worker script \(a string or URL\) or null, got 3/)
    } finally {
      config.update("jaxfxWorkerUrl", null)
    }
  })
})
