// SPDX-License-Identifier: GPL-2.0
/*
 * tt-nsflood: create and destroy TOTAL PID namespaces with CREATORS
 * processes while READERS processes loop over /proc/nsmon/namespaces,
 * /proc/nsmon/pids and the /proc/nsmon/<inum> files of namespaces that
 * come and go.  A file may vanish while it is opened or read: that must
 * end in ENOENT (at open), EIO (read after removal) or a consistent file,
 * never in garbage.  A worker three namespaces deep lives through it all;
 * afterwards its counters must still be exact.
 *
 *   tt-nsflood KO TOTAL CREATORS READERS
 */
#include "tt-worker.h"

#define MAX_PROCS 16

struct rstat {
	long ns_tables, ns_rows, pid_tables, pid_rows;
	long files_full, files_enoent, files_eio, files_short, garbage;
	long other_errors;
};

struct flood {
	int stop_readers;
	long created, failed;
	struct rstat r[MAX_PROCS];
};

static struct flood *fl;

static const size_t chunks[] = { 1, 64, 512, 4096, 65536 };

static void garbage(struct rstat *r, const char *what, const char *why,
		    const char *text, size_t len)
{
	r->garbage++;
	if (r->garbage <= 3)
		tt_diag("reader %d: %s: %s: \"%.*s\"", (int)(r - fl->r), what,
			why, (int)(len > 200 ? 200 : len), text);
}

static void reader(struct rstat *r)
{
	static char buf[1 << 20];
	static unsigned int inums[8192];
	unsigned int seed = getpid();
	int rows = 0, i;

	while (!TT_LOAD(fl->stop_readers)) {
		size_t chunk = chunks[tt_rand(&seed) % 5];
		const char *why;
		ssize_t n;
		int k;

		n = tt_read_file("/proc/nsmon/namespaces", buf, sizeof(buf),
				 chunk);
		if (n < 0) {
			r->other_errors++;
		} else {
			k = tt_check_namespaces(buf, n, inums, 8192, &why);
			if (k < 0) {
				garbage(r, "namespaces", why, buf, n);
			} else {
				rows = k < 8192 ? k : 8192;
				r->ns_tables++;
				r->ns_rows += k;
			}
		}

		chunk = chunks[tt_rand(&seed) % 5];
		n = tt_read_file("/proc/nsmon/pids", buf, sizeof(buf), chunk);
		if (n < 0) {
			r->other_errors++;
		} else {
			k = tt_check_pids(buf, n, &why);
			if (k < 0) {
				garbage(r, "pids", why, buf, n);
			} else {
				r->pid_tables++;
				r->pid_rows += k;
			}
		}

		/* A few per-namespace files, likely to vanish under us. */
		for (i = 0; rows && i < 4; i++) {
			unsigned int inum = inums[tt_rand(&seed) % rows];
			unsigned long long v[TT_NKEYS];
			char path[64];

			snprintf(path, sizeof(path), "/proc/nsmon/%u", inum);
			chunk = chunks[tt_rand(&seed) % 3];
			n = tt_read_file(path, buf, 4096, chunk);
			if (n == -ENOENT) {
				r->files_enoent++;
				continue;
			}
			if (n == -EIO) {
				r->files_eio++;
				continue;
			}
			if (n < 0) {
				r->other_errors++;
				if (r->other_errors <= 3)
					tt_diag("reader: %s: %s", path,
						strerror(-n));
				continue;
			}
			k = tt_parse_ns_file(buf, n, v, 1, &why);
			if (k < 0) {
				garbage(r, path, why, buf, n);
			} else if (k > 0 && v[K_INUM] != inum) {
				garbage(r, path, "the file of another namespace",
					buf, n);
			} else if (k == TT_NKEYS) {
				r->files_full++;
			} else {
				r->files_short++;
			}
		}
	}
}

/* Make @count namespaces, one after the other, of varied lifetimes. */
static void creator(int id, long count)
{
	unsigned int seed = getpid() * 31 + id;
	long j;
	int st;

	for (j = 0; j < count; j++) {
		unsigned int r = tt_rand(&seed);
		pid_t p = tt_fork_newpid();

		if (p < 0) {
			__atomic_add_fetch(&fl->failed, 1, __ATOMIC_SEQ_CST);
			usleep(10000);
			continue;
		}
		if (p == 0) {
			/* The new namespace's init. */
			if (r % 4 == 0) {
				pid_t q = fork();

				if (q == 0)
					_exit(0);
				if (q > 0)
					waitpid(q, &st, 0);
			}
			if (r % 50 == 0)
				usleep(300000);	/* long enough for its file */
			else if (r % 2)
				usleep(r % 5000);
			_exit(0);
		}
		while (waitpid(p, &st, 0) < 0 && errno == EINTR)
			;
		__atomic_add_fetch(&fl->created, 1, __ATOMIC_SEQ_CST);
	}
}

