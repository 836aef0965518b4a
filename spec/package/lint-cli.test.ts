// `execline-ts lint` and `execline-ts fmt`, through the built bin/execline-ts: the output formats
// (text, JSON, SARIF 2.1.0), stdin, the exit codes (0 clean, 1 findings, 2 usage or I/O error,
// the message on stderr and no stack trace), fmt in place and --check; and the run path's bundle
// carries none of the tooling.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, ROOT, spawnAsync } from '../helpers.js';

const CLI = join(ROOT, 'bin/execline-ts');
let dir = '';

const BAD = '#!/command/execlineb -P\nmy-daemon 2>&1\n';
const FINISH = '#!/command/execlineb -P\ns6-echo "exit ${1}"\n';
const CLEAN = '#!/command/execlineb -P\nfdmove -c 2 1\nmy-daemon\n';

beforeAll(() => {
  dir = mkdtempSync('/tmp/elts-lint-');
  writeFileSync(join(dir, 'bad'), BAD);
  writeFileSync(join(dir, 'finish'), FINISH);
  writeFileSync(join(dir, 'clean'), CLEAN);
  // a multibyte character before the finding: bytes in text and JSON, UTF-16 code units in SARIF
  writeFileSync(join(dir, 'utf8'), '#!/command/execlineb -P\ns6-echo "été" $HOME\n');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], input?: string) {
  return spawnAsync(CLI, args, { env: {}, cwd: dir, timeout: 60000, input });
}

