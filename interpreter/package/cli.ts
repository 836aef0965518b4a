// `execline-ts`: the multicall CLI beside the commands.
//   execline-ts --version | --help
//   execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR
//   execline-ts uninstall DIR
//   execline-ts COMMAND ARGS...        runs one of the commands (as busybox does)
// Exit codes follow the commands': 0 done, 100 usage or refused, 111 the system failed.
import { dirname, join } from 'node:path';
import { realpathSync } from 'node:fs';
import { allNames } from '../command/registry.js';
import { getSelfPath } from '../runtime/self.js';
import { CLI_NAME, InstallError, findTree, install, installWarnings, isPathSafe, readManifest, uninstall, type InstallOptions } from './install.js';

declare const EXECLINE_TS_VERSION: string;

/** The package version, written into the bundle by the build. */
export const VERSION = typeof EXECLINE_TS_VERSION === 'string' ? EXECLINE_TS_VERSION : '0.0.0-dev';

const USAGE = `usage: execline-ts --version | --help
       execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR
       execline-ts uninstall DIR
       execline-ts COMMAND [ARGS...]`;

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);

function where(): string {
  const runtime = dirname(realpathSync(getSelfPath()));
  const m = readManifest(runtime);
  if (m) return `installed (${m.layout} layout) in ${m.commands}${m.layout === 'debian' ? `, with execlineb and execline-ts in ${dirname(m.files[m.files.length - 1])}` : ''}; runtime in ${m.runtime}`;
  return `running from ${join(dirname(runtime), 'bin')} (a checkout or the npm package; npm links the names marked * onto PATH)`;
}

function help(): string {
  const names = allNames();
  const cols: string[] = [];
  let line = ' ';
  for (const n of names) {
    const w = ` ${n}${isPathSafe(n) ? '*' : ''}`;
    if (line.length + w.length > 78) {
      cols.push(line);
      line = ' ';
    }
    line += w;
  }
  cols.push(line);
  return `execline-ts ${VERSION}: execline 2.9.3 and the s6 chain-loaders, in TypeScript on Node.js ${process.versions.node}

${USAGE}

install DIR      copy a self-contained tree (its own Node, ~130 MB; or --node PATH to use
                 an installed Node >= 22.15) into DIR: every command in DIR (flat, as
                 s6-overlay's /command), or with --layout debian, execlineb in DIR/bin and
                 every command in DIR/lib/execline-ts/bin. Never replaces a file it did not
                 write unless --force.
uninstall DIR    remove a tree installed in DIR (files replaced since are kept).

commands (${names.length}):
${cols.join('\n')}

${where()}
`;
}

/** Parses `install`'s arguments; throws InstallError(100) on a usage error. */
export function parseInstallArgs(args: string[]): InstallOptions {
  const o: InstallOptions = { dir: '', layout: 'flat', force: false };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (flag: string): string => {
      if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
      if (i + 1 >= args.length) throw new InstallError(100, `${flag} needs a value\n${USAGE}`);
      return args[++i];
    };
    if (a === '--force' || a === '-f') o.force = true;
    else if (a === '--layout' || a.startsWith('--layout=')) {
      const l = value('--layout');
      if (l !== 'flat' && l !== 'debian') throw new InstallError(100, `unknown layout: ${l} (flat or debian)`);
      o.layout = l;
    } else if (a === '--node' || a.startsWith('--node=')) o.node = value('--node');
    else if (a === '--') rest.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith('-') && a !== '-') throw new InstallError(100, `unknown option: ${a}\n${USAGE}`);
    else rest.push(a);
  }
  if (rest.length !== 1 || !rest[0]) throw new InstallError(100, `install needs one directory\n${USAGE}`);
  o.dir = rest[0];
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
        err(`execline-ts: fatal: no command given\n${USAGE}\n`);
        return 100;
      case '--version':
      case '-V':
        out(`execline-ts ${VERSION} (execline 2.9.3.0, s6 2.11.3.2 compatible; Node.js ${process.versions.node})\n`);
        return 0;
      case '--help':
      case '-h':
      case 'help':
        out(help());
        return 0;
      case 'install': {
        const o = parseInstallArgs(rest);
        const m = install(o, VERSION);
        for (const w of installWarnings(m)) err(`execline-ts: warning: ${w}\n`);
        out(`installed execline-ts ${VERSION} (${allNames().length} commands) into ${m.commands}\n`);
        return 0;
      }
      case 'uninstall': {
        if (rest.length !== 1) throw new InstallError(100, `uninstall needs one directory\n${USAGE}`);
        const where = findTree(rest[0]);
        const kept = uninstall(rest[0]);
        for (const k of kept) err(`execline-ts: warning: kept ${k}: it was replaced by a file execline-ts did not write\n`);
        out(`removed execline-ts from ${where ? where.commands : rest[0]}\n`);
        return 0;
      }
      default:
        if (sub === CLI_NAME) return cli(rest);
        if (allNames().includes(sub)) return { command: sub, args: rest };
        err(`execline-ts: fatal: unknown command: ${sub}\n${USAGE}\n`);
        return 100;
    }
  } catch (e) {
    if (e instanceof InstallError) {
      err(`execline-ts: fatal: ${e.message}\n`);
      return e.code;
    }
    err(`execline-ts: fatal: ${e instanceof Error ? e.message : String(e)}\n`);
    return 111;
  }
}
