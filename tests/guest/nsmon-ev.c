// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-ev: guest tests of /proc/nsmon/events against the kernel's own
 * record of the same events (tracefs's sched_process_fork/exec/exit, the
 * exit statuses waitpid() returns, getpid() in the namespace).
 *
 *   nsmon-ev ground      every event of a workload = tracefs's, fields too
 *   nsmon-ev nested      filters on nested namespaces and on kinds
 *   nsmon-ev overflow    a small buffer: "lost N" + what is left = all
 *   nsmon-ev readers     several readers see the same events
 *   nsmon-ev container   a reader in a container: its subtree, its PIDs
 *   nsmon-ev filters     hostile filters: EINVAL/ENOENT, nothing changes
 *   nsmon-ev cap         events_max_readers, then EBUSY
 *   nsmon-ev nonblock    O_NONBLOCK, poll() with and without events
 *   nsmon-ev block MODE  block in read, poll or epoll until unload
 */
#include "gt.h"
#include <grp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/mount.h>

#define EVF "/proc/nsmon/events"
#define PARAMS "/sys/module/nsmon/parameters/"
#define MAXEV 20000

struct ev {
	unsigned long long ts;
	char kind[16];
	int pid, tgid, ns_pid, ns_tgid, arg, n, lost;
	unsigned int inum;
	int nspid[40];
	char comm[80];
};

static struct ev evs[MAXEV];

/* One line of the file into @e; false if it is malformed. */
static bool parse_line(const char *l, struct ev *e)
{
	char chain[512], *s, *tok;
	int off = 0;

	memset(e, 0, sizeof(*e));
	if (sscanf(l, "lost %d", &e->lost) == 1 && e->lost > 0) {
		strcpy(e->kind, "lost");
		return true;
	}
	if (sscanf(l, "%llu %15s %d %d %u %d %d %511s %d %n", &e->ts, e->kind,
		   &e->pid, &e->tgid, &e->inum, &e->ns_pid, &e->ns_tgid,
		   chain, &e->arg, &off) != 9 || !off)
		return false;
	snprintf(e->comm, sizeof(e->comm), "%s", l + off);
	for (s = chain; (tok = strsep(&s, ",")) && e->n < 40;)
		e->nspid[e->n++] = atoi(tok);
	return e->n > 0 && e->nspid[0] == e->pid &&
	       e->nspid[e->n - 1] == e->ns_pid;
}

/* Every line readable now from @fd (non-blocking); -1 on a bad line. */
static int drain(int fd, struct ev *out, int max)
{
	static char buf[1 << 20];
	size_t len = 0;
	ssize_t n;
	char *l, *nl;
	int k = 0;

	for (;;) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			break;
		len += n;
		if (len >= sizeof(buf) - 1)
			break;
	}
	buf[len] = '\0';
	for (l = buf; (nl = strchr(l, '\n')); l = nl + 1) {
		*nl = '\0';
		if (k >= max)
			break;
		if (!parse_line(l, &out[k])) {
			printf("# bad line: '%s'\n", l);
			return -1;
		}
		k++;
	}
	if (*l) {
		printf("# line without its newline: '%s'\n", l);
		return -1;
	}
	return k;
}

static int open_ev(const char *proc, int flags)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/nsmon/events", proc);
	return open(path, flags);
}

/*
 * Write filter @f.  On a non-blocking file, what the old filter let in
 * before the write (any task's events, since the file was opened) is read
 * and thrown away: the tests count the events after it.
 */
static int set_filter(int fd, const char *f)
{
	char b[4096];

	if (write(fd, f, strlen(f)) != (ssize_t)strlen(f))
		return -errno;
	if (fcntl(fd, F_GETFL) & O_NONBLOCK)
		while (read(fd, b, sizeof(b)) > 0)
			;
	return 0;
}

