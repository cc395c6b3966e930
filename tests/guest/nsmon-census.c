// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-census: the load-time census against /proc (issue 11).
 *
 *   nsmon-census storm KO ROUNDS RELOADS [MASK]
 *	Each round: two PID namespaces (one nested in the other) storm:
 *	processes fork and exit, threads come and go, processes exit with
 *	threads still running, vfork, exec.  Meanwhile nsmon is loaded and
 *	unloaded RELOADS times (left loaded).  Then the storm stops, and once
 *	nothing moves every namespace's `tasks` and `processes` must equal
 *	the live tasks and the processes /proc shows in it (the two storm
 *	namespaces and the initial one).  Leaves nsmon loaded.  MASK picks
 *	the kinds of storm step (to find which one a defect needs): 1 fork
 *	and exit, 2 fork, a thread, exit_group, 4 threads, 8 vfork or exec;
 *	all by default.
 *   nsmon-census seed KO ROUNDS
 *	nsmon loaded while a namespace's tasks switch and run, none ever
 *	exiting: switches and cpu_ns against the sums of the kernel's own
 *	per-task counters.  Leaves nsmon loaded.
 *   nsmon-census cases
 *	With nsmon loaded, in fresh namespaces: a non-leader thread execs;
 *	a main thread calls pthread_exit() while another thread lives; a
 *	process setns()es into a namespace and forks while the namespace
 *	dies.  Each compared with /proc.
 *
 * Ground truth is /proc: /proc/<pid>/task/<tid>/stat (state) and
 * /proc/<pid>/task/<tid>/ns/pid, through the host's procfs (see gt.h).
 */
#include "gt.h"

#include <sys/prctl.h>
#include <sys/resource.h>

/* ---- the storm ---- */

#define WORKERS 3	/* storm processes per namespace */

struct storm {
	volatile int stop;
	volatile int done[2];
	volatile pid_t gpid[2];		/* each init, as /proc numbers it */
	volatile uint64_t inum[2];
	long iters[2];			/* storm iterations done */
};

static struct storm *sh;
static const char *tag = "census";	/* "storm control" without reloads */
static unsigned int storm_mask = 0xf;	/* which kinds of storm step run */
static int go_rd = -1, go_wr = -1;	/* closed by the test: tear down */
static const char *self_exe = "/proc/self/exe";

static void *blocker(void *arg)
{
	block_on(go_rd);
	return arg;
}

static void *quick(void *arg)
{
	return arg;
}

static void *yielder(void *arg)
{
	for (int i = 0; i < 20; i++)
		sched_yield();
	return arg;
}

/* vfork() in a frame of its own: nothing of the caller's to clobber. */
static __attribute__((noinline)) pid_t vfork_exit(void)
{
	pid_t p = vfork();

	if (p == 0)
		_exit(0);
	return p;
}

static void storm_worker(int idx)
{
	long i;

	for (i = 0; !sh->stop; i++) {
		pthread_t th[2];
		pid_t p = -1;

		if (!(storm_mask & (1u << (i % 4))))
			continue;
		switch (i % 4) {
		case 0:		/* a process that exits at once */
			p = fork();
			if (p == 0)
				_exit(0);
			break;
		case 1:		/* a process that exits while its thread runs */
			p = fork();
			if (p == 0) {
				pthread_create(&th[0], NULL, yielder, NULL);
				sched_yield();
				_exit(0);
			}
			break;
		case 2:		/* threads that exit at once */
			if (pthread_create(&th[0], NULL, quick, NULL) == 0)
				pthread_join(th[0], NULL);
			if (pthread_create(&th[1], NULL, yielder, NULL) == 0)
				pthread_join(th[1], NULL);
			break;
		default:	/* exec now and then, else vfork */
			if (i % 16 == 3) {
				p = fork();
				if (p == 0) {
					execl(self_exe, "nsmon-census", "noop",
					      (char *)NULL);
					_exit(127);
				}
			} else {
				p = vfork_exit();
			}
			break;
		}
		if (p > 0)
			waitpid(p, NULL, 0);
		__atomic_add_fetch(&sh->iters[idx], 1, __ATOMIC_RELAXED);
	}
	_exit(0);
}

