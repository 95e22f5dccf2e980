/** `npm run bench`: every benchmark, with peers measured in the same run. */
import { foundation } from "./foundation.js"
import { report } from "./harness.js"
import { jitBench } from "./jit.js"
import { vmapBench } from "./vmap.js"

report([...(await foundation()), ...(await jitBench()), ...(await vmapBench())])
