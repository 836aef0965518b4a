// The installer: puts the commands somewhere a script's `#!` line or a PATH can name them.
//
// Every command is a launcher (interpreter/platform/launcher.c, a small C program) whose config
// block names the command and where Node and the bundle are. Two uses:
//  - bin/ in the checkout and in the npm package (`writeLaunchers`): launchers whose paths are
//    relative to bin/, naming the Node that npm put beside the package (node-linux-<arch>).
//  - `execline-ts install DIR` (`install`): a self-contained tree. The runtime (Node, the
//    bundle, the addon, the signal guard) is copied into it, so it keeps working after the npm
//    package or the checkout is gone, from `#!DIR/execlineb -P` under `env -i`, for root and for
//    users a service drops to. It never replaces a file that is not its own unless --force.
// Layouts: flat (every command in DIR, the runtime in DIR/.execline-ts: `/command` as
// s6-overlay does) and Debian's (`execlineb` and `execline-ts` in PREFIX/bin, every command in
// PREFIX/lib/execline-ts/bin, the runtime in PREFIX/lib/execline-ts), with PREFIX/bin/execlineb a
// wrapper script like Debian's /usr/bin/execlineb that puts the commands on PATH first.
import {
  chmodSync,
  constants as fsConstants,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  realpathSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { release } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { allNames } from '../command/registry.js';
import { LAUNCHER_MARK } from '../runtime/trampoline.js';
import { getSelfPath } from '../runtime/self.js';
import { isPathSafe } from './names.js';

/** The CLI's own name, installed beside the commands. */
export const CLI_NAME = 'execline-ts';

/** The runtime files copied from dist/ into an installed tree (Node comes separately). */
export const RUNTIME_FILES = ['execline.cjs', 'execline-core.cjs', 'sys.node', 'sigguard.so', 'launcher'];

export { isPathSafe };

/** A Node/bundle pair in a launcher's config: paths absolute, or relative to the launcher's dir. */
export interface RuntimePair {
  node: string;
  entry: string;
}

/**
 * The launcher binary (`template`, dist/launcher) with its config block filled in: the command
 * it runs as, then the Node/entry pairs it tries in order (launcher.c). Throws if the template
 * is not a launcher or the paths overflow the 4 KiB block.
 */
export function launcherImage(template: string, command: string, pairs: RuntimePair[]): Buffer {
  const image = readFileSync(template);
  const at = image.indexOf(LAUNCHER_MARK);
  if (at < 0) throw new Error(`${template} is not an execline-ts launcher`);
  const start = at + Buffer.byteLength(LAUNCHER_MARK);
  const config = Buffer.from(`${command}\0${pairs.map((p) => `${p.node}\0${p.entry}\0`).join('')}\0`);
  if (Buffer.byteLength(LAUNCHER_MARK) + config.length > 4096) throw new Error(`paths too long for the launcher config block (${pairs.map((p) => p.node).join(', ')})`);
  config.copy(image, start);
  return image;
}

/** Reads the config of a launcher image: null if the bytes are not one of ours. */
export function launcherConfig(image: Buffer): { command: string; pairs: RuntimePair[] } | null {
  const at = image.indexOf(LAUNCHER_MARK);
  if (at < 0 || image.subarray(0, 4).toString('latin1') !== '\x7fELF') return null;
  const parts = image.subarray(at + Buffer.byteLength(LAUNCHER_MARK), at + 4096).toString('latin1').split('\0');
  const pairs: RuntimePair[] = [];
  for (let i = 1; parts[i] && parts[i + 1]; i += 2) pairs.push({ node: parts[i], entry: parts[i + 1] });
  return { command: parts[0], pairs };
}

/** What an install, uninstall or build step reports: an exit code and a message for stderr. */
export class InstallError extends Error {
  constructor(public readonly code: number, message: string) {
    super(message);
  }
}

/** The dist/ directory of the running bundle (where the runtime files are). */
function distDir(): string {
  return dirname(realpathSync(getSelfPath()));
}

function writeAtomic(path: string, data: Buffer | string, mode: number): void {
  const tmp = join(dirname(path), `.${path.slice(path.lastIndexOf('/') + 1)}.execline-ts-tmp`);
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, path);
}

