// SPDX-License-Identifier: GPL-2.0
/*
 * tt-hammer: many concurrent users of /proc/nsmon for SECONDS seconds.
 * THREADS threads, half of them reading files one byte at a time with
 * lseek() in between, half of them using /proc/nsmon/lookup with valid and
 * invalid requests, while a churn process makes and destroys namespaces.
 *
 *   tt-hammer KO SECONDS THREADS
 *
 * Ground truth: a worker three namespaces deep, paused (blocked in a
 * futex) the whole time, so its per-namespace files are byte-for-byte
 * stable and every task in it has known numbers at every level, read from
 * /proc/<pid>/status.  A byte read one at a time must equal the same byte
 * read in one go; a lookup answer must be exactly what /proc says.
 */
#include "tt-worker.h"

#define MAX_THREADS	32
#define MAX_GT		64

struct gt {			/* one (namespace, number) -> task fact */
	unsigned int inum;
	int nr, pid, tgid;
	char comm[32];
};

static struct gt gts[MAX_GT];
static int ngt;
static char refs[TT_DEPTH][4096];
static size_t reflen[TT_DEPTH];
static unsigned int ns_inum[TT_DEPTH];
static volatile int stop;
static struct {
	int churn_inum;
	long churned;
} *churn;

struct tstat {
	long bytes, lseeks, exact, tables, mismatch;
	long valid, einval, enoent, esrch, churn_ok, churn_gone, wrong;
};

static struct tstat ts[MAX_THREADS];

static void fail(struct tstat *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct tstat *s, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	s->wrong++;
	if (s->wrong > 3)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tt_diag("thread %d: %s", (int)(s - ts), msg);
}

/*
 * Read @path one byte at a time; now and then seek back (anywhere in a
 * stable file, to 0 in a table that may change meanwhile) and go on from
 * there.  Returns the length, or -errno.
 */
static ssize_t read_bytewise(struct tstat *s, unsigned int *seed,
			     const char *path, char *buf, size_t size,
			     int stable)
{
	size_t len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), seeks = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n;

		/* At most two seeks per pass, or a long file never ends. */
		if (len > 0 && seeks < 2 && tt_rand(seed) % 40 == 0) {
			seeks++;
			off_t to = stable ? tt_rand(seed) % (len + 1) : 0;

			if (lseek(fd, to, SEEK_SET) != to) {
				close(fd);
				return -errno;
			}
			len = to;
			s->lseeks++;
		}
		if (len >= size - 1)
			break;
		n = read(fd, buf + len, 1);
		if (n < 0) {
			int err = errno;

			close(fd);
			return -err;
		}
		if (n == 0)
			break;
		len++;
		s->bytes++;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

static void *bytes_thread(void *arg)
{
	struct tstat *s = arg;
	unsigned int seed = (unsigned int)(s - ts) * 2654435761U + 1;
	static __thread char buf[1 << 17];

	while (!stop) {
		unsigned int pick = tt_rand(&seed) % 5;
		const char *why;
		char path[64];
		ssize_t n;

		if (pick < 2) {
			int l = tt_rand(&seed) % TT_DEPTH;

			snprintf(path, sizeof(path), "/proc/nsmon/%u",
				 ns_inum[l]);
			n = read_bytewise(s, &seed, path, buf, sizeof(buf), 1);
			if (n != (ssize_t)reflen[l] || memcmp(buf, refs[l], n)) {
				s->mismatch++;
				fail(s, "%s read bytewise differs from one read (%zd bytes, expected %zu)",
				     path, n, reflen[l]);
			} else {
				s->exact++;
			}
		} else if (pick == 2) {
			n = read_bytewise(s, &seed, "/proc/nsmon/namespaces",
					  buf, sizeof(buf), 0);
			if (n < 0 || tt_check_namespaces(buf, n, NULL, 0, &why) < 0) {
				s->mismatch++;
				fail(s, "namespaces read bytewise: %s",
				     n < 0 ? strerror(-n) : why);
			} else {
				s->tables++;
			}
		} else if (pick == 4) {
			n = read_bytewise(s, &seed, "/proc/nsmon/containers",
					  buf, sizeof(buf), 0);
			if (n < 0 || tt_check_containers(buf, n, &why) < 0) {
				s->mismatch++;
				fail(s, "containers read bytewise: %s",
				     n < 0 ? strerror(-n) : why);
			} else {
				s->tables++;
			}
		} else {
			n = read_bytewise(s, &seed, "/proc/nsmon/pids", buf,
					  sizeof(buf), 0);
			if (n < 0 || tt_check_pids(buf, n, &why) < 0) {
				s->mismatch++;
				fail(s, "pids read bytewise: %s",
				     n < 0 ? strerror(-n) : why);
			} else {
				s->tables++;
			}
		}
	}
	return NULL;
}

