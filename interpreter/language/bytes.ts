// Byte strings: every argv word and environment entry is kept as a "latin1" JS string, one char
// per byte, so the scanner, substitution and transforms work on bytes exactly as the C reference
// does. These helpers convert at the boundary with Node APIs, which speak UTF-8.
import { Buffer } from 'node:buffer';
import { isUtf8 } from 'node:buffer';

const NON_ASCII = /[^\x00-\x7f]/;

/** Node string (UTF-8 decoded) to byte string. */
export function fromNative(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}

/** Byte string to the Node string that encodes to the same bytes, or null when the bytes are not UTF-8. */
export function toNativeExact(s: string): string | null {
  if (!NON_ASCII.test(s)) return s;
  const b = Buffer.from(s, 'latin1');
  return isUtf8(b) ? b.toString('utf8') : null;
}

/** Byte string to a Node string (lossy for non-UTF-8 bytes). */
export function toNative(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/** Byte string to a Buffer (for fs paths and writes). */
export function toBuffer(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Buffer to byte string. */
export function fromBuffer(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}
