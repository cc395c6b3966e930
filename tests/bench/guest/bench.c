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
 *	runs as init of a PID namespace nested two deep.  fork-watch and
 *	exec-watch: fork and exec with, when /proc/nsmon/events exists, a
 *	reader following the workload's namespace (filter ns=<its inum>),
 *	pinned to the same CPU and reading whole buffers until the timing
 *	ends: its time is in the figure.  The reader is this program
 *	exec'd as "bench watch-reader FD" (internal).  It prints
 *	  # watch-reader: <lines> lines, <lost> lost
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
 *   bench many K OPS RUNS
 *	with nsmon loaded: as uid 1000 in a user namespace of its own (no
 *	privilege), make K PID namespaces, each with a sleeping init, while
 *	another process reads /proc/nsmon/namespaces and makes lookups in a
 *	loop.  Then, while they live: a whole read of the namespaces table
 *	in 4 KiB read()s (each one a resume), checking that every one of the
 *	K namespaces is in it exactly once; OPS / 4 lookups (write + read)
 *	spread over the K namespaces; RUNS times each without and with nsmon
 *	(rmmod and insmod $NSMON_KO, order rotating), OPS fork+exit+wait.
 *	Then, nsmon loaded, kill them and time until the table has as many
 *	rows as before.  Prints
 *	  MANYFORK <mode> <K> <run> <fork_ns_per_op>
 *	  MANY with <K> <setup_ns> 0 <concurrent_reads>
 *	       <table_ns> <rows> <missing> <duplicates> <lookup_ns_per_op>
 *	       <drain_ns> <rows_before> <rows_after>
 *
 * Times are guest CLOCK_MONOTONIC; under QEMU -icount shift=0 one guest
 * nanosecond is one guest instruction, so they repeat from run to run.
 */
#define _GNU_SOURCE
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

/*
 * The profiler's window markers (tests/bench/profile.sh): with
 * BENCH_PROFILE_SLOT=S (1..15) in the environment, the timed part of a
 * run is between two 8-byte NOPs, "nopl 0x4e53SSWW(%rax,%rax,1)", WW 1
 * for the start and 2 for the stop, which the QEMU plugin
 * tests/bench/profile/tbcount.c recognises.  Without it, no marker.
 */
#if defined(__x86_64__)
#define BENCH_MARK(s, w) \
	__asm__ volatile(".byte 0x0f,0x1f,0x84,0x00," #w "," #s ",0x53,0x4e" \
			 ::: "memory")
#define BENCH_MARK_CASE(s) \
	case s * 4 + 1: BENCH_MARK(s, 1); break; \
	case s * 4 + 2: BENCH_MARK(s, 2); break
static void profile_mark(int what)
{
	const char *e = getenv("BENCH_PROFILE_SLOT");

	switch (e ? atoi(e) * 4 + what : 0) {
	BENCH_MARK_CASE(1); BENCH_MARK_CASE(2); BENCH_MARK_CASE(3);
	BENCH_MARK_CASE(4); BENCH_MARK_CASE(5); BENCH_MARK_CASE(6);
	BENCH_MARK_CASE(7); BENCH_MARK_CASE(8); BENCH_MARK_CASE(9);
	BENCH_MARK_CASE(10); BENCH_MARK_CASE(11); BENCH_MARK_CASE(12);
	BENCH_MARK_CASE(13); BENCH_MARK_CASE(14); BENCH_MARK_CASE(15);
	default: break;
	}
}
#else
static void profile_mark(int what)
{
	(void)what;
}
#endif

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
static __attribute__((noinline)) void forks(long ops, int exec)
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

/*
 * forks() with the stack at the same offset within its page in every
 * run: a fork's copy-on-write faults (a few thousand instructions each)
 * depend on whether the frames the parent and the child touch after
 * fork() straddle a page boundary, which ASLR's random stack offset and
 * the length of argv (the mode's name) would otherwise decide, a fault
 * more or less per fork from one run or mode to the next.
 */
static void forks_aligned(long ops, int exec)
{
	size_t off = (uintptr_t)__builtin_frame_address(0) & 4095;
	char *pad = alloca(off + 512);

	__asm__ volatile("" : : "r"(pad) : "memory");
	forks(ops, exec);
}

static volatile sig_atomic_t watch_stop;

