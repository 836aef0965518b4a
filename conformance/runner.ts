// Differential runner: runs one conformance case under the reference execline and under ours,
// and compares stdout (exact), exit status (exact) and stderr (by shape, or byte for byte).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fixture written into the run's fresh working directory before the script starts. `content` is
 * written as UTF-8, or with `encoding: "latin1"` one byte per character (for bytes that are not
 * UTF-8: "\u00e9" is the byte 0xE9).
 */
export type Fixture = string | { content?: string; encoding?: 'utf8' | 'latin1'; mode?: number; dir?: boolean; symlink?: string };

/**
 * What a case can ask to be normalized, on both sides, before comparing (stdout, stderr and the
 * `outFiles`): `bin` the side's BIN directory (e.g. in the PATH line `env` prints) becomes
 * `<bin>`; `ino` the number of an `ino:` line (in /proc/PID/fdinfo/N: each side has its own
 * fixture files) becomes `<ino>`.
 */
export type Normalization = 'bin' | 'ino';

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
  script?: string;
  /**
   * Instead of a script: the command line run directly, not through execlineb (as a run script's
   * `#!` line or sh would run a chain-loader). argv[0] is looked up in the side's BIN, then in
   * /usr/bin (a name with a `/` is used as it is). The program is the child of a session leader
   * the runner starts, so it is neither a session nor a process group leader, and has no
   * controlling terminal.
   */
  argv?: string[];
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
   * Time limit of each run in ms (default TIMEOUT_MS, at most HEAVY_TIMEOUT_MS): shorter for cases
   * whose failure mode is a hang (a pipe that never reaches EOF), so that they fail sooner;
   * longer for cases that move tens of MiB, which a loaded 2-CPU machine may take more than
   * TIMEOUT_MS to run (a limit is there to catch hangs, not to time anything).
   */
  timeoutMs?: number;
  /** Normalizations applied to both sides' output before comparing (see Normalization). */
  normalize?: Normalization[];
  /**
   * Files of the working directory read after the run (relative names): their contents must
   * agree between the two sides (a missing file reads as absent). For output a case sends to a
   * file and cannot show otherwise.
   */
  outFiles?: string[];
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
  /** Contents of the case's `outFiles` after the run (null: absent). */
  files: Record<string, Buffer | null>;
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

/** The longest limit a case may ask for (timeoutMs). */
export const HEAVY_TIMEOUT_MS = 120_000;
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
      const hasArgv = Array.isArray(c.argv) && c.argv.length > 0 && c.argv.every((a) => typeof a === 'string');
      if (typeof c.name !== 'string' || (typeof c.script === 'string') === hasArgv) {
        throw new Error(`${f}: case without a name, or without exactly one of script and argv: ${JSON.stringify(c)}`);
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
      writeFileSync(p, fx.content ?? '', fx.encoding ?? 'utf8');
      if (fx.mode !== undefined) chmodSync(p, fx.mode);
    }
  }
}

/** Name of the script file for `file: true` cases, relative to the run's working directory. */
export const SCRIPT_FILE = 'script.el';

/**
 * The runner's own session leader for `argv` cases: runs the program as its child (stdio
 * inherited) and writes how it ended to the status file, so that a death by signal is reported
 * as such.
 */
const DIRECT_WRAPPER = `
const { spawnSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const [statusFile, exe, ...args] = process.argv.slice(1);
const r = spawnSync(exe, args, { stdio: 'inherit' });
writeFileSync(statusFile, JSON.stringify({ exit: r.status, signal: r.signal, error: r.error ? r.error.message : null }));
`;

/** Where an `argv` case's program is found: the side's BIN, then /usr/bin. */
export function resolveProgram(name: string, bin: string): string {
  if (name.includes('/')) return name;
  const own = join(bin, name);
  return existsSync(own) ? own : join('/usr/bin', name);
}

/** The command line of a case, as the report shows it. */
function invocation(c: Case): string {
  if (c.argv) return c.argv.map((a) => JSON.stringify(a)).join(' ');
  return `execlineb ${[...(c.flags ?? []), ...(c.file ? [SCRIPT_FILE] : ['-c', '<script>']), ...(c.args ?? [])].map((a) => JSON.stringify(a)).join(' ')}`;
}

/** Applies the case's normalizations to a text (`bin`: the side's BIN directory). */
function normalizeText(text: string, norms: Normalization[] | undefined, bin: string): string {
  let t = text;
  for (const n of norms ?? []) {
    if (n === 'bin') t = t.split(bin).join('<bin>');
    else if (n === 'ino') t = t.replace(/^ino:(\s*)\d+$/gm, 'ino:$1<ino>');
  }
  return t;
}

