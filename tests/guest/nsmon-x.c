// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-x: guest tests written for mutants of module/ that the rest of
 * the suite let survive (tests/mutants/).  Each compares /proc/nsmon with
 * the kernel's own ground truth: /proc/<pid>/task lists, status fields,
 * and the PID directories of a procfs mounted in the namespace itself.
 *
 *   nsmon-x iouring          io_uring threads (task_newtask) are counted
 *   nsmon-x manyns N         N namespaces' switches at once (cache sets)
 *   nsmon-x resume           tables read in small pieces miss no row
 *   nsmon-x comm             a task name with bytes that need escaping
 *   nsmon-x siblings         sibling and cousin namespaces stay hidden
 *   nsmon-x euid UID EUID    hidepid: a task whose euid differs
 *   nsmon-x churn N          N namespaces born and dying in turn
 *   nsmon-x groupdeath KO R [full]  R censuses while thread groups die
 *                            (full: with the preemption model "full")
 *   nsmon-x census-switches KO  switches of tasks that predate insmod
 */
#include "gt.h"

#include <linux/io_uring.h>
#include <poll.h>
#include <sys/mount.h>
#include <sys/prctl.h>

#include <nsmon/nsmon.h>

/* ---- a child in a new namespace, killed when we are done ---- */

/*
 * Every kid inherits every other kid's pipes, so a kid is never told to
 * finish by closing one: it says ready and sleeps, and SIGKILL ends it
 * (and, for a namespace's init, the whole namespace).
 */
struct kid {
	pid_t pid;
	int ready[2];	/* the kid writes a byte when it is set up */
};

static void kid_init(struct kid *k)
{
	if (pipe(k->ready))
		gt_die("pipe");
}

/* In the kid: say ready, then sleep until killed. */
static void kid_ready_wait(struct kid *k)
{
	if (write(k->ready[1], "r", 1) != 1)
		_exit(90);
	for (;;)
		pause();
}

/* Wait up to 60 s for @n ready bytes from @k. */
static bool kid_wait_ready_n(struct kid *k, int n)
{
	struct pollfd pfd = { .fd = k->ready[0], .events = POLLIN };
	char b;

	while (n > 0) {
		if (poll(&pfd, 1, 60000) != 1 || read(k->ready[0], &b, 1) != 1)
			return false;
		n--;
	}
	return true;
}

static bool kid_wait_ready(struct kid *k)
{
	return kid_wait_ready_n(k, 1);
}

static void kid_finish(struct kid *k)
{
	kill(k->pid, SIGKILL);
	waitpid(k->pid, NULL, 0);
	close(k->ready[0]);
	close(k->ready[1]);
}

/* Sum of a status counter over every thread of @pid. */
static uint64_t sum_status(pid_t pid, const char *key, int *nthreads)
{
	char path[64], v[64];
	struct dirent *d;
	uint64_t sum = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (status_field(pid, atoi(d->d_name), key, v, sizeof(v)))
			sum += strtoull(v, NULL, 10);
		if (nthreads)
			(*nthreads)++;
	}
	if (dir)
		closedir(dir);
	return sum;
}

/* ---- io_uring: the SQPOLL thread is made by create_io_thread() ---- */

static int iouring_kid(void *arg)
{
	struct kid *k = arg;
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 1;	/* ms of polling before it sleeps */
	fd = syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return 80;
	kid_ready_wait(k);
	return 0;
}

static void test_iouring(void)
{
	uint64_t v[GT_NKEYS], inum;
	int tasks, procs, nthreads = 0, err, i;
	struct kid k;

	kid_init(&k);
	k.pid = gt_spawn(iouring_kid, &k, CLONE_NEWPID);
	if (!kid_wait_ready(&k)) {
		check(false, "iouring: io_uring_setup(SQPOLL) in a new namespace");
		kid_finish(&k);
		return;
	}
	inum = ns_of(k.pid, 0);
	sum_status(k.pid, "Pid", &nthreads);
	wait_nsmon_file(inum, true, 2000);
	/* The SQPOLL thread may still be starting: let it settle. */
	for (i = 0; i < 20; i++) {
		truth_of(inum, &tasks, &procs);
		err = nsmon_read(inum, v);
		if (!err && v[K_TASKS] == (uint64_t)tasks)
			break;
		msleep(50);
	}
	diag("iouring: %d threads in /proc/%d/task, /proc says %d tasks %d processes",
	     nthreads, k.pid, tasks, procs);
	check(nthreads == 2, "iouring: the kid has its iou-sqp thread (%d threads)",
	      nthreads);
	check(!err && v[K_TASKS] == (uint64_t)tasks && v[K_PROCS] == (uint64_t)procs,
	      "iouring: tasks %" PRIu64 " processes %" PRIu64 " == %d %d live in /proc",
	      v[K_TASKS], v[K_PROCS], tasks, procs);
	check(!err && v[K_THREADS] == (uint64_t)(nthreads - 1),
	      "iouring: threads %" PRIu64 " == %d io_uring threads made",
	      v[K_THREADS], nthreads - 1);
	kid_finish(&k);
}

/* ---- many namespaces switching at once ---- */

struct pp {
	int a[2], b[2], rounds;
};

