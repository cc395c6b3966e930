// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - nsmon watch: follow /proc/nsmon/events (see README.md, "The
 * /proc contract"), one table row or one JSON object per event.
 *
 * The module filters (the namespace subtree and the kinds are written to
 * the open file); the client also drops kinds it was not asked for, so
 * that a file that is not the module's (a fixture under $NSMON_PROC,
 * where no filter is written) shows the same.  The stream ends at end of
 * file (the module unloaded, or a fixture's end), on SIGINT/SIGTERM/SIGHUP
 * (status 0) and when standard output's reader goes away (EPIPE: status
 * 0, as a pipeline's `| head` expects).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <nsmon/nsmon.h>
#include "output.h"
#include "parse.h"
#include "watch.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC	0x9fa0
#endif

static const char *const kinds[] = { "fork", "thread", "exec", "exit" };
#define NKINDS	4

static const char watch_help[] =
	"Usage: nsmon watch [options] [NS]\n"
	"       nsmon watch [options] --pid PID\n"
	"Follow the fork, thread, exec and exit events of the tasks of namespace\n"
	"NS and the namespaces below it (default: every one visible here), as\n"
	"they happen, from /proc/nsmon/events.  One row per event: the time\n"
	"(CLOCK_MONOTONIC seconds), the event, the PID and TGID here, the\n"
	"namespace, the PID and TGID there, the PIDs from here down (CHAIN),\n"
	"ARG (fork, thread: the creator's PID here; exec: the PID here of the\n"
	"thread that called execve; exit: the exit status), and the command.\n"
	"A 'lost N' row says N events were dropped (the reader was too slow).\n"
	"Ctrl-C ends it.\n"
	"  -p, --pid PID         NS is the namespace of process PID\n"
	"  -e, --events LIST     only these events: fork,thread,exec,exit\n"
	"  -J, --json            one JSON object per line\n"
	"  -n, --noheadings      no header line\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static volatile sig_atomic_t watch_stop;

static void watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* One event line of the file. */
struct ev_rec {
	unsigned long long ts;
	int kind;		/* index in kinds[], or -1 for lost */
	unsigned long long lost;
	pid_t pid, tgid, ns_pid, ns_tgid, arg;
	uint32_t ns;
	size_t nlevels;
	pid_t nspid[NSMON_MAX_LEVELS];
	char comm[NSMON_COMM_MAX];
};

/* A whitespace-free field of @l at *p, strictly decimal, maybe signed. */
static int take_num(const char **p, long long min, unsigned long long max,
		    long long *out)
{
	const char *s = *p, *e = strchr(s, ' ');
	unsigned long long v;
	bool neg = *s == '-';
	size_t len;

	if (!e)
		return -EINVAL;
	len = (size_t)(e - s);
	if (neg && min >= 0)
		return -EINVAL;
	if (parse_u64n(s + neg, len - neg, neg ? (unsigned long long)-min : max,
		       (uint64_t *)&v))
		return -EINVAL;
	*out = neg ? -(long long)v : (long long)v;
	*p = e + 1;
	return 0;
}

/* Parse one line (without its newline); 0 or -EINVAL. */
static int parse_event_line(const char *l, struct ev_rec *r)
{
	const char *p = l, *e;
	long long v[7];
	int i;

	memset(r, 0, sizeof(*r));
	if (!strncmp(l, "lost ", 5)) {
		r->kind = -1;
		return parse_u64(l + 5, UINT64_MAX, (uint64_t *)&r->lost) ||
		       !r->lost ? -EINVAL : 0;
	}
	if (take_num(&p, 0, UINT64_MAX, &v[0]))
		return -EINVAL;
	r->ts = (unsigned long long)v[0];
	e = strchr(p, ' ');
	if (!e)
		return -EINVAL;
	for (r->kind = -1, i = 0; i < NKINDS; i++)
		if ((size_t)(e - p) == strlen(kinds[i]) &&
		    !strncmp(p, kinds[i], (size_t)(e - p)))
			r->kind = i;
	if (r->kind < 0)
		return -EINVAL;
	p = e + 1;
	for (i = 1; i < 6; i++)
		if (take_num(&p, 0, i == 3 ? UINT32_MAX : INT32_MAX, &v[i]))
			return -EINVAL;
	r->pid = (pid_t)v[1];
	r->tgid = (pid_t)v[2];
	r->ns = (uint32_t)v[3];
	r->ns_pid = (pid_t)v[4];
	r->ns_tgid = (pid_t)v[5];
	/* The chain: numbers separated by commas, then a space. */
	for (;;) {
		uint64_t n;
		size_t len = strcspn(p, ", ");

		if (r->nlevels >= NSMON_MAX_LEVELS ||
		    parse_u64n(p, len, INT32_MAX, &n))
			return -EINVAL;
		r->nspid[r->nlevels++] = (pid_t)n;
		p += len;
		if (*p == ' ')
			break;
		if (*p != ',')
			return -EINVAL;
		p++;
	}
	p++;
	if (take_num(&p, INT32_MIN, INT32_MAX, &v[6]))
		return -EINVAL;
	r->arg = (pid_t)v[6];
	if (r->nspid[0] != r->pid || r->nspid[r->nlevels - 1] != r->ns_pid)
		return -EINVAL;
	if (strlen(p) >= sizeof(r->comm))
		return -EINVAL;
	strcpy(r->comm, p);
	return 0;
}

/* Write out what is buffered; a reader that left ends us, status 0. */
static void watch_flush(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		if (errno == EPIPE)
			_exit(EXIT_SUCCESS);
		flush_stdout();
	}
}

