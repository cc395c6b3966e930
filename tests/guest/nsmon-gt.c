// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-gt: nsmon against the kernel's ground truth, for behaviour the
 * older guest tests leave alone (issue 13).
 *
 *   nsmon-gt trace      a workload (fork, threads, exec, exec by a
 *                       non-leader thread, vfork, CLONE_PARENT, an io_uring
 *                       worker) in a fresh namespace: forks, threads, execs
 *                       and exits against the tracefs tallies of
 *                       task_newtask, sched_process_exec and
 *                       sched_process_exit for the same tasks; tasks and
 *                       processes against /proc while the io worker lives
 *   nsmon-gt views      siblings and cousins alive: what readers in and out
 *                       of a namespace see through its procfs and the host's
 *   nsmon-gt nest       32 nested namespaces (the kernel's limit)
 *   nsmon-gt comm       names of 15 bytes and bytes /proc escapes
 *   nsmon-gt unpriv     lookup by an unprivileged user
 *   nsmon-gt many N     N namespaces, read in pieces while others come and go
 *   nsmon-gt rmmod-lookup KO   a lookup fd held across rmmod (left loaded)
 */
#include "gt.h"

#include <grp.h>
#include <linux/io_uring.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/uio.h>

static const char *self_exe = "/proc/self/exe";

static const char *errname(int err)
{
	switch (-err) {
	case 0: return "success";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EIO: return "EIO";
	default: return strerror(-err);
	}
}

/* Write a lookup request to @fd, read the answer; length or -errno. */
static int lookup(int fd, const char *req, char *ans, size_t size)
{
	ssize_t n;

	if (write(fd, req, strlen(req)) < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	n = read(fd, ans, size - 1);
	if (n < 0)
		return -errno;
	ans[n] = '\0';
	return n;
}

static int write_str(const char *path, const char *s, int flags)
{
	int fd = open(path, O_WRONLY | flags), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		err = -errno;
	close(fd);
	return err;
}

/*
 * The task of @inum whose number in it is 1 (its init), as /proc numbers
 * it; -1 if none.  @level is the namespace's depth (NSpid has level+1
 * fields from the host).
 */
static pid_t find_init(uint64_t inum)
{
	DIR *dir = opendir("/proc");
	struct dirent *d;
	pid_t found = -1;

	while (dir && (d = readdir(dir))) {
		pid_t p = atoi(d->d_name);
		char nspid[256], *last;

		if (p <= 0 || ns_of(p, 0) != inum ||
		    !status_field(p, 0, "NSpid", nspid, sizeof(nspid)))
			continue;
		last = strrchr(nspid, '\t');
		if (atoi(last ? last + 1 : nspid) == 1)
			found = p;
	}
	if (dir)
		closedir(dir);
	return found;
}

/* Field @idx (0 = the host's) of the NSpid: line of @pid; -1 if none. */
static int nspid_at(pid_t pid, int idx)
{
	char nspid[256], *tok, *save;
	int i = 0;

	if (!status_field(pid, 0, "NSpid", nspid, sizeof(nspid)))
		return -1;
	for (tok = strtok_r(nspid, "\t", &save); tok;
	     tok = strtok_r(NULL, "\t", &save), i++)
		if (i == idx)
			return atoi(tok);
	return -1;
}

/* ---- trace: counters against tracefs tallies ---- */

#define TRACE "/sys/kernel/tracing"

struct wl {
	volatile pid_t u_gpid;		/* the io_uring process */
	volatile int io_state;		/* 0 none, 1 worker running, -errno */
	volatile int done;
};

static struct wl *wl;
static int start_rd, start_wr, ready_rd, ready_wr, io_rd, io_wr;

static void *quick_thread(void *arg)
{
	return arg;
}

static void *exec_thread(void *arg)
{
	execl(self_exe, "nsmon-gt", "noop", (char *)NULL);
	return arg;
}

static int parent_child(void *arg)
{
	return (int)(long)arg;
}

static __attribute__((noinline)) pid_t vfork_exec(bool exec)
{
	pid_t p = vfork();

	if (p == 0) {
		if (exec)
			execl(self_exe, "nsmon-gt", "noop", (char *)NULL);
		_exit(0);
	}
	return p;
}

static int io_uring_setup(unsigned int entries, struct io_uring_params *p)
{
	return syscall(__NR_io_uring_setup, entries, p);
}

static int io_uring_enter(int fd, unsigned int submit, unsigned int wait,
			  unsigned int flags)
{
	return syscall(__NR_io_uring_enter, fd, submit, wait, flags, NULL, 0);
}

/*
 * An io_uring read of the io pipe with IOSQE_ASYNC: io_uring hands it to
 * an io-wq worker thread of this process (iou-wrk-<pid>), which blocks in
 * read() until the test writes.  The worker is made by copy_process()
 * with CLONE_THREAD, without kernel_clone(), so sched_process_fork does
 * not fire for it; task_newtask and sched_process_exit do.
 */
static int io_proc(void)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes;
	unsigned int *sq_tail, *sq_array, *cq_head, *cq_tail;
	char *sq, *cq, buf[8];
	int fd;

	wl->u_gpid = proc_self_pid();
	fd = io_uring_setup(4, &p);
	if (fd < 0) {
		wl->io_state = -errno;
		return 0;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
		  IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
		wl->io_state = -ENOMEM;
		return 1;
	}
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].flags = IOSQE_ASYNC;
	sqes[0].fd = io_rd;
	sqes[0].addr = (unsigned long)buf;
	sqes[0].len = 1;
	sqes[0].off = -1;	/* the file position: pipes have none */
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (io_uring_enter(fd, 1, 0, 0) != 1) {
		wl->io_state = -errno;
		return 1;
	}
	wl->io_state = 1;
	if (write(ready_wr, "u", 1) != 1)
		return 1;
	/* The test writes a byte: the worker's read completes. */
	if (io_uring_enter(fd, 0, 1, IORING_ENTER_GETEVENTS) < 0)
		return 1;
	if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) == *cq_head)
		return 1;
	close(fd);
	return 0;
}