static void *pong(void *arg)
{
	struct pp *p = arg;
	char ch;
	int i;

	for (i = 0; i < p->rounds; i++)
		if (read(p->a[0], &ch, 1) != 1 || write(p->b[1], &ch, 1) != 1)
			break;
	for (;;)
		pause();
	return NULL;
}

static int manyns_kid(void *arg)
{
	struct kid *k = arg;
	struct pp p = { .rounds = 100 + getppid() % 50 };
	volatile unsigned long spin;
	pthread_t th;
	char ch = 'x';
	int i;

	if (pipe(p.a) || pipe(p.b) || pthread_create(&th, NULL, pong, &p))
		return 81;
	for (i = 0; i < p.rounds; i++)
		if (write(p.a[1], &ch, 1) != 1 || read(p.b[0], &ch, 1) != 1)
			break;
	for (spin = 0; spin < 3000000UL; spin++)
		;
	kid_ready_wait(k);
	return 0;
}

static void test_manyns(int n)
{
	struct kid *k = calloc(n, sizeof(*k));
	int i, bad = 0, read_bad = 0;

	/* All alive at once, switching while the others do. */
	for (i = 0; i < n; i++) {
		kid_init(&k[i]);
		k[i].pid = gt_spawn(manyns_kid, &k[i], CLONE_NEWPID);
	}
	for (i = 0; i < n; i++)
		if (!kid_wait_ready(&k[i]))
			bad++;
	check(bad == 0, "manyns: %d namespaces set up", n);
	msleep(200);	/* every pong thread blocked in pause() */
	for (i = 0; i < n; i++) {
		uint64_t v[GT_NKEYS], inum = ns_of(k[i].pid, 0);
		uint64_t vol = sum_status(k[i].pid, "voluntary_ctxt_switches", NULL);
		uint64_t invol = sum_status(k[i].pid, "nonvoluntary_ctxt_switches", NULL);

		wait_nsmon_file(inum, true, 2000);
		if (nsmon_read(inum, v)) {
			read_bad++;
			continue;
		}
		if (v[K_VOL] != vol || v[K_INVOL] != invol || v[K_TASKS] != 2) {
			diag("manyns: namespace %" PRIu64 ": nsmon %" PRIu64 "+%" PRIu64
			     " switches, %" PRIu64 " tasks; kernel %" PRIu64 "+%" PRIu64 ", 2",
			     inum, v[K_VOL], v[K_INVOL], v[K_TASKS], vol, invol);
			bad++;
		}
	}
	check(read_bad == 0 && bad == 0,
	      "manyns: %d namespaces alive at once: each one's voluntary and involuntary switches == its tasks' ctxt_switches",
	      n);
	for (i = 0; i < n; i++)
		kid_finish(&k[i]);
	free(k);
}

/* ---- reading the tables in pieces ---- */

static char big_a[1 << 20], big_b[1 << 20];

/* Read @path with read()s of @chunk bytes; returns the length. */
static ssize_t read_chunks(const char *path, char *buf, size_t size,
			   size_t chunk)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len + chunk < size && (n = read(fd, buf + len, chunk)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/* The first column of every line after the header, as "a,b,c,". */
static void first_column(const char *text, char *out, size_t size)
{
	const char *p = strchr(text, '\n');
	size_t len = 0;

	out[0] = '\0';
	while (p && p[1]) {
		const char *e;

		p++;
		e = strpbrk(p, " \n");
		if (!e)
			break;
		len += snprintf(out + len, size - len, "%.*s,", (int)(e - p), p);
		if (len >= size)
			break;
		p = strchr(p, '\n');
	}
}

static int idle_kid(void *arg)
{
	kid_ready_wait(arg);
	return 0;
}

static void resume_check(const char *path, const char *what)
{
	static const size_t chunks[] = { 1, 7, 100, 4000 };
	static char col_a[1 << 18], col_b[1 << 18], col_c[1 << 18];
	size_t i;

	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		int tries, rows = 0;
		bool same = false;

		/* Two whole reads around the piecewise one must agree. */
		for (tries = 0; tries < 10 && !same; tries++) {
			read_chunks(path, big_a, sizeof(big_a), sizeof(big_a) / 2);
			first_column(big_a, col_a, sizeof(col_a));
			read_chunks(path, big_b, sizeof(big_b), chunks[i]);
			first_column(big_b, col_b, sizeof(col_b));
			read_chunks(path, big_a, sizeof(big_a), sizeof(big_a) / 2);
			first_column(big_a, col_c, sizeof(col_c));
			if (strcmp(col_a, col_c))
				continue;	/* the table changed meanwhile */
			same = true;
		}
		for (char *p = col_a; *p; p++)
			rows += *p == ',';
		if (!same) {
			check(false, "resume: %s did not stay still for two reads", what);
			continue;
		}
		if (strcmp(col_a, col_b))
			diag("resume: %s whole: %.200s\n# in %zu-byte reads: %.200s",
			     what, col_a, chunks[i], col_b);
		check(!strcmp(col_a, col_b),
		      "resume: %s read %zu bytes at a time has the same %d rows as a whole read",
		      what, chunks[i], rows);
	}
}

