// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-wait: run-queue latency (wait_ns and the wait histogram) against
 * the kernel's own per-task numbers, /proc/<pid>/task/<tid>/schedstat:
 * "<runtime ns> <run_delay ns> <pcount>", run_delay being the time the
 * task waited on a run queue and pcount the number of times it arrived on
 * a CPU (each arrival ends one wait).
 *
 *  1. exact: a fresh namespace whose tasks (four spinning processes, one
 *     with two threads that spin with short sleeps, on the guest's two
 *     CPUs, so that they wait, are preempted, wake up and are moved by
 *     the load balancer) then all block, and one of its children is
 *     left a zombie: wait_ns equals the sum of their run_delay, the
 *     zombie's included, and the histogram's count equals the sum of
 *     their pcount;
 *  2. two namespaces, each with one spinner pinned to CPU 1: each waits
 *     about as long as it runs (wait_ns against its own cpu_ns);
 *  3. an idle namespace's histogram and wait_ns stay as they are;
 *  4. wait_ns never goes back while threads come and go.
 *
 * Every task of these namespaces is created after nsmon was loaded, so
 * the histogram has seen every one of their arrivals.  Needs 2 CPUs.
 */
#include "gt.h"

#define SPIN_MS		1500

/* One namespace's wait keys: wait_ns and the histogram. */
struct wait_keys {
	uint64_t wait_ns, count, cpu_ns;
	bool found;
};

static int nsmon_wait_keys(uint64_t inum, struct wait_keys *w)
{
	char path[64], k[64];
	unsigned long long v;
	FILE *f;

	memset(w, 0, sizeof(*w));
	snprintf(path, sizeof(path), "/proc/nsmon/%" PRIu64, inum);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", k, &v) == 2) {
		if (!strcmp(k, "wait_ns")) {
			w->wait_ns = v;
			w->found = true;
		} else if (!strncmp(k, "wait_lt_", 8) ||
			   !strncmp(k, "wait_ge_", 8)) {
			w->count += v;
		} else if (!strcmp(k, "cpu_ns")) {
			w->cpu_ns = v;
		}
	}
	fclose(f);
	return 0;
}

/* Sum run_delay and pcount over every task of process @pid. */
static int schedstat_of(pid_t pid, uint64_t *delay, uint64_t *pcount)
{
	char path[320], buf[128];
	unsigned long long run, d, p;
	struct dirent *de;
	int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/schedstat", pid,
			 de->d_name);
		if (slurp(path, buf, sizeof(buf)) < 0 ||
		    sscanf(buf, "%llu %llu %llu", &run, &d, &p) != 3)
			continue;
		*delay += d;
		*pcount += p;
		n++;
	}
	closedir(dir);
	return n;
}

static void spin_ms(int ms)
{
	double end = now_s() + ms / 1000.0;

	while (now_s() < end)
		;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* What the namespaces' inits share with us. */
struct shared {
	int pinned;		/* -1, or the CPU the spinners spin on */
	int threads;		/* spinning threads of the next spinner */
};

static struct shared *sh;
/* The pipes of the namespace being started, inherited by its tasks. */
static int ready_fd[2], hold_fd[2];

/*
 * A thread spins too, but sleeps 20 us every 200 us: each wakeup is one
 * more arrival, and on a fully preemptible kernel (the debug kernels) a
 * preemption between its set_current_state() and schedule() is now and
 * then a switch-in that the kernel does not count as one (pcount).
 */
static void *spinner_thread(void *arg)
{
	struct timespec nap = { 0, 20000 };
	double end = now_s() + SPIN_MS / 1000.0, t;

	while ((t = now_s()) < end) {
		while (now_s() < t + 0.0002)
			;
		nanosleep(&nap, NULL);
	}
	if (write(ready_fd[1], "t", 1) != 1)
		return arg;
	block_on(hold_fd[0]);
	return arg;
}

static int spinner(void *arg)
{
	int i, threads = sh->threads;
	pthread_t th;

	(void)arg;
	if (write(ready_fd[1], "s", 1) != 1)	/* read sh->threads */
		return 1;
	if (sh->pinned >= 0)
		pin(sh->pinned);
	for (i = 0; i < threads; i++)
		pthread_create(&th, NULL, spinner_thread, NULL);
	spin_ms(SPIN_MS);
	if (write(ready_fd[1], "p", 1) != 1)
		return 1;
	block_on(hold_fd[0]);
	return 0;
}

/*
 * A namespace's init: start @nproc spinners (the first with
 * sh->threads threads, the others with none) and a child that exits at
 * once and stays a zombie, then block.
 */
static int init_main(void *arg)
{
	int nproc = *(int *)arg, i, threads = sh->threads;

	close(hold_fd[1]);
	for (i = 0; i < nproc; i++) {
		sh->threads = i == 0 ? threads : 0;
		gt_spawn(spinner, NULL, 0);
		/* Wait until it read sh->threads: the parent counts "s". */
		while (sh->threads != -1 - i)
			msleep(1);
	}
	if (fork() == 0) {
		spin_ms(50);
		_exit(0);
	}
	if (write(ready_fd[1], "z", 1) != 1)
		return 1;
	block_on(hold_fd[0]);
	return 0;
}

static uint64_t inum_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
	return stat(path, &st) ? 0 : (uint64_t)st.st_ino;
}