/*
 * Init of a storm namespace: the first one makes the second, nested in
 * its own.  Each keeps, until the test closes the go pipe: two blocked
 * threads of its own, and a child process with a blocked second thread
 * (5 tasks, 2 processes), plus WORKERS storm processes until told to stop.
 */
static int storm_init(void *arg)
{
	int idx = (int)(long)arg, i;
	pid_t workers[WORKERS], persist;
	pthread_t th[2];

	close(go_wr);
	sh->gpid[idx] = proc_self_pid();
	sh->inum[idx] = ns_of(sh->gpid[idx], 0);
	if (idx == 0)
		gt_spawn(storm_init, (void *)1L, CLONE_NEWPID);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, blocker, NULL);
	persist = fork();
	if (persist == 0) {
		pthread_t t;

		pthread_create(&t, NULL, blocker, NULL);
		block_on(go_rd);
		pthread_join(t, NULL);
		_exit(0);
	}
	for (i = 0; i < WORKERS; i++) {
		workers[i] = fork();
		if (workers[i] == 0)
			storm_worker(idx);
	}
	for (i = 0; i < WORKERS; i++)
		waitpid(workers[i], NULL, 0);
	sh->done[idx] = 1;
	block_on(go_rd);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

static long storm_iters(void)
{
	return __atomic_load_n(&sh->iters[0], __ATOMIC_RELAXED) +
	       __atomic_load_n(&sh->iters[1], __ATOMIC_RELAXED);
}

struct census {
	const char *what;
	uint64_t inum;
	int level;
	int tasks, procs;	/* /proc */
	uint64_t v[GT_NKEYS];	/* nsmon */
	int err;
};

/*
 * Read /proc, then nsmon, then /proc again, until the two /proc readings
 * agree for every namespace compared (the initial namespace has kernel
 * workers that come and go).  Returns whether they agreed.
 */
static bool census_quiescent(struct census *c, int n)
{
	static struct truth t1[GT_MAX_NS], t2[GT_MAX_NS];

	for (int tries = 0; tries < 20; tries++) {
		int n1 = truth_scan(t1, GT_MAX_NS), n2, i, j;
		bool same = true;

		for (i = 0; i < n; i++)
			c[i].err = nsmon_read(c[i].inum, c[i].v);
		n2 = truth_scan(t2, GT_MAX_NS);
		for (i = 0; i < n; i++) {
			int a[2] = { 0, 0 }, b[2] = { 0, 0 };

			for (j = 0; j < n1; j++)
				if (t1[j].inum == c[i].inum)
					a[0] = t1[j].tasks, a[1] = t1[j].procs;
			for (j = 0; j < n2; j++)
				if (t2[j].inum == c[i].inum)
					b[0] = t2[j].tasks, b[1] = t2[j].procs;
			same &= a[0] == b[0] && a[1] == b[1];
			c[i].tasks = b[0];
			c[i].procs = b[1];
		}
		if (same)
			return true;
		msleep(100);
	}
	return false;
}

