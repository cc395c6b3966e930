// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-t: the guest side of nsmon's integration tests.
 *
 * Runs inside the test VM with nsmon loaded and compares /proc/nsmon with
 * the kernel's own ground truth: /proc/<pid>/status (NSpid, NStgid, Tgid,
 * Name, voluntary_ctxt_switches, nonvoluntary_ctxt_switches),
 * /proc/<pid>/ns/pid and /proc/<pid>/schedstat.  Prints "ok - ..." or
 * "not ok - ..." per check and "# ..." diagnostics.
 *
 *   nsmon-t contract    formats, workload counts, switches, CPU, pids, lookup,
 *                       pids and lookup with threads alive
 *   nsmon-t visibility  the view from inside a child namespace
 *   nsmon-t lifecycle   a namespace dies; its inode number comes back
 *   nsmon-t seeded INUM TASKS PROCS   counts of a namespace that predates insmod
 *   nsmon-t storm SECS  fork/thread/switch storm in nested namespaces
 *   nsmon-t hold INUM   keep a namespace alive: helper for the scripts
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nsmon/nsmon.h>

static int failures;

static __attribute__((format(printf, 2, 3))) void check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "ok - " : "not ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
}

/*
 * A check of the module against its own arithmetic (it computes the value
 * that way): not evidence, so a pass is only a diagnostic line, never
 * counted; a failure is still a failure.
 */
static __attribute__((format(printf, 2, 3))) void sanity(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "# sanity holds: " : "not ok - sanity: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
}

static __attribute__((format(printf, 1, 2))) void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void die(const char *what)
{
	printf("not ok - %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Read a whole file; returns its length or -errno.  buf is terminated. */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -errno;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The same, one byte per read(2). */
static ssize_t slurp1(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(fd, buf + len, 1)) == 1)
		len++;
	buf[len] = '\0';
	return n < 0 ? -errno : (ssize_t)len;
}

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint64_t ns_of(pid_t pid, const char *task)
{
	char path[96];
	struct stat st;

	if (task)
		snprintf(path, sizeof(path), "/proc/%d/task/%s/ns/pid", pid,
			 task);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

/* ---- /proc/nsmon/<inum> ---- */

/* Every key, in order, from the one list (include/nsmon/keys.h). */
static const char *const keys[] = {
	NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
enum { INUM, LEVEL, PARENT, INIT_PID, TASKS, PROCS, FORKS, THREADS, EXECS,
       EXITS, SWITCHES, VOL, INVOL, CPU };

/*
 * Parse a per-namespace file strictly: exactly the keys in order, one
 * space, plain decimal, newline.  Returns 0, -errno of the open, or 1 on a
 * format error (with a diagnostic).
 */
static int parse_keyed(const char *text, uint64_t *v)
{
	const char *p = text;
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		size_t kl = strlen(keys[i]);
		char *end;

		if (strncmp(p, keys[i], kl) || p[kl] != ' ' ||
		    p[kl + 1] < '0' || p[kl + 1] > '9') {
			diag("bad line %zu in: %.60s", i, p);
			return 1;
		}
		errno = 0;
		v[i] = strtoull(p + kl + 1, &end, 10);
		if (errno || *end != '\n') {
			diag("bad value of %s", keys[i]);
			return 1;
		}
		p = end + 1;
	}
	return 0;
}

static int read_ns(uint64_t inum, uint64_t *v)
{
	char path[64], buf[2048];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, inum);
	n = slurp(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	return parse_keyed(buf, v);
}

/* Wait up to @ms for /proc/nsmon/<inum> to exist (want) or not (!want). */
static bool wait_ns_file(uint64_t inum, bool want, int ms)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, inum);
	for (; ms > 0; ms -= 10) {
		if ((access(path, F_OK) == 0) == want)
			return true;
		msleep(10);
	}
	return (access(path, F_OK) == 0) == want;
}

/* ---- namespaces made to order ---- */

struct child {
	pid_t pid;		/* in our namespace */
	int go[2];		/* we write: the child proceeds */
	int ready[2];		/* the child writes: it has done its part */
};

static char stack_mem[8][256 * 1024] __attribute__((aligned(16)));
static int stack_next;

/*
 * The child's copy of this is what the trampoline calls: clone() without
 * CLONE_VM copies our memory as fork() does.  _exit() ends the whole
 * process, where a plain return from a clone() function ends only its
 * main thread.
 */
static int (*spawn_fn)(void *);

static int spawn_trampoline(void *arg)
{
	_exit(spawn_fn(arg));
}

static pid_t spawn(int (*fn)(void *), void *arg, int flags)
{
	char *stack = stack_mem[stack_next++ % 8] + sizeof(stack_mem[0]);
	pid_t pid;

	spawn_fn = fn;
	pid = clone(spawn_trampoline, stack, flags | SIGCHLD, arg);

	if (pid < 0)
		die("clone");
	return pid;
}

/*
 * Wait until the parent closes its end of the go pipe.  Our own copy of
 * the write end (inherited through clone) must go first, or read() would
 * never see end of file.
 */
static void child_wait_go(struct child *c)
{
	char b;

	close(c->go[1]);
	if (read(c->go[0], &b, 1) < 0)
		_exit(90);
}

static void child_ready(struct child *c)
{
	if (write(c->ready[1], "r", 1) != 1)
		_exit(91);
}

static void parent_wait_ready(struct child *c)
{
	char b;

	if (read(c->ready[0], &b, 1) != 1)
		die("child did not get ready");
}

static void child_init(struct child *c)
{
	if (pipe(c->go) || pipe(c->ready))
		die("pipe");
}

static void finish(struct child *c)
{
	int status;

	close(c->go[1]);
	waitpid(c->pid, &status, 0);
	close(c->go[0]);
	close(c->ready[0]);
	close(c->ready[1]);
}

static void *thread_exit_fn(void *arg)
{
	return arg;
}

/*
 * The scripted workload, run as init of a fresh namespace: 5 forks that
 * exit, 3 threads that exit, 2 fork+exec of a program that exits.
 */
#define W_FORKS 5
#define W_THREADS 3
#define W_EXECS 2

