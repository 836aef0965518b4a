// Which command names may go on a user's PATH. Shared by the installer, the CLI and the library
// API (which must not load the runtime).

/**
 * Whether `name` may go on a user's PATH (npm's bin links, the bin dir of Debian's layout): the
 * names that cannot shadow a system tool or a shell builtin. `cd`, `if`, `exit`, `wait`,
 * `import`, `exec`... stay out, as Debian keeps every execline command but execlineb out of
 * /usr/bin. In: execline*, el*, s6-*, with-contenv, printcontenv.
 */
export function isPathSafe(name: string): boolean {
  return /^(execline|el[a-z]|s6-)/.test(name) || name === 'with-contenv' || name === 'printcontenv';
}