static void test_resume(int n)
{
	struct kid *k = calloc(n, sizeof(*k));
	int i, missing = 0;

	for (i = 0; i < n; i++) {
		kid_init(&k[i]);
		k[i].pid = gt_spawn(idle_kid, &k[i], CLONE_NEWPID);
	}
	for (i = 0; i < n; i++)
		kid_wait_ready(&k[i]);
	for (i = 0; i < n; i++)
		wait_nsmon_file(ns_of(k[i].pid, 0), true, 2000);
	/* Enough rows for several seq_file buffers (4 KiB each). */
	if (slurp("/proc/nsmon/namespaces", big_a, sizeof(big_a)) < 0)
		gt_die("read /proc/nsmon/namespaces");
	for (i = 0; i < n; i++) {
		char key[32];

		snprintf(key, sizeof(key), "\n%" PRIu64 " ", ns_of(k[i].pid, 0));
		if (!strstr(big_a, key))
			missing++;
	}
	check(missing == 0 && strlen(big_a) > 8192,
	      "resume: all %d namespaces in a whole read of namespaces (%zu bytes, %d missing)",
	      n, strlen(big_a), missing);
	resume_check("/proc/nsmon/namespaces", "namespaces");
	resume_check("/proc/nsmon/pids", "pids");
	for (i = 0; i < n; i++)
		kid_finish(&k[i]);
	free(k);
}

/* ---- a task name that needs escaping ---- */

/* 15 bytes: a newline, a backslash, a space and a tab among them. */
static const char odd_comm[] = "a\nb\\c d\te12345";

static int comm_kid(void *arg)
{
	if (prctl(PR_SET_NAME, odd_comm, 0, 0, 0))
		return 82;
	kid_ready_wait(arg);
	return 0;
}

static void test_comm(void)
{
	char name[128], want[256], key[32], ans[256], req[64], *p, *line;
	struct kid k;
	int fd, lines = 0;
	ssize_t n;

	kid_init(&k);
	k.pid = gt_spawn(comm_kid, &k, 0);
	if (!kid_wait_ready(&k)) {
		check(false, "comm: set a 15-byte name with a newline");
		kid_finish(&k);
		return;
	}
	/* /proc/<pid>/status Name: is the ground truth of the escaping. */
	if (!status_field(k.pid, 0, "Name", name, sizeof(name)))
		gt_die("status Name");
	diag("comm: status says Name: %s", name);
	check(!strchr(name, '\n') && strstr(name, "\\n"),
	      "comm: the kernel escapes the newline in Name (%s)", name);

	if (slurp("/proc/nsmon/pids", big_a, sizeof(big_a)) < 0)
		gt_die("read /proc/nsmon/pids");
	snprintf(key, sizeof(key), "%d %d ", k.pid, k.pid);
	snprintf(want, sizeof(want), " %s", name);
	line = NULL;
	for (p = big_a; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		if (!strncmp(p, key, strlen(key))) {
			lines++;
			line = p;
		}
	}
	if (line) {
		char *e = strchr(line, '\n');

		if (e)
			*e = '\0';
	}
	check(lines == 1 && line && strlen(line) > strlen(want) &&
	      !strcmp(line + strlen(line) - strlen(want), want),
	      "comm: pids has one row for it, ending in its Name: (%s)",
	      line ? line : "no row");

	fd = open("/proc/nsmon/lookup", O_RDWR);
	snprintf(req, sizeof(req), "%" PRIu64 " %d", ns_of(k.pid, 0), k.pid);
	n = fd >= 0 ? write(fd, req, strlen(req)) : -1;
	if (n > 0) {
		lseek(fd, 0, SEEK_SET);
		n = read(fd, ans, sizeof(ans) - 1);
	}
	if (fd >= 0)
		close(fd);
	ans[n > 0 ? n : 0] = '\0';
	snprintf(want, sizeof(want), "%s %d %d %s\n", req, k.pid, k.pid, name);
	check(n > 0 && !strcmp(ans, want),
	      "comm: lookup answers one line ending in its Name: (%s)", ans);
	kid_finish(&k);
}

/* ---- sibling and cousin namespaces, and readers outside the view ---- */

#define SIB_DIR "/tmp/nsmon-x"

struct sib {
	struct kid k;
	const char *name;	/* A, B, A1, B1 */
	char mnt[64];		/* its own procfs, mounted by its init */
	int parent;		/* index of the parent, -1: host */
	uint64_t inum;
	int level;
};

static struct sib *sibs;
#define NSIB 4

/* Init of namespace @arg: mount our procfs, make our child, wait. */
static int sib_init(void *arg)
{
	struct sib *s = arg;
	int i;

	if (mount("proc", s->mnt, "proc", 0, NULL))
		return 83;
	/* A and B each make their child namespace (A1, B1). */
	for (i = 0; i < NSIB; i++) {
		if (sibs[i].parent >= 0 && &sibs[sibs[i].parent] == s) {
			sibs[i].k.pid = gt_spawn(sib_init, &sibs[i], CLONE_NEWPID);
			if (!kid_wait_ready(&sibs[i].k))
				return 84;
		}
	}
	kid_ready_wait(&s->k);
	return 0;
}

