// Differential runner: runs one conformance case under the reference execline and under ours,
// and compares stdout (exact), exit status (exact) and stderr (by shape, or byte for byte).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A fixture written into the run's fresh working directory before the script starts. */
export type Fixture = string | { content?: string; mode?: number; dir?: boolean; symlink?: string };

/** What a case expects when the reference cannot run it (commands absent from Debian's packages). */
export interface Expectation {
  stdout: string;
  exit: number;
  /** Diagnostic lines as "prog: kind" (e.g. "s6-echo: usage"); default: none. */
  stderr?: string[];
}

/** One conformance case, as stored in cases/*.json. */
export interface Case {
  name: string;
  /** execlineb script text: given with -c, or written to a file when `file` is true. */
  script: string;
  /** Script run under the reference instead of `script` (e.g. s6-test rewritten to eltest). */
  refScript?: string;
  /** Renames program names in the reference's stderr shape, e.g. {"eltest": "s6-test"}. */
  stderrNames?: Record<string, string>;
  file?: boolean;
  /** execlineb options placed before -c / the file name, e.g. ["-P"] or ["-S1"]. */
  flags?: string[];
  /** Positional arguments after the script. */
  args?: string[];
  stdin?: string;
  /** Extra environment variables on top of PATH. */
  env?: Record<string, string>;
  /** Files, directories and symlinks created in the fresh working directory. */
  files?: Record<string, Fixture>;
  ignoreStderr?: boolean;
  /**
   * Compare the whole stderr text byte for byte instead of its shape (the run's working directory
   * is replaced by `<tmp>` on both sides first). For messages the reference prints deterministically.
   */
  stderrExact?: boolean;
  /**
   * Time limit of each run in ms, at most TIMEOUT_MS: for cases whose failure mode is a hang
   * (a pipe that never reaches EOF), so that they fail sooner.
   */
  timeoutMs?: number;
  /** Hand-written expectation; when present the reference is not run. */
  expect?: Expectation;
  /** Free-form explanation of what the case checks. */
  note?: string;
}

/** A case together with the file it came from. */
export interface LoadedCase extends Case {
  group: string;
}

/** The observable result of one run. */
export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exit: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The time limit the run had, in ms. */
  limitMs: number;
}

/** (program name, kind) pairs extracted from stderr. */
export type Shape = Array<[string, string]>;

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..');
export const casesDir = join(here, 'cases');

/** Directory holding the reference execline commands. */
export const refBin = process.env.CONFORMANCE_REF_BIN ?? '/usr/lib/execline/bin';
/** Directory holding our commands; point it at a reference copy to self-test the harness. */
export const oursBin = process.env.CONFORMANCE_OURS_BIN ?? join(repoRoot, 'bin');
/** Per-run time limit. */
export const TIMEOUT_MS = 10_000;
/**
 * After the time limit kills the run's process group, how long to wait for its output pipes to
 * close. A process that left the group (a new session) may hold them open forever: the run then
 * ends anyway, as a timeout, instead of hanging the suite.
 */
const GRACE_MS = 1_000;
/** What the run's working directory is replaced by in stderr. */
export const TMP_MARK = '<tmp>';
/** Bytes of stdout and of stderr kept per run. */
const MAX_CAPTURE = 4 << 20;

/** Loads every case file, sorted by file name, each case tagged with its group. */
export function loadCases(dir: string = casesDir): LoadedCase[] {
  const out: LoadedCase[] = [];
  const seen = new Set<string>();
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.json'))
    .sort()) {
    const group = f.replace(/\.json$/, '');
    const list = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Case[];
    if (!Array.isArray(list)) throw new Error(`${f}: expected an array of cases`);
    for (const c of list) {
      if (typeof c.name !== 'string' || typeof c.script !== 'string') {
        throw new Error(`${f}: case without name or script: ${JSON.stringify(c)}`);
      }
      if (seen.has(c.name)) throw new Error(`${f}: duplicate case name ${c.name}`);
      seen.add(c.name);
      out.push({ ...c, group });
    }
  }
  return out;
}

function writeFixtures(cwd: string, files: Record<string, Fixture> | undefined): void {
  if (!files) return;
  for (const [name, fx] of Object.entries(files)) {
    const p = join(cwd, name);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof fx === 'string') {
      writeFileSync(p, fx);
    } else if (fx.dir) {
      mkdirSync(p, { recursive: true });
      if (fx.mode !== undefined) chmodSync(p, fx.mode);
    } else if (fx.symlink !== undefined) {
      symlinkSync(fx.symlink, p);
    } else {
      writeFileSync(p, fx.content ?? '');
      if (fx.mode !== undefined) chmodSync(p, fx.mode);
    }
  }
}

/** Name of the script file for `file: true` cases, relative to the run's working directory. */
export const SCRIPT_FILE = 'script.el';