static int set_param(const char *name, const char *val)
{
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	rc = write(fd, val, strlen(val)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static unsigned int self_inum(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) ? 0 : st.st_ino;
}

/*
 * The workload: the init of a new PID namespace waits for @go to be
 * closed, then makes nforks children (every other one exec()s /bin/true,
 * the others exit with i % 7) and nthreads threads, and reaps them.  It
 * records the exit status of each child by its PID there.
 */
struct work {
	int go[2];
	int nforks, nthreads, nested;
	unsigned int inum, inner_inum;
	int status[4096];	/* by PID in the namespace */
	pid_t host_init;
};

static struct work *W;

static void *thread_fn(void *a)
{
	return a;
}

static int do_work(int nforks, int nthreads)
{
	pthread_t th[64];
	pid_t p;
	int i, st;

	for (i = 0; i < nforks; i++) {
		p = fork();
		if (p == 0) {
			if (i % 2)
				execl("/bin/true", "true", (char *)NULL);
			_exit(i % 7);
		}
		if (p > 0 && waitpid(p, &st, 0) == p && p < 4096)
			W->status[p] = st;
	}
	for (i = 0; i < nthreads && i < 64; i++)
		pthread_create(&th[i], NULL, thread_fn, NULL);
	for (i = 0; i < nthreads && i < 64; i++)
		pthread_join(th[i], NULL);
	return 0;
}

static int inner_init(void *arg)
{
	(void)arg;
	W->inner_inum = self_inum();
	close(W->go[1]);
	block_on(W->go[0]);
	return do_work(5, 0);
}

static int outer_init(void *arg)
{
	pid_t b = 0;
	int st;

	(void)arg;
	W->inum = self_inum();
	if (W->nested)
		b = gt_spawn(inner_init, NULL, CLONE_NEWPID);
	close(W->go[1]);
	block_on(W->go[0]);
	do_work(W->nforks, W->nthreads);
	if (b > 0)
		waitpid(b, &st, 0);
	return 0;
}

/* Start the workload's init, return once its namespaces exist. */
static pid_t start_work(int nforks, int nthreads, int nested)
{
	if (!W)
		W = gt_shared(sizeof(*W));
	memset(W, 0, sizeof(*W));
	W->nforks = nforks;
	W->nthreads = nthreads;
	W->nested = nested;
	if (pipe(W->go))
		gt_die("pipe");
	W->host_init = gt_spawn(outer_init, NULL, CLONE_NEWPID);
	while (!W->inum || (nested && !W->inner_inum))
		msleep(5);
	return W->host_init;
}

static void finish_work(pid_t init)
{
	int st;

	close(W->go[1]);
	close(W->go[0]);
	waitpid(init, &st, 0);
	msleep(50);
}

static int count(struct ev *e, int n, const char *kind, unsigned int inum)
{
	int i, c = 0;

	for (i = 0; i < n; i++)
		if ((!kind || !strcmp(e[i].kind, kind)) &&
		    (!inum || e[i].inum == inum))
			c++;
	return c;
}

/* ---- ground: against tracefs ---- */

static const char *tracefs(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing",
					    "/sys/kernel/debug/tracing" };
	char p[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/trace", dirs[i]);
		if (!access(p, F_OK))
			return dirs[i];
	}
	mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	return access("/sys/kernel/tracing/trace", F_OK) ? NULL :
	       "/sys/kernel/tracing";
}