static int workload_init(void *arg)
{
	struct child *c = arg;
	pthread_t th[W_THREADS];
	int i;

	for (i = 0; i < W_FORKS; i++) {
		pid_t p = fork();

		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	for (i = 0; i < W_THREADS; i++)
		pthread_create(&th[i], NULL, thread_exit_fn, NULL);
	for (i = 0; i < W_THREADS; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < W_EXECS; i++) {
		pid_t p = fork();

		if (p == 0) {
			execl("/nsmon/bin/nsmon-t", "nsmon-t", "noop", NULL);
			_exit(127);
		}
		waitpid(p, NULL, 0);
	}
	child_ready(c);
	child_wait_go(c);
	return 0;
}

static void test_workload(void)
{
	struct child c;
	uint64_t v[NKEYS], inum;
	int err;

	child_init(&c);
	c.pid = spawn(workload_init, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	inum = ns_of(c.pid, NULL);
	check(wait_ns_file(inum, true, 1000),
	      "workload: /proc/nsmon/%" PRIu64 " appears within 1 s", inum);
	err = read_ns(inum, v);
	check(err == 0, "workload: per-namespace file parses (%d)", err);
	if (err) {
		finish(&c);
		return;
	}
	check(v[INUM] == inum, "workload: inum %" PRIu64, v[INUM]);
	check(v[LEVEL] == 1, "workload: level 1 (%" PRIu64 ")", v[LEVEL]);
	check(v[PARENT] == ns_of(getpid(), NULL),
	      "workload: parent is our namespace (%" PRIu64 ")", v[PARENT]);
	check(v[INIT_PID] == (uint64_t)c.pid,
	      "workload: init_pid %" PRIu64 " == clone's pid %d",
	      v[INIT_PID], c.pid);
	check(v[FORKS] == 1 + W_FORKS + W_EXECS,
	      "workload: forks %" PRIu64 " == init + %d + %d", v[FORKS],
	      W_FORKS, W_EXECS);
	check(v[THREADS] == W_THREADS, "workload: threads %" PRIu64 " == %d",
	      v[THREADS], W_THREADS);
	check(v[EXECS] == W_EXECS, "workload: execs %" PRIu64 " == %d",
	      v[EXECS], W_EXECS);
	check(v[EXITS] == W_FORKS + W_THREADS + W_EXECS,
	      "workload: exits %" PRIu64 " == %d", v[EXITS],
	      W_FORKS + W_THREADS + W_EXECS);
	check(v[TASKS] == 1 && v[PROCS] == 1,
	      "workload: tasks %" PRIu64 " processes %" PRIu64 " == 1 1",
	      v[TASKS], v[PROCS]);
	sanity(v[TASKS] == v[FORKS] + v[THREADS] - v[EXITS],
	       "workload: tasks == forks + threads - exits");
	sanity(v[SWITCHES] == v[VOL] + v[INVOL],
	      "workload: switches == voluntary + involuntary");
	finish(&c);
	check(wait_ns_file(inum, false, 1000),
	      "workload: the file goes within 1 s of the namespace's end");
}

/*
 * Switches: every task of the namespace stays alive, so the sums of
 * their own counters are the ground truth, exactly.
 */
struct pingpong {
	int a[2], b[2];
	int rounds;
};

static void *pong_fn(void *arg)
{
	struct pingpong *pp = arg;
	char ch;
	int i;

	for (i = 0; i < pp->rounds; i++) {
		if (read(pp->a[0], &ch, 1) != 1 || write(pp->b[1], &ch, 1) != 1)
			break;
	}
	pause();
	return NULL;
}

static int switches_init(void *arg)
{
	struct child *c = arg;
	struct pingpong pp = { .rounds = 200 };
	pthread_t th[2];
	volatile unsigned long spin;
	char ch = 'x';
	int i;

	if (pipe(pp.a) || pipe(pp.b))
		_exit(92);
	pthread_create(&th[0], NULL, pong_fn, &pp);
	for (i = 0; i < pp.rounds; i++) {
		if (write(pp.a[1], &ch, 1) != 1 || read(pp.b[0], &ch, 1) != 1)
			break;
	}
	/* Some CPU work, so that preemptions can happen too. */
	for (spin = 0; spin < 20000000UL; spin++)
		;
	child_ready(c);
	child_wait_go(c);
	return 0;
}

static bool status_field(pid_t pid, const char *task, const char *key,
			 char *out, size_t size)
{
	char path[96], buf[4096], *p;

	if (task)
		snprintf(path, sizeof(path), "/proc/%d/task/%s/status", pid,
			 task);
	else
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return false;
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ':') {
			char *v = p + strlen(key) + 1, *e;

			while (*v == '\t' || *v == ' ')
				v++;
			e = strchr(v, '\n');
			snprintf(out, size, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			return true;
		}
	}
	return false;
}

static uint64_t status_u64(pid_t pid, const char *task, const char *key)
{
	char v[64];

	return status_field(pid, task, key, v, sizeof(v)) ?
	       strtoull(v, NULL, 10) : UINT64_MAX;
}

static void test_switches(void)
{
	uint64_t v[NKEYS], inum, vol = 0, invol = 0;
	struct child c;
	struct dirent *d;
	char path[64];
	DIR *dir;
	int n = 0;

	child_init(&c);
	c.pid = spawn(switches_init, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	msleep(100);	/* let the pong thread block in pause() */
	inum = ns_of(c.pid, NULL);
	snprintf(path, sizeof(path), "/proc/%d/task", c.pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		vol += status_u64(c.pid, d->d_name, "voluntary_ctxt_switches");
		invol += status_u64(c.pid, d->d_name,
				    "nonvoluntary_ctxt_switches");
		n++;
	}
	if (dir)
		closedir(dir);
	wait_ns_file(inum, true, 1000);
	if (read_ns(inum, v)) {
		check(false, "switches: read /proc/nsmon/%" PRIu64, inum);
		finish(&c);
		return;
	}
	diag("switches: %d tasks, kernel says %" PRIu64 "+%" PRIu64
	     ", nsmon %" PRIu64 "+%" PRIu64, n, vol, invol, v[VOL], v[INVOL]);
	check(n == 2 && v[TASKS] == 2, "switches: 2 live tasks (%" PRIu64 ")",
	      v[TASKS]);
	check(v[VOL] == vol,
	      "switches: voluntary %" PRIu64 " == sum of voluntary_ctxt_switches %" PRIu64,
	      v[VOL], vol);
	check(v[INVOL] == invol,
	      "switches: involuntary %" PRIu64 " == sum of nonvoluntary_ctxt_switches %" PRIu64,
	      v[INVOL], invol);
	check(v[VOL] >= 200, "switches: the ping-pong was seen (%" PRIu64 ")",
	      v[VOL]);
	finish(&c);
}

/* CPU time of a busy loop against /proc/<pid>/schedstat. */
static int busy_init(void *arg)
{
	struct child *c = arg;
	struct timespec t0, t;
	volatile unsigned long x = 0;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (int i = 0; i < 100000; i++)
			x++;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000000000L +
		 (t.tv_nsec - t0.tv_nsec) < 300000000L);
	child_ready(c);
	child_wait_go(c);
	return 0;
}

static void test_cpu(void)
{
	uint64_t v[NKEYS], inum, sched_ns = 0;
	struct child c;
	char path[64], buf[256];

	child_init(&c);
	c.pid = spawn(busy_init, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	msleep(50);
	inum = ns_of(c.pid, NULL);
	snprintf(path, sizeof(path), "/proc/%d/schedstat", c.pid);
	wait_ns_file(inum, true, 1000);
	/*
	 * The namespace's only task is asleep now, so its runtime stands
	 * still and nsmon's sum of its slices must equal it to the
	 * nanosecond.  Read schedstat before and after the namespace file,
	 * and again if the task ran in between (a stray wakeup).
	 */
	for (int try = 0; try < 5; try++) {
		uint64_t after = 0;

		if (slurp(path, buf, sizeof(buf)) > 0)
			sched_ns = strtoull(buf, NULL, 10);
		if (read_ns(inum, v)) {
			check(false, "cpu: read /proc/nsmon/%" PRIu64, inum);
			finish(&c);
			return;
		}
		if (slurp(path, buf, sizeof(buf)) > 0)
			after = strtoull(buf, NULL, 10);
		if (after == sched_ns)
			break;
		msleep(20);
	}
	diag("cpu: schedstat %" PRIu64 " ns, nsmon %" PRIu64 " ns", sched_ns,
	     v[CPU]);
	check(sched_ns >= 300000000ULL, "cpu: the loop ran >= 0.3 s");
	check(v[CPU] == sched_ns,
	      "cpu: cpu_ns equals the sleeping task's schedstat runtime exactly");
	finish(&c);
}

/* ---- /proc/nsmon/pids against /proc/<pid>/status ---- */

struct row {
	int pid, tgid, ns_pid, ns_tgid;
	uint64_t ns;
	char nspid[128], comm[128];
};

/* Exactly "pid tgid ns ns_pid ns_tgid nspid comm": comm is the rest. */
static int parse_row(char *line, struct row *r)
{
	int n = 0;

	if (sscanf(line, "%d %d %" SCNu64 " %d %d %127s%n", &r->pid, &r->tgid,
		   &r->ns, &r->ns_pid, &r->ns_tgid, r->nspid, &n) != 5 + 1 ||
	    !n || line[n] != ' ')
		return -1;
	snprintf(r->comm, sizeof(r->comm), "%s", line + n + 1);
	return 0;
}

/*
 * What /proc says a task's pids row must be: "pid tgid ns ns_pid ns_tgid
 * nspid" from its status file (NSpid, NStgid, Tgid) and ns/pid link, and
 * its Name: (exactly as printed: one tab after the colon, the rest
 * verbatim).  PF_KTHREAD from its stat file.
 */
struct want {
	int tid;
	bool kthread;
	char head[256];
	char name[128];
};

static bool want_of(int tgid, int tid, struct want *w)
{
	char path[96], buf[4096], nspid[128] = "", nstgid[128] = "", *p, *q;
	char tidstr[16];
	long tg = -1;
	uint64_t ns;
	unsigned long flags = 0;
	int i;

	snprintf(tidstr, sizeof(tidstr), "%d", tid);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", tgid, tid);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return false;
	w->name[0] = '\0';
	for (p = buf; p && *p; p = q ? q + 1 : NULL) {
		q = strchr(p, '\n');
		if (q)
			*q = '\0';
		if (!strncmp(p, "Name:\t", 6))
			snprintf(w->name, sizeof(w->name), "%s", p + 6);
		else if (!strncmp(p, "Tgid:\t", 6))
			tg = atol(p + 6);
		else if (!strncmp(p, "NSpid:\t", 7))
			snprintf(nspid, sizeof(nspid), "%s", p + 7);
		else if (!strncmp(p, "NStgid:\t", 8))
			snprintf(nstgid, sizeof(nstgid), "%s", p + 8);
	}
	ns = ns_of(tgid, tidstr);
	if (tg < 0 || !nspid[0] || !nstgid[0] || !ns)
		return false;
	for (p = nspid; *p; p++)
		if (*p == '\t')
			*p = ',';
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", tgid, tid);
	if (slurp(path, buf, sizeof(buf)) > 0 && (p = strrchr(buf, ')'))) {
		/* state is field 3, flags field 9: 6 fields after state */
		for (i = 0, p += 2; i < 6 && p; i++)
			p = strchr(p + 1, ' ');
		if (p)
			flags = strtoul(p + 1, NULL, 10);
	}
	w->kthread = flags & 0x00200000;	/* PF_KTHREAD */
	w->tid = tid;
	p = strrchr(nspid, ',');
	q = strrchr(nstgid, '\t');
	snprintf(w->head, sizeof(w->head), "%d %ld %" PRIu64 " %d %d %s", tid,
		 tg, ns, atoi(p ? p + 1 : nspid), atoi(q ? q + 1 : nstgid), nspid);
	return true;
}

/* Every task /proc lists (as its procfs instance sees them). */
static int want_scan(struct want *w, int max)
{
	struct dirent *d, *t;
	DIR *dir = opendir("/proc"), *td;
	char path[300];
	int n = 0;

	while (dir && (d = readdir(dir))) {
		int tgid = atoi(d->d_name);

		if (tgid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", tgid);
		td = opendir(path);
		while (td && (t = readdir(td)) && n < max) {
			int tid = atoi(t->d_name);

			if (tid > 0 && want_of(tgid, tid, &w[n]))
				n++;
		}
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
	return n;
}

static struct want *want_find(struct want *w, int n, int tid)
{
	for (int i = 0; i < n; i++)
		if (w[i].tid == tid)
			return &w[i];
	return NULL;
}

/* A row against what /proc said; kthreads' comm a prefix of Name:. */
static bool row_is(const struct row *r, const char *head, const struct want *w)
{
	return w && !strcmp(head, w->head) &&
	       (w->kthread ? r->comm[0] && !strncmp(w->name, r->comm, strlen(r->comm)) :
			     !strcmp(w->name, r->comm));
}

/*
 * pids against /proc: the tasks /proc lists before and after one read of
 * pids, with the same row both times, are the stable ones: each must be
 * in pids exactly once and its row must be what /proc says, byte for
 * byte.  Every row must be a task /proc listed before or after, and equal
 * to what /proc said then: no row is let through unchecked.  Rows come
 * sorted by pid, no pid twice.
 */
static void test_pids(const char *tag)
{
	static char buf[1 << 20];
	static struct want a[8192], b[8192];
	static unsigned char seen[8192];
	char *line, *save;
	int na, nb, rows = 0, bad = 0, missing = 0, stable = 0, unsorted = 0;
	int prev = 0, i;

	na = want_scan(a, 8192);
	if (slurp("/proc/nsmon/pids", buf, sizeof(buf)) < 0) {
		check(false, "%s: read /proc/nsmon/pids", tag);
		return;
	}
	nb = want_scan(b, 8192);
	memset(seen, 0, sizeof(seen));
	line = strtok_r(buf, "\n", &save);
	check(line && !strcmp(line, NSMON_PIDS_COLUMNS),
	      "%s: pids header is \"%s\"", tag, NSMON_PIDS_COLUMNS);
	while ((line = strtok_r(NULL, "\n", &save))) {
		struct want *wa, *wb;
		char head[256];
		struct row r;

		rows++;
		if (parse_row(line, &r)) {
			diag("%s: unparsable row: %s", tag, line);
			bad++;
			continue;
		}
		if (r.pid <= prev) {
			diag("%s: row of %d after %d: not sorted or twice", tag,
			     r.pid, prev);
			unsorted++;
		}
		prev = r.pid;
		snprintf(head, sizeof(head), "%d %d %" PRIu64 " %d %d %s", r.pid,
			 r.tgid, r.ns, r.ns_pid, r.ns_tgid, r.nspid);
		wa = want_find(a, na, r.pid);
		wb = want_find(b, nb, r.pid);
		if (wb && wb - b < 8192)
			seen[wb - b]++;
		if (!wa && !wb) {
			diag("%s: row \"%s\": /proc listed no task %d before or after",
			     tag, line, r.pid);
			bad++;
		} else if (!row_is(&r, head, wa) && !row_is(&r, head, wb)) {
			wa = wa ? wa : wb;
			diag("%s: row \"%s\" but /proc says \"%s %s\"", tag, line,
			     wa->head, wa->name);
			bad++;
		}
	}
	for (i = 0; i < nb; i++) {
		struct want *wa = want_find(a, na, b[i].tid);

		if (!wa || strcmp(wa->head, b[i].head) ||
		    strcmp(wa->name, b[i].name))
			continue;
		stable++;
		if (seen[i] != 1) {
			diag("%s: task \"%s %s\" is in pids %d times", tag,
			     b[i].head, b[i].name, seen[i]);
			missing++;
		}
	}
	check(rows > 0 && bad == 0,
	      "%s: all %d rows of pids equal /proc's NSpid, NStgid, Tgid, Name and ns/pid of a task it listed (%d did not)",
	      tag, rows, bad);
	check(stable > 0 && missing == 0,
	      "%s: each of the %d tasks /proc listed before and after the read is in pids exactly once (%d not; %d tasks came, went or changed meanwhile)",
	      tag, stable, missing, na + nb - 2 * stable);
	check(unsorted == 0, "%s: pids rows sorted by pid, none twice (%d out of order)",
	      tag, unsorted);
}

/* ---- lookup ---- */

static int lookup(int fd, const char *req, char *ans, size_t size)
{
	ssize_t n;

	if (write(fd, req, strlen(req)) < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	n = read(fd, ans, size - 1);
	if (n < 0)
		return -errno;
	ans[n] = '\0';
	return n;
}

static const char *errname(int err)
{
	switch (-err) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case 0: return "success";
	default: return strerror(-err);
	}
}

/* A chain of three nested namespaces, a sleeping task at the bottom. */
static int nest_fn(void *arg)
{
	struct child *c = arg;
	static int depth;	/* clone() without CLONE_VM copies it */
	int status;

	if (depth++ < 2) {
		pid_t p = spawn(nest_fn, c, CLONE_NEWPID);

		close(c->go[1]);	/* only the parent may hold it */
		waitpid(p, &status, 0);
		return 0;
	}
	child_ready(c);
	child_wait_go(c);
	return 0;
}

/* The one child of @parent, found through the PPid: lines of /proc. */
static pid_t find_child(pid_t parent)
{
	struct dirent *d;
	pid_t found = -1;
	DIR *dir = opendir("/proc");

	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p > 0 && status_u64(p, NULL, "PPid") == (uint64_t)parent)
			found = p;
	}
	if (dir)
		closedir(dir);
	return found;
}

static pid_t find_deepest(pid_t top)
{
	pid_t p = top;
	int i;

	for (i = 0; i < 2 && p > 0; i++)
		p = find_child(p);
	return p;
}

static void test_lookup(void)
{
	struct child c;
	char ans[256], req[128], nspid[128], comm[64], want[256];
	char *tok, *save;
	int fd, level = 0, err, ok_levels = 0;
	pid_t deep;
	uint64_t inum, nsv[NKEYS];

	child_init(&c);
	c.pid = spawn(nest_fn, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	deep = find_deepest(c.pid);
	check(deep > 0 && status_field(deep, NULL, "NSpid", nspid,
				       sizeof(nspid)),
	      "lookup: a task three namespaces down (%d)", deep);
	if (deep <= 0) {
		finish(&c);
		return;
	}
	status_field(deep, NULL, "Name", comm, sizeof(comm));
	fd = open("/proc/nsmon/lookup", O_RDWR);
	check(fd >= 0, "lookup: open O_RDWR");
	/* NSpid lists the task's number at each level, ours first. */
	for (tok = strtok_r(nspid, "\t", &save); tok;
	     tok = strtok_r(NULL, "\t", &save), level++) {
		pid_t p = getpid();

		if (level > 0) {
			/*
			 * The namespace at this level is the own namespace of
			 * the init 3 - level generations above the bottom.
			 */
			p = deep;
			for (int up = 0; up < 3 - level; up++)
				p = status_u64(p, NULL, "PPid");
		}
		inum = ns_of(p, NULL);
		snprintf(req, sizeof(req), "%" PRIu64 " %s\n", inum, tok);
		err = lookup(fd, req, ans, sizeof(ans));
		snprintf(want, sizeof(want), "%" PRIu64 " %s %d %d %s\n", inum,
			 tok, deep, deep, comm);
		if (err > 0 && !strcmp(ans, want))
			ok_levels++;
		else
			diag("lookup: level %d: asked \"%.*s\", got %s \"%s\", want \"%s\"",
			     level, (int)strlen(req) - 1, req, errname(err),
			     err > 0 ? ans : "", want);
		if (level == 3 && read_ns(inum, nsv) == 0)
			check(nsv[LEVEL] == 3, "lookup: bottom namespace has level 3");
	}
	check(level == 4 && ok_levels == 4,
	      "lookup: the bottom task translates at all 4 levels");

	/* Re-reading: lseek(0) and read again give the same answer. */
	{
		char a2[256];
		ssize_t n;

		lseek(fd, 0, SEEK_SET);
		n = read(fd, a2, sizeof(a2) - 1);
		a2[n > 0 ? n : 0] = '\0';
		check(n > 0 && !strcmp(a2, ans), "lookup: lseek 0 re-reads the answer");
		n = read(fd, a2, sizeof(a2));
		check(n == 0, "lookup: then end of file");
		lseek(fd, 0, SEEK_SET);
		n = slurp1(fd, a2, sizeof(a2));
		check(n > 0 && !strcmp(a2, ans),
		      "lookup: 1-byte reads give the same answer");
	}

	/* Bad input: every case its errno, and nothing left to read. */
	{
		static const struct { const char *req; int err; } bad[] = {
			{ "", EINVAL }, { "\n", EINVAL }, { "1", EINVAL },
			{ "1\n", EINVAL }, { "1 2 3", EINVAL }, { "1  2", EINVAL },
			{ " 1 2", EINVAL }, { "1 2 ", EINVAL }, { "1 2\n\n", EINVAL },
			{ "+1 2", EINVAL }, { "1 -2", EINVAL }, { "0x10 2", EINVAL },
			{ "a b", EINVAL }, { "1\t2", EINVAL }, { "1 2x", EINVAL },
			{ "4294967296 1", EINVAL }, { "1 2147483648", EINVAL },
			{ "99999999999999999999 1", EINVAL },
			{ "1 2\r\n", EINVAL },
			{ "4294967295 1", ENOENT }, { "1 1", ENOENT },
		};
		char big[80];
		int n_ok = 0;
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			ssize_t n;

			/* First a good request, so there is an answer to lose. */
			snprintf(req, sizeof(req), "%" PRIu64 " 1",
				 ns_of(getpid(), NULL));
			lookup(fd, req, ans, sizeof(ans));
			lseek(fd, 0, SEEK_SET);
			n = write(fd, bad[i].req, strlen(bad[i].req));
			err = n < 0 ? -errno : 0;
			lseek(fd, 0, SEEK_SET);
			n = read(fd, ans, sizeof(ans));
			if (err == -bad[i].err && n == 0)
				n_ok++;
			else
				diag("lookup: \"%s\" gave %s and %zd bytes to read, want %s",
				     bad[i].req, errname(err), n,
				     errname(-bad[i].err));
		}
		check(n_ok == (int)i, "lookup: %d malformed/unknown requests get their errno and leave nothing to read",
		      (int)i);

		memset(big, '1', sizeof(big));
		big[NSMON_LOOKUP_MAX] = '\0';
		big[10] = ' ';
		err = write(fd, big, NSMON_LOOKUP_MAX + 1) < 0 ? -errno : 0;
		check(err == -EINVAL, "lookup: a 65-byte request gives EINVAL (%s)",
		      errname(err));
		inum = ns_of(c.pid, NULL);
		snprintf(req, sizeof(req), "%" PRIu64 " 0", inum);
		err = lookup(fd, req, ans, sizeof(ans));
		check(err == -ESRCH, "lookup: PID 0 gives ESRCH (%s)", errname(err));
		snprintf(req, sizeof(req), "%" PRIu64 " 77777", inum);
		err = lookup(fd, req, ans, sizeof(ans));
		check(err == -ESRCH, "lookup: an unused PID gives ESRCH (%s)",
		      errname(err));
		snprintf(req, sizeof(req), "%" PRIu64 " 1\n", inum);
		err = lookup(fd, req, ans, sizeof(ans));
		snprintf(want, sizeof(want), "%" PRIu64 " 1 %d %d ", inum,
			 c.pid, c.pid);
		check(err > 0 && !strncmp(ans, want, strlen(want)),
		      "lookup: init of the top namespace is our %d (%s)", c.pid,
		      err > 0 ? ans : errname(err));
		/*
		 * The contract: "two decimal numbers separated by one space".
		 * "007" is the decimal number 7 (no sign, no base prefix, the
		 * cases it calls malformed), so it is answered as 7, and the
		 * answer prints numbers as every number in the contract is
		 * printed: plain decimal, no leading zeros.
		 */
		snprintf(req, sizeof(req), "00%" PRIu64 " 001", inum);
		err = lookup(fd, req, ans, sizeof(ans));
		snprintf(want, sizeof(want), "%" PRIu64 " 1 %d %d ", inum,
			 c.pid, c.pid);
		check(err > 0 && !strncmp(ans, want, strlen(want)) &&
		      ans[strlen(ans) - 1] == '\n' && !strchr(ans, '\n')[1],
		      "lookup: \"00<inum> 001\" is <inum> 1: want \"%s<comm>\", got \"%.*s\" (%s)",
		      want, err > 0 ? (int)strcspn(ans, "\n") : 0, ans,
		      errname(err > 0 ? 0 : err));
	}
	close(fd);
	finish(&c);
}

/* ---- a census of nested, multi-threaded namespaces ---- */

/*
 * Each of three nested namespaces holds: its init, a second thread of the
 * init, a child process blocked until told to go, and a zombie (exited,
 * not reaped).  Then the next level, whose init counts in its own
 * namespace.  All of them block before the bottom says ready.
 */
static void *census_thread(void *arg)
{
	struct child *c = arg;
	char b;

	if (read(c->go[0], &b, 1) < 0)
		return NULL;
	return NULL;
}

static int census_fn(void *arg)
{
	struct child *c = arg;
	static int depth;	/* clone() without CLONE_VM copies it */
	siginfo_t si;
	pthread_t th;
	pid_t blocked, zombie, next = -1;

	close(c->go[1]);	/* only the test's process may hold it */
	blocked = fork();
	if (blocked == 0) {
		child_wait_go(c);
		_exit(0);
	}
	zombie = fork();
	if (zombie == 0)
		_exit(0);
	/* Wait until it has exited, but leave it unreaped. */
	if (waitid(P_PID, zombie, &si, WEXITED | WNOWAIT))
		_exit(95);
	if (pthread_create(&th, NULL, census_thread, c))
		_exit(96);
	if (depth++ < 2)
		next = spawn(census_fn, c, CLONE_NEWPID);
	else
		child_ready(c);
	child_wait_go(c);
	pthread_join(th, NULL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	(void)next;
	return 0;
}

/* Live tasks and processes whose active namespace is @inum, from /proc. */
static void count_ns(uint64_t inum, int *tasks, int *procs)
{
	struct dirent *d, *t;
	DIR *dir = opendir("/proc");
	char path[300], state[64];

	*tasks = *procs = 0;
	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);
		DIR *td;

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", p);
		td = opendir(path);
		while (td && (t = readdir(td))) {
			char tid[16];

			if (t->d_name[0] == '.')
				continue;
			snprintf(tid, sizeof(tid), "%d", atoi(t->d_name));
			if (ns_of(p, tid) != inum ||
			    !status_field(p, tid, "State", state, sizeof(state)) ||
			    state[0] == 'Z' || state[0] == 'X')
				continue;
			(*tasks)++;
			if (atoi(tid) == p)
				(*procs)++;
		}
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
}

/* The child of @parent that is the init of a namespace of its own. */
static pid_t find_ns_child(pid_t parent)
{
	struct dirent *d;
	pid_t found = -1;
	uint64_t pns = ns_of(parent, NULL);
	DIR *dir = opendir("/proc");

	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p > 0 && status_u64(p, NULL, "PPid") == (uint64_t)parent &&
		    ns_of(p, NULL) != pns)
			found = p;
	}
	if (dir)
		closedir(dir);
	return found;
}

