/*
 * The platform layer's native half: the POSIX calls Node lacks, as a small N-API addon
 * (dist/sys.node), loaded in ~1 ms. Everything that must happen between fork and exec lives
 * here, because Node cannot run JavaScript there:
 *
 *   spawn()   vfork + exact fd table + signal dispositions + rlimits + PATH-search execve, with
 *             the errno of the failed step reported back (skalibs' child_spawn does the same
 *             through a pipe; with vfork the child writes it into the parent's memory).
 *   execve()  the same, in place: apply the table, dispositions and limits, then try each
 *             candidate path; returns (throws) the errno instead of aborting as process.execve does.
 *   waitpid(), dup2(), fcntl flags, pipe2(), setsid(), setpgid(), tcsetpgrp(), get/setrlimit(),
 *   signal dispositions, _exit().
 *
 * The fd table is given as exact pairs (target, source): after the call the process holds the
 * targets, each a copy of its source without close-on-exec, and no other fd survives the exec.
 * PATH search follows skalibs' exec_ae: a candidate failing with ENOENT is skipped; EACCES, EPERM,
 * EISDIR and ENOTDIR are remembered and the search goes on; any other errno ends it.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <dirent.h>
#include <dlfcn.h>
#include <sys/prctl.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define NSIG_MAX 65

/* ---------------------------------------------------------------- argument helpers */

static napi_value throw_errno(napi_env env, const char *call, int e, const char *stage) {
  napi_value err, msg, code, num, st;
  char buf[160];
  const char *name = NULL;
  /* The errno name as Node spells it (ENOENT...), for SysError.code. */
  switch (e) {
#define E(x) case x: name = #x; break;
    E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF) E(ECHILD)
    E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(EBUSY) E(EEXIST) E(EXDEV) E(ENODEV) E(ENOTDIR)
    E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY) E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE)
    E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE) E(ELOOP) E(ENAMETOOLONG) E(ENOSYS) E(ELIBBAD)
    E(ENOTSUP) E(ESTALE) E(EOVERFLOW) E(ELIBACC) E(ELIBEXEC)
#undef E
    default: break;
  }
  char nbuf[24];
  if (!name) { snprintf(nbuf, sizeof nbuf, "E%d", e); name = nbuf; }
  snprintf(buf, sizeof buf, "%s: %s", call, name);
  napi_create_string_utf8(env, buf, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &err);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code);
  napi_set_named_property(env, err, "code", code);
  napi_create_int32(env, e, &num);
  napi_set_named_property(env, err, "errno", num);
  napi_create_string_utf8(env, stage ? stage : call, NAPI_AUTO_LENGTH, &st);
  napi_set_named_property(env, err, "stage", st);
  napi_throw(env, err);
  return NULL;
}

static int get_i32(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

static napi_value make_i32(napi_env env, int32_t n) {
  napi_value v;
  napi_create_int32(env, n, &v);
  return v;
}

/* [x, y] */
static napi_value make_pair(napi_env env, napi_value x, napi_value y) {
  napi_value out;
  napi_create_array_with_length(env, 2, &out);
  napi_set_element(env, out, 0, x);
  napi_set_element(env, out, 1, y);
  return out;
}

/* A JS array of Buffers (each NUL-terminated by the caller) -> a NULL-terminated char* array. */
static char **buffer_list(napi_env env, napi_value arr, uint32_t *count) {
  uint32_t n = 0;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **out = calloc(n + 1, sizeof(char *));
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    void *data;
    size_t len;
    napi_get_element(env, arr, i, &el);
    if (napi_get_buffer_info(env, el, &data, &len) != napi_ok) { free(out); return NULL; }
    out[i] = data;
  }
  if (count) *count = n;
  return out;
}

/* A typed array of the given type -> pointer and length (NULL if it is not one). */
static void *typed_array(napi_env env, napi_value v, napi_typedarray_type want, size_t *len) {
  napi_typedarray_type t;
  void *data;
  napi_value ab;
  size_t off;
  if (napi_get_typedarray_info(env, v, &t, len, &data, &ab, &off) != napi_ok || t != want) return NULL;
  return data;
}

