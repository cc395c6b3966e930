// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon(1) - per-PID-namespace counters and PID translation, from the
 * nsmon kernel module's /proc/nsmon files.  See nsmon.1.
 *
 * Tables and JSON go through libsmartcols (the library of lsns and lsblk);
 * the module is loaded, unloaded and inspected through libkmod.  Every
 * parser lives in parse.c, which has unit tests of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libkmod.h>
#include <libsmartcols.h>

#include <nsmon/nsmon.h>
#include "parse.h"

#define EXIT_USAGE	2

/* ---- errors ---------------------------------------------------------- */

static void __attribute__((noreturn, format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("nsmon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

/* "nsmon: PATH: Text (ENAME)[: detail]", exit 1. */
static void __attribute__((noreturn, format(printf, 3, 4)))
fail_errno(int err, const char *path, const char *fmt, ...)
{
	char detail[512] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	fail("%s: %s (%s)%s%s", path, strerror(err), errno_name(err),
	     *detail ? ": " : "", detail);
}

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("nsmon: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see nsmon --help)\n", stderr);
	exit(EXIT_USAGE);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		fail("out of memory");
	return p;
}

/* getopt_long() said '?' (opterr is 0): name the option, exit 2. */
static void __attribute__((noreturn)) bad_option(char **argv)
{
	if (optopt)
		usage_error("%s: unknown option or missing argument: -%c",
			    argv[0], optopt);
	usage_error("%s: unknown option or missing argument: %s", argv[0],
		    argv[optind - 1]);
}

/* ---- reading /proc/nsmon ------------------------------------------- */

static void need_module(void)
{
	char path[PATH_MAX];
	struct stat st;

	if (proc_path(path, sizeof(path), "%s", NSMON_PROC_DIR))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	if (stat(path, &st))
		fail_errno(errno, path, errno == ENOENT ?
			   "the %s module is not loaded (nsmon load)" : NULL,
			   NSMON_MODULE_NAME);
}

/* Read <proc>/nsmon/<name>; ENOENT of a namespace file is explained. */
static char *read_nsmon(const char *name, uint32_t inum, char *path,
			size_t size)
{
	char *text;
	size_t len;
	int ret;

	need_module();
	if (proc_path(path, size, "%s/%s", NSMON_PROC_DIR, name))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	ret = read_file(path, &text, &len);
	if (ret == -ENOENT && inum)
		fail_errno(ENOENT, path, "no namespace %u visible here", inum);
	if (ret)
		fail_errno(-ret, path, NULL);
	return text;
}

static struct ns_rec *read_namespaces(size_t *n)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX];
	struct ns_rec *recs;
	char *text = read_nsmon(NSMON_PROC_NAMESPACES, 0, path, sizeof(path));

	if (parse_namespaces(text, &recs, n, err))
		fail("%s: %s", path, err);
	free(text);
	return recs;
}

static void read_ns(uint32_t inum, struct ns_rec *r)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], name[16];
	char *text;

	snprintf(name, sizeof(name), "%u", inum);
	text = read_nsmon(name, inum, path, sizeof(path));
	if (parse_ns_file(text, r, err))
		fail("%s: %s", path, err);
	free(text);
}

static struct pid_rec *read_pids(size_t *n)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX];
	struct pid_rec *recs;
	char *text = read_nsmon(NSMON_PROC_PIDS, 0, path, sizeof(path));

	if (parse_pids(text, &recs, n, err))
		fail("%s: %s", path, err);
	free(text);
	return recs;
}

/* The command of process @pid (in the view), or "" if it is gone. */
static void comm_of(pid_t pid, char *buf, size_t size)
{
	char path[PATH_MAX], *text, *nl;
	size_t len;

	buf[0] = '\0';
	if (pid <= 0 || proc_path(path, sizeof(path), "%d/comm", (int)pid) ||
	    read_file(path, &text, &len))
		return;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
}

/* ---- numbers for people -------------------------------------------- */

static bool opt_thousands;

static const char *fmt_u64(char *buf, size_t size, uint64_t v, bool human)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	if (!human || !opt_thousands) {
		snprintf(buf, size, "%s", tmp);
		return buf;
	}
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

/* Nanoseconds as seconds with @prec decimals (1..9), truncated. */
static const char *fmt_secs(char *buf, size_t size, uint64_t ns, int prec)
{
	uint64_t div = 1;
	int i;

	for (i = prec; i < 9; i++)
		div *= 10;
	snprintf(buf, size, "%llu.%0*llu", (unsigned long long)(ns / 1000000000),
		 prec, (unsigned long long)(ns % 1000000000 / div));
	return buf;
}

/* ---- tables through libsmartcols ----------------------------------- */

struct coldef {
	const char *name;
	double whint;
	int flags;
	int json;
	const char *help;
};

static struct {
	bool json, raw, noheadings, tree, total;
	const char *output;
} opt;

struct table {
	struct libscols_table *tb;
	const struct coldef *defs;
	size_t ndefs;
	int sel[64];		/* column ids, in output order */
	size_t nsel;
};

/* The table being filled, freed at exit if an error cuts it short. */
static struct libscols_table *pending;

static void free_pending(void)
{
	scols_unref_table(pending);
	pending = NULL;
}

static int col_id(const struct coldef *defs, size_t ndefs, const char *name,
		  size_t len)
{
	size_t i;

	for (i = 0; i < ndefs; i++)
		if (strlen(defs[i].name) == len &&
		    !strncasecmp(defs[i].name, name, len))
			return (int)i;
	return -1;
}

/* The columns of -o LIST ("+LIST" appends to @def), else @def. */
static void select_columns(struct table *t, const char *def)
{
	const char *list = opt.output && *opt.output ? opt.output : def;
	const char *p;
	int pass;

	t->nsel = 0;
	/* "+LIST": the defaults first, then LIST. */
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0) {
			if (list[0] != '+')
				continue;
			p = def;
		} else {
			p = list[0] == '+' ? list + 1 : list;
		}
		while (*p) {
			size_t len = strcspn(p, ",");
			int id = col_id(t->defs, t->ndefs, p, len);

			if (id < 0)
				usage_error("unknown column '%.*s' (nsmon COMMAND -H lists them)",
					    (int)len, p);
			if (t->nsel == sizeof(t->sel) / sizeof(t->sel[0]))
				usage_error("too many columns");
			t->sel[t->nsel++] = id;
			p += len;
			if (*p == ',')
				p++;
		}
	}
	if (!t->nsel)
		usage_error("no columns selected");
}