/** Runs a case with the execlineb found in `bin`, in a fresh temporary working directory. */
export function runCase(c: Case, bin: string, script: string = c.script): Promise<RunResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'elconf-'));
  const cwdNames = [...new Set([realpathSync(cwd), cwd])];
  const limitMs = Math.min(c.timeoutMs ?? TIMEOUT_MS, TIMEOUT_MS);
  writeFixtures(cwd, c.files);
  const argv: string[] = [...(c.flags ?? [])];
  if (c.file) {
    writeFileSync(join(cwd, SCRIPT_FILE), script);
    argv.push(SCRIPT_FILE);
  } else {
    argv.push('-c', script);
  }
  argv.push(...(c.args ?? []));
  const env: Record<string, string> = { PATH: `${bin}:/usr/bin:/bin`, ...(c.env ?? {}) };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(join(bin, 'execlineb'), argv, {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let done = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      // Reap stragglers (e.g. `background` children) so they cannot disturb the next run.
      killGroup();
      child.stdout.destroy();
      child.stderr.destroy();
      rmSync(cwd, { recursive: true, force: true });
      let stderr = Buffer.concat(err).toString('utf8');
      for (const name of cwdNames) stderr = stderr.split(name).join(TMP_MARK);
      resolvePromise({ stdout: Buffer.concat(out), stderr, exit: code, signal, timedOut, limitMs });
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      graceTimer = setTimeout(() => finish(child.exitCode, child.signalCode), GRACE_MS);
    }, limitMs);
    // Keep at most MAX_CAPTURE bytes of each stream: a runaway script must not exhaust memory.
    let outLen = 0;
    let errLen = 0;
    child.stdout.on('data', (b: Buffer) => {
      if (outLen < MAX_CAPTURE) out.push(b);
      outLen += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errLen < MAX_CAPTURE) err.push(b);
      errLen += b.length;
    });
    child.stdin.on('error', () => {
      /* the script may not read its stdin */
    });
    child.on('error', (e) => {
      done = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      rmSync(cwd, { recursive: true, force: true });
      reject(new Error(`cannot run ${join(bin, 'execlineb')}: ${e.message}`));
    });
    child.on('close', (code, signal) => finish(code, signal));
    child.stdin.end(c.stdin ?? '');
  });
}

const SHAPE_RE = /^([^:\s]+): (fatal|warning|usage|info):/;
const STACK_RE = /^\s+at .*\(.*:\d+:\d+\)$/;

/** The stderr shape: one (name, kind) pair per line that looks like an execline diagnostic. */
export function stderrShape(stderr: string): Shape {
  const shape: Shape = [];
  for (const line of stderr.split('\n')) {
    const m = SHAPE_RE.exec(line);
    if (m) shape.push([m[1], m[2]]);
  }
  return shape;
}

/** True when stderr shows a JavaScript stack trace or a Node internal error. */
export function hasStackTrace(stderr: string): boolean {
  return stderr.split('\n').some((l) => STACK_RE.test(l) || l.includes('node:internal'));
}

function fmtStatus(r: RunResult): string {
  if (r.timedOut) return `timed out after ${r.limitMs} ms`;
  return r.signal ? `killed by ${r.signal}` : `exit ${r.exit}`;
}

const MAX_SHAPE = 20;
const MAX_LINES = 60;

function fmtShape(s: Shape): string {
  if (!s.length) return '(none)';
  const shown = s
    .slice(0, MAX_SHAPE)
    .map(([n, k]) => `${n}: ${k}`)
    .join(', ');
  return s.length > MAX_SHAPE ? `${shown}, ... (${s.length} in all)` : shown;
}

/** Prefixes each line for the report, keeping at most MAX_LINES of them. */
function block(lines: string[]): string {
  const shown = lines.slice(0, MAX_LINES).map((l) => `    | ${l}`);
  if (lines.length > MAX_LINES) shown.push(`    ... (${lines.length - MAX_LINES} more lines)`);
  return shown.join('\n');
}

function fmtBytes(b: Buffer): string {
  const s = b.toString('utf8');
  // Show control characters visibly but keep newlines as line breaks.
  const vis = s.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return vis.length ? block(vis.split('\n')) : '    (empty)';
}

function indent(s: string): string {
  return s.length ? block(s.replace(/\n$/, '').split('\n')) : '    (empty)';
}

/** Outcome of comparing one case. */
export interface Verdict {
  ok: boolean;
  problems: string[];
  report: string;
}