/*
 * The host PIDs of the processes (zombies too) whose PID namespace is
 * @inum: every /proc/<pid> whose ns/pid is it.
 */
static int ns_pids(uint64_t inum, pid_t *out, int max)
{
	struct dirent *de;
	DIR *proc;
	int n = 0;
	long v;

	proc = opendir("/proc");
	while (proc && n < max && (de = readdir(proc))) {
		v = strtol(de->d_name, NULL, 10);
		if (v > 0 && inum_of((pid_t)v) == inum)
			out[n++] = (pid_t)v;
	}
	if (proc)
		closedir(proc);
	return n;
}

struct nsrun {
	pid_t init;
	uint64_t inum;
	int ready, hold;	/* our ends */
	int want;		/* bytes on ready when all have spun */
};

/* Start a namespace of @nproc spinners; do not wait for them. */
static void start_ns(struct nsrun *r, int nproc, int threads, int pinned)
{
	static int arg;
	char b;
	int i;

	if (pipe(ready_fd) || pipe(hold_fd))
		gt_die("pipe");
	sh->pinned = pinned;
	sh->threads = threads;
	arg = nproc;
	r->init = gt_spawn(init_main, &arg, CLONE_NEWPID);
	close(ready_fd[1]);
	close(hold_fd[0]);
	r->ready = ready_fd[0];
	r->hold = hold_fd[1];
	/* Hand out sh->threads one spinner at a time. */
	for (i = 0; i < nproc; i++) {
		if (read(r->ready, &b, 1) != 1 || b != 's')
			gt_die("a spinner did not start");
		sh->threads = -1 - i;
	}
	r->want = nproc + threads + 1;
	r->inum = inum_of(r->init);
}

/* Wait until every spinner of @r spun and blocked. */
static void wait_ns_ready(struct nsrun *r)
{
	char b;
	int i;

	for (i = 0; i < r->want; i++)
		if (read(r->ready, &b, 1) != 1)
			gt_die("the spinners did not report");
	/* They block on hold now, and the zombie is dead: settle. */
	msleep(300);
}

static void stop_ns(struct nsrun *r)
{
	close(r->ready);
	close(r->hold);
	kill(r->init, SIGKILL);
	waitpid(r->init, NULL, 0);
}