/* The host's PID of the init of sib @i (A1 and B1 are grandchildren). */
static pid_t host_pid_of(int i, pid_t *hp)
{
	return hp[i];
}

/* NSpid field @level of host task @pid, or -1. */
static long nspid_at(pid_t pid, int level)
{
	char v[128], *p = v;
	int i;

	if (!status_field(pid, 0, "NSpid", v, sizeof(v)))
		return -1;
	for (i = 0; i < level; i++) {
		p = strpbrk(p, " \t");
		if (!p)
			return -1;
		p++;
	}
	return strtol(p, NULL, 10);
}

static bool sib_visible(int x, int view)
{
	while (x >= 0 && x != view)
		x = sibs[x].parent;
	return x == view;
}

/* Every check of one view (the procfs of sib @view, or the host's: -1). */
static void sib_check_view(int view, pid_t *hp, uint64_t host)
{
	const char *proc = view < 0 ? "/proc" : sibs[view].mnt;
	const char *vname = view < 0 ? "host" : sibs[view].name;
	int vlevel = view < 0 ? 0 : sibs[view].level;
	char path[512], want[256], got[256], req[64], ans[256];
	int i, fd, bad_open = 0, bad_lookup = 0, bad_init = 0;

	/* namespaces: exactly the view and its descendants, host excluded. */
	want[0] = '\0';
	if (view < 0)
		snprintf(want, sizeof(want), "%" PRIu64 ",", host);
	snprintf(path, sizeof(path), "%s/nsmon/namespaces", proc);
	if (slurp(path, big_a, sizeof(big_a)) < 0) {
		check(false, "siblings: read %s", path);
		return;
	}
	first_column(big_a, got, sizeof(got));
	/* Our four, in inum order, where the view sees them. */
	{
		uint64_t in[NSIB];
		int n = 0, j;

		for (i = 0; i < NSIB; i++)
			if (view < 0 || sib_visible(i, view))
				in[n++] = sibs[i].inum;
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (in[j] < in[i]) {
					uint64_t t = in[i];

					in[i] = in[j];
					in[j] = t;
				}
		for (i = 0; i < n; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want),
				 "%" PRIu64 ",", in[i]);
	}
	if (view < 0) {
		/* The host sees every namespace: keep only ours and the host. */
		char filt[256] = "", *tok, *save;

		for (tok = strtok_r(got, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			uint64_t x = strtoull(tok, NULL, 10);

			for (i = 0; i < NSIB; i++)
				if (x == sibs[i].inum || x == host) {
					snprintf(filt + strlen(filt), sizeof(filt) - strlen(filt),
						 "%s,", tok);
					break;
				}
		}
		strcpy(got, filt);
	}
	check(!strcmp(want, got),
	      "siblings: through %s's procfs, namespaces lists exactly %s (got %s)",
	      vname, want, got);

	/* Per-namespace files: open only where visible; init_pid, parent. */
	for (i = -1; i < NSIB; i++) {
		uint64_t inum = i < 0 ? host : sibs[i].inum, v[GT_NKEYS];
		bool vis = view < 0 || (i >= 0 && sib_visible(i, view));
		int err = nsmon_read_at(proc, inum, v);

		if (vis != (err == 0) || (!vis && err != -ENOENT)) {
			diag("siblings: %s view: file of %s opens: %d", vname,
			     i < 0 ? "host" : sibs[i].name, err);
			bad_open++;
			continue;
		}
		if (!vis || i < 0)
			continue;
		if ((long)v[K_INIT_PID] != nspid_at(host_pid_of(i, hp), vlevel) ||
		    v[K_PARENT] != (i == view || sibs[i].parent < 0 ? (view < 0 ? host : 0) :
				    sibs[sibs[i].parent].inum)) {
			diag("siblings: %s view: %s has init_pid %" PRIu64 " parent %" PRIu64
			     ", want %ld", vname, sibs[i].name, v[K_INIT_PID],
			     v[K_PARENT], nspid_at(host_pid_of(i, hp), vlevel));
			bad_init++;
		}
	}
	check(bad_open == 0, "siblings: through %s's procfs, only visible namespaces' files open (others ENOENT)",
	      vname);
	check(bad_init == 0, "siblings: through %s's procfs, init_pid and parent in that view",
	      vname);

	/* lookup of every init: answered in the view, or ENOENT. */
	snprintf(path, sizeof(path), "%s/nsmon/lookup", proc);
	for (i = 0; i < NSIB; i++) {
		bool vis = view < 0 || sib_visible(i, view);
		ssize_t n;

		fd = open(path, O_RDWR);
		if (fd < 0) {
			bad_lookup++;
			continue;
		}
		snprintf(req, sizeof(req), "%" PRIu64 " 1", sibs[i].inum);
		n = write(fd, req, strlen(req));
		if (n < 0) {
			if (vis || errno != ENOENT) {
				diag("siblings: %s view: lookup %s: %s", vname, req,
				     strerror(errno));
				bad_lookup++;
			}
		} else {
			n = read(fd, ans, sizeof(ans) - 1);
			ans[n > 0 ? n : 0] = '\0';
			snprintf(want, sizeof(want), "%s %ld %ld ", req,
				 nspid_at(host_pid_of(i, hp), vlevel),
				 nspid_at(host_pid_of(i, hp), vlevel));
			if (!vis || strncmp(ans, want, strlen(want))) {
				diag("siblings: %s view: lookup %s: %s (want %s)",
				     vname, req, ans, vis ? want : "ENOENT");
				bad_lookup++;
			}
		}
		close(fd);
	}
	check(bad_lookup == 0, "siblings: through %s's procfs, lookup answers in that view, ENOENT outside it",
	      vname);

	/* pids: exactly the tasks that procfs itself lists, its numbers. */
	if (view >= 0) {
		char tids[1024] = "", rows[1024] = "";
		struct dirent *d, *t;
		DIR *dir = opendir(proc), *td;
		int a[256], na = 0, j;

		while (dir && (d = readdir(dir))) {
			if (atoi(d->d_name) <= 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s/task", proc, d->d_name);
			td = opendir(path);
			while (td && (t = readdir(td)))
				if (atoi(t->d_name) > 0 && na < 256)
					a[na++] = atoi(t->d_name);
			if (td)
				closedir(td);
		}
		if (dir)
			closedir(dir);
		for (i = 0; i < na; i++)
			for (j = i + 1; j < na; j++)
				if (a[j] < a[i]) {
					int x = a[i];

					a[i] = a[j];
					a[j] = x;
				}
		for (i = 0; i < na; i++)
			snprintf(tids + strlen(tids), sizeof(tids) - strlen(tids), "%d,", a[i]);
		snprintf(path, sizeof(path), "%s/nsmon/pids", proc);
		if (slurp(path, big_a, sizeof(big_a)) >= 0)
			first_column(big_a, rows, sizeof(rows));
		check(na > 0 && !strcmp(tids, rows),
		      "siblings: through %s's procfs, pids lists the tasks that procfs lists (%s), got %s",
		      vname, tids, rows);
	}
}

/* A reader inside A1 reading the host's procfs: the host's view. */
static int sib_inner_reader(void *arg)
{
	pid_t *hp = arg;

	sib_check_view(-1, hp, ns_of(hp[4], 0));
	return gt_failures ? 1 : 0;
}

static void test_siblings(void)
{
	static const char *const names[NSIB] = { "A", "B", "A1", "B1" };
	static const int parents[NSIB] = { -1, -1, 0, 1 };
	pid_t hp[NSIB + 1];
	uint64_t host = ns_of(getpid(), 0);
	int i, status;

	sibs = gt_shared(sizeof(*sibs) * NSIB);
	mkdir(SIB_DIR, 0755);
	for (i = 0; i < NSIB; i++) {
		sibs[i].name = names[i];
		sibs[i].parent = parents[i];
		sibs[i].level = parents[i] < 0 ? 1 : 2;
		snprintf(sibs[i].mnt, sizeof(sibs[i].mnt), SIB_DIR "/%s", names[i]);
		mkdir(sibs[i].mnt, 0755);
		kid_init(&sibs[i].k);
	}
	for (i = 0; i < NSIB; i++) {
		if (parents[i] >= 0)
			continue;
		sibs[i].k.pid = gt_spawn(sib_init, &sibs[i], CLONE_NEWPID);
		if (!kid_wait_ready(&sibs[i].k)) {
			check(false, "siblings: namespace %s set up", names[i]);
			return;
		}
	}
	/* Host PIDs of every init (A1, B1: the only child of A, B). */
	for (i = 0; i < NSIB; i++) {
		if (parents[i] < 0) {
			hp[i] = sibs[i].k.pid;
		} else {
			char v[64];
			pid_t par = hp[parents[i]];
			struct dirent *d;
			DIR *dir = opendir("/proc");

			hp[i] = 0;
			while (dir && (d = readdir(dir))) {
				pid_t p = atoi(d->d_name);

				if (p > 0 && status_field(p, 0, "PPid", v, sizeof(v)) &&
				    atoi(v) == par)
					hp[i] = p;
			}
			if (dir)
				closedir(dir);
		}
		sibs[i].inum = ns_of(hp[i], 0);
		wait_nsmon_file(sibs[i].inum, true, 2000);
	}
	hp[NSIB] = getpid();
	diag("siblings: host %" PRIu64 ", A %" PRIu64 ", B %" PRIu64 ", A1 %" PRIu64
	     ", B1 %" PRIu64, host, sibs[0].inum, sibs[1].inum, sibs[2].inum,
	     sibs[3].inum);

	/* Readers here, in the host namespace, through each procfs. */
	for (i = -1; i < NSIB; i++)
		sib_check_view(i, hp, host);

	/* A reader in A1 through the host's procfs sees the host's view. */
	{
		pid_t r = fork();

		if (r == 0) {
			/* Move into A1's PID namespace for our children. */
			char path[64];
			int nsfd;

			snprintf(path, sizeof(path), "/proc/%d/ns/pid", hp[2]);
			nsfd = open(path, O_RDONLY);
			if (nsfd < 0 || setns(nsfd, CLONE_NEWPID))
				_exit(85);
			r = gt_spawn(sib_inner_reader, hp, 0);
			waitpid(r, &status, 0);
			_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 86);
		}
		waitpid(r, &status, 0);
		check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "siblings: a reader inside A1 through the host's procfs sees the host's view (exit %d)",
		      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}

	for (i = 0; i < NSIB; i++)
		if (parents[i] < 0)
			kid_finish(&sibs[i].k);
	for (i = 0; i < NSIB; i++) {
		umount2(sibs[i].mnt, MNT_DETACH);
		rmdir(sibs[i].mnt);
	}
	rmdir(SIB_DIR);
}

