/**
 * jaxfx's lint preset for user code (`jaxfx/eslint`): typescript-eslint rules that catch the
 * JavaScript mistakes a JAX user makes with jaxfx arrays. An array is an object, so it is always
 * truthy: `if (x.gt(0))`, `x.gt(0) ? a : b`, `!x` and `x && y` are always-true tests, never
 * elementwise ones (use `lax.cond`, `np.where`, or `x.gt(0).item()` on the host).
 * `strict-boolean-expressions` reports them ("Unexpected object value in conditional"); the
 * options keep its checks of strings, numbers and nullable values off, so it flags only values
 * that are always truthy. `restrict-plus-operands` reports `x + y` on arrays (string
 * concatenation in JS; use `x.add(y)`).
 *
 *   // eslint.config.js
 *   import tseslint from "typescript-eslint"
 *   import jaxfx from "jaxfx/eslint"
 *   export default tseslint.config(...jaxfx)
 */
import tseslint from "typescript-eslint"

/** The rules, for configurations that set up typescript-eslint themselves. */
export const rules = {
  "@typescript-eslint/strict-boolean-expressions": [
    "error",
    {
      allowString: true,
      allowNumber: true,
      allowNullableObject: true,
      allowNullableBoolean: true,
      allowNullableString: true,
      allowNullableNumber: true,
      allowNullableEnum: true,
      allowAny: true
    }
  ],
  "@typescript-eslint/restrict-plus-operands": [
    "error",
    { allowAny: true, allowBoolean: true, allowNullish: true, allowNumberAndString: true, allowRegExp: true }
  ]
}

/** A flat config: typescript-eslint's parser with type information, and the rules. */
const preset = [
  {
    files: ["**/*.ts", "**/*.tsx", "**/*.mts", "**/*.cts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true }
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules
  }
]

export default preset
