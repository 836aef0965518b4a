// The handover: how a Node process of ours learns the process it stands for. Node changes a
// process as it starts (fds 3-15 close-on-exec, /dev/null on a closed 0, 1 or 2, a raised
// RLIMIT_NOFILE, SIGPIPE and SIGXFSZ ignored) and reads its environment (NODE_OPTIONS...), so
// whoever starts Node records the process first and hands the record over in a memfd, named by
// `--state-fd N`: the launcher (interpreter/platform/launcher.c) for a command run by a user or a
// supervisor, and spawnSelf (interpreter/runtime/exec.ts) for a block that becomes a Node child.
//
// Format (native-endian): "ELTS1\n", u32 argc, argc NUL-terminated strings, u32 envc, envc
// strings, u32 nfds, nfds x i32 (the open fds), u64 soft and u64 hard RLIMIT_NOFILE, u64 mask of
// ignored signals, u64 mask of blocked signals (bit n-1 for signal n); then, only from spawnSelf,
// u32 length and that many bytes of JSON: { rlimits: [[resource, soft, hard], ...] }, the limits
// still to apply before the next exec (Node itself never runs under them).
import { closeSync, fstatSync, readSync } from 'node:fs';
import { readAll } from '../toolkit/io.js';

/** The process as its starter made it. Strings are byte strings (one char per byte). */
export interface Handover {
  argv: string[];
  /** The environment in order, as KEY=VALUE entries. */
  env: string[];
  /** The open fds, sorted. */
  fds: number[];
  nofile: { soft: bigint; hard: bigint };
  ignored: bigint;
  blocked: bigint;
  /** Resource limits not yet applied (spawnSelf only). */
  rlimits: Array<{ resource: number; soft: bigint; hard: bigint }>;
}

const MAGIC = 'ELTS1\n';

/** Reads and closes the handover fd. Throws on a malformed record. */
export function readHandover(fd: number): Handover {
  const st = fstatSync(fd);
  let b: Buffer;
  if (st.isFIFO()) {
    // The launcher's fallback under a tiny RLIMIT_FSIZE: a pipe, read to its end.
    b = readAll(fd);
  } else {
    b = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, b, got, st.size - got, got);
      if (n <= 0) break;
      got += n;
    }
    b = b.subarray(0, got);
  }
  closeSync(fd);
  return decodeHandover(b);
}

/** Parses a record (see the format above). */
export function decodeHandover(b: Buffer): Handover {
  if (b.subarray(0, 6).toString('latin1') !== MAGIC) throw new Error('not an execline-ts handover record');
  let at = 6;
  const u32 = () => {
    const v = b.readUInt32LE(at);
    at += 4;
    return v;
  };
  const u64 = () => {
    const v = b.readBigUInt64LE(at);
    at += 8;
    return v;
  };
  const strs = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const end = b.indexOf(0, at);
      if (end < 0) throw new Error('truncated handover record');
      out.push(b.toString('latin1', at, end));
      at = end + 1;
    }
    return out;
  };
  const argv = strs(u32());
  const env = strs(u32());
  const nfds = u32();
  const fds: number[] = [];
  for (let i = 0; i < nfds; i++) {
    fds.push(b.readInt32LE(at));
    at += 4;
  }
  fds.sort((x, y) => x - y);
  const nofile = { soft: u64(), hard: u64() };
  const ignored = u64();
  const blocked = u64();
  let rlimits: Handover['rlimits'] = [];
  if (at + 4 <= b.length) {
    const n = u32();
    const ext = JSON.parse(b.toString('latin1', at, at + n)) as { rlimits?: Array<[number, string, string]> };
    rlimits = (ext.rlimits ?? []).map(([resource, soft, hard]) => ({ resource, soft: BigInt(soft), hard: BigInt(hard) }));
  }
  return { argv, env, fds, nofile, ignored, blocked, rlimits };
}

/** Builds a record (the inverse of decodeHandover). */
export function encodeHandover(h: Handover): Buffer {
  const parts: Buffer[] = [Buffer.from(MAGIC, 'latin1')];
  const u32 = (v: number) => {
    const x = Buffer.alloc(4);
    x.writeUInt32LE(v);
    parts.push(x);
  };
  const u64 = (v: bigint) => {
    const x = Buffer.alloc(8);
    x.writeBigUInt64LE(v);
    parts.push(x);
  };
  const strs = (l: string[]) => {
    u32(l.length);
    for (const s of l) parts.push(Buffer.from(s + '\0', 'latin1'));
  };
  strs(h.argv);
  strs(h.env);
  u32(h.fds.length);
  for (const fd of h.fds) {
    const x = Buffer.alloc(4);
    x.writeInt32LE(fd);
    parts.push(x);
  }
  u64(h.nofile.soft);
  u64(h.nofile.hard);
  u64(h.ignored);
  u64(h.blocked);
  const ext = Buffer.from(JSON.stringify({ rlimits: h.rlimits.map((l) => [l.resource, String(l.soft), String(l.hard)]) }), 'latin1');
  u32(ext.length);
  parts.push(ext);
  return Buffer.concat(parts);
}