/* ---- hidepid: a task whose effective uid is not its real uid ---- */

static void test_euid(uid_t uid, uid_t euid)
{
	const char *mnt = "/tmp/nsmon-x-hidepid";
	char path[128], req[64];
	int p[2], status, i;
	pid_t target;
	char b;

	if (pipe(p))
		gt_die("pipe");
	target = fork();
	if (target == 0) {
		close(p[0]);
		if (setresgid(uid, uid, uid) || setresuid(uid, euid, uid))
			_exit(87);
		/* Changing euid made it non-dumpable: undo that. */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
		if (write(p[1], "r", 1) != 1)
			_exit(88);
		for (;;)
			pause();
	}
	close(p[1]);
	if (read(p[0], &b, 1) != 1) {
		check(false, "euid: target with uid %d euid %d", uid, euid);
		return;
	}
	mkdir(mnt, 0755);
	if (mount("proc", mnt, "proc", 0, "hidepid=invisible")) {
		check(false, "euid: mount proc hidepid=invisible");
		kill(target, SIGKILL);
		return;
	}
	snprintf(req, sizeof(req), "%" PRIu64 " %d", ns_of(target, 0), target);
	/* Readers: its real uid, its effective uid, root. */
	for (i = 0; i < 3; i++) {
		uid_t r = i == 0 ? uid : i == 1 ? euid : 0;
		pid_t c = fork();

		if (c == 0) {
			char key[32], ans[256];
			struct stat st;
			bool proc_sees, pids_sees, lookup_sees;
			int fd;
			ssize_t n;

			if (setresgid(r, r, r) || setresuid(r, r, r))
				_exit(89);
			snprintf(path, sizeof(path), "%s/%d/status", mnt, target);
			proc_sees = stat(path, &st) == 0 && access(path, R_OK) == 0;
			snprintf(path, sizeof(path), "%s/nsmon/pids", mnt);
			big_a[0] = '\n';
			if (slurp(path, big_a + 1, sizeof(big_a) - 1) < 0)
				_exit(90);
			snprintf(key, sizeof(key), "\n%d %d ", target, target);
			pids_sees = strstr(big_a, key) != NULL;
			snprintf(path, sizeof(path), "%s/nsmon/lookup", mnt);
			fd = open(path, O_RDWR);
			n = fd >= 0 ? write(fd, req, strlen(req)) : -1;
			lookup_sees = n > 0 && lseek(fd, 0, SEEK_SET) == 0 &&
				      read(fd, ans, sizeof(ans)) > 0;
			check(proc_sees == (r == 0),
			      "euid: procfs shows the uid %d/euid %d task to uid %d: %s (ground truth)",
			      uid, euid, r, proc_sees ? "yes" : "no");
			check(pids_sees == proc_sees && lookup_sees == proc_sees,
			      "euid: to uid %d, pids %s and lookup %s it, as procfs does",
			      r, pids_sees ? "shows" : "hides",
			      lookup_sees ? "answers" : "refuses");
			_exit(gt_failures ? 1 : 0);
		}
		waitpid(c, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
			check(false, "euid: reader uid %d ran (status %d)", r, status);
		else if (WEXITSTATUS(status))
			gt_failures++;
	}
	umount(mnt);
	rmdir(mnt);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
}

/* ---- namespaces born and dying one after the other ---- */

/*
 * A namespace made right after another one died may get its struct
 * pid_namespace at the same address, and its entry's counters at the same
 * per-CPU address: what the probes remembered of the dead one must not
 * leak into it.  Each new one must get its file and start from its own
 * tasks' numbers.
 */
static void test_churn(int n)
{
	int i, bad = 0, nofile = 0, stays = 0;

	for (i = 0; i < n; i++) {
		uint64_t v[GT_NKEYS], inum, vol, invol;
		struct kid k;

		kid_init(&k);
		k.pid = gt_spawn(idle_kid, &k, CLONE_NEWPID);
		if (!kid_wait_ready(&k)) {
			bad++;
			kid_finish(&k);
			continue;
		}
		inum = ns_of(k.pid, 0);
		msleep(5);	/* blocked in pause() */
		if (!wait_nsmon_file(inum, true, 2000) || nsmon_read(inum, v)) {
			diag("churn: namespace %d (%" PRIu64 ") has no file", i, inum);
			nofile++;
		} else {
			vol = sum_status(k.pid, "voluntary_ctxt_switches", NULL);
			invol = sum_status(k.pid, "nonvoluntary_ctxt_switches", NULL);
			if (v[K_FORKS] != 1 || v[K_THREADS] || v[K_EXECS] ||
			    v[K_EXITS] || v[K_TASKS] != 1 || v[K_PROCS] != 1 ||
			    v[K_VOL] != vol || v[K_INVOL] != invol) {
				diag("churn: namespace %d (%" PRIu64 "): forks %" PRIu64
				     " threads %" PRIu64 " execs %" PRIu64 " exits %" PRIu64
				     " tasks %" PRIu64 " processes %" PRIu64 " switches %"
				     PRIu64 "+%" PRIu64 " (kernel %" PRIu64 "+%" PRIu64 ")",
				     i, inum, v[K_FORKS], v[K_THREADS], v[K_EXECS],
				     v[K_EXITS], v[K_TASKS], v[K_PROCS], v[K_VOL],
				     v[K_INVOL], vol, invol);
				bad++;
			}
		}
		kid_finish(&k);
		if (!wait_nsmon_file(inum, false, 2000))
			stays++;
	}
	check(nofile == 0, "churn: each of %d namespaces made one after another's death gets its file (%d did not)",
	      n, nofile);
	check(bad == 0, "churn: each starts from its own task's numbers: 1 fork, 1 task, its switches (%d did not)",
	      bad);
	check(stays == 0, "churn: each one's file goes within 2 s of its death (%d stayed)",
	      stays);
}

/* ---- the census while thread groups die ---- */

/*
 * Each round: nsmon is not loaded; in a namespace, GD_WORKERS workers
 * each make, again and again, a process of GD_THREADS threads that map
 * and unmap memory (so that dying threads queue on the mmap lock between
 * the group's death, signal->live at zero, and their sched_process_exit)
 * and kill it with exit_group(); nsmon is loaded meanwhile; then the
 * storm stops and, once nothing moves, tasks and processes must equal
 * what /proc shows.  Every round compares its own census: a group whose
 * death a thread already told before the census must not be counted.
 */
#define GD_WORKERS	3
#define GD_THREADS	12

struct gd {
	volatile int run;	/* workers make groups while set */
	volatile int idle;	/* workers that saw run clear */
	volatile int quit;
};

static struct gd *gd;

static void *gd_thread(void *arg)
{
	for (;;) {
		void *m = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m != MAP_FAILED) {
			((volatile char *)m)[0] = 1;
			munmap(m, 1 << 16);
		}
	}
	return arg;
}

