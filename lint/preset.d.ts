import type { Linter } from "eslint"
/** The preset's rules, for configurations that set up typescript-eslint themselves. */
export declare const rules: Linter.RulesRecord
/** A flat config: typescript-eslint's parser with type information, and the rules. */
declare const preset: ReadonlyArray<Linter.Config>
export default preset