static int storm_round(int r, int rounds, int reloads, const char *ko)
{
	struct census c[3];
	int k, loads = 0, unloads = 0, err, exact = 0, status;
	long it0, it1;
	double t0 = now_s(), t, tin = 0, tout = 0;
	pid_t a;
	int go[2];

	if (pipe(go))
		gt_die("pipe");
	go_rd = go[0];
	go_wr = go[1];
	memset(sh, 0, sizeof(*sh));
	/* RELOADS 0: nsmon stays loaded throughout (no census: a control) */
	if (reloads && gt_loaded() && (err = gt_rmmod()))
		diag("round %d: rmmod before the storm: %s", r, strerror(-err));
	if (!reloads && !gt_loaded() && (err = gt_insmod(ko)))
		diag("round %d: insmod before the storm: %s", r, strerror(-err));
	a = gt_spawn(storm_init, (void *)0L, CLONE_NEWPID);
	for (t = now_s(); now_s() - t < 30; msleep(10))
		if (sh->inum[0] && sh->inum[1] && sh->iters[0] > 2 &&
		    sh->iters[1] > 2)
			break;
	if (!sh->inum[0] || !sh->inum[1]) {
		check(false, "%s round %d: the two storm namespaces started", tag, r);
		close(go_wr);
		waitpid(a, NULL, 0);
		return 0;
	}
	msleep(200);
	it0 = storm_iters();
	/*
	 * Load and unload at real-time priority: the storm's dozen runnable
	 * tasks would otherwise get 90 % of the CPUs and a reload would take
	 * seconds under TCG.  The storm still runs on the other vCPU (and on
	 * this one while insmod sleeps), through every walk.
	 */
	sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK,
			   &(struct sched_param){ .sched_priority = 10 });
	for (k = 0; k < reloads; k++) {
		double t1 = now_s();

		err = gt_insmod(ko);
		tin += now_s() - t1;
		if (err)
			diag("round %d reload %d: insmod: %s", r, k, strerror(-err));
		else
			loads++;
		msleep(rand() % 40);
		if (k + 1 < reloads) {
			t1 = now_s();
			err = gt_rmmod();
			tout += now_s() - t1;
			if (err)
				diag("round %d reload %d: rmmod: %s", r, k,
				     strerror(-err));
			else
				unloads++;
			msleep(rand() % 20);
		}
	}
	sched_setscheduler(0, SCHED_OTHER, &(struct sched_param){ 0 });
	msleep(300);	/* the storm goes on with nsmon loaded */
	it1 = storm_iters();
	sh->stop = 1;
	for (t = now_s(); now_s() - t < 60; msleep(10))
		if (sh->done[0] && sh->done[1])
			break;
	check(loads == reloads && unloads == (reloads ? reloads - 1 : 0) &&
	      it1 - it0 >= reloads,
	      "%s round %d/%d: %d insmod and %d rmmod during the storm (%ld storm iterations meanwhile)",
	      tag, r, rounds, loads, unloads, it1 - it0);
	msleep(100);

	c[0] = (struct census){ .what = "storm namespace", .inum = sh->inum[0], .level = 1 };
	c[1] = (struct census){ .what = "nested storm namespace", .inum = sh->inum[1], .level = 2 };
	c[2] = (struct census){ .what = "initial namespace", .inum = ns_of(getpid(), 0), .level = 0 };
	if (!census_quiescent(c, 3))
		diag("round %d: /proc did not stand still; comparing the last reading", r);
	for (int i = 0; i < 3; i++) {
		bool good = !c[i].err && c[i].v[K_TASKS] == (uint64_t)c[i].tasks &&
			    c[i].v[K_PROCS] == (uint64_t)c[i].procs;

		exact += good;
		if (!good && !c[i].err && i < 2)
			truth_dump(tag, c[i].inum);
		if (c[i].err)
			check(false, "%s round %d: %s %" PRIu64 ": read /proc/nsmon/%" PRIu64 " (%d)",
			      tag, r, c[i].what, c[i].inum, c[i].inum, c[i].err);
		else
			check(good, "%s round %d: %s %" PRIu64 " (level %d): tasks %" PRIu64
			      " processes %" PRIu64 " == /proc's %d live tasks, %d processes",
			      tag, r, c[i].what, c[i].inum, c[i].level, c[i].v[K_TASKS],
			      c[i].v[K_PROCS], c[i].tasks, c[i].procs);
	}
	/* The storm namespaces hold 5 tasks, 2 processes each by now. */
	if (c[0].tasks != 5 || c[0].procs != 2 || c[1].tasks != 5 || c[1].procs != 2)
		diag("round %d: /proc shows %d/%d and %d/%d, 5/2 expected: the storm did not settle",
		     r, c[0].tasks, c[0].procs, c[1].tasks, c[1].procs);
	close(go_wr);
	close(go_rd);
	waitpid(a, &status, 0);
	check(wait_nsmon_file(c[0].inum, false, 2000) &&
	      wait_nsmon_file(c[1].inum, false, 2000),
	      "%s round %d: both storm namespaces' files go once their tasks are gone", tag, r);
	diag("round %d: %.1f s, of which insmod %.1f s, rmmod %.1f s", r,
	     now_s() - t0, tin, tout);
	return exact;
}

