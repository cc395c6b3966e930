/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tt-worker.h - the torture workers: a process three PID namespaces deep
 * that forks children which exit, creates and joins threads, switches
 * context through pipes and (optionally) makes short-lived namespaces one
 * level further down, counting everything it did.  The controller pauses
 * the workers to read a quiescent state, and stops them.
 *
 * Control and counters live in shared anonymous memory, inherited across
 * fork() and clone(CLONE_NEWPID).  A paused worker blocks in FUTEX_WAIT, so
 * its namespaces are truly still: no switch, no CPU time, nothing.
 */
#ifndef NSMON_TT_WORKER_H
#define NSMON_TT_WORKER_H

#include "tt.h"		/* first: it defines _GNU_SOURCE */

#include <linux/futex.h>
#include <sys/mman.h>

#define TT_MAX_WORKERS	16
#define TT_DEPTH	3

struct tt_wstat {
	int started;			/* inums are filled in */
	int paused;			/* quiescent, counters final */
	unsigned int seq;		/* bumped at every pause */
	unsigned int inum[TT_DEPTH];	/* [0] level 1 ... [2] level 3 */
	long forks;			/* children forked in its own ns */
	long threads;			/* threads created in its own ns */
	long newns;			/* namespaces made below its own */
	long rounds;
	long pingpongs;			/* byte round trips through pipes */
	long errors;
};

struct tt_shared {
	int pause;			/* futex word: 1 = pause */
	int stop;
	unsigned int newns_every;	/* 0: never make namespaces */
	struct tt_wstat w[TT_MAX_WORKERS];
};

TT_FN struct tt_shared *tt_shared_new(void)
{
	struct tt_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		tt_die("mmap");
	memset(sh, 0, sizeof(*sh));
	return sh;
}

#define TT_LOAD(x)	__atomic_load_n(&(x), __ATOMIC_SEQ_CST)
#define TT_STORE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_SEQ_CST)

static void *tt_thread_fn(void *arg)
{
	int i;

	for (i = 0; i < 3; i++)
		sched_yield();
	usleep(100);
	return arg;
}

/* One ping-pong child: echo @n bytes back, then exit. */
static void tt_pong(int in, int out, int n)
{
	char c;

	while (n-- > 0 && read(in, &c, 1) == 1)
		if (write(out, &c, 1) != 1)
			break;
	_exit(0);
}

