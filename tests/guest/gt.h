/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gt.h: helpers shared by the guest's ground-truth test programs
 * (nsmon-census.c, nsmon-gt.c).  Everything here reads the kernel's own
 * view (/proc/<pid>/task/<tid>/stat and ns/pid, status) or talks to
 * /proc/nsmon; nothing here knows how the module computes its numbers.
 *
 * TAP-style output: "ok - name", "not ok - name", "# diagnostic", and
 * "ok - name # SKIP reason" for a test the kernel cannot run (the runner
 * counts a SKIP line as a skip, not as a pass).
 */
#ifndef NSMON_GUEST_GT_H
#define NSMON_GUEST_GT_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nsmon/keys.h>

#define GT_FN static __attribute__((unused))
#define GT_PRINTF(a, b) __attribute__((format(printf, a, b)))

static int gt_failures;

GT_FN GT_PRINTF(2, 3) void check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "ok - " : "not ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		gt_failures++;
}

GT_FN GT_PRINTF(1, 2) void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* A test the kernel cannot run: TAP's skip directive, never a pass. */
GT_FN GT_PRINTF(2, 3) void skip(const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("ok - %s # SKIP ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/*
 * A consistency check of the module against its own arithmetic: not
 * evidence (the module computes the value that way), so a pass is only a
 * diagnostic; a failure is still a failure.
 */
GT_FN GT_PRINTF(2, 3) void sanity(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf(cond ? "# sanity holds: " : "not ok - sanity: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		gt_failures++;
}

GT_FN void gt_die(const char *what)
{
	printf("not ok - %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(1);
}

GT_FN void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

GT_FN double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Read a whole file; returns its length or -errno.  buf is terminated. */
GT_FN ssize_t slurp(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n = 0;
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

/* Inode number of a task's active PID namespace; 0 if it is gone. */
GT_FN uint64_t ns_of(pid_t pid, pid_t tid)
{
	char path[96];
	struct stat st;

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/pid", pid, tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

/* This task's PID as /proc (the host's procfs) numbers it. */
GT_FN pid_t proc_self_pid(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/thread-self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoi(strrchr(buf, '/') + 1);
}

/* Field @key of /proc/<pid>[/task/<tid>]/status, without the key. */
GT_FN bool status_field(pid_t pid, pid_t tid, const char *key, char *out,
			size_t size)
{
	char path[96], buf[4096], *p;
	size_t kl = strlen(key);

	if (tid)
		snprintf(path, sizeof(path), "/proc/%d/task/%d/status", pid, tid);
	else
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return false;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			char *v = p + kl + 1, *e;

			while (*v == '\t' || *v == ' ')
				v++;
			e = strchr(v, '\n');
			snprintf(out, size, "%.*s",
				 (int)(e ? e - v : (long)strlen(v)), v);
			return true;
		}
	}
	return false;
}

/* The state letter of a task from its stat file; 0 if it is gone. */
GT_FN char task_state(pid_t pid, pid_t tid)
{
	char path[96], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* ---- /proc/nsmon/<inum>, parsed by key ---- */

/* Every key, in order, from the one list (include/nsmon/keys.h). */
static const char *const gt_keys[] = {
	NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
};
#define GT_NKEYS (sizeof(gt_keys) / sizeof(gt_keys[0]))
enum { K_INUM, K_LEVEL, K_PARENT, K_INIT_PID, K_TASKS, K_PROCS, K_FORKS,
       K_THREADS, K_EXECS, K_EXITS, K_SWITCHES, K_VOL, K_INVOL, K_CPU };

/*
 * Read /proc/nsmon/<inum> through the procfs mounted at @proc ("/proc"
 * usually).  Returns 0, -errno, or 1 when the file does not parse (every
 * key in order, "key value\n" each).
 */
GT_FN int nsmon_read_at(const char *proc, uint64_t inum, uint64_t *v)
{
	char path[256], buf[2048], *p = buf, *end;
	size_t i;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/nsmon/%" PRIu64, proc, inum);
	n = slurp(path, buf, sizeof(buf));
	if (n < 0)
		return n;
	for (i = 0; i < GT_NKEYS; i++) {
		size_t kl = strlen(gt_keys[i]);

		if (strncmp(p, gt_keys[i], kl) || p[kl] != ' ' ||
		    p[kl + 1] < '0' || p[kl + 1] > '9')
			return 1;
		errno = 0;
		v[i] = strtoull(p + kl + 1, &end, 10);
		if (errno || *end != '\n')
			return 1;
		p = end + 1;
	}
	return 0;
}

GT_FN int nsmon_read(uint64_t inum, uint64_t *v)
{
	return nsmon_read_at("/proc", inum, v);
}

GT_FN bool nsmon_file_exists(uint64_t inum)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, inum);
	return access(path, F_OK) == 0;
}

GT_FN bool wait_nsmon_file(uint64_t inum, bool want, int ms)
{
	for (; ms > 0; ms -= 10) {
		if (nsmon_file_exists(inum) == want)
			return true;
		msleep(10);
	}
	return nsmon_file_exists(inum) == want;
}

/* ---- ground truth: live tasks and processes per namespace ---- */

struct truth {
	uint64_t inum;
	int tasks;	/* live (not zombie) tasks whose active ns it is */
	int procs;	/* thread groups with at least one such task */
};

#define GT_MAX_NS 4096

/*
 * Walk /proc (the host's procfs: every task) and count, per PID namespace,
 * the live tasks (state not Z or X) and the processes that still have one.
 * A process whose main thread called pthread_exit() is a zombie leader
 * with live threads: it is still in /proc and still a process.  Returns
 * the number of namespaces stored in @t (at most @max).
 */
GT_FN int truth_scan(struct truth *t, int max)
{
	DIR *dir = opendir("/proc"), *td;
	struct dirent *d, *e;
	char path[96];
	int n = 0;

	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);
		uint64_t pns = 0;

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", p);
		td = opendir(path);
		while (td && (e = readdir(td))) {
			pid_t tid = atoi(e->d_name);
			uint64_t inum;
			char st;
			int i;

			if (tid <= 0)
				continue;
			st = task_state(p, tid);
			if (!st || st == 'Z' || st == 'X')
				continue;
			inum = ns_of(p, tid);
			if (!inum)
				continue;
			for (i = 0; i < n && t[i].inum != inum; i++)
				;
			if (i == n) {
				if (n == max)
					continue;
				t[n].inum = inum;
				t[n].tasks = t[n].procs = 0;
				n++;
			}
			t[i].tasks++;
			if (pns != inum) {	/* the first live task of p */
				t[i].procs++;
				pns = inum;
			}
		}
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
	return n;
}

/* Print every task /proc shows in namespace @inum: tgid/tid state Name. */
GT_FN void truth_dump(const char *tag, uint64_t inum)
{
	DIR *dir = opendir("/proc"), *td;
	struct dirent *d, *e;
	char path[96], name[64], line[1024] = "";

	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", p);
		td = opendir(path);
		while (td && (e = readdir(td))) {
			pid_t tid = atoi(e->d_name);
			size_t l = strlen(line);

			if (tid <= 0 || ns_of(p, tid) != inum)
				continue;
			if (!status_field(p, tid, "Name", name, sizeof(name)))
				name[0] = '\0';
			snprintf(line + l, sizeof(line) - l, " %d/%d %c %s", p, tid,
				 task_state(p, tid) ?: '-', name);
		}
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
	diag("%s: /proc shows in %" PRIu64 " (tgid/tid state Name):%s", tag, inum, line);
}

/* Live tasks and processes of one namespace (0 0 if none). */
GT_FN void truth_of(uint64_t inum, int *tasks, int *procs)
{
	static struct truth t[GT_MAX_NS];
	int n = truth_scan(t, GT_MAX_NS), i;

	*tasks = *procs = 0;
	for (i = 0; i < n; i++) {
		if (t[i].inum == inum) {
			*tasks = t[i].tasks;
			*procs = t[i].procs;
		}
	}
}

/* ---- module load and unload, as insmod and rmmod do it ---- */

GT_FN int gt_insmod(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret, err;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

GT_FN int gt_rmmod(void)
{
	return syscall(SYS_delete_module, "nsmon", O_NONBLOCK) ? -errno : 0;
}

GT_FN bool gt_loaded(void)
{
	return access("/proc/nsmon", F_OK) == 0;
}

/* ---- children in new namespaces ---- */

/*
 * clone() @fn on a fresh stack of its own (1 MiB, never freed: a few
 * dozen per run).  Without CLONE_VM the child gets a copy of our memory,
 * as with fork(); _exit() with fn's value ends the whole process.  A
 * stack is never reused: clone() writes fn and arg at the top of the new
 * stack in the caller, which must not be a stack someone runs on.
 */
static int (*gt_spawn_fn)(void *);

static int gt_trampoline(void *arg)
{
	_exit(gt_spawn_fn(arg));
}

GT_FN pid_t gt_spawn(int (*fn)(void *), void *arg, int flags)
{
	char *stack = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	pid_t pid;

	if (stack == MAP_FAILED)
		gt_die("mmap a stack");
	gt_spawn_fn = fn;
	pid = clone(gt_trampoline, stack + (1 << 20), flags | SIGCHLD, arg);
	if (pid < 0)
		gt_die("clone");
	return pid;
}

/* Shared memory that survives fork and clone (MAP_SHARED). */
GT_FN void *gt_shared(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		gt_die("mmap shared");
	memset(p, 0, size);
	return p;
}

/* Block until the other end of @fd is closed everywhere. */
GT_FN void block_on(int fd)
{
	char b;
	ssize_t n;

	do
		n = read(fd, &b, 1);
	while (n > 0 || (n < 0 && errno == EINTR));
}

#endif /* NSMON_GUEST_GT_H */