static void test_storm(const char *ko, int rounds, int reloads)
{
	int exact = 0, r;
	double t0 = now_s();

	sh = gt_shared(sizeof(*sh));
	srand(getpid());
	if (!reloads)
		tag = "storm control (nsmon loaded throughout, no census)";
	for (r = 1; r <= rounds; r++)
		exact += storm_round(r, rounds, reloads, ko);
	check(exact == 3 * rounds,
	      "%s: %d of %d namespace censuses exact after %d rounds of %d reloads under a fork/thread/exec storm (%.0f s)",
	      tag, exact, 3 * rounds, rounds, reloads, now_s() - t0);
	if (!gt_loaded()) {
		int err = gt_insmod(ko);

		check(!err, "census: nsmon loaded again at the end (%s)",
		      err ? strerror(-err) : "ok");
	}
}

/* ---- cases ---- */

static int rel_rd = -1, rel_wr = -1;	/* releases one blocked thread */
static int exec_rd = -1, exec_wr = -1;	/* tells a thread to exec */
static int ready_rd = -1, ready_wr = -1;
static struct { volatile pid_t p; volatile int status; } *cs;

static void compare(const char *what, uint64_t inum)
{
	uint64_t v[GT_NKEYS];
	int tasks, procs, err;

	/* The contract gives a new namespace's file up to a second. */
	if (!wait_nsmon_file(inum, true, 1000)) {
		check(false, "%s: /proc/nsmon/%" PRIu64 " exists within 1 s of the namespace's birth",
		      what, inum);
		return;
	}
	truth_of(inum, &tasks, &procs);
	/* A new namespace's file appears within a second (the contract). */
	for (int i = 0; i < 100 && (err = nsmon_read(inum, v)) == -ENOENT; i++)
		msleep(10);
	if (err) {
		check(false, "%s: read /proc/nsmon/%" PRIu64 " (%d)", what, inum, err);
		return;
	}
	check(v[K_TASKS] == (uint64_t)tasks && v[K_PROCS] == (uint64_t)procs,
	      "%s: tasks %" PRIu64 " processes %" PRIu64 " == /proc's %d live tasks, %d processes",
	      what, v[K_TASKS], v[K_PROCS], tasks, procs);
	if (v[K_TASKS] != (uint64_t)tasks || v[K_PROCS] != (uint64_t)procs)
		truth_dump(what, inum);
}

/* The exec'd image: say ready, wait for the go pipe to close. */
static int execd_main(int gofd, int readyfd)
{
	if (write(readyfd, "e", 1) != 1)
		return 1;
	block_on(gofd);
	return 0;
}

static void *exec_thread(void *arg)
{
	char b, gofd[16], readyfd[16];

	if (read(exec_rd, &b, 1) != 1)
		return arg;
	snprintf(gofd, sizeof(gofd), "%d", go_rd);
	snprintf(readyfd, sizeof(readyfd), "%d", ready_wr);
	execl(self_exe, "nsmon-census", "execd", gofd, readyfd, (char *)NULL);
	_exit(127);
}

static void *rel_thread(void *arg)
{
	block_on(rel_rd);
	return arg;
}