describe('execline-ts lint', () => {
  it('text: FILE:LINE:COL: severity: message [ID], exit 1 on findings', async () => {
    const r = await cli(['lint', 'bad', 'finish']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^bad:2:11: error: "2>&1" is not an operator in execline: .* \[EL202\]$/);
    expect(lines[1]).toMatch(/^finish:2:15: error: .*-S1 \[EL402\]$/);
    expect(lines).toHaveLength(2);
  });

  it('a clean file: no output, exit 0', async () => {
    const r = await cli(['lint', 'clean']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('json: a list of findings, with the fix where it is safe', async () => {
    const r = await cli(['lint', '--format', 'json', 'finish', 'clean']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual([
      {
        file: 'finish',
        line: 2,
        column: 15,
        endLine: 2,
        endColumn: 19,
        severity: 'error',
        id: 'EL402',
        message: expect.stringContaining('-S1'),
        fix: { range: { line: 1, column: 22, endLine: 1, endColumn: 24, offset: 21, endOffset: 23 }, replacement: '-S1' },
      },
    ]);
    const clean = await cli(['lint', '--format=json', 'clean']);
    expect([clean.status, JSON.parse(clean.stdout)]).toEqual([0, []]);
  });

  it('columns are bytes in text and JSON, UTF-16 code units in SARIF', async () => {
    const t = await cli(['lint', 'utf8']);
    expect(t.stdout).toMatch(/^utf8:2:17: warning: .* \[EL301\]\n$/);
    const s = JSON.parse((await cli(['lint', '--format', 'sarif', 'utf8'])).stdout);
    expect(s.runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 2, startColumn: 15, endLine: 2, endColumn: 20 });
  });

  it('sarif: SARIF 2.1.0 with the rules and the results', async () => {
    const r = await cli(['lint', '--format', 'sarif', 'bad', 'finish', 'clean']);
    expect(r.status).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.$schema).toMatch(/sarif-2\.1\.0/);
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe('execline-ts lint');
    const rules: Array<{ id: string; shortDescription: { text: string }; helpUri: string }> = run.tool.driver.rules;
    expect(rules.length).toBeGreaterThan(25);
    for (const rule of rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.helpUri).toMatch(new RegExp(`docs/lint/${rule.id}\\.md$`));
    }
    expect(run.results).toHaveLength(2);
    const [bad, finish] = run.results;
    expect(bad).toMatchObject({
      ruleId: 'EL202',
      level: 'error',
      message: { text: expect.stringContaining('2>&1') },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad' }, region: { startLine: 2, startColumn: 11, endLine: 2, endColumn: 15 } } }],
    });
    expect(rules[bad.ruleIndex].id).toBe('EL202');
    expect(finish.fixes[0].artifactChanges[0].replacements[0]).toEqual({ deletedRegion: { byteOffset: 21, byteLength: 2 }, insertedContent: { text: '-S1' } });
  });

  it('- reads stdin; --stdin-filename names it', async () => {
    const r = await cli(['lint', '-'], FINISH);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^-:2:15: error: .* \[EL302\]\n$/);
    const named = await cli(['lint', '--stdin-filename', 'svc/finish', '-'], FINISH);
    expect(named.stdout).toMatch(/^svc\/finish:2:15: error: .* \[EL402\]\n$/);
  });

  it('a file that cannot be read: exit 2, the message on stderr, the other files still linted', async () => {
    const r = await cli(['lint', 'missing', 'bad']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('execline-ts: fatal: unable to read missing: No such file or directory\n');
    expect(r.stdout).toMatch(/^bad:2:11: /);
    const d = await cli(['lint', '.']);
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/^execline-ts: fatal: unable to read \.: /);
    expect(hasStackTrace(d.stderr)).toBe(false);
  });

  it('usage errors exit 2 with one line on stderr', async () => {
    for (const args of [['lint'], ['lint', '--format', 'xml', 'bad'], ['lint', '--bogus', 'bad'], ['lint', '--format']]) {
      const r = await cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^execline-ts: (fatal|usage): .*execline-ts lint .*\n$/);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it('the other commands still work', async () => {
    expect((await cli(['--version'])).status).toBe(0);
    expect((await cli(['--help'])).stdout).toMatch(/lint FILE\.\.\./);
    const r = await cli(['s6-echo', 'hi']);
    expect([r.status, r.stdout]).toEqual([0, 'hi\n']);
    expect((await cli(['nope'])).status).toBe(100);
  });
});

describe('execline-ts fmt', () => {
  it('--check lists the files that would change and exits 1; fmt rewrites them in place; then --check is clean', async () => {
    const f = join(dir, 'messy');
    writeFileSync(f, '#!/command/execlineb -P\nforeground   {  s6-echo   hi } \n  my-daemon\n');
    chmodSync(f, 0o755);
    const check = await cli(['fmt', '--check', 'messy', 'clean']);
    expect([check.status, check.stdout, check.stderr]).toEqual([1, 'messy\n', '']);
    expect(readFileSync(f, 'utf8')).toMatch(/foreground {3}\{/);
    const r = await cli(['fmt', 'messy', 'clean']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(readFileSync(f, 'utf8')).not.toBe('#!/command/execlineb -P\nforeground   {  s6-echo   hi } \n  my-daemon\n');
    expect(statSync(f).mode & 0o777).toBe(0o755);
    const again = await cli(['fmt', '--check', 'messy', 'clean']);
    expect([again.status, again.stdout]).toEqual([0, '']);
  });

  it('- formats stdin to stdout', async () => {
    const r = await cli(['fmt', '-'], 'foreground   {  s6-echo   hi }\nmy-daemon\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^foreground \{/);
  });

  it('a script execlineb refuses, a missing file, no file: exit 2 and a message', async () => {
    writeFileSync(join(dir, 'broken'), 'foreground { s6-echo hi\n');
    const r = await cli(['fmt', 'broken']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^execline-ts: fatal: unable to format broken: .*\n$/);
    const m = await cli(['fmt', 'missing']);
    expect([m.status, m.stderr]).toEqual([2, 'execline-ts: fatal: unable to read missing: No such file or directory\n']);
    expect((await cli(['fmt'])).status).toBe(2);
  });
});

describe('deep scripts', () => {
  it('lint and fmt a script nested 100,000 deep', async () => {
    const N = 100_000;
    const deep = `#!/command/execlineb -P\n${'foreground { '.repeat(N)}s6-echo $HOME${' }'.repeat(N)}\n`;
    writeFileSync(join(dir, 'deep'), deep);
    writeFileSync(join(dir, 'deep-fmt'), deep);
    const [l, f] = await Promise.all([cli(['lint', 'deep']), cli(['fmt', 'deep-fmt'])]);
    expect([l.status, l.stderr]).toEqual([1, '']);
    expect(l.stdout).toMatch(new RegExp(`^deep:2:${13 * N + 9}: warning: no substitution binds HOME here.* \\[EL301\\]\n$`));
    expect([f.status, f.stdout, f.stderr]).toEqual([0, '', '']);
    const lines = readFileSync(join(dir, 'deep-fmt'), 'latin1').split('\n');
    expect(lines.length).toBe(2 * N + 3);
    expect(lines.slice(0, 3)).toEqual(['#!/command/execlineb -P', 'foreground {', '  foreground {']);
    expect(lines[N + 1]).toBe(`${' '.repeat(200)}s6-echo $HOME`);
    expect(lines.slice(-3)).toEqual(['  }', '}', '']);
  });
});

describe('bundles', () => {
  it('the run path bundle carries neither the linter nor the parser', () => {
    const core = readFileSync(join(ROOT, 'dist/execline-core.cjs'), 'utf8');
    expect(core).not.toMatch(/chevrotain/i);
    expect(core).not.toContain('EL301');
    const tooling = readFileSync(join(ROOT, 'dist/tooling.cjs'), 'utf8');
    expect(tooling).toContain('EL301');
  });

  it('the run path bundle carries neither the CLI nor the installer: they are in execline-cli.cjs, loaded by execline-ts alone', () => {
    const core = readFileSync(join(ROOT, 'dist/execline-core.cjs'), 'utf8');
    for (const s of ['RUNTIME_FILES', 'uninstall', 'stdin-filename', 'writeLaunchers']) expect(core, s).not.toContain(s);
    expect(core).toContain('require("./execline-cli.cjs")');
    const cliBundle = readFileSync(join(ROOT, 'dist/execline-cli.cjs'), 'utf8');
    for (const s of ['RUNTIME_FILES', 'uninstall', 'stdin-filename', 'writeLaunchers']) expect(cliBundle, s).toContain(s);
  });
});
