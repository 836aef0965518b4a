// `execline-ts`: the multicall CLI beside the commands.
//   execline-ts --version | --help
//   execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR
//   execline-ts uninstall DIR
//   execline-ts lint [--format text|json|sarif] [--stdin-filename NAME] FILE... | -
//   execline-ts fmt [--check] FILE... | -
//   execline-ts COMMAND ARGS...        runs one of the commands (as busybox does)
// Exit codes follow the commands': 0 done, 100 usage or refused, 111 the system failed; lint and
// fmt follow linters': 0 clean, 1 findings (or files to format), 2 usage or I/O error. Every
// message is one line, in skarnet's shape (`execline-ts: fatal: ...`, `execline-ts: usage: ...`).
// lint and fmt load the tooling (the parser, with chevrotain) from its own bundle on first use
// (loadTooling): running a command never loads it.
import { dirname, join } from 'node:path';
import { readFileSync, realpathSync, writeFileSync, writeSync } from 'node:fs';
import { strerror } from '../command/errors.js';
import { allNames } from '../command/registry.js';
import { getSelfPath } from '../runtime/self.js';
import { CLI_NAME, InstallError, findTree, install, isPathSafe, readManifest, treePlan, uninstall, type InstallOptions } from './install.js';
import { loadTooling } from './tooling.js';

declare const EXECLINE_TS_VERSION: string;

/** The package version, written into the bundle by the build. */
export const VERSION = typeof EXECLINE_TS_VERSION === 'string' ? EXECLINE_TS_VERSION : '0.0.0-dev';

const USAGE = {
  all: 'execline-ts --version | --help | install [--layout flat|debian] [--force] [--node PATH] DIR | lint [--format text|json|sarif] FILE... | fmt [--check] FILE... | uninstall DIR | COMMAND [ARGS...]',
  install: 'execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR',
  uninstall: 'execline-ts uninstall DIR',
  lint: 'execline-ts lint [--format text|json|sarif] [--stdin-filename NAME] FILE... | -',
  fmt: 'execline-ts fmt [--check] FILE... | -',
};

/** A usage error: one line, exit 100 (2 for lint and fmt). */
class Usage extends Error {
  constructor(
    public readonly usage: string,
    public readonly why?: string,
    public readonly code = 100,
  ) {
    super(why ?? usage);
  }
}

function write(fd: 1 | 2, s: string | Buffer): void {
  const b = typeof s === 'string' ? Buffer.from(s) : s;
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
}

function where(): string {
  const runtime = dirname(realpathSync(getSelfPath()));
  const m = readManifest(runtime);
  if (m) {
    const top = m.layout === 'flat' ? dirname(runtime) : dirname(dirname(runtime));
    const plan = treePlan(top, m.layout);
    return `installed (${m.layout} layout) in ${plan.commands}${m.layout === 'debian' ? `, with execlineb and execline-ts in ${join(top, 'bin')}` : ''}; runtime in ${plan.runtime}`;
  }
  return `running from ${join(dirname(runtime), 'bin')} (a checkout or the npm package; npm links the names marked * onto PATH)`;
}

function help(): string {
  const names = allNames();
  const lines: string[] = [];
  let line = ' ';
  for (const n of names) {
    const w = ` ${n}${isPathSafe(n) ? '*' : ''}`;
    if (line.length + w.length > 78) {
      lines.push(line);
      line = ' ';
    }
    line += w;
  }
  lines.push(line);
  return `execline-ts ${VERSION}: execline 2.9.3 and the s6 chain-loaders, in TypeScript on Node.js ${process.versions.node}

usage: execline-ts --version | --help
       ${USAGE.install}
       ${USAGE.uninstall}
       ${USAGE.lint}
       ${USAGE.fmt}
       execline-ts COMMAND [ARGS...]

install DIR      write a self-contained tree into DIR (its own Node: about 123 MB; or
                 --node PATH to use an installed Node >= 22.15: about 2 MB): every command
                 in DIR (flat, as s6-overlay's /command), or with --layout debian,
                 execlineb in DIR/bin and every command in DIR/lib/execline-ts/bin.
                 Never replaces a file it did not write unless --force.
uninstall DIR    remove the tree installed in DIR (files replaced since are kept).
lint FILE...     report the mistakes of execline scripts (- reads stdin): FILE:LINE:COL:
                 severity: message [ID]; --format json or sarif for tools. Rules and the
                 "# execline-lint disable=ID" comment: docs/lint/. Exit 0 clean, 1 findings,
                 2 usage or I/O error.
fmt FILE...      rewrite scripts in place in the canonical layout (same argv for execlineb;
                 - formats stdin to stdout); --check only lists the files that would change
                 and exits 1 if any.

commands (${names.length}):
${lines.join('\n')}

${where()}
`;
}