/*
 * Exec that fails after the point of no return: with RLIMIT_AS at 64 KiB
 * the new image's stack cannot grow to the 128 KiB setup_arg_pages() asks
 * for, which it finds out after de_thread() (the TIDs are swapped) and
 * exec_mmap(): the process dies of SIGSEGV without sched_process_exec.
 */
static void *bad_exec_thread(void *arg)
{
	struct rlimit rl = { 64 << 10, 64 << 10 };

	if (setrlimit(RLIMIT_AS, &rl) == 0)
		execl(self_exe, "nsmon-census", "noop", (char *)NULL);
	_exit(3);	/* failed before the point of no return */
	return arg;
}

/* Init of a case namespace: one child process doing the case. */
static int case_init(void *arg)
{
	int which = (int)(long)arg, status;
	pthread_t th[2];
	pid_t p;

	close(go_wr);
	close(rel_wr);
	close(exec_wr);
	p = fork();
	if (p == 0 && which == 2) {
		cs->p = proc_self_pid();
		pthread_create(&th[0], NULL, bad_exec_thread, NULL);
		block_on(go_rd);
		_exit(0);
	}
	if (p == 0) {
		cs->p = proc_self_pid();
		prctl(PR_SET_NAME, "before-exec");
		if (which == 0) {
			pthread_create(&th[0], NULL, blocker, NULL);
			pthread_create(&th[1], NULL, exec_thread, NULL);
			if (write(ready_wr, "r", 1) != 1)
				_exit(1);
			block_on(go_rd);
			_exit(0);
		}
		pthread_create(&th[0], NULL, rel_thread, NULL);
		if (write(ready_wr, "r", 1) != 1)
			_exit(1);
		pthread_exit(NULL);
	}
	if (which == 2) {
		waitpid(p, &status, 0);
		cs->status = status;
		if (write(ready_wr, "d", 1) != 1)
			_exit(1);
	}
	block_on(go_rd);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return 0;
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return d ? n : -1;
}

static bool wait_ready(void)
{
	char b;

	return read(ready_rd, &b, 1) == 1;
}

static void open_case_pipes(void)
{
	int g[2], r[2], e[2], y[2];

	if (pipe(g) || pipe(r) || pipe(e) || pipe(y))
		gt_die("pipe");
	go_rd = g[0], go_wr = g[1];
	rel_rd = r[0], rel_wr = r[1];
	exec_rd = e[0], exec_wr = e[1];
	ready_rd = y[0], ready_wr = y[1];
}

static void close_case_pipes(void)
{
	close(go_rd), close(go_wr), close(rel_rd), close(rel_wr);
	close(exec_rd), close(exec_wr), close(ready_rd), close(ready_wr);
}

static void test_nonleader_exec(void)
{
	char path[64], name[64] = "";
	uint64_t inum, v[GT_NKEYS] = { 0 };
	int before, after, err;
	pid_t init;

	open_case_pipes();
	init = gt_spawn(case_init, (void *)0L, CLONE_NEWPID);
	if (!wait_ready()) {
		check(false, "non-leader exec: the process started");
		goto out;
	}
	inum = ns_of(init, 0);
	snprintf(path, sizeof(path), "/proc/%d/task", cs->p);
	before = count_dir(path);
	compare("non-leader exec: before the exec (3 threads)", inum);
	if (write(exec_wr, "x", 1) != 1 || !wait_ready()) {
		check(false, "non-leader exec: the exec'd image started");
		goto out;
	}
	after = count_dir(path);
	status_field(cs->p, 0, "Name", name, sizeof(name));
	diag("non-leader exec: /proc/%d/task had %d entries, has %d after the exec; Name: %s",
	     cs->p, before, after, name);
	compare("non-leader exec: after the exec", inum);
	err = nsmon_read(inum, v);
	/*
	 * Ground truth: one exec happened (Name: changed from before-exec),
	 * and the threads /proc listed before it and not after it exited.
	 */
	check(!err && !strcmp(name, "nsmon-census") && v[K_EXECS] == 1,
	      "non-leader exec: execs %" PRIu64 " == 1 (Name: now \"%s\")",
	      v[K_EXECS], name);
	check(!err && before == 3 && after == 1 &&
	      v[K_EXITS] == (uint64_t)(before - after),
	      "non-leader exec: exits %" PRIu64 " == %d threads /proc no longer lists (%d before, %d after)",
	      v[K_EXITS], before - after, before, after);
out:
	close_case_pipes();
	waitpid(init, NULL, 0);
}

