// interpreter/runtime/children.ts on its own: raw wait statuses, and a Child settling once.
import { describe, expect, it } from 'vitest';
import { Child, decodeStatus } from '../../../interpreter/runtime/children.js';

describe('decodeStatus', () => {
  it('reads the exit code from bits 8-15 of a normal exit', () => {
    expect(decodeStatus(0)).toEqual({ code: 0, signal: 0 });
    expect(decodeStatus(1 << 8)).toEqual({ code: 1, signal: 0 });
    expect(decodeStatus(42 << 8)).toEqual({ code: 42, signal: 0 });
    expect(decodeStatus(255 << 8)).toEqual({ code: 255, signal: 0 });
  });

  it('makes a death by signal n 128 + n', () => {
    expect(decodeStatus(9)).toEqual({ code: 137, signal: 9 });
    expect(decodeStatus(15)).toEqual({ code: 143, signal: 15 });
    expect(decodeStatus(13)).toEqual({ code: 141, signal: 13 });
    expect(decodeStatus(64)).toEqual({ code: 192, signal: 64 });
  });

  it('ignores the core-dump bit', () => {
    expect(decodeStatus(0x80 | 11)).toEqual({ code: 139, signal: 11 });
    expect(decodeStatus(0x80 | 6)).toEqual({ code: 134, signal: 6 });
  });
});

describe('Child', () => {
  it('settles once: exit code, then the exit event with it', async () => {
    const c = new Child(123456);
    const seen: unknown[] = [];
    c.once('exit', (code: number | null, sig: string | null) => seen.push([code, sig]));
    expect(c.status).toBeNull();
    c.settle({ code: 3, signal: 0 });
    c.settle({ code: 4, signal: 0 });
    expect(c.status).toEqual({ code: 3, signal: 0 });
    expect(c.exitCode).toBe(3);
    expect(c.signalCode).toBeNull();
    expect(seen).toEqual([[3, null]]);
    await expect(c.ended()).resolves.toEqual({ code: 3, signal: 0 });
  });

  it('resolves ended() when it settles later', async () => {
    const c = new Child(123457);
    const p = c.ended();
    c.settle({ code: 0, signal: 0 });
    await expect(p).resolves.toEqual({ code: 0, signal: 0 });
  });
});
