// SPDX-License-Identifier: GPL-2.0
/*
 * hidepid-t: /proc/nsmon/pids, lookup and init_pid against what a procfs
 * mounted with hidepid= shows the same reader (tests/guest/40-hidepid.sh).
 *
 *   hidepid-t spawn UID DUMPABLE NEWNS
 *	start a task of UID (gid = UID) with a second thread, non-dumpable
 *	if DUMPABLE is 0, the init of a new PID namespace if NEWNS is 1;
 *	print its PID and return (it pauses until killed).
 *
 *   hidepid-t read MNT LABEL UID GROUPS FLAGS WANT
 *	become UID (gid = UID, supplementary GROUPS: a comma list or "-"),
 *	FLAGS a comma list of: nodump (PR_SET_DUMPABLE 0), ptrace (keep
 *	CAP_SYS_PTRACE), rootfd (open the nsmon files as root before
 *	becoming UID), userfd (stay root, but open the nsmon files with
 *	euid UID: the files must show what UID may see), or "-".
 *	WANT: PIDs that procfs must show the reader, "-PID" for those it
 *	must hide, comma-separated (a check of the setup), or "-".
 *	Then compare, through the procfs at MNT:
 *	- the tasks of /proc/nsmon/pids with the ground truth: the tasks
 *	  whose MNT/<pid>/task/<tid>/status the reader may open, as listed
 *	  by readdir of MNT and MNT/<pid>/task (taken before and after; a
 *	  task that changed in between is not judged);
 *	- a lookup of every task root sees: an answer exactly for those,
 *	  ESRCH (the errno of a PID that does not exist) for all others;
 *	- init_pid of every row of the namespaces table: the init's PID if
 *	  the reader may see it, else 0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXT 65536

static int failures;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void *pause_thread(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void become(uid_t uid, const char *groups, int keep_ptrace)
{
	gid_t g[32];
	int n = 0;

	if (groups && strcmp(groups, "-")) {
		char *dup = strdup(groups), *tok, *save;

		for (tok = strtok_r(dup, ",", &save); tok && n < 32;
		     tok = strtok_r(NULL, ",", &save))
			g[n++] = (gid_t)atoi(tok);
		free(dup);
	}
	if (setgroups(n, g))
		die("setgroups");
	if (setresgid(uid, uid, uid))
		die("setresgid");
	if (keep_ptrace && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		die("PR_SET_KEEPCAPS");
	if (setresuid(uid, uid, uid))
		die("setresuid");
	if (keep_ptrace) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3 };
		struct __user_cap_data_struct d[2] = { { 0 } };

		d[0].effective = d[0].permitted = 1U << CAP_SYS_PTRACE;
		if (syscall(SYS_capset, &h, d))
			die("capset");
	}
}

static int spawn(uid_t uid, int dumpable, int newns)
{
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe");
	if (newns && unshare(CLONE_NEWPID))
		die("unshare");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		pthread_t th;

		/* Not the caller's stdout: $(hidepid-t spawn) would wait. */
		if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			die("/dev/null");
		become(uid, "-", 0);
		/* A uid change left it non-dumpable (suid_dumpable = 0). */
		if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0))
			die("PR_SET_DUMPABLE");
		if (pthread_create(&th, NULL, pause_thread, NULL))
			die("pthread_create");
		close(p[0]);
		if (write(p[1], "x", 1) != 1)
			die("write");
		close(p[1]);
		pause_thread(NULL);
	}
	close(p[1]);
	{
		char c;

		if (read(p[0], &c, 1) != 1)
			die("spawned task did not start");
	}
	printf("%d\n", (int)pid);
	return 0;
}

