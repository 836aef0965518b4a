// The Context (interpreter/command/context.ts) on a ProcessState: the one door between the
// commands and the runtime. Where the main chain and a virtual child must differ (credentials
// taken now or recorded, a pid that exists or not yet, an exec that replaces this process or a
// continuation judged in advance), the difference is decided here, once, not in the commands.
import { closeSync } from 'node:fs';
import type { Child, ChildResult, ChildSetup, Context, Identity, Started } from '../command/context.js';
import * as sys from '../platform/index.js';
import { mergeEnv, popPositionals, pushPositionals } from './env.js';
import { execFormatError, findExecutable, resolveProgram, applySessionSteps, selfArgv, tryExecInPlace } from './exec.js';
import { isOpen, lowestFree, nofileLimit, openForTable, validTarget } from './fdtable.js';
import { saveCodeCache, ttyModule } from './lazy.js';
import { forkState, realFd, realProcess as isRealProcess, setFd, strictness, type State } from './state.js';
import { fromNative, toNative } from '../language/bytes.js';

/** Closes a real fd this state opened once no fd of the table refers to it any more. */
function release(st: State, real: number): void {
  const k = st.opened.indexOf(real);
  if (k < 0) return;
  for (const v of st.fds.values()) if (v === real) return;
  st.opened.splice(k, 1);
  try {
    closeSync(real);
  } catch {
    /* already closed */
  }
}

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

const UID_MAX = 0xfffffffe;

/** What the context needs of the trampoline (interpreter/runtime/trampoline.ts), which hands it over: the trampoline runs the commands, so it cannot be imported here. */
export interface Trampoline {
  /** Is name one of our commands? Its entry (names: the first is the command's own), if so. */
  lookup(name: string): { names: readonly string[] } | undefined;
  runChild(parent: State, argv: string[]): Promise<ChildResult>;
  startChild(parent: State, argv: string[]): Started;
}

/** The context commands get for a state: a view, so any number of them may exist for one state. */
export class ProcessContext implements Context {
  /** `command`: the command this context runs, by its first name (for realProcess), if known. */
  constructor(
    readonly st: State,
    private readonly rt: Trampoline,
    private readonly command: string | null = null,
  ) {}

  get prog(): string {
    return this.st.prog;
  }

  get env(): ReadonlyMap<string, string> {
    return this.st.env;
  }

  setEnv(key: string, value: string): void {
    mergeEnv(this.st, [[key, value]]);
  }

  unsetEnv(key: string): void {
    if (this.st.env.has(key)) mergeEnv(this.st, [[key, null]]);
  }

  mergeEnv(modifs: ReadonlyArray<readonly [string, string | null]>): void {
    mergeEnv(this.st, modifs);
  }

  clearEnv(): void {
    this.st.env = new Map();
  }

  pushPositionals(prefixes?: readonly string[]): void {
    pushPositionals(this.st, prefixes);
  }

  popPositionals(prefixes?: readonly string[]): void {
    popPositionals(this.st, prefixes);
  }

  strictness(): number {
    return strictness(this.st);
  }

  realFd(v: number): number {
    return realFd(this.st, v);
  }

  setFd(v: number, r: number | null): void {
    setFd(this.st, v, r);
  }

  swapFds(a: number, b: number): void {
    // Both real fds stay in the table: nothing to let go.
    const ra = realFd(this.st, a);
    this.st.fds.set(a, realFd(this.st, b));
    this.st.fds.set(b, ra);
  }

  adoptFd(v: number, real: number): void {
    const old = this.st.fds.get(v);
    this.st.opened.push(real);
    setFd(this.st, v, real);
    if (old !== undefined && old !== null && old !== real) release(this.st, old);
  }

  openForTable(path: Buffer, flags: number): number {
    return openForTable(this.st, path, flags);
  }

  isOpen(v: number): boolean {
    return isOpen(this.st, v);
  }

  lowestFree(n: number): number[] {
    return lowestFree(this.st, n);
  }

  nofileLimit(): number {
    return nofileLimit(this.st);
  }

  validTarget(v: number): boolean {
    return validTarget(this.st, v);
  }

  // The working directory and umask are the process's own even in a virtual child: the kernel
  // resolves our commands' relative paths with them. runChild puts both back when the child ends.
  chdir(path: string): void {
    process.chdir(toNative(path));
  }

  cwd(): string {
    return fromNative(process.cwd());
  }

  umask(): number {
    const m = process.umask(0);
    process.umask(m);
    return m;
  }

  setUmask(mask: number): void {
    process.umask(mask & 0o777);
  }

  pid(): number {
    if (this.st.virtual) throw new Error('pid of a virtual child');
    return process.pid;
  }

  ppid(): number {
    // A virtual child is played by its parent's process: its parent's pid is this process's.
    return this.st.virtual ? process.pid : process.ppid;
  }

  identity(): Identity {
    const c = this.st.creds;
    const ruid = process.getuid!();
    return {
      uid: c?.uid ?? ruid,
      euid: c?.uid ?? process.geteuid!(),
      gid: c?.gid ?? process.getgid!(),
      egid: c?.gid ?? process.getegid!(),
      groups: c?.groups ?? null,
      uidPending: c?.uid !== undefined && c.uid !== ruid,
    };
  }