/* A namespace one level further down: its init forks once and exits. */
static int tt_make_subns(void)
{
	pid_t p = tt_fork_newpid(), q;
	int st;

	if (p < 0)
		return -1;
	if (p == 0) {
		q = fork();
		if (q == 0)
			_exit(0);
		if (q > 0)
			waitpid(q, &st, 0);
		_exit(0);
	}
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* The inode of the caller's own (active) PID namespace. */
static unsigned int tt_self_ns(void)
{
	struct stat st;

	/* /proc is the host's: self is our PID there, whatever our level. */
	return stat("/proc/self/ns/pid", &st) ? 0 : st.st_ino;
}

/* The bottom of the chain: work until stopped. */
static void tt_work(struct tt_shared *sh, struct tt_wstat *w)
{
	unsigned int seed = getppid() * 7919 + (unsigned int)(w - sh->w);
	int i;

	TT_STORE(w->started, 1);

	while (!TT_LOAD(sh->stop)) {
		int to[2], from[2], n, k;
		pthread_t th[2];
		pid_t kids[2];
		char c = 'x';

		if (TT_LOAD(sh->pause)) {
			/* Everything is reaped and joined: quiescent. */
			usleep(50000);
			TT_STORE(w->paused, 1);
			__atomic_add_fetch(&w->seq, 1, __ATOMIC_SEQ_CST);
			while (TT_LOAD(sh->pause) && !TT_LOAD(sh->stop))
				syscall(SYS_futex, &sh->pause, FUTEX_WAIT, 1,
					NULL, NULL, 0);
			TT_STORE(w->paused, 0);
			continue;
		}
		w->rounds++;

		/* Two children that echo bytes back: forks, exits, switches. */
		for (k = 0; k < 2; k++) {
			n = 4 + tt_rand(&seed) % 8;
			if (pipe(to) || pipe(from)) {
				w->errors++;
				break;
			}
			kids[k] = fork();
			if (kids[k] == 0) {
				close(to[1]);
				close(from[0]);
				tt_pong(to[0], from[1], n);
			}
			close(to[0]);
			close(from[1]);
			if (kids[k] < 0) {
				w->errors++;
			} else {
				w->forks++;
				for (i = 0; i < n; i++)
					if (write(to[1], &c, 1) == 1 &&
					    read(from[0], &c, 1) == 1)
						w->pingpongs++;
				waitpid(kids[k], NULL, 0);
			}
			close(to[1]);
			close(from[0]);
		}

		/* Two threads, created and joined. */
		for (k = 0; k < 2; k++) {
			if (pthread_create(&th[k], NULL, tt_thread_fn, NULL)) {
				th[k] = 0;
				w->errors++;
			} else {
				w->threads++;
			}
		}
		for (k = 0; k < 2; k++)
			if (th[k])
				pthread_join(th[k], NULL);

		if (sh->newns_every && w->rounds % sh->newns_every == 0) {
			if (tt_make_subns())
				w->errors++;
			else
				w->newns++;
		}
	}
}

/*
 * Make @depth nested PID namespaces below the caller, one process each;
 * the deepest runs tt_work().  Each level's init waits for the next.
 */
static int tt_chain(struct tt_shared *sh, struct tt_wstat *w, int depth)
{
	pid_t p = tt_fork_newpid();
	int st;

	if (p < 0)
		return -1;
	if (p == 0) {
		/* The init of the namespace at level TT_DEPTH - depth + 1. */
		w->inum[TT_DEPTH - depth] = tt_self_ns();
		if (depth > 1)
			_exit(tt_chain(sh, w, depth - 1) ? 1 : 0);
		tt_work(sh, w);
		_exit(0);
	}
	while (waitpid(p, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Start worker @i: returns the host PID of the process that owns it. */
TT_FN pid_t tt_worker_start(struct tt_shared *sh, int i)
{
	pid_t p = fork();

	if (p == 0)
		_exit(tt_chain(sh, &sh->w[i], TT_DEPTH) ? 1 : 0);
	if (p < 0)
		tt_die("fork");
	return p;
}

/* Wait until workers [0, n) have started; returns 0 or -1 on timeout. */
TT_FN int tt_workers_wait_started(struct tt_shared *sh, int n, double secs)
{
	double end = tt_now() + secs;
	int i;

	for (i = 0; i < n; i++)
		while (!TT_LOAD(sh->w[i].started)) {
			if (tt_now() > end)
				return -1;
			usleep(10000);
		}
	return 0;
}

/* Pause workers [0, n) and wait until all are quiescent. */
TT_FN int tt_workers_pause(struct tt_shared *sh, int n, double secs)
{
	unsigned int seq[TT_MAX_WORKERS];
	double end = tt_now() + secs;
	int i;

	for (i = 0; i < n; i++)
		seq[i] = TT_LOAD(sh->w[i].seq);
	TT_STORE(sh->pause, 1);
	for (i = 0; i < n; i++)
		while (TT_LOAD(sh->w[i].seq) == seq[i]) {
			if (tt_now() > end)
				return -1;
			usleep(10000);
		}
	return 0;
}

TT_FN void tt_workers_resume(struct tt_shared *sh)
{
	TT_STORE(sh->pause, 0);
	syscall(SYS_futex, &sh->pause, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

/* Stop workers [0, n) (owned by @pids) and reap them. */
TT_FN int tt_workers_stop(struct tt_shared *sh, const pid_t *pids, int n)
{
	int i, st, bad = 0;

	TT_STORE(sh->stop, 1);
	tt_workers_resume(sh);
	for (i = 0; i < n; i++) {
		if (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad++;
	}
	return bad;
}

/*
 * Compare the counters of a quiescent namespace with the ground truth
 * from /proc, waiting up to @secs for the last exits to be accounted
 * (pthread_join() can return a moment before the thread's own exit has
 * gone through sched_process_exit).  Fills v[].  Returns 1 if they match.
 */
TT_FN int tt_ns_matches_proc(unsigned int inum, unsigned long long *v,
			     long *tasks, long *procs, double secs)
{
	double end = tt_now() + secs;

	for (;;) {
		int err = tt_read_ns(inum, v);

		tt_count_ns(inum, tasks, procs);
		if (!err && (long)v[K_TASKS] == *tasks &&
		    (long)v[K_PROCESSES] == *procs)
			return 1;
		if (tt_now() > end) {
			if (err)
				memset(v, 0xff, TT_NKEYS * sizeof(*v));
			return 0;
		}
		usleep(50000);
	}
}

#endif /* NSMON_TT_WORKER_H */
