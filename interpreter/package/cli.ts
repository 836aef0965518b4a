// `execline-ts`: the multicall CLI beside the commands.
//   execline-ts --version | --help
//   execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR
//   execline-ts uninstall DIR
//   execline-ts COMMAND ARGS...        runs one of the commands (as busybox does)
// Exit codes follow the commands': 0 done, 100 usage or refused, 111 the system failed. Every
// message is one line, in skarnet's shape (`execline-ts: fatal: ...`, `execline-ts: usage: ...`).
import { dirname, join } from 'node:path';
import { realpathSync, writeSync } from 'node:fs';
import { allNames } from '../command/registry.js';
import { getSelfPath } from '../runtime/self.js';
import { CLI_NAME, InstallError, findTree, install, isPathSafe, readManifest, treePlan, uninstall, type InstallOptions } from './install.js';

declare const EXECLINE_TS_VERSION: string;

/** The package version, written into the bundle by the build. */
export const VERSION = typeof EXECLINE_TS_VERSION === 'string' ? EXECLINE_TS_VERSION : '0.0.0-dev';

const USAGE = {
  all: 'execline-ts --version | --help | install [--layout flat|debian] [--force] [--node PATH] DIR | uninstall DIR | COMMAND [ARGS...]',
  install: 'execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR',
  uninstall: 'execline-ts uninstall DIR',
};

/** A usage error: one line, exit 100. */
class Usage extends Error {
  constructor(
    public readonly usage: string,
    public readonly why?: string,
  ) {
    super(why ?? usage);
  }
}

function write(fd: 1 | 2, s: string): void {
  const b = Buffer.from(s);
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
       execline-ts COMMAND [ARGS...]

install DIR      write a self-contained tree into DIR (its own Node: about 123 MB; or
                 --node PATH to use an installed Node >= 22.15: about 2 MB): every command
                 in DIR (flat, as s6-overlay's /command), or with --layout debian,
                 execlineb in DIR/bin and every command in DIR/lib/execline-ts/bin.
                 Never replaces a file it did not write unless --force.
uninstall DIR    remove the tree installed in DIR (files replaced since are kept).

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

/**
 * Runs the CLI with `args` (what follows `execline-ts`). Returns an exit code, or
 * `{ command, args }` when the first argument names a command to run instead.
 */
export function cli(args: string[]): number | { command: string; args: string[] } {
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
      default:
        if (sub === CLI_NAME) return cli(rest);
        if (allNames().includes(sub)) return { command: sub, args: rest };
        throw new Usage(USAGE.all, `unknown command: ${sub}`);
    }
  } catch (e) {
    try {
      if (e instanceof Usage) {
        write(2, e.why ? `execline-ts: fatal: ${oneLine(e.why)} (usage: ${e.usage})\n` : `execline-ts: usage: ${e.usage}\n`);
        return 100;
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