/* Init of the traced namespace: waits for start, runs the workload. */
static int trace_init(void *arg)
{
	pthread_t th;
	pid_t p;
	char b;
	int i;

	(void)arg;
	close(start_wr);
	close(io_wr);
	if (read(start_rd, &b, 1) != 1)
		return 1;
	for (i = 0; i < 3; i++) {		/* 3 processes */
		p = fork();
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	for (i = 0; i < 2; i++) {		/* 2 threads */
		pthread_create(&th, NULL, quick_thread, NULL);
		pthread_join(th, NULL);
	}
	p = fork();				/* fork + exec */
	if (p == 0) {
		execl(self_exe, "nsmon-gt", "noop", (char *)NULL);
		_exit(127);
	}
	waitpid(p, NULL, 0);
	waitpid(vfork_exec(false), NULL, 0);	/* vfork, _exit */
	waitpid(vfork_exec(true), NULL, 0);	/* vfork, exec */
	p = fork();				/* CLONE_PARENT: init's child */
	if (p == 0) {
		static char stack[64 * 1024] __attribute__((aligned(16)));

		if (clone(parent_child, stack + sizeof(stack),
			  CLONE_PARENT | SIGCHLD, NULL) < 0)
			_exit(1);
		_exit(0);
	}
	waitpid(p, NULL, 0);
	p = fork();				/* a non-leader thread execs */
	if (p == 0) {
		pthread_create(&th, NULL, exec_thread, NULL);
		for (;;)
			pause();
	}
	waitpid(p, NULL, 0);
	p = fork();				/* io_uring worker */
	if (p == 0)
		_exit(io_proc());
	waitpid(p, NULL, 0);
	while (waitpid(-1, NULL, 0) > 0)	/* the CLONE_PARENT child */
		;
	wl->done = 1;
	if (write(ready_wr, "d", 1) != 1)
		return 1;
	block_on(start_rd);
	return 0;
}

struct tally {
	int forks, threads, execs, exits, lines;
};

/* Count the events in the trace buffer (already filtered by pid). */
static bool trace_tally(struct tally *t, char *why, size_t size)
{
	static char buf[1 << 20];
	char *line, *save, *p;
	long in = -1, written = -2;

	memset(t, 0, sizeof(*t));
	if (slurp(TRACE "/trace", buf, sizeof(buf)) < 0) {
		snprintf(why, size, "cannot read " TRACE "/trace");
		return false;
	}
	p = strstr(buf, "entries-in-buffer/entries-written: ");
	if (p)
		sscanf(p, "entries-in-buffer/entries-written: %ld/%ld", &in, &written);
	if (in != written) {
		snprintf(why, size, "the trace lost events (%ld of %ld kept)", in,
			 written);
		return false;
	}
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		t->lines++;
		if ((p = strstr(line, ": task_newtask: "))) {
			unsigned long flags = 0;

			p = strstr(p, "clone_flags=");
			if (p)
				flags = strtoul(p + 12, NULL, 16);
			if (flags & CLONE_THREAD)
				t->threads++;
			else
				t->forks++;
		} else if (strstr(line, ": sched_process_exec: ")) {
			t->execs++;
		} else if (strstr(line, ": sched_process_exit: ")) {
			t->exits++;
		}
	}
	return true;
}

