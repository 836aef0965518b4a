// interpreter/runtime/handover.ts on its own: the record a Node process of ours is started with,
// byte for byte (the launcher, interpreter/platform/launcher.c, writes the same layout in C).
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHandover, encodeHandover, type Handover, readHandover } from '../../../interpreter/runtime/handover.js';

const RLIM_INFINITY = 0xffffffffffffffffn;

const u32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
};
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return b;
};

function full(): Handover {
  return {
    argv: ['execlineb', '-c', 'echo \xff\xfe\x80', ''],
    env: ['PATH=/usr/bin:/bin', 'LATIN=caf\xe9', 'BAD=\xc3(\xa0', 'EMPTY=', 'NOEQUALS', '0=script'],
    fds: [0, 1, 2, 5, 1000],
    nofile: { soft: 1024n, hard: RLIM_INFINITY },
    ignored: (1n << 12n) | (1n << 63n),
    blocked: (1n << 0n) | (1n << 31n) | (1n << 32n),
    rlimits: [
      { resource: 3, soft: 8388608n, hard: RLIM_INFINITY },
      { resource: 9, soft: RLIM_INFINITY - 1n, hard: RLIM_INFINITY },
      { resource: 7, soft: 0n, hard: 5n },
    ],
  };
}

describe('encodeHandover / decodeHandover', () => {
  it('round-trips every field, bytes that are not UTF-8 and RLIM_INFINITY included', () => {
    expect(decodeHandover(encodeHandover(full()))).toEqual(full());
  });

  it('round-trips empty lists and zero masks', () => {
    const h: Handover = { argv: [], env: [], fds: [], nofile: { soft: 0n, hard: 0n }, ignored: 0n, blocked: 0n, rlimits: [] };
    expect(decodeHandover(encodeHandover(h))).toEqual(h);
  });

  it('writes the bytes of the strings as they are, one per char', () => {
    const b = encodeHandover({ ...full(), argv: ['\xff'], env: ['K=\xe9'] });
    expect(b.includes(Buffer.from([0xff, 0x00]))).toBe(true);
    expect(b.includes(Buffer.from([0x4b, 0x3d, 0xe9, 0x00]))).toBe(true);
    // Not UTF-8 encoded: no 0xc3 0xa9 for \xe9.
    expect(b.includes(Buffer.from([0xc3, 0xa9]))).toBe(false);
  });

  it('has the documented layout: magic, counted strings, fds, four u64, then the JSON extension', () => {
    const b = encodeHandover({
      argv: ['a', 'bc'],
      env: ['X=1'],
      fds: [3, -1],
      nofile: { soft: 1n, hard: 2n },
      ignored: 3n,
      blocked: 4n,
      rlimits: [{ resource: 7, soft: 5n, hard: RLIM_INFINITY }],
    });
    const json = '{"rlimits":[[7,"5","18446744073709551615"]]}';
    expect(b).toEqual(
      Buffer.concat([
        Buffer.from('ELTS1\n'),
        u32(2),
        Buffer.from('a\0bc\0'),
        u32(1),
        Buffer.from('X=1\0'),
        u32(2),
        i32(3),
        i32(-1),
        u64(1n),
        u64(2n),
        u64(3n),
        u64(4n),
        u32(json.length),
        Buffer.from(json),
      ]),
    );
  });

  it('reads a record without the extension (the launcher writes none): no limits to apply', () => {
    const rec = Buffer.concat([Buffer.from('ELTS1\n'), u32(1), Buffer.from('true\0'), u32(0), u32(1), i32(0), u64(7n), u64(9n), u64(0n), u64(2n)]);
    expect(decodeHandover(rec)).toEqual({
      argv: ['true'],
      env: [],
      fds: [0],
      nofile: { soft: 7n, hard: 9n },
      ignored: 0n,
      blocked: 2n,
      rlimits: [],
    });
  });

  it('sorts the fds it reads', () => {
    const h = { ...full(), fds: [7, 0, 3, 1] };
    expect(decodeHandover(encodeHandover(h)).fds).toEqual([0, 1, 3, 7]);
  });

  it('refuses a record with another magic, and a truncated one', () => {
    expect(() => decodeHandover(Buffer.from('ELTS2\n\0\0\0\0'))).toThrow('not an execline-ts handover record');
    const cut = Buffer.concat([Buffer.from('ELTS1\n'), u32(2), Buffer.from('a\0b')]);
    expect(() => decodeHandover(cut)).toThrow('truncated handover record');
  });
});

describe('readHandover', () => {
  const dir = mkdtempSync(join(tmpdir(), 'elts-handover-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the whole record from a file and closes the fd', () => {
    const p = join(dir, 'record');
    writeFileSync(p, encodeHandover(full()));
    const fd = openSync(p, 'r');
    let h: Handover;
    try {
      h = readHandover(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
    expect(h).toEqual(full());
    expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});