/* The row of /proc/nsmon/namespaces for @inum, parsed; false if none. */
static bool ns_row(uint64_t inum, uint64_t *v)
{
	static char buf[1 << 16];
	char *line, *save, *p, *end;
	size_t i;

	if (slurp("/proc/nsmon/namespaces", buf, sizeof(buf)) < 0)
		return false;
	strtok_r(buf, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (strtoull(line, NULL, 10) != inum)
			continue;
		for (p = line, i = 0; i < NKEYS; i++, p = end + 1) {
			v[i] = strtoull(p, &end, 10);
			if (end == p || *end != (i + 1 < NKEYS ? ' ' : '\0'))
				return false;
		}
		return true;
	}
	return false;
}

static void test_census(void)
{
	uint64_t v[NKEYS], row[NKEYS], inum, parent = ns_of(getpid(), NULL);
	struct child c;
	pid_t init;
	int level, tasks, procs;

	child_init(&c);
	c.pid = spawn(census_fn, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	msleep(200);	/* every task of the chain blocks: quiescent */
	for (level = 1, init = c.pid; level <= 3 && init > 0;
	     level++, init = find_ns_child(init)) {
		inum = ns_of(init, NULL);
		count_ns(inum, &tasks, &procs);
		if (read_ns(inum, v)) {
			check(false, "census: level %d: read /proc/nsmon/%" PRIu64,
			      level, inum);
			break;
		}
		diag("census: level %d ns %" PRIu64 ": /proc shows %d tasks %d processes; nsmon tasks %" PRIu64
		     " processes %" PRIu64 " forks %" PRIu64 " threads %" PRIu64 " exits %" PRIu64,
		     level, inum, tasks, procs, v[TASKS], v[PROCS], v[FORKS],
		     v[THREADS], v[EXITS]);
		check(tasks == 3 && procs == 2,
		      "census: level %d: /proc shows the 3 live tasks, 2 processes made (zombie not counted)",
		      level);
		check(v[TASKS] == (uint64_t)tasks && v[PROCS] == (uint64_t)procs,
		      "census: level %d: tasks %" PRIu64 " processes %" PRIu64
		      " == live tasks %d processes %d whose /proc/<pid>/task/<tid>/ns/pid is %" PRIu64,
		      level, v[TASKS], v[PROCS], tasks, procs, inum);
		check(v[FORKS] == 3 && v[THREADS] == 1 && v[EXITS] == 1 &&
		      v[EXECS] == 0,
		      "census: level %d: forks 3 threads 1 exits 1 execs 0 (got %" PRIu64
		      " %" PRIu64 " %" PRIu64 " %" PRIu64 ")", level, v[FORKS],
		      v[THREADS], v[EXITS], v[EXECS]);
		sanity(v[TASKS] == v[FORKS] + v[THREADS] - v[EXITS],
		       "census: level %d: tasks == forks + threads - exits", level);
		check(v[LEVEL] == (uint64_t)level && v[PARENT] == parent &&
		      v[INIT_PID] == (uint64_t)init,
		      "census: level %d: level, parent %" PRIu64 ", init_pid %d", level,
		      parent, init);
		sanity(ns_row(inum, row) && !memcmp(row, v, sizeof(v)),
		       "census: level %d: all %zu columns of its namespaces row equal its file",
		       level, NKEYS);
		parent = inum;
	}
	check(level == 4, "census: three nested namespaces found (%d)", level - 1);
	finish(&c);
}

/*
 * pids and lookup with multithreaded processes alive: the census chain
 * (three nested namespaces, each init with a second thread, a blocked
 * child and a zombie).  Every row, threads included, against /proc; then
 * each init's second thread looked up at every level of its NSpid: the
 * answer must be that thread's TID and its process's TGID in our view.
 */
static void test_threads(void)
{
	uint64_t inums[4];
	pid_t inits[4];
	struct child c;
	int level, n_ok = 0, n = 0, fd;

	child_init(&c);
	c.pid = spawn(census_fn, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	msleep(200);
	test_pids("pids with threads");
	inums[0] = ns_of(getpid(), NULL);
	inits[0] = getpid();
	for (level = 1, inits[1] = c.pid; level <= 3 && inits[level] > 0; level++) {
		inums[level] = ns_of(inits[level], NULL);
		if (level < 3)
			inits[level + 1] = find_ns_child(inits[level]);
	}
	fd = open("/proc/nsmon/lookup", O_RDWR);
	for (level = 1; level <= 3 && fd >= 0; level++) {
		char path[64], nspid[128], name[64], req[64], ans[256], want[256];
		char *tok, *save;
		struct dirent *d;
		pid_t tid = 0;
		DIR *dir;
		int l;

		snprintf(path, sizeof(path), "/proc/%d/task", inits[level]);
		dir = opendir(path);
		while (dir && (d = readdir(dir)))
			if (atoi(d->d_name) > 0 && atoi(d->d_name) != inits[level])
				tid = atoi(d->d_name);
		if (dir)
			closedir(dir);
		snprintf(path, sizeof(path), "%d", tid);
		if (!tid || !status_field(inits[level], path, "NSpid", nspid, sizeof(nspid)) ||
		    !status_field(inits[level], path, "Name", name, sizeof(name))) {
			check(false, "threads: the second thread of the level %d init", level);
			continue;
		}
		for (tok = strtok_r(nspid, "\t", &save), l = 0; tok && l <= level;
		     tok = strtok_r(NULL, "\t", &save), l++) {
			int err;

			snprintf(req, sizeof(req), "%" PRIu64 " %s", inums[l], tok);
			err = lookup(fd, req, ans, sizeof(ans));
			snprintf(want, sizeof(want), "%" PRIu64 " %s %d %d %s\n",
				 inums[l], tok, tid, inits[level], name);
			n++;
			if (err > 0 && !strcmp(ans, want))
				n_ok++;
			else
				diag("threads: lookup \"%s\" gave %s \"%.*s\", want \"%.*s\"",
				     req, errname(err), err > 0 ? (int)strcspn(ans, "\n") : 0,
				     ans, (int)strcspn(want, "\n"), want);
		}
	}
	if (fd >= 0)
		close(fd);
	check(n == 2 + 3 + 4 && n_ok == n,
	      "threads: lookup of a non-leader thread's ID at each level of its NSpid gives its TID and its process's TGID (%d of %d)",
	      n_ok, n);
	finish(&c);
}

/* ---- formats, 1-byte reads, lseek ---- */

/*
 * A quiet namespace with a procfs of its own: its init mounts proc in a
 * mount namespace of its own, keeps 3 blocked threads and makes QUIET_NS
 * child namespaces, each with an init that blocks.  Nothing in it moves,
 * so every file read through its procfs (/proc/<init>/root/proc, from
 * here) has the same bytes at every read.
 */
#define QUIET_NS 120

static int quiet_init(void *arg)
{
	struct child *c = arg;
	pthread_t th[3];
	int i;

	close(c->go[1]);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		_exit(93);
	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, census_thread, c);
	for (i = 0; i < QUIET_NS; i++) {
		pid_t x = fork();

		if (x == 0) {
			if (unshare(CLONE_NEWPID) || fork() < 0)
				_exit(1);
			/* the parent exits, the new init waits for go */
			if (getpid() == 1)
				child_wait_go(c);
			_exit(0);
		}
		waitpid(x, NULL, 0);
	}
	child_ready(c);
	child_wait_go(c);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	return 0;
}

/* Read all of @fd in reads of @chunk bytes from offset 0. */
static ssize_t read_chunks(int fd, char *buf, size_t size, size_t chunk)
{
	size_t len = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -errno;
	while (len + chunk < size && (n = read(fd, buf + len, chunk)) > 0)
		len += n;
	return len;
}

/*
 * namespaces and pids, read whole and in reads of 1, 7, 100, 4095, 4096
 * and 4097 bytes (records cut at every place, the seq_file buffer's page
 * crossed), through the procfs of the quiet namespace: every read must
 * give the bytes of the whole read, which two whole reads before and
 * after confirm did not change.
 */
static void test_chunked_reads(void)
{
	static char a[1 << 18], b[1 << 18], z[1 << 18];
	static const size_t chunks[] = { 1, 7, 100, 4095, 4096, 4097 };
	const char *files[] = { "namespaces", "pids" };
	struct child c;
	char path[96];
	size_t i, k;

	child_init(&c);
	c.pid = spawn(quiet_init, &c, CLONE_NEWPID | CLONE_NEWNS);
	parent_wait_ready(&c);
	msleep(200);
	for (i = 0; i < 2; i++) {
		ssize_t na, nz;
		int fd, bad = 0, lines = 0;

		snprintf(path, sizeof(path), "/proc/%d/root/proc/nsmon/%s",
			 c.pid, files[i]);
		na = slurp(path, a, sizeof(a));
		fd = open(path, O_RDONLY);
		for (k = 0; fd >= 0 && na > 0 && k < sizeof(chunks) / sizeof(chunks[0]); k++) {
			ssize_t nb = read_chunks(fd, b, sizeof(b), chunks[k]);

			if (nb != na || memcmp(a, b, na)) {
				ssize_t o = 0;

				while (o < nb && o < na && a[o] == b[o])
					o++;
				diag("tables: %s in %zu-byte reads: %zd bytes where the whole read has %zd, first difference at offset %zd",
				     files[i], chunks[k], nb, na, o);
				bad++;
			}
		}
		if (fd >= 0)
			close(fd);
		nz = slurp(path, z, sizeof(z));
		for (ssize_t o = 0; o < na; o++)
			lines += a[o] == '\n';
		check(na > 4096,
		      "tables: %s of the quiet namespace is over a page (%zd bytes, %d lines)",
		      files[i], na, lines);
		check(na > 0 && nz == na && !memcmp(a, z, na),
		      "tables: %s read whole twice, before and after, through the quiet namespace's procfs: the same bytes",
		      files[i]);
		check(na > 0 && bad == 0,
		      "tables: %s read in 1, 7, 100, 4095, 4096 and 4097-byte reads: the bytes of the whole read (%d differ)",
		      files[i], bad);
	}
	finish(&c);
}


static void test_tables(void)
{
	static char a[1 << 20], b[1 << 20];
	char *line, *save;
	int rows = 0, bad = 0, disagree = 0;
	uint64_t self = ns_of(getpid(), NULL);
	bool seen_self = false;

	if (slurp("/proc/nsmon/namespaces", a, sizeof(a)) < 0) {
		check(false, "tables: read /proc/nsmon/namespaces");
		return;
	}
	line = strtok_r(a, "\n", &save);
	check(line && !strcmp(line, NSMON_NS_COLUMNS),
	      "tables: namespaces header is \"%s\"", NSMON_NS_COLUMNS);
	while ((line = strtok_r(NULL, "\n", &save))) {
		uint64_t v[NKEYS], f[NKEYS];
		char *p = line, *end;
		size_t i;

		rows++;
		for (i = 0; i < NKEYS; i++) {
			v[i] = strtoull(p, &end, 10);
			if (end == p || (i + 1 < NKEYS && *end != ' ') ||
			    (i + 1 == NKEYS && *end))
				break;
			p = end + 1;
		}
		if (i != NKEYS) {
			diag("tables: bad row \"%s\"", line);
			bad++;
			continue;
		}
		seen_self |= v[INUM] == self;
		/* Static fields agree with the per-namespace file. */
		if (read_ns(v[INUM], f) == 0 &&
		    (f[INUM] != v[INUM] || f[LEVEL] != v[LEVEL] ||
		     f[PARENT] != v[PARENT])) {
			diag("tables: row %" PRIu64 " disagrees with its file",
			     v[INUM]);
			disagree++;
		}
	}
	check(rows > 0 && !bad && seen_self,
	      "tables: %d namespaces rows of %zu decimal columns, our namespace's among them",
	      rows, NKEYS);
	sanity(!disagree, "tables: inum, level, parent of every row agree with its file");

	/* 1-byte reads and lseek give the same bytes as a whole read. */
	{
		char path[64];
		struct child c;
		uint64_t inum;
		ssize_t na, nb;
		int fd;

		/* A quiescent namespace, whose file does not change. */
		child_init(&c);
		c.pid = spawn(workload_init, &c, CLONE_NEWPID);
		parent_wait_ready(&c);
		/* Let its init reach its read() and block: quiescent. */
		msleep(100);
		inum = ns_of(c.pid, NULL);
		wait_ns_file(inum, true, 1000);
		snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, inum);
		na = slurp(path, a, sizeof(a));
		fd = open(path, O_RDONLY);
		nb = slurp1(fd, b, sizeof(b));
		check(na > 0 && na == nb && !memcmp(a, b, na),
		      "tables: 1-byte reads of a per-namespace file equal a whole read");
		lseek(fd, 5, SEEK_SET);
		nb = slurp1(fd, b, sizeof(b));
		check(nb == na - 5 && !memcmp(a + 5, b, nb),
		      "tables: lseek(5) then reads give the rest");
		lseek(fd, 0, SEEK_SET);
		nb = read(fd, b, sizeof(b));
		check(nb == na && !memcmp(a, b, na),
		      "tables: lseek(0) re-reads a per-namespace file");
		close(fd);

		finish(&c);
	}
	test_chunked_reads();
}

