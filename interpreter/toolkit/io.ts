// Reading a real fd to its end: skalibs' slurp. Kept apart from fds.ts (which knows the state's
// fd table) so the handover, which the state is built from, can use it too.
import { readSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Reads a real fd to its end (read(2) until it returns 0), as skalibs' slurp does, and returns
 * the bytes: a closed fd (-1, realFd's answer for a closed virtual fd) fails with EBADF as read(2)
 * would, EINTR is retried, EAGAIN (a non-blocking fd) waits 5 ms and retries; any other error
 * is thrown as Node's. With `max`, it stops once that many bytes are read (envdir's clamp).
 */
export function readAll(fd: number, max = Infinity): Buffer {
  if (fd < 0) throw Object.assign(new Error('EBADF'), { code: 'EBADF' });
  const chunks: Buffer[] = [];
  let total = 0;
  while (total < max) {
    const b = Buffer.alloc(Math.min(65536, max - total));
    let n: number;
    try {
      n = readSync(fd, b, 0, b.length, null);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EINTR') continue;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      throw e;
    }
    if (n === 0) break;
    chunks.push(b.subarray(0, n));
    total += n;
  }
  return Buffer.concat(chunks);
}