#define int_array(env, v, len) ((int32_t *)typed_array(env, v, napi_int32_array, len))
#define u64_array(env, v, len) ((uint64_t *)typed_array(env, v, napi_biguint64_array, len))

static uint64_t get_u64(napi_env env, napi_value v) {
  uint64_t x = 0;
  bool lossless;
  napi_get_value_bigint_uint64(env, v, &x, &lossless);
  return x;
}

/* ---------------------------------------------------------------- the work between fork and exec */

/* Everything one spawn or exec needs, prepared before the fork: the child only makes syscalls. */
struct plan {
  char **files;      /* candidate paths, tried in order */
  char **argv;
  char **envp;
  int32_t *pairs;    /* target, source, target, source... */
  size_t npairs;
  uint64_t *limits;  /* resource, soft, hard, ... */
  size_t nlimits;
  uint64_t ign;      /* bit n-1: signal n ignored in the program, every other one default */
  sigset_t mask;     /* the program's blocked signals */
  int64_t uid, gid;  /* -1: unchanged; otherwise 0 to 0xfffffffe (a uid_t or gid_t) */
  int32_t *groups;   /* supplementary groups, or NULL: unchanged */
  size_t ngroups;
  int child;         /* 1 in a vfork child: close unwanted fds; 0 in place: mark them close-on-exec */
  int libc_search;   /* 1: glibc's execvp rules (the reference's spawns); 0: skalibs' exec_ae */
  int maxfd;         /* above every target and source */
  /* Set by the child on failure (shared memory under vfork). */
  volatile int err;
  volatile int stage; /* 0 exec, 1 dup, 2 setrlimit, 3 sigaction, 4 setgroups, 5 setgid, 6 setuid */
};

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return x < y ? -1 : x > y;
}

/* Marks close-on-exec (in place) or closes (in a child) every fd in [lo, hi]. */
static void drop_range(unsigned lo, unsigned hi, int child) {
  if (lo > hi) return;
  if (syscall(SYS_close_range, lo, hi, child ? 0 : CLOSE_RANGE_CLOEXEC) == 0) return;
  /* No close_range (before Linux 5.9, or 5.11 for the flag): list /proc/self/fd with raw
     getdents64, which needs no malloc (this may run in a vfork child). */
  int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) {
    for (unsigned fd = lo; fd <= hi && fd < 65536; fd++) {
      if (child) close(fd);
      else fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    return;
  }
  char buf[4096];
  for (;;) {
    long n = syscall(SYS_getdents64, dfd, buf, sizeof buf);
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      unsigned short reclen = *(unsigned short *)(buf + off + 16);
      const char *name = buf + off + 19;
      off += reclen;
      if (name[0] < '0' || name[0] > '9') continue;
      unsigned fd = 0;
      for (const char *p = name; *p; p++) fd = fd * 10 + (unsigned)(*p - '0');
      if (fd < lo || fd > hi || (int)fd == dfd) continue;
      if (child) close((int)fd);
      else fcntl((int)fd, F_SETFD, FD_CLOEXEC);
    }
  }
  close(dfd);
}