/* Tests 1 and 3: exact sums, then nothing moves while all sleep. */
static void test_exact(void)
{
	uint64_t delay = 0, pcount = 0;
	struct wait_keys w, w2;
	int i, n, tasks = 0;
	struct nsrun r;
	pid_t pids[16];

	start_ns(&r, 4, 2, -1);
	wait_ns_ready(&r);
	n = ns_pids(r.inum, pids, 16);
	for (i = 0; i < n; i++) {
		int t = schedstat_of(pids[i], &delay, &pcount);

		if (t > 0)
			tasks += t;
	}
	if (nsmon_wait_keys(r.inum, &w) || !w.found) {
		check(false, "wait: /proc/nsmon/%" PRIu64 " has wait_ns",
		      r.inum);
		stop_ns(&r);
		return;
	}
	diag("wait: %d tasks, the zombie included: run_delay %" PRIu64
	     " pcount %" PRIu64 "; nsmon: wait_ns %" PRIu64 " count %"
	     PRIu64, tasks, delay, pcount, w.wait_ns, w.count);
	sanity(tasks == 8, "wait: the namespace has 8 tasks (%d)", tasks);
	sanity(delay > 0, "wait: the spinners waited for a CPU");
	check(w.wait_ns == delay,
	      "wait: wait_ns %" PRIu64 " == sum of schedstat run_delay %"
	      PRIu64, w.wait_ns, delay);
	check(w.count == pcount,
	      "wait: histogram count %" PRIu64
	      " == sum of schedstat pcount (arrivals on a CPU) %" PRIu64,
	      w.count, pcount);

	msleep(1000);
	nsmon_wait_keys(r.inum, &w2);
	check(w2.wait_ns == w.wait_ns && w2.count == w.count,
	      "wait: an idle namespace's wait_ns and histogram stay (%"
	      PRIu64 " -> %" PRIu64 ", %" PRIu64 " -> %" PRIu64 ")",
	      w.wait_ns, w2.wait_ns, w.count, w2.count);
	stop_ns(&r);
}

/* Test 2: two namespaces, one spinner each, pinned to the same CPU. */
static void test_pinned(void)
{
	struct wait_keys w[2];
	struct nsrun r[2];
	int i;

	start_ns(&r[0], 1, 0, 1);
	start_ns(&r[1], 1, 0, 1);
	for (i = 0; i < 2; i++)
		wait_ns_ready(&r[i]);
	for (i = 0; i < 2; i++) {
		double ratio;

		nsmon_wait_keys(r[i].inum, &w[i]);
		ratio = w[i].cpu_ns ? (double)w[i].wait_ns / w[i].cpu_ns : 0;
		check(ratio > 0.6 && ratio < 1.4,
		      "wait: a spinner sharing its CPU with another namespace's"
		      " waits about as long as it runs (wait %.3f s, cpu %.3f s)",
		      w[i].wait_ns / 1e9, w[i].cpu_ns / 1e9);
	}
	for (i = 0; i < 2; i++)
		stop_ns(&r[i]);
}

static void *churn_thread(void *arg)
{
	spin_ms(2);
	return arg;
}

/* Test 4's namespace: threads come and go for @arg ms. */
static int churn_main(void *arg)
{
	double end = now_s() + *(int *)arg / 1000.0;
	pthread_t th[4];
	int i;

	while (now_s() < end) {
		for (i = 0; i < 4; i++)
			pthread_create(&th[i], NULL, churn_thread, NULL);
		for (i = 0; i < 4; i++)
			pthread_join(th[i], NULL);
	}
	return 0;
}

/* Test 4: a counter: wait_ns never goes back. */
static void test_monotonic(void)
{
	static int ms = 3000;
	uint64_t last = 0, inum;
	int reads = 0, back = 0;
	struct wait_keys w;
	pid_t init;

	init = gt_spawn(churn_main, &ms, CLONE_NEWPID);
	inum = inum_of(init);
	wait_nsmon_file(inum, true, 2000);
	while (waitpid(init, NULL, WNOHANG) == 0) {
		if (nsmon_wait_keys(inum, &w) || !w.found)
			continue;
		if (w.wait_ns < last) {
			diag("wait: wait_ns went from %" PRIu64 " to %" PRIu64,
			     last, w.wait_ns);
			back++;
		}
		last = w.wait_ns;
		reads++;
	}
	sanity(reads > 20, "wait: read wait_ns while threads came and went");
	check(back == 0, "wait: wait_ns never went back in %d reads", reads);
}