static void test_trace(void)
{
	static const char *const events[] = {
		"task/task_newtask", "sched/sched_process_exec",
		"sched/sched_process_exit",
	};
	char path[128], why[128] = "", b, num[32];
	uint64_t inum, v[GT_NKEYS];
	struct tally t;
	int fds[6], err = 0, tasks, procs;
	size_t i;
	pid_t init;

	if (access(TRACE "/trace", F_OK) &&
	    mount("nodev", TRACE, "tracefs", 0, NULL)) {
		check(false, "trace: tracefs mounted at " TRACE ": %s", strerror(errno));
		return;
	}
	wl = gt_shared(4096);
	if (pipe(fds) || pipe(fds + 2) || pipe(fds + 4))
		gt_die("pipe");
	start_rd = fds[0], start_wr = fds[1];
	ready_rd = fds[2], ready_wr = fds[3];
	io_rd = fds[4], io_wr = fds[5];

	write_str(TRACE "/tracing_on", "0", 0);
	write_str(TRACE "/set_event", "", O_TRUNC);
	write_str(TRACE "/trace", "", O_TRUNC);
	err |= write_str(TRACE "/buffer_size_kb", "4096", 0);
	err |= write_str(TRACE "/options/event-fork", "1", 0);
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		snprintf(path, sizeof(path), TRACE "/events/%s/enable", events[i]);
		err |= write_str(path, "1", 0);
	}
	init = gt_spawn(trace_init, NULL, CLONE_NEWPID);
	snprintf(num, sizeof(num), "%d", init);
	err |= write_str(TRACE "/set_event_pid", num, O_TRUNC);
	err |= write_str(TRACE "/tracing_on", "1", 0);
	check(!err, "trace: tracing of task_newtask, sched_process_exec, sched_process_exit for the namespace's tasks set up (%s)",
	      errname(err));
	inum = ns_of(init, 0);
	wait_nsmon_file(inum, true, 1000);	/* the contract's second */
	if (write(start_wr, "s", 1) != 1 || read(ready_rd, &b, 1) != 1)
		gt_die("trace: workload");
	if (b == 'u') {
		/* The io worker lives: add it to the traced pids. */
		pid_t wk = 0, u = wl->u_gpid;
		struct dirent *d;
		DIR *dir;

		snprintf(path, sizeof(path), "/proc/%d/task", u);
		for (int tries = 0; tries < 100 && !wk; tries++, msleep(10)) {
			dir = opendir(path);
			while (dir && (d = readdir(dir)))
				if (atoi(d->d_name) > 0 && atoi(d->d_name) != u)
					wk = atoi(d->d_name);
			if (dir)
				closedir(dir);
		}
		if (wk) {
			char name[64] = "";

			snprintf(num, sizeof(num), "%d", wk);
			write_str(TRACE "/set_event_pid", num, O_APPEND);
			status_field(u, wk, "Name", name, sizeof(name));
			diag("trace: io_uring worker %d \"%s\" of %d", wk, name, u);
		}
		truth_of(inum, &tasks, &procs);
		err = nsmon_read(inum, v);
		check(wk && !err && v[K_TASKS] == (uint64_t)tasks &&
		      v[K_PROCS] == (uint64_t)procs,
		      "trace: with an io_uring worker thread alive: tasks %" PRIu64 " processes %" PRIu64
		      " == /proc's %d live tasks, %d processes (the worker among them: %s)",
		      v[K_TASKS], v[K_PROCS], tasks, procs, wk ? "yes" : "no");
		if (write(io_wr, "x", 1) != 1 || read(ready_rd, &b, 1) != 1)
			gt_die("trace: io worker");
	} else {
		skip("trace: with an io_uring worker thread alive: tasks and processes == /proc's",
		     "io_uring unavailable: %s", errname(wl->io_state));
	}
	write_str(TRACE "/tracing_on", "0", 0);
	msleep(50);
	err = nsmon_read(inum, v);
	if (!trace_tally(&t, why, sizeof(why)) || err) {
		check(false, "trace: tally the events (%s) and read /proc/nsmon/%" PRIu64 " (%d)",
		      why, inum, err);
	} else {
		diag("trace: %d events: %d new processes, %d new threads, %d execs, %d exits; nsmon: forks %" PRIu64
		     " threads %" PRIu64 " execs %" PRIu64 " exits %" PRIu64,
		     t.lines, t.forks, t.threads, t.execs, t.exits, v[K_FORKS],
		     v[K_THREADS], v[K_EXECS], v[K_EXITS]);
		/* The init's own task_newtask came from us, outside the filter. */
		check(v[K_FORKS] == (uint64_t)t.forks + 1,
		      "trace: forks %" PRIu64 " == 1 (init) + %d task_newtask events without CLONE_THREAD (fork, vfork, CLONE_PARENT)",
		      v[K_FORKS], t.forks);
		check(v[K_THREADS] == (uint64_t)t.threads,
		      "trace: threads %" PRIu64 " == %d task_newtask events with CLONE_THREAD (io worker included)",
		      v[K_THREADS], t.threads);
		check(v[K_EXECS] == (uint64_t)t.execs,
		      "trace: execs %" PRIu64 " == %d sched_process_exec events (exec by a non-leader thread, after vfork)",
		      v[K_EXECS], t.execs);
		check(v[K_EXITS] == (uint64_t)t.exits,
		      "trace: exits %" PRIu64 " == %d sched_process_exit events",
		      v[K_EXITS], t.exits);
		check(t.forks >= 9 && t.threads >= 3 && t.execs == 3,
		      "trace: the tally saw the workload (>= 9 processes, >= 3 threads, 3 execs)");
	}
	truth_of(inum, &tasks, &procs);
	check(!err && v[K_TASKS] == (uint64_t)tasks && v[K_PROCS] == (uint64_t)procs,
	      "trace: after the workload: tasks %" PRIu64 " processes %" PRIu64 " == /proc's %d, %d",
	      v[K_TASKS], v[K_PROCS], tasks, procs);
	sanity(v[K_TASKS] == v[K_FORKS] + v[K_THREADS] - v[K_EXITS],
	       "trace: tasks == forks + threads - exits");
	write_str(TRACE "/set_event_pid", "", O_TRUNC);
	write_str(TRACE "/set_event", "", O_TRUNC);
	write_str(TRACE "/options/event-fork", "0", 0);
	close(start_wr);
	waitpid(init, NULL, 0);
}

/* ---- views: siblings, cousins, readers in and out of a namespace ---- */

/*
 * R (level 1, own procfs) holds two children, C1 (own procfs) and C2, and
 * each of those a child, G1 and G2: C2 is C1's sibling, G2 G1's cousin.
 */
enum { N_R, N_C1, N_G1, N_C2, N_G2, N_NODES };
static const char *const node_name[N_NODES] = { "R", "C1", "G1", "C2", "G2" };
static const int node_level[N_NODES] = { 1, 2, 3, 2, 3 };

struct tree {
	volatile uint64_t inum[N_NODES];
	char out[8][65536];		/* what readers read */
	int err[8];
};

static struct tree *tr;
static int tree_go_rd, tree_go_wr;

static int node_init(void *arg)
{
	int node = (int)(long)arg;

	close(tree_go_wr);
	if (node == N_R || node == N_C1) {
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    mount("proc", "/proc", "proc", 0, NULL))
			_exit(93);
	}
	{
		struct stat st;

		/* /proc/self works in any procfs that sees us */
		if (stat("/proc/self/ns/pid", &st))
			_exit(94);
		tr->inum[node] = st.st_ino;
	}
	if (node == N_R) {
		gt_spawn(node_init, (void *)(long)N_C1, CLONE_NEWPID | CLONE_NEWNS);
		gt_spawn(node_init, (void *)(long)N_C2, CLONE_NEWPID);
	} else if (node == N_C1 || node == N_C2) {
		gt_spawn(node_init, (void *)(long)(node + 1), CLONE_NEWPID);
	}
	block_on(tree_go_rd);
	while (waitpid(-1, NULL, 0) > 0)
		;
	return 0;
}

/*
 * Run a reader as a process of the PID namespace of @pid (and of its
 * mount namespace if @own_mnt: its /proc is then that namespace's
 * procfs; else the host's): it reads namespaces into tr->out[slot] and
 * answers the lookup @req (if any) into tr->out[slot + 1].
 */
static void read_from(pid_t pid, bool own_mnt, int slot, const char *req)
{
	pid_t h = fork(), k;

	if (h == 0) {
		char path[64];
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/ns/pid", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWPID))
			_exit(1);
		if (own_mnt) {
			snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
			fd = open(path, O_RDONLY);
			if (fd < 0 || setns(fd, CLONE_NEWNS))
				_exit(2);
		}
		k = fork();
		if (k == 0) {
			tr->err[slot] = slurp("/proc/nsmon/namespaces", tr->out[slot],
					      sizeof(tr->out[slot]));
			if (req) {
				fd = open("/proc/nsmon/lookup", O_RDWR);
				tr->err[slot + 1] = fd < 0 ? -errno :
					lookup(fd, req, tr->out[slot + 1],
					       sizeof(tr->out[slot + 1]));
			}
			_exit(0);
		}
		waitpid(k, NULL, 0);
		_exit(0);
	}
	waitpid(h, NULL, 0);
}

