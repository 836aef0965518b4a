// What the loop and capture commands share (forx, forstdin, forbacktickx, loopwhilex, backtick,
// withstdinas): exit-code lists as skalibs scans them, one iteration run with the loop variable
// added (a virtual child, or a real child when iterations run concurrently), a bounded pool of
// concurrent children, reading an input into loop elements the way forstdin does, and capturing
// a child's standard output through a real pipe.
import type { Child, ChildStatus, Context, Started } from './context.js';
import { closeSync, read, readSync } from 'node:fs';
import { spawnDie } from './errors.js';
import { fromBuffer } from '../language/bytes.js';
import { approximate } from './child.js';
import { USHRT_MAX, scanList, uint640Scan } from '../toolkit/numbers.js';

/**
 * ushort_scanlist: at most 256 exit codes separated by runs of , : ; or blanks; the scan stops at
 * anything else (or before a digit that would overflow 16 bits). Null when nothing was read (a
 * usage error).
 */
export function scanCodes(s: string): number[] | null {
  const { list } = scanList(s, 256, USHRT_MAX);
  return list.length ? list : null;
}

/** The exit-code test of the loops: with -o the loop goes on on a listed code, with -x on an unlisted one. */
export interface CodeTest {
  codes: number[];
  /** true for -x (and when no list was given: nothing breaks the loop). */
  breakList: boolean;
  /** Whether -o or -x was given. */
  given: boolean;
}

export function defaultCodeTest(): CodeTest {
  return { codes: [], breakList: true, given: false };
}

/** The code a loop compares and reports: exit codes from 128 up squashed to 128, crashes 128+signal. */
export function loopCode(s: ChildStatus): number {
  return approximate(s);
}

/** Whether the loop goes on after an iteration that ended with status s. */
export function keepsGoing(t: CodeTest, s: ChildStatus): boolean {
  return t.codes.includes(loopCode(s)) !== t.breakList;
}

export { validVariable } from './command.js';

/** The argv an iteration runs: with -E, through `importas -ui -- var var`, as the reference's (a variable may start with -). */
export function iterationArgv(body: string[], variable: string, doimport: boolean): string[] {
  return doimport ? ['importas', '-ui', '--', variable, variable, ...body] : body;
}

/** A copy of the state with variable=value added (moved to the end, as env_merge does), or removed when value is null. */
export function withVariable(ctx: Context, variable: string, value: string | null): Context {
  return ctx.withEnv([[variable, value]]);
}

/**
 * Runs one iteration and waits for it: in-process while it runs our own commands. `name`: the
 * program a failed spawn names, the body's first word (argv may start with -E's importas).
 */
export async function runIteration(ctx: Context, prog: string, argv: string[], name = argv[0]): Promise<ChildStatus> {
  const r = await ctx.runChild(argv);
  if ('spawnError' in r) throw spawnDie(prog, name, r.spawnError);
  return r;
}

/** The status of a real child, once it has ended. */
export function childExit(cp: Child): Promise<ChildStatus> {
  return cp.ended();
}

/**
 * Iterations running at the same time (-p, -P maxpar): real children, since the loop goes on
 * while they run. At most `max` of them run at once; add() waits for a slot.
 */
export class Pool {
  private running = new Set<Promise<void>>();
  readonly statuses: ChildStatus[] = [];
  constructor(private readonly max: number) {}

  /** Starts one iteration (as runIteration's, `name` is what a failed spawn names). */
  async add(ctx: Context, prog: string, argv: string[], name = argv[0]): Promise<void> {
    const r = ctx.startChild(argv);
    if ('spawnError' in r) throw spawnDie(prog, name, r.spawnError);
    const p: Promise<void> = childExit(r.child).then((s) => {
      this.statuses.push(s);
      this.running.delete(p);
    });
    this.running.add(p);
    while (this.running.size >= this.max) await Promise.race(this.running);
  }

  async drain(): Promise<void> {
    while (this.running.size) await Promise.race(this.running);
  }
}

/** Where loop elements come from: chunks of bytes, null at end of file. */
export interface Source {
  read(): Promise<Buffer | null>;
}

/** The size of skalibs' stdin buffer minus one: what one read(2) asks for. */
const INSIZE = 8191;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Reads a real fd with blocking reads of the reference's size, so a loop body that reads the
 * same stdin finds it where the reference would leave it.
 */
