// The process as a command sees it: the one way a command reaches the runtime. A command reads
// and changes the process it stands for (environment, fd table, credentials, limits, working
// directory, children) through this interface and nothing else; it never asks whether it runs
// in the main chain or in a virtual child (a block run in-process on a copy of the state), and
// never touches the real process itself. interpreter/runtime/context.ts implements it on the
// ProcessState; the command table is handed to the runtime, so nothing here imports it.

/** How a child ended (wait_estatus): the contract, and the three ways commands read it, are in command/child.ts. */
export interface ChildStatus {
  /** The exit code, or 128 + the signal number for a killed child. */
  code: number;
  /** The signal number when the child was killed, else 0. */
  signal: number;
}

/** A block run as a child and waited for: its status, or the errno name (ENOENT...) of why it could not be started. */
export type ChildResult = ChildStatus | { spawnError: string };

/** A child the chain goes on beside (background, pipeline, trap, loops with -p). */
export interface Child {
  readonly pid: number;
  /** How it ended; null while it runs. */
  readonly status: ChildStatus | null;
  /** Resolves with its status once it has ended. */
  ended(): Promise<ChildStatus>;
  /** 'exit' is emitted once, when it ends. */
  once(event: 'exit', fn: () => void): unknown;
  removeListener(event: 'exit', fn: () => void): unknown;
  /** kill(2) with a signal name or number; false if it is gone. */
  kill(sig?: NodeJS.Signals | number): boolean;
  /** Lets the process end without waiting for it (background -d, a detached pipeline block). */
  unref(): void;
}

/** A child started beside the chain, or why it could not be started (an errno name). */
export type Started = { pid: number; child: Child } | { spawnError: string };

/** What a child gets besides a copy of the process: fds pointed at real fds of ours, variables changed. */
export interface ChildSetup {
  /** [fd in the child, real fd of this process] pairs (a pipe end). */
  fds?: ReadonlyArray<readonly [number, number]>;
  /** Environment modifications, applied as skalibs' env_merge (null removes). */
  env?: ReadonlyArray<readonly [string, string | null]>;
}

/** The identity the program would run with at this point of the chain (pending s6-applyuidgid changes applied). */
export interface Identity {
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  /** Supplementary groups the chain set, or null when they are the process's own. */
  groups: number[] | null;
  /** True when the chain changed the uid to one the process does not really have yet (access(2) would not tell). */
  uidPending: boolean;
}

export interface Context {
  /** The name in the running command's messages (the reference's PROG). */
  readonly prog: string;

  // -- Environment (byte strings, in skalibs' env_merge order) --
  /** The environment the next program would get, in order. */
  readonly env: ReadonlyMap<string, string>;
  /** Sets a variable: removed from its place, appended at the end (env_merge). */
  setEnv(key: string, value: string): void;
  /** Removes a variable: the last variable moves into its place (env_merge). */
  unsetEnv(key: string): void;
  /** Applies modifications in order, exactly as skalibs' env_merge (null removes). */
  mergeEnv(modifs: ReadonlyArray<readonly [string, string | null]>): void;
  /** Empties the environment (exec -c, emptyenv). */
  clearEnv(): void;
  /** el_pushenv (el_pushenv.html): the positional frame moves up one level (X -> X:1). */
  pushPositionals(prefixes?: readonly string[]): void;
  /** el_popenv: the current positional frame goes, X:1 becomes X. */
  popPositionals(prefixes?: readonly string[]): void;
  /** The EXECLINE_STRICT level: 0, 1, or 2 (2 or more). */
  strictness(): number;

  // -- The fd table the program will see --
  /** The real fd of this process behind fd v, or -1 when v is closed. */
  realFd(v: number): number;
  /** Points fd v at real fd r (null closes v); a real fd nothing refers to any more is let go. */
  setFd(v: number, r: number | null): void;
  /** Exchanges fds a and b (fdswap): both stay open. */
  swapFds(a: number, b: number): void;
  /** Makes fd v the real fd `real`, which this process now owns (a pipe end, an opened file). */
  adoptFd(v: number, real: number): void;
  /** Opens a file for the program's table (close-on-exec here, owned by this process); throws the errno. */
  openForTable(path: Buffer, flags: number): number;
  /** Is fd v open in the program's table? */
  isOpen(v: number): boolean;
  /** The n lowest free fds, in increasing order (where the reference's open() or pipe() would land). */
  lowestFree(n: number): number[];
  /** The soft RLIMIT_NOFILE the program would have here. */
  nofileLimit(): number;
  /** Can v be a dup2 target (below the open-files limit)? */
  validTarget(v: number): boolean;

  // -- Process attributes --
  /** chdir(2); throws the errno. */
  chdir(path: string): void;
  /** getcwd(3) as a byte string; throws the errno. */
  cwd(): string;
  /** The file mode creation mask. */
  umask(): number;
  /** Sets the file mode creation mask (the low 9 bits). */
  setUmask(mask: number): void;
  /** This process's pid. Only a real process has one: ask realProcess first (throws in a virtual child). */
  pid(): number;
  /** The pid of this process's parent. */
  ppid(): number;
  /** The identity the program would run with. */
  identity(): Identity;
  /** setgroups(2) for the program (the list as given); throws the errno (EPERM unless root). */
  setGroups(list: number[]): void;
  /** setgid(2) for the program; throws the errno. */
  setGid(gid: number): void;
  /** setuid(2) for the program; throws the errno. */
  setUid(uid: number): void;
  /** The resource limit the program would have (getrlimit); throws the errno. */
  getRlimit(resource: number): { soft: bigint; hard: bigint };
  /** Sets a resource limit for the program (applied just before it runs). */
  setRlimit(resource: number, soft: bigint, hard: bigint): void;
  /** One s6-setsid step (setsid, setpgid, tcsetpgrp), applied to this process now; tty is a fd of the program's table. */
  setSession(mode: 's' | 'b' | 'f' | 'g', insist: 0 | 1 | 2, tty: number): void;
  /** argv[0] for the next program (exec -a, -l), or null for its name. */
  setArgv0(name: string | null): void;
  /** Is fd a terminal (isatty) in the program's table? */
  isatty(v: number): boolean;
  /**
   * For what only a process of its own can do (setsid, its own pid): null when this is one, go
   * on; otherwise the argv to return, which runs `argv` again in a new process made from this
   * state.
   */
  realProcess(argv: string[]): string[] | null;

  // -- Programs and children --
  /** True if argv[0] names one of our commands (a bare name or a path to one of our launchers). */
  isOurs(name: string): boolean;
  /** The path a program name resolves to with the PATH this command started with, or dies as exec does ("unable to exec", 126/127). */
  findExecutable(name: string): string;
  /**
   * tryexec: runs argv in place of this process if the kernel would (with the environment
   * emptied if clearEnv, with argv[0] = argv0 if given); on success a real process never
   * returns, a virtual child returns the argv to continue with. Null: it would not run.
   */
  tryExec(argv: string[], clearEnv: boolean, argv0: string | null): string[] | null;
  /** Runs argv as a child and waits for it (a block: in-process while it runs our commands). */
  runChild(argv: string[]): Promise<ChildResult>;
  /** Starts argv as a real child without waiting; our own commands there run in a new process. */
  startChild(argv: string[], setup?: ChildSetup): Started;
  /** Children started beside the chain that wait can wait for (background, pipeline). */
  readonly children: Child[];
  /** A copy of this process with the environment modified, that runs children as this one would (a loop iteration). */
  withEnv(modifs: ReadonlyArray<readonly [string, string | null]>): Context;
}