/* Returns 0, or sets p->err / p->stage and returns -1. Only syscalls: safe in a vfork child. */
static int apply_plan(struct plan *p) {
  int tmp[p->npairs ? p->npairs : 1];
  int targets[p->npairs ? p->npairs : 1];
  /* 1. every source that moves gets a close-on-exec copy above all targets, so that no dup2
        onto a target destroys a source still needed (fdswap, fdmove 1 2 + fdmove 2 1...). */
  for (size_t i = 0; i < p->npairs; i++) {
    int t = p->pairs[2 * i], s = p->pairs[2 * i + 1];
    targets[i] = t;
    tmp[i] = -1;
    if (s != t) {
      tmp[i] = fcntl(s, F_DUPFD_CLOEXEC, p->maxfd + 1);
      if (tmp[i] < 0) { p->err = errno; p->stage = 1; return -1; }
    }
  }
  /* 2. into place, without close-on-exec */
  for (size_t i = 0; i < p->npairs; i++) {
    int t = p->pairs[2 * i];
    if (tmp[i] < 0) {
      int fl = fcntl(t, F_GETFD);
      if (fl < 0 || (fl & FD_CLOEXEC && fcntl(t, F_SETFD, fl & ~FD_CLOEXEC) < 0)) { p->err = errno; p->stage = 1; return -1; }
    } else if (dup2(tmp[i], t) < 0) {
      p->err = errno; p->stage = 1; return -1;
    }
  }
  /* 3. nothing else survives the exec */
  qsort(targets, p->npairs, sizeof(int), cmp_int);
  unsigned lo = 0;
  for (size_t i = 0; i < p->npairs; i++) {
    if ((unsigned)targets[i] > lo) drop_range(lo, (unsigned)targets[i] - 1, p->child);
    lo = (unsigned)targets[i] + 1;
  }
  drop_range(lo, ~0U, p->child);
  return 0;
}

static int apply_signals(struct plan *p) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  for (int sig = 1; sig < NSIG_MAX && sig < _NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sa.sa_handler = (p->ign >> (sig - 1)) & 1 ? SIG_IGN : SIG_DFL;
    /* glibc refuses its two internal signals (32, 33): raw syscall, as posix_spawn does. */
    syscall(SYS_rt_sigaction, sig, &sa, NULL, _NSIG / 8);
  }
  return 0;
}

static int apply_limits(struct plan *p) {
  for (size_t i = 0; i + 3 <= p->nlimits; i += 3) {
    struct rlimit r = { (rlim_t)p->limits[i + 1], (rlim_t)p->limits[i + 2] };
    if (setrlimit((int)p->limits[i], &r) < 0) { p->err = errno; p->stage = 2; return -1; }
  }
  return 0;
}

/* skalibs' exec_ae (or glibc's execvp, for spawns) over the prepared candidates. Returns only
   on failure, with p->err set. */
static void try_exec(struct plan *p) {
  if (p->libc_search) {
    /* glibc: EACCES is remembered; a missing or unusable directory goes on; anything else stops. */
    int eacces = 0, last = ENOENT;
    for (char **f = p->files; *f; f++) {
      execve(*f, p->argv, p->envp);
      int e = errno;
      if (e == EACCES) { eacces = 1; last = e; continue; }
      if (e == ENOENT || e == ESTALE || e == ENOTDIR || e == ENODEV || e == ETIMEDOUT) { last = e; continue; }
      p->err = e;
      p->stage = 0;
      return;
    }
    p->err = eacces ? EACCES : last;
    p->stage = 0;
    return;
  }
  /* skalibs: errno as the last failure left it; 0 (Success) when there was nothing to try. */
  int saved = p->files[0] ? ENOENT : 0;
  for (char **f = p->files; *f; f++) {
    execve(*f, p->argv, p->envp);
    int e = errno;
    if (e == ENOENT) continue;
    saved = e;
    if (e != EACCES && e != EPERM && e != EISDIR && e != ENOTDIR) break;
  }
  p->err = saved;
  p->stage = 0;
}

/* Raw syscalls: glibc's wrappers would broadcast the change to the threads of the (shared) parent. */
static int apply_creds(struct plan *p) {
  if (p->groups && syscall(SYS_setgroups, p->ngroups, p->groups) < 0) { p->err = errno; p->stage = 4; return -1; }
  if (p->gid >= 0 && syscall(SYS_setresgid, (gid_t)p->gid, (gid_t)p->gid, (gid_t)p->gid) < 0) { p->err = errno; p->stage = 5; return -1; }
  if (p->uid >= 0 && syscall(SYS_setresuid, (uid_t)p->uid, (uid_t)p->uid, (uid_t)p->uid) < 0) { p->err = errno; p->stage = 6; return -1; }
  return 0;
}

