// The tooling bundle's entry (dist/tooling.cjs): what the library entry (interpreter/package/api.ts)
// and the CLI load on first use (interpreter/package/tooling.ts), so that neither the run path's
// bundle nor a plain require('execline-ts') carries chevrotain.
export { ScriptError, toArgv } from './cst.js';
export { format } from './format.js';
export { lint } from './lint.js';
export { formatFindings } from './lint-report.js';
export { parse } from './parse.js';
