/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tt.h - helpers shared by the torture programs (tests/torture/tt-*.c).
 * Each program is compiled on its own (gcc -static), so everything here is
 * static.  Output follows the project's format: "ok - ...", "not ok - ...",
 * and "# ..." diagnostics.
 */
#ifndef NSMON_TT_H
#define NSMON_TT_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <nsmon/nsmon.h>

/* Every program uses some of these helpers, none uses all. */
#define TT_FN static __attribute__((unused))

/* Every key, in order, from the one list (include/nsmon/keys.h). */
#define TT_NKEYS NSMON_NKEYS

static const char *const tt_keys[TT_NKEYS] __attribute__((unused)) = {
	NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
};

enum {
	K_INUM, K_LEVEL, K_PARENT, K_INIT_PID, K_TASKS, K_PROCESSES, K_FORKS,
	K_THREADS, K_EXECS, K_EXITS, K_SWITCHES, K_VOL, K_INVOL, K_CPU_NS,
};

static pthread_mutex_t tt_out_lock = PTHREAD_MUTEX_INITIALIZER;
static int tt_failures __attribute__((unused));

TT_FN void __attribute__((format(printf, 2, 3)))
tt_result(int good, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tt_out_lock);
	fputs(good ? "ok - " : "not ok - ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!good)
		tt_failures++;
	pthread_mutex_unlock(&tt_out_lock);
}

TT_FN void __attribute__((format(printf, 1, 2))) tt_diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tt_out_lock);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&tt_out_lock);
}