/* The inums of a namespaces table, in order; -1 if it does not parse. */
static int table_inums(const char *text, uint64_t *inums, uint64_t (*rows)[GT_NKEYS],
		       int max)
{
	char *copy = strdup(text), *line, *save;
	int n = 0;

	line = strtok_r(copy, "\n", &save);
	if (!line || strncmp(line, "inum level", 10)) {
		free(copy);
		return -1;
	}
	while ((line = strtok_r(NULL, "\n", &save)) && n < max) {
		char *p = line, *end;
		size_t i;

		for (i = 0; i < GT_NKEYS; i++, p = end + 1) {
			rows[n][i] = strtoull(p, &end, 10);
			if (end == p || *end != (i + 1 < GT_NKEYS ? ' ' : '\0'))
				break;
		}
		if (i != GT_NKEYS) {
			free(copy);
			return -1;
		}
		inums[n] = rows[n][K_INUM];
		n++;
	}
	free(copy);
	return n;
}

static int find_row(uint64_t *inums, int n, uint64_t inum)
{
	for (int i = 0; i < n; i++)
		if (inums[i] == inum)
			return i;
	return -1;
}

/*
 * A table must list exactly the namespaces in @want (the view's own and
 * its descendants'), each once; its level is absolute; its parent the
 * parent's inum, or 0 for the view's own row when its parent is outside;
 * its init_pid the init's number in the view (@view_idx: field of NSpid).
 */
static void check_view(const char *what, const char *text, const int *want,
		       int nwant, int view_idx, const uint64_t *host_seen, int nhost)
{
	static uint64_t rows[GT_MAX_NS][GT_NKEYS];
	static uint64_t inums[GT_MAX_NS];
	int n = table_inums(text, inums, rows, GT_MAX_NS), i, extra = 0, bad = 0;
	char list[512] = "";

	if (n < 0) {
		check(false, "%s: the namespaces table parses", what);
		return;
	}
	for (i = 0; i < nwant; i++) {
		int node = want[i], r = find_row(inums, n, tr->inum[node]);
		pid_t init = find_init(tr->inum[node]);
		uint64_t parent = node == N_R ? 0 : tr->inum[node == N_C1 || node == N_C2 ? N_R : node - 1];

		if (i == 0 && view_idx > 0)
			parent = 0;	/* the view's own parent is outside the view */
		if (node == N_R && view_idx == 0)
			parent = ns_of(getpid(), 0);
		if (r < 0) {
			diag("%s: %s (%" PRIu64 ") missing", what, node_name[node], tr->inum[node]);
			bad++;
			continue;
		}
		if (rows[r][K_LEVEL] != (uint64_t)node_level[node] ||
		    rows[r][K_PARENT] != parent ||
		    rows[r][K_INIT_PID] != (uint64_t)nspid_at(init, view_idx)) {
			diag("%s: %s row: level %" PRIu64 " parent %" PRIu64 " init_pid %" PRIu64
			     ", /proc says %d %" PRIu64 " %d", what, node_name[node],
			     rows[r][K_LEVEL], rows[r][K_PARENT], rows[r][K_INIT_PID],
			     node_level[node], parent, nspid_at(init, view_idx));
			bad++;
		}
	}
	for (i = 0; i < n; i++) {
		int node;

		for (node = 0; node < N_NODES && tr->inum[node] != inums[i]; node++)
			;
		if (i > 0 && inums[i] <= inums[i - 1])
			bad++;
		if (node < N_NODES) {
			bool wanted = false;

			for (int j = 0; j < nwant; j++)
				wanted |= want[j] == node;
			if (!wanted) {
				snprintf(list + strlen(list), sizeof(list) - strlen(list),
					 " %s", node_name[node]);
				extra++;
			}
		} else if (!host_seen) {
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 " %" PRIu64, inums[i]);
			extra++;
		}
	}
	if (host_seen) {
		/* The host's view: every namespace with a live task. */
		for (i = 0; i < nhost; i++) {
			if (find_row(inums, n, host_seen[i]) < 0) {
				diag("%s: namespace %" PRIu64 " with live tasks missing",
				     what, host_seen[i]);
				bad++;
			}
		}
	}
	check(extra == 0 && bad == 0,
	      "%s: exactly the namespaces it may see, each once, in inum order, with level, parent and init_pid as /proc says (%d rows; %d wrong; shown but invisible:%s)",
	      what, n, bad, list[0] ? list : " none");
}

/* pids read through a procfs against that procfs' own task listing. */
static void check_pids_view(const char *what, const char *proc)
{
	static char buf[1 << 16];
	char path[256], *line, *save;
	int rows = 0, bad = 0, listed = 0;
	struct dirent *d, *t;
	DIR *dir, *td;

	snprintf(path, sizeof(path), "%.128s/nsmon/pids", proc);
	if (slurp(path, buf, sizeof(buf)) < 0) {
		check(false, "%s: read %s", what, path);
		return;
	}
	line = strtok_r(buf, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save))) {
		int pid, tgid;
		char nspid[256], want[256], *c;

		rows++;
		if (sscanf(line, "%d %d %*u %*d %*d %255s", &pid, &tgid, nspid) != 3) {
			bad++;
			continue;
		}
		snprintf(path, sizeof(path), "%.128s/%d/task/%d/status", proc, tgid, pid);
		{
			static char st[4096];
			char *p;

			if (slurp(path, st, sizeof(st)) < 0 ||
			    !(p = strstr(st, "\nNSpid:\t"))) {
				diag("%s: row \"%s\": %s unreadable", what, line, path);
				bad++;
				continue;
			}
			snprintf(want, sizeof(want), "%.*s", (int)strcspn(p + 8, "\n"), p + 8);
			for (c = want; *c; c++)
				if (*c == '\t')
					*c = ',';
		}
		if (strcmp(want, nspid)) {
			diag("%s: row \"%s\" but NSpid %s", what, line, want);
			bad++;
		}
	}
	dir = opendir(proc);
	while (dir && (d = readdir(dir))) {
		if (atoi(d->d_name) <= 0)
			continue;
		snprintf(path, sizeof(path), "%.128s/%.32s/task", proc, d->d_name);
		td = opendir(path);
		while (td && (t = readdir(td)))
			listed += atoi(t->d_name) > 0;
		if (td)
			closedir(td);
	}
	if (dir)
		closedir(dir);
	check(rows == listed && bad == 0,
	      "%s: %d pids rows == the %d tasks that procfs lists, each row's nspid its NSpid (%d wrong)",
	      what, rows, listed, bad);
}