/**
 * Writes one launcher per command into `dir` (replacing whatever is there: this is for bin/ of
 * the checkout and the package, which the build owns), each with the given pairs; `names` are
 * the commands (default: every command and the CLI). Used by the build.
 */
export function writeLaunchers(dir: string, pairs: RuntimePair[], names: string[] = [...allNames(), CLI_NAME]): void {
  mkdirSync(dir, { recursive: true });
  const template = join(distDir(), 'launcher');
  for (const name of names) writeAtomic(join(dir, name), launcherImage(template, name, pairs), 0o755);
}

/** Is the file at `path` one the installer wrote (a launcher, or the Debian wrapper script)? */
export function isOurs(path: string): boolean {
  let fd = -1;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    const b = Buffer.alloc(65536);
    const n = readSync(fd, b, 0, b.length, 0);
    const head = b.subarray(0, n);
    if (launcherConfig(head)) return true;
    return head.subarray(0, 2).toString('latin1') === '#!' && head.includes(WRAPPER_MARK);
  } catch {
    return false;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

const WRAPPER_MARK = '# execline-ts wrapper';

/** The Debian-layout PREFIX/bin/execlineb: Debian's wrapper script, pointed at our commands. */
function wrapperScript(libBin: string): string {
  return `#!${libBin}/execlineb -S0
${WRAPPER_MARK}: as Debian's /usr/bin/execlineb, runs ${libBin}/execlineb with that directory first in PATH
${libBin}/importas -D /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin PATH PATH
${libBin}/export PATH ${libBin}:\${PATH}
${libBin}/exec -a $0 ${libBin}/execlineb $@
`;
}

/**
 * The longest `#!` line a script naming the installed commands uses must fit the buffer the
 * kernel reads it into (BINPRM_BUF_SIZE: 256 bytes since Linux 5.1, 128 before), or the kernel
 * refuses the script or cuts the interpreter's path.
 */
export function shebangLimit(kernel: string = release()): number {
  const [maj, min] = kernel.split('.').map((x) => parseInt(x, 10));
  return maj > 5 || (maj === 5 && min >= 1) ? 256 : 128;
}

function checkShebang(dir: string): void {
  const line = `#!${dir}/with-contenv sh`.length > `#!${dir}/execlineb -S1`.length ? `#!${dir}/with-contenv sh` : `#!${dir}/execlineb -S1`;
  const limit = shebangLimit();
  if (Buffer.byteLength(line) + 1 > limit)
    throw new InstallError(100, `${dir} is too long for a #! line: "${line}" is ${Buffer.byteLength(line)} bytes and the kernel reads ${limit - 1} at most`);
}

/** Directories on the standard system PATH, where a flat install would shadow `cd`, `if`, `wait`... */
const SYSTEM_BIN = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin'];

function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** The ancestors of `dir` that a user other than the owner cannot search (o-x). */
function unsearchable(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    try {
      const st = statSync(d);
      if (!(st.mode & 0o001)) out.push(d);
    } catch {
      /* not made yet */
    }
    if (d === dirname(d)) break;
  }
  return out;
}

/** The installer's options (`execline-ts install [--layout flat|debian] [--force] [--node PATH] DIR`). */
export interface InstallOptions {
  dir: string;
  layout: 'flat' | 'debian';
  force: boolean;
  /** Use this Node (>= 22.15) by absolute path instead of copying the running one into the tree. */
  node?: string;
}

/** Where each part of an installed tree goes, for a layout. */
export interface TreePlan {
  /** Directory holding every command. */
  commands: string;
  /** Directory holding Node, the bundle and the manifest. */
  runtime: string;
  /** Extra files outside `commands`: path -> what to write there. */
  extra: { path: string; kind: 'launcher' | 'wrapper'; command: string }[];
}