/** The time limit of each run of a case, in ms. */
export function caseLimitMs(c: Case): number {
  return Math.min(c.timeoutMs ?? TIMEOUT_MS, HEAVY_TIMEOUT_MS);
}

/**
 * Runs a case in a fresh temporary working directory: its script with the execlineb found in
 * `bin`, or its `argv` directly (argv[0] found in `bin`, then /usr/bin).
 */
export function runCase(c: Case, bin: string, script: string | undefined = c.script): Promise<RunResult> {
  const cwd = mkdtempSync(join(tmpdir(), 'elconf-'));
  const cwdNames = [...new Set([realpathSync(cwd), cwd])];
  const limitMs = caseLimitMs(c);
  writeFixtures(cwd, c.files);
  const statusFile = `${cwd}.status`;
  let exe: string;
  const argv: string[] = [];
  if (c.argv) {
    exe = process.execPath;
    argv.push('-e', DIRECT_WRAPPER, '--', statusFile, resolveProgram(c.argv[0], bin), ...c.argv.slice(1));
  } else {
    exe = join(bin, 'execlineb');
    argv.push(...(c.flags ?? []));
    if (c.file) {
      writeFileSync(join(cwd, SCRIPT_FILE), script ?? '');
      argv.push(SCRIPT_FILE);
    } else {
      argv.push('-c', script ?? '');
    }
    argv.push(...(c.args ?? []));
  }
  const env: Record<string, string> = { PATH: `${bin}:/usr/bin:/bin`, ...(c.env ?? {}) };
  const cleanup = () => {
    rmSync(cwd, { recursive: true, force: true });
    rmSync(statusFile, { force: true });
  };
  return new Promise((resolvePromise, reject) => {
    const child = spawn(exe, argv, {
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
      let exit = code;
      let sig = signal;
      if (c.argv && !timedOut) {
        // How the program itself ended, as the wrapper saw it.
        let st: { exit: number | null; signal: NodeJS.Signals | null; error: string | null } | undefined;
        try {
          st = JSON.parse(readFileSync(statusFile, 'utf8'));
        } catch {
          st = undefined;
        }
        if (st?.error) {
          cleanup();
          reject(new Error(`cannot run ${resolveProgram(c.argv[0], bin)}: ${st.error}`));
          return;
        }
        if (st) {
          exit = st.exit;
          sig = st.signal;
        }
      }
      const files: Record<string, Buffer | null> = {};
      for (const name of c.outFiles ?? []) {
        try {
          files[name] = Buffer.from(normalizeText(readFileSync(join(cwd, name)).toString('latin1'), c.normalize, bin), 'latin1');
        } catch {
          files[name] = null;
        }
      }
      cleanup();
      let stderr = Buffer.concat(err).toString('utf8');
      for (const name of cwdNames) stderr = stderr.split(name).join(TMP_MARK);
      stderr = normalizeText(stderr, c.normalize, bin);
      let stdout = Buffer.concat(out);
      if (c.normalize?.length) stdout = Buffer.from(normalizeText(stdout.toString('latin1'), c.normalize, bin), 'latin1');
      resolvePromise({ stdout, stderr, exit, signal: sig, timedOut, limitMs, files });
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
      cleanup();
      reject(new Error(`cannot run ${exe}: ${e.message}`));
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
  const lines = [`case: ${c.name}${c.note ? ` — ${c.note}` : ''}`, `invocation: ${invocation(c)}`];
  if (c.script !== undefined) lines.push('script:', indent(c.script));
  if (c.refScript !== undefined) lines.push('reference script:', indent(c.refScript));
  if (c.stderrExact) lines.push('stderr compared byte for byte');
  if (c.stderrNames) lines.push(`reference names mapped: ${JSON.stringify(c.stderrNames)}`);
  if (c.env) lines.push(`env: ${JSON.stringify(c.env)}`);
  if (c.stdin !== undefined) lines.push(`stdin: ${JSON.stringify(c.stdin)}`);
  if (c.files) lines.push(`files: ${JSON.stringify(c.files)}`);
  if (c.normalize) lines.push(`normalized: ${c.normalize.join(', ')}`);
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
  const fileLines: string[] = [];
  for (const name of c.outFiles ?? []) {
    const [rf, of] = [ref.files[name], ours.files[name]];
    if (rf === null || of === null ? rf !== of : !rf.equals(of)) problems.push(`file ${name} differs`);
    for (const [side, f] of [
      ['reference', rf],
      ['ours', of],
    ] as const) {
      fileLines.push(`${side}'s ${name}:`, f === null ? '    (absent)' : fmtBytes(f));
    }
  }
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
    ...fileLines,
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