/* ---- the view from inside a child namespace ---- */

struct vis_arg {
	struct child c;
	uint64_t host;
};

static int visibility_child(void *arg)
{
	struct vis_arg *va = arg;
	struct child *c = &va->c;
	uint64_t host = va->host;
	static char buf[65536];
	char path[64], ans[256], req[64];
	uint64_t self, v[NKEYS];
	char *line, *save;
	int fd, err, rows = 0, firstpid = -1;
	bool only_sub = true;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("proc", "/proc", "proc", 0, NULL))
		_exit(93);
	self = ns_of(getpid(), NULL);
	/*
	 * A new namespace's row and file appear within a second (the
	 * contract: the sync work indexes it, then makes its file).
	 */
	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, self);
	for (int i = 0; i < 100 && access(path, F_OK); i++)
		usleep(10000);
	if (slurp("/proc/nsmon/namespaces", buf, sizeof(buf)) < 0)
		_exit(94);
	line = strtok_r(buf, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save))) {
		uint64_t inum = strtoull(line, NULL, 10);

		rows++;
		if (inum == host)
			only_sub = false;
		if (rows == 1 && inum != self)
			only_sub = false;
	}
	check(rows >= 1 && only_sub,
	      "visibility: the child sees its own namespace first and not the host's (%d rows)",
	      rows);
	check(read_ns(self, v) == 0 && v[LEVEL] == 1 && v[PARENT] == 0 &&
	      v[INIT_PID] == 1,
	      "visibility: own file: level 1, parent hidden (0), init_pid 1");
	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, host);
	fd = open(path, O_RDONLY);
	check(fd < 0 && errno == ENOENT,
	      "visibility: opening the host's file gives ENOENT");
	if (fd >= 0)
		close(fd);
	if (slurp("/proc/nsmon/pids", buf, sizeof(buf)) > 0) {
		line = strtok_r(buf, "\n", &save);
		line = strtok_r(NULL, "\n", &save);
		if (line)
			firstpid = atoi(line);
	}
	check(firstpid == 1, "visibility: pids start at 1 (%d)", firstpid);
	test_pids("visibility");
	fd = open("/proc/nsmon/lookup", O_RDWR);
	snprintf(req, sizeof(req), "%" PRIu64 " 1", host);
	err = lookup(fd, req, ans, sizeof(ans));
	check(err == -ENOENT, "visibility: lookup in the host namespace gives ENOENT (%s)",
	      errname(err));
	snprintf(req, sizeof(req), "%" PRIu64 " 1", self);
	err = lookup(fd, req, ans, sizeof(ans));
	snprintf(req, sizeof(req), "%" PRIu64 " 1 1 1 ", self);
	check(err > 0 && !strncmp(ans, req, strlen(req)),
	      "visibility: lookup of our init answers in our numbers (%s)",
	      err > 0 ? ans : errname(err));
	close(fd);
	child_ready(c);
	return failures ? 1 : 0;
}