static void table_init(struct table *t, const char *name,
		       const struct coldef *defs, size_t ndefs, const char *def)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->defs = defs;
	t->ndefs = ndefs;
	select_columns(t, def);
	t->tb = scols_new_table();
	if (!t->tb)
		fail("out of memory");
	if (!pending)
		pending = t->tb;
	scols_table_set_name(t->tb, name);
	scols_table_enable_json(t->tb, opt.json);
	scols_table_enable_raw(t->tb, opt.raw);
	scols_table_enable_noheadings(t->tb, opt.noheadings);
	for (i = 0; i < t->nsel; i++) {
		const struct coldef *d = &defs[t->sel[i]];
		int flags = d->flags;
		struct libscols_column *cl;

		if (opt.tree && i == 0)
			flags |= SCOLS_FL_TREE;
		cl = scols_table_new_column(t->tb, d->name, d->whint, flags);
		if (!cl)
			fail("out of memory");
		scols_column_set_json_type(cl, d->json);
	}
}

static struct libscols_line *table_line(struct table *t,
					struct libscols_line *parent)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, parent);

	if (!ln)
		fail("out of memory");
	return ln;
}

static void cell(struct table *t, struct libscols_line *ln, int id,
		 const char *data)
{
	size_t i;

	for (i = 0; i < t->nsel; i++)
		if (t->sel[i] == id && scols_line_set_data(ln, i, data))
			fail("out of memory");
}

static void table_free(struct table *t)
{
	if (pending == t->tb)
		pending = NULL;
	scols_unref_table(t->tb);
	t->tb = NULL;
}

static void table_print(struct table *t)
{
	scols_print_table(t->tb);
	table_free(t);
	fflush(stdout);
}

/* -H: the columns of a command and what they mean, as a table too. */
static void list_columns(const struct coldef *defs, size_t ndefs)
{
	static const struct coldef hdefs[] = {
		{ "NAME", 0, 0, SCOLS_JSON_STRING, "column name" },
		{ "DESCRIPTION", 0, 0, SCOLS_JSON_STRING, "what it shows" },
	};
	struct table t;
	size_t i;

	opt.output = NULL;
	opt.tree = false;
	table_init(&t, "columns", hdefs, 2, "NAME,DESCRIPTION");
	for (i = 0; i < ndefs; i++) {
		struct libscols_line *ln = table_line(&t, NULL);

		cell(&t, ln, 0, defs[i].name);
		cell(&t, ln, 1, defs[i].help);
	}
	table_print(&t);
	exit(EXIT_SUCCESS);
}

/* ---- NS arguments ---------------------------------------------------- */

static bool have_ns_pid;
static pid_t ns_pid_opt;

static void set_ns_pid(const char *arg)
{
	if (parse_pid(arg, &ns_pid_opt))
		fail("'%s': malformed PID", arg);
	have_ns_pid = true;
}

/* The namespace of --pid PID, or of the argument @arg. */
static uint32_t resolve_ns(const char *arg)
{
	char err[NSMON_ERR_MAX];
	uint32_t inum;

	if (have_ns_pid) {
		if (ns_of_pid(ns_pid_opt, &inum, err))
			fail("%s", err);
		return inum;
	}
	if (ns_of_arg(arg, &inum, err))
		fail("%s", err);
	return inum;
}

/* ---- nsmon list / show ----------------------------------------------- */

enum {
	LC_INUM, LC_LEVEL, LC_PARENT, LC_INIT, LC_COMMAND, LC_TASKS, LC_PROCS,
	LC_FORKS, LC_THREADS, LC_EXECS, LC_EXITS, LC_SWITCHES, LC_VOLUNTARY,
	LC_INVOLUNTARY, LC_CPU, LC_CPU_NS, LC_COUNT
};

#define N SCOLS_JSON_NUMBER
#define S SCOLS_JSON_STRING
#define R SCOLS_FL_RIGHT
static const struct coldef ns_cols[LC_COUNT] = {
	[LC_INUM] = { "INUM", 10, 0, N, "namespace inode number" },
	[LC_LEVEL] = { "LEVEL", 1, R, N, "nesting level, 0 = initial namespace" },
	[LC_PARENT] = { "PARENT", 10, R, N, "parent's inode number (0: none visible)" },
	[LC_INIT] = { "INIT", 5, R, N, "PID of the namespace's init, 0 once it exited" },
	[LC_COMMAND] = { "COMMAND", 0.2, SCOLS_FL_TRUNC, S, "command of the namespace's init" },
	[LC_TASKS] = { "TASKS", 5, R, N, "live tasks (threads)" },
	[LC_PROCS] = { "PROCS", 5, R, N, "live processes (thread-group leaders)" },
	[LC_FORKS] = { "FORKS", 5, R, N, "processes created" },
	[LC_THREADS] = { "THREADS", 5, R, N, "threads created" },
	[LC_EXECS] = { "EXECS", 5, R, N, "successful execve calls" },
	[LC_EXITS] = { "EXITS", 5, R, N, "task exits" },
	[LC_SWITCHES] = { "SWITCHES", 8, R, N, "context switches (voluntary + involuntary)" },
	[LC_VOLUNTARY] = { "VOLUNTARY", 8, R, N, "voluntary context switches" },
	[LC_INVOLUNTARY] = { "INVOLUNTARY", 8, R, N, "involuntary context switches" },
	[LC_CPU] = { "CPU", 8, R, N, "CPU time in seconds" },
	[LC_CPU_NS] = { "CPU_NS", 12, R, N, "CPU time in nanoseconds" },
};
#define LIST_DEFAULT \
	"INUM,LEVEL,PARENT,INIT,COMMAND,TASKS,PROCS,FORKS,THREADS,EXECS,EXITS,SWITCHES,CPU"
#define LIST_ALL \
	"INUM,LEVEL,PARENT,INIT,COMMAND,TASKS,PROCS,FORKS,THREADS,EXECS,EXITS,SWITCHES,VOLUNTARY,INVOLUNTARY,CPU,CPU_NS"

/* The counters that --total adds up over descendants. */
static const int summed[] = { NSK_TASKS, NSK_PROCESSES, NSK_FORKS,
	NSK_THREADS, NSK_EXECS, NSK_EXITS, NSK_SWITCHES, NSK_VOLUNTARY,
	NSK_INVOLUNTARY, NSK_CPU_NS };