export function fdSource(fd: number): Source {
  const buf = Buffer.alloc(INSIZE);
  return {
    async read() {
      // A closed fd (realFd gives -1) reads as the C read(2) of it would fail.
      if (fd < 0) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
      for (;;) {
        try {
          const n = readSync(fd, buf, 0, INSIZE, null);
          return n === 0 ? null : Buffer.from(buf.subarray(0, n));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            await sleep(5);
            continue;
          }
          if (code === 'EINTR') continue;
          throw e;
        }
      }
    },
  };
}

/** Reads a pipe end without blocking the event loop (a child is writing into it meanwhile). */
export function pipeSource(fd: number): Source {
  return {
    read() {
      return new Promise((resolve, reject) => {
        const b = Buffer.allocUnsafe(65536);
        read(fd, b, 0, b.length, null, (err, n) => {
          if (err) {
            if (err.code === 'EAGAIN' || err.code === 'EINTR') resolve(this.read());
            else reject(err);
          } else resolve(n === 0 ? null : b.subarray(0, n));
        });
      });
    },
  };
}

/** How input is cut into elements (forstdin's -d, -0, -N, -C; "-d ''" reads netstrings). */
export interface SplitMode {
  /** Delimiter bytes; empty = netstrings. */
  delim: string;
  chomp: boolean;
  crunch: boolean;
}

/** An error while reading elements, reported as "unable to <what>: <error>". */
export class ReadError extends Error {
  constructor(
    public readonly what: string,
    public readonly code: string,
  ) {
    super(what);
  }
}