static void print_header(void)
{
	printf("%-17s %-6s %7s %7s %10s %7s %7s %-16s %7s %s\n", "TIME",
	       "EVENT", "PID", "TGID", "NS", "NSPID", "NSTGID", "CHAIN",
	       "ARG", "COMMAND");
}

static void print_row(const struct ev_rec *r, bool json)
{
	char chain[NSMON_MAX_LEVELS * 12], safe[NSMON_COMM_MAX * 4];
	static const char *const argname[] = { "parent", "parent", "old_pid",
					       "exit_code" };
	size_t i, o = 0;

	if (r->kind < 0) {
		if (json)
			printf("{\"event\":\"lost\",\"lost\":%llu}\n", r->lost);
		else
			printf("lost %llu events\n", r->lost);
		return;
	}
	chain[0] = '\0';
	for (i = 0; i < r->nlevels; i++)
		o += (size_t)snprintf(chain + o, sizeof(chain) - o,
				      i ? ",%d" : "%d", (int)r->nspid[i]);
	if (!json) {
		printf("%10llu.%06llu %-6s %7d %7d %10u %7d %7d %-16s %7d %s\n",
		       r->ts / 1000000000ULL, r->ts / 1000 % 1000000,
		       kinds[r->kind], (int)r->pid, (int)r->tgid, r->ns,
		       (int)r->ns_pid, (int)r->ns_tgid, chain, (int)r->arg,
		       utf8_safe(safe, sizeof(safe), r->comm));
		return;
	}
	printf("{\"time_ns\":%llu,\"event\":\"%s\",\"pid\":%d,\"tgid\":%d,"
	       "\"ns\":%u,\"ns_pid\":%d,\"ns_tgid\":%d,\"nspid\":[",
	       r->ts, kinds[r->kind], (int)r->pid, (int)r->tgid, r->ns,
	       (int)r->ns_pid, (int)r->ns_tgid);
	for (i = 0; i < r->nlevels; i++)
		printf("%s%d", i ? "," : "", (int)r->nspid[i]);
	printf("],\"%s\":%d,\"comm\":", argname[r->kind], (int)r->arg);
	json_string(stdout, r->comm);
	printf("}\n");
}

/* "fork,exec": a mask of kinds[]; 0 when malformed. */
static unsigned int parse_kinds(const char *s)
{
	unsigned int mask = 0, i;
	const char *p = s;

	while (*p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < NKINDS; i++)
			if (len == strlen(kinds[i]) &&
			    !strncmp(p, kinds[i], len))
				break;
		if (i == NKINDS || (mask & (1u << i)))
			return 0;
		mask |= 1u << i;
		p += len;
		if (*p == ',' && !*++p)
			return 0;
	}
	return mask;
}