static void ns_cells(struct table *t, struct libscols_line *ln,
		     const struct ns_rec *r, bool human)
{
	static const struct { int col, key; } map[] = {
		{ LC_TASKS, NSK_TASKS }, { LC_PROCS, NSK_PROCESSES },
		{ LC_FORKS, NSK_FORKS }, { LC_THREADS, NSK_THREADS },
		{ LC_EXECS, NSK_EXECS }, { LC_EXITS, NSK_EXITS },
		{ LC_SWITCHES, NSK_SWITCHES }, { LC_VOLUNTARY, NSK_VOLUNTARY },
		{ LC_INVOLUNTARY, NSK_INVOLUNTARY }, { LC_CPU_NS, NSK_CPU_NS },
	};
	char buf[64], comm[NSMON_COMM_MAX];
	size_t i;

	human = human && !opt.json && !opt.raw;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->v[NSK_INUM]);
	cell(t, ln, LC_INUM, buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->v[NSK_LEVEL]);
	cell(t, ln, LC_LEVEL, buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->v[NSK_PARENT]);
	cell(t, ln, LC_PARENT, buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->v[NSK_INIT_PID]);
	cell(t, ln, LC_INIT, buf);
	comm_of((pid_t)r->v[NSK_INIT_PID], comm, sizeof(comm));
	cell(t, ln, LC_COMMAND, comm);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		cell(t, ln, map[i].col,
		     fmt_u64(buf, sizeof(buf), r->v[map[i].key], human));
	cell(t, ln, LC_CPU, fmt_secs(buf, sizeof(buf), r->v[NSK_CPU_NS], 3));
}

static int cmp_level_inum(const void *a, const void *b)
{
	const struct ns_rec *x = a, *y = b;

	if (x->v[NSK_LEVEL] != y->v[NSK_LEVEL])
		return x->v[NSK_LEVEL] < y->v[NSK_LEVEL] ? -1 : 1;
	if (x->v[NSK_INUM] != y->v[NSK_INUM])
		return x->v[NSK_INUM] < y->v[NSK_INUM] ? -1 : 1;
	return 0;
}

static int cmp_inum(const void *a, const void *b)
{
	const struct ns_rec *x = a, *y = b;

	if (x->v[NSK_INUM] != y->v[NSK_INUM])
		return x->v[NSK_INUM] < y->v[NSK_INUM] ? -1 : 1;
	return 0;
}

static ssize_t find_inum(const struct ns_rec *r, size_t n, uint64_t inum)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].v[NSK_INUM] == inum)
			return (ssize_t)i;
	return -1;
}

/* --total: each namespace's counters plus those of its descendants. */
static void add_descendants(struct ns_rec *out, const struct ns_rec *in,
			    size_t n)
{
	size_t i, k;
	ssize_t a;

	for (i = 0; i < n; i++)
		out[i] = in[i];
	for (i = 0; i < n; i++) {
		/* Add in[i] to every ancestor of it in the table. */
		uint64_t p = in[i].v[NSK_PARENT];
		int guard = NSMON_MAX_LEVELS;

		while (p && guard-- > 0 && (a = find_inum(in, n, p)) >= 0) {
			for (k = 0; k < sizeof(summed) / sizeof(summed[0]); k++)
				out[a].v[summed[k]] += in[i].v[summed[k]];
			p = in[a].v[NSK_PARENT];
		}
	}
}

static const char list_help[] =
	"Usage: nsmon list [options]\n"
	"Every visible PID namespace and its counters.\n"
	"  -T, --tree            show the namespaces' nesting\n"
	"      --total           add each namespace's descendants to its counters\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output (no alignment)\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n"
	"      --thousands       thousands separators in counts\n";

enum { OPT_TOTAL = 256, OPT_THOUSANDS, OPT_HOST, OPT_NOHEAD };

static const struct option table_opts[] = {
	{ "tree", no_argument, NULL, 'T' },
	{ "total", no_argument, NULL, OPT_TOTAL },
	{ "output", required_argument, NULL, 'o' },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "thousands", no_argument, NULL, OPT_THOUSANDS },
	{ "pid", required_argument, NULL, 'p' },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/*
 * The options shared by the table commands; @allowed lists the short
 * options (and 'P' for --total, 'K' for --thousands, 'X' for --host) the
 * command takes.  Returns the index of the first operand.
 */
static int table_options(int argc, char **argv, const char *allowed,
			 const char *help, const struct coldef *defs,
			 size_t ndefs, const char **host)
{
	bool want_columns = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "To:JrnHp:h", table_opts,
				NULL)) != -1) {
		int key = c == OPT_TOTAL ? 'P' : c == OPT_THOUSANDS ? 'K' :
			  c == OPT_HOST ? 'X' : c;

		if (c == '?')
			bad_option(argv);
		if (c == 'h') {
			fputs(help, stdout);
			exit(EXIT_SUCCESS);
		}
		if (!strchr(allowed, key))
			usage_error("%s: option '%s' is not for this command",
				    argv[0], argv[optind - 1]);
		switch (key) {
		case 'T': opt.tree = true; break;
		case 'P': opt.total = true; break;
		case 'o': opt.output = optarg; break;
		case 'J': opt.json = true; break;
		case 'r': opt.raw = true; break;
		case 'n': opt.noheadings = true; break;
		case 'H': want_columns = true; break;
		case 'K': opt_thousands = true; break;
		case 'p': set_ns_pid(optarg); break;
		case 'X': *host = optarg; break;
		}
	}
	if (want_columns)
		list_columns(defs, ndefs);
	return optind;
}

static int cmd_list(int argc, char **argv)
{
	struct libscols_line **lines;
	struct ns_rec *recs, *shown;
	struct table t;
	size_t n, i;
	int first;

	/* -n takes no argument here: rewrite the short option string. */
	first = table_options(argc, argv, "TPoJrnHK", list_help, ns_cols,
			      LC_COUNT, NULL);
	if (first != argc)
		usage_error("list: unexpected argument '%s'", argv[first]);
	/* Columns first: a bad -o fails before anything is read. */
	table_init(&t, "namespaces", ns_cols, LC_COUNT, LIST_DEFAULT);
	recs = read_namespaces(&n);
	qsort(recs, n, sizeof(*recs), opt.tree ? cmp_level_inum : cmp_inum);
	shown = xcalloc(n, sizeof(*shown));
	if (opt.total)
		add_descendants(shown, recs, n);
	else
		memcpy(shown, recs, n * sizeof(*recs));
	lines = xcalloc(n, sizeof(*lines));
	for (i = 0; i < n; i++) {
		struct libscols_line *parent = NULL;

		if (opt.tree) {
			/* Sorted by level: a parent's line already exists. */
			ssize_t p = find_inum(recs, i, recs[i].v[NSK_PARENT]);

			if (recs[i].v[NSK_PARENT] && p >= 0)
				parent = lines[p];
		}
		lines[i] = table_line(&t, parent);
		ns_cells(&t, lines[i], &shown[i], true);
	}
	table_print(&t);
	free(lines);
	free(shown);
	free(recs);
	return 0;
}

static const char show_help[] =
	"Usage: nsmon show [options] NS\n"
	"       nsmon show [options] --pid PID\n"
	"One namespace, all its counters.  NS is an inode number or a path to\n"
	"a namespace file (/proc/PID/ns/pid); --pid PID: that process's namespace.\n"
	"  -J, --json            JSON output (one object, numbers unformatted)\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"      --thousands       thousands separators in counts\n";

