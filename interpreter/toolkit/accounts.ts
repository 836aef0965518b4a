// The account database as s6's static binaries see it: /etc/passwd and /etc/group read directly
// (no NSS), so lookups give the same answers as the reference on the same machine. The one place
// that reads and splits these files (s6-envuidgid, s6-setuidgid, homeof).
import { readFileSync } from 'node:fs';
import { uint0Scan } from './numbers.js';

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

/** The records of an account file, split at colons (empty lines and # comments skipped); throws the read error. */
function records(path: string): string[][] {
  const out: string[][] = [];
  for (const line of readFileSync(path, 'latin1').split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    out.push(line.split(':'));
  }
  return out;
}

/** records, with an unreadable file read as an empty one. */
function lines(path: string): string[][] {
  try {
    return records(path);
  } catch {
    return [];
  }
}

/** A numeric field (uid, gid): decimal digits only. */
function num(s: string | undefined): number | null {
  return s === undefined ? null : uint0Scan(s, Number.MAX_SAFE_INTEGER);
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

/**
 * The home directory (sixth field) of the first complete (seven-field) /etc/passwd entry called
 * user, or null; throws when the file cannot be read (homeof reports it).
 */
export function homeOf(user: string, file = '/etc/passwd'): string | null {
  if (user === '') return null;
  for (const f of records(file)) if (f.length >= 7 && f[0] === user) return f[5];
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
