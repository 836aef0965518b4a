// The library API as a user's project gets it: the checkout's built dist/ packed with npm,
// installed into a project (without the optional Node: a library user needs none), then
// require()d and imported under the system's Node (20 here; the entry targets Node 18), and
// type-checked by TypeScript through the package's own types. Then: the hand-written types
// (interpreter/package/api.d.cts) are the source's, export by export; and the run path's bundle
// carries none of the tooling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import ts from 'typescript';
import { ROOT, spawnAsync, type Run } from '../helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** The environment npm and the system Node run in: ours without npm's own variables, and no node_modules/.bin on PATH. */
const ENV: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) {
  if (v === undefined || /^npm_|^INIT_CWD$/i.test(k)) continue;
  ENV[k] = v;
}
ENV.PATH = (process.env.PATH ?? '/usr/bin:/bin')
  .split(delimiter)
  .filter((d) => d && !d.split('/').includes('node_modules'))
  .join(delimiter);

function which(name: string): string {
  for (const d of ENV.PATH.split(delimiter)) {
    try {
      if (statSync(join(d, name)).isFile()) return join(d, name);
    } catch {
      /* not here */
    }
  }
  return '';
}
const NPM = which('npm');
const SYSTEM_NODE = which('node');
const TIMEOUT = 150_000;

const outcome = (r: Run & { error?: Error }) => (r.status === 0 && !r.error ? { status: 0 } : { status: r.status, error: r.error?.message, stderr: r.stderr });

let tmp = '';
let project = '';

beforeAll(async () => {
  if (!NPM) return;
  tmp = mkdtempSync(join(tmpdir(), 'elts-api-'));
  // What `files` in package.json packs, as the checkout has it built.
  const stage = join(tmp, 'stage');
  mkdirSync(stage);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'dist', 'bin'])
    if (existsSync(join(ROOT, f))) cpSync(join(ROOT, f), join(stage, f), { recursive: true });
  const out = join(tmp, 'out');
  mkdirSync(out);
  const packed = await spawnAsync(NPM, ['pack', '--ignore-scripts', '--pack-destination', out], { env: ENV, cwd: stage, timeout: TIMEOUT });
  expect(outcome(packed)).toEqual({ status: 0 });
  project = join(tmp, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-project', version: '1.0.0', private: true }));
  const tarball = join(out, `${pkg.name}-${pkg.version}.tgz`);
  const installed = await spawnAsync(NPM, ['i', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    env: ENV,
    cwd: project,
    timeout: TIMEOUT,
  });
  expect(outcome(installed)).toEqual({ status: 0 });
}, TIMEOUT + 30_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs a program under the system Node in the project. */
function node(args: string[]): Promise<Run & { error?: Error }> {
  return spawnAsync(SYSTEM_NODE, args, { env: ENV, cwd: project, timeout: 30_000 });
}