static void test_views(void)
{
	static struct truth host[GT_MAX_NS];
	static uint64_t host_inums[GT_MAX_NS];
	char path[128], req[64], want[256], ans[256];
	pid_t c1, r;
	int go[2], i, nh, fd, err;
	static const int see_c1[] = { N_C1, N_G1 };
	static const int see_r[] = { N_R, N_C1, N_G1, N_C2, N_G2 };

	tr = gt_shared(sizeof(*tr));
	if (pipe(go))
		gt_die("pipe");
	tree_go_rd = go[0], tree_go_wr = go[1];
	r = gt_spawn(node_init, (void *)(long)N_R, CLONE_NEWPID | CLONE_NEWNS);
	for (i = 0; i < 500; i++, msleep(10)) {
		int up = 0;

		for (int k = 0; k < N_NODES; k++)
			up += tr->inum[k] != 0;
		if (up == N_NODES)
			break;
	}
	msleep(200);
	c1 = find_init(tr->inum[N_C1]);
	diag("views: R %" PRIu64 " C1 %" PRIu64 " G1 %" PRIu64 " C2 %" PRIu64 " G2 %" PRIu64
	     ", C1's init is %d", tr->inum[N_R], tr->inum[N_C1], tr->inum[N_G1],
	     tr->inum[N_C2], tr->inum[N_G2], c1);
	if (c1 <= 0) {
		check(false, "views: the tree of five namespaces is up");
		goto out;
	}

	/* (a) A reader in C1, through C1's procfs. */
	snprintf(req, sizeof(req), "%" PRIu64 " 1", tr->inum[N_C2]);
	read_from(c1, true, 0, req);
	check_view("views: reader in C1 through C1's procfs (sibling C2, cousin G2, parent R alive)",
		   tr->out[0], see_c1, 2, 2, NULL, 0);
	check(tr->err[1] == -ENOENT,
	      "views: reader in C1 through C1's procfs: lookup in sibling C2 gives ENOENT (%s)",
	      errname(tr->err[1]));

	/* (b) A reader in the host namespace, through C1's procfs. */
	snprintf(path, sizeof(path), "/proc/%d/root/proc/nsmon/namespaces", c1);
	err = slurp(path, tr->out[2], sizeof(tr->out[2]));
	check_view("views: host reader through C1's procfs: what it shows follows the procfs",
		   err > 0 ? tr->out[2] : "", see_c1, 2, 2, NULL, 0);
	snprintf(path, sizeof(path), "/proc/%d/root/proc", c1);
	check_pids_view("views: host reader through C1's procfs", path);
	snprintf(path, sizeof(path), "/proc/%d/root/proc/nsmon/lookup", c1);
	fd = open(path, O_RDWR);
	for (i = 0; i < 3 && fd >= 0; i++) {
		static const int hidden[] = { N_R, N_C2, N_G2 };

		snprintf(req, sizeof(req), "%" PRIu64 " 1", tr->inum[hidden[i]]);
		err = lookup(fd, req, ans, sizeof(ans));
		check(err == -ENOENT,
		      "views: host reader through C1's procfs: lookup in %s gives ENOENT (%s)",
		      node_name[hidden[i]], errname(err));
	}
	if (fd >= 0) {
		pid_t g1 = find_init(tr->inum[N_G1]);
		char name[64] = "";

		status_field(g1, 0, "Name", name, sizeof(name));
		snprintf(req, sizeof(req), "%" PRIu64 " 1", tr->inum[N_G1]);
		err = lookup(fd, req, ans, sizeof(ans));
		snprintf(want, sizeof(want), "%" PRIu64 " 1 %d %d %s\n", tr->inum[N_G1],
			 nspid_at(g1, 2), nspid_at(g1, 2), name);
		check(err > 0 && !strcmp(ans, want),
		      "views: host reader through C1's procfs: lookup of G1's init answers in C1's numbers (want \"%.*s\", got %s \"%.*s\")",
		      (int)strcspn(want, "\n"), want, errname(err > 0 ? 0 : err),
		      err > 0 ? (int)strcspn(ans, "\n") : 0, ans);
		close(fd);
	}

	/* (c) A reader in C1, through the host's procfs. */
	snprintf(req, sizeof(req), "%" PRIu64 " 1", tr->inum[N_C2]);
	nh = truth_scan(host, GT_MAX_NS);
	for (i = 0; i < nh; i++)
		host_inums[i] = host[i].inum;
	read_from(c1, false, 4, req);
	check_view("views: reader in C1 through the host's procfs: what it shows follows the procfs",
		   tr->out[4], see_r, 5, 0, host_inums, nh);
	{
		pid_t c2 = find_init(tr->inum[N_C2]);
		char name[64] = "";

		status_field(c2, 0, "Name", name, sizeof(name));
		snprintf(want, sizeof(want), "%" PRIu64 " 1 %d %d %s\n",
			 tr->inum[N_C2], c2, c2, name);
		check(tr->err[5] > 0 && !strcmp(tr->out[5], want),
		      "views: reader in C1 through the host's procfs: lookup in C2 answers in the host's numbers (want \"%.*s\", got %s \"%.*s\")",
		      (int)strcspn(want, "\n"), want, errname(tr->err[5] > 0 ? 0 : tr->err[5]),
		      tr->err[5] > 0 ? (int)strcspn(tr->out[5], "\n") : 0, tr->out[5]);
	}

	/* (d) A reader in the host namespace through R's procfs: both branches. */
	snprintf(path, sizeof(path), "/proc/%d/root/proc/nsmon/namespaces", r);
	err = slurp(path, tr->out[6], sizeof(tr->out[6]));
	check_view("views: host reader through R's procfs: both branches",
		   err > 0 ? tr->out[6] : "", see_r, 5, 1, NULL, 0);
out:
	close(tree_go_wr);
	close(tree_go_rd);
	waitpid(r, NULL, 0);
}