static void test_pthread_exit(void)
{
	char path[64];
	uint64_t inum;
	pid_t init, p;
	char st = 0;

	open_case_pipes();
	init = gt_spawn(case_init, (void *)1L, CLONE_NEWPID);
	if (!wait_ready()) {
		check(false, "pthread_exit: the process started");
		goto out;
	}
	inum = ns_of(init, 0);
	p = cs->p;
	for (int i = 0; i < 300 && (st = task_state(p, p)) != 'Z'; i++)
		msleep(10);
	check(st == 'Z' && count_dir((snprintf(path, sizeof(path), "/proc/%d/task", p), path)) == 2,
	      "pthread_exit: the main thread of %d is a zombie (state %c), its other thread lives",
	      p, st ? st : '-');
	compare("pthread_exit: main thread exited, another thread lives (the process is in /proc)",
		inum);
	close(rel_wr);
	rel_wr = -1;
	for (int i = 0; i < 300 && access(path, F_OK) == 0; i++)
		msleep(10);
	compare("pthread_exit: after its last thread exited too", inum);
out:
	close_case_pipes();
	waitpid(init, NULL, 0);
}

static void test_exec_fails_late(void)
{
	pid_t init;
	int st;

	open_case_pipes();
	init = gt_spawn(case_init, (void *)2L, CLONE_NEWPID);
	if (!wait_ready()) {
		check(false, "late exec failure: the process ran");
		goto out;
	}
	st = cs->status;
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
	      "late exec failure: a non-leader thread's exec failed after the point of no return: the process died of SIGSEGV (status 0x%x)",
	      st);
	compare("late exec failure: after the process died", ns_of(init, 0));
out:
	close_case_pipes();
	waitpid(init, NULL, 0);
}

/* Init of a namespace to be killed: waits to be killed. */
static int victim_init(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return 0;
}

static void test_setns_dying(int rounds)
{
	int bad = 0, forks_in = 0, r;

	for (r = 0; r < rounds; r++) {
		int ready[2], nforks = 0, status, fd, tasks, procs;
		char path[64], b;
		uint64_t inum, v[GT_NKEYS];
		pid_t init, x;

		if (pipe(ready))
			gt_die("pipe");
		init = gt_spawn(victim_init, NULL, CLONE_NEWPID);
		inum = ns_of(init, 0);
		wait_nsmon_file(inum, true, 1000);
		x = fork();
		if (x == 0) {
			snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
			fd = open(path, O_RDONLY);
			if (fd < 0 || setns(fd, CLONE_NEWPID))
				_exit(100);
			if (write(ready[1], "r", 1) != 1)
				_exit(101);
			for (;;) {
				pid_t c = fork();

				if (c < 0)
					break;
				if (c == 0)
					_exit(0);
				nforks++;
				waitpid(c, NULL, 0);
			}
			_exit(nforks > 250 ? 250 : nforks);
		}
		close(ready[1]);
		if (read(ready[0], &b, 1) != 1) {
			check(false, "setns dying: the forker setns()'d into the namespace");
			kill(init, SIGKILL);
			waitpid(init, NULL, 0);
			waitpid(x, NULL, 0);
			close(ready[0]);
			break;
		}
		close(ready[0]);
		msleep(rand() % 8);
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
		waitpid(x, &status, 0);
		if (WIFEXITED(status))
			forks_in += WEXITSTATUS(status);
		truth_of(inum, &tasks, &procs);
		if (tasks) {
			diag("setns dying: namespace %" PRIu64 " still has %d tasks in /proc", inum, tasks);
			bad++;
			continue;
		}
		if (!wait_nsmon_file(inum, false, 1000)) {
			bad++;
			if (!nsmon_read(inum, v))
				diag("setns dying: round %d: /proc/nsmon/%" PRIu64
				     " still there 1 s after its last task: tasks %" PRIu64 " forks %" PRIu64
				     " exits %" PRIu64, r, inum, v[K_TASKS], v[K_FORKS], v[K_EXITS]);
			continue;
		}
		msleep(300);
		if (nsmon_file_exists(inum)) {
			bad++;
			diag("setns dying: round %d: /proc/nsmon/%" PRIu64 " came back after it went",
			     r, inum);
		}
	}
	check(bad == 0,
	      "setns dying: %d namespaces killed while a process setns()'d into them forked (%d forks got in): no file outlives the namespace's last task by 1 s (%d did)",
	      rounds, forks_in, bad);
}