/** What the CommonJS and the ESM test programs print, from the same calls. */
const USE = `
const script = '#!/bin/execlineb -P\\nforeground { echo "a b" } # c\\nif { true }\\necho \\xff\\xff';
const p = parse(script);
let err = null;
try { format('echo "x'); } catch (e) { err = { isScriptError: e instanceof ScriptError, name: e.name, ids: e.errors.map((x) => x.id), where: e.errors[0].span.start }; }
const bytes = format(new Uint8Array([0x65, 0x63, 0x68, 0x6f, 0x20, 0x20, 0x78]));
console.log(JSON.stringify({
  errors: p.errors,
  shebang: p.shebang && p.shebang.text,
  kinds: p.items.map((n) => n.kind),
  firstWord: p.items[0],
  argv: toArgv(p),
  formatted: format(script),
  bytes: Array.from(bytes),
  err,
  bad: parse('a } b { c').errors.map((e) => [e.id, e.span.start.column]),
  quote: [quote('a b'), quote(''), quote('#x'), quote('{'), quote('\\t', { visible: true })],
  quoteArgv: quoteArgv(['echo', 'a b', '']),
  lint: lint("#!/bin/execlineb -P\\ns6-setuidgid nobody:nogroup echo 'hi'\\n", { file: 'run' }).map((f) => [f.id, f.line, f.column, f.severity]),
  typeErrors: [() => parse(undefined), () => toArgv('x'), () => quote(42), () => quoteArgv('ab'), () => lint(new Uint8Array(1)), () => format(5)].map((f) => {
    try {
      f();
      return 'no error';
    } catch (e) {
      return e instanceof TypeError ? e.message : String(e);
    }
  }),
  text: [quote('a\u20ac'), quoteArgv(['\u00e9 x', '\u20ac'])],
}));
`;
const EXPECTED = {
  errors: [],
  shebang: '#!/bin/execlineb -P',
  kinds: ['word', 'block', 'word', 'block', 'word', 'word'],
  firstWord: {
    kind: 'word',
    span: { start: { offset: 20, line: 2, column: 1 }, end: { offset: 30, line: 2, column: 11 } },
    raw: 'foreground',
    value: 'foreground',
    quoted: false,
  },
  argv: ['foreground', ' echo', ' a b', '', 'if', ' true', '', 'echo', '\xff\xff'],
  formatted: '#!/bin/execlineb -P\nforeground {\n  echo "a b"\n} # c\nif {\n  true\n}\necho \xff\xff\n',
  bytes: [...Buffer.from('echo x\n')],
  err: { isScriptError: true, name: 'ScriptError', ids: ['unterminated-quote'], where: { offset: 5, line: 1, column: 6 } },
  bad: [
    ['stray-close', 3],
    ['unclosed-block', 7],
  ],
  quote: ['a\\ b', '""', '\\#x', '\\{', '"\\t"'],
  quoteArgv: 'echo a\\ b ""',
  lint: [
    ['EL401', 2, 14, 'error'],
    ['EL201', 2, 34, 'error'],
  ],
  typeErrors: [
    'parse: expected a string or a Uint8Array, got undefined',
    'toArgv: expected a tree made by parse(), got string',
    'quote: expected a string, got number',
    'quoteArgv: expected an array of strings, got string',
    'lint: expected a string, got a Uint8Array',
    'format: expected a string or a Uint8Array, got number',
  ],
  text: ['a\u20ac', '\u00e9\\ x \u20ac'],
};

