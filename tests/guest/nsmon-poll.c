// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-poll: a namespace whose init's main thread called pthread_exit()
 * while another thread of it lives is alive and well: nsmon must not
 * poll it (issue 11, point 6: the module before it ran its sync work 10
 * times a second until the group died).  The kernel's own tally: the
 * workqueue:workqueue_execute_start events of nsmon's sync work in
 * tracefs, over two quiet seconds.  Then the group dies, and the
 * namespace's file must go (the work does run when there is something
 * to do).
 */
#include "gt.h"
#include <sys/mount.h>

#define TRACE	"/sys/kernel/tracing"

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Lines of the trace buffer that name nsmon's sync work function. */
static int sync_runs(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(TRACE "/trace", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (line[0] != '#' && strstr(line, "function nsmon_sync"))
			n++;
	fclose(f);
	return n;
}

static int hold[2];

static void *survivor(void *arg)
{
	block_on(hold[0]);
	return arg;
}

/* The namespace's init: a second thread, then the main thread leaves. */
static int init_main(void *arg)
{
	pthread_t th;

	(void)arg;
	close(hold[1]);
	pthread_create(&th, NULL, survivor, NULL);
	pthread_exit(NULL);
}

int main(void)
{
	char path[64];
	struct stat st;
	uint64_t inum;
	int runs;
	pid_t init;

	if (access(TRACE "/trace", F_OK) &&
	    mount("nodev", TRACE, "tracefs", 0, NULL)) {
		check(false, "poll: tracefs mounted at " TRACE);
		return 1;
	}
	if (write_file(TRACE "/events/workqueue/workqueue_execute_start/enable",
		       "1") ||
	    write_file(TRACE "/tracing_on", "1")) {
		check(false, "poll: workqueue_execute_start traced");
		return 1;
	}
	if (pipe(hold))
		gt_die("pipe");
	init = gt_spawn(init_main, NULL, CLONE_NEWPID);
	close(hold[0]);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	if (stat(path, &st))
		gt_die("stat ns/pid");
	inum = st.st_ino;
	sanity(wait_nsmon_file(inum, true, 2000),
	       "poll: /proc/nsmon/%" PRIu64 " appeared", inum);
	msleep(500);	/* the main thread is gone by now */
	sanity(task_state(init, init) == 'Z',
	       "poll: the init's main thread exited (state %c)",
	       task_state(init, init));
	write_file(TRACE "/trace", "");
	msleep(2000);
	runs = sync_runs();
	check(runs >= 0 && runs <= 2,
	      "poll: nsmon's sync work ran %d times in 2 s for a namespace whose init's other thread lives (no polling)",
	      runs);
	close(hold[1]);		/* the survivor returns, the group dies */
	waitpid(init, NULL, 0);
	check(wait_nsmon_file(inum, false, 2000),
	      "poll: /proc/nsmon/%" PRIu64 " went when the group died", inum);
	write_file(TRACE "/events/workqueue/workqueue_execute_start/enable",
		   "0");
	write_file(TRACE "/trace", "");
	return gt_failures != 0;
}
