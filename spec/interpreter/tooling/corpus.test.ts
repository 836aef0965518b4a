// The linter against a corpus of s6 / s6-overlay service scripts written independently of it
// (issue 13): 30 correct scripts (run, finish, log/run, cont-init, s6-rc up files) that must give no
// error or warning, and 30 buggy ones, each with one or two of the mistakes users make and a
// NAME.expect file beside it listing `LINE kind` for every finding expected. The kinds are the
// issue's words; KIND_TO_ID maps them to rule IDs as docs/lint/ describes them.
//
// The correct scripts are also checked against the reference execlineb (when installed): it must
// accept each one, and for the -P ones (and s6-rc up files) build the same argv as toArgv. The buggy
// ones must be refused by it exactly when they contain a structural mistake.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toArgv } from '../../../interpreter/tooling/cst.js';
import { lint } from '../../../interpreter/tooling/lint.js';
import { parse } from '../../../interpreter/tooling/parse.js';

const CORPUS = join(__dirname, 'corpus');
const REFERENCE = '/usr/lib/execline/bin/execlineb';

/** The mistake kinds and the rule that docs/lint/ says reports each one. */
const KIND_TO_ID: Record<string, string> = {
  'shell-quote': 'EL201',
  'shell-redirect': 'EL202',
  'shell-export': 'EL203',
  'shell-param-expansion': 'EL204',
  'shell-command-subst': 'EL205',
  'shell-backslash': 'EL206',
  'unbound-variable': 'EL301',
  'positional-in-P': 'EL302',
  'unused-import': 'EL304',
  'unterminated-block': 'EL101',
  'stray-brace': 'EL102',
  'shebang-args': 'EL111',
  'shebang-not-first': 'EL110',
  crlf: 'EL112',
  'unterminated-quote': 'EL100',
  'setuidgid-group': 'EL401',
  'finish-args': 'EL402',
  'if-n-eltest': 'EL403',
  'removed-command': 'EL404',
};

/** Kinds that make execlineb refuse the script. */
const STRUCTURAL = new Set(['unterminated-block', 'stray-brace', 'unterminated-quote']);

/**
 * Cases where the linter disagrees with the corpus and the linter is judged wrong (a false positive
 * or a miss). They are skipped, with the reason, until the linter is fixed: remove an entry then.
 */
const KNOWN: Record<string, string> = {};

interface Case {
  /** buggy/NAME/FILE or correct/NAME/FILE */
  name: string;
  path: string;
  text: string;
}

function cases(kind: 'buggy' | 'correct'): Case[] {
  const out: Case[] = [];
  const root = join(CORPUS, kind);
  for (const dir of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, dir)).sort()) {
      if (file.endsWith('.expect')) continue;
      const path = join(root, dir, file);
      out.push({ name: relative(CORPUS, path), path, text: readFileSync(path, 'latin1') });
    }
  }
  return out;
}

/** Errors and warnings, as `LINE ID`, sorted. */
function reported(c: Case): string[] {
  return lint(c.text, { file: c.path })
    .filter((f) => f.severity === 'error' || f.severity === 'warning')
    .map((f) => `${f.line} ${f.id}`)
    .sort(byLine);
}