/* ---- seed: switches and CPU time of tasks alive across insmod ---- */

/*
 * A namespace whose tasks never exit: its init and a second thread
 * ping-pong through pipes, a child process spins, all while nsmon is
 * loaded.  Then all three block.  Since no task of it ever exited, the
 * kernel's own per-task counters summed over its live tasks are the whole
 * truth: voluntary_switches == sum of voluntary_ctxt_switches,
 * involuntary_switches == sum of nonvoluntary_ctxt_switches, cpu_ns ==
 * sum of schedstat runtimes, to the unit (issue 11, 2: what a task
 * accrued between the probes' registration and the walk reaching it must
 * count once).
 */
struct seedsh {
	volatile int stop;
	volatile int blocked;
};

static struct seedsh *ss;
static int halt_rd, halt_wr;

static void seed_block(void)
{
	__atomic_add_fetch(&ss->blocked, 1, __ATOMIC_SEQ_CST);
	block_on(halt_rd);
}

static int pp_a[2], pp_b[2];

/* Answers every ping until the init closes its end. */
static void *seed_pong(void *arg)
{
	char c;

	while (read(pp_a[0], &c, 1) == 1 && write(pp_b[1], &c, 1) == 1)
		;
	seed_block();
	return arg;
}

static int seed_init(void *arg)
{
	pthread_t th;
	pid_t spin;
	char c = 'x';

	(void)arg;
	close(halt_wr);
	spin = fork();		/* before the pipes: it must not hold them */
	if (spin == 0) {
		volatile unsigned long x = 0;

		while (!ss->stop)
			x++;
		seed_block();
		_exit(0);
	}
	if (pipe(pp_a) || pipe(pp_b))
		return 1;
	pthread_create(&th, NULL, seed_pong, NULL);
	while (!ss->stop && write(pp_a[1], &c, 1) == 1 && read(pp_b[0], &c, 1) == 1)
		;
	close(pp_a[1]);		/* the pong thread reads end of file */
	seed_block();
	pthread_join(th, NULL);
	waitpid(spin, NULL, 0);
	return 0;
}

/* Sums of the kernel's counters over the live tasks of namespace @inum. */
static void seed_truth(uint64_t inum, uint64_t *vol, uint64_t *invol, uint64_t *cpu)
{
	DIR *dir = opendir("/proc"), *td;
	struct dirent *d, *e;
	char path[96], buf[256], f[64];

	*vol = *invol = *cpu = 0;
	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);

		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task", p);
		td = opendir(path);
		while (td && (e = readdir(td))) {
			pid_t tid = atoi(e->d_name);

			if (tid <= 0 || ns_of(p, tid) != inum)
				continue;
			if (status_field(p, tid, "voluntary_ctxt_switches", f, sizeof(f)))
				*vol += strtoull(f, NULL, 10);
			if (status_field(p, tid, "nonvoluntary_ctxt_switches", f, sizeof(f)))
				*invol += strtoull(f, NULL, 10);
			snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", p, tid);
			if (slurp(path, buf, sizeof(buf)) > 0)
				*cpu += strtoull(buf, NULL, 10);
		}
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
}