static int cmd_show(int argc, char **argv)
{
	static const struct coldef kv[] = {
		{ "FIELD", 0, 0, S, "counter" },
		{ "VALUE", 0, 0, S, "value" },
	};
	static const struct { const char *label; int col; } rows[] = {
		{ "namespace", LC_INUM }, { "level", LC_LEVEL },
		{ "parent", LC_PARENT }, { "init pid", LC_INIT },
		{ "init command", LC_COMMAND }, { "tasks", LC_TASKS },
		{ "processes", LC_PROCS }, { "forks", LC_FORKS },
		{ "threads", LC_THREADS }, { "execs", LC_EXECS },
		{ "exits", LC_EXITS }, { "switches", LC_SWITCHES },
		{ "voluntary switches", LC_VOLUNTARY },
		{ "involuntary switches", LC_INVOLUNTARY },
		{ "cpu time (s)", LC_CPU },
	};
	struct table t, one;
	struct libscols_line *ln;
	struct ns_rec r;
	uint32_t inum;
	size_t i, j;
	int first;

	first = table_options(argc, argv, "JrnpK", show_help, ns_cols,
			      LC_COUNT, NULL);
	if (argc - first != (have_ns_pid ? 0 : 1))
		usage_error("show: give one NS, or --pid PID");
	inum = resolve_ns(have_ns_pid ? NULL : argv[first]);
	read_ns(inum, &r);
	if (opt.json) {
		/* One object with every column, numbers as numbers. */
		table_init(&one, "namespace", ns_cols, LC_COUNT, LIST_ALL);
		ns_cells(&one, table_line(&one, NULL), &r, false);
		table_print(&one);
		return 0;
	}
	/* Lay the columns of one list line out vertically. */
	table_init(&one, "namespace", ns_cols, LC_COUNT, LIST_ALL);
	ln = table_line(&one, NULL);
	ns_cells(&one, ln, &r, true);
	table_init(&t, "namespace", kv, 2, "FIELD,VALUE");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct libscols_line *row = table_line(&t, NULL);
		const char *v = "";

		for (j = 0; j < one.nsel; j++)
			if (one.sel[j] == rows[i].col) {
				struct libscols_cell *c = scols_line_get_cell(ln, j);

				v = scols_cell_get_data(c);
			}
		cell(&t, row, 0, rows[i].label);
		cell(&t, row, 1, v ? v : "");
	}
	table_print(&t);
	table_free(&one);
	return 0;
}

/* ---- nsmon ps ------------------------------------------------------ */

enum { PC_PID, PC_TGID, PC_NS_PID, PC_NS_TGID, PC_NSPID, PC_COMMAND,
	PC_COUNT };
static const struct coldef ps_cols[PC_COUNT] = {
	[PC_PID] = { "PID", 5, R, N, "PID here (in the view namespace)" },
	[PC_TGID] = { "TGID", 5, R, N, "thread-group ID here" },
	[PC_NS_PID] = { "NSPID", 5, R, N, "PID inside the namespace" },
	[PC_NS_TGID] = { "NSTGID", 5, R, N, "thread-group ID inside the namespace" },
	[PC_NSPID] = { "CHAIN", 10, 0, S, "PIDs from here down to the namespace, as NSpid: in /proc/PID/status" },
	[PC_COMMAND] = { "COMMAND", 0.3, SCOLS_FL_TRUNC, S, "command" },
};

static const char ps_help[] =
	"Usage: nsmon ps [options] NS\n"
	"       nsmon ps [options] --pid PID\n"
	"The tasks (threads included) whose active PID namespace is NS.\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n";

static int cmd_ps(int argc, char **argv)
{
	struct pid_rec *recs;
	struct table t;
	struct ns_rec r;
	uint32_t inum;
	size_t n, i, k;
	int first;

	first = table_options(argc, argv, "oJrnHp", ps_help, ps_cols,
			      PC_COUNT, NULL);
	if (argc - first != (have_ns_pid ? 0 : 1))
		usage_error("ps: give one NS, or --pid PID");
	inum = resolve_ns(have_ns_pid ? NULL : argv[first]);
	table_init(&t, "tasks", ps_cols, PC_COUNT,
		   "PID,TGID,NSPID,NSTGID,CHAIN,COMMAND");
	read_ns(inum, &r);	/* fails unless the namespace is visible */
	recs = read_pids(&n);
	for (i = 0; i < n; i++) {
		struct libscols_line *ln;
		char buf[NSMON_MAX_LEVELS * 12];
		size_t o = 0;

		if (recs[i].ns != inum)
			continue;
		ln = table_line(&t, NULL);
		snprintf(buf, sizeof(buf), "%d", (int)recs[i].pid);
		cell(&t, ln, PC_PID, buf);
		snprintf(buf, sizeof(buf), "%d", (int)recs[i].tgid);
		cell(&t, ln, PC_TGID, buf);
		snprintf(buf, sizeof(buf), "%d", (int)recs[i].ns_pid);
		cell(&t, ln, PC_NS_PID, buf);
		snprintf(buf, sizeof(buf), "%d", (int)recs[i].ns_tgid);
		cell(&t, ln, PC_NS_TGID, buf);
		for (k = 0; k < recs[i].nlevels; k++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      k ? ",%d" : "%d",
					      (int)recs[i].nspid[k]);
		cell(&t, ln, PC_NSPID, buf);
		cell(&t, ln, PC_COMMAND, recs[i].comm);
	}
	table_print(&t);
	free(recs);
	return 0;
}

/* ---- nsmon pid ----------------------------------------------------- */

enum { XC_INUM, XC_NR, XC_PID, XC_TGID, XC_COMMAND, XC_LEVEL, XC_COUNT };
static const struct coldef pid_cols[XC_COUNT] = {
	[XC_INUM] = { "INUM", 10, 0, N, "namespace inode number" },
	[XC_NR] = { "NR", 5, R, N, "the PID inside that namespace" },
	[XC_PID] = { "PID", 5, R, N, "the PID here (view namespace)" },
	[XC_TGID] = { "TGID", 5, R, N, "the thread-group ID here" },
	[XC_COMMAND] = { "COMMAND", 0.3, SCOLS_FL_TRUNC, S, "command" },
	[XC_LEVEL] = { "LEVEL", 1, R, N, "nesting level of the namespace (--host)" },
};

static const char pid_help[] =
	"Usage: nsmon pid [options] NS NR\n"
	"       nsmon pid [options] --pid PID NR\n"
	"       nsmon pid [options] --host PID\n"
	"Translate PID NR of namespace NS to the PID seen here (through\n"
	"/proc/nsmon/lookup); with --host, list the (namespace, PID) pairs of\n"
	"process PID at every level, from its /proc/PID/status NSpid line.\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n";

