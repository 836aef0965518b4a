// Reading an envdir (skalibs' envdir semantics): one variable per file, in directory order; an
// empty file unsets its variable; names starting with a dot or holding '=' are skipped.
import { closeSync, openSync, opendirSync } from 'node:fs';
import { readAll } from './io.js';
import { fromBuffer, toBuffer } from '../language/bytes.js';

export interface EnvdirOptions {
  /** -f: the whole file, not its first line. */
  verbatim: boolean;
  /** -n: keep the trailing newline (-f) or the trailing blanks (first line). */
  noChomp: boolean;
  /** -L: no 4095-byte clamp. */
  noClamp: boolean;
  /** -c: what a null byte becomes. */
  nullis: string;
}

/** A variable change: a value, or null to unset. */
export type EnvChange = [string, string | null];

const CLAMP = 4095;

function readFile(path: Buffer, clamp: boolean): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readAll(fd, clamp ? CLAMP : Infinity);
  } finally {
    closeSync(fd);
  }
}

function contentValue(content: string, o: EnvdirOptions): string {
  let v: string;
  if (o.verbatim) {
    v = content;
    if (!o.noChomp && v.endsWith('\n')) v = v.slice(0, -1);
  } else {
    const nl = content.indexOf('\n');
    if (nl >= 0) v = content.slice(0, nl);
    // Without the clamp, an unterminated first line counts as empty unless -n keeps it.
    else v = o.noClamp && !o.noChomp ? '' : content;
    if (!o.noChomp) v = v.replace(/[ \t]+$/, '');
  }
  return v.split('\0').join(o.nullis);
}

/**
 * Reads dir into a list of changes. Throws a Node-style error: the directory's own errno, or
 * EIDRM for a file that vanished, as skalibs reports it.
 */
export function readEnvdir(dir: string, o: EnvdirOptions): EnvChange[] {
  if (o.nullis === '\0') throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
  const d = opendirSync(toBuffer(dir) as unknown as string, { encoding: 'buffer' as BufferEncoding });
  const out: EnvChange[] = [];
  try {
    for (;;) {
      const ent = d.readSync();
      if (!ent) break;
      const name = fromBuffer(ent.name as unknown as Buffer);
      if (name.startsWith('.') || name.includes('=')) continue;
      let content: Buffer;
      try {
        content = readFile(toBuffer(dir + '/' + name), !o.noClamp);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw Object.assign(new Error('EIDRM'), { code: 'EIDRM' });
        throw e;
      }
      out.push([name, content.length === 0 ? null : contentValue(fromBuffer(content), o)]);
    }
  } finally {
    d.closeSync();
  }
  return out;
}