static void test_visibility(void)
{
	struct vis_arg arg;
	int status;

	child_init(&arg.c);
	arg.host = ns_of(getpid(), NULL);
	arg.c.pid = spawn(visibility_child, &arg,
			  CLONE_NEWPID | CLONE_NEWNS);
	waitpid(arg.c.pid, &status, 0);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "visibility: the child's checks ran (status %d)", status);
}

/* ---- a namespace dies, and its inode number comes back ---- */

static int idle_init(void *arg)
{
	struct child *c = arg;

	child_ready(c);
	child_wait_go(c);
	return 0;
}

static void test_lifecycle(void)
{
	struct child c;
	uint64_t first, inum = 0, v[NKEYS] = { 0 };
	int tries, err;

	child_init(&c);
	c.pid = spawn(workload_init, &c, CLONE_NEWPID);
	parent_wait_ready(&c);
	first = ns_of(c.pid, NULL);
	check(wait_ns_file(first, true, 1000), "lifecycle: file of %" PRIu64 " appears",
	      first);
	finish(&c);
	check(wait_ns_file(first, false, 1000),
	      "lifecycle: and goes within 1 s of the namespace's death");
	for (tries = 0; tries < 200; tries++) {
		child_init(&c);
		c.pid = spawn(idle_init, &c, CLONE_NEWPID);
		parent_wait_ready(&c);
		inum = ns_of(c.pid, NULL);
		if (inum == first)
			break;
		finish(&c);
		wait_ns_file(inum, false, 1000);
	}
	diag("lifecycle: inode number %" PRIu64 " came back after %d namespaces",
	     first, tries + 1);
	check(inum == first, "lifecycle: a new namespace reuses the inode number");
	if (inum != first)
		return;
	err = wait_ns_file(inum, true, 1000) ? read_ns(inum, v) : -ENOENT;
	check(err == 0 && v[FORKS] == 1 && v[THREADS] == 0 && v[EXECS] == 0 &&
	      v[EXITS] == 0 && v[TASKS] == 1 && v[PROCS] == 1,
	      "lifecycle: the reused inode number starts from zero (forks %" PRIu64
	      " execs %" PRIu64 " exits %" PRIu64 ")", v[FORKS], v[EXECS], v[EXITS]);
	finish(&c);
}

