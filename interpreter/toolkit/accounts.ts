// The account database as s6's static binaries see it: /etc/passwd and /etc/group read directly
// (no NSS), so lookups give the same answers as the reference on the same machine.
import { readFileSync } from 'node:fs';

export interface Passwd {
  name: string;
  uid: number;
  gid: number;
}

export interface Group {
  name: string;
  gid: number;
  members: string[];
}

function lines(path: string): string[][] {
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return [];
  }
  const out: string[][] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    out.push(line.split(':'));
  }
  return out;
}

function num(s: string | undefined): number | null {
  return s !== undefined && /^[0-9]+$/.test(s) ? Number(s) : null;
}

/** getpwnam: the first /etc/passwd entry called name. */
export function getpwnam(name: string): Passwd | null {
  for (const f of lines('/etc/passwd')) {
    if (f[0] !== name) continue;
    const uid = num(f[2]);
    const gid = num(f[3]);
    if (uid === null || gid === null) continue;
    return { name, uid, gid };
  }
  return null;
}

function groups(): Group[] {
  const out: Group[] = [];
  for (const f of lines('/etc/group')) {
    const gid = num(f[2]);
    if (gid === null) continue;
    out.push({ name: f[0], gid, members: f[3] ? f[3].split(',').filter((m) => m !== '') : [] });
  }
  return out;
}

/** getgrnam: the first /etc/group entry called name. */
export function getgrnam(name: string): Group | null {
  for (const g of groups()) if (g.name === name) return g;
  return null;
}

/** The supplementary groups of user: every group that lists it as a member, in file order. */
export function supplementaryGroups(user: string): number[] {
  return groups()
    .filter((g) => g.members.includes(user))
    .map((g) => g.gid);
}