static int tfs_write(const char *t, const char *file, const char *v)
{
	char p[256];
	int fd, rc;

	snprintf(p, sizeof(p), "%s/%s", t, file);
	fd = open(p, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	rc = write(fd, v, strlen(v)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAXT 4096
static char *mine[MAXT], *theirs[MAXT];

static int field(const char *l, const char *key)
{
	const char *p = strstr(l, key);

	return p ? atoi(p + strlen(key)) : -1;
}

static int cmd_ground(void)
{
	static char tbuf[4 << 20];
	int set[MAXT], nset = 0, nm = 0, nt = 0, n, i, j, fd, bad = 0;
	const char *t = tracefs();
	char *l, *nl, s[128];
	bool in;
	pid_t init;

	if (!t) {
		check(false, "ground: tracefs is there");
		return 1;
	}
	tfs_write(t, "tracing_on", "0");
	tfs_write(t, "trace", "");
	tfs_write(t, "buffer_size_kb", "4096");
	if (tfs_write(t, "events/sched/sched_process_fork/enable", "1") ||
	    tfs_write(t, "events/sched/sched_process_exec/enable", "1") ||
	    tfs_write(t, "events/sched/sched_process_exit/enable", "1")) {
		check(false, "ground: enable the tracefs events");
		return 1;
	}
	fd = open_ev("/proc", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		gt_die("open events");
	tfs_write(t, "tracing_on", "1");
	init = start_work(40, 6, 0);
	finish_work(init);
	tfs_write(t, "tracing_on", "0");
	n = drain(fd, evs, MAXEV);
	close(fd);
	snprintf(s, sizeof(s), "%s/trace", t);
	if (slurp(s, tbuf, sizeof(tbuf)) < 0)
		gt_die("read trace");
	for (i = 0; i < 3; i++) {
		static const char *const ev[] = { "fork", "exec", "exit" };

		snprintf(s, sizeof(s), "events/sched/sched_process_%s/enable",
			 ev[i]);
		tfs_write(t, s, "0");
	}
	check(n > 0, "ground: the events file gave %d well-formed lines", n);
	if (n <= 0)
		return 1;

	/* The workload's tasks in tracefs: its init and all it created. */
	set[nset++] = init;
	for (l = tbuf; (nl = strchr(l, '\n')); l = nl + 1) {
		int a, b;

		*nl = '\0';
		if (*l == '#')
			continue;
		if (strstr(l, "sched_process_fork:")) {
			a = field(l, " pid=");
			b = field(l, "child_pid=");
			for (in = b == init, j = 0; j < nset && !in; j++)
				in = set[j] == a;
			if (!in || nt >= MAXT)
				continue;
			if (b != init && nset < MAXT)
				set[nset++] = b;
			snprintf(s, sizeof(s), "fork %d %d", b, a);
		} else if (strstr(l, "sched_process_exec:") ||
			   strstr(l, "sched_process_exit:")) {
			a = field(l, " pid=");
			for (in = false, j = 0; j < nset && !in; j++)
				in = set[j] == a;
			if (!in || nt >= MAXT)
				continue;
			if (strstr(l, "sched_process_exec:"))
				snprintf(s, sizeof(s), "exec %d %d", a,
					 field(l, "old_pid="));
			else
				snprintf(s, sizeof(s), "exit %d", a);
		} else {
			continue;
		}
		theirs[nt++] = strdup(s);
	}
	for (i = 0; i < n && nm < MAXT; i++) {
		struct ev *e = &evs[i];

		if (e->inum != W->inum)
			continue;
		if (!strcmp(e->kind, "fork") || !strcmp(e->kind, "thread"))
			snprintf(s, sizeof(s), "fork %d %d", e->pid, e->arg);
		else if (!strcmp(e->kind, "exec"))
			snprintf(s, sizeof(s), "exec %d %d", e->pid, e->arg);
		else
			snprintf(s, sizeof(s), "%s %d", e->kind, e->pid);
		mine[nm++] = strdup(s);
		/* Fields against the kernel's own numbers. */
		if (e->n != 2 || e->ns_pid <= 0 || e->ns_pid >= 4096)
			bad++;
		else if (!strcmp(e->kind, "exec") && strcmp(e->comm, "true"))
			bad++;
		else if (!strcmp(e->kind, "exit") && e->ns_pid > 1 &&
			 e->pid == e->tgid && e->arg != W->status[e->ns_pid])
			bad++;
		if (bad == 1) {
			diag("first wrong event: %s %d ns_pid %d n %d arg %d comm %s (status %d)",
			     e->kind, e->pid, e->ns_pid, e->n, e->arg, e->comm,
			     W->status[e->ns_pid & 4095]);
			bad++;
		}
	}
	qsort(mine, nm, sizeof(*mine), cmp_str);
	qsort(theirs, nt, sizeof(*theirs), cmp_str);
	for (i = 0; i < nm && i < nt && !strcmp(mine[i], theirs[i]); i++)
		;
	if (i < nm || i < nt)
		diag("first difference at %d: mine '%s', tracefs '%s'", i,
		     i < nm ? mine[i] : "-", i < nt ? theirs[i] : "-");
	check(nm == nt && i == nm,
	      "ground: the workload's %d events (fork, thread, exec, exit with pids, parent and old pid) equal tracefs's %d",
	      nm, nt);
	check(count(evs, n, "fork", W->inum) == 41 &&
	      count(evs, n, "thread", W->inum) == 6 &&
	      count(evs, n, "exec", W->inum) == 20 &&
	      count(evs, n, "exit", W->inum) == 47,
	      "ground: 41 fork, 6 thread, 20 exec, 47 exit in the namespace (%d %d %d %d)",
	      count(evs, n, "fork", W->inum), count(evs, n, "thread", W->inum),
	      count(evs, n, "exec", W->inum), count(evs, n, "exit", W->inum));
	check(!bad,
	      "ground: two-level NSpid, exec comm 'true', exit codes equal to waitpid()'s statuses");
	return 0;
}

/* ---- nested filters ---- */

static int cmd_nested(void)
{
	int a, b, x, na, nb, nx;
	char f[128];
	pid_t init;
	int i, chain_ok = 1;

	init = start_work(10, 0, 1);
	a = open_ev("/proc", O_RDWR | O_NONBLOCK);
	b = open_ev("/proc", O_RDWR | O_NONBLOCK);
	x = open_ev("/proc", O_RDWR | O_NONBLOCK);
	if (a < 0 || b < 0 || x < 0)
		gt_die("open events");
	snprintf(f, sizeof(f), "ns=%u\n", W->inum);
	check(!set_filter(a, f), "nested: filter %s accepted", "ns=<outer>");
	snprintf(f, sizeof(f), "ns=%u", W->inner_inum);
	check(!set_filter(b, f), "nested: filter %s accepted", "ns=<inner>");
	snprintf(f, sizeof(f), "events=exit ns=%u\n", W->inner_inum);
	check(!set_filter(x, f), "nested: filter %s accepted",
	      "events=exit ns=<inner>");
	finish_work(init);
	na = drain(a, evs, MAXEV);
	for (i = 0; i < na; i++)
		if (evs[i].n != (evs[i].inum == W->inum ? 2 : 3))
			chain_ok = 0;
	check(na == 39 && count(evs, na, "fork", W->inum) == 10 &&
	      count(evs, na, "fork", W->inner_inum) == 5 &&
	      count(evs, na, "exit", W->inum) == 11 &&
	      count(evs, na, "exit", W->inner_inum) == 6 &&
	      count(evs, na, "exec", 0) == 5 + 2,
	      "nested: the outer filter: 10+5 forks, 5+2 execs, 11+6 exits (got %d events: fork %d+%d exit %d+%d exec %d)",
	      na, count(evs, na, "fork", W->inum),
	      count(evs, na, "fork", W->inner_inum),
	      count(evs, na, "exit", W->inum),
	      count(evs, na, "exit", W->inner_inum), count(evs, na, "exec", 0));
	check(chain_ok, "nested: NSpid chains of 2 (outer) and 3 (inner) entries");
	nb = drain(b, evs, MAXEV);
	check(nb == 13 && count(evs, nb, NULL, W->inner_inum) == 13,
	      "nested: the inner filter: only the inner namespace's 5 forks, 2 execs, 6 exits (%d)",
	      nb);
	nx = drain(x, evs, MAXEV);
	check(nx == 6 && count(evs, nx, "exit", W->inner_inum) == 6,
	      "nested: events=exit on the inner one: its 6 exits only (%d)", nx);
	close(a);
	close(b);
	close(x);
	return 0;
}

/* ---- overflow ---- */

static int cmd_overflow(void)
{
	int fd, n, i, lost = 0, lines = 0, first_lost = -1;
	char f[64];
	pid_t init;

	if (set_param("events_buffer_kb", "4"))
		gt_die("set events_buffer_kb");
	init = start_work(200, 0, 0);
	fd = open_ev("/proc", O_RDWR | O_NONBLOCK);
	set_param("events_buffer_kb", "64");
	if (fd < 0)
		gt_die("open events");
	snprintf(f, sizeof(f), "ns=%u events=fork,exit", W->inum);
	if (set_filter(fd, f))
		gt_die("filter");
	finish_work(init);
	n = drain(fd, evs, MAXEV);
	for (i = 0; i < n; i++) {
		if (evs[i].lost) {
			lost += evs[i].lost;
			if (first_lost < 0)
				first_lost = i;
		} else {
			lines++;
		}
	}
	check(first_lost == 0 && lost > 0 && lines > 0,
	      "overflow: one 'lost N' line first (line %d), then events (lost %d, events %d)",
	      first_lost, lost, lines);
	check(lost + lines == 200 + 201,
	      "overflow: lost + events read = the 401 events (200 forks, 201 exits): %d + %d",
	      lost, lines);
	check(n > 0 && !strcmp(evs[n - 1].kind, "exit") &&
	      evs[n - 1].ns_pid == 1,
	      "overflow: the newest event (the init's exit) is kept");
	close(fd);
	return 0;
}

/* ---- several readers ---- */

static struct ev evs2[MAXEV];

static int cmd_readers(void)
{
	int fd[3], n[3], i, k, same = 1;
	char f[64];
	pid_t init;

	init = start_work(20, 2, 0);
	snprintf(f, sizeof(f), "ns=%u", W->inum);
	for (i = 0; i < 3; i++) {
		fd[i] = open_ev("/proc", O_RDWR | O_NONBLOCK);
		if (fd[i] < 0 || set_filter(fd[i], f))
			gt_die("open and filter events");
	}
	finish_work(init);
	n[0] = drain(fd[0], evs, MAXEV);
	for (i = 1; i < 3; i++) {
		n[i] = drain(fd[i], evs2, MAXEV);
		if (n[i] != n[0])
			same = 0;
		for (k = 0; same && k < n[0]; k++)
			if (memcmp(&evs[k], &evs2[k], sizeof(evs[k])))
				same = 0;
	}
	check(same && n[0] == 20 + 2 + 10 + 23,
	      "readers: three readers each read the same 55 events (%d %d %d)",
	      n[0], n[1], n[2]);
	for (i = 0; i < 3; i++)
		close(fd[i]);
	return 0;
}

/* ---- a reader in a container ---- */

struct cres {
	int ready, done, n, forks, exits, others, bad;
	pid_t kids[8];
	int enoent;
};

static struct cres *C;

static int container_init(void *arg)
{
	int fd, i, n, st;
	pid_t p;
	char f[64];

	(void)arg;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    (mkdir("/tmp/cproc", 0755) < 0 && errno != EEXIST) ||
	    mount("proc", "/tmp/cproc", "proc", 0, NULL))
		return 2;
	fd = open_ev("/tmp/cproc", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return 3;
	snprintf(f, sizeof(f), "ns=%u", (unsigned int)C->n);
	C->enoent = set_filter(fd, f) == -ENOENT;
	C->ready = 1;
	while (C->ready < 2)
		msleep(5);
	for (i = 0; i < 3; i++) {
		p = fork();
		if (p == 0)
			_exit(0);
		C->kids[i] = p;
		waitpid(p, &st, 0);
	}
	msleep(100);
	n = drain(fd, evs, MAXEV);
	C->n = n;
	for (i = 0; i < n; i++) {
		struct ev *e = &evs[i];
		bool kid = e->pid == C->kids[0] || e->pid == C->kids[1] ||
			   e->pid == C->kids[2];

		if (!kid) {
			C->others++;
			continue;
		}
		if (e->n != 1 || e->ns_pid != e->pid || e->tgid != e->pid)
			C->bad++;
		if (!strcmp(e->kind, "fork")) {
			C->forks++;
			if (e->arg != 1)
				C->bad++;
		} else if (!strcmp(e->kind, "exit")) {
			C->exits++;
		}
	}
	umount("/tmp/cproc");
	return 0;
}

static int cmd_container(void)
{
	pid_t c, p;
	int st;

	C = gt_shared(sizeof(*C));
	C->n = self_inum();	/* the host's: invisible in there */
	c = gt_spawn(container_init, NULL, CLONE_NEWPID | CLONE_NEWNS);
	while (!C->ready)
		msleep(5);
	/* The host's own fork and exit, which the container must not see. */
	C->ready = 2;
	p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, &st, 0);
	waitpid(c, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "container: the container's init ran (status %d)", st);
	check(C->enoent, "container: a filter naming the host's namespace: ENOENT");
	check(C->forks == 3 && C->exits == 3 && !C->bad,
	      "container: its 3 children's fork and exit, in its own PIDs, parent 1, one-entry NSpid (forks %d exits %d wrong %d)",
	      C->forks, C->exits, C->bad);
	check(C->others == 0,
	      "container: nothing from outside its subtree (%d other events of %d)",
	      C->others, C->n);
	return 0;
}

/* ---- hostile filters ---- */

static int cmd_filters(void)
{
	static const char *const bad[] = {
		"x", "ns=", "ns=abc", "ns=01", "ns=-1", "ns=4294967296",
		"ns=+5", "events=", "events=fork,", "events=,fork",
		"events=fork,fork", "events=bogus", "events=FORK",
		"ns=1 ns=2", "events=exit events=exit", " ns=0", "ns=0 ",
		"ns=0  events=exit", "ns=0\n\n", "events=exit\t", "ns=0\r\n",
		"ns=0,events=exit", "\n\n",
	};
	static char huge[1 << 20];
	unsigned int i;
	int fd, n, k, only_exit = 1, mine = 0, rc;
	pid_t p;

	fd = open_ev("/proc", O_RDWR | O_NONBLOCK);
	if (fd < 0)
		gt_die("open events");
	check(!set_filter(fd, "events=exit"), "filters: events=exit accepted");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = set_filter(fd, bad[i]);
		if (rc != -EINVAL)
			check(false, "filters: '%s' rejected with EINVAL (got %d)",
			      bad[i], rc);
	}
	check(true, "filters: %zu malformed filters tried",
	      sizeof(bad) / sizeof(bad[0]));
	memset(huge, 'e', sizeof(huge));
	memcpy(huge, "events=exit ", 12);
	rc = write(fd, huge, sizeof(huge)) < 0 ? -errno : 0;
	check(rc == -EINVAL, "filters: a 1 MiB write: EINVAL (%d)", rc);
	rc = write(fd, huge, 129) < 0 ? -errno : 0;
	check(rc == -EINVAL, "filters: a 129-byte write: EINVAL (%d)", rc);
	rc = set_filter(fd, "ns=4294967295");
	check(rc == -ENOENT, "filters: an unknown namespace: ENOENT (%d)", rc);
	drain(fd, evs, MAXEV);
	p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	msleep(50);
	n = drain(fd, evs, MAXEV);
	for (k = 0; k < n; k++) {
		if (strcmp(evs[k].kind, "exit"))
			only_exit = 0;
		if (evs[k].pid == p)
			mine++;
	}
	check(n > 0 && only_exit && mine == 1,
	      "filters: after them the filter is still events=exit (%d events, %d of the child)",
	      n, mine);
	check(!set_filter(fd, "\n") && !set_filter(fd, ""),
	      "filters: an empty write resets the filter");
	close(fd);
	return 0;
}

/* ---- the reader cap ---- */

static int cmd_cap(void)
{
	char v[32] = "";
	int max, i, fd[256], over;

	if (slurp(PARAMS "events_max_readers", v, sizeof(v)) < 0)
		gt_die("read events_max_readers");
	max = atoi(v);
	for (i = 0; i < max && i < 255; i++)
		fd[i] = open_ev("/proc", O_RDONLY);
	for (i = 0; i < max && i < 255 && fd[i] >= 0; i++)
		;
	check(i == max, "cap: %d readers open at once (events_max_readers)", i);
	over = open_ev("/proc", O_RDONLY);
	check(over < 0 && errno == EBUSY, "cap: reader %d: EBUSY", max + 1);
	if (over >= 0)
		close(over);
	for (i = 0; i < max && i < 255; i++)
		if (fd[i] >= 0)
			close(fd[i]);
	over = open_ev("/proc", O_RDONLY);
	check(over >= 0, "cap: after closing them, open works again");
	close(over);
	return 0;
}

/*
 * A shared host: one user without CAP_SYS_ADMIN may not take every
 * place.  Opened with euid 1000, 1001, ... (the saved uid stays 0, so
 * root comes back; the effective capabilities go while euid is not 0):
 * each user gets events_max_user_readers files, then EBUSY; such users
 * together get three quarters of events_max_readers; root still opens the
 * rest.
 */
static int open_as(uid_t euid)
{
	int fd, e;

	if (setresuid(-1, euid, -1))
		gt_die("seteuid");
	fd = open_ev("/proc", O_RDONLY);
	e = errno;
	if (setresuid(-1, 0, -1))
		gt_die("seteuid 0");
	errno = e;
	return fd;
}

static int cmd_usercap(void)
{
	int max, per, i, u, n, fd[256], nfd = 0, got[8], busy[8];
	char v[32] = "";

	if (slurp(PARAMS "events_max_readers", v, sizeof(v)) < 0)
		gt_die("read events_max_readers");
	max = atoi(v);
	/* A module without the parameter: no user cap (the checks fail). */
	per = slurp(PARAMS "events_max_user_readers", v, sizeof(v)) < 0 ?
	      4 : atoi(v);
	if (max != 16 || per != 4) {
		fprintf(stderr, "usercap: events_max_readers %d, events_max_user_readers %d\n",
			max, per);
		gt_die("usercap: wants the defaults 16 and 4");
	}
	/* Users 1000..1004, each until EBUSY (at most 8 tries). */
	for (u = 0; u < 5; u++) {
		got[u] = 0;
		busy[u] = 0;
		for (i = 0; i < 8; i++) {
			int f = open_as(1000 + u);

			if (f < 0) {
				busy[u] = errno == EBUSY;
				break;
			}
			fd[nfd++] = f;
			got[u]++;
		}
	}
	check(got[0] == 4 && busy[0] && got[1] == 4 && busy[1] &&
	      got[2] == 4 && busy[2],
	      "usercap: users 1000, 1001, 1002 get 4 files each, then EBUSY (%d %d %d)",
	      got[0], got[1], got[2]);
	check(got[3] == 0 && busy[3] && got[4] == 0 && busy[4],
	      "usercap: users 1003, 1004 get none: unprivileged users hold 12 of 16 (%d %d)",
	      got[3], got[4]);
	for (n = 0; n < 8; n++) {
		int f = open_ev("/proc", O_RDONLY);

		if (f < 0)
			break;
		fd[nfd++] = f;
	}
	check(n == 4 && errno == EBUSY,
	      "usercap: root opens the 4 left, then EBUSY (%d)", n);
	while (nfd > 12)
		close(fd[--nfd]);	/* root's */
	close(fd[0]);			/* one of user 1000's: it has 3 */
	u = open_as(1003);
	check(u >= 0, "usercap: a place freed: user 1003 takes it");
	i = open_as(1000);
	check(i < 0 && errno == EBUSY,
	      "usercap: user 1000, with 3 files, EBUSY: unprivileged users hold 12 again (%d)",
	      i);
	if (i >= 0)
		close(i);
	if (u >= 0)
		close(u);
	i = open_as(1000);
	check(i >= 0, "usercap: user 1003's closed: user 1000 gets its fourth");
	if (i >= 0)
		close(i);
	for (i = 1; i < nfd; i++)
		close(fd[i]);
	return 0;
}

/* ---- non-blocking read and poll ---- */

static int quiet_init(void *arg)
{
	(void)arg;
	W->inum = self_inum();
	close(W->go[1]);
	block_on(W->go[0]);
	return 0;
}

static int cmd_nonblock(void)
{
	struct pollfd pfd;
	char f[64], b[64];
	pid_t init;
	int fd, rc, st;

	if (!W)
		W = gt_shared(sizeof(*W));
	memset(W, 0, sizeof(*W));
	if (pipe(W->go))
		gt_die("pipe");
	init = gt_spawn(quiet_init, NULL, CLONE_NEWPID);
	while (!W->inum)
		msleep(5);
	close(W->go[0]);
	fd = open_ev("/proc", O_RDWR | O_NONBLOCK);
	snprintf(f, sizeof(f), "ns=%u", W->inum);
	if (fd < 0 || set_filter(fd, f))
		gt_die("open and filter");
	rc = read(fd, b, sizeof(b));
	check(rc < 0 && errno == EAGAIN, "nonblock: nothing to read: EAGAIN");
	pfd.fd = fd;
	pfd.events = POLLIN;
	rc = poll(&pfd, 1, 200);
	check(rc == 0, "nonblock: poll() with nothing to read times out (%d)", rc);
	close(W->go[1]);
	rc = poll(&pfd, 1, 5000);
	check(rc == 1 && (pfd.revents & POLLIN),
	      "nonblock: poll() returns POLLIN when the namespace's init exits");
	rc = read(fd, b, 10);
	check(rc == 10, "nonblock: a 10-byte read returns 10 bytes of the line (%d)", rc);
	waitpid(init, &st, 0);
	close(fd);
	return 0;
}

/* ---- block until unload ---- */

static int cmd_block(const char *mode)
{
	char b[4096];
	struct pollfd pfd;
	struct epoll_event ee = { .events = EPOLLIN };
	int fd = open_ev("/proc", O_RDONLY), ep, rc;
	ssize_t n;

	if (fd < 0)
		gt_die("open events");
	if (!strcmp(mode, "read")) {
		printf("# block: reading\n");
		fflush(stdout);
		do
			n = read(fd, b, sizeof(b));
		while (n > 0);
		printf("# block read ended: %zd %s\n", n, n < 0 ? strerror(errno) : "");
		return 0;
	}
	if (!strcmp(mode, "poll")) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		do {
			rc = poll(&pfd, 1, -1);
			if (rc == 1 && (pfd.revents & POLLIN) &&
			    !(pfd.revents & POLLHUP))
				read(fd, b, sizeof(b));
		} while (rc >= 0 && !(pfd.revents & (POLLHUP | POLLERR | POLLNVAL)));
		printf("# block poll ended: %d revents %#x\n", rc, pfd.revents);
		return 0;
	}
	ep = epoll_create1(0);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
	do {
		rc = epoll_wait(ep, &ee, 1, -1);
		if (rc == 1 && !(ee.events & EPOLLHUP))
			read(fd, b, sizeof(b));
	} while (rc >= 0 && !(rc == 1 && (ee.events & EPOLLHUP)));
	printf("# block epoll ended: %d events %#x\n", rc, ee.events);
	/* Keep the epoll and the file open past the unload, then close. */
	msleep(2000);
	close(fd);
	close(ep);
	return 0;
}

/*
 * "hold UID N CMD...": become UID, open N events files (left open across
 * exec), exec CMD: a user who already has N readers runs CMD.
 */
static int cmd_hold(char **argv)
{
	uid_t uid = (uid_t)atoi(argv[2]);
	int i, n = atoi(argv[3]);

	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		gt_die("hold: setresuid");
	for (i = 0; i < n; i++)
		if (open("/proc/nsmon/events", O_RDONLY) < 0)
			gt_die("hold: open");
	execvp(argv[4], argv + 4);
	gt_die("hold: exec");
	return 1;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "hold") && argc > 4)
		return cmd_hold(argv);

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "ground"))
		cmd_ground();
	else if (!strcmp(cmd, "nested"))
		cmd_nested();
	else if (!strcmp(cmd, "overflow"))
		cmd_overflow();
	else if (!strcmp(cmd, "readers"))
		cmd_readers();
	else if (!strcmp(cmd, "container"))
		cmd_container();
	else if (!strcmp(cmd, "filters"))
		cmd_filters();
	else if (!strcmp(cmd, "cap"))
		cmd_cap();
	else if (!strcmp(cmd, "usercap"))
		cmd_usercap();
	else if (!strcmp(cmd, "nonblock"))
		cmd_nonblock();
	else if (!strcmp(cmd, "block") && argc > 2)
		return cmd_block(argv[2]);
	else {
		fprintf(stderr, "usage: nsmon-ev ground|nested|overflow|readers|container|filters|cap|usercap|nonblock|block MODE|hold UID N CMD...\n");
		return 2;
	}
	return gt_failures ? 1 : 0;
}