static void gd_worker(void)
{
	bool was_idle = false;

	while (!gd->quit) {
		pid_t p;

		if (!gd->run) {
			if (!was_idle)
				__atomic_add_fetch(&gd->idle, 1, __ATOMIC_SEQ_CST);
			was_idle = true;
			msleep(2);
			continue;
		}
		if (was_idle)
			__atomic_sub_fetch(&gd->idle, 1, __ATOMIC_SEQ_CST);
		was_idle = false;
		p = fork();
		if (p == 0) {
			pthread_t th;

			for (int i = 0; i < GD_THREADS; i++)
				pthread_create(&th, NULL, gd_thread, NULL);
			msleep(1);
			_exit(0);	/* exit_group(): every thread dies */
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	_exit(0);
}

static int gd_init(void *arg)
{
	for (int i = 0; i < GD_WORKERS; i++)
		if (fork() == 0)
			gd_worker();
	kid_ready_wait(arg);
	return 0;
}

/*
 * The preemption model of a PREEMPT_DYNAMIC kernel (Debian's): "full"
 * lets the census's stop_machine() catch a task anywhere it is
 * preemptible, not only where it would sleep or call cond_resched(), so
 * that the narrow windows the census must get right (a task created but
 * before its fork event, a thread of a dead group before its exit event)
 * do come up.  Returns the model to restore, or "" if it cannot be set.
 */
#define PREEMPT_CTL "/sys/kernel/debug/sched/preempt"

static void set_preempt(const char *mode, char *old, size_t size)
{
	char buf[128], *a, *b;
	int fd;

	if (old) {
		old[0] = '\0';
		if (slurp(PREEMPT_CTL, buf, sizeof(buf)) < 0)
			return;
		a = strchr(buf, '(');
		b = a ? strchr(a, ')') : NULL;
		if (!b)
			return;
		snprintf(old, size, "%.*s", (int)(b - a - 1), a + 1);
	}
	fd = open(PREEMPT_CTL, O_WRONLY);
	if (fd < 0 || write(fd, mode, strlen(mode)) < 0) {
		if (old)
			old[0] = '\0';
	}
	if (fd >= 0)
		close(fd);
}

static void test_groupdeath(const char *ko, int rounds, const char *preempt)
{
	char old_preempt[32] = "";
	int r, bad = 0, loadbad = 0, quietbad = 0;
	uint64_t inum;
	struct kid k;

	gd = gt_shared(sizeof(*gd));
	if (gt_loaded() && gt_rmmod())
		gt_die("rmmod nsmon");
	kid_init(&k);
	k.pid = gt_spawn(gd_init, &k, CLONE_NEWPID);
	if (!kid_wait_ready(&k)) {
		check(false, "groupdeath: storm namespace set up");
		kid_finish(&k);
		return;
	}
	inum = ns_of(k.pid, 0);
	if (preempt) {
		set_preempt(preempt, old_preempt, sizeof(old_preempt));
		check(old_preempt[0], "groupdeath: preemption model %s for the test (was %s)",
		      preempt, old_preempt);
	}
	for (r = 0; r < rounds; r++) {
		uint64_t v[GT_NKEYS];
		int tasks, procs, i;

		gd->run = 1;
		msleep(20 + r % 7 * 10);
		if (gt_insmod(ko)) {
			loadbad++;
			gd->run = 0;
			continue;
		}
		gd->run = 0;
		for (i = 0; i < 3000 && gd->idle != GD_WORKERS; i++)
			msleep(2);
		if (gd->idle != GD_WORKERS)
			quietbad++;
		msleep(50);
		wait_nsmon_file(inum, true, 2000);
		truth_of(inum, &tasks, &procs);
		if (nsmon_read(inum, v) || v[K_TASKS] != (uint64_t)tasks ||
		    v[K_PROCS] != (uint64_t)procs) {
			diag("groupdeath: round %d: nsmon %" PRIu64 " tasks %" PRIu64
			     " processes, /proc %d %d", r, v[K_TASKS], v[K_PROCS],
			     tasks, procs);
			bad++;
		}
		if (gt_rmmod())
			loadbad++;
	}
	check(loadbad == 0 && quietbad == 0,
	      "groupdeath: %d rounds of insmod while %d-thread groups die, rmmod after (%d load errors, %d storms that did not stop)",
	      rounds, GD_THREADS + 1, loadbad, quietbad);
	check(bad == 0,
	      "groupdeath: after each census, tasks and processes == live tasks and processes in /proc (%d of %d rounds differ)",
	      bad, rounds);
	if (old_preempt[0])
		set_preempt(old_preempt, NULL, 0);
	gd->quit = 1;
	kid_finish(&k);
}

/* ---- the census of switches: tasks that predate insmod ---- */

static int census_kid(void *arg)
{
	struct kid *k = arg;
	volatile unsigned long spin;
	int i, j;

	/* Three CPU hogs on two CPUs get preempted; sleeps are voluntary. */
	for (i = 0; i < 3; i++) {
		if (fork() == 0) {
			for (j = 0; j < 5; j++) {
				for (spin = 0; spin < 20000000UL; spin++)
					;
				msleep(5);
			}
			kid_ready_wait(k);
		}
	}
	kid_ready_wait(k);
	return 0;
}

static void test_census_switches(const char *ko)
{
	uint64_t v[GT_NKEYS], inum, vol = 0, invol = 0;
	struct dirent *d;
	struct kid k;
	DIR *dir;
	int err;

	if (gt_loaded() && gt_rmmod())
		gt_die("rmmod nsmon");
	kid_init(&k);
	k.pid = gt_spawn(census_kid, &k, CLONE_NEWPID);
	/* Four ready bytes: the init and its three hogs, all blocked. */
	check(kid_wait_ready_n(&k, 4),
	      "census-switches: a namespace of 4 tasks that worked and slept");
	msleep(100);
	inum = ns_of(k.pid, 0);
	err = gt_insmod(ko);
	check(err == 0, "census-switches: insmod with the namespace blocked (%d)", err);
	dir = opendir("/proc");
	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p <= 0 || ns_of(p, 0) != inum)
			continue;
		vol += sum_status(p, "voluntary_ctxt_switches", NULL);
		invol += sum_status(p, "nonvoluntary_ctxt_switches", NULL);
	}
	if (dir)
		closedir(dir);
	wait_nsmon_file(inum, true, 2000);
	err = nsmon_read(inum, v);
	diag("census-switches: kernel %" PRIu64 "+%" PRIu64 ", nsmon %" PRIu64 "+%" PRIu64,
	     vol, invol, v[K_VOL], v[K_INVOL]);
	check(vol != invol, "census-switches: voluntary and involuntary differ (%" PRIu64
	      " %" PRIu64 "), so a mix-up shows", vol, invol);
	check(!err && v[K_VOL] == vol && v[K_INVOL] == invol,
	      "census-switches: the census took voluntary %" PRIu64 " and involuntary %" PRIu64
	      " == the tasks' ctxt_switches", v[K_VOL], v[K_INVOL]);
	kid_finish(&k);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(what, "iouring"))
		test_iouring();
	else if (!strcmp(what, "manyns") && argc == 3)
		test_manyns(atoi(argv[2]));
	else if (!strcmp(what, "resume") && argc == 3)
		test_resume(atoi(argv[2]));
	else if (!strcmp(what, "comm"))
		test_comm();
	else if (!strcmp(what, "siblings"))
		test_siblings();
	else if (!strcmp(what, "euid") && argc == 4)
		test_euid(atoi(argv[2]), atoi(argv[3]));
	else if (!strcmp(what, "churn") && argc == 3)
		test_churn(atoi(argv[2]));
	else if (!strcmp(what, "groupdeath") && (argc == 4 || argc == 5))
		test_groupdeath(argv[2], atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	else if (!strcmp(what, "census-switches") && argc == 3)
		test_census_switches(argv[2]);
	else {
		fprintf(stderr, "usage: nsmon-x iouring|manyns N|resume N|comm|siblings|euid UID EUID|churn N|groupdeath KO ROUNDS [PREEMPT]|census-switches KO\n");
		return 2;
	}
	return gt_failures ? 1 : 0;
}