static int isnum(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* in[tid] = 1 for every task of MNT the caller may open the status of. */
static void truth(const char *mnt, unsigned char *in)
{
	char path[1024];
	struct dirent *d, *t;
	DIR *dir, *td;

	memset(in, 0, MAXT);
	dir = opendir(mnt);
	if (!dir)
		die(mnt);
	while ((d = readdir(dir))) {
		if (!isnum(d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/task", mnt, d->d_name);
		td = opendir(path);
		if (!td)
			continue;
		while ((t = readdir(td))) {
			int fd, tid;

			if (!isnum(t->d_name))
				continue;
			tid = atoi(t->d_name);
			snprintf(path, sizeof(path), "%s/%s/task/%s/status",
				 mnt, d->d_name, t->d_name);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				continue;
			close(fd);
			if (tid > 0 && tid < MAXT)
				in[tid] = 1;
		}
		closedir(td);
	}
	closedir(dir);
}

/* in[pid] = 1 for every row of a pids file (first column). */
static int read_pids(int fd, unsigned char *in)
{
	FILE *f = fdopen(fd, "r");
	char line[512];
	int n = 0;

	if (!f)
		die("fdopen pids");
	memset(in, 0, MAXT);
	if (!fgets(line, sizeof(line), f))	/* header */
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int pid = atoi(line);

		if (pid > 0 && pid < MAXT)
			in[pid] = 1;
		n++;
	}
	fclose(f);
	return n;
}

static void result(int good, const char *fmt, const char *label,
		   const char *detail)
{
	printf("%s - ", good ? "ok" : "not ok");
	printf(fmt, label);
	if (detail && *detail)
		printf(" (%s)", detail);
	printf("\n");
	if (!good)
		failures++;
}

/* inum of a namespace -> host PID of its init, found as root. */
struct init_map {
	unsigned long inum[256];
	int pid[256];
	int n;
};

static void find_inits(const char *mnt, struct init_map *m)
{
	char path[1024], line[256];
	struct dirent *d;
	DIR *dir = opendir(mnt);

	m->n = 0;
	if (!dir)
		die(mnt);
	while ((d = readdir(dir)) && m->n < 256) {
		struct stat st;
		FILE *f;
		int last = 0;

		if (!isnum(d->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/status", mnt, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *p, *end;

			if (strncmp(line, "NSpid:", 6))
				continue;
			for (p = line + 6;; p = end) {
				long v = strtol(p, &end, 10);

				if (end == p)
					break;
				last = (int)v;
			}
		}
		fclose(f);
		if (last != 1)
			continue;
		snprintf(path, sizeof(path), "%s/%s/ns/pid", mnt, d->d_name);
		if (stat(path, &st))
			continue;
		m->inum[m->n] = st.st_ino;
		m->pid[m->n] = atoi(d->d_name);
		m->n++;
	}
	closedir(dir);
}

static int has_flag(const char *flags, const char *f)
{
	char buf[128], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", flags);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, f))
			return 1;
	return 0;
}

static int read_mode(const char *mnt, const char *label, uid_t uid,
		     const char *groups, const char *flags, const char *want)
{
	static unsigned char all[MAXT], t1[MAXT], t2[MAXT], seen[MAXT];
	char path[1024], detail[256] = "", buf[256];
	int pids_fd, lookup_fd, ns_fd, nall = 0, nvis = 0, bad = 0, i;
	int userfd = has_flag(flags, "userfd");
	struct init_map inits;
	unsigned long host;
	struct stat st;
	FILE *f;

	/* As root: every task, the namespaces' inits, the view's inum. */
	truth(mnt, all);
	find_inits(mnt, &inits);
	snprintf(path, sizeof(path), "%s/self/ns/pid", mnt);
	if (stat(path, &st))
		die(path);
	host = st.st_ino;

	if (has_flag(flags, "rootfd") || userfd) {
		if (userfd) {
			/* Only the effective ids: root again afterwards. */
			if (setegid(uid) || seteuid(uid))
				die("seteuid");
			truth(mnt, t1);
		}
		snprintf(path, sizeof(path), "%s/nsmon/pids", mnt);
		pids_fd = open(path, O_RDONLY);
		snprintf(path, sizeof(path), "%s/nsmon/lookup", mnt);
		lookup_fd = open(path, O_RDWR);
		snprintf(path, sizeof(path), "%s/nsmon/namespaces", mnt);
		ns_fd = open(path, O_RDONLY);
		if (pids_fd < 0 || lookup_fd < 0 || ns_fd < 0)
			die("open nsmon files");
		if (userfd) {
			if (seteuid(0) || setegid(0))
				die("seteuid 0");
		} else {
			become(uid, groups, 0);
			/* A reader with a root fd: it sees what root sees. */
			memcpy(t1, all, MAXT);
		}
	} else {
		become(uid, groups, has_flag(flags, "ptrace"));
		if (prctl(PR_SET_DUMPABLE, !has_flag(flags, "nodump"), 0, 0, 0))
			die("PR_SET_DUMPABLE");
		truth(mnt, t1);
		snprintf(path, sizeof(path), "%s/nsmon/pids", mnt);
		pids_fd = open(path, O_RDONLY);
		snprintf(path, sizeof(path), "%s/nsmon/lookup", mnt);
		lookup_fd = open(path, O_RDWR);
		snprintf(path, sizeof(path), "%s/nsmon/namespaces", mnt);
		ns_fd = open(path, O_RDONLY);
		if (pids_fd < 0 || lookup_fd < 0 || ns_fd < 0)
			die("open nsmon files");
	}

	/* pids. */
	if (read_pids(pids_fd, seen) < 0)
		die("read pids");
	/* lookup of every task, and of one that does not exist. */
	for (i = 1; i < MAXT; i++) {
		int n, ok;

		if (!all[i] && i != MAXT - 1)
			continue;
		n = snprintf(buf, sizeof(buf), "%lu %d\n", host, i);
		ok = write(lookup_fd, buf, n) == n;
		if (!ok && errno != ESRCH) {
			snprintf(detail, sizeof(detail),
				 "lookup %d: %s, not ESRCH", i,
				 strerror(errno));
			bad++;
		}
		if (i == MAXT - 1) {
			if (ok)
				bad++;
			continue;
		}
		/* Remember the answer in seen[] bit 1. */
		if (ok)
			seen[i] |= 2;
	}
	if (userfd)		/* the ground truth as the opener */
		memcpy(t2, t1, MAXT);
	else if (has_flag(flags, "rootfd"))
		/*
		 * Root's procfs shows every task: the truth after the reads
		 * is which tasks still exist (kill(0): ESRCH only for none),
		 * so that one that exited or was born meanwhile is not judged.
		 */
		for (i = 1; i < MAXT; i++)
			t2[i] = !(kill(i, 0) < 0 && errno == ESRCH);
	else
		truth(mnt, t2);

	{
		int pbad = 0, lbad = 0, judged = 0;
		char pd[128] = "", ld[128] = "";

		for (i = 1; i < MAXT - 1; i++) {
			int vis;

			if (t1[i] != t2[i])
				continue;	/* changed meanwhile */
			if (!all[i] && !t1[i] && !(seen[i] & 1))
				continue;
			vis = t1[i];
			judged++;
			nall += all[i];
			nvis += vis;
			if (!!(seen[i] & 1) != vis) {
				if (!pbad++)
					snprintf(pd, sizeof(pd),
						 "pid %d: row %s, procfs %s",
						 i, seen[i] & 1 ? "yes" : "no",
						 vis ? "shows it" : "hides it");
			}
			if (all[i] && !!(seen[i] & 2) != vis) {
				if (!lbad++)
					snprintf(ld, sizeof(ld),
						 "pid %d: answer %s, procfs %s",
						 i, seen[i] & 2 ? "yes" : "no",
						 vis ? "shows it" : "hides it");
			}
		}
		printf("# %s: %d tasks, %d visible to the reader in its procfs, %d judged\n",
		       label, nall, nvis, judged);
		result(pbad == 0, "hidepid pids as %s: exactly the tasks procfs shows",
		       label, pd);
		if (!lbad && bad)
			snprintf(ld, sizeof(ld), "%s",
				 *detail ? detail : "a missing PID answered");
		result(lbad == 0 && bad == 0,
		       "hidepid lookup as %s: answers exactly for them, ESRCH otherwise",
		       label, ld);
	}

	/*
	 * The setup itself: procfs shows the reader the PIDs listed in @want
	 * and hides those listed with a '-' (so that the comparisons above
	 * are not between two empty sets, or two full ones).
	 */
	if (strcmp(want, "-")) {
		char w[256], *tok, *save;

		bad = 0;
		snprintf(w, sizeof(w), "%s", want);
		for (tok = strtok_r(w, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			int hide = *tok == '-', p = atoi(tok + hide);

			if (p > 0 && p < MAXT && t1[p] == hide)
				bad++;
		}
		result(bad == 0, "hidepid setup as %s: procfs shows and hides the targets as intended",
		       label, want);
	}

	/* init_pid in the namespaces table. */
	f = fdopen(ns_fd, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("read namespaces");
	bad = 0;
	detail[0] = 0;
	while (fgets(buf, sizeof(buf), f)) {
		unsigned long inum, level, parent;
		int init, want = 0, j;

		if (sscanf(buf, "%lu %lu %lu %d", &inum, &level, &parent,
			   &init) != 4)
			continue;
		for (j = 0; j < inits.n; j++)
			if (inits.inum[j] == inum)
				break;
		if (j == inits.n)
			continue;	/* no init seen: not judged */
		i = inits.pid[j];
		if (i <= 0 || i >= MAXT || t1[i] != t2[i])
			continue;
		want = t1[i] ? i : 0;
		if (init != want && !bad++)
			snprintf(detail, sizeof(detail),
				 "namespace %lu: init_pid %d, want %d", inum,
				 init, want);
	}
	fclose(f);
	result(bad == 0, "hidepid init_pid as %s: the init's PID only if procfs shows it",
	       label, detail);
	close(pids_fd);
	close(lookup_fd);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "spawn"))
		return spawn((uid_t)atoi(argv[2]), atoi(argv[3]),
			     atoi(argv[4]));
	if (argc == 8 && !strcmp(argv[1], "read"))
		return read_mode(argv[2], argv[3], (uid_t)atoi(argv[4]),
				 argv[5], argv[6], argv[7]);
	fprintf(stderr, "usage: hidepid-t spawn UID DUMPABLE NEWNS | read MNT LABEL UID GROUPS FLAGS WANT\n");
	return 2;
}
