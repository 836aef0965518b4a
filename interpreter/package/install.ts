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
  fchmodSync,
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
import { LAUNCHER_MARK, getSelfPath } from '../runtime/self.js';
import { isPathSafe } from './names.js';

/** The CLI's own name, installed beside the commands. */
export const CLI_NAME = 'execline-ts';

/** What a tree's runtime holds besides Node: the bundles, the addon, the C helpers, and the tooling (lint, fmt) with its licences. */
export const RUNTIME_FILES = [
  'execline.cjs',
  'execline-core.cjs',
  'execline-cli.cjs',
  'sys.node',
  'sigguard.so',
  'launcher',
  'setlimits',
  'tooling.cjs',
  'tooling.cjs.LICENSES.txt',
];

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
  if (Buffer.byteLength(LAUNCHER_MARK) + config.length > 4096)
    throw new Error(`paths too long for the launcher config block (${pairs.map((p) => p.node).join(', ')})`);
  config.copy(image, start);
  return image;
}

/** Reads the config of a launcher image: null if the bytes are not one of ours. */
export function launcherConfig(image: Buffer): { command: string; pairs: RuntimePair[] } | null {
  const at = image.indexOf(LAUNCHER_MARK);
  if (at < 0 || image.subarray(0, 4).toString('latin1') !== '\x7fELF') return null;
  const parts = image
    .subarray(at + Buffer.byteLength(LAUNCHER_MARK), at + 4096)
    .toString('latin1')
    .split('\0');
  const pairs: RuntimePair[] = [];
  for (let i = 1; parts[i] && parts[i + 1]; i += 2) pairs.push({ node: parts[i], entry: parts[i + 1] });
  return { command: parts[0], pairs };
}

/** What an install, uninstall or build step reports: an exit code and a message for stderr. */
export class InstallError extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** The dist/ directory of the running bundle (where the runtime files are). */
function distDir(): string {
  return dirname(realpathSync(getSelfPath()));
}

/** The temporary name beside `path` this process writes through (its pid: installs may race). */
function tmpName(path: string): string {
  return join(dirname(path), `.${path.slice(path.lastIndexOf('/') + 1)}.execline-ts-tmp.${process.pid}`);
}

/** Is `name` one of the temporary files an install leaves if it is killed half-way? */
function isTmp(name: string): boolean {
  return /^\..*\.execline-ts-tmp(\.\d+)?$/.test(name);
}

/**
 * Writes `path` through a temporary file beside it, renamed over it. The temporary file is
 * created with O_CREAT|O_EXCL|O_NOFOLLOW (after removing a leftover), so a symlink planted at its
 * name by someone who can write the directory cannot redirect the write.
 */