static void __attribute__((noinline, noreturn)) child_main(struct plan *p) {
  if (apply_plan(p) == 0 && apply_limits(p) == 0 && apply_creds(p) == 0) {
    apply_signals(p);
    /* As glibc's posix_spawn (the reference's spawns) leaves them: its two internal signals
       (SIGCANCEL, SIGSETXID) ignored in the child. */
    struct sigaction igs;
    memset(&igs, 0, sizeof igs);
    igs.sa_handler = SIG_IGN;
    for (int sig = 32; sig <= 33; sig++) syscall(SYS_rt_sigaction, sig, &igs, NULL, _NSIG / 8);
    sigprocmask(SIG_SETMASK, &p->mask, NULL);
    try_exec(p);
  }
  _exit(127);
}

/* Reads spawn()/execve() arguments: files, argv, envp, pairs, limits, ign, mask. */
static int read_plan(napi_env env, napi_value *a, struct plan *p) {
  memset((void *)p, 0, sizeof *p);
  p->files = buffer_list(env, a[0], NULL);
  p->argv = buffer_list(env, a[1], NULL);
  p->envp = buffer_list(env, a[2], NULL);
  size_t n = 0;
  p->pairs = int_array(env, a[3], &n);
  p->npairs = n / 2;
  p->limits = u64_array(env, a[4], &p->nlimits);
  p->ign = get_u64(env, a[5]);
  uint64_t m = get_u64(env, a[6]);
  /* (int64: a uid of 2^31 or more is a uid, not "unchanged") */
  int64_t uid = -1, gid = -1;
  napi_get_value_int64(env, a[7], &uid);
  napi_get_value_int64(env, a[8], &gid);
  if (uid > 0xfffffffeLL) uid = -1;
  if (gid > 0xfffffffeLL) gid = -1;
  int32_t libc = 0;
  get_i32(env, a[10], &libc);
  p->libc_search = libc;
  p->uid = uid;
  p->gid = gid;
  napi_valuetype gt;
  napi_typeof(env, a[9], &gt);
  if (gt == napi_object) {
    size_t ng = 0;
    p->groups = int_array(env, a[9], &ng);
    p->ngroups = ng;
  }
  sigemptyset(&p->mask);
  for (int sig = 1; sig < NSIG_MAX && sig < _NSIG; sig++) if ((m >> (sig - 1)) & 1) sigaddset(&p->mask, sig);
  if (!p->files || !p->argv || !p->envp || (!p->pairs && n) ) return 0;
  int max = 2;
  for (size_t i = 0; i < 2 * p->npairs; i++) if (p->pairs[i] > max) max = p->pairs[i];
  p->maxfd = max;
  return 1;
}

static void free_plan(struct plan *p) {
  free(p->files);
  free(p->argv);
  free(p->envp);
}

static const char *stage_name(int s) {
  return s == 1 ? "dup2" : s == 2 ? "setrlimit" : s == 3 ? "sigaction" : s == 4 ? "set supplementary group list" : s == 5 ? "setgid" : s == 6 ? "setuid" : "exec";
}

/* The arguments of spawn() and execve(): (files, argv, envp, pairs, limits, ign, mask, uid, gid,
   groups, libcSearch[, recover]) into a[] and p; 0 (and a TypeError thrown) if they are wrong. */
static int get_plan(napi_env env, napi_callback_info info, napi_value *a, size_t *argc, struct plan *p, const char *call) {
  *argc = 12;
  napi_get_cb_info(env, info, argc, a, NULL, NULL);
  if (*argc < 11 || !read_plan(env, a, p)) {
    free_plan(p);
    char m[64];
    snprintf(m, sizeof m, "%s: bad arguments", call);
    napi_throw_type_error(env, NULL, m);
    return 0;
  }
  return 1;
}

