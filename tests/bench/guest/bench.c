// SPDX-License-Identifier: GPL-2.0
/*
 * bench.c - the workloads of `make bench` (tests/bench/), run in the guest.
 *
 *   bench noop
 *	exit 0 at once: the trivial static binary of the exec workload
 *   bench run WORKLOAD MODE RUN OPS [nested]
 *	time OPS operations of WORKLOAD and print
 *	  BENCH <workload>[-nested] <mode> <run> <ns_per_op> <ops> <total_ns>
 *	        <switches_per_op>
 *	WORKLOAD: pingpong (round trip over two pipes, 2 switches),
 *	pingpong-xns (the same, the peer in another PID namespace, so that
 *	tasks of two namespaces share the CPU), fork (fork+exit+wait),
 *	exec (fork+exec of "bench noop"+wait).  With "nested", the workload
 *	runs as init of a PID namespace nested two deep.
 *	Everything is pinned to one CPU (BENCH_CPU, default 0).
 *   bench scale MODE K T READS
 *	make K PID namespaces, each with a sleeping init and T-1 sleeping
 *	children, and print the /proc/meminfo deltas
 *	  MEM <mode> <K> <T> <slab_kb> <sunreclaim_kb> <percpu_kb> <setup_ns>
 *	      <slab_active_bytes>
 *	then, if /proc/nsmon exists, time READS whole reads of
 *	/proc/nsmon/namespaces and /proc/nsmon/pids and print for each file
 *	  READ <file> <K> <T> <median_ns> <min_ns> <max_ns> <bytes> <lines>
 *	then kill the namespaces.
 *
 * Times are guest CLOCK_MONOTONIC; under QEMU -icount shift=0 one guest
 * nanosecond is one guest instruction, so they repeat from run to run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char self[4096];

static void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* fork() into a new PID namespace: the child is its init. */
static pid_t fork_newpid(void)
{
	return (pid_t)syscall(SYS_clone, CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0);
}

static void pin(void)
{
	const char *s = getenv("BENCH_CPU");
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(s ? atoi(s) : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity");
}

static int reap(pid_t p)
{
	int st;

	while (waitpid(p, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	return st;
}

static void pingpong(long ops, int xns)
{
	int a[2], b[2];
	char c = 0;
	pid_t p;
	long i;

	if (pipe(a) || pipe(b))
		die("pipe");
	p = xns ? fork_newpid() : fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		close(a[1]);
		close(b[0]);
		for (;;) {
			if (read(a[0], &c, 1) != 1)
				_exit(0);
			if (write(b[1], &c, 1) != 1)
				_exit(1);
		}
	}
	close(a[0]);
	close(b[1]);
	for (i = 0; i < ops; i++) {
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			die("pingpong");
	}
	close(a[1]);
	reap(p);
	close(b[0]);
}

/* fork+exit+wait, or with @exec fork+exec of "bench noop"+wait, @ops times. */
static void forks(long ops, int exec)
{
	char *argv[] = { "bench", "noop", NULL };
	char *envp[] = { NULL };
	long i;
	pid_t p;

	for (i = 0; i < ops; i++) {
		p = fork();
		if (p < 0)
			die("fork");
		if (p == 0) {
			if (exec)
				execve(self, argv, envp);
			_exit(exec ? 127 : 0);
		}
		if (reap(p) != 0) {
			fprintf(stderr, "bench: child (exec %d of %s) failed\n",
				exec, self);
			exit(1);
		}
	}
}

/* Context switches of this process and its reaped children so far. */
static long long switches(void)
{
	struct rusage self, kids;

	if (getrusage(RUSAGE_SELF, &self) || getrusage(RUSAGE_CHILDREN, &kids))
		die("getrusage");
	return (long long)self.ru_nvcsw + self.ru_nivcsw + kids.ru_nvcsw +
	       kids.ru_nivcsw;
}

static int run(const char *w, const char *mode, const char *runid, long ops,
	       int nested)
{
	long long t0, t, sw0 = 0;

	pin();
	if (nested) {
		/* Two levels down: init of ns1 makes ns2, whose init runs it. */
		int lvl;

		for (lvl = 0; lvl < 2; lvl++) {
			pid_t p = fork_newpid();

			if (p < 0)
				die("clone(CLONE_NEWPID)");
			if (p > 0) {
				int st = reap(p);

				fflush(stdout);
				_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
			}
		}
	}
	/* Warm up (page cache, slab) outside the timed loop. */
	t0 = now_ns();
	if (!strcmp(w, "pingpong") || !strcmp(w, "pingpong-xns")) {
		int xns = w[8] == '-';

		pingpong(ops / 10 + 1, xns);
		sw0 = switches();
		t0 = now_ns();
		pingpong(ops, xns);
	} else if (!strcmp(w, "fork") || !strcmp(w, "exec")) {
		int exec = w[0] == 'e';

		forks(ops / 10 + 1, exec);
		sw0 = switches();
		t0 = now_ns();
		forks(ops, exec);
	} else {
		fprintf(stderr, "bench: unknown workload %s\n", w);
		return 2;
	}
	t = now_ns() - t0;
	printf("BENCH %s%s %s %s %.1f %ld %lld %.2f\n", w,
	       nested ? "-nested" : "", mode, runid, (double)t / ops, ops, t,
	       (double)(switches() - sw0) / ops);
	fflush(stdout);
	return 0;
}

/* kB of a /proc/meminfo field. */
static long meminfo(const char *field)
{
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = atol(line + n + 1);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Bytes in allocated slab objects: the sum over /proc/slabinfo of
 * active_objs * objsize.  Finer than meminfo's Slab, which counts pages.
 */
static long long slab_active_bytes(void)
{
	char line[512], name[64];
	long long sum = 0;
	long active, total, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		die("/proc/slabinfo");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &active, &total,
			   &size) == 4)
			sum += (long long)active * size;
	fclose(f);
	return sum;
}

static void settle(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3\n", 2) < 0) { /* not fatal */ }
		close(fd);
	}
	usleep(200000);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static void time_read(const char *file, int k, int t, int reads)
{
	static char buf[1 << 16];
	long long *ts = calloc(reads, sizeof(*ts));
	long bytes = 0, lines = 0;
	int i;

	for (i = 0; i < reads; i++) {
		long long t0 = now_ns();
		int fd = open(file, O_RDONLY);
		ssize_t n;

		if (fd < 0)
			die(file);
		bytes = lines = 0;
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			bytes += n;
			for (ssize_t j = 0; j < n; j++)
				lines += buf[j] == '\n';
		}
		if (n < 0)
			die(file);
		close(fd);
		ts[i] = now_ns() - t0;
	}
	qsort(ts, reads, sizeof(*ts), cmp_ll);
	printf("READ %s %d %d %lld %lld %lld %ld %ld\n", strrchr(file, '/') + 1,
	       k, t, ts[reads / 2], ts[0], ts[reads - 1], bytes, lines);
	fflush(stdout);
	free(ts);
}