static void watch_term(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/*
 * The reader of the -watch workloads ("bench watch-reader FD", exec'd by
 * watch_reader()): reads FD until SIGTERM, then prints what it read.
 */
static int watch_loop(int fd)
{
	static char buf[1 << 16];
	struct sigaction sa = { .sa_handler = watch_term };
	long long lines = 0, lost = 0;
	char *l, *nl, *end;
	ssize_t n;

	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: read() returns */
	while (!watch_stop) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			continue;
		/*
		 * Whole lines: the buffer is far larger than a line.  Counted
		 * as a reader that keeps or forwards them would find them,
		 * with memchr(), not a byte at a time (that loop cost about
		 * 400 guest instructions a line, in the figure).
		 */
		for (l = buf, end = buf + n; l < end; l = nl + 1) {
			if (*l == 'l' && end - l > 5 && !memcmp(l, "lost ", 5))
				lost += atoll(l + 5);
			nl = memchr(l, '\n', end - l);
			if (!nl)
				nl = end - 1;
			lines++;
		}
	}
	printf("# watch-reader: %lld lines, %lld lost\n", lines, lost);
	fflush(stdout);
	return 0;
}

/* The inode number of this process's PID namespace. */
static unsigned long own_pidns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/pid", &st))
		die("stat /proc/self/ns/pid");
	return (unsigned long)st.st_ino;
}

/*
 * Start the reader of the -watch workloads, pinned to the same CPU,
 * following PID namespace @inum.  0 if there is no events file (no
 * nsmon, or the null module): the workload runs alone.  The reader is a
 * program of its own (this one, exec'd), started outside the workload's
 * namespaces, as a watcher on the host following a container would be:
 * a forked copy that went on sharing the workload's memory made each of
 * its forks dearer (longer anon_vma chains), and one inside the nested
 * namespaces, holding PIDs there, made their PID trees grow and shrink
 * at each fork.
 */
static pid_t watch_reader(unsigned long inum)
{
	char filter[64], fdarg[16];
	char *argv[] = { "bench", "watch-reader", fdarg, NULL };
	pid_t p;
	int fd;

	fd = open("/proc/nsmon/events", O_RDWR);
	if (fd < 0)
		return 0;
	snprintf(filter, sizeof(filter), "ns=%lu", inum);
	if (write(fd, filter, strlen(filter)) < 0)
		die("events filter");
	snprintf(fdarg, sizeof(fdarg), "%d", fd);
	p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		execv(self, argv);
		die("exec bench watch-reader");
	}
	close(fd);
	return p;
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
	int watch = !strcmp(w, "fork-watch") || !strcmp(w, "exec-watch");
	long long t0, t, sw0 = 0;
	int up[2], go[2];
	pid_t reader = 0;

	pin();
	if (watch && !nested)
		reader = watch_reader(own_pidns());
	if (watch && nested && (pipe(up) || pipe(go)))
		die("pipe");
	if (nested) {
		/*
		 * Two levels down: init of ns1 makes ns2, whose init runs it.
		 * With a reader, ns2's init sends its namespace up (pipe up)
		 * and waits (pipe go) until this process, outside, has
		 * started the reader following it.
		 */
		unsigned long inum;
		int lvl;

		for (lvl = 0; lvl < 2; lvl++) {
			pid_t p = fork_newpid();

			if (p < 0)
				die("clone(CLONE_NEWPID)");
			if (p > 0) {
				int st;

				if (watch && lvl == 0) {
					close(up[1]);
					close(go[0]);
					if (read(up[0], &inum, sizeof(inum)) !=
					    sizeof(inum))
						die("read the namespace");
					reader = watch_reader(inum);
					if (write(go[1], "g", 1) != 1)
						die("write go");
					close(up[0]);
					close(go[1]);
				} else if (watch) {
					close(up[0]);
					close(up[1]);
					close(go[0]);
					close(go[1]);
				}
				st = reap(p);
				if (reader > 0) {
					kill(reader, SIGTERM);
					reap(reader);
				}
				fflush(stdout);
				_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 1);
			}
		}
		if (watch) {
			char c;

			close(up[0]);
			close(go[1]);
			inum = own_pidns();
			if (write(up[1], &inum, sizeof(inum)) != sizeof(inum) ||
			    read(go[0], &c, 1) != 1)
				die("pipe to the reader's starter");
			close(up[1]);
			close(go[0]);
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
	} else if (!strcmp(w, "fork") || !strcmp(w, "exec") ||
		   !strcmp(w, "fork-watch") || !strcmp(w, "exec-watch")) {
		int exec = w[0] == 'e';

		forks_aligned(ops / 10 + 1, exec);
		sw0 = switches();
		profile_mark(1);
		t0 = now_ns();
		forks_aligned(ops, exec);
		profile_mark(2);
	} else {
		fprintf(stderr, "bench: unknown workload %s\n", w);
		return 2;
	}
	t = now_ns() - t0;
	sw0 = switches() - sw0;
	if (reader > 0) {
		kill(reader, SIGTERM);
		reap(reader);
	}
	printf("BENCH %s%s %s %s %.1f %ld %lld %.2f\n", w,
	       nested ? "-nested" : "", mode, runid, (double)t / ops, ops, t,
	       (double)sw0 / ops);
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

