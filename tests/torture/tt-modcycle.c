// SPDX-License-Identifier: GPL-2.0
/*
 * tt-modcycle: load and unload nsmon CYCLES times while WORKERS workers
 * fork, exit, create and join threads, switch context and make short-lived
 * namespaces, three PID namespaces deep.  Then check that the module, loaded
 * once more, still counts exactly.
 *
 *   tt-modcycle KO CYCLES WORKERS
 *
 * Every load runs nsmon's walk of the existing tasks while they fork and
 * exit; every unload tears down probes, /proc files and the table under
 * the same storm.  The debug kernel watches for use-after-free (KASAN),
 * lock order (lockdep), RCU misuse and sleeping in atomic context.
 */
#include "tt-worker.h"

static char buf[1 << 20];
static unsigned int listed[8192];

static int listed_has(int n, unsigned int inum)
{
	return bsearch(&inum, listed, n, sizeof(*listed), tt_cmp_uint) != NULL;
}

int main(int argc, char **argv)
{
	int cycles, nw, c, i, l, loads = 0, load_fail = 0, unload_fail = 0;
	int missing = 0, garbage = 0, checks = 0, err;
	unsigned long long a[TT_MAX_WORKERS][TT_NKEYS], b[TT_NKEYS];
	struct tt_wstat sa[TT_MAX_WORKERS];
	pid_t pids[TT_MAX_WORKERS];
	long tasks, procs, rounds = 0, forks = 0, threads = 0, newns = 0;
	long pp = 0, errors = 0;
	struct tt_shared *sh;
	const char *ko;
	double t0, t1;

	if (argc != 4) {
		fprintf(stderr, "usage: tt-modcycle KO CYCLES WORKERS\n");
		return 2;
	}
	ko = argv[1];
	cycles = atoi(argv[2]);
	nw = atoi(argv[3]);
	if (nw < 1 || nw > TT_MAX_WORKERS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (tt_loaded() && tt_rmmod())
		tt_die("rmmod of a module loaded before the test");
	sh = tt_shared_new();
	sh->newns_every = 4;
	for (i = 0; i < nw; i++)
		pids[i] = tt_worker_start(sh, i);
	if (tt_workers_wait_started(sh, nw, 60)) {
		tt_result(0, "modcycle: %d workers three namespaces deep started",
			  nw);
		tt_workers_stop(sh, pids, nw);
		return 1;
	}

	t0 = tt_now();
	for (c = 0; c < cycles; c++) {
		ssize_t n;
		int rows;

		err = tt_insmod(ko);
		if (err) {
			if (load_fail++ < 3)
				tt_diag("cycle %d: insmod: %s", c, strerror(-err));
			continue;
		}
		loads++;
		/* The load-time walk must have found every worker's namespaces. */
		n = tt_read_file("/proc/nsmon/namespaces", buf, sizeof(buf),
				 sizeof(buf));
		if (n < 0) {
			garbage++;
		} else {
			const char *why;

			rows = tt_check_namespaces(buf, n, listed, 8192, &why);
			if (rows < 0) {
				if (garbage++ < 3)
					tt_diag("cycle %d: namespaces: %s", c, why);
			} else {
				for (i = 0; i < nw; i++)
					for (l = 0; l < TT_DEPTH; l++) {
						checks++;
						missing += !listed_has(rows,
							sh->w[i].inum[l]);
					}
			}
		}
		err = tt_rmmod();
		if (err && unload_fail++ < 3)
			tt_diag("cycle %d: rmmod: %s", c, strerror(-err));
	}
	t1 = tt_now();
	tt_result(!load_fail && !unload_fail && loads == cycles,
		  "modcycle: %d insmod/rmmod cycles while %d workers ran (%d load and %d unload failures; %.1f s, %.0f ms per cycle)",
		  loads, nw, load_fail, unload_fail, t1 - t0,
		  cycles ? (t1 - t0) * 1000 / cycles : 0.0);
	tt_result(!missing && !garbage && checks == loads * nw * TT_DEPTH,
		  "modcycle: every load found all %d worker namespaces (%d checks, %d missing, %d bad tables)",
		  nw * TT_DEPTH, checks, missing, garbage);

	/*
	 * The namespaces lived through all those loads.  Load once more with
	 * the workers paused, so that the walk counts them exactly, and
	 * compare with /proc.
	 */
	if (tt_workers_pause(sh, nw, 60))
		tt_result(0, "modcycle: workers paused");
	err = tt_insmod(ko);
	tt_result(!err, "modcycle: insmod after the cycles%s%s",
		  err ? ": " : "", err ? strerror(-err) : "");
	for (i = 0; i < nw; i++) {
		int good = 1;

		for (l = 0; l < TT_DEPTH; l++) {
			unsigned long long *v = l == TT_DEPTH - 1 ? a[i] : b;

			if (!tt_ns_matches_proc(sh->w[i].inum[l], v, &tasks,
						&procs, 3)) {
				good = 0;
				tt_diag("worker %d level %d ns %u: tasks %lld processes %lld, /proc has %ld and %ld",
					i, l + 1, sh->w[i].inum[l],
					(long long)v[K_TASKS],
					(long long)v[K_PROCESSES], tasks, procs);
			}
		}
		tt_result(good, "modcycle: worker %d: tasks and processes of its %d namespaces match /proc after the cycles",
			  i, TT_DEPTH);
		sa[i] = sh->w[i];
	}

	/*
	 * Let them work for a while, pause again: what each namespace gained
	 * must be exactly what its worker did, and every exit accounted.
	 */
	tt_workers_resume(sh);
	sleep(3);
	if (tt_workers_pause(sh, nw, 60))
		tt_result(0, "modcycle: workers paused again");
	for (i = 0; i < nw; i++) {
		struct tt_wstat *w = &sh->w[i];
		long df = w->forks - sa[i].forks;
		long dt = w->threads - sa[i].threads;
		int good;

		good = tt_ns_matches_proc(w->inum[TT_DEPTH - 1], b, &tasks,
					  &procs, 3);
		good = good && (long)(b[K_FORKS] - a[i][K_FORKS]) == df &&
		       (long)(b[K_THREADS] - a[i][K_THREADS]) == dt &&
		       (long)(b[K_EXITS] - a[i][K_EXITS]) == df + dt &&
		       b[K_TASKS] == a[i][K_TASKS];
		tt_result(good && df > 0 && dt > 0,
			  "modcycle: worker %d: its namespace counted exactly its %ld forks, %ld threads and %ld exits (got +%lld, +%lld, +%lld; tasks %lld)",
			  i, df, dt, df + dt,
			  (long long)(b[K_FORKS] - a[i][K_FORKS]),
			  (long long)(b[K_THREADS] - a[i][K_THREADS]),
			  (long long)(b[K_EXITS] - a[i][K_EXITS]),
			  (long long)b[K_TASKS]);
	}
	/* The namespaces the workers made meanwhile are all gone again. */
	tt_check_table_matches_live("modcycle", 3);

	for (i = 0; i < nw; i++) {
		rounds += sh->w[i].rounds;
		forks += sh->w[i].forks;
		threads += sh->w[i].threads;
		newns += sh->w[i].newns;
		pp += sh->w[i].pingpongs;
		errors += sh->w[i].errors;
	}
	i = tt_workers_stop(sh, pids, nw);
	tt_result(!i && !errors, "modcycle: workers ran and stopped cleanly (%d bad exits, %ld errors)",
		  i, errors);
	err = tt_rmmod();
	tt_result(!err, "modcycle: final rmmod%s%s", err ? ": " : "",
		  err ? strerror(-err) : "");
	tt_diag("modcycle achieved: %d load/unload cycles in %.1f s; %d workers x %d namespaces deep: %ld rounds, %ld forks, %ld threads, %ld pipe round trips, %ld short-lived namespaces",
		loads, t1 - t0, nw, TT_DEPTH, rounds, forks, threads, pp,
		newns);
	return tt_failures ? 1 : 0;
}