/* spawn(plan...) -> pid; throws with .code and .stage. */
static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value a[12];
  struct plan p;
  if (!get_plan(env, info, a, &argc, &p, "spawn")) return NULL;
  p.child = 1;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = vfork();
  if (pid == 0) child_main(&p);
  int e = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (pid < 0) {
    free_plan(&p);
    return throw_errno(env, "vfork", e, "fork");
  }
  if (p.err) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    int err = p.err, stage = p.stage;
    free_plan(&p);
    return throw_errno(env, stage_name(stage), err, stage_name(stage));
  }
  free_plan(&p);
  return make_i32(env, pid);
}

/* execve(plan...[, recover]): never returns on success; throws (after putting the process back with recover). */
static napi_value Execve(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value a[12];
  struct plan p;
  if (!get_plan(env, info, a, &argc, &p, "execve")) return NULL;
  p.child = 0;
  /* recover: the process goes on after a failed exec (tryexec): what the plan changes is saved
     first and put back after (the fds moved into place, signal dispositions, resource limits). */
  bool recover = false;
  if (argc > 11) napi_get_value_bool(env, a[11], &recover);
  size_t n = p.npairs;
  int saved[n ? n : 1], savedfl[n ? n : 1];
  struct sigaction acts[NSIG_MAX];
  struct rlimit lims[p.nlimits / 3 + 1];
  if (recover) {
    for (size_t i = 0; i < n; i++) {
      int t = p.pairs[2 * i];
      savedfl[i] = fcntl(t, F_GETFD);
      saved[i] = savedfl[i] < 0 ? -1 : fcntl(t, F_DUPFD_CLOEXEC, p.maxfd + 1);
    }
    for (int sig = 1; sig < NSIG_MAX && sig < _NSIG; sig++) syscall(SYS_rt_sigaction, sig, NULL, &acts[sig], _NSIG / 8);
    for (size_t i = 0; i + 3 <= p.nlimits; i += 3) getrlimit((int)p.limits[i], &lims[i / 3]);
  }
  sigset_t all, old;
  sigfillset(&all);
  /* No handler of Node's may run between resetting the dispositions and the exec. */
  pthread_sigmask(SIG_SETMASK, &all, &old);
  /* The limits come last, just before the exec: Node's other threads (V8's GC and compiler)
     still run in this process, and a memory limit (s6-softlimit -d, -a) applied earlier could
     make one of their allocations fail. Our limits only lower soft values or restore them, which
     needs no privilege, so they may follow the credentials. */
  if (apply_plan(&p) == 0 && apply_creds(&p) == 0) {
    apply_signals(&p);
    pthread_sigmask(SIG_SETMASK, &p.mask, NULL);
    if (apply_limits(&p) == 0) try_exec(&p);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
  }
  if (recover) {
    for (size_t i = 0; i + 3 <= p.nlimits; i += 3) setrlimit((int)p.limits[i], &lims[i / 3]);
    for (int sig = 1; sig < NSIG_MAX && sig < _NSIG; sig++) {
      if (sig == SIGKILL || sig == SIGSTOP) continue;
      syscall(SYS_rt_sigaction, sig, &acts[sig], NULL, _NSIG / 8);
    }
    for (size_t i = 0; i < n; i++) {
      int t = p.pairs[2 * i];
      if (saved[i] >= 0) {
        dup2(saved[i], t);
        fcntl(t, F_SETFD, savedfl[i]);
        close(saved[i]);
      } else close(t);
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  int err = p.err, stage = p.stage;
  free_plan(&p);
  return throw_errno(env, stage_name(stage), err, stage_name(stage));
}

/* waitpid(pid, nohang) -> null (nothing yet) | [pid, rawStatus]; throws ECHILD... */
static napi_value Waitpid(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value a[2];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  int32_t pid = -1;
  bool nohang = false;
  get_i32(env, a[0], &pid);
  if (argc > 1) napi_get_value_bool(env, a[1], &nohang);
  int st = 0;
  pid_t r;
  do r = waitpid(pid, &st, nohang ? WNOHANG : 0); while (r < 0 && errno == EINTR);
  if (r < 0) return throw_errno(env, "waitpid", errno, NULL);
  napi_value out;
  if (r == 0) {
    napi_get_null(env, &out);
    return out;
  }
  return make_pair(env, make_i32(env, r), make_i32(env, st));
}

#define INT_CALL(NAME, EXPR, CALL)                                      \
  static napi_value NAME(napi_env env, napi_callback_info info) {       \
    size_t argc = 3;                                                    \
    napi_value a[3];                                                    \
    int32_t x = 0, y = 0, z = 0;                                        \
    napi_get_cb_info(env, info, &argc, a, NULL, NULL);                  \
    if (argc > 0) get_i32(env, a[0], &x);                               \
    if (argc > 1) get_i32(env, a[1], &y);                               \
    if (argc > 2) get_i32(env, a[2], &z);                               \
    (void)x; (void)y; (void)z;                                          \
    long r = (EXPR);                                                    \
    if (r < 0) return throw_errno(env, CALL, errno, NULL);              \
    return make_i32(env, (int32_t)r);                                   \
  }

INT_CALL(Dup2, dup2(x, y), "dup2")
INT_CALL(Fcntl, fcntl(x, y, z), "fcntl")
INT_CALL(Setsid, setsid(), "setsid")
INT_CALL(Setpgid, setpgid(x, y), "setpgid")
INT_CALL(Getpgrp, getpgrp(), "getpgrp")
INT_CALL(Tcsetpgrp, tcsetpgrp(x, y), "tcsetpgrp")

/* pipe2(flags) -> [read, write] */
static napi_value Pipe2(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  int32_t flags = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc > 0) get_i32(env, a[0], &flags);
  int fds[2];
  if (pipe2(fds, flags) < 0) return throw_errno(env, "pipe2", errno, NULL);
  return make_pair(env, make_i32(env, fds[0]), make_i32(env, fds[1]));
}

/* getrlimit(resource) -> [soft, hard] as BigInts */
static napi_value Getrlimit(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  int32_t res = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  get_i32(env, a[0], &res);
  struct rlimit r;
  if (getrlimit(res, &r) < 0) return throw_errno(env, "getrlimit", errno, NULL);
  napi_value s, h;
  napi_create_bigint_uint64(env, (uint64_t)r.rlim_cur, &s);
  napi_create_bigint_uint64(env, (uint64_t)r.rlim_max, &h);
  return make_pair(env, s, h);
}

/* setrlimit(resource, soft, hard) with BigInts */
static napi_value Setrlimit(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value a[3];
  int32_t res = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  get_i32(env, a[0], &res);
  struct rlimit r = { (rlim_t)get_u64(env, a[1]), (rlim_t)get_u64(env, a[2]) };
  if (setrlimit(res, &r) < 0) return throw_errno(env, "setrlimit", errno, NULL);
  return make_i32(env, 0);
}

/* signal(sig, disposition): 0 default, 1 ignore; returns the previous one (0, 1, or 2 caught). */
static napi_value Signal(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value a[2];
  int32_t sig = 0, h = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  get_i32(env, a[0], &sig);
  get_i32(env, a[1], &h);
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h == 1 ? SIG_IGN : SIG_DFL;
  if (sigaction(sig, &sa, &old) < 0) return throw_errno(env, "sigaction", errno, NULL);
  return make_i32(env, old.sa_handler == SIG_DFL ? 0 : old.sa_handler == SIG_IGN ? 1 : 2);
}

/* SIGPIPE in a Node process of ours: a write of our own to a closed pipe (the kernel sends
   SIGPIPE to the writer itself) is left to the write's EPIPE, which the writer turns into the
   death a C program would die, or a virtual child's status; a SIGPIPE sent by another process
   (kill -PIPE) kills, as the default disposition does. */
static void pipe_handler(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  if (si && si->si_code == SI_USER && si->si_pid == getpid()) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigaction(sig, &sa, NULL);
  kill(getpid(), sig); /* pending until this handler returns, then the default action */
}

/* setupSignals(ignored, blocked): the dispositions a C process would have, given the signals
   its caller left ignored: those stay ignored, SIGPIPE gets pipe_handler, SIGXFSZ and SIGUSR1
   (ignored and caught by Node) their default; then this thread's mask becomes the caller's.
   The starter (launcher, spawnSelf) blocks every signal before Node starts, so one sent while
   Node was starting is delivered now, with these dispositions. */
static napi_value SetupSignals(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value a[2];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  uint64_t ign = get_u64(env, a[0]);
  uint64_t blk = get_u64(env, a[1]);
  /* The guard (sigguard.c) held Node's start-up off the dispositions and the mask; it must let
     go before the dispositions below are set (it would hold those off too). Every signal is
     still blocked until the mask is set at the end. */
  void (*release)(void) = (void (*)(void))dlsym(RTLD_DEFAULT, "sigguard_release");
  if (release) release();
  struct sigaction sa;
  for (int sig = 1; sig < NSIG_MAX && sig < SIGRTMIN; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    memset(&sa, 0, sizeof sa);
    if ((ign >> (sig - 1)) & 1) sa.sa_handler = SIG_IGN;
    else if (sig == SIGPIPE) {
      sa.sa_sigaction = pipe_handler;
      sa.sa_flags = SA_SIGINFO | SA_RESTART;
    } else if (sig == SIGXFSZ || sig == SIGUSR1) sa.sa_handler = SIG_DFL;
    else continue;
    sigaction(sig, &sa, NULL);
  }
  sigset_t m;
  sigemptyset(&m);
  for (int sig = 1; sig < NSIG_MAX && sig < _NSIG; sig++) if ((blk >> (sig - 1)) & 1) sigaddset(&m, sig);
  int e = pthread_sigmask(SIG_SETMASK, &m, NULL);
  if (e) return throw_errno(env, "pthread_sigmask", e, NULL);
  return make_i32(env, 0);
}

/* setName(name): this thread's name (/proc/PID/comm for the main thread, what ps and pgrep
   show), at most 15 bytes. */
static napi_value SetName(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  char name[16];
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (napi_get_value_string_latin1(env, a[0], name, sizeof name, &len) != napi_ok) return NULL;
  prctl(PR_SET_NAME, name, 0, 0, 0);
  return make_i32(env, 0);
}

/* _exit(code): ends the process without Node's teardown (after a failed exec in place, whose
   dup2s may have replaced fds Node's exit hooks would touch). */
static napi_value Exit_(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  int32_t code = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  get_i32(env, a[0], &code);
  _exit(code);
  return NULL;
}

/* checksum(buffer) -> a 64-bit hash of its bytes (FNV-1a over 8-byte words, mixed, then the
   tail and the length), as a BigInt: the code cache's guard against damage, which V8 would not
   notice and would crash on (not a defence against forgery: the cache directory is trusted). */
static napi_value Checksum(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  void *data = NULL;
  size_t len = 0;
  napi_value out;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc < 1 || napi_get_buffer_info(env, a[0], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "checksum: a Buffer is required");
    return NULL;
  }
  const unsigned char *p = data;
  uint64_t h = 0xcbf29ce484222325ULL;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    h ^= w;
    h *= 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for (; i < len; i++) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  h ^= (uint64_t)len;
  h *= 0x100000001b3ULL;
  napi_create_bigint_uint64(env, h, &out);
  return out;
}

