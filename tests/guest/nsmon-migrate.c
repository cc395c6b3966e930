// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-migrate: the migrations counter against the kernel's own count.
 *
 * A fresh PID namespace whose init and a second thread of it spin and
 * move themselves between CPU 0 and CPU 1 with sched_setaffinity(), then
 * sleep.  While they sleep, the namespace's `migrations` must equal the
 * sum of se.nr_migrations (/proc/<pid>/task/<tid>/sched) over its tasks:
 * the same moves perf stat -e cpu-migrations counts.  Exact, because every
 * task of the namespace was created after nsmon was loaded and none has
 * exited.  Needs 2 CPUs (the guest has them).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MOVES	200

static int ready[2], hold[2];

static void hop(void)
{
	cpu_set_t set;
	int i;

	for (i = 0; i < MOVES; i++) {
		CPU_ZERO(&set);
		CPU_SET(i & 1, &set);
		sched_setaffinity(0, sizeof(set), &set);
		for (volatile int spin = 0; spin < 20000; spin++)
			;
	}
}

static void *thread_main(void *arg)
{
	char b;

	hop();
	if (write(ready[1], "t", 1) != 1)
		return arg;
	if (read(hold[0], &b, 1) < 0)
		return arg;
	return arg;
}

/* The namespace's init: hop, start a hopping thread, then sleep. */
static int init_main(void)
{
	pthread_t th;
	char b;

	pthread_create(&th, NULL, thread_main, NULL);
	hop();
	if (write(ready[1], "i", 1) != 1)
		return 1;
	if (read(hold[0], &b, 1) < 0)
		return 1;
	return 0;
}

/* One "key value" line of /proc/nsmon/<inum>, or -1. */
static long long nsmon_key(unsigned long inum, const char *key)
{
	char path[64], k[64];
	long long v, found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/nsmon/%lu", inum);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

/* se.nr_migrations of one task, from the kernel's /proc/PID/task/TID/sched. */
static long long nr_migrations(const char *dir)
{
	char path[600], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/sched", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "se.nr_migrations : %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

int main(void)
{
	long long sum = 0, n, got;
	char path[128], dir[512];
	struct dirent *de;
	struct stat st;
	int ntasks = 0;
	DIR *tasks;
	pid_t init;
	char b;
	int i;

	if (pipe(ready) || pipe(hold) || unshare(CLONE_NEWPID)) {
		printf("not ok - migrations: set up a PID namespace (%s)\n",
		       strerror(errno));
		return 1;
	}
	init = fork();
	if (init == 0)
		_exit(init_main());
	close(ready[1]);
	for (i = 0; i < 2; i++)
		if (read(ready[0], &b, 1) != 1)
			break;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	if (i < 2 || stat(path, &st)) {
		printf("not ok - migrations: the workload ran\n");
		return 1;
	}
	/* Both sleep now, on a pipe: nothing moves any more. */
	snprintf(path, sizeof(path), "/proc/%d/task", init);
	tasks = opendir(path);
	while (tasks && (de = readdir(tasks))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", path, de->d_name);
		n = nr_migrations(dir);
		if (n < 0)
			continue;
		sum += n;
		ntasks++;
	}
	if (tasks)
		closedir(tasks);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	stat(path, &st);
	if (!ntasks && access("/proc/self/sched", F_OK)) {
		/* No ground truth here: say so, and count it neither way. */
		printf("# migrations: not checked: this kernel has no /proc/<pid>/sched (CONFIG_SCHED_DEBUG before 6.15)\n");
		kill(init, SIGKILL);
		waitpid(init, NULL, 0);
		return 0;
	}
	got = nsmon_key(st.st_ino, "migrations");
	printf("%s - migrations: namespace %lu: %lld == sum of se.nr_migrations of its %d tasks, %lld\n",
	       got == sum && ntasks == 2 && sum >= MOVES / 2 ? "ok" : "not ok",
	       (unsigned long)st.st_ino, got, ntasks, sum);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	return got == sum ? 0 : 1;
}