static void lookup(uint32_t inum, pid_t nr, struct lookup_rec *ans)
{
	char path[PATH_MAX], req[NSMON_LOOKUP_MAX + 1], err[NSMON_ERR_MAX];
	char buf[512];
	ssize_t len;
	int fd, rl;

	need_module();
	if (proc_path(path, sizeof(path), "%s/%s", NSMON_PROC_DIR,
		      NSMON_PROC_LOOKUP))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	rl = format_lookup(req, sizeof(req), inum, nr);
	if (rl < 0)
		fail("cannot format a lookup request");
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail_errno(errno, path, NULL);
	len = write(fd, req, (size_t)rl);
	if (len < 0) {
		int e = errno;

		if (e == ESRCH)
			fail_errno(e, path, "no task %d in namespace %u", (int)nr, inum);
		if (e == ENOENT)
			fail_errno(e, path, "no namespace %u visible here", inum);
		fail_errno(e, path, "request '%u %d' refused", inum, (int)nr);
	}
	if (len != rl)
		fail("%s: short write", path);
	len = read(fd, buf, sizeof(buf) - 1);
	if (len < 0)
		fail_errno(errno, path, NULL);
	close(fd);
	buf[len] = '\0';
	if (parse_lookup(buf, ans, err))
		fail("%s: %s", path, err);
	if (ans->inum != inum || ans->nr != nr)
		fail("%s: answered '%u %d' to the request '%u %d'", path,
		     ans->inum, (int)ans->nr, inum, (int)nr);
}

/* The (namespace, PID) pairs of process @pid, view level first. */
static void host_chain(const char *arg)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], *text;
	pid_t nspid[NSMON_MAX_LEVELS], pid;
	uint64_t chain[NSMON_MAX_LEVELS];
	struct ns_rec *recs;
	struct table t;
	uint32_t inum;
	size_t len, n, nrecs, i;
	ssize_t at;
	int ret;

	if (parse_pid(arg, &pid))
		fail("'%s': malformed PID", arg);
	table_init(&t, "pids", pid_cols, XC_COUNT, "LEVEL,INUM,NR");
	if (proc_path(path, sizeof(path), "%d/status", (int)pid))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	ret = read_file(path, &text, &len);
	if (ret)
		fail_errno(-ret, path, ret == -ENOENT ? "no process %d" : NULL,
			   (int)pid);
	if (parse_status_nspid(text, nspid, NSMON_MAX_LEVELS, &n, err))
		fail("%s: %s", path, err);
	free(text);
	if (ns_of_pid(pid, &inum, err))
		fail("%s", err);
	/* The namespaces above it, from the module's parent links. */
	recs = read_namespaces(&nrecs);
	chain[n - 1] = inum;
	for (i = n - 1; i > 0; i--) {
		at = find_inum(recs, nrecs, chain[i]);
		if (at < 0 || !recs[at].v[NSK_PARENT])
			fail("%s/%s: no parent of namespace %llu listed, but "
			     "process %d is %zu levels deep", proc_root(),
			     "nsmon/" NSMON_PROC_NAMESPACES,
			     (unsigned long long)chain[i], (int)pid, n);
		chain[i - 1] = recs[at].v[NSK_PARENT];
	}
	for (i = 0; i < n; i++) {
		struct libscols_line *ln = table_line(&t, NULL);
		char buf[32];

		at = find_inum(recs, nrecs, chain[i]);
		snprintf(buf, sizeof(buf), "%llu", at < 0 ? 0ULL :
			 (unsigned long long)recs[at].v[NSK_LEVEL]);
		cell(&t, ln, XC_LEVEL, buf);
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)chain[i]);
		cell(&t, ln, XC_INUM, buf);
		snprintf(buf, sizeof(buf), "%d", (int)nspid[i]);
		cell(&t, ln, XC_NR, buf);
		snprintf(buf, sizeof(buf), "%d", (int)pid);
		cell(&t, ln, XC_PID, buf);
	}
	table_print(&t);
	free(recs);
}

static int cmd_pid(int argc, char **argv)
{
	const char *host = NULL;
	struct lookup_rec ans;
	struct libscols_line *ln;
	struct table t;
	char buf[32];
	uint32_t inum;
	pid_t nr;
	int first, want;

	first = table_options(argc, argv, "oJrnHpX", pid_help, pid_cols,
			      XC_COUNT, &host);
	if (host) {
		if (have_ns_pid || first != argc)
			usage_error("pid: --host PID takes nothing else");
		host_chain(host);
		return 0;
	}
	want = have_ns_pid ? 1 : 2;
	if (argc - first != want)
		usage_error("pid: give NS NR, --pid PID NR, or --host PID");
	inum = resolve_ns(have_ns_pid ? NULL : argv[first]);
	if (parse_pid(argv[argc - 1], &nr))
		fail("'%s': malformed PID number", argv[argc - 1]);
	lookup(inum, nr, &ans);
	table_init(&t, "pids", pid_cols, XC_COUNT, "INUM,NR,PID,TGID,COMMAND");
	ln = table_line(&t, NULL);
	snprintf(buf, sizeof(buf), "%u", ans.inum);
	cell(&t, ln, XC_INUM, buf);
	snprintf(buf, sizeof(buf), "%d", (int)ans.nr);
	cell(&t, ln, XC_NR, buf);
	snprintf(buf, sizeof(buf), "%d", (int)ans.pid);
	cell(&t, ln, XC_PID, buf);
	snprintf(buf, sizeof(buf), "%d", (int)ans.tgid);
	cell(&t, ln, XC_TGID, buf);
	cell(&t, ln, XC_COMMAND, ans.comm);
	cell(&t, ln, XC_LEVEL, "");
	table_print(&t);
	return 0;
}

/* ---- nsmon top ----------------------------------------------------- */

enum { TC_INUM, TC_LEVEL, TC_TASKS, TC_CPU, TC_SWITCHES, TC_FORKS,
	TC_EXECS, TC_COMMAND, TC_COUNT };
static const struct coldef top_cols[TC_COUNT] = {
	[TC_INUM] = { "INUM", 10, 0, N, "namespace inode number" },
	[TC_LEVEL] = { "LEVEL", 1, R, N, "nesting level" },
	[TC_TASKS] = { "TASKS", 5, R, N, "live tasks" },
	[TC_CPU] = { "CPU%", 6, R, N, "CPU time over the interval, % of one CPU" },
	[TC_SWITCHES] = { "SWITCHES/s", 8, R, N, "context switches per second" },
	[TC_FORKS] = { "FORKS/s", 6, R, N, "processes created per second" },
	[TC_EXECS] = { "EXECS/s", 6, R, N, "execve calls per second" },
	[TC_COMMAND] = { "COMMAND", 0.3, SCOLS_FL_TRUNC, S, "command of the namespace's init" },
};