/* ---- helpers for the scripts ---- */

static void *storm_thread(void *arg)
{
	sched_yield();
	return arg;
}

static int storm_init(void *arg)
{
	long secs = (long)arg;
	time_t end = time(NULL) + secs;
	static int depth;

	if (depth++ < 2) {
		pid_t p = spawn(storm_init, arg, CLONE_NEWPID);

		(void)p;
	}
	while (time(NULL) < end) {
		pthread_t th;
		pid_t p = fork();

		if (p == 0) {
			sched_yield();
			_exit(0);
		}
		if (pthread_create(&th, NULL, storm_thread, NULL) == 0)
			pthread_join(th, NULL);
		waitpid(p, NULL, 0);
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(what, "noop"))
		return 0;
	if (!strcmp(what, "contract")) {
		test_tables();
		test_workload();
		test_census();
		test_switches();
		test_cpu();
		test_pids("pids");
		test_lookup();
		test_threads();
	} else if (!strcmp(what, "visibility")) {
		test_visibility();
	} else if (!strcmp(what, "lifecycle")) {
		test_lifecycle();
	} else if (!strcmp(what, "seeded") && argc == 5) {
		uint64_t v[NKEYS];
		int err = read_ns(strtoull(argv[2], NULL, 10), v);

		check(err == 0, "seeded: the namespace that predates insmod has a file");
		if (!err)
			check(v[TASKS] == strtoull(argv[3], NULL, 10) &&
			      v[PROCS] == strtoull(argv[4], NULL, 10),
			      "seeded: tasks %" PRIu64 " processes %" PRIu64
			      " == %s %s seen in /proc", v[TASKS], v[PROCS],
			      argv[3], argv[4]);
	} else if (!strcmp(what, "storm") && argc == 3) {
		pid_t p = spawn(storm_init, (void *)atol(argv[2]), CLONE_NEWPID);

		waitpid(p, NULL, 0);
		return 0;
	} else {
		fprintf(stderr, "usage: nsmon-t contract|visibility|lifecycle|seeded INUM TASKS PROCS|storm SECS\n");
		return 2;
	}
	return failures ? 1 : 0;
}