/* memfd(name) -> a close-on-exec anonymous file (the state handed to a Node child). */
static napi_value Memfd(napi_env env, napi_callback_info info) {
  int fd = (int)syscall(SYS_memfd_create, "execline-state", 1 /* MFD_CLOEXEC */);
  if (fd < 0) return throw_errno(env, "memfd_create", errno, NULL);
  return make_i32(env, fd);
}

/* A child that writes `data` (possibly nothing) to `fd`, then _exits with `code`: what heredoc's
   writer does, and what the reference's child does when it only reports a failure or has nothing
   to run. It starts with every signal at its default and unblocked (a reader that goes away
   kills it with SIGPIPE, as the C child) and with no fd of Node's: only 0, 1, 2 and `fd` stay
   open. With `detach`, the writer is a grandchild (heredoc -d): the child forks it and exits,
   and is reaped here. Returns the child's pid (0 when detached).
   forkWrite(fd, data: Buffer | null, code, detach) */
static void child_prepare(int keep) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < _NSIG; sig++) if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &sa, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  if (keep > 3) syscall(SYS_close_range, 3U, (unsigned)keep - 1, 0U);
  syscall(SYS_close_range, (unsigned)(keep >= 3 ? keep + 1 : 3), ~0U, 0U);
}

static void child_write(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      _exit(111);
    }
    p += w;
    n -= (size_t)w;
  }
}