function describeCase(c: Case): string {
  const lines = [
    `case: ${c.name}${c.note ? ` — ${c.note}` : ''}`,
    `invocation: execlineb ${[...(c.flags ?? []), ...(c.file ? [SCRIPT_FILE] : ['-c', '<script>']), ...(c.args ?? [])].map((a) => JSON.stringify(a)).join(' ')}`,
    `script:`,
    indent(c.script),
  ];
  if (c.refScript !== undefined) lines.push('reference script:', indent(c.refScript));
  if (c.stderrExact) lines.push('stderr compared byte for byte');
  if (c.stderrNames) lines.push(`reference names mapped: ${JSON.stringify(c.stderrNames)}`);
  if (c.env) lines.push(`env: ${JSON.stringify(c.env)}`);
  if (c.stdin !== undefined) lines.push(`stdin: ${JSON.stringify(c.stdin)}`);
  if (c.files) lines.push(`files: ${JSON.stringify(c.files)}`);
  return lines.join('\n');
}

/** Compares our run with the reference run of the same case. */
export function compareRuns(c: Case, ref: RunResult, ours: RunResult): Verdict {
  const problems: string[] = [];
  if (ref.timedOut) problems.push('reference timed out (broken case)');
  if (ours.timedOut) problems.push('ours timed out');
  if (!ref.stdout.equals(ours.stdout)) problems.push('stdout differs');
  if (ref.exit !== ours.exit || ref.signal !== ours.signal) problems.push('exit status differs');
  if (hasStackTrace(ours.stderr)) problems.push('ours printed a JavaScript stack trace');
  const rs: Shape = stderrShape(ref.stderr).map(([n, k]) => [c.stderrNames?.[n] ?? n, k]);
  const os = stderrShape(ours.stderr);
  if (c.stderrExact) {
    if (ref.stderr !== ours.stderr) problems.push('stderr text differs');
  } else if (!c.ignoreStderr && JSON.stringify(rs) !== JSON.stringify(os)) problems.push('stderr shape differs');
  const report = [
    describeCase(c),
    `problems: ${problems.join('; ') || 'none'}`,
    `reference: ${fmtStatus(ref)}; stderr shape: ${fmtShape(rs)}`,
    `  stdout:`,
    fmtBytes(ref.stdout),
    `  stderr:`,
    indent(ref.stderr),
    `ours: ${fmtStatus(ours)}; stderr shape: ${fmtShape(os)}`,
    `  stdout:`,
    fmtBytes(ours.stdout),
    `  stderr:`,
    indent(ours.stderr),
  ].join('\n');
  return { ok: problems.length === 0, problems, report };
}

/** Compares our run with a hand-written expectation. */
export function compareExpect(c: Case, exp: Expectation, ours: RunResult): Verdict {
  const problems: string[] = [];
  if (ours.timedOut) problems.push('ours timed out');
  if (!ours.stdout.equals(Buffer.from(exp.stdout))) problems.push('stdout differs from expectation');
  if (ours.signal !== null || ours.exit !== exp.exit) problems.push('exit status differs from expectation');
  if (hasStackTrace(ours.stderr)) problems.push('ours printed a JavaScript stack trace');
  const want: Shape = (exp.stderr ?? []).map((s) => {
    const [n, k] = s.split(': ');
    return [n, k];
  });
  const os = stderrShape(ours.stderr);
  if (!c.ignoreStderr && JSON.stringify(want) !== JSON.stringify(os)) problems.push('stderr shape differs from expectation');
  const report = [
    describeCase(c),
    `problems: ${problems.join('; ') || 'none'}`,
    `expected: exit ${exp.exit}; stderr shape: ${fmtShape(want)}`,
    `  stdout:`,
    fmtBytes(Buffer.from(exp.stdout)),
    `ours: ${fmtStatus(ours)}; stderr shape: ${fmtShape(os)}`,
    `  stdout:`,
    fmtBytes(ours.stdout),
    `  stderr:`,
    indent(ours.stderr),
  ].join('\n');
  return { ok: problems.length === 0, problems, report };
}

/** Runs a case on both sides (or ours against its expectation) and returns the verdict. */
export async function checkCase(c: Case): Promise<Verdict> {
  if (c.expect) {
    const ours = await runCase(c, oursBin);
    return compareExpect(c, c.expect, ours);
  }
  const [ref, ours] = await Promise.all([runCase(c, refBin, c.refScript ?? c.script), runCase(c, oursBin)]);
  return compareRuns(c, ref, ours);
}

/** Selects cases by the CASE environment variable: comma-separated names, `group/` or `/regex/`. */
export function filterCases(cases: LoadedCase[], filter: string | undefined = process.env.CASE): LoadedCase[] {
  if (!filter) return cases;
  const parts = filter
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return cases.filter((c) =>
    parts.some((p) => {
      if (p.length > 2 && p.startsWith('/') && p.endsWith('/')) return new RegExp(p.slice(1, -1)).test(c.name);
      if (p.endsWith('/')) return c.group === p.slice(0, -1);
      return c.name === p;
    }),
  );
}