  // The main chain takes credentials at once, as the reference does, so the commands after
  // (and their file accesses) run as the new user. A virtual child records them, applied in
  // its process before exec, and fails here as the kernel would.
  setGroups(list: number[]): void {
    if (!this.st.virtual) {
      // (The kernel checks the privilege before the list.)
      if (list.some((g) => g > UID_MAX)) throw errno(process.geteuid!() === 0 ? 'EINVAL' : 'EPERM');
      saveCodeCache(); // (while the cache directory can still be written)
      process.setgroups!(list);
      return;
    }
    if (this.identity().euid !== 0) throw errno('EPERM');
    if (list.some((g) => g > UID_MAX)) throw errno('EINVAL');
    this.st.creds = { ...(this.st.creds ?? {}), groups: list.slice() };
  }

  setGid(gid: number): void {
    // (gid_t)-1 would mean "unchanged" to the kernel: setgid(2) says EINVAL.
    if (gid > UID_MAX) throw errno('EINVAL');
    if (!this.st.virtual) {
      saveCodeCache();
      process.setgid!(gid);
      return;
    }
    const id = this.identity();
    if (id.euid !== 0 && gid !== id.gid) throw errno('EPERM');
    this.st.creds = { ...(this.st.creds ?? {}), gid };
  }

  setUid(uid: number): void {
    if (uid > UID_MAX) throw errno('EINVAL');
    if (!this.st.virtual) {
      saveCodeCache();
      process.setuid!(uid);
      return;
    }
    const id = this.identity();
    if (id.euid !== 0 && uid !== id.euid) throw errno('EPERM');
    this.st.creds = { ...(this.st.creds ?? {}), uid };
  }

  getRlimit(resource: number): { soft: bigint; hard: bigint } {
    const l = this.st.rlimits;
    for (let i = l.length - 1; i >= 0; i--) if (l[i].resource === resource) return { soft: l[i].soft, hard: l[i].hard };
    return sys.getrlimit(resource);
  }

  setRlimit(resource: number, soft: bigint, hard: bigint): void {
    this.st.rlimits.push({ resource, soft, hard });
  }

  setSession(mode: 's' | 'b' | 'f' | 'g', insist: 0 | 1 | 2, tty: number): void {
    // The tty fd is the program's: a closed one fails as EBADF.
    const ctty = mode === 'f' || mode === 'g' ? (isOpen(this.st, tty) ? realFd(this.st, tty) : -1) : tty;
    applySessionSteps([{ mode, insist, ctty, prog: this.st.prog }]);
  }

  setArgv0(name: string | null): void {
    this.st.argv0 = name;
  }

  isatty(v: number): boolean {
    const real = v > 0x7fffffff ? -1 : realFd(this.st, v);
    return real >= 0 && ttyModule().isatty(real);
  }

  realProcess(argv: string[]): string[] | null {
    if (!this.st.virtual) return null;
    // (Without a known command, the one argv[0] names: a harness's context.)
    const command = this.command ?? this.rt.lookup(argv[0])?.names[0];
    return command === undefined ? null : selfArgv(argv, command);
  }

  isOurs(name: string): boolean {
    return this.rt.lookup(name) !== undefined;
  }

  findExecutable(name: string): string {
    return findExecutable(this.st.prog, name, this.st.env);
  }

  tryExec(argv: string[], clearEnv: boolean, argv0: string | null): string[] | null {
    // In a real process, try for real: the kernel is the judge (a foreign ELF that binfmt_misc
    // runs, a file being written...), and a refusal puts the process back as it was.
    if (!this.st.virtual && isRealProcess() && !this.isOurs(argv[0])) {
      tryExecInPlace({ ...this.st, env: clearEnv ? new Map<string, string>() : this.st.env, argv0 }, argv);
      return null;
    }
    // A virtual child has no process to exec in place (and our own command runs on in-process):
    // would the kernel run it?
    let path: string | null = null;
    if (this.isOurs(argv[0])) path = argv[0];
    else {
      const r = resolveProgram(argv[0], this.st.env);
      if (!('code' in r) && !execFormatError(r.path)) path = r.path;
    }
    if (path === null) return null;
    if (clearEnv) this.st.env = new Map();
    this.st.argv0 = argv0 ?? (path !== argv[0] ? argv[0] : null);
    return [path, ...argv.slice(1)];
  }

  runChild(argv: string[]): Promise<ChildResult> {
    return this.rt.runChild(this.st, argv);
  }

  startChild(argv: string[], setup?: ChildSetup): Started {
    let st = this.st;
    if (setup) {
      st = forkState(st);
      for (const [v, r] of setup.fds ?? []) st.fds.set(v, r);
      if (setup.env) mergeEnv(st, setup.env);
    }
    return this.rt.startChild(st, argv);
  }

  get children(): Child[] {
    return this.st.children;
  }

  withEnv(modifs: ReadonlyArray<readonly [string, string | null]>): Context {
    const c: State = { ...this.st };
    mergeEnv(c, modifs);
    return new ProcessContext(c, this.rt);
  }
}