/* Requests that must fail with EINVAL: not "<inum> <nr>" exactly. */
static const struct {
	const char *s;
	size_t len;
} bad[] = {
	{ "\n", 1 }, { "1", 1 }, { "1 ", 2 }, { " 1 1", 4 }, { "1  1", 4 },
	{ "1\t1", 3 }, { "+1 1", 4 }, { "1 -1", 4 }, { "0x1 1", 5 },
	{ "1 1 1", 5 }, { "1 1\n\n", 5 }, { "1 1x", 4 }, { "1 1\r\n", 5 },
	{ "4294967296 1", 12 }, { "1 2147483648", 12 }, { "abc def", 7 },
	{ "1 1\0", 4 },
	/* Over 64 bytes, even though it is otherwise a fine request. */
#define TT_LONG_REQ "0000000000000000000000000000000000000000000000000000000000000000001 1\n"
	{ TT_LONG_REQ, sizeof(TT_LONG_REQ) - 1 },
};

/* Write a request; returns 0 or -errno.  After a failure nothing reads. */
static int ask(int fd, const char *req, size_t len)
{
	ssize_t n = write(fd, req, len);

	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EMSGSIZE;
}

static ssize_t answer(int fd, char *buf, size_t size, int bytewise)
{
	size_t len = 0;
	ssize_t n;

	do {
		n = read(fd, buf + len, bytewise ? 1 : size - 1 - len);
		if (n < 0)
			return -errno;
		len += n;
	} while (n > 0 && len < size - 1);
	buf[len] = '\0';
	return len;
}

static void *lookup_thread(void *arg)
{
	struct tstat *s = arg;
	unsigned int seed = (unsigned int)(s - ts) * 40503U + 7;
	char req[128], want[128], got[256];
	int fd = open("/proc/nsmon/lookup", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		fail(s, "open lookup: %s", strerror(errno));
		return NULL;
	}
	while (!stop) {
		unsigned int pick = tt_rand(&seed) % 10;
		int err, len;
		ssize_t n;

		if (pick < 4) {
			/* A valid request: the answer is what /proc says. */
			const struct gt *g = &gts[tt_rand(&seed) % ngt];

			len = snprintf(req, sizeof(req), "%u %d%s", g->inum,
				       g->nr, tt_rand(&seed) % 2 ? "\n" : "");
			snprintf(want, sizeof(want), "%u %d %d %d %s\n",
				 g->inum, g->nr, g->pid, g->tgid, g->comm);
			err = ask(fd, req, len);
			n = err ? err : answer(fd, got, sizeof(got),
					       tt_rand(&seed) % 2);
			if (n >= 0 && strcmp(got, want) == 0 &&
			    lseek(fd, 0, SEEK_SET) == 0 &&
			    answer(fd, got, sizeof(got), 0) >= 0 &&
			    strcmp(got, want) == 0) {
				s->valid++;
			} else {
				fail(s, "lookup \"%u %d\": got \"%s\" (%s), want \"%s\"",
				     g->inum, g->nr, n >= 0 ? got : "",
				     n >= 0 ? "read" : strerror(-n), want);
			}
		} else if (pick < 6) {
			int b = tt_rand(&seed) % (sizeof(bad) / sizeof(bad[0]));

			err = ask(fd, bad[b].s, bad[b].len);
			n = answer(fd, got, sizeof(got), 0);
			if (err == -EINVAL && n == 0)
				s->einval++;
			else
				fail(s, "malformed request %d: %s, then %zd bytes to read",
				     b, err ? strerror(-err) : "accepted", n);
		} else if (pick < 7) {
			/* No such namespace: 1 is no PID namespace's inode. */
			len = snprintf(req, sizeof(req), "1 %d", 1 + (int)(tt_rand(&seed) % 5));
			err = ask(fd, req, len);
			n = answer(fd, got, sizeof(got), 0);
			if (err == -ENOENT && n == 0)
				s->enoent++;
			else
				fail(s, "\"%s\": %s, then %zd bytes", req,
				     err ? strerror(-err) : "accepted", n);
		} else if (pick < 8) {
			/* No such task: 0, or a number nobody has there. */
			int nr = tt_rand(&seed) % 2 ? 0 : 30000 + (int)(tt_rand(&seed) % 1000);

			len = snprintf(req, sizeof(req), "%u %d",
				       ns_inum[TT_DEPTH - 1], nr);
			err = ask(fd, req, len);
			n = answer(fd, got, sizeof(got), 0);
			if (err == -ESRCH && n == 0)
				s->esrch++;
			else
				fail(s, "\"%s\": %s, then %zd bytes", req,
				     err ? strerror(-err) : "accepted", n);
		} else {
			/* A namespace being born or dying right now. */
			unsigned int inum = TT_LOAD(churn->churn_inum);

			if (!inum)
				continue;
			len = snprintf(req, sizeof(req), "%u 1", inum);
			err = ask(fd, req, len);
			n = err ? err : answer(fd, got, sizeof(got), 0);
			if (!err && n > 0 && strncmp(got, req, len) == 0 &&
			    got[len] == ' ' && got[n - 1] == '\n')
				s->churn_ok++;
			else if (err == -ENOENT || err == -ESRCH)
				s->churn_gone++;
			else
				fail(s, "\"%s\" (churn): %s \"%s\"", req,
				     err ? strerror(-err) : "answered",
				     n > 0 ? got : "");
		}
	}
	close(fd);
	return NULL;
}