static const char top_help[] =
	"Usage: nsmon top [-d SEC] [-n COUNT]\n"
	"Per-namespace rates, sorted by CPU, every SEC seconds (default 2).\n"
	"On a terminal the screen is redrawn; otherwise each refresh prints a\n"
	"plain table followed by an empty line.\n"
	"  -d, --delay SEC       seconds between refreshes (decimals allowed)\n"
	"  -n, --iterations N    stop after N refreshes (default: until interrupted)\n"
	"  -o, --output LIST     columns to show\n"
	"  -r, --raw             raw output\n"
	"      --noheadings      no header line\n";

struct top_row {
	const struct ns_rec *cur;
	double cpu, sw, forks, execs;
};

static int cmp_top(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;

	if (x->cpu != y->cpu)
		return x->cpu > y->cpu ? -1 : 1;
	return cmp_inum(x->cur, y->cur);
}

static volatile sig_atomic_t top_stop;

static void on_signal(int sig)
{
	(void)sig;
	top_stop = 1;
}

/* Seconds as "1", "0.5", "2.25": at most 86400, more than 0. */
static int parse_delay(const char *s, uint64_t *ns)
{
	const char *dot = strchr(s, '.');
	uint64_t sec, frac = 0;
	size_t flen = 0, i;

	if (parse_u64n(s, dot ? (size_t)(dot - s) : strlen(s), 86400, &sec))
		return -EINVAL;
	if (dot) {
		flen = strlen(dot + 1);
		if (flen == 0 || flen > 9 ||
		    parse_u64n(dot + 1, flen, 999999999, &frac))
			return -EINVAL;
		for (i = flen; i < 9; i++)
			frac *= 10;
	}
	*ns = sec * 1000000000ULL + frac;
	return *ns == 0 || *ns > 86400000000000ULL ? -ERANGE : 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL),
			       (long)(ns % 1000000000ULL) };

	while (!top_stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmd_top(int argc, char **argv)
{
	static const struct option o[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, OPT_NOHEAD },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t delay = 2000000000ULL, count = 0, iter, t0, t1;
	struct ns_rec *prev = NULL, *cur;
	size_t nprev = 0, ncur, i;
	bool tty = isatty(STDOUT_FILENO);
	struct sigaction sa;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+d:n:o:rh", o, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_delay(optarg, &delay))
				fail("'%s': malformed delay (seconds, more than 0, at most 86400)",
				     optarg);
			break;
		case 'n':
			if (parse_u64(optarg, UINT32_MAX, &count) || !count)
				fail("'%s': malformed count (a number from 1)", optarg);
			break;
		case 'o': opt.output = optarg; break;
		case 'r': opt.raw = true; break;
		case OPT_NOHEAD: opt.noheadings = true; break;
		case 'h': fputs(top_help, stdout); exit(EXIT_SUCCESS);
		default: bad_option(argv);
		}
	}
	if (optind != argc)
		usage_error("top: unexpected argument '%s'", argv[optind]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	prev = read_namespaces(&nprev);
	t0 = now_ns();
	for (iter = 0; !top_stop && (!count || iter < count); iter++) {
		struct top_row *rows;
		struct table t;
		double dt;
		size_t shown = 0, limit = SIZE_MAX;
		uint64_t tasks = 0;

		sleep_ns(delay);
		if (top_stop)
			break;
		cur = read_namespaces(&ncur);
		t1 = now_ns();
		dt = (double)(t1 - t0) / 1e9;
		rows = xcalloc(ncur, sizeof(*rows));
		for (i = 0; i < ncur; i++) {
			ssize_t p = find_inum(prev, nprev, cur[i].v[NSK_INUM]);
			const uint64_t *b = p >= 0 ? prev[p].v : NULL;
			const uint64_t *v = cur[i].v;

			/* A namespace new since the last refresh: from 0. */
#define DELTA(k) ((double)(v[k] - (b && b[k] <= v[k] ? b[k] : 0)))
			rows[i].cur = &cur[i];
			rows[i].cpu = DELTA(NSK_CPU_NS) / 1e9 / dt * 100.0;
			rows[i].sw = DELTA(NSK_SWITCHES) / dt;
			rows[i].forks = DELTA(NSK_FORKS) / dt;
			rows[i].execs = DELTA(NSK_EXECS) / dt;
#undef DELTA
			tasks += v[NSK_TASKS];
		}
		qsort(rows, ncur, sizeof(*rows), cmp_top);
		if (tty) {
			struct winsize ws;
			time_t now = time(NULL);
			char tbuf[32];

			strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));
			if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 3)
				limit = ws.ws_row - 3u;
			printf("\033[H\033[J");
			printf("nsmon top - %s  %zu namespaces, %llu tasks, every %.3g s\n",
			       tbuf, ncur, (unsigned long long)tasks,
			       (double)delay / 1e9);
		}
		table_init(&t, "top", top_cols, TC_COUNT,
			   "INUM,LEVEL,TASKS,CPU%,SWITCHES/s,FORKS/s,EXECS/s,COMMAND");
		for (i = 0; i < ncur && shown < limit; i++, shown++) {
			struct libscols_line *ln = table_line(&t, NULL);
			char buf[64], comm[NSMON_COMM_MAX];
			const uint64_t *v = rows[i].cur->v;

			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v[NSK_INUM]);
			cell(&t, ln, TC_INUM, buf);
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v[NSK_LEVEL]);
			cell(&t, ln, TC_LEVEL, buf);
			snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v[NSK_TASKS]);
			cell(&t, ln, TC_TASKS, buf);
			snprintf(buf, sizeof(buf), "%.1f", rows[i].cpu);
			cell(&t, ln, TC_CPU, buf);
			snprintf(buf, sizeof(buf), "%.1f", rows[i].sw);
			cell(&t, ln, TC_SWITCHES, buf);
			snprintf(buf, sizeof(buf), "%.1f", rows[i].forks);
			cell(&t, ln, TC_FORKS, buf);
			snprintf(buf, sizeof(buf), "%.1f", rows[i].execs);
			cell(&t, ln, TC_EXECS, buf);
			comm_of((pid_t)v[NSK_INIT_PID], comm, sizeof(comm));
			cell(&t, ln, TC_COMMAND, comm);
		}
		table_print(&t);
		if (!tty && (!count || iter + 1 < count))
			putchar('\n');
		fflush(stdout);
		free(rows);
		free(prev);
		prev = cur;
		nprev = ncur;
		t0 = t1;
	}
	free(prev);
	return 0;
}

/* ---- nsmon metrics ------------------------------------------------- */

