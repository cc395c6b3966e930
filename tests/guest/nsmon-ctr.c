// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon-ctr: what tests/guest/69-containers.sh needs and busybox has not.
 *
 *   nsmon-ctr as UID CMD...       run CMD as UID (gid UID, no groups)
 *   nsmon-ctr cgns CGDIR CMD...   move into cgroup CGDIR, unshare the
 *                                 cgroup namespace (rooted there), run CMD
 *   nsmon-ctr timens CMD...       unshare the time namespace if the kernel
 *                                 has one, run CMD in a child (which is in
 *                                 it: busybox's unshare -f uses vfork(),
 *                                 which fails with EINVAL in a task whose
 *                                 children go to another time namespace)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME	0x00000080
#endif

static void die(const char *what)
{
	perror(what);
	exit(2);
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "as")) {
		unsigned int id = (unsigned int)strtoul(argv[2], NULL, 10);

		if (setgroups(0, NULL) || setgid(id) || setuid(id))
			die("setuid");
		execvp(argv[3], argv + 3);
		die(argv[3]);
	}
	if (argc >= 4 && !strcmp(argv[1], "cgns")) {
		char path[4096], pid[32];
		int fd, n;

		snprintf(path, sizeof(path), "%s/cgroup.procs", argv[2]);
		n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		fd = open(path, O_WRONLY);
		if (fd < 0 || write(fd, pid, (size_t)n) != n)
			die(path);
		close(fd);
		if (unshare(CLONE_NEWCGROUP))
			die("unshare(CLONE_NEWCGROUP)");
		execvp(argv[3], argv + 3);
		die(argv[3]);
	}
	if (argc >= 3 && !strcmp(argv[1], "timens")) {
		int st;
		pid_t pid;

		if (unshare(CLONE_NEWTIME) && errno != EINVAL)
			die("unshare(CLONE_NEWTIME)");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (!pid) {
			execvp(argv[2], argv + 2);
			die(argv[2]);
		}
		if (waitpid(pid, &st, 0) != pid)
			die("waitpid");
		return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	fprintf(stderr, "usage: nsmon-ctr as UID CMD... | cgns CGDIR CMD... | timens CMD...\n");
	return 2;
}
