/*
 * The launcher: the small C program installed under every command name (bin/execlineb,
 * bin/fdmove, ...). It stands between the caller and Node so that Node never sees, and never
 * changes, what the script must see:
 *
 *  - It records the process as the caller made it, before Node touches anything: argv and
 *    environment byte for byte and in order, the open fds (Node marks fds 3-15 close-on-exec
 *    and opens /dev/null on a closed 0, 1 or 2), the soft and hard RLIMIT_NOFILE (Node raises
 *    the soft one), the ignored and the blocked signals (Node ignores SIGPIPE and SIGXFSZ).
 *    The record goes into an anonymous file (memfd) whose number Node gets as --state-fd N.
 *  - It starts Node with an empty environment and fixed flags, so that NODE_OPTIONS,
 *    NODE_EXTRA_CA_CERTS, NODE_DEBUG, UV_THREADPOOL_SIZE... meant for the container's programs
 *    cannot steer the interpreter (they still reach every program: they are in the record).
 *
 * Where Node and the bundle are: a config block in this binary, filled in by the installer
 * (interpreter/package/install.ts) after the marker "execline-ts launcher config:", as
 * "<command name>\0" then one or more "<node path>\0<entry path>\0" pairs, then "\0". Paths
 * are relative to the directory this binary really is in (/proc/self/exe, symlinks resolved), so
 * an installed tree can be moved and npm's bin symlinks work; the first pair whose Node is
 * executable and whose entry file is readable is used (the npm package lists where npm puts its
 * Node dependency, nested, then hoisted: the hoisted pair only inside a node_modules directory).
 * Nothing comes from the environment, and without /proc nothing is run.
 *
 * Record format (all integers native-endian uint32 unless said):
 *   "ELTS1\n", argc, argc strings (NUL-terminated), envc, envc strings,
 *   nfds, nfds x int32 fd, uint64 nofile soft, uint64 nofile hard,
 *   uint64 ignored-signal mask, uint64 blocked-signal mask (bit n-1 for signal n).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

/* Patched by the installer; the marker also tells our trampoline that a path is one of us. */
#define MARKER "execline-ts launcher config:"
static volatile char config[4096] __attribute__((used)) = MARKER;

static char *buf;
static size_t len, cap;

static void put(const void *p, size_t n) {
  if (len + n > cap) {
    size_t c = cap ? cap : 4096;
    while (c < len + n) c *= 2;
    char *b = realloc(buf, c);
    if (!b) {
      static const char m[] = "execline: fatal: out of memory\n";
      if (write(2, m, sizeof m - 1)) {}
      _exit(111);
    }
    buf = b;
    cap = c;
  }
  memcpy(buf + len, p, n);
  len += n;
}

static void put32(uint32_t x) { put(&x, 4); }
static void put64(uint64_t x) { put(&x, 8); }
static void putstr(const char *s) { put(s, strlen(s) + 1); }

static void die(const char *name, const char *what, int e) {
  char m[512];
  int n = snprintf(m, sizeof m, "%s: fatal: %s: %s\n", name, what, strerror(e));
  if (n > 0 && write(2, m, (size_t)n)) {}
  _exit(111);
}