static const char metrics_help[] =
	"Usage: nsmon metrics\n"
	"The counters in Prometheus text exposition format (version 0.0.4),\n"
	"for node_exporter's textfile collector, e.g.\n"
	"  nsmon metrics > /var/lib/prometheus/node-exporter/nsmon.prom.$$ &&\n"
	"  mv /var/lib/prometheus/node-exporter/nsmon.prom.$$ /var/lib/prometheus/node-exporter/nsmon.prom\n";

static int cmd_metrics(int argc, char **argv)
{
	static const struct {
		const char *name, *type, *help;
		int key;
	} fam[] = {
		{ "nsmon_tasks", "gauge", "Live tasks (threads) whose active PID namespace this is.", NSK_TASKS },
		{ "nsmon_processes", "gauge", "Live processes (thread-group leaders) in the PID namespace.", NSK_PROCESSES },
		{ "nsmon_forks_total", "counter", "Processes created into the PID namespace.", NSK_FORKS },
		{ "nsmon_threads_total", "counter", "Threads created into the PID namespace.", NSK_THREADS },
		{ "nsmon_execs_total", "counter", "Successful execve calls by tasks of the PID namespace.", NSK_EXECS },
		{ "nsmon_exits_total", "counter", "Task exits in the PID namespace, every thread counted.", NSK_EXITS },
		{ "nsmon_switches_total", "counter", "Context switches away from tasks of the PID namespace.", NSK_SWITCHES },
		{ "nsmon_voluntary_switches_total", "counter", "Voluntary context switches of tasks of the PID namespace.", NSK_VOLUNTARY },
		{ "nsmon_involuntary_switches_total", "counter", "Involuntary context switches of tasks of the PID namespace.", NSK_INVOLUNTARY },
		{ "nsmon_cpu_seconds_total", "counter", "CPU time of tasks of the PID namespace, live and exited, in seconds.", NSK_CPU_NS },
	};
	struct ns_rec *recs;
	size_t n, i, f;
	char buf[32];

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(metrics_help, stdout);
		return 0;
	}
	if (argc != 1)
		usage_error("metrics takes no arguments");
	recs = read_namespaces(&n);
	qsort(recs, n, sizeof(*recs), cmp_inum);
	printf("# HELP nsmon_build_info The version of the nsmon client.\n"
	       "# TYPE nsmon_build_info gauge\n"
	       "nsmon_build_info{version=\"%s\"} 1\n", NSMON_VERSION);
	printf("# HELP nsmon_namespaces PID namespaces visible to nsmon here.\n"
	       "# TYPE nsmon_namespaces gauge\n"
	       "nsmon_namespaces %zu\n", n);
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		printf("# HELP %s %s\n# TYPE %s %s\n", fam[f].name, fam[f].help,
		       fam[f].name, fam[f].type);
		for (i = 0; i < n; i++) {
			const uint64_t *v = recs[i].v;

			if (fam[f].key == NSK_CPU_NS)
				fmt_secs(buf, sizeof(buf), v[NSK_CPU_NS], 9);
			else
				snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long)v[fam[f].key]);
			printf("%s{inum=\"%llu\",level=\"%llu\",parent=\"%llu\"} %s\n",
			       fam[f].name, (unsigned long long)v[NSK_INUM],
			       (unsigned long long)v[NSK_LEVEL],
			       (unsigned long long)v[NSK_PARENT], buf);
		}
	}
	free(recs);
	if (fflush(stdout) || ferror(stdout))
		fail_errno(errno ? errno : EIO, "standard output", NULL);
	return 0;
}

/* ---- nsmon load / unload / status (libkmod) ------------------------ */

static void kmod_quiet(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	(void)data; (void)priority; (void)file; (void)line; (void)fn;
	(void)format; (void)args;
}

static struct kmod_ctx *kmod_open(void)
{
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);

	if (!ctx)
		fail("libkmod: cannot create a context");
	/* Our errors are one line each; libkmod's own log would add more. */
	kmod_set_log_fn(ctx, kmod_quiet, NULL);
	return ctx;
}

/* The loaded nsmon's state (KMOD_MODULE_*) or -ENOENT. */
static int nsmon_state(struct kmod_ctx *ctx, struct kmod_module **modp)
{
	struct kmod_module *mod;
	int ret = kmod_module_new_from_name(ctx, NSMON_MODULE_NAME, &mod);

	if (ret < 0)
		fail_errno(-ret, "libkmod", "module %s", NSMON_MODULE_NAME);
	*modp = mod;
	return kmod_module_get_initstate(mod);
}

static void sysfs_version(char *buf, size_t size)
{
	char *text, *nl;
	size_t len;

	snprintf(buf, size, "-");
	if (read_file("/sys/module/" NSMON_MODULE_NAME "/version", &text, &len))
		return;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
}

static const char *load_error(int err)
{
	switch (err) {
	case EEXIST: return "already loaded";
	case ENOEXEC: return "invalid module format (built for another kernel?)";
	case EPERM: return "operation not permitted (needs root: CAP_SYS_MODULE)";
	case EACCES: return "permission denied";
	case EKEYREJECTED: return "signature rejected";
	default: return NULL;
	}
}

static int cmd_load(int argc, char **argv)
{
	const char *arg = argc > 1 ? argv[1] : NSMON_MODULE_NAME;
	struct kmod_module *mod, *loaded;
	struct kmod_ctx *ctx;
	char ver[64];
	bool is_path;
	size_t alen;
	int ret;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		if (argc == 2 && !strcmp(argv[1], "--help")) {
			puts("Usage: nsmon load [PATH|NAME]\n"
			     "Load the nsmon module from a .ko file, or by module name "
			     "(default: nsmon) from /lib/modules/$(uname -r).");
			return 0;
		}
		usage_error("load takes one PATH or NAME");
	}
	ctx = kmod_open();
	if (nsmon_state(ctx, &loaded) >= 0) {
		sysfs_version(ver, sizeof(ver));
		fail("module %s is already loaded (version %s)",
		     NSMON_MODULE_NAME, ver);
	}
	kmod_module_unref(loaded);
	alen = strlen(arg);
	is_path = strchr(arg, '/') || (alen > 3 && !strcmp(arg + alen - 3, ".ko")) ||
		  strstr(arg, ".ko.");
	if (is_path) {
		ret = kmod_module_new_from_path(ctx, arg, &mod);
		if (ret < 0)
			fail_errno(-ret, arg, NULL);
	} else {
		struct kmod_list *list = NULL;

		ret = kmod_module_new_from_lookup(ctx, arg, &list);
		if (ret < 0)
			fail_errno(-ret, arg, "module lookup failed");
		if (!list)
			fail("%s: no such module in %s (install it, or give a path)",
			     arg, kmod_get_dirname(ctx));
		mod = kmod_module_get_module(list);
		kmod_module_unref_list(list);
	}
	if (strcmp(kmod_module_get_name(mod), NSMON_MODULE_NAME))
		fail("%s: module %s is not %s", arg, kmod_module_get_name(mod),
		     NSMON_MODULE_NAME);
	if (is_path)
		ret = kmod_module_insert_module(mod, 0, NULL);
	else
		ret = kmod_module_probe_insert_module(mod, KMOD_PROBE_FAIL_ON_LOADED,
						      NULL, NULL, NULL, NULL);
	if (ret < 0)
		fail_errno(-ret, kmod_module_get_path(mod) ? kmod_module_get_path(mod) : arg,
			   "cannot load %s%s%s", NSMON_MODULE_NAME,
			   load_error(-ret) ? ": " : "",
			   load_error(-ret) ? load_error(-ret) : "");
	if (ret > 0)
		fail("%s: module is blacklisted", arg);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}

