// Environment edits with skalibs' ordering: a variable that is set again moves to the end, as
// env_merge appends its modifications after the untouched part of envp. Also the positional
// parameter stack of el_pushenv.html: push renames #, 0..9-prefixed variables to NAME:1, NAME:1
// to NAME:2...; pop undoes it.
import type { State } from './state.js';
import { POSITIONAL_PREFIXES } from '../command/positionals.js';

/** Removes a variable as skalibs' env_merge does: the last variable moves into its place. */
export function unsetEnv(st: State, key: string): void {
  if (st.env.has(key)) mergeEnv(st, [[key, null]]);
}

/** Sets a variable as skalibs' env_merge would: removed from its place, appended at the end. */
export function setEnv(st: State, key: string, value: string): void {
  mergeEnv(st, [[key, value]]);
}

/**
 * Applies modifications exactly as skalibs' env_merge does (env_mexec and friends): each one
 * removes its variable by moving the last entry into its slot, then appends NAME=value (a null
 * value only removes). The order of the resulting environment is observable with `env`.
 */
export function mergeEnv(st: State, modifs: ReadonlyArray<readonly [string, string | null]>): void {
  const v = [...st.env];
  // Where each name stands in v, so a long list of modifications (positional parameters of a
  // 100,000-argument script) costs linear time, not quadratic.
  const at = new Map<string, number>();
  v.forEach(([k], i) => {
    at.set(k, i);
  });
  for (const [key, value] of modifs) {
    const j = at.get(key);
    if (j !== undefined) {
      const last = v.pop()!;
      at.delete(key);
      if (j < v.length) {
        v[j] = last;
        at.set(last[0], j);
      }
    }
    if (value !== null) {
      at.set(key, v.length);
      v.push([key, value]);
    }
  }
  st.env = new Map(v);
}

function prefixOf(name: string, prefixes: readonly string[]): number {
  for (const p of prefixes) if (name.startsWith(p)) return p.length;
  return -1;
}

/** Splits NAME into [base, level]: "X" is level 0, "X:n" level n; null if not a stack name. */
function stackLevel(name: string, from: number): [string, number] | null {
  const colon = name.indexOf(':', from);
  if (colon < 0) return [name, 0];
  const digits = name.slice(colon + 1);
  if (!/^[0-9]*$/.test(digits)) return null;
  return [name.slice(0, colon), digits === '' ? 0 : Number(digits)];
}

/** Pushes the current frame (el_pushenv): X becomes X:1, X:n becomes X:n+1, in place. */
export function pushPositionals(st: State, prefixes: readonly string[] = POSITIONAL_PREFIXES): void {
  const next = new Map<string, string>();
  for (const [k, v] of st.env) {
    const p = prefixOf(k, prefixes);
    const lv = p < 0 ? null : stackLevel(k, p);
    next.set(lv ? `${lv[0]}:${lv[1] + 1}` : k, v);
  }
  st.env = next;
}

/** Pops the current frame (el_popenv): X goes, X:1 becomes X, X:n becomes X:n-1. */
export function popPositionals(st: State, prefixes: readonly string[] = POSITIONAL_PREFIXES): void {
  const next = new Map<string, string>();
  for (const [k, v] of st.env) {
    const p = prefixOf(k, prefixes);
    if (p < 0) {
      next.set(k, v);
      continue;
    }
    if (k.indexOf(':', p) < 0) continue; // the current frame is dropped
    const lv = stackLevel(k, p);
    if (!lv || lv[1] === 0) next.set(k, v);
    else next.set(lv[1] > 1 ? `${lv[0]}:${lv[1] - 1}` : lv[0], v);
  }
  st.env = next;
}