int main(int argc, char **argv) {
  const char *name = argc > 0 && argv[0] ? argv[0] : "execline";
  const char *slash = strrchr(name, '/');
  if (slash) name = slash + 1;
  /* The command this copy was installed as: it is the command whatever argv[0] says (exec -a,
     a symlink, a renamed copy, a login dash), as each reference command is its own binary. */
  const char *command = (const char *)config + sizeof(MARKER) - 1;
  const char *pairs = command + strlen(command) + 1;
  if (!*command || !*pairs) {
    static const char m[] = "execline: fatal: this launcher was not installed (no Node path in it)\n";
    if (write(2, m, sizeof m - 1)) {}
    return 111;
  }
  /* Messages carry the command's name, as the reference binary's PROG does. */
  name = command;
  const char *node = NULL, *entry = NULL;
  static char nodebuf[PATH_MAX], entrybuf[PATH_MAX];
  int why = 0;
  const char *first = NULL;
  {
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    size_t dlen = 0;
    if (n > 0 && (size_t)n < sizeof self - 1) {
      self[n] = 0;
      char *s = strrchr(self, '/');
      if (s) dlen = (size_t)(s - self);
    }
    /* A pair that climbs out of the package ("../../x", where npm hoists the package's Node
       beside it) is only used when the package really sits in a node_modules directory: a
       checkout elsewhere must not run whatever lies beside it. */
    int in_node_modules = 0;
    if (dlen) {
      char up[PATH_MAX];
      snprintf(up, sizeof up, "%.*s", (int)dlen, self);
      char *a1 = strrchr(up, '/');
      if (a1) {
        *a1 = 0;
        char *a2 = strrchr(up, '/');
        if (a2) {
          *a2 = 0;
          const char *base = strrchr(up, '/');
          in_node_modules = strcmp(base ? base + 1 : up, "node_modules") == 0;
        }
      }
    }
    for (const char *p = pairs; *p;) {
      const char *e = p + strlen(p) + 1;
      const char *next = e + strlen(e) + 1;
      if (!*e) break;
      /* Only paths relative to this binary's real directory: with no /proc there is no safe
         way to know where that is (the tree may have been moved, and its old place taken). */
      if (dlen && p[0] != '/' && e[0] != '/' && (strncmp(p, "../../", 6) != 0 || in_node_modules)) {
        int ln = snprintf(nodebuf, sizeof nodebuf, "%.*s/%s", (int)dlen, self, p);
        int le = snprintf(entrybuf, sizeof entrybuf, "%.*s/%s", (int)dlen, self, e);
        /* A path cut short would name another file: such a pair is not used. */
        if (ln < 0 || le < 0 || (size_t)ln >= sizeof nodebuf || (size_t)le >= sizeof entrybuf) {
          if (!why) why = ENAMETOOLONG;
          p = next;
          continue;
        }
        if (!first) first = strdup(nodebuf);
        if (access(nodebuf, X_OK) == 0 && access(entrybuf, R_OK) == 0) {
          node = nodebuf;
          entry = entrybuf;
          break;
        }
        if (!why) why = errno;
      } else if (!dlen && !why) why = n < 0 ? errno : ENOENT;
      p = next;
    }
  }
  if (!node) {
    char m[PATH_MAX + 200];
    int k = snprintf(m, sizeof m, "%s: fatal: unable to find the execline-ts runtime (Node.js and its bundle) at %s: %s\n", name, first ? first : "/proc/self/exe", strerror(why ? why : ENOENT));
    if (k > 0 && write(2, m, (size_t)k)) {}
    return 111;
  }

  put("ELTS1\n", 6);
  put32((uint32_t)argc);
  for (int i = 0; i < argc; i++) putstr(argv[i]);
  uint32_t envc = 0;
  for (char **e = environ; *e; e++) envc++;
  put32(envc);
  for (char **e = environ; *e; e++) putstr(*e);

  /* The open fds, before this program opens any. */
  int fds[4096];
  uint32_t nfds = 0;
  DIR *d = opendir("/proc/self/fd");
  if (d) {
    int self = dirfd(d);
    struct dirent *de;
    while ((de = readdir(d)) && nfds < 4096) {
      if (de->d_name[0] < '0' || de->d_name[0] > '9') continue;
      int fd = atoi(de->d_name);
      if (fd != self) fds[nfds++] = fd;
    }
    closedir(d);
  } else {
    /* No /proc: ask every fd below the hard limit (an fd can lie above a lowered soft one). */
    struct rlimit r;
    long top = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_max != RLIM_INFINITY && r.rlim_max < (1 << 20) ? (long)r.rlim_max : 1 << 20;
    for (long fd = 0; fd < top && nfds < 4096; fd++) if (fcntl((int)fd, F_GETFD) >= 0) fds[nfds++] = (int)fd;
  }
  put32(nfds);
  for (uint32_t i = 0; i < nfds; i++) put(&fds[i], 4);

  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0) rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
  put64((uint64_t)rl.rlim_cur);
  put64((uint64_t)rl.rlim_max);

  uint64_t ign = 0, blocked = 0;
  sigset_t mask;
  sigprocmask(SIG_SETMASK, NULL, &mask);
  for (int sig = 1; sig <= 64 && sig < _NSIG; sig++) {
    struct sigaction sa;
    if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) ign |= 1ULL << (sig - 1);
    if (sigismember(&mask, sig) == 1) blocked |= 1ULL << (sig - 1);
  }
  put64(ign);
  put64(blocked);

  /* Node needs some 30 fds of its own to start: below that it crashes. Say so instead. */
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 64) {
    char m[160];
    int n = snprintf(m, sizeof m, "%s: fatal: the open-files limit (%lu) is too low to start Node.js: 64 at least\n", name, (unsigned long)rl.rlim_max);
    if (n > 0 && write(2, m, (size_t)n)) {}
    return 111;
  }

  /* The record goes into a memfd; writes to it count against RLIMIT_FSIZE, which the caller may
     have set low for its program: SIGXFSZ is held off meanwhile, and a pipe (which no file-size
     limit applies to) takes the record if the memfd cannot. */
  struct sigaction hold, oldxfsz;
  memset(&hold, 0, sizeof hold);
  hold.sa_handler = SIG_IGN;
  sigaction(SIGXFSZ, &hold, &oldxfsz);
  int mfd = (int)syscall(SYS_memfd_create, "execline-state", 0);
  if (mfd < 0) die(name, "unable to create the state file", errno);
  for (size_t off = 0; off < len;) {
    ssize_t w = write(mfd, buf + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EFBIG) die(name, "unable to write the state file", errno);
      int p[2];
      close(mfd);
      if (pipe(p) < 0) die(name, "unable to create the state pipe", errno);
      if (fcntl(p[1], F_SETPIPE_SZ, (int)len) < (int)len) die(name, "unable to write the state file", EFBIG);
      fcntl(p[1], F_SETFD, FD_CLOEXEC);
      for (size_t o = 0; o < len;) {
        ssize_t x = write(p[1], buf + o, len - o);
        if (x < 0) die(name, "unable to write the state pipe", errno);
        o += (size_t)x;
      }
      mfd = p[0];
      break;
    }
    off += (size_t)w;
  }
  sigaction(SIGXFSZ, &oldxfsz, NULL);
  char fdarg[16];
  snprintf(fdarg, sizeof fdarg, "%d", mfd);
  char *nargv[] = { (char *)node, "--disable-sigusr1", "--disable-wasm-trap-handler", (char *)entry, "--state-fd", fdarg, "--command", (char *)command, NULL };
  if (!*command) nargv[6] = NULL;
  /* The signal guard (sigguard.c) beside the entry file: Node must not discard a pending SIGPIPE. */
  static char preload[4200];
  const char *dir_end = strrchr(entry, '/');
  char *nenv[] = { preload, NULL };
  /* ld.so splits LD_PRELOAD at blanks and colons: a path holding one would preload something
     else. Such a path goes without the guard (only a signal sent while Node starts can tell). */
  if (dir_end && (size_t)(dir_end - entry) < sizeof preload - 40 && !strpbrk(entry, " \t\n:")) {
    snprintf(preload, sizeof preload, "LD_PRELOAD=%.*s/sigguard.so", (int)(dir_end - entry), entry);
    if (access(preload + 11, R_OK) != 0) nenv[0] = NULL;
  } else nenv[0] = NULL;
  /* Until Node has set the dispositions of the process it stands for (main.ts), no signal may
     be handled by Node's own: all are blocked, and delivered once they are right. */
  sigset_t all;
  sigfillset(&all);
  sigprocmask(SIG_SETMASK, &all, NULL);
  execve(node, nargv, nenv);
  sigprocmask(SIG_SETMASK, &mask, NULL);
  die(name, "unable to exec Node.js", errno);
  return 111;
}