/* The ground truth: every (namespace, number) of the survivor's tasks. */
static void collect_gt(void)
{
	unsigned int self = tt_pid_ns_of(getpid());
	DIR *d = opendir("/proc");
	struct dirent *de;

	ngt = 0;
	while (d && (de = readdir(d)) && ngt < MAX_GT - TT_DEPTH - 1) {
		int pid = atoi(de->d_name), l, tgid = 0, nrs[8], nn = 0;
		char path[64], buf[2048], comm[32] = "", *s;
		unsigned int ns = pid > 0 ? tt_pid_ns_of(pid) : 0;

		for (l = 0; l < TT_DEPTH && ns != ns_inum[l]; l++)
			;
		if (l == TT_DEPTH)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		if (tt_read_file(path, buf, sizeof(buf), sizeof(buf)) <= 0)
			continue;
		s = strstr(buf, "Name:\t");
		if (s)
			sscanf(s + 6, "%31[^\n]", comm);
		s = strstr(buf, "\nTgid:\t");
		if (s)
			tgid = atoi(s + 7);
		s = strstr(buf, "\nNSpid:");
		if (!s)
			continue;
		for (s += 7; nn < 8; nn++) {
			char *e;

			nrs[nn] = strtol(s, &e, 10);
			if (e == s)
				break;
			s = e;
		}
		/* nrs[0] is the host PID; nrs[k] the number at level k. */
		gts[ngt++] = (struct gt){ self, pid, pid, tgid, "" };
		strcpy(gts[ngt - 1].comm, comm);
		for (l = 1; l < nn && l <= TT_DEPTH; l++) {
			gts[ngt] = (struct gt){ ns_inum[l - 1], nrs[l], pid, tgid,
						"" };
			strcpy(gts[ngt++].comm, comm);
		}
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	pthread_t th[MAX_THREADS];
	int seconds, nt, i, l, err, st;
	struct tstat sum = { 0 };
	pid_t survivor, churner;
	struct tt_shared *sh;
	const char *ko;

	if (argc != 4) {
		fprintf(stderr, "usage: tt-hammer KO SECONDS THREADS\n");
		return 2;
	}
	ko = argv[1];
	seconds = atoi(argv[2]);
	nt = atoi(argv[3]);
	if (nt < 2 || nt > MAX_THREADS)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (tt_loaded() && tt_rmmod())
		tt_die("rmmod of a module loaded before the test");
	err = tt_insmod(ko);
	if (err) {
		errno = -err;
		tt_die("insmod %s", ko);
	}
	sh = tt_shared_new();
	survivor = tt_worker_start(sh, 0);
	if (tt_workers_wait_started(sh, 1, 60) || tt_workers_pause(sh, 1, 60))
		tt_die("survivor");
	for (l = 0; l < TT_DEPTH; l++) {
		char path[64];
		ssize_t n;

		ns_inum[l] = sh->w[0].inum[l];
		snprintf(path, sizeof(path), "/proc/nsmon/%u", ns_inum[l]);
		/* Its file appears within a second of the namespace. */
		for (i = 0; i < 30; i++) {
			n = tt_read_file(path, refs[l], sizeof(refs[l]), 4096);
			if (n > 0)
				break;
			usleep(100000);
		}
		if (n <= 0) {
			errno = -n;
			tt_die("read %s", path);
		}
		reflen[l] = n;
	}
	collect_gt();
	tt_result(ngt >= 2 * TT_DEPTH,
		  "hammer: ground truth of %d (namespace, number) pairs of the paused survivor's tasks",
		  ngt);
	if (!ngt)
		return 1;

	churn = mmap(NULL, sizeof(*churn), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (churn == MAP_FAILED)
		tt_die("mmap");
	memset(churn, 0, sizeof(*churn));
	churner = fork();
	if (churner == 0) {
		unsigned int seed = getpid();
		double end = tt_now() + seconds;

		while (tt_now() < end) {
			pid_t p = tt_fork_newpid();

			if (p == 0) {
				usleep(tt_rand(&seed) % 20000);
				_exit(0);
			}
			if (p < 0)
				continue;
			TT_STORE(churn->churn_inum, (int)tt_pid_ns_of(p));
			waitpid(p, &st, 0);
			churn->churned++;
		}
		_exit(0);
	}

	for (i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, i % 2 ? lookup_thread : bytes_thread,
			       &ts[i]);
	sleep(seconds);
	stop = 1;
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		sum.bytes += ts[i].bytes;
		sum.lseeks += ts[i].lseeks;
		sum.exact += ts[i].exact;
		sum.tables += ts[i].tables;
		sum.mismatch += ts[i].mismatch;
		sum.valid += ts[i].valid;
		sum.einval += ts[i].einval;
		sum.enoent += ts[i].enoent;
		sum.esrch += ts[i].esrch;
		sum.churn_ok += ts[i].churn_ok;
		sum.churn_gone += ts[i].churn_gone;
		sum.wrong += ts[i].wrong;
	}
	waitpid(churner, &st, 0);

	tt_result(!sum.mismatch && sum.exact && sum.tables,
		  "hammer: %d one-byte readers: %ld bytes read one at a time, %ld lseeks; %ld stable files equal to a single read, %ld tables well-formed, %ld mismatches",
		  (nt + 1) / 2, sum.bytes, sum.lseeks, sum.exact, sum.tables,
		  sum.mismatch);
	tt_result(!sum.wrong && sum.valid && sum.einval && sum.enoent &&
		  sum.esrch,
		  "hammer: %d lookup users: %ld exact answers, %ld EINVAL, %ld ENOENT, %ld ESRCH, %ld answers and %ld ENOENT/ESRCH about %ld churned namespaces, %ld wrong",
		  nt / 2, sum.valid, sum.einval, sum.enoent, sum.esrch,
		  sum.churn_ok, sum.churn_gone, churn->churned, sum.wrong);

	/* Nothing of that changed the survivor's counters. */
	for (l = 0; l < TT_DEPTH; l++) {
		char now[4096];
		ssize_t n;
		char path[64];

		snprintf(path, sizeof(path), "/proc/nsmon/%u", ns_inum[l]);
		n = tt_read_file(path, now, sizeof(now), 4096);
		tt_result(n == (ssize_t)reflen[l] && !memcmp(now, refs[l], n),
			  "hammer: survivor level %d: its file is unchanged by all the reading", l + 1);
	}
	for (l = 0; l < TT_DEPTH; l++) {
		unsigned long long v[TT_NKEYS];
		long tasks, procs;
		int good = tt_ns_matches_proc(ns_inum[l], v, &tasks, &procs, 3);

		tt_result(good && v[K_TASKS] == v[K_FORKS] + v[K_THREADS] - v[K_EXITS],
			  "hammer: survivor level %d: tasks %lld == forks %lld + threads %lld - exits %lld == %ld tasks in /proc",
			  l + 1, (long long)v[K_TASKS], (long long)v[K_FORKS],
			  (long long)v[K_THREADS], (long long)v[K_EXITS], tasks);
	}
	tt_check_table_matches_live("hammer", 3);
	i = tt_workers_stop(sh, &survivor, 1);
	tt_result(!i, "hammer: survivor stopped cleanly");
	tt_diag("hammer achieved in %d s with %d threads: %ld bytes one at a time, %ld lseeks, %ld lookups (%ld valid, %ld invalid), %ld namespaces churned",
		seconds, nt, sum.bytes, sum.lseeks,
		sum.valid + sum.einval + sum.enoent + sum.esrch +
		sum.churn_ok + sum.churn_gone, sum.valid,
		sum.einval + sum.enoent + sum.esrch, churn->churned);
	return tt_failures ? 1 : 0;
}