TT_FN void __attribute__((noreturn, format(printf, 1, 2)))
tt_die(const char *fmt, ...)
{
	va_list ap;

	printf("not ok - ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(": %s\n", strerror(errno));
	fflush(stdout);
	exit(1);
}

TT_FN double tt_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A small, thread-local, seedable random number generator (xorshift). */
TT_FN unsigned int tt_rand(unsigned int *state)
{
	unsigned int x = *state ? *state : 2463534242U;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/*
 * Read a whole file with read() calls of @chunk bytes.  Returns the length
 * (buffer NUL-terminated, truncated at @size - 1) or -errno of the failing
 * open/read.
 */
TT_FN ssize_t tt_read_file(const char *path, char *buf, size_t size,
			    size_t chunk)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		size_t want = chunk;

		if (len + want > size - 1)
			want = size - 1 - len;
		if (want == 0)
			break;
		n = read(fd, buf + len, want);
		if (n < 0) {
			int err = errno;

			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* Is [s, s + n) one or more decimal digits and nothing else? */
TT_FN int tt_is_dec(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 20)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/*
 * Check the text of a /proc/nsmon/<inum> file: "key value\n" lines, the
 * contract's keys in order.  A file that vanished while being read may be
 * a consistent prefix (whole lines only) when @allow_short.  Fills v[]
 * with the values found; returns the number of keys, or -1 (with *why)
 * for anything else: that is garbage.
 */
TT_FN int tt_parse_ns_file(const char *text, size_t len, unsigned long long *v,
			    int allow_short, const char **why)
{
	const char *p = text, *end = text + len;
	int k = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		size_t kl;

		if (!nl) {
			*why = "a line without its newline";
			return -1;
		}
		if (k >= TT_NKEYS) {
			/* The contract allows more keys after ours. */
			p = nl + 1;
			continue;
		}
		kl = strlen(tt_keys[k]);
		if ((size_t)(nl - p) < kl + 2 || memcmp(p, tt_keys[k], kl) ||
		    p[kl] != ' ') {
			*why = "a key out of order or misspelt";
			return -1;
		}
		if (!tt_is_dec(p + kl + 1, nl - (p + kl + 1))) {
			*why = "a value that is not a plain decimal";
			return -1;
		}
		v[k] = strtoull(p + kl + 1, NULL, 10);
		k++;
		p = nl + 1;
	}
	if (k < TT_NKEYS && !allow_short) {
		*why = "keys missing";
		return -1;
	}
	return k;
}

/*
 * Check one row of /proc/nsmon/namespaces (without its newline): 14 plain
 * decimals separated by single spaces.
 */
TT_FN int tt_parse_ns_row(const char *s, size_t n, unsigned long long *v)
{
	const char *p = s, *end = s + n;
	int k;

	for (k = 0; k < TT_NKEYS; k++) {
		const char *sp = memchr(p, ' ', end - p);
		const char *e = sp && k < TT_NKEYS - 1 ? sp : end;

		if (k < TT_NKEYS - 1 && !sp)
			return -1;
		if (!tt_is_dec(p, e - p))
			return -1;
		v[k] = strtoull(p, NULL, 10);
		p = e + 1;
	}
	return 0;
}

/*
 * Check a whole /proc/nsmon/namespaces text.  Returns the number of rows,
 * or -1 with *why.  Stores up to @max inums in @inums.
 */
TT_FN int tt_check_namespaces(const char *text, size_t len,
			       unsigned int *inums, int max, const char **why)
{
	static const char header[] = NSMON_NS_COLUMNS "\n";
	const char *p = text + sizeof(header) - 1, *end = text + len;
	unsigned long long prev = 0;
	int rows = 0;

	if (len < sizeof(header) - 1 ||
	    memcmp(text, header, sizeof(header) - 1)) {
		*why = "bad header";
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		unsigned long long v[TT_NKEYS];

		if (!nl) {
			*why = "a row without its newline";
			return -1;
		}
		if (tt_parse_ns_row(p, nl - p, v)) {
			*why = "a malformed row";
			return -1;
		}
		/* Rows come sorted by inum: a repeat would be a duplicate. */
		if (v[K_INUM] <= prev) {
			*why = "rows out of order or repeated";
			return -1;
		}
		prev = v[K_INUM];
		if (rows < max)
			inums[rows] = v[K_INUM];
		rows++;
		p = nl + 1;
	}
	return rows;
}

/*
 * Check a whole /proc/nsmon/pids text as seen from the initial namespace:
 * "pid tgid ns ns_pid ns_tgid nspid comm", nspid a comma list whose first
 * element is pid and whose last is ns_pid.  Returns rows or -1.
 */
TT_FN int tt_check_pids(const char *text, size_t len, const char **why)
{
	static const char header[] = NSMON_PIDS_COLUMNS "\n";
	const char *p = text + sizeof(header) - 1, *end = text + len;
	long prev = 0;
	int rows = 0;

	if (len < sizeof(header) - 1 ||
	    memcmp(text, header, sizeof(header) - 1)) {
		*why = "bad header";
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		char line[512], *f[6], *save = NULL, *comm;
		long pid, nspid_first, nspid_last, ns_pid;
		char *c;
		int i;

		if (!nl) {
			*why = "a row without its newline";
			return -1;
		}
		if ((size_t)(nl - p) >= sizeof(line)) {
			*why = "an overlong row";
			return -1;
		}
		memcpy(line, p, nl - p);
		line[nl - p] = '\0';
		for (i = 0; i < 6; i++) {
			f[i] = strtok_r(i ? NULL : line, " ", &save);
			if (!f[i]) {
				*why = "a row with missing columns";
				return -1;
			}
		}
		comm = save;
		if (!comm || !*comm) {
			*why = "a row without comm";
			return -1;
		}
		for (i = 0; i < 5; i++)
			if (!tt_is_dec(f[i], strlen(f[i]))) {
				*why = "a column that is not a plain decimal";
				return -1;
			}
		for (c = f[5]; *c; c++)
			if ((*c < '0' || *c > '9') && *c != ',') {
				*why = "a malformed nspid chain";
				return -1;
			}
		pid = atol(f[0]);
		ns_pid = atol(f[3]);
		nspid_first = atol(f[5]);
		nspid_last = atol(strrchr(f[5], ',') ? strrchr(f[5], ',') + 1 :
				  f[5]);
		if (pid <= 0 || pid != nspid_first || ns_pid != nspid_last) {
			*why = "nspid does not run from pid to ns_pid";
			return -1;
		}
		if (pid <= prev) {
			*why = "rows out of order or repeated";
			return -1;
		}
		prev = pid;
		rows++;
		p = nl + 1;
	}
	return rows;
}

/* The inode number of a task's active PID namespace, or 0. */
TT_FN unsigned int tt_pid_ns_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

/*
 * Ground truth from /proc: the live tasks (threads) and processes whose
 * active namespace has inode @inum.  Zombies do not count.
 */
TT_FN void tt_count_ns(unsigned int inum, long *tasks, long *procs)
{
	DIR *d = opendir("/proc"), *td;
	struct dirent *de, *te;
	char path[128], buf[512];

	*tasks = *procs = 0;
	if (!d)
		return;
	while ((de = readdir(d))) {
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			int tid = atoi(te->d_name);
			struct stat st;
			char *s;

			if (tid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/pid",
				 pid, tid);
			if (stat(path, &st) || st.st_ino != inum)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/status",
				 pid, tid);
			if (tt_read_file(path, buf, sizeof(buf), sizeof(buf)) <= 0)
				continue;
			s = strstr(buf, "\nState:\t");
			if (!s || s[8] == 'Z' || s[8] == 'X')
				continue;
			(*tasks)++;
			if (tid == pid)
				(*procs)++;
		}
		closedir(td);
	}
	closedir(d);
}