static int cmp_uint(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? -1 : x > y;
}

/*
 * Read the namespaces table whole, @chunk bytes per read(); return the
 * number of rows and put their inums (sorted) into @out (size @max).
 */
static long read_table(unsigned int *out, long max, size_t chunk)
{
	static char buf[1 << 16];
	char line[512];
	size_t ll = 0;
	long rows = 0;
	int header = 1;
	ssize_t n;
	int fd = open("/proc/nsmon/namespaces", O_RDONLY);

	if (fd < 0)
		die("/proc/nsmon/namespaces");
	while ((n = read(fd, buf, chunk)) > 0) {
		for (ssize_t j = 0; j < n; j++) {
			if (buf[j] != '\n') {
				if (ll < sizeof(line) - 1)
					line[ll++] = buf[j];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			if (header) {
				header = 0;
				continue;
			}
			if (out && rows < max)
				out[rows] = (unsigned int)strtoul(line, NULL, 10);
			rows++;
		}
	}
	if (n < 0)
		die("read namespaces");
	close(fd);
	if (out)
		qsort(out, rows < max ? rows : max, sizeof(*out), cmp_uint);
	return rows;
}

static volatile sig_atomic_t stop_reading;

static void on_term(int sig)
{
	(void)sig;
	stop_reading = 1;
}

/* Load (1) or unload (0) nsmon.ko, and let the system settle. */
static void nsmon_module(int load)
{
	const char *ko = getenv("NSMON_KO");
	char cmd[4096];
	int loaded = access("/proc/nsmon", F_OK) == 0;

	if (load == loaded)
		return;
	if (load && !ko)
		die("NSMON_KO is not set");
	if (load)
		snprintf(cmd, sizeof(cmd), "insmod %s", ko);
	else
		snprintf(cmd, sizeof(cmd), "rmmod nsmon");
	fflush(stdout);
	if (system(cmd) != 0)
		die(cmd);
	settle();
	sleep(1);
}

static int many(int k, long ops, int runs)
{
	const char *mode = "with";
	int nsmon, r;
	long *reads = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned int *want = calloc(k, sizeof(*want));
	unsigned int *got = calloc(k + 4096, sizeof(*got));
	pid_t *pids = calloc(k, sizeof(*pids));
	long long t0, setup, fork_ns, table_ns = 0, lookup_ns = 0, drain = 0;
	long rows = 0, missing = 0, dups = 0, before = 0, after = 0, i, j;
	int pp[2], go[2];
	pid_t creator, reader = -1;

	if (reads == MAP_FAILED || !want || !got || !pids || pipe(pp) ||
	    pipe(go))
		die("many: setup");
	nsmon_module(1);
	nsmon = access("/proc/nsmon/namespaces", R_OK) == 0;
	*reads = 0;
	pin();
	/* Orphaned namespace inits come to us, to be reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
		die("PR_SET_CHILD_SUBREAPER");
	if (nsmon)
		before = read_table(NULL, 0, 4096);

	if (nsmon) {
		reader = fork();
		if (reader < 0)
			die("fork reader");
		if (reader == 0) {
			char req[64], ans[256];
			int lfd = open("/proc/nsmon/lookup", O_RDWR);

			signal(SIGTERM, on_term);
			if (lfd < 0)
				die("lookup");
			snprintf(req, sizeof(req), "%u 1\n", 4026531836U);
			while (!stop_reading) {
				read_table(NULL, 0, 4096);
				/* ESRCH/ENOENT are fine: only the load matters. */
				if (write(lfd, req, strlen(req)) > 0 &&
				    pread(lfd, ans, sizeof(ans), 0) < 0)
					die("lookup read");
				__atomic_add_fetch(reads, 1, __ATOMIC_RELAXED);
			}
			_exit(0);
		}
	}

	t0 = now_ns();
	creator = fork();
	if (creator < 0)
		die("fork creator");
	if (creator == 0) {
		struct rlimit inf = { RLIM_INFINITY, RLIM_INFINITY };

		close(pp[0]);
		close(go[1]);
		/* No privilege: uid 1000, in a user namespace of its own. */
		if (setrlimit(RLIMIT_NPROC, &inf) || setgroups(0, NULL) ||
		    setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000))
			die("drop privileges");
		if (unshare(CLONE_NEWUSER))
			die("unshare(CLONE_NEWUSER)");
		for (i = 0; i < k; i++) {
			pid_t p = fork_newpid();

			if (p < 0)
				die("clone(CLONE_NEWPID) as uid 1000");
			if (p == 0) {
				char c;

				close(pp[1]);
				/* Sleep until the bench is done with us. */
				if (read(go[0], &c, 1) < 0) { /* killed anyway */ }
				for (;;)
					pause();
			}
			if (write(pp[1], &p, sizeof(p)) != sizeof(p))
				die("many: pipe");
		}
		_exit(0);
	}
	close(pp[1]);
	for (i = 0; i < k; i++)
		if (read(pp[0], &pids[i], sizeof(pids[i])) != sizeof(pids[i]))
			die("many: creator");
	reap(creator);
	setup = now_ns() - t0;
	if (reader > 0) {
		kill(reader, SIGTERM);
		reap(reader);
	}
	for (i = 0; i < k; i++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pids[i]);
		if (stat(path, &st))
			die(path);
		want[i] = (unsigned int)st.st_ino;
	}
	qsort(want, k, sizeof(*want), cmp_uint);


	if (nsmon) {
		char req[64], ans[256];
		long n = ops / 4 + 1;
		int lfd;

		t0 = now_ns();
		rows = read_table(got, k + 4096, 4096);
		table_ns = now_ns() - t0;
		/* Every one of the K exactly once: merge two sorted lists. */
		for (i = 0, j = 0; i < k; i++) {
			long c = 0;

			while (j < rows && j < k + 4096 && got[j] < want[i])
				j++;
			while (j < rows && j < k + 4096 && got[j] == want[i]) {
				c++;
				j++;
			}
			missing += c == 0;
			dups += c > 1;
		}
		lfd = open("/proc/nsmon/lookup", O_RDWR);
		if (lfd < 0)
			die("lookup");
		t0 = now_ns();
		for (i = 0; i < n; i++) {
			int len = snprintf(req, sizeof(req), "%u 1\n",
					   want[(i * 7919) % k]);

			if (write(lfd, req, len) != len ||
			    pread(lfd, ans, sizeof(ans), 0) <= 0)
				die("lookup of a namespace's init");
		}
		lookup_ns = (now_ns() - t0) / n;
		close(lfd);
	}

	/* fork+exit at K namespaces, without and with, alternating. */
	for (r = 0; r < 2 * runs; r++) {
		int with = (r + r / 2) % 2;

		nsmon_module(with);
		forks_aligned(ops / 10 + 1, 0);
		t0 = now_ns();
		forks_aligned(ops, 0);
		fork_ns = (now_ns() - t0) / ops;
		printf("MANYFORK %s %d %d %lld\n", with ? "with" : "without",
		       k, r / 2 + 1, fork_ns);
		fflush(stdout);
	}
	nsmon_module(1);

	/* Kill them all; reap (we are their subreaper). */
	for (i = 0; i < k; i++)
		kill(pids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	t0 = now_ns();
	if (nsmon) {
		/* The sync work drops dead namespaces: wait (60 s at most). */
		for (;;) {
			after = read_table(NULL, 0, 4096);
			if (after <= before || now_ns() - t0 > 60000000000LL)
				break;
			usleep(10000);
		}
		drain = now_ns() - t0;
	}
	if (nsmon) {
		printf("%s - many %d: every namespace exactly once in one table read (%ld missing, %ld twice)\n",
		       missing || dups ? "not ok" : "ok", k, missing, dups);
		printf("%s - many %d: the table is back to %ld rows when they are dead (%ld)\n",
		       after > before ? "not ok" : "ok", k, before, after);
	}
	fork_ns = 0;
	printf("MANY %s %d %lld %lld %ld %lld %ld %ld %ld %lld %lld %ld %ld\n",
	       mode, k, setup, fork_ns, *reads, table_ns, rows, missing, dups,
	       lookup_ns, drain, before, after);
	fflush(stdout);
	free(want);
	free(got);
	free(pids);
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
	if (argc == 3 && !strcmp(argv[1], "watch-reader"))
		return watch_loop(atoi(argv[2]));
	if (argc >= 6 && !strcmp(argv[1], "run"))
		return run(argv[2], argv[3], argv[4], atol(argv[5]),
			   argc >= 7 && !strcmp(argv[6], "nested"));
	if (argc == 5 && !strcmp(argv[1], "many"))
		return many(atoi(argv[2]), atol(argv[3]), atoi(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "scale"))
		return scale(argv[2], atoi(argv[3]), atoi(argv[4]),
			     atoi(argv[5]));
	fprintf(stderr, "usage: bench noop | run WORKLOAD MODE RUN OPS [nested] | scale MODE K T READS | many K OPS RUNS | watch-reader FD\n");
	return 2;
}