int main(int argc, char **argv)
{
	pid_t survivor, creators[MAX_PROCS], readers[MAX_PROCS];
	int total, nc, nr, i, l, st, err, bad = 0;
	struct rstat sum = { 0 };
	struct tt_shared *sh;
	struct tt_wstat *w;
	double t0, t1;
	const char *ko;

	if (argc != 5) {
		fprintf(stderr, "usage: tt-nsflood KO TOTAL CREATORS READERS\n");
		return 2;
	}
	ko = argv[1];
	total = atoi(argv[2]);
	nc = atoi(argv[3]);
	nr = atoi(argv[4]);
	if (nc < 1 || nc > MAX_PROCS || nr < 0 || nr > MAX_PROCS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	fl = mmap(NULL, sizeof(*fl), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (fl == MAP_FAILED)
		tt_die("mmap");
	memset(fl, 0, sizeof(*fl));

	/* A fresh load, so that the survivor's namespaces postdate it. */
	if (tt_loaded() && tt_rmmod())
		tt_die("rmmod of a module loaded before the test");
	err = tt_insmod(ko);
	if (err) {
		errno = -err;
		tt_die("insmod %s", ko);
	}
	sh = tt_shared_new();
	survivor = tt_worker_start(sh, 0);
	w = &sh->w[0];
	if (tt_workers_wait_started(sh, 1, 60))
		tt_result(0, "nsflood: survivor started");

	for (i = 0; i < nr; i++) {
		readers[i] = fork();
		if (readers[i] == 0) {
			reader(&fl->r[i]);
			_exit(0);
		}
	}
	t0 = tt_now();
	for (i = 0; i < nc; i++) {
		creators[i] = fork();
		if (creators[i] == 0) {
			creator(i, total / nc + (i < total % nc));
			_exit(0);
		}
	}
	for (i = 0; i < nc; i++)
		if (waitpid(creators[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad++;
	t1 = tt_now();
	TT_STORE(fl->stop_readers, 1);
	for (i = 0; i < nr; i++) {
		if (waitpid(readers[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad++;
		sum.ns_tables += fl->r[i].ns_tables;
		sum.ns_rows += fl->r[i].ns_rows;
		sum.pid_tables += fl->r[i].pid_tables;
		sum.pid_rows += fl->r[i].pid_rows;
		sum.files_full += fl->r[i].files_full;
		sum.files_enoent += fl->r[i].files_enoent;
		sum.files_eio += fl->r[i].files_eio;
		sum.files_short += fl->r[i].files_short;
		sum.garbage += fl->r[i].garbage;
		sum.other_errors += fl->r[i].other_errors;
	}

	tt_result(fl->created == total && !fl->failed && !bad,
		  "nsflood: %ld PID namespaces created and destroyed by %d processes in %.1f s (%.0f per second; %ld clone failures)",
		  fl->created, nc, t1 - t0,
		  t1 > t0 ? fl->created / (t1 - t0) : 0.0, fl->failed);
	tt_result(!sum.garbage && !sum.other_errors && sum.ns_tables &&
		  sum.pid_tables && (nr == 0 || sum.files_full),
		  "nsflood: %d readers never saw garbage: %ld namespaces tables (%ld rows), %ld pids tables (%ld rows), per-namespace files: %ld whole, %ld ENOENT at open, %ld EIO mid-read, %ld consistent short, %ld garbage, %ld other errors",
		  nr, sum.ns_tables, sum.ns_rows, sum.pid_tables, sum.pid_rows,
		  sum.files_full, sum.files_enoent, sum.files_eio,
		  sum.files_short, sum.garbage, sum.other_errors);

	/* Every dead namespace is gone from the table, none is missing. */
	tt_check_table_matches_live("nsflood", 3);

	/*
	 * The survivor's namespaces were made after insmod, so their counters
	 * obey tasks == forks + threads - exits exactly, and match what the
	 * worker did: level 3 had its init plus the worker's forks.
	 */
	if (tt_workers_pause(sh, 1, 60))
		tt_result(0, "nsflood: survivor paused");
	for (l = 0; l < TT_DEPTH; l++) {
		unsigned long long v[TT_NKEYS];
		long tasks, procs;
		int good, bottom = l == TT_DEPTH - 1;
		long xf = bottom ? 1 + w->forks : 1;
		long xt = bottom ? w->threads : 0;

		good = tt_ns_matches_proc(w->inum[l], v, &tasks, &procs, 3);
		good = good &&
		       v[K_TASKS] == v[K_FORKS] + v[K_THREADS] - v[K_EXITS] &&
		       (long)v[K_FORKS] == xf && (long)v[K_THREADS] == xt &&
		       (long)v[K_EXITS] == xf + xt - 1 && v[K_EXECS] == 0 &&
		       v[K_LEVEL] == (unsigned long long)l + 1;
		tt_result(good,
			  "nsflood: survivor level %d (ns %u): tasks %lld == forks %lld + threads %lld - exits %lld, /proc has %ld tasks, %ld processes; expected forks %ld threads %ld",
			  l + 1, w->inum[l], (long long)v[K_TASKS],
			  (long long)v[K_FORKS], (long long)v[K_THREADS],
			  (long long)v[K_EXITS], tasks, procs, xf, xt);
	}
	i = tt_workers_stop(sh, &survivor, 1);
	tt_result(!i && !w->errors, "nsflood: survivor stopped cleanly");
	tt_diag("nsflood achieved: %ld namespaces in %.1f s by %d creators; %d readers: %ld namespaces tables, %ld pids tables, %ld per-namespace files read (%ld vanished at open, %ld mid-read); survivor: %ld rounds, %ld forks, %ld threads",
		fl->created, t1 - t0, nc, nr, sum.ns_tables, sum.pid_tables,
		sum.files_full + sum.files_enoent + sum.files_eio +
		sum.files_short, sum.files_enoent, sum.files_eio, w->rounds,
		w->forks, w->threads);
	return tt_failures ? 1 : 0;
}