function expected(c: Case): { findings: string[]; kinds: string[] } {
  const lines = readFileSync(`${c.path}.expect`, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const kinds: string[] = [];
  const findings = lines.map((l) => {
    const m = /^(\d+) (\S+)$/.exec(l);
    if (!m) throw new Error(`${c.name}.expect: bad line ${JSON.stringify(l)}`);
    const id = KIND_TO_ID[m[2]];
    if (!id) throw new Error(`${c.name}.expect: unknown kind ${m[2]}`);
    kinds.push(m[2]);
    return `${m[1]} ${id}`;
  });
  return { findings: findings.sort(byLine), kinds };
}

function byLine(a: string, b: string): number {
  return Number.parseInt(a, 10) - Number.parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The execlineb option of the #! line (-P, -S1...), -P for a file without one (an s6-rc up file). */
function execlinebOption(text: string): string {
  const m = /^#![^\n]*execlineb[ \t]+(-[A-Za-z0-9]+)/.exec(text);
  return m ? m[1].replace(/\r$/, '') : '-P';
}

const buggy = cases('buggy');
const correct = cases('correct');

describe('lint corpus', () => {
  it('has 30 buggy scripts, each with an expectation, and 30 correct ones', () => {
    expect(buggy).toHaveLength(30);
    expect(correct).toHaveLength(30);
    for (const c of buggy) expect(existsSync(`${c.path}.expect`), c.name).toBe(true);
    for (const name of Object.keys(KNOWN)) expect([...buggy, ...correct].map((c) => c.name)).toContain(name);
  });

  describe('correct scripts: no error or warning', () => {
    for (const c of correct) {
      const known = KNOWN[c.name];
      it.skipIf(known !== undefined)(known ? `${c.name} [KNOWN: ${known}]` : c.name, () => {
        const findings = lint(c.text, { file: c.path })
          .filter((f) => f.severity === 'error' || f.severity === 'warning')
          .map((f) => `${f.line}:${f.column} ${f.severity} ${f.id} ${f.message}`);
        expect(findings).toEqual([]);
      });
    }
  });

  describe('buggy scripts: exactly the expected errors and warnings', () => {
    for (const c of buggy) {
      const known = KNOWN[c.name];
      it.skipIf(known !== undefined)(known ? `${c.name} [KNOWN: ${known}]` : c.name, () => {
        expect(reported(c)).toEqual(expected(c).findings);
      });
    }
  });
});

describe('corpus against execlineb', () => {
  const haveReference = existsSync(REFERENCE);
  const dir = mkdtempSync(join(tmpdir(), 'lint-corpus-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the reference on the script with PATH holding only an argv dumper named as its first word. */
  function reference(c: Case, first?: string): { status: number | null; stderr: string; argv?: string[] } {
    const bin = join(dir, 'bin');
    rmSync(bin, { recursive: true, force: true });
    mkdirSync(bin, { recursive: true });
    const out = join(dir, 'argv');
    rmSync(out, { force: true });
    if (first !== undefined && !first.includes('/')) {
      writeFileSync(join(bin, first), '#!/bin/sh\nprintf \'%s\\0\' "$@" > "$DUMP_ARGV"\n');
      chmodSync(join(bin, first), 0o755);
    }
    const r = spawnSync(REFERENCE, [execlinebOption(c.text), c.path, '0', '0', basename(c.path)], {
      env: { PATH: bin, DUMP_ARGV: out },
      encoding: 'latin1',
    });
    const argv = existsSync(out) ? readFileSync(out, 'latin1').split('\0').slice(0, -1) : undefined;
    return { status: r.status, stderr: r.stderr, argv };
  }

  describe('correct scripts parse, and the reference builds the same argv', () => {
    for (const c of correct) {
      it.skipIf(!haveReference)(c.name, () => {
        const script = parse(c.text);
        expect(script.errors).toEqual([]);
        const argv = toArgv(script);
        const r = reference(c, argv[0]);
        expect(r.status, r.stderr).not.toBe(100);
        expect(r.stderr).not.toMatch(/syntax error|unmatched/);
        if (execlinebOption(c.text) === '-P') {
          expect(r.argv, r.stderr).toEqual(argv.slice(1));
        }
      });
    }
  });

  describe('buggy scripts are refused by execlineb exactly when their mistake is structural', () => {
    for (const c of buggy) {
      it.skipIf(!haveReference)(c.name, () => {
        const structural = expected(c).kinds.some((k) => STRUCTURAL.has(k));
        const r = reference(c);
        if (structural) expect(r.stderr).toMatch(/syntax error|unmatched/);
        else expect(r.stderr).not.toMatch(/syntax error|unmatched/);
      });
    }
  });
});