static napi_value ForkWrite(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value a[4];
  int32_t fd = -1, code = 0;
  bool detach = false;
  void *data = NULL;
  size_t len = 0;
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  get_i32(env, a[0], &fd);
  bool isbuf = false;
  napi_is_buffer(env, a[1], &isbuf);
  if (isbuf) napi_get_buffer_info(env, a[1], &data, &len);
  get_i32(env, a[2], &code);
  napi_get_value_bool(env, a[3], &detach);
  pid_t pid = fork();
  if (pid < 0) return throw_errno(env, "fork", errno, NULL);
  if (pid == 0) {
    child_prepare(fd);
    if (detach) {
      pid_t g = fork();
      if (g < 0) _exit(111);
      if (g > 0) _exit(0);
    }
    if (fd >= 0 && len) child_write(fd, (const char *)data, len);
    _exit(code);
  }
  if (detach) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return make_i32(env, 0);
  }
  return make_i32(env, pid);
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor d[] = {
    { "spawn", NULL, Spawn, NULL, NULL, NULL, napi_default, NULL },
    { "execve", NULL, Execve, NULL, NULL, NULL, napi_default, NULL },
    { "waitpid", NULL, Waitpid, NULL, NULL, NULL, napi_default, NULL },
    { "dup2", NULL, Dup2, NULL, NULL, NULL, napi_default, NULL },
    { "fcntl", NULL, Fcntl, NULL, NULL, NULL, napi_default, NULL },
    { "setsid", NULL, Setsid, NULL, NULL, NULL, napi_default, NULL },
    { "setpgid", NULL, Setpgid, NULL, NULL, NULL, napi_default, NULL },
    { "getpgrp", NULL, Getpgrp, NULL, NULL, NULL, napi_default, NULL },
    { "tcsetpgrp", NULL, Tcsetpgrp, NULL, NULL, NULL, napi_default, NULL },
    { "pipe2", NULL, Pipe2, NULL, NULL, NULL, napi_default, NULL },
    { "getrlimit", NULL, Getrlimit, NULL, NULL, NULL, napi_default, NULL },
    { "setrlimit", NULL, Setrlimit, NULL, NULL, NULL, napi_default, NULL },
    { "signal", NULL, Signal, NULL, NULL, NULL, napi_default, NULL },
    { "setupSignals", NULL, SetupSignals, NULL, NULL, NULL, napi_default, NULL },
    { "setName", NULL, SetName, NULL, NULL, NULL, napi_default, NULL },
    { "exit", NULL, Exit_, NULL, NULL, NULL, napi_default, NULL },
    { "memfd", NULL, Memfd, NULL, NULL, NULL, napi_default, NULL },
    { "checksum", NULL, Checksum, NULL, NULL, NULL, napi_default, NULL },
    { "forkWrite", NULL, ForkWrite, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof d / sizeof d[0], d);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