/* Read /proc/nsmon/<inum> into v[]; returns 0 or -errno / -EBADMSG. */
TT_FN int tt_read_ns(unsigned int inum, unsigned long long *v)
{
	char path[64], buf[4096];
	const char *why;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/nsmon/%u", inum);
	n = tt_read_file(path, buf, sizeof(buf), sizeof(buf));
	if (n < 0)
		return n;
	if (tt_parse_ns_file(buf, n, v, 0, &why) != TT_NKEYS)
		return -EBADMSG;
	return 0;
}

/* fork() into a new PID namespace: the child is its init (PID 1). */
TT_FN pid_t tt_fork_newpid(void)
{
	return syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, NULL, NULL, NULL, 0);
}

/* Load and unload nsmon with the system calls insmod and rmmod use. */
TT_FN int tt_insmod(const char *ko)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), ret, err;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	err = errno;
	close(fd);
	return ret ? -err : 0;
}

TT_FN int tt_rmmod(void)
{
	return syscall(SYS_delete_module, "nsmon", O_NONBLOCK) ? -errno : 0;
}

/*
 * /proc/nsmon/containers: its header, then rows of nine numbers, a
 * nodename and a cgroup path ("-" or starting with '/'), strictly
 * ascending by inum, init_pid 0 exactly when the row has no details.
 */
TT_FN int tt_check_containers(const char *text, size_t len, const char **why)
{
	static const char header[] = NSMON_CONTAINERS_COLUMNS "\n";
	const char *p = text + sizeof(header) - 1, *end = text + len;
	unsigned long prev = 0;
	int rows = 0;

	if (len < sizeof(header) - 1 ||
	    memcmp(text, header, sizeof(header) - 1)) {
		*why = "bad header";
		return -1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		char line[8192], *f[11], *save = NULL;
		unsigned long v[9];
		char *e;
		int i;

		if (!nl) {
			*why = "a row without its newline";
			return -1;
		}
		if ((size_t)(nl - p) >= sizeof(line)) {
			*why = "an overlong row";
			return -1;
		}
		memcpy(line, p, nl - p);
		line[nl - p] = '\0';
		for (i = 0; i < 11; i++) {
			f[i] = strtok_r(i ? NULL : line, " ", &save);
			if (!f[i]) {
				*why = "a row with fewer than 11 fields";
				return -1;
			}
		}
		for (i = 0; i < 9; i++) {
			v[i] = strtoul(f[i], &e, 10);
			if (*e || e == f[i]) {
				*why = "a malformed number";
				return -1;
			}
		}
		if (v[0] <= prev) {
			*why = "rows not strictly ascending by inum";
			return -1;
		}
		prev = v[0];
		if (f[10][0] != '/' && strcmp(f[10], "-")) {
			*why = "a cgroup path that is neither '-' nor absolute";
			return -1;
		}
		if (!v[1] && (strcmp(f[9], "-") || strcmp(f[10], "-"))) {
			*why = "a row without init with a nodename or cgroup";
			return -1;
		}
		rows++;
		p = nl + 1;
	}
	return rows;
}