/*
 * Test 5: switch-ins that are no arrival.  The init of a fresh namespace
 * has PREEMPTED_KIDS sleeping children and stops and continues the last
 * of them, over and over, collecting each change with waitid(P_ALL): each
 * call sets TASK_INTERRUPTIBLE and then walks all its children under
 * tasklist_lock, and on a fully preemptible kernel (the debug kernels) it
 * is now and then preempted at the unlock, before it sleeps.  The kernel
 * then leaves it on the run queue without queueing it for schedstat, and
 * its next switch-in is not counted in pcount.  Two spinners keep both
 * CPUs wanted.  After it all blocks, the histogram's count must still be
 * the sum of pcount over the namespace's tasks.
 */
#define PREEMPTED_KIDS	150
#define PREEMPTED_MS	3000

static int preempted_spinner(void *arg)
{
	(void)arg;
	spin_ms(PREEMPTED_MS);
	block_on(hold_fd[0]);
	return 0;
}

static int preempted_kid(void *arg)
{
	(void)arg;
	block_on(hold_fd[0]);
	return 0;
}

static int preempted_init(void *arg)
{
	pid_t last = 0;
	siginfo_t si;
	int i, rounds = 0;
	double end;

	(void)arg;
	close(hold_fd[1]);
	for (i = 0; i < PREEMPTED_KIDS; i++)
		last = gt_spawn(preempted_kid, NULL, 0);
	for (i = 0; i < 2; i++)
		gt_spawn(preempted_spinner, NULL, 0);
	end = now_s() + PREEMPTED_MS / 1000.0;
	while (now_s() < end) {
		kill(last, SIGSTOP);
		waitid(P_ALL, 0, &si, WSTOPPED);
		kill(last, SIGCONT);
		waitid(P_ALL, 0, &si, WCONTINUED);
		rounds++;
	}
	if (write(ready_fd[1], &rounds, sizeof(rounds)) != sizeof(rounds))
		return 1;
	block_on(hold_fd[0]);
	return 0;
}

static void test_preempted(void)
{
	uint64_t delay = 0, pcount = 0;
	struct wait_keys w;
	int i, n, rounds = 0;
	static pid_t pids[PREEMPTED_KIDS + 16];
	struct nsrun r;

	if (pipe(ready_fd) || pipe(hold_fd))
		gt_die("pipe");
	r.init = gt_spawn(preempted_init, NULL, CLONE_NEWPID);
	close(ready_fd[1]);
	close(hold_fd[0]);
	r.ready = ready_fd[0];
	r.hold = hold_fd[1];
	r.inum = inum_of(r.init);
	if (read(r.ready, &rounds, sizeof(rounds)) != sizeof(rounds))
		gt_die("the waiter did not report");
	msleep(500);	/* the spinners are done and blocked */
	n = ns_pids(r.inum, pids, PREEMPTED_KIDS + 16);
	for (i = 0; i < n; i++)
		schedstat_of(pids[i], &delay, &pcount);
	if (nsmon_wait_keys(r.inum, &w) || !w.found) {
		check(false, "wait: /proc/nsmon/%" PRIu64 " has wait_ns",
		      r.inum);
		stop_ns(&r);
		return;
	}
	diag("wait: %d stop/continue rounds over %d processes: pcount %"
	     PRIu64 ", histogram count %" PRIu64, rounds, n, pcount, w.count);
	sanity(n == PREEMPTED_KIDS + 3,
	       "wait: the waiter's namespace has its %d processes (%d)",
	       PREEMPTED_KIDS + 3, n);
	check(w.wait_ns == delay && w.count == pcount,
	      "wait: a waiter preempted before it sleeps: wait_ns %" PRIu64
	      " == run_delay %" PRIu64 ", histogram count %" PRIu64
	      " == pcount %" PRIu64, w.wait_ns, delay, w.count, pcount);
	stop_ns(&r);
}

int main(void)
{
	sh = gt_shared(sizeof(*sh));
	test_preempted();
	test_exact();
	test_pinned();
	test_monotonic();
	return gt_failures != 0;
}
