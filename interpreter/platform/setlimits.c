/* setlimits: the last step of an exec in place under resource limits (s6-softlimit).
 *
 * A Node process cannot apply a memory limit to itself and then exec: its other threads (V8's
 * garbage collector and compiler, libuv's pool) still run between setrlimit and execve, and one
 * of their allocations failing under the new limit aborts the process instead of running the
 * program. So the exec goes through this single-threaded program: everything else of the plan
 * (fd table, signal dispositions and mask, credentials) is already applied by the caller; this
 * sets the limits and execs the program as skalibs' exec_ae does, and on failure says what the
 * caller would have said, with its exit code (exitcodes.html: 127 not found, 126 otherwise, 111
 * for a limit that cannot be set).
 *
 *   setlimits PROG NAME N [RESOURCE SOFT HARD]*N M [CANDIDATE]*M -- ARGV...
 *
 * PROG and NAME make the message ("PROG: fatal: unable to exec NAME: ..."); the limits are
 * decimal; the candidates are the paths to try, in order; ARGV is the program's argv (argv[0]
 * included). The environment is the program's. Linked statically where the system allows it:
 * nothing named by the environment is loaded into it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

extern char **environ;

static void die(const char *prog, const char *what, const char *name, int err, int code) {
  dprintf(2, "%s: fatal: unable to %s%s%s: %s\n", prog, what, name ? " " : "", name ? name : "", strerror(err));
  _exit(code);
}

static unsigned long long num(const char *s) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || end == s) _exit(111);
  return v;
}

int main(int argc, char **argv) {
  if (argc < 6) _exit(111);
  const char *prog = argv[1], *name = argv[2];
  int i = 3;
  unsigned long long n = num(argv[i++]);
  if (n > (unsigned long long)(argc - i) / 3) _exit(111);
  for (unsigned long long k = 0; k < n; k++, i += 3) {
    struct rlimit r = { (rlim_t)num(argv[i + 1]), (rlim_t)num(argv[i + 2]) };
    if (setrlimit((int)num(argv[i]), &r) < 0) die(prog, "setrlimit", NULL, errno, 111);
  }
  if (i >= argc) _exit(111);
  unsigned long long m = num(argv[i++]);
  if (m > (unsigned long long)(argc - i)) _exit(111);
  char **cand = argv + i;
  i += (int)m;
  if (i >= argc || strcmp(argv[i], "--") || i + 1 >= argc) _exit(111);
  char **args = argv + i + 1;
  /* skalibs' exec_ae: ENOENT goes on; EACCES, EPERM, EISDIR, ENOTDIR are remembered and go on;
     anything else stops. errno 0 (Success) when there was nothing to try. */
  int saved = m ? ENOENT : 0;
  for (unsigned long long k = 0; k < m; k++) {
    execve(cand[k], args, environ);
    int e = errno;
    if (e == ENOENT) continue;
    saved = e;
    if (e != EACCES && e != EPERM && e != EISDIR && e != ENOTDIR) break;
  }
  die(prog, "exec", name, saved, saved == ENOENT ? 127 : 126);
  return 111;
}