/** The paths an install into `dir` with `layout` writes (no file system access). */
export function treePlan(dir: string, layout: 'flat' | 'debian'): TreePlan {
  const top = resolve(dir);
  if (layout === 'flat') return { commands: top, runtime: join(top, '.execline-ts'), extra: [] };
  const lib = join(top, 'lib', 'execline-ts');
  return {
    commands: join(lib, 'bin'),
    runtime: lib,
    extra: [
      { path: join(top, 'bin', 'execlineb'), kind: 'wrapper', command: 'execlineb' },
      { path: join(top, 'bin', CLI_NAME), kind: 'launcher', command: CLI_NAME },
    ],
  };
}

/** The manifest an installed tree carries: what uninstall removes, what --help reports. */
export interface Manifest {
  tool: 'execline-ts';
  version: string;
  layout: 'flat' | 'debian';
  /** Absolute paths of every file written outside the runtime directory. */
  files: string[];
  commands: string;
  runtime: string;
}

const MANIFEST = 'manifest.json';

/** Reads the manifest in `runtime`, or null. */
export function readManifest(runtime: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(runtime, MANIFEST), 'utf8')) as Manifest;
    return m.tool === 'execline-ts' ? m : null;
  } catch {
    return null;
  }
}

function nodeVersionOk(node: string): string | null {
  const r = spawnSync(node, ['--version'], { encoding: 'utf8', env: {}, timeout: 30000 });
  const v = (r.stdout ?? '').trim().replace(/^v/, '');
  const [maj, min] = v.split('.').map(Number);
  if (r.status !== 0 || !(maj > 22 || (maj === 22 && min >= 15))) return `${node} is not Node.js >= 22.15 (${r.error ? r.error.message : v || 'no version'})`;
  return null;
}

/**
 * Installs a self-contained tree. Checks everything first (nothing is written if a check
 * fails): the `#!` line length, a flat install onto the system PATH, files that are not ours.
 * Throws InstallError (100: refused or usage, 111: the system failed) with the message.
 * Returns the manifest written.
 */