/* Open the events file; the reasons it may refuse, in words. */
static int open_events(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		fail_errno(errno, path, errno == EBUSY ?
			   "too many readers (the module's events_max_readers, or events_max_user_readers for one user)" :
			   errno == ENOENT ? "the module has no events file (too old?)" :
			   NULL);
	return fd;
}

int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "events", required_argument, NULL, 'e' },
		{ "json", no_argument, NULL, 'J' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char path[PATH_MAX], err[NSMON_ERR_MAX], filter[NSMON_EVENTS_FILTER_MAX];
	static char buf[1 << 16];
	const char *events = NULL;
	bool json = false, noheadings = false, have_pid = false;
	unsigned int mask = (1u << NKINDS) - 1;
	uint32_t inum = 0;
	struct sigaction sa;
	struct statfs sfs;
	size_t len = 0, fl = 0, i;
	pid_t pid = 0;
	int c, fd;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+:p:e:JnhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_pid(optarg, &pid))
				usage_error("watch: --pid '%s': malformed PID",
					    optarg);
			have_pid = true;
			break;
		case 'e':
			events = optarg;
			mask = parse_kinds(optarg);
			if (!mask)
				usage_error("watch: --events '%s': a comma-separated list of fork, thread, exec, exit",
					    optarg);
			break;
		case 'J': json = true; break;
		case 'n': noheadings = true; break;
		case 'h': fputs(watch_help, stdout); exit(EXIT_SUCCESS);
		case 'V': print_version();
		case ':':
			usage_error("watch: option %s needs an argument",
				    argv[optind - 1]);
		default:
			usage_error("watch: unknown option %s", argv[optind - 1]);
		}
	}
	if (argc - optind > (have_pid ? 0 : 1))
		usage_error("watch: give at most one NS, or --pid PID");
	if (have_pid && argc > optind)
		usage_error("watch: give at most one NS, or --pid PID");
	if (have_pid) {
		if (ns_of_pid(pid, &inum, err))
			fail("%s", err);
	} else if (argc > optind) {
		inum = resolve_ns("watch", argv[optind]);
	}

	need_module();
	if (proc_path(path, sizeof(path), "%s/%s", NSMON_PROC_DIR,
		      NSMON_PROC_EVENTS))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	fd = open_events(path, O_RDONLY);
	/*
	 * The filter goes to the module's file only, not to a fixture.  Open
	 * it again for writing, after closing the first: each open file is a
	 * reader, and a user may hold only a few (events_max_user_readers).
	 */
	if ((inum || events) && !fstatfs(fd, &sfs) &&
	    sfs.f_type == PROC_SUPER_MAGIC) {
		close(fd);
		fd = open_events(path, O_RDWR);
		if (inum)
			fl += (size_t)snprintf(filter + fl, sizeof(filter) - fl,
					       "ns=%u", inum);
		if (events)
			fl += (size_t)snprintf(filter + fl, sizeof(filter) - fl,
					       "%sevents=%s", fl ? " " : "",
					       events);
		if (fl >= sizeof(filter) ||
		    write(fd, filter, fl) != (ssize_t)fl)
			fail_errno(fl >= sizeof(filter) ? EINVAL : errno, path,
				   errno == ENOENT ?
				   "no namespace %u visible here" : NULL, inum);
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watch_signal;	/* no SA_RESTART: read() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (!json && !noheadings)
		print_header();
	watch_flush();
	while (!watch_stop) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
		char *l, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail_errno(errno, path, NULL);
		if (n == 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		for (l = buf; (nl = memchr(l, '\n', len - (size_t)(l - buf)));
		     l = nl + 1) {
			struct ev_rec r;

			*nl = '\0';
			if (parse_event_line(l, &r)) {
				quote_bytes(err, sizeof(err), l, strlen(l), 80);
				fail("%s: malformed line '%s'", path, err);
			}
			if (r.kind >= 0 && !(mask & (1u << r.kind)))
				continue;
			print_row(&r, json);
		}
		i = len - (size_t)(l - buf);
		if (i == sizeof(buf) - 1)
			fail("%s: a line longer than %zu bytes", path, i);
		memmove(buf, l, i);
		len = i;
		watch_flush();
	}
	if (len)
		fail("%s: the last line has no end", path);
	close(fd);
	watch_flush();
	return 0;
}