static int scale(const char *mode, int k, int t, int reads)
{
	long slab0, sunr0, pcpu0;
	long long active0;
	long long t0, setup;
	pid_t *inits = calloc(k, sizeof(pid_t));
	int ready[2];
	char c;
	int i;

	if (pipe(ready))
		die("pipe");
	settle();
	slab0 = meminfo("Slab");
	sunr0 = meminfo("SUnreclaim");
	pcpu0 = meminfo("Percpu");
	active0 = slab_active_bytes();
	t0 = now_ns();
	for (i = 0; i < k; i++) {
		pid_t p = fork_newpid();

		if (p < 0)
			die("clone(CLONE_NEWPID)");
		if (p == 0) {
			int j;

			close(ready[0]);
			for (j = 1; j < t; j++) {
				pid_t q = fork();

				if (q < 0)
					die("fork in namespace");
				if (q == 0)
					for (;;)
						pause();
			}
			if (write(ready[1], "x", 1) != 1)
				die("ready");
			for (;;)
				pause();
		}
		inits[i] = p;
	}
	for (i = 0; i < k; i++)
		if (read(ready[0], &c, 1) != 1)
			die("ready");
	setup = now_ns() - t0;
	settle();
	printf("MEM %s %d %d %ld %ld %ld %lld %lld\n", mode, k, t,
	       meminfo("Slab") - slab0, meminfo("SUnreclaim") - sunr0,
	       meminfo("Percpu") - pcpu0, setup,
	       slab_active_bytes() - active0);
	fflush(stdout);
	if (access("/proc/nsmon/namespaces", R_OK) == 0) {
		time_read("/proc/nsmon/namespaces", k, t, reads);
		time_read("/proc/nsmon/pids", k, t, reads);
	}
	for (i = 0; i < k; i++)
		kill(inits[i], SIGKILL);
	for (i = 0; i < k; i++)
		reap(inits[i]);
	free(inits);
	return 0;
}

int main(int argc, char **argv)
{
	ssize_t n;

	if (argc >= 2 && !strcmp(argv[1], "noop"))
		return 0;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		die("readlink /proc/self/exe");
	self[n] = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 6 && !strcmp(argv[1], "run"))
		return run(argv[2], argv[3], argv[4], atol(argv[5]),
			   argc >= 7 && !strcmp(argv[6], "nested"));
	if (argc == 6 && !strcmp(argv[1], "scale"))
		return scale(argv[2], atoi(argv[3]), atoi(argv[4]),
			     atoi(argv[5]));
	fprintf(stderr, "usage: bench noop | run WORKLOAD MODE RUN OPS [nested] | scale MODE K T READS\n");
	return 2;
}
