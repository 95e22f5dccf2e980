// The project's own lint: jaxfx's user preset (array truthiness and friends) over all of its
// TypeScript, so the preset is tested on a large code base that must pass it.
import preset from "./lint/preset.js"

export default [{ ignores: ["node_modules/**", "dist/**", "out/**", "**/*.js", "**/*.d.ts"] }, ...preset]