export function install(opts: InstallOptions, version: string): Manifest {
  const plan = treePlan(opts.dir, opts.layout);
  const top = resolve(opts.dir);
  const names = [...allNames(), CLI_NAME];
  const pathDir = opts.layout === 'flat' ? plan.commands : join(top, 'bin');
  checkShebang(opts.layout === 'flat' ? plan.commands : pathDir);
  checkShebang(plan.commands);
  if (opts.layout === 'flat' && !opts.force && SYSTEM_BIN.includes(realOrSelf(plan.commands)))
    throw new InstallError(100, `refusing to put cd, if, exit, wait and the other commands in ${plan.commands}, on the system's PATH: use --layout debian (or --force)`);
  const targets = [...names.map((n) => join(plan.commands, n)), ...plan.extra.map((e) => e.path)];
  if (!opts.force) {
    const foreign = targets.filter((t) => {
      try {
        lstatSync(t);
      } catch {
        return false;
      }
      return !isOurs(t);
    });
    if (foreign.length)
      throw new InstallError(100, `refusing to replace ${foreign.length === 1 ? foreign[0] : `${foreign.length} files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`}: not installed by execline-ts (use --force)`);
    if (existsSync(plan.runtime) && !readManifest(plan.runtime) && readdirSync(plan.runtime).some((f) => f !== 'bin'))
      throw new InstallError(100, `refusing to use ${plan.runtime}: it exists and is not an execline-ts runtime (use --force)`);
  }
  const src = distDir();
  for (const f of RUNTIME_FILES) if (!existsSync(join(src, f))) throw new InstallError(111, `the build is incomplete: ${join(src, f)} is missing (run npm run build)`);
  let node: string;
  if (opts.node) {
    node = resolve(opts.node);
    const bad = nodeVersionOk(node);
    if (bad) throw new InstallError(100, bad);
  } else node = realpathSync(process.execPath);

  try {
    for (const d of [plan.commands, plan.runtime, ...plan.extra.map((e) => dirname(e.path))]) {
      const made = mkdirSync(d, { recursive: true, mode: 0o755 });
      // Whatever the umask: a service that drops to nobody must be able to run these.
      if (made) for (let x = d; x.length >= made.length; x = dirname(x)) chmodSync(x, 0o755);
    }
    for (const f of RUNTIME_FILES) {
      const to = join(plan.runtime, f);
      copyFileSync(join(src, f), `${to}.tmp`, fsConstants.COPYFILE_FICLONE);
      chmodSync(`${to}.tmp`, f === 'launcher' ? 0o755 : 0o644);
      renameSync(`${to}.tmp`, to);
    }
    const nodeDest = join(plan.runtime, 'node');
    rmSync(`${nodeDest}.tmp`, { force: true });
    if (opts.node) symlinkSync(node, `${nodeDest}.tmp`);
    else {
      copyFileSync(node, `${nodeDest}.tmp`, fsConstants.COPYFILE_FICLONE);
      chmodSync(`${nodeDest}.tmp`, 0o755);
    }
    renameSync(`${nodeDest}.tmp`, nodeDest);
    // The compile cache directory: the installer's, never writable by others.
    mkdirSync(join(plan.runtime, '.compile-cache'), { recursive: true, mode: 0o755 });
    chmodSync(join(plan.runtime, '.compile-cache'), 0o755);
    const template = join(plan.runtime, 'launcher');
    // Relative to the launcher's real directory first (the tree can be moved), then absolute
    // (a process with no /proc mounted cannot find its own directory).
    const pairsFrom = (dir: string): RuntimePair[] => {
      const rel = relative(dir, plan.runtime) || '.';
      return [
        { node: join(rel, 'node'), entry: join(rel, 'execline.cjs') },
        { node: join(plan.runtime, 'node'), entry: join(plan.runtime, 'execline.cjs') },
      ];
    };
    for (const n of names) writeAtomic(join(plan.commands, n), launcherImage(template, n, pairsFrom(plan.commands)), 0o755);
    for (const e of plan.extra) {
      if (e.kind === 'launcher') writeAtomic(e.path, launcherImage(template, e.command, pairsFrom(dirname(e.path))), 0o755);
      else writeAtomic(e.path, wrapperScript(plan.commands), 0o755);
    }
    const manifest: Manifest = { tool: 'execline-ts', version, layout: opts.layout, files: targets, commands: plan.commands, runtime: plan.runtime };
    writeAtomic(join(plan.runtime, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', 0o644);
    return manifest;
  } catch (e) {
    if (e instanceof InstallError) throw e;
    throw new InstallError(111, `unable to install into ${top}: ${(e as Error).message}`);
  }
}

/** The warnings for an installed tree: directories above it that other users cannot search. */
export function installWarnings(m: Manifest): string[] {
  const dirs = new Set([...unsearchable(m.commands), ...unsearchable(m.runtime)]);
  return [...dirs].map((d) => `${d} is not searchable by other users: services that drop privileges (s6-setuidgid) cannot run these commands`);
}

/** Finds the installed tree in `dir` (either layout): its manifest, or null. */
export function findTree(dir: string): Manifest | null {
  for (const layout of ['flat', 'debian'] as const) {
    const m = readManifest(treePlan(dir, layout).runtime);
    if (m) return m;
  }
  return null;
}

/**
 * Removes the tree installed in `dir`: every file the manifest lists that is still ours (a file
 * replaced since by something else is kept, and reported), then the runtime directory. Throws
 * InstallError(100) if there is no tree there. Returns the files kept.
 */
export function uninstall(dir: string): string[] {
  const m = findTree(dir);
  if (!m) throw new InstallError(100, `no execline-ts installation in ${resolve(dir)}`);
  const kept: string[] = [];
  try {
    for (const f of m.files) {
      if (!existsSync(f)) continue;
      if (isOurs(f)) rmSync(f, { force: true });
      else kept.push(f);
    }
    rmSync(m.runtime, { recursive: true, force: true });
    for (const d of [m.commands, dirname(m.runtime), ...m.files.map((f) => dirname(f))]) {
      try {
        rmdirSync(d);
      } catch {
        /* not empty, or gone: left as it is */
      }
    }
  } catch (e) {
    throw new InstallError(111, `unable to uninstall from ${resolve(dir)}: ${(e as Error).message}`);
  }
  return kept;
}