static int cmd_unload(int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret, ref;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		puts("Usage: nsmon unload\nUnload the nsmon module (refused while it is in use).");
		return 0;
	}
	if (argc != 1)
		usage_error("unload takes no arguments");
	ctx = kmod_open();
	if (nsmon_state(ctx, &mod) < 0)
		fail("module %s is not loaded", NSMON_MODULE_NAME);
	ref = kmod_module_get_refcnt(mod);
	if (ref > 0)
		fail("module %s is in use (refcount %d)", NSMON_MODULE_NAME, ref);
	ret = kmod_module_remove_module(mod, 0);
	if (ret < 0)
		fail_errno(-ret, NSMON_MODULE_NAME, "cannot unload%s",
			   ret == -EBUSY ? ": in use" :
			   ret == -EPERM ? ": needs root (CAP_SYS_MODULE)" : "");
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}

enum { SC_MODULE, SC_STATE, SC_VERSION, SC_REFCNT, SC_SIZE, SC_CLIENT,
	SC_COUNT };
static const struct coldef status_cols[SC_COUNT] = {
	[SC_MODULE] = { "MODULE", 5, 0, S, "module name" },
	[SC_STATE] = { "STATE", 6, 0, S, "live, coming, going, or unloaded" },
	[SC_VERSION] = { "VERSION", 5, 0, S, "the loaded module's MODULE_VERSION" },
	[SC_REFCNT] = { "REFCNT", 3, R, N, "module reference count" },
	[SC_SIZE] = { "SIZE", 6, R, N, "module size in bytes" },
	[SC_CLIENT] = { "CLIENT", 5, 0, S, "this client's version" },
};

static const char status_help[] =
	"Usage: nsmon status [options]\n"
	"Whether the nsmon module is loaded, its version and reference count.\n"
	"Exits 0 whether or not it is loaded; see the STATE column.\n"
	"  -o, --output LIST     columns to show\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n";

static int cmd_status(int argc, char **argv)
{
	static const char *const states[] = { "builtin", "live", "coming", "going" };
	struct libscols_line *ln;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	struct table t;
	char buf[64];
	int first, state;

	first = table_options(argc, argv, "oJrnH", status_help, status_cols,
			      SC_COUNT, NULL);
	if (first != argc)
		usage_error("status: unexpected argument '%s'", argv[first]);
	ctx = kmod_open();
	state = nsmon_state(ctx, &mod);
	table_init(&t, "modules", status_cols, SC_COUNT,
		   "MODULE,STATE,VERSION,REFCNT,SIZE,CLIENT");
	ln = table_line(&t, NULL);
	cell(&t, ln, SC_MODULE, NSMON_MODULE_NAME);
	cell(&t, ln, SC_CLIENT, NSMON_VERSION);
	if (state < 0) {
		cell(&t, ln, SC_STATE, "unloaded");
		cell(&t, ln, SC_VERSION, "-");
		cell(&t, ln, SC_REFCNT, opt.json ? "null" : "-");
		cell(&t, ln, SC_SIZE, opt.json ? "null" : "-");
	} else {
		cell(&t, ln, SC_STATE, state < 4 ? states[state] : "unknown");
		sysfs_version(buf, sizeof(buf));
		cell(&t, ln, SC_VERSION, buf);
		snprintf(buf, sizeof(buf), "%d", kmod_module_get_refcnt(mod));
		cell(&t, ln, SC_REFCNT, buf);
		snprintf(buf, sizeof(buf), "%ld", kmod_module_get_size(mod));
		cell(&t, ln, SC_SIZE, buf);
	}
	table_print(&t);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}

/* ---- main ---------------------------------------------------------- */

static const char main_help[] =
	"Usage: nsmon COMMAND [options] [arguments]\n"
	"Per-PID-namespace counters and PID translation, from the nsmon module.\n"
	"\n"
	"Commands:\n"
	"  list                 every visible PID namespace and its counters\n"
	"  show NS              one namespace, all counters\n"
	"  ps NS                the tasks of a namespace, with their PIDs at every level\n"
	"  pid NS NR            the PID here of task NR of namespace NS\n"
	"  pid --host PID       the (namespace, PID) pairs of process PID\n"
	"  top [-d SEC] [-n N]  per-namespace rates, sorted by CPU\n"
	"  metrics              the counters in Prometheus text format\n"
	"  load [PATH|NAME]     load the module (libkmod)\n"
	"  unload               unload the module\n"
	"  status               loaded state, version and refcount of the module\n"
	"\n"
	"NS is an inode number (stat -L -c %i /proc/PID/ns/pid), a path to a PID\n"
	"namespace file (/proc/PID/ns/pid or a bind mount of one), or --pid PID.\n"
	"Table options: -o/--output, -J/--json, -r/--raw, -n/--noheadings,\n"
	"-H/--list-columns, -T/--tree (list), --total (list).\n"
	"'nsmon COMMAND --help' shows a command's options; see nsmon(1).\n"
	"\n"
	"  -h, --help           this help\n"
	"  -V, --version        the version\n"
	"\n"
	"Exit status: 0 success, 1 failure (one line on stderr), 2 usage error.\n"
	"The files are read below $NSMON_PROC when set (default /proc).\n";

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int, char **);
	} cmds[] = {
		{ "list", cmd_list }, { "show", cmd_show }, { "ps", cmd_ps },
		{ "pid", cmd_pid }, { "top", cmd_top },
		{ "metrics", cmd_metrics }, { "load", cmd_load },
		{ "unload", cmd_unload }, { "status", cmd_status },
	};
	size_t i;

	opterr = 0;
	atexit(free_pending);
	if (argc < 2)
		usage_error("no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(main_help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("nsmon %s\n", NSMON_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	usage_error("unknown command '%s'", argv[1]);
}