static void test_seed(const char *ko, int rounds)
{
	int r, exact = 0;

	ss = gt_shared(sizeof(*ss));
	for (r = 1; r <= rounds; r++) {
		uint64_t inum, v[GT_NKEYS], a[3], b[3];
		int go[2], err, tries;
		pid_t init;

		memset((void *)ss, 0, sizeof(*ss));
		if (pipe(go))
			gt_die("pipe");
		halt_rd = go[0], halt_wr = go[1];
		if (gt_loaded() && (err = gt_rmmod()))
			diag("seed round %d: rmmod: %s", r, strerror(-err));
		init = gt_spawn(seed_init, NULL, CLONE_NEWPID);
		inum = ns_of(init, 0);
		msleep(200 + rand() % 100);
		err = gt_insmod(ko);	/* while they switch and spin */
		msleep(200);
		ss->stop = 1;
		for (tries = 0; tries < 500 && ss->blocked < 3; tries++)
			msleep(10);
		msleep(200);
		for (tries = 0; tries < 10; tries++) {
			seed_truth(inum, &a[0], &a[1], &a[2]);
			err = err ? err : nsmon_read(inum, v);
			seed_truth(inum, &b[0], &b[1], &b[2]);
			if (!memcmp(a, b, sizeof(a)))
				break;
			msleep(50);
		}
		if (err) {
			check(false, "seed round %d: insmod and read /proc/nsmon/%" PRIu64 " (%d)",
			      r, inum, err);
		} else {
			bool good = v[K_VOL] == a[0] && v[K_INVOL] == a[1] && v[K_CPU] == a[2];

			exact += good;
			check(good,
			      "seed round %d: nsmon loaded while 3 tasks switched and ran: voluntary %" PRIu64
			      " involuntary %" PRIu64 " cpu_ns %" PRIu64 " == the kernel's sums %" PRIu64
			      " %" PRIu64 " %" PRIu64 " (ctxt_switches, schedstat; no task ever exited)",
			      r, v[K_VOL], v[K_INVOL], v[K_CPU], a[0], a[1], a[2]);
		}
		close(halt_wr);
		close(halt_rd);
		waitpid(init, NULL, 0);
	}
	check(exact == rounds, "seed: %d of %d loads seeded switches and CPU time exactly",
	      exact, rounds);
	if (!gt_loaded())
		gt_insmod(ko);
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(what, "noop"))
		return 0;
	if (!strcmp(what, "execd") && argc == 4)
		return execd_main(atoi(argv[2]), atoi(argv[3]));
	if (access("/nsmon/bin/nsmon-census", X_OK) == 0)
		self_exe = "/nsmon/bin/nsmon-census";
	if (!strcmp(what, "storm") && (argc == 5 || argc == 6)) {
		/* MASK: 1 fork+exit, 2 fork+thread+exit_group, 4 threads, 8 vfork/exec */
		if (argc == 6)
			storm_mask = strtoul(argv[5], NULL, 0) & 0xf;
		test_storm(argv[2], atoi(argv[3]), atoi(argv[4]));
	} else if (!strcmp(what, "seed") && argc == 4) {
		test_seed(argv[2], atoi(argv[3]));
	} else if (!strcmp(what, "cases")) {
		cs = gt_shared(4096);
		if (!gt_loaded()) {
			check(false, "cases: nsmon is loaded");
			return 1;
		}
		test_nonleader_exec();
		test_pthread_exit();
		test_exec_fails_late();
		test_setns_dying(30);
	} else {
		fprintf(stderr, "usage: nsmon-census storm KO ROUNDS RELOADS [MASK] | seed KO ROUNDS | cases\n");
		return 2;
	}
	return gt_failures ? 1 : 0;
}