TT_FN int tt_loaded(void)
{
	return access("/proc/nsmon", F_OK) == 0;
}

/*
 * Ground truth: the inode numbers of every PID namespace that has a live
 * (not zombie) task, sorted.  Returns how many (at most @max are stored).
 */
TT_FN int tt_cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

TT_FN int tt_live_namespaces(unsigned int *inums, int max)
{
	DIR *d = opendir("/proc"), *td;
	struct dirent *de, *te;
	char path[128], buf[512];
	int n = 0, i, j;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		int pid = atoi(de->d_name);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", pid);
		td = opendir(path);
		if (!td)
			continue;
		while ((te = readdir(td))) {
			int tid = atoi(te->d_name);
			struct stat st;
			char *s;

			if (tid <= 0)
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/ns/pid",
				 pid, tid);
			if (stat(path, &st))
				continue;
			snprintf(path, sizeof(path), "/proc/%d/task/%d/status",
				 pid, tid);
			if (tt_read_file(path, buf, sizeof(buf), sizeof(buf)) <= 0)
				continue;
			s = strstr(buf, "\nState:\t");
			if (!s || s[8] == 'Z' || s[8] == 'X')
				continue;
			if (n < max)
				inums[n++] = st.st_ino;
		}
		closedir(td);
	}
	closedir(d);
	qsort(inums, n, sizeof(*inums), tt_cmp_uint);
	for (i = j = 0; i < n; i++)
		if (!j || inums[j - 1] != inums[i])
			inums[j++] = inums[i];
	return j;
}

/*
 * Does the namespaces table list exactly the live namespaces?  Waits up
 * to @secs seconds for it to settle (dead namespaces go within a second,
 * says the contract).  Prints one result line.
 */
TT_FN int tt_check_table_matches_live(const char *what, double secs)
{
	static unsigned int live[8192], listed[8192];
	static char buf[1 << 20];
	double end = tt_now() + secs;
	int nl, nt, stale, missing, i, j;
	const char *why = "";

	for (;;) {
		ssize_t n = tt_read_file("/proc/nsmon/namespaces", buf,
					 sizeof(buf), sizeof(buf));

		nl = tt_live_namespaces(live, 8192);
		nt = n < 0 ? -1 : tt_check_namespaces(buf, n, listed, 8192,
						       &why);
		stale = missing = 0;
		for (i = j = 0; nt >= 0 && (i < nl || j < nt);) {
			if (j >= nt || (i < nl && live[i] < listed[j])) {
				missing++;
				i++;
			} else if (i >= nl || listed[j] < live[i]) {
				stale++;
				j++;
			} else {
				i++;
				j++;
			}
		}
		if ((nt >= 0 && !stale && !missing) || tt_now() > end)
			break;
		usleep(100000);
	}
	tt_result(nt >= 0 && !stale && !missing,
		  "%s: /proc/nsmon/namespaces lists exactly the %d live namespaces (%d listed, %d stale, %d missing%s%s)",
		  what, nl, nt, stale, missing, nt < 0 ? ", " : "",
		  nt < 0 ? why : "");
	return nt >= 0 && !stale && !missing;
}

#endif /* NSMON_TT_H */