function writeAtomic(path: string, data: Buffer | string, mode: number): void {
  const tmp = tmpName(path);
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW, mode);
  try {
    writeFileSync(fd, data);
    fchmodSync(fd, mode);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Copies a file through a temporary file created exclusively (see writeAtomic). */
function copyAtomic(from: string, path: string, mode: number): void {
  const tmp = tmpName(path);
  rmSync(tmp, { force: true });
  copyFileSync(from, tmp, fsConstants.COPYFILE_EXCL | fsConstants.COPYFILE_FICLONE);
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

/**
 * Does the file at `path` (never a symlink: npm's bin links belong to npm) belong to the tree
 * whose runtime is `runtime` and whose commands are in `commands`: a launcher whose runtime path,
 * read from its own directory, is that runtime, or the wrapper that names those commands? A
 * launcher of another tree, of a checkout or of the npm package is not this tree's.
 */
export function belongsTo(path: string, runtime: string, commands: string): boolean {
  let fd = -1;
  try {
    if (!lstatSync(path).isFile()) return false;
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
    const b = Buffer.alloc(65536);
    const head = b.subarray(0, readSync(fd, b, 0, b.length, 0));
    const cfg = launcherConfig(head);
    if (cfg) return cfg.pairs.some((p) => !p.node.startsWith('/') && resolve(dirname(path), p.node) === join(runtime, 'node'));
    const text = head.toString('latin1');
    return text.startsWith(`#!${commands}/execlineb -S0\n`) && text.includes(WRAPPER_MARK);
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

/**
 * Checks that `dir` can be named where the commands are used: in a `#!` line (which ends the
 * interpreter's path at a blank and must fit the kernel's buffer), in PATH and LD_PRELOAD (which
 * split at `:`), and in the Debian wrapper script (an execline script: no quotes or `$`).
 */
function checkNameable(dir: string): void {
  const bad = /[\s"'\\$`:#;{}\x00-\x1f\x7f]/.exec(dir);
  if (bad) {
    const what = /\s/.test(bad[0]) ? 'a blank' : /[\x00-\x1f\x7f]/.test(bad[0]) ? 'a control character' : `"${bad[0]}"`;
    const shown = dir.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    throw new InstallError(100, `${shown} cannot be named in a #! line or in PATH: it contains ${what}`);
  }
  if (/^\/(proc|sys|dev)(\/|$)/.test(dir)) throw new InstallError(100, `${dir} is not a place for files: /proc, /sys and /dev are the kernel's`);
  const line = `#!${dir}/with-contenv sh`;
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

/** The ancestors of `dir` (itself included) that a user other than the owner cannot search (o-x). */
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

/**
 * Why `dir` is not a safe place for commands a root chain runs, or null: every existing directory
 * on its path must belong to root or to the installer, the directories the tree itself uses must
 * not be writable by anyone else, and one above them only if sticky (/tmp), so nobody else can
 * rename or replace the tree.
 */
function unsafeDir(dir: string): string | null {
  const me = process.geteuid?.() ?? 0;
  let own = true;
  for (let d = dir; ; d = dirname(d)) {
    try {
      const st = statSync(d);
      if (st.uid !== 0 && st.uid !== me) return `${d} belongs to another user (uid ${st.uid})`;
      if (st.mode & 0o022 && (own || !(st.mode & 0o1000))) return `${d} is writable by other users`;
      own = false;
    } catch {
      /* not made yet: it will be ours */
    }
    if (d === dirname(d)) return null;
  }
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

/**
 * The manifest an installed tree carries in its runtime directory. It marks the tree as ours and
 * says which layout it has; every path uninstall touches is derived from the directory it is
 * given and the layout, never read from the manifest.
 */
export interface Manifest {
  tool: 'execline-ts';
  version: string;
  layout: 'flat' | 'debian';
  /** Directories the install created, relative to the top directory, deepest first. */
  created: string[];
}

const MANIFEST = 'manifest.json';

/** Reads the manifest in `runtime`, or null if there is none or it is not one of ours. */
export function readManifest(runtime: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(runtime, MANIFEST), 'utf8')) as Manifest;
    if (m.tool !== 'execline-ts' || (m.layout !== 'flat' && m.layout !== 'debian') || typeof m.version !== 'string') return null;
    const created = Array.isArray(m.created) ? m.created.filter((d) => typeof d === 'string' && !d.startsWith('/') && !d.split('/').includes('..')) : [];
    return { tool: m.tool, version: m.version, layout: m.layout, created };
  } catch {
    return null;
  }
}

function nodeVersionOk(node: string): string | null {
  if (!existsSync(node)) return `--node ${node}: No such file or directory`;
  const r = spawnSync(node, ['--version'], { encoding: 'utf8', env: {}, timeout: 30000 });
  const first = (r.stdout ?? '').split('\n')[0].trim();
  const v = first.replace(/^v/, '');
  const [maj, min] = v.split('.').map(Number);
  if (r.status !== 0 || !(maj > 22 || (maj === 22 && min >= 15)))
    return `${node} is not Node.js >= 22.15 (${r.error ? ((r.error as NodeJS.ErrnoException).code ?? r.error.message) : v.slice(0, 40) || 'no version'})`;
  return null;
}

/** What `install` did: the top directory, the plan, and warnings for the user. */
export interface Installed {
  top: string;
  plan: TreePlan;
  manifest: Manifest;
  warnings: string[];
}

/**
 * Installs a self-contained tree. Checks everything first (nothing is written if a check
 * fails): names a `#!` line can hold, a flat install onto the system PATH, a directory others
 * can write to, the package's own directories, files that are not ours. The manifest is written
 * first, so a tree whose install failed half-way can be installed over or uninstalled.
 * Throws InstallError (100: refused or usage, 111: the system failed).
 */
export function install(opts: InstallOptions, version: string): Installed {
  const plan = treePlan(opts.dir, opts.layout);
  const top = resolve(opts.dir);
  const names = [...allNames(), CLI_NAME];
  checkNameable(top);
  checkNameable(plan.commands);
  const src = distDir();
  const own = [src, join(dirname(src), 'bin')];
  for (const d of [plan.commands, plan.runtime, ...plan.extra.map((e) => dirname(e.path))])
    if (own.includes(realOrSelf(d))) throw new InstallError(100, `refusing to install into ${d}: it is the running package's own directory`);
  if (opts.layout === 'flat' && !opts.force && SYSTEM_BIN.includes(realOrSelf(plan.commands)))
    throw new InstallError(
      100,
      `refusing to put cd, if, exit, wait and the other commands in ${plan.commands}, on the system's PATH: use --layout debian (or --force)`,
    );
  if (!opts.force) {
    for (const d of new Set([plan.commands, plan.runtime, ...plan.extra.map((e) => dirname(e.path))])) {
      const w = unsafeDir(d);
      if (w) throw new InstallError(100, `refusing to install into ${d}: ${w}, who could replace the commands (use --force)`);
    }
  }
  // The tree's own directories are never followed through a symlink (uninstall would reach
  // out of DIR through it): only DIR itself may be one.
  for (const d of ownDirs(plan, top)) {
    try {
      if (lstatSync(d).isSymbolicLink()) throw new InstallError(100, `refusing to install into ${top}: ${d} is a symlink`);
    } catch (e) {
      if (e instanceof InstallError) throw e;
    }
  }
  const targets = [...names.map((n) => join(plan.commands, n)), ...plan.extra.map((e) => e.path)];
  if (!opts.force) {
    const foreign = targets.filter((t) => {
      try {
        lstatSync(t);
      } catch {
        return false;
      }
      return !belongsTo(t, plan.runtime, plan.commands);
    });
    if (foreign.length)
      throw new InstallError(
        100,
        `refusing to replace ${foreign.length === 1 ? foreign[0] : `${foreign.length} files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''})`}: not installed by execline-ts (use --force)`,
      );
    if (existsSync(plan.runtime) && !readManifest(plan.runtime) && readdirSync(plan.runtime).some((f) => f !== 'bin' && !isTmp(f)))
      throw new InstallError(100, `refusing to use ${plan.runtime}: it exists and is not an execline-ts runtime (use --force)`);
  }
  for (const f of RUNTIME_FILES)
    if (!existsSync(join(src, f))) throw new InstallError(111, `the build is incomplete: ${join(src, f)} is missing (run npm run build)`);
  let node: string;
  const warnings: string[] = [];
  if (opts.node) {
    // The tree links the real file: a symlink on the way, whoever owns it, is not followed later.
    node = realOrSelf(resolve(opts.node));
    const bad = nodeVersionOk(node);
    if (bad) throw new InstallError(100, bad);
    const unsafe = opts.force ? null : (unsafeDir(node) ?? unsafeDir(dirname(node)));
    if (unsafe) throw new InstallError(100, `refusing --node ${node}: ${unsafe} (use --force)`);
    for (const d of unsearchable(dirname(node)))
      warnings.push(`${d} is not searchable by other users: services that drop privileges (s6-setuidgid) cannot run the Node in it`);
  } else node = realpathSync(process.execPath);

  try {
    const created: string[] = [];
    for (const d of [plan.commands, plan.runtime, ...plan.extra.map((e) => dirname(e.path))]) {
      const made = mkdirSync(d, { recursive: true, mode: 0o755 });
      // Whatever the umask: a service that drops to nobody must be able to run these.
      if (made)
        for (let x = d; x.length >= made.length; x = dirname(x)) {
          chmodSync(x, 0o755);
          if (x.startsWith(top)) created.push(relative(top, x) || '.');
        }
    }
    const old = readManifest(plan.runtime);
    const manifest: Manifest = {
      tool: 'execline-ts',
      version,
      layout: opts.layout,
      created: [...new Set([...created, ...(old?.created ?? [])])].sort((a, b) => b.length - a.length),
    };
    writeAtomic(join(plan.runtime, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', 0o644);
    for (const f of RUNTIME_FILES) copyAtomic(join(src, f), join(plan.runtime, f), f === 'launcher' || f === 'setlimits' ? 0o755 : 0o644);
    const nodeDest = join(plan.runtime, 'node');
    const nodeTmp = tmpName(nodeDest);
    rmSync(nodeTmp, { force: true });
    if (opts.node) {
      symlinkSync(node, nodeTmp);
      renameSync(nodeTmp, nodeDest);
    } else copyAtomic(node, nodeDest, 0o755);
    // The code cache directory: the installer's, never writable by others, and made anew (a
    // cache made for the bundle this install replaces is of no use: the warm run below fills it).
    // (Installs racing into one tree each remove it and make it: one may find it made already.)
    const cacheDir = join(plan.runtime, '.compile-cache');
    rmSync(cacheDir, { recursive: true, force: true });
    try {
      mkdirSync(cacheDir, { mode: 0o755 });
    } catch (e) {
      const st = (e as NodeJS.ErrnoException).code === 'EEXIST' ? lstatSync(cacheDir) : null;
      if (!st?.isDirectory() || st.uid !== process.geteuid?.()) throw e;
    }
    chmodSync(cacheDir, 0o755);
    const template = join(plan.runtime, 'launcher');
    // Relative to the launcher's real directory (the tree can be moved); with no /proc mounted
    // the launcher cannot know that directory, and runs nothing.
    const pairsFrom = (dir: string): RuntimePair[] => {
      const rel = relative(dir, plan.runtime) || '.';
      return [{ node: join(rel, 'node'), entry: join(rel, 'execline.cjs') }];
    };
    for (const n of names) writeAtomic(join(plan.commands, n), launcherImage(template, n, pairsFrom(plan.commands)), 0o755);
    for (const e of plan.extra) {
      if (e.kind === 'launcher') writeAtomic(e.path, launcherImage(template, e.command, pairsFrom(dirname(e.path))), 0o755);
      else writeAtomic(e.path, wrapperScript(plan.commands), 0o755);
    }
    warmCodeCache(join(plan.commands, 'execlineb'));
    const dirs = new Set([...unsearchable(plan.commands), ...unsearchable(plan.runtime)]);
    for (const d of dirs) warnings.push(`${d} is not searchable by other users: services that drop privileges (s6-setuidgid) cannot run these commands`);
    return { top, plan, manifest, warnings };
  } catch (e) {
    if (e instanceof InstallError) throw e;
    throw new InstallError(111, `unable to install into ${top}: ${(e as Error).message}`);
  }
}

/**
 * A service start as run scripts write it (../shared/USAGE.md: fdmove, redirfd, importas,
 * foreground with s6-echo, if, s6-envuidgid and s6-applyuidgid, exec), with no effect outside its
 * own process: nothing written but to /dev/null, no privileges given up (s6-applyuidgid runs in a
 * block, whose credentials apply only to the program it spawns, true, as the same user).
 * Only these: every start pays for the whole cache as it loads it (about 1 ms per 60 KiB here),
 * and a run that uses another command adds that command's code to it (saveCodeCache), so the
 * cache comes to hold what this machine's scripts run, and nothing else.
 */
export const WARM_SCRIPT = `fdmove -c 2 1 redirfd -w 1 /dev/null
importas -D x X EXECLINE_TS_WARM_NONE importas -u -D y Y EXECLINE_TS_WARM_NONE
foreground { s6-echo -n -- \${X} \${Y} }
if { s6-echo -n -- x }
foreground { s6-envuidgid -D 0:0 root s6-applyuidgid -U true }
s6-envuidgid -D 0:0 root
exec -c true`;

/**
 * Fills the code cache of the tree whose execlineb is `execlineb` (the runtime saves it after a
 * run, with the code of every function that ran: see the entry file scripts/build.mjs writes) by
 * running WARM_SCRIPT, so that the first starts after an install or a build are as fast as the
 * later ones. Best effort: a failure leaves the cache to the first real runs.
 */
export function warmCodeCache(execlineb: string): void {
  // Under a umask that lets others write, the entry file would not use the cache at all.
  const mask = process.umask(0o022);
  try {
    spawnSync(execlineb, ['-Pc', WARM_SCRIPT], { env: { PATH: `${dirname(execlineb)}:/usr/bin:/bin` }, stdio: 'ignore', timeout: 60_000 });
  } finally {
    process.umask(mask);
  }
}

/** The directories of a tree below its top (never to be reached through a symlink). */
function ownDirs(plan: TreePlan, top: string): string[] {
  const out = new Set<string>([plan.runtime, plan.commands, ...plan.extra.map((e) => dirname(e.path))]);
  for (const d of [...out]) for (let x = dirname(d); x.length > top.length; x = dirname(x)) out.add(x);
  out.delete(top);
  return [...out];
}

/** Finds the installed tree in `dir` (either layout): its layout and manifest, or null. */
export function findTree(dir: string): { plan: TreePlan; manifest: Manifest } | null {
  for (const layout of ['flat', 'debian'] as const) {
    const plan = treePlan(dir, layout);
    const m = readManifest(plan.runtime);
    if (m && m.layout === layout) return { plan, manifest: m };
  }
  return null;
}

/**
 * Removes the tree installed in `dir`. Every path comes from `dir` and the layout: the commands
 * (each removed only if it is still one of ours: a file replaced since is kept, and reported),
 * the Debian layout's bin files, the runtime directory, then the directories the install made
 * if they are empty. Throws InstallError(100) if there is no tree there. Returns the files kept.
 */
export function uninstall(dir: string): string[] {
  const tree = findTree(dir);
  if (!tree) throw new InstallError(100, `no execline-ts installation in ${resolve(dir)}`);
  const { plan, manifest } = tree;
  const top = resolve(dir);
  for (const d of ownDirs(plan, top))
    if (existsSync(d) && lstatSync(d).isSymbolicLink()) throw new InstallError(100, `refusing to uninstall ${top}: ${d} is a symlink`);
  // A tree another user can change under us (swap a directory for a symlink between a check and
  // a removal) is not one to remove: the same rule as for installing.
  for (const d of new Set([top, ...ownDirs(plan, top)])) {
    const w = existsSync(d) ? unsafeDir(d) : null;
    if (w) throw new InstallError(100, `refusing to uninstall ${top}: ${w}, who could redirect the removal`);
  }
  const src = distDir();
  if ([src, join(dirname(src), 'bin')].includes(realOrSelf(plan.commands)))
    throw new InstallError(100, `refusing to uninstall ${plan.commands}: it is the running package's own directory`);
  const kept: string[] = [];
  try {
    for (const f of [...[...allNames(), CLI_NAME].map((n) => join(plan.commands, n)), ...plan.extra.map((e) => e.path)]) {
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(f);
      } catch {
        continue;
      }
      if (belongsTo(f, plan.runtime, plan.commands)) rmSync(f, { force: true });
      else if (st.isFile() || st.isSymbolicLink()) kept.push(f);
    }
    for (const f of [...RUNTIME_FILES, 'node', MANIFEST]) rmSync(join(plan.runtime, f), { force: true });
    // What an install killed half-way left.
    for (const d of new Set([plan.runtime, plan.commands, ...plan.extra.map((e) => dirname(e.path))]))
      for (const f of existsSync(d) ? readdirSync(d) : []) if (isTmp(f)) rmSync(join(d, f), { force: true });
    rmSync(join(plan.runtime, '.compile-cache'), { recursive: true, force: true });
    // The runtime directory is ours whoever made it; other directories only if the install made them.
    // A created directory counts only if it really is inside DIR (no symlink on its way out).
    const realTop = realOrSelf(top);
    const inside = (d: string) => {
      const r = realOrSelf(d);
      return r === realTop || r.startsWith(`${realTop}/`);
    };
    const dirs = [plan.runtime, ...(manifest.layout === 'debian' ? [plan.commands] : []), ...manifest.created.map((c) => join(top, c)).filter(inside)];
    for (const d of [...new Set(dirs)].sort((a, b) => b.split('/').length - a.split('/').length)) {
      try {
        rmdirSync(d);
      } catch {
        /* not empty, or gone, or made by the user: left as it is */
      }
    }
  } catch (e) {
    throw new InstallError(111, `unable to uninstall from ${top}: ${(e as Error).message}`);
  }
  return kept;
}