describe.skipIf(!NPM || !SYSTEM_NODE)(`the library API, installed, under the system's Node${NPM ? '' : ' (skipped: no npm on PATH)'}`, () => {
  it('require(): parse, toArgv, format, quote, quoteArgv and ScriptError; the tooling loaded on first use only', async () => {
    const r = await node([
      '-e',
      `const { parse, format, lint, toArgv, quote, quoteArgv, ScriptError, version } = require('execline-ts');
       const loaded = () => Object.keys(require.cache).some((f) => f.endsWith('/tooling.cjs'));
       if (loaded()) throw new Error('tooling loaded by require()');
       if (version !== ${JSON.stringify(pkg.version)}) throw new Error('version');
       ${USE}
       if (!loaded()) throw new Error('tooling not loaded');`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8'))).toEqual(EXPECTED);
  });

  it('import: the same, from an ES module', async () => {
    const r = await node(['--input-type=module', '-e', `import { parse, format, lint, toArgv, quote, quoteArgv, ScriptError } from 'execline-ts';\n${USE}`]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(Buffer.from(r.stdout, 'latin1').toString('utf8'))).toEqual(EXPECTED);
  });

  it("TypeScript checks a user's code against the package's types (CommonJS and ESM, module node16)", () => {
    const code = (
      mod: 'cjs' | 'esm',
    ) => `${mod === 'cjs' ? "import api = require('execline-ts');\nconst { parse, format, toArgv, quote, quoteArgv, ScriptError } = api;" : "import { parse, format, toArgv, quote, quoteArgv, ScriptError } from 'execline-ts';"}
import type { Script, Node, Word, Block, ParseError, ParseErrorId, Position, QuoteOptions } from 'execline-ts';
const s: Script = parse('echo a');
const n: Node = s.items[0];
const w: string = n.kind === 'word' ? (n as Word).value : String((n as Block).items.length);
const p: Position = s.errors.length ? s.errors[0].span.start : { offset: 0, line: 1, column: 1 };
const id: ParseErrorId | undefined = (s.errors[0] as ParseError | undefined)?.id;
const argv: string[] = toArgv(s);
const text: string = format('echo a');
const bytes: Uint8Array = format(new Uint8Array(0));
const o: QuoteOptions = { visible: true };
const q: string = quote('a b', o) + quoteArgv(['a', 'b']);
try { format('"'); } catch (e) { if (e instanceof ScriptError) { const errs: ParseError[] = e.errors; void errs; } }
// @ts-expect-error parse takes bytes, not a number
parse(1);
// @ts-expect-error format of a string is a string
const wrong: Uint8Array = format('x');
void [w, p, id, argv, text, bytes, q, wrong];
`;
    const files = { 'use.cts': code('cjs'), 'use.mts': code('esm') };
    for (const [f, text] of Object.entries(files)) writeFileSync(join(project, f), text);
    const program = ts.createProgram(
      Object.keys(files).map((f) => join(project, f)),
      { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, types: [] },
    );
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});

describe('the types and the bundles', () => {
  it('dist/api.d.cts (interpreter/package/api.d.cts) declares each export exactly as the source has it', () => {
    const api = createRequire(import.meta.url)(join(ROOT, 'dist/api.cjs')) as Record<string, unknown>;
    const values = Object.keys(api).sort();
    const types = [
      'Block',
      'Comment',
      'Finding',
      'Fix',
      'LintOptions',
      'Node',
      'ParseError',
      'ParseErrorId',
      'Position',
      'QuoteOptions',
      'Script',
      'Severity',
      'Shebang',
      'Span',
      'TextRange',
      'Word',
    ];
    const dir = mkdtempSync(join(tmpdir(), 'elts-api-types-'));
    try {
      const check = join(dir, 'check.ts');
      writeFileSync(
        check,
        `import type * as Built from ${JSON.stringify(join(ROOT, 'dist/api.cjs'))};
import type * as Src from ${JSON.stringify(join(ROOT, 'interpreter/package/api.js'))};
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const exportsAlike: Same<Exclude<keyof typeof Built, 'default'>, keyof typeof Src> = true;
${values.map((v) => `export const value_${v}: Same<typeof Built.${v}, typeof Src.${v}> = true;`).join('\n')}
${types.map((t) => `export const type_${t}: Same<Built.${t}, Src.${t}> = true;`).join('\n')}
`,
      );
      const program = ts.createProgram([check], {
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === check)
        .map((d) => `${d.file?.text.slice(d.start ?? 0).split('\n')[0]}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      expect(diagnostics).toEqual([]);
      // It checked something: every export.
      expect(values).toEqual(expect.arrayContaining(['parse', 'format', 'lint', 'toArgv', 'ScriptError', 'quote', 'quoteArgv', 'version', 'binDir']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the run path never carries the tooling: dist/execline-core.cjs has no chevrotain and no parser, dist/api.cjs neither (it loads dist/tooling.cjs)', () => {
    const core = readFileSync(join(ROOT, 'dist/execline-core.cjs'), 'utf8');
    const api = readFileSync(join(ROOT, 'dist/api.cjs'), 'utf8');
    const tooling = readFileSync(join(ROOT, 'dist/tooling.cjs'), 'utf8');
    // What the tooling bundle has that nothing else may: chevrotain, and the parser and formatter.
    const marks = [/chevrotain/i, /EmbeddedActionsParser/, /ScriptParser/, /unterminated-quote/, /performSelfAnalysis/];
    for (const m of marks) expect(tooling).toMatch(m);
    for (const m of marks) expect(core).not.toMatch(m);
    for (const m of marks) expect(api).not.toMatch(m);
    // The licences of what dist/tooling.cjs bundles are beside it.
    const licences = readFileSync(join(ROOT, 'dist/tooling.cjs.LICENSES.txt'), 'utf8');
    expect(licences).toMatch(/^chevrotain \S+ \(Apache-2\.0\)$/m);
    expect(licences).toMatch(/Apache License\s+Version 2\.0/);
  });
});