/* ---- nest: 32 levels ---- */

#define NEST_MAX 32	/* MAX_PID_NS_LEVEL of include/linux/pid_namespace.h */

struct nest {
	volatile int depth_reached;
	volatile int deeper_err;	/* errno of one more CLONE_NEWPID */
	volatile uint64_t inum[NEST_MAX + 1];
};

static struct nest *ne;
static int nest_go_rd, nest_go_wr;

static int nest_fn(void *arg)
{
	int level = (int)(long)arg;

	close(nest_go_wr);
	ne->inum[level] = ns_of(proc_self_pid(), 0);
	if (level < NEST_MAX) {
		gt_spawn(nest_fn, (void *)(long)(level + 1), CLONE_NEWPID);
	} else {
		pid_t p = fork();

		if (p == 0) {
			if (unshare(CLONE_NEWPID))
				_exit(errno);
			_exit(0);
		}
		if (p > 0) {
			int st;

			waitpid(p, &st, 0);
			ne->deeper_err = WEXITSTATUS(st);
		}
		ne->depth_reached = level;
	}
	block_on(nest_go_rd);
	while (waitpid(-1, NULL, 0) > 0)
		;
	return 0;
}

static void test_nest(void)
{
	char nspid[512], row[1024], want[1024], name[64], *p;
	uint64_t v[GT_NKEYS];
	int go[2], i, err, fd, n_ok = 0;
	pid_t top, deep;
	static char buf[1 << 20];

	ne = gt_shared(sizeof(*ne));
	if (pipe(go))
		gt_die("pipe");
	nest_go_rd = go[0], nest_go_wr = go[1];
	ne->inum[0] = ns_of(getpid(), 0);
	top = gt_spawn(nest_fn, (void *)1L, CLONE_NEWPID);
	for (i = 0; i < 1000 && !ne->depth_reached; i++)
		msleep(10);
	check(ne->depth_reached == NEST_MAX && ne->deeper_err == ENOSPC,
	      "nest: %d nested namespaces made, one more refused with ENOSPC (%s)",
	      ne->depth_reached, strerror(ne->deeper_err));
	deep = find_init(ne->inum[NEST_MAX]);
	wait_nsmon_file(ne->inum[NEST_MAX], true, 1000);	/* the contract's second */
	err = nsmon_read(ne->inum[NEST_MAX], v);
	check(deep > 0 && !err && v[K_LEVEL] == NEST_MAX &&
	      v[K_PARENT] == ne->inum[NEST_MAX - 1] && v[K_INIT_PID] == (uint64_t)deep &&
	      v[K_TASKS] == 1 && v[K_PROCS] == 1,
	      "nest: the level-32 namespace's file: level %" PRIu64 " parent %" PRIu64 " init_pid %" PRIu64
	      " tasks %" PRIu64 " (want 32, %" PRIu64 ", %d, 1)", v[K_LEVEL], v[K_PARENT],
	      v[K_INIT_PID], v[K_TASKS], ne->inum[NEST_MAX - 1], deep);
	/* Its pids row: nspid is its NSpid, 33 numbers. */
	status_field(deep, 0, "NSpid", nspid, sizeof(nspid));
	status_field(deep, 0, "Name", name, sizeof(name));
	for (p = nspid; *p; p++)
		if (*p == '\t')
			*p = ',';
	snprintf(want, sizeof(want), "\n%d %d %" PRIu64 " 1 1 %s %s\n", deep, deep,
		 ne->inum[NEST_MAX], nspid, name);
	row[0] = '\0';
	if (slurp("/proc/nsmon/pids", buf, sizeof(buf)) > 0) {
		char key[32];

		snprintf(key, sizeof(key), "\n%d ", deep);
		p = strstr(buf, key);
		if (p)
			snprintf(row, sizeof(row), "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
	}
	check(p && !strncmp(p, want, strlen(want)),
	      "nest: pids row of the level-32 init is \"%.*s\" (got \"%s\")",
	      (int)strlen(want) - 2, want + 1, row);
	/* lookup at each of the 33 levels gives the same task. */
	fd = open("/proc/nsmon/lookup", O_RDWR);
	{
		char *tok, *save, req[64], ans[256];

		status_field(deep, 0, "NSpid", nspid, sizeof(nspid));
		for (tok = strtok_r(nspid, "\t", &save), i = 0; tok && i <= NEST_MAX;
		     tok = strtok_r(NULL, "\t", &save), i++) {
			snprintf(req, sizeof(req), "%" PRIu64 " %s", ne->inum[i], tok);
			snprintf(want, sizeof(want), "%" PRIu64 " %s %d %d %s\n",
				 ne->inum[i], tok, deep, deep, name);
			err = lookup(fd, req, ans, sizeof(ans));
			if (err > 0 && !strcmp(ans, want))
				n_ok++;
			else
				diag("nest: lookup \"%s\": %s \"%.*s\"", req, errname(err),
				     err > 0 ? (int)strcspn(ans, "\n") : 0, ans);
		}
	}
	if (fd >= 0)
		close(fd);
	check(n_ok == NEST_MAX + 1,
	      "nest: lookup of the level-32 init at all 33 levels of its NSpid (%d right)", n_ok);
	close(nest_go_wr);
	close(nest_go_rd);
	waitpid(top, NULL, 0);
}

/* ---- comm: 15 bytes, and bytes /proc escapes ---- */

static const char *const names[] = {
	"abcdefghijklmno",	/* 15: TASK_COMM_LEN - 1 */
	"new\nline",
	"back\\slash",
	"tab\there",
	" lead space",
	"\x01\x7f\xff""bytes",
	"abcdefghijklmnopqrst",	/* cut to 15 by the kernel */
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static int name_rd, name_wr;

static void *named_thread(void *arg)
{
	prctl(PR_SET_NAME, (const char *)arg);
	block_on(name_rd);
	return NULL;
}

static void test_comm(void)
{
	static char buf[1 << 20];
	pthread_t th[NNAMES];
	pid_t me = proc_self_pid();
	int go[2], fd, n_ok = 0, l_ok = 0;
	size_t i;

	if (pipe(go))
		gt_die("pipe");
	name_rd = go[0], name_wr = go[1];
	for (i = 0; i < NNAMES; i++)
		pthread_create(&th[i], NULL, named_thread, (void *)names[i]);
	msleep(200);
	if (slurp("/proc/nsmon/pids", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	fd = open("/proc/nsmon/lookup", O_RDWR);
	{
		struct dirent *d;
		char path[64];
		DIR *dir;

		snprintf(path, sizeof(path), "/proc/%d/task", me);
		dir = opendir(path);
		while (dir && (d = readdir(dir))) {
			pid_t tid = atoi(d->d_name);
			char name[128], key[32], row[256] = "", *p, req[64], ans[256];
			char want[256];
			int err;

			if (tid <= 0 || tid == me)
				continue;
			/* Name: exactly, one tab after the colon, nothing stripped */
			snprintf(path, sizeof(path), "/proc/%d/task/%d/status", me, tid);
			{
				static char st[4096];

				if (slurp(path, st, sizeof(st)) < 0 || strncmp(st, "Name:\t", 6))
					continue;
				snprintf(name, sizeof(name), "%.*s", (int)strcspn(st + 6, "\n"),
					 st + 6);
			}
			snprintf(key, sizeof(key), "\n%d %d ", tid, me);
			p = strstr(buf, key);
			if (p) {
				snprintf(row, sizeof(row), "%.*s", (int)strcspn(p + 1, "\n"), p + 1);
				p = row;
				for (int f = 0; f < 6 && p; f++)
					p = strchr(p + 1, ' ');
			}
			if (p && !strcmp(p + 1, name))
				n_ok++;
			else
				diag("comm: thread %d: pids row \"%s\", Name: \"%s\"", tid, row, name);
			snprintf(req, sizeof(req), "%" PRIu64 " %d", ns_of(me, 0), tid);
			snprintf(want, sizeof(want), "%" PRIu64 " %d %d %d %s\n", ns_of(me, 0),
				 tid, tid, me, name);
			err = lookup(fd, req, ans, sizeof(ans));
			if (err > 0 && !strcmp(ans, want))
				l_ok++;
			else
				diag("comm: lookup \"%s\": %s \"%.*s\", Name: \"%s\"", req,
				     errname(err), err > 0 ? (int)strcspn(ans, "\n") : 0, ans, name);
		}
		if (dir)
			closedir(dir);
	}
	if (fd >= 0)
		close(fd);
	check(n_ok == (int)NNAMES,
	      "comm: pids shows %d of %d thread names (15 bytes; newline, backslash, tab, space, bytes 0x01 0x7f 0xff; 20 cut to 15) exactly as Name: does",
	      n_ok, (int)NNAMES);
	check(l_ok == (int)NNAMES,
	      "comm: lookup answers %d of %d of them with the name exactly as Name: shows it",
	      l_ok, (int)NNAMES);
	close(name_wr);
	for (i = 0; i < NNAMES; i++)
		pthread_join(th[i], NULL);
	close(name_rd);
}

/* ---- unpriv: lookup as nobody ---- */

static void test_unpriv(void)
{
	pid_t p;
	char ans[256] = "", want[256], name[64] = "";
	uint64_t host = ns_of(1, 0);	/* as root: nobody may not stat it */
	int status;
	struct { int err; char ans[256]; int err2; } *res = gt_shared(4096);

	status_field(1, 0, "Name", name, sizeof(name));
	p = fork();
	if (p == 0) {
		char req[64];
		int fd;

		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			_exit(1);
		fd = open("/proc/nsmon/lookup", O_RDWR);
		if (fd < 0) {
			res->err = -errno;
			_exit(0);
		}
		snprintf(req, sizeof(req), "%" PRIu64 " 1", host);
		res->err = lookup(fd, req, res->ans, sizeof(res->ans));
		res->err2 = lookup(fd, "1 2 3", ans, sizeof(ans));
		_exit(0);
	}
	waitpid(p, &status, 0);
	snprintf(want, sizeof(want), "%" PRIu64 " 1 1 1 %s\n", host, name);
	check(WIFEXITED(status) && !WEXITSTATUS(status) && res->err > 0 &&
	      !strcmp(res->ans, want),
	      "unpriv: uid 65534 opens lookup read-write and translates PID 1 (want \"%.*s\", got %s \"%.*s\")",
	      (int)strcspn(want, "\n"), want, errname(res->err > 0 ? 0 : res->err),
	      res->err > 0 ? (int)strcspn(res->ans, "\n") : 0, res->ans);
	check(res->err2 == -EINVAL, "unpriv: and gets EINVAL for a malformed request (%s)",
	      errname(res->err2));
}

/* ---- many: thousands of namespaces, read in pieces, while others churn ---- */

static int many_rd, many_wr;

static int many_child(void *arg)
{
	char b;

	(void)arg;
	/*
	 * CLONE_VM: raw system calls only, nothing that touches our libc
	 * state.  The fd table is a copy: drop our copy of the write end.
	 */
	syscall(SYS_close, many_wr);
	while (syscall(SYS_read, many_rd, &b, 1) > 0)
		;
	syscall(SYS_exit, 0);
	return 0;
}

static int churn_child(void *arg)
{
	(void)arg;
	return 0;
}

static void test_many(int n)
{
	static const size_t chunks[] = { 1, 100, 4097, 65536, 1 << 20 };
	static char buf[4 << 20];
	uint64_t *inums = calloc(n, sizeof(*inums));
	pid_t *pids = calloc(n, sizeof(*pids));
	char *stacks = mmap(NULL, (size_t)n * 16384, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	int go[2], made = 0, i, k, bad_total = 0;
	volatile int *stop = gt_shared(4096);
	pid_t churn;
	double t0 = now_s();
	char maxns[32];

	if (pipe(go) || stacks == MAP_FAILED || !inums || !pids)
		gt_die("many: setup");
	many_rd = go[0], many_wr = go[1];
	if (slurp("/proc/sys/user/max_pid_namespaces", maxns, sizeof(maxns)) > 0 &&
	    atoi(maxns) < n + 1000) {
		snprintf(maxns, sizeof(maxns), "%d", n + 1000);
		write_str("/proc/sys/user/max_pid_namespaces", maxns, 0);
	}
	for (i = 0; i < n; i++) {
		pids[i] = clone(many_child, stacks + (size_t)(i + 1) * 16384,
				CLONE_VM | CLONE_NEWPID | SIGCHLD, NULL);
		if (pids[i] < 0)
			break;
		inums[i] = ns_of(pids[i], 0);
		made++;
	}
	check(made == n, "many: %d namespaces made, each with a blocked init (%d wanted; %s)",
	      made, n, made == n ? "ok" : strerror(errno));
	for (i = 0; i < made && wait_nsmon_file(inums[i], true, 2000); i++)
		;
	diag("many: %d namespaces in %.1f s", made, now_s() - t0);
	churn = fork();
	if (churn == 0) {
		static char st[64 * 1024] __attribute__((aligned(16)));

		while (!*stop) {
			pid_t c = clone(churn_child, st + sizeof(st), CLONE_NEWPID | SIGCHLD, NULL);

			if (c > 0)
				waitpid(c, NULL, 0);
		}
		_exit(0);
	}
	for (k = 0; k < (int)(sizeof(chunks) / sizeof(chunks[0])); k++) {
		int fd = open("/proc/nsmon/namespaces", O_RDONLY), rows = 0, bad = 0;
		int dup = 0, missing = 0, found = 0;
		size_t len = 0;
		ssize_t r;
		uint64_t prev = 0;
		char *line, *save;

		while (fd >= 0 && len + chunks[k] < sizeof(buf) &&
		       (r = read(fd, buf + len, chunks[k])) > 0)
			len += r;
		if (fd >= 0)
			close(fd);
		buf[len] = '\0';
		line = strtok_r(buf, "\n", &save);
		while ((line = strtok_r(NULL, "\n", &save))) {
			char *p = line, *end;
			uint64_t v[GT_NKEYS];
			size_t f;

			rows++;
			for (f = 0; f < GT_NKEYS; f++, p = end + 1) {
				v[f] = strtoull(p, &end, 10);
				if (end == p || *end != (f + 1 < GT_NKEYS ? ' ' : '\0'))
					break;
			}
			if (f != GT_NKEYS) {
				if (bad++ < 3)
					diag("many: bad row \"%s\"", line);
				continue;
			}
			if (v[K_INUM] <= prev) {
				if (dup++ < 3)
					diag("many: row %" PRIu64 " after %" PRIu64, v[K_INUM], prev);
			}
			prev = v[K_INUM];
			for (i = 0; i < made; i++)
				if (inums[i] == v[K_INUM])
					found++;
		}
		missing = made - found;
		check(bad == 0 && dup == 0 && missing == 0,
		      "many: namespaces read in %zu-byte reads while namespaces come and go: %d rows, every one of the %d namespaces alive throughout exactly once (%d missing, %d out of order or twice, %d malformed)",
		      chunks[k], rows, made, missing, dup, bad);
		bad_total += bad + dup + missing;
	}
	*stop = 1;
	waitpid(churn, NULL, 0);
	close(many_wr);
	for (i = 0; i < made; i++)
		waitpid(pids[i], NULL, 0);
	close(many_rd);
	diag("many: %.1f s in all", now_s() - t0);
	(void)bad_total;
}

/* ---- rmmod-lookup: an fd held across rmmod ---- */

static void test_rmmod_lookup(const char *ko)
{
	char req[64], ans[256];
	int fd, err, err2;
	ssize_t n;

	fd = open("/proc/nsmon/lookup", O_RDWR);
	snprintf(req, sizeof(req), "%" PRIu64 " 1", ns_of(getpid(), 0));
	err = fd < 0 ? -errno : lookup(fd, req, ans, sizeof(ans));
	check(err > 0, "rmmod-lookup: a lookup answered before rmmod (%s)",
	      errname(err > 0 ? 0 : err));
	err = gt_rmmod();
	check(!err, "rmmod-lookup: rmmod with the lookup fd open (%s)", errname(err));
	lseek(fd, 0, SEEK_SET);
	n = read(fd, ans, sizeof(ans));
	err = n < 0 ? -errno : (int)n;
	n = write(fd, req, strlen(req));
	err2 = n < 0 ? -errno : (int)n;
	check(err == -EIO, "rmmod-lookup: read after rmmod gives EIO (%s)", errname(err));
	check(err2 == -EIO, "rmmod-lookup: write after rmmod gives EIO (%s)", errname(err2));
	close(fd);
	err = gt_insmod(ko);
	check(!err, "rmmod-lookup: insmod again (%s)", errname(err));
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(what, "noop"))
		return 0;
	if (access("/nsmon/bin/nsmon-gt", X_OK) == 0)
		self_exe = "/nsmon/bin/nsmon-gt";
	if (!gt_loaded()) {
		check(false, "%s: nsmon is loaded", what);
		return 1;
	}
	if (!strcmp(what, "trace"))
		test_trace();
	else if (!strcmp(what, "views"))
		test_views();
	else if (!strcmp(what, "nest"))
		test_nest();
	else if (!strcmp(what, "comm"))
		test_comm();
	else if (!strcmp(what, "unpriv"))
		test_unpriv();
	else if (!strcmp(what, "many") && argc == 3)
		test_many(atoi(argv[2]));
	else if (!strcmp(what, "rmmod-lookup") && argc == 3)
		test_rmmod_lookup(argv[2]);
	else {
		fprintf(stderr, "usage: nsmon-gt trace|views|nest|comm|unpriv|many N|rmmod-lookup KO\n");
		return 2;
	}
	return gt_failures ? 1 : 0;
}