/** A value as the C string it becomes: cut at the first NUL byte. */
export function cString(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/**
 * Cuts a source into loop elements exactly as forstdin does: a line is everything up to and
 * including a delimiter byte; an unterminated last line is dropped when chomping; with crunch a
 * line of length 1 (only the delimiter, or a single unterminated byte) is skipped.
 */
export class Splitter {
  /** The buffered input; its unread part starts at pos. */
  private pending: Buffer = Buffer.alloc(0);
  private pos = 0;
  private eof = false;
  private readonly delimSet: Set<number>;
  constructor(
    private readonly src: Source,
    private readonly mode: SplitMode,
    private readonly what = 'skagetlnsep',
  ) {
    this.delimSet = new Set([...mode.delim].map((c) => c.charCodeAt(0)));
  }

  /** One more chunk of input, or null at the end. */
  private async chunk(): Promise<Buffer | null> {
    if (this.eof) return null;
    let c: Buffer | null;
    try {
      c = await this.src.read();
    } catch (e) {
      throw new ReadError(this.what, (e as NodeJS.ErrnoException).code ?? 'EIO');
    }
    if (!c) this.eof = true;
    return c;
  }

  /** The next element's value (a byte string, not yet cut at NUL), or null at the end. */
  async next(): Promise<string | null> {
    return this.mode.delim === '' ? this.nextNetstring() : this.nextLine();
  }

  private find(p: Buffer, from: number): number {
    if (this.delimSet.size === 1) return p.indexOf(this.mode.delim.charCodeAt(0), from);
    for (let i = from; i < p.length; i++) if (this.delimSet.has(p[i])) return i;
    return -1;
  }

  /** The index of the first byte at or after `from` that is not a delimiter (p.length if none). */
  private skipDelims(p: Buffer, from: number): number {
    let i = from;
    if (this.delimSet.size === 1) {
      const d = this.mode.delim.charCodeAt(0);
      while (i < p.length && p[i] === d) i++;
    } else while (i < p.length && this.delimSet.has(p[i])) i++;
    return i;
  }

  /** The start of a line longer than what was buffered (skagetlnsep moves it out of the buffer). */
  private partial: Buffer[] = [];

  /** A line up to and including a delimiter, if the buffer holds one (no read). */
  private takeLine(): Buffer | null {
    const at = this.find(this.pending, this.pos);
    if (at < 0) return null;
    let line = this.pending.subarray(this.pos, at + 1);
    this.pos = at + 1;
    if (this.partial.length) {
      this.partial.push(line);
      line = Buffer.concat(this.partial);
      this.partial = [];
    }
    return line;
  }

  /** Keeps the unread bytes as the start of a line and reads a chunk; false at the end. */
  private async refill(): Promise<boolean> {
    if (this.pos < this.pending.length) this.partial.push(this.pending.subarray(this.pos));
    const c = await this.chunk();
    this.pending = c ?? Buffer.alloc(0);
    this.pos = 0;
    return c !== null;
  }

  private async nextLine(): Promise<string | null> {
    for (;;) {
      // Crunching, a delimiter that starts a line is a line of length 1, skipped: skip a run of
      // them here, without making a line of each (20 MiB of newlines took seconds that way).
      if (this.mode.crunch && !this.partial.length) this.pos = this.skipDelims(this.pending, this.pos);
      let line = this.takeLine();
      let terminated = true;
      if (!line) {
        if (await this.refill()) continue;
        if (!this.partial.length) return null;
        line = Buffer.concat(this.partial);
        this.partial = [];
        terminated = false;
      }
      if (!terminated && this.mode.chomp) return null;
      if (this.mode.crunch && line.length === 1) continue;
      return fromBuffer(this.mode.chomp ? line.subarray(0, line.length - 1) : line);
    }
  }

  /** Makes at least n unread bytes available (fewer at the end of input); returns how many are. */
  private async want(n: number): Promise<number> {
    let have = this.pending.length - this.pos;
    if (have >= n) return have;
    const parts = [this.pending.subarray(this.pos)];
    while (have < n) {
      const c = await this.chunk();
      if (!c) break;
      parts.push(c);
      have += c.length;
    }
    this.pending = Buffer.concat(parts);
    this.pos = 0;
    return have;
  }

  /** netstring_get: "len:bytes," with at most 20 length digits. */
  private async nextNetstring(): Promise<string | null> {
    const DIGITS = 21;
    let colon = -1;
    for (let look = 1; ; look++) {
      const have = await this.want(look);
      const p = this.pending.subarray(this.pos, this.pos + Math.min(have, DIGITS));
      colon = p.indexOf(0x3a);
      if (colon >= 0) break;
      if (p.length >= DIGITS) throw new ReadError('netstring_get', 'EPROTO');
      if (have < look) {
        if (have === 0) return null;
        throw new ReadError('netstring_get', 'EPIPE');
      }
      look = have;
    }
    const len = uint640Scan(this.pending.subarray(this.pos, this.pos + colon).toString('latin1'));
    if (len === null) throw new ReadError('netstring_get', 'EPROTO');
    if (len > 0x7fffffffn) throw new ReadError('netstring_get', 'ENOMEM');
    const need = colon + 1 + Number(len) + 1;
    if ((await this.want(need)) < need) throw new ReadError('netstring_get', 'EPIPE');
    const body = this.pending.subarray(this.pos + colon + 1, this.pos + need);
    this.pos += need;
    if (body[body.length - 1] !== 0x2c) throw new ReadError('netstring_get', 'EPROTO');
    return fromBuffer(body.subarray(0, body.length - 1));
  }
}

/** A child started with its stdout into a pipe that this process reads. */
export interface Capture {
  child: Child;
  /** The read end of the pipe (close-on-exec). */
  fd: number;
}

/**
 * Starts argv as a real child whose fd 1 is the write end of a real pipe (as the reference's
 * child sees it), keeping the read end here. Our own commands run in a Node child then, since
 * their output must flow while this process reads it.
 */
export async function startCapture(ctx: Context, argv: string[], fdsNeeded = 2): Promise<Capture | { spawnError: string }> {
  // The reference's pipe (and, for forbacktickx, which 2.9.3 runs through pipeline, one fd
  // more) must fit under the open-files limit the program's process has.
  if (ctx.lowestFree(fdsNeeded)[fdsNeeded - 1] >= ctx.nofileLimit()) return { spawnError: 'EMFILE' };
  const sys = await import('../platform/index.js');
  let r: number;
  let w: number;
  try {
    [r, w] = sys.pipe();
  } catch (e) {
    return { spawnError: (e as NodeJS.ErrnoException).code ?? 'EMFILE' };
  }
  let res: Started;
  try {
    res = ctx.startChild(argv, { fds: [[1, w]] });
  } finally {
    closeSync(w);
  }
  if ('spawnError' in res) {
    closeSync(r);
    return res;
  }
  return { child: res.child, fd: r };
}

/** Reads a capture to its end, closes it, and waits for the child: its whole output and status. */
export async function finishCapture(c: Capture): Promise<{ data: Buffer; status: ChildStatus }> {
  const exit = childExit(c.child);
  const src = pipeSource(c.fd);
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const b = await src.read();
      if (!b) break;
      chunks.push(b);
    }
  } finally {
    closeSync(c.fd);
  }
  return { data: Buffer.concat(chunks), status: await exit };
}