/**
 * An argument as the file system needs it. Arguments arrive as byte strings (one char per
 * byte, as the handover gives them); a path is UTF-8 on Linux, so the bytes are decoded, and
 * bytes that are not UTF-8 are refused rather than turned into another name.
 */
export function pathArg(arg: string): string {
  const bytes = Buffer.from(arg, 'latin1');
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) throw new InstallError(100, `${shown(arg)} is not valid UTF-8: choose another directory name`);
  // A relative path is resolved against the working directory, whose name Node only has as text.
  if (!text.startsWith('/') && process.cwd().includes('\ufffd'))
    throw new InstallError(100, `${shown(arg)}: the working directory's name is not valid UTF-8: give an absolute path`);
  return text;
}

/** A byte string shown on one line: control bytes and bytes above 0x7e as \xNN. */
function shown(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A message on one line: control characters shown as \xNN. */
function oneLine(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Parses `install`'s arguments; throws Usage on a usage error. */
export function parseInstallArgs(args: string[]): InstallOptions {
  const o: InstallOptions = { dir: '', layout: 'flat', force: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (flag: string): string => {
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      if (i + 1 >= args.length) throw new Usage(USAGE.install, `${flag} needs a value`);
      return args[++i];
    };
    if (a === '--force' || a === '-f') o.force = true;
    else if (a === '--layout' || a.startsWith('--layout=')) {
      const l = value('--layout');
      if (l !== 'flat' && l !== 'debian') throw new Usage(USAGE.install, `unknown layout: ${l}: flat or debian`);
      o.layout = l;
    } else if (a === '--node' || a.startsWith('--node=')) o.node = pathArg(value('--node'));
    else if (a === '--') {
      rest.push(...args.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new Usage(USAGE.install, `unknown option: ${a}`);
    else rest.push(a);
  }
  if (rest.length !== 1 || !rest[0]) throw new Usage(USAGE.install);
  o.dir = pathArg(rest[0]);
  return o;
}

/** What cli() gives: an exit code, or one of our commands to run with its arguments. */
export type CliResult = number | { command: string; args: string[] };

/**
 * Runs the CLI with `args` (what follows `execline-ts`). Returns an exit code, or
 * `{ command, args }` when the first argument names a command to run instead.
 */
export function cli(args: string[]): CliResult {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case undefined:
        throw new Usage(USAGE.all);
      case '--version':
      case '-V':
        write(1, `execline-ts ${VERSION} (execline 2.9.3.0, s6 2.11.3.2 compatible; Node.js ${process.versions.node})\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        write(1, help());
        return 0;
      case 'install': {
        const r = install(parseInstallArgs(rest), VERSION);
        for (const w of r.warnings) write(2, `execline-ts: warning: ${w}\n`);
        write(1, `installed execline-ts ${VERSION} (${allNames().length} commands) into ${r.plan.commands}\n`);
        return 0;
      }
      case 'uninstall': {
        if (rest.length !== 1 || !rest[0]) throw new Usage(USAGE.uninstall);
        const dir = pathArg(rest[0]);
        const tree = findTree(dir);
        const kept = uninstall(dir);
        for (const k of kept) write(2, `execline-ts: warning: kept ${k}: it was replaced by a file execline-ts did not write\n`);
        write(1, `removed execline-ts from ${tree ? tree.plan.commands : dir}\n`);
        return 0;
      }
      case 'lint':
        return lintFiles(rest);
      case 'fmt':
        return fmtFiles(rest);
      default:
        if (sub === CLI_NAME) return cli(rest);
        if (allNames().includes(sub)) return { command: sub, args: rest };
        throw new Usage(USAGE.all, `unknown command: ${sub}`);
    }
  } catch (e) {
    try {
      if (e instanceof Usage) {
        write(2, e.why ? `execline-ts: fatal: ${oneLine(e.why)} (usage: ${e.usage})\n` : `execline-ts: usage: ${e.usage}\n`);
        return e.code;
      }
      if (e instanceof InstallError) {
        write(2, `execline-ts: fatal: ${oneLine(e.message)}\n`);
        return e.code;
      }
      const err = e as NodeJS.ErrnoException;
      write(2, `execline-ts: fatal: ${err.syscall === 'write' ? 'unable to write: ' : ''}${oneLine(err instanceof Error ? err.message : String(e))}\n`);
    } catch {
      /* stderr is gone too */
    }
    return 111;
  }
}

/** The tooling bundle (dist/tooling.cjs), or a one-line error when this tree does not have it. */
function tooling(): ReturnType<typeof loadTooling> {
  try {
    return loadTooling();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new InstallError(
      2,
      `the linter and the formatter are not in this tree (no ${join(dirname(realpathSync(getSelfPath())), 'tooling.cjs')}): run them from the npm package (npx execline-ts lint ...)`,
    );
  }
}

/** A file's bytes as a byte string, `-` being stdin; null (and a message) when it cannot be read. */
function readScript(file: string): string | null {
  try {
    return readFileSync(file === '-' ? 0 : pathArg(file)).toString('latin1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err instanceof InstallError ? err.message : strerror(err);
    write(2, `execline-ts: fatal: unable to read ${oneLine(shown(file === '-' ? 'stdin' : file))}: ${oneLine(why)}\n`);
    return null;
  }
}

/** Splits `--opt VALUE` / `--opt=VALUE` options from the files; throws Usage (exit 2). */
function toolArgs(args: string[], usage: string, flags: string[], valued: string[]): { opts: Map<string, string>; files: string[] } {
  const opts = new Map<string, string>();
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      files.push(...args.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (valued.includes(name)) {
      if (eq > 0 && a.startsWith('--')) opts.set(name, a.slice(eq + 1));
      else if (i + 1 < args.length) opts.set(name, args[++i]);
      else throw new Usage(usage, `${name} needs a value`, 2);
    } else if (flags.includes(a)) opts.set(a, '');
    else if (a.startsWith('-') && a !== '-') throw new Usage(usage, `unknown option: ${a}`, 2);
    else files.push(a);
  }
  if (files.length === 0) throw new Usage(usage, undefined, 2);
  return { opts, files };
}

/** `execline-ts lint`: 0 clean, 1 findings, 2 usage or I/O error. */
function lintFiles(args: string[]): number {
  const { opts, files } = toolArgs(args, USAGE.lint, [], ['--format', '--stdin-filename']);
  const format = opts.get('--format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new Usage(USAGE.lint, `unknown format: ${format}: text, json or sarif`, 2);
  const stdinName = opts.get('--stdin-filename');
  const tools = tooling();
  const findings: ReturnType<typeof tools.lint> = [];
  const sources = new Map<string, string>();
  let failed = false;
  for (const file of files) {
    const source = readScript(file);
    if (source === null) {
      failed = true;
      continue;
    }
    const name = file === '-' && stdinName !== undefined ? stdinName : file;
    sources.set(name, source);
    for (const f of tools.lint(source, { file: name })) findings.push(f);
  }
  const out = tools.formatFindings(findings, format, { version: VERSION, sources });
  write(1, Buffer.from(out, format === 'text' ? 'latin1' : 'utf8'));
  return failed ? 2 : findings.length ? 1 : 0;
}

/** `execline-ts fmt`: rewrites files in place (0), or with --check lists those that would change (1 if any); 2 usage, I/O or a script execlineb refuses. */
function fmtFiles(args: string[]): number {
  const { opts, files } = toolArgs(args, USAGE.fmt, ['--check'], []);
  const check = opts.has('--check');
  const tools = tooling();
  let failed = false;
  let changed = false;
  for (const file of files) {
    const source = readScript(file);
    if (source === null) {
      failed = true;
      continue;
    }
    let formatted: string;
    try {
      formatted = tools.format(source);
    } catch (e) {
      if (!(e instanceof tools.ScriptError)) throw e;
      write(2, `execline-ts: fatal: unable to format ${oneLine(shown(file === '-' ? 'stdin' : file))}: ${oneLine(e.message)}\n`);
      failed = true;
      continue;
    }
    if (file === '-' && !check) {
      write(1, Buffer.from(formatted, 'latin1'));
      continue;
    }
    if (formatted === source) continue;
    changed = true;
    if (check) write(1, Buffer.from(`${file}\n`, 'latin1'));
    else
      try {
        writeFileSync(pathArg(file), Buffer.from(formatted, 'latin1'));
      } catch (e) {
        write(2, `execline-ts: fatal: unable to write ${oneLine(shown(file))}: ${oneLine(strerror(e))}\n`);
        failed = true;
      }
  }
  return failed ? 2 : check && changed ? 1 : 0;
}
