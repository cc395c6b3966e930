// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon(1) - per-PID-namespace counters and PID translation, from the
 * nsmon kernel module's /proc/nsmon files.  See nsmon.1.
 *
 * Laid out like util-linux's lsns: parse.c reads the /proc formats,
 * columns.c is the table of namespace columns (generated from
 * include/nsmon/keys.h), output.c prints (libsmartcols, JSON, errors,
 * standard output checked at exit), and this file holds the commands.
 * The module is loaded, unloaded and inspected through libkmod.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <libkmod.h>
#include <libsmartcols.h>

#include <nsmon/nsmon.h>
#include "columns.h"
#include "hist.h"
#include "container.h"
#include "output.h"
#include "parse.h"
#include "watch.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define N SCOLS_JSON_NUMBER
#define S SCOLS_JSON_STRING
#define R SCOLS_FL_RIGHT

/* ---- versions ---------------------------------------------------------- */

/* The sysfs root: $NSMON_SYS (for the tests' fixtures), else /sys. */
static const char *sys_root(void)
{
	const char *r = getenv("NSMON_SYS");

	return r && *r ? r : "/sys";
}

/* The loaded module's version (/sys/module/nsmon/version), or false. */
static bool module_version(char *buf, size_t size)
{
	char path[PATH_MAX], *text, *nl;
	size_t len;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/module/%s/version", sys_root(),
		 NSMON_MODULE_NAME);
	if (read_file(path, &text, &len))
		return false;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
	return buf[0] != '\0';
}

/* -V, --version: both versions; a warning when they differ. */
void __attribute__((noreturn)) print_version(void)
{
	char mv[64];

	if (module_version(mv, sizeof(mv))) {
		printf("nsmon %s (module %s)\n", NSMON_VERSION, mv);
		if (strcmp(mv, NSMON_VERSION))
			warn("this client is %s but the loaded module is %s: "
			     "install the client built with the module",
			     NSMON_VERSION, mv);
	} else {
		printf("nsmon %s (module not loaded)\n", NSMON_VERSION);
	}
	exit(EXIT_SUCCESS);
}

/* ---- options ------------------------------------------------------------- */

/* Long-only options get a letter that is no short option of any command. */
enum {
	O_TOTAL = 'P', O_OUTPUT_ALL = 'A', O_THOUSANDS = 'K', O_HOST = 'X',
	O_SORT = 'S', O_PROCESSES = 'Q', O_RECURSIVE = 'R', O_TEXTFILE = 'F',
	O_NOHEAD = 'N',
};

static const struct option all_opts[] = {
	{ "tree", no_argument, NULL, 'T' },
	{ "total", no_argument, NULL, O_TOTAL },
	{ "output", required_argument, NULL, 'o' },
	{ "output-all", no_argument, NULL, O_OUTPUT_ALL },
	{ "json", no_argument, NULL, 'J' },
	{ "raw", no_argument, NULL, 'r' },
	{ "noheadings", no_argument, NULL, 'n' },
	{ "list-columns", no_argument, NULL, 'H' },
	{ "thousands", no_argument, NULL, O_THOUSANDS },
	{ "pid", required_argument, NULL, 'p' },
	{ "host", required_argument, NULL, O_HOST },
	{ "sort", required_argument, NULL, O_SORT },
	{ "notruncate", no_argument, NULL, 'u' },
	{ "nowrap", no_argument, NULL, 'W' },
	{ "processes", no_argument, NULL, O_PROCESSES },
	{ "recursive", no_argument, NULL, O_RECURSIVE },
	{ "textfile", required_argument, NULL, O_TEXTFILE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* "-o/--output" for messages. */
static const char *opt_name(int c, char *buf, size_t size)
{
	const struct option *o;

	for (o = all_opts; o->name; o++)
		if (o->val == c)
			break;
	if (strchr("ToJrnHpuWhV", c))
		snprintf(buf, size, "-%c/--%s", c, o->name ? o->name : "?");
	else
		snprintf(buf, size, "--%s", o->name ? o->name : "?");
	return buf;
}

/*
 * getopt_long() said '?' (unknown) or ':' (missing argument; the option
 * strings start with "+:"), opterr being 0: name the option, exit 2.
 */
static void __attribute__((noreturn)) bad_option(char **argv, int c)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		usage_error("%s: option %s needs an argument", argv[0], arg);
	if (optopt && optopt < 256)
		usage_error("%s: unknown option -%c", argv[0], optopt);
	usage_error("%s: unknown option %s", argv[0], arg);
}

static bool have_ns_pid;
static pid_t ns_pid_opt;
static const char *host_opt, *textfile_opt;
static bool opt_processes, opt_recursive, want_columns;

/*
 * The options of a command: @allowed lists the option letters it takes
 * (the enum above for long-only ones); -h and -V are always allowed.
 * Returns the index of the first operand.
 */
static int parse_options(int argc, char **argv, const char *allowed,
			 const char *help)
{
	char name[64];
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+:To:JrnHp:uWhV", all_opts,
				NULL)) != -1) {
		if (c == '?' || c == ':')
			bad_option(argv, c);
		if (c == 'h') {
			fputs(help, stdout);
			exit(EXIT_SUCCESS);
		}
		if (c == 'V')
			print_version();
		if (!strchr(allowed, c))
			usage_error("%s: option %s is not for this command",
				    argv[0], opt_name(c, name, sizeof(name)));
		switch (c) {
		case 'T': opt.tree = true; break;
		case O_TOTAL: opt.total = true; break;
		case 'o': opt.output = optarg; break;
		case O_OUTPUT_ALL: opt.output_all = true; break;
		case 'J': opt.json = true; break;
		case 'r': opt.raw = true; break;
		case 'n': opt.noheadings = true; break;
		case 'H': want_columns = true; break;
		case O_THOUSANDS: opt.thousands = true; break;
		case 'p':
			if (parse_pid(optarg, &ns_pid_opt))
				usage_error("%s: --pid '%s': malformed PID", argv[0],
					    optarg);
			have_ns_pid = true;
			break;
		case O_HOST: host_opt = optarg; break;
		case O_SORT: opt.sort = optarg; break;
		case 'u': opt.notruncate = true; break;
		case 'W': opt.nowrap = true; break;
		case O_PROCESSES: opt_processes = true; break;
		case O_RECURSIVE: opt_recursive = true; break;
		case O_TEXTFILE: textfile_opt = optarg; break;
		}
	}
	if (opt.output && opt.output_all)
		usage_error("%s: -o/--output and --output-all exclude each other",
			    argv[0]);
	return optind;
}

/* ---- reading /proc/nsmon ---------------------------------------------- */

static int module_missing(char *path, size_t size)
{
	struct stat st;

	if (proc_path(path, size, "%s", NSMON_PROC_DIR))
		return ENAMETOOLONG;
	return stat(path, &st) ? errno : 0;
}

void need_module(void)
{
	char path[PATH_MAX];
	int e = module_missing(path, sizeof(path));

	if (e)
		fail_errno(e, path, e == ENOENT ?
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
	if (ret == -EFBIG)
		fail_errno(EFBIG, path, "larger than %u MiB: not nsmon's file",
			   NSMON_READ_MAX >> 20);
	if (ret)
		fail_errno(-ret, path, NULL);
	return text;
}

/* Every visible namespace, sorted by inum. */
static struct ns_rec *read_namespaces(size_t *n)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX];
	struct ns_rec *recs;
	char *text = read_nsmon(NSMON_PROC_NAMESPACES, 0, path, sizeof(path));

	if (parse_namespaces(text, &recs, n, err)) {
		free(text);
		fail("%s: %s", path, err);
	}
	free(text);
	return recs;
}

static void read_ns(uint32_t inum, struct ns_rec *r)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], name[16];
	char *text;

	snprintf(name, sizeof(name), "%u", inum);
	text = read_nsmon(name, inum, path, sizeof(path));
	if (parse_ns_file(text, r, err)) {
		free(text);
		fail("%s: %s", path, err);
	}
	free(text);
	if (r->v[NSK_INUM] != inum)
		fail("%s: says it is namespace %llu", path,
		     (unsigned long long)r->v[NSK_INUM]);
}

/* Every task, sorted by pid. */
static struct pid_rec *read_pids(size_t *n)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX];
	struct pid_rec *recs;
	char *text = read_nsmon(NSMON_PROC_PIDS, 0, path, sizeof(path));

	if (parse_pids(text, &recs, n, err)) {
		free(text);
		fail("%s: %s", path, err);
	}
	free(text);
	return recs;
}

/* ---- NS arguments ------------------------------------------------------- */

/*
 * Is @arg a container (container.h)?  Then *@inum is its namespace.  If
 * @arg is an inode number too (@is_inum, in *@inum), a namespace with
 * that number comes first.  An ambiguous prefix fails.
 */
static bool container_arg(const char *arg, bool is_inum, uint32_t *inum)
{
	char err[NSMON_ERR_MAX];
	uint32_t c;
	size_t i;
	int ret;

	if (!isalnum((unsigned char)arg[0]))
		return false;
	for (i = 0; arg[i]; i++)
		if (!isalnum((unsigned char)arg[i]) && !strchr("_.@-", arg[i]))
			return false;
	if (is_inum && ctr_of_ns(*inum))
		return false;
	need_module();
	ret = ctr_resolve(arg, &c, err);
	if (ret == -EEXIST)
		fail("%s", err);
	if (ret)
		return false;
	*inum = c;
	return true;
}

/*
 * The namespace of --pid PID or of the operand @arg.  A malformed
 * inode number is a usage error; a path or process that does not lead to
 * a PID namespace fails at run time.
 */
uint32_t resolve_ns(const char *cmd, const char *arg)
{
	char err[NSMON_ERR_MAX];
	uint32_t inum;
	int ret;

	if (have_ns_pid) {
		if (ns_of_pid(ns_pid_opt, &inum, err))
			fail("%s", err);
		return inum;
	}
	ret = ns_of_arg(arg, &inum, err);
	/*
	 * A container ID, a unique prefix of one, or a name: when it is no
	 * inode number, or an all-digit one that no visible namespace has.
	 */
	if (!strchr(arg, '/') && container_arg(arg, !ret, &inum))
		return inum;
	/* No number, and no container either: a usage error, as before. */
	if (ret && !strchr(arg, '/') && isalnum((unsigned char)arg[0]) &&
	    arg[strspn(arg, "0123456789")])
		usage_error("%s: '%s': no container with that ID, prefix or name "
			    "visible here, and no inode number", cmd, arg);
	if (ret && !strchr(arg, '/'))
		usage_error("%s: %s, or a container ID", cmd, err);
	if (ret)
		fail("%s", err);
	return inum;
}

/* Is @r in the subtree of namespace @root?  (@recs sorted by inum.) */
static bool in_subtree(const struct ns_rec *recs, size_t n,
		       const struct ns_rec *r, uint64_t root)
{
	int guard = NSMON_MAX_LEVELS + 1;
	long at;

	while (guard-- > 0) {
		if (r->v[NSK_INUM] == root)
			return true;
		if (!r->v[NSK_PARENT])
			return false;
		at = find_ns(recs, n, r->v[NSK_PARENT]);
		if (at < 0)
			return false;
		r = &recs[at];
	}
	return false;
}

/* ---- nsmon list -------------------------------------------------------- */

static int cmp_level_desc(const void *a, const void *b)
{
	const struct ns_rec *const *x = a, *const *y = b;

	if ((*x)->v[NSK_LEVEL] != (*y)->v[NSK_LEVEL])
		return (*x)->v[NSK_LEVEL] > (*y)->v[NSK_LEVEL] ? -1 : 1;
	return 0;
}

/*
 * --total: each namespace's summed keys plus those of its descendants.
 * Deepest first, each adds its running total to its parent's: O(n log n).
 * A sum above 2^64-1 fails rather than wrap.
 */
static void add_descendants(struct ns_rec *tot, size_t n)
{
	const struct ns_rec **order;
	size_t i;
	int k;

	if (!n)
		return;
	order = xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = &tot[i];
	qsort(order, n, sizeof(*order), cmp_level_desc);
	for (i = 0; i < n; i++) {
		const struct ns_rec *r = order[i];
		long p = r->v[NSK_PARENT] ? find_ns(tot, n, r->v[NSK_PARENT]) : -1;

		if (p < 0 || tot[p].v[NSK_LEVEL] >= r->v[NSK_LEVEL])
			continue;
		for (k = 0; k < NSK_COUNT; k++)
			if (nsmon_keys[k].sum &&
			    __builtin_add_overflow(tot[p].v[k], r->v[k], &tot[p].v[k])) {
				free(order);
				fail("--total: %s of namespace %llu and its descendants "
				     "is above 2^64-1", nsmon_ns_keys[k],
				     (unsigned long long)tot[p].v[NSK_INUM]);
			}
	}
	free(order);
}

/* Which columns table_init_skip() leaves out for list and show. */
struct skip_arg {
	const struct ns_rec *r;	/* in JSON, the keys it lacks; or NULL */
	bool buckets;		/* the buckets of a histogram (show's default) */
};

static bool skip_ns_col(const struct coldef *d, const void *arg)
{
	const struct skip_arg *a = arg;

	return (opt.json && a->r && ns_col_missing(d, a->r)) ||
	       (a->buckets && ns_col_bucket(d));
}

static const char list_help[] =
	"Usage: nsmon list [options] [NS]\n"
	"       nsmon list [options] --pid PID\n"
	"Every visible PID namespace and its counters; with NS only that\n"
	"namespace (with --tree: its subtree).\n"
	"  -T, --tree            show the namespaces' nesting\n"
	"      --total           add each namespace's descendants to its counters\n"
	"  -p, --pid PID         the namespace of process PID\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"      --output-all      every column\n"
	"      --sort COL        sort by column COL (ascending)\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output (no alignment)\n"
	"  -n, --noheadings      no header line\n"
	"  -u, --notruncate      do not truncate COMMAND (long rows continue below)\n"
	"  -W, --nowrap          one line per row, whatever the terminal's width\n"
	"  -H, --list-columns    the available columns\n"
	"      --thousands       thousands separators in counts\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static int cmd_list(int argc, char **argv)
{
	struct libscols_line **lines;
	struct ns_rec *recs, *shown;
	size_t n, i, nshown = 0;
	struct table t;
	uint32_t root = 0;
	bool one;
	int first;

	first = parse_options(argc, argv, "TPpoAJrnHKSuW", list_help);
	if (want_columns)
		list_columns(&ns_colset);
	if (argc - first > (have_ns_pid ? 0 : 1))
		usage_error("list: give at most one NS, or --pid PID");
	one = have_ns_pid || first < argc;
	if (one)
		root = resolve_ns("list", have_ns_pid ? NULL : argv[first]);
	/* Columns first: a bad -o fails before anything is read. */
	columns_check(&ns_colset);
	recs = read_namespaces(&n);
	/* JSON leaves out what the module does not have (the same for all) */
	table_init_skip(&t, "namespaces", &ns_colset, NS_LIST_DEFAULT,
			skip_ns_col, &(struct skip_arg){ n ? recs : NULL, false });
	if (one && find_ns(recs, n, root) < 0) {
		free(recs);
		fail("%s/%s/%s: no namespace %u visible here", proc_root(),
		     NSMON_PROC_DIR, NSMON_PROC_NAMESPACES, root);
	}
	shown = xcalloc(n, sizeof(*shown));
	if (n)
		memcpy(shown, recs, n * sizeof(*recs));
	if (opt.total)
		add_descendants(shown, n);
	lines = xcalloc(n, sizeof(*lines));
	for (i = 0; i < n; i++) {
		if (one && (opt.tree ? !in_subtree(recs, n, &recs[i], root) :
			    recs[i].v[NSK_INUM] != root))
			continue;
		lines[i] = table_line(&t, NULL);
		ns_fill(&t, lines[i], &shown[i], true);
		nshown++;
	}
	if (opt.tree)
		/* Each line under its parent's, when the parent is shown. */
		for (i = 0; i < n; i++) {
			long p;

			if (!lines[i] || !recs[i].v[NSK_PARENT] ||
			    (one && recs[i].v[NSK_INUM] == root))
				continue;
			p = find_ns(recs, n, recs[i].v[NSK_PARENT]);
			if (p >= 0 && lines[p] &&
			    scols_line_add_child(lines[p], lines[i]))
				fail("out of memory");
		}
	table_print(&t);
	free(lines);
	free(shown);
	free(recs);
	return 0;
}

/* ---- nsmon show -------------------------------------------------------- */

static const char show_help[] =
	"Usage: nsmon show [options] NS\n"
	"       nsmon show [options] --pid PID\n"
	"One namespace, every column, one per line, then its run-queue wait\n"
	"histogram as a bar chart.  NS is an inode number, a path to a namespace\n"
	"file (/proc/PID/ns/pid) or a container ID (or a unique prefix, or a\n"
	"name); --pid PID: that process's namespace.\n"
	"  -p, --pid PID         the namespace of process PID\n"
	"  -o, --output LIST     the fields to show (default: every column but\n"
	"                        the single buckets of the histogram)\n"
	"  -J, --json            one JSON object, numbers as numbers\n"
	"  -r, --raw             raw output: FIELD VALUE lines\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available fields\n"
	"      --thousands       thousands separators in counts\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

/* "WAIT_HIST" as "wait_hist": show's field names. */
static const char *field_name(const struct coldef *d, char *buf, size_t size)
{
	size_t c;

	for (c = 0; d->name[c] && c + 1 < size; c++)
		buf[c] = (char)tolower((unsigned char)d->name[c]);
	buf[c] = '\0';
	return buf;
}

/* show's bar chart of histogram column @d of @r. */
static void show_chart(const struct coldef *d, const struct ns_rec *r)
{
	const struct hist_def *h = &hists[d->key];
	uint64_t total = 0;
	char name[64];
	int i;

	field_name(d, name, sizeof(name));
	if (ns_col_missing(d, r)) {
		printf("%s: not available (the module was built for a kernel "
		       "without CONFIG_SCHED_INFO)\n", name);
		return;
	}
	for (i = 0; i < h->n; i++)
		if (__builtin_add_overflow(total, r->v[h->first + i], &total))
			total = UINT64_MAX;
	if (!total) {
		printf("%s: none counted since the module was loaded\n", name);
		return;
	}
	printf("%s: %llu counted since the module was loaded\n", name,
	       (unsigned long long)total);
	hist_chart(stdout, h, &r->v[h->first]);
}

static int cmd_show(int argc, char **argv)
{
	static const struct coldef kv[] = {
		{ "FIELD", 0, 0, S, "field, as the -o column name", 0, -1 },
		{ "VALUE", 0, 0, S, "value", 1, -1 },
	};
	static const struct colset kvs = { kv, 2, NULL };
	const struct coldef *charts[HIST_MAX];
	struct libscols_line *ln;
	struct table t, one;
	size_t i, ncharts = 0, nrows = 0;
	struct ns_rec r;
	uint32_t inum;
	char name[64];
	bool all;
	int first;

	first = parse_options(argc, argv, "poJrnHK", show_help);
	if (want_columns)
		list_columns(&ns_colset);
	if (argc - first != (have_ns_pid ? 0 : 1))
		usage_error("show: give one NS, or --pid PID");
	all = !opt.output;
	if (all)
		opt.output_all = true;
	columns_check(&ns_colset);
	inum = resolve_ns("show", have_ns_pid ? NULL : argv[first]);
	read_ns(inum, &r);
	/*
	 * One line of `list` with the columns asked for (by default all but
	 * the buckets, which the histogram column holds; in JSON, none the
	 * module left out), not printed...
	 */
	table_init_skip(&one, "namespace", &ns_colset, NS_LIST_DEFAULT,
			skip_ns_col, &(struct skip_arg){ &r, all });
	ln = table_line(&one, NULL);
	ns_fill(&one, ln, &r, !opt.json);
	if (opt.json) {
		/* ...as one JSON object, or... */
		fputs("{\n", stdout);
		for (i = 0; i < one.nsel; i++) {
			const struct coldef *d = &ns_colset.defs[one.sel[i]];
			const char *v = scols_cell_get_data(scols_line_get_cell(ln, i));

			fputs("   ", stdout);
			json_string(stdout, field_name(d, name, sizeof(name)));
			fputs(": ", stdout);
			if (d->json == SCOLS_JSON_ARRAY_NUMBER && v) {
				/* the counts, one a line in the cell */
				fputc('[', stdout);
				for (; *v; v++)
					if (*v == '\n')
						fputs(", ", stdout);
					else
						putchar(*v);
				fputc(']', stdout);
			} else if (d->json == N || d->json == SCOLS_JSON_ARRAY_NUMBER) {
				fputs(v && *v ? v : "null", stdout);
			} else {
				json_string(stdout, v ? v : "");
			}
			fputs(i + 1 < one.nsel ? ",\n" : "\n", stdout);
		}
		fputs("}\n", stdout);
		table_free(&one);
		return 0;
	}
	/*
	 * ...laid out vertically: one FIELD VALUE line per column, and for
	 * people (not -r) a histogram as a bar chart below.
	 */
	opt.output = NULL;
	opt.output_all = false;
	table_init(&t, "namespace", &kvs, "FIELD,VALUE");
	for (i = 0; i < one.nsel; i++) {
		const struct coldef *d = &ns_colset.defs[one.sel[i]];
		const char *v = scols_cell_get_data(scols_line_get_cell(ln, i));
		struct libscols_line *row;

		if (d->what == NC_HIST && !opt.raw) {
			if (ncharts < HIST_MAX)
				charts[ncharts++] = d;
			continue;
		}
		row = table_line(&t, NULL);
		table_set(&t, row, 0, field_name(d, name, sizeof(name)));
		table_set(&t, row, 1, v ? v : "");
		nrows++;
	}
	if (nrows)
		table_print(&t);
	else
		table_free(&t);
	for (i = 0; i < ncharts; i++) {
		if (nrows || i)
			putchar('\n');
		show_chart(charts[i], &r);
	}
	table_free(&one);
	flush_stdout();
	return 0;
}

/* ---- nsmon ps ---------------------------------------------------------- */

enum { PC_PID, PC_TGID, PC_INUM, PC_NS_PID, PC_NS_TGID, PC_CHAIN,
	PC_COMMAND, PC_COUNT };
static const struct coldef ps_defs[PC_COUNT] = {
	[PC_PID] = { "PID", 5, R, N, "PID here (in the view namespace)", PC_PID, -1 },
	[PC_TGID] = { "TGID", 5, R, N, "thread-group ID here", PC_TGID, -1 },
	[PC_INUM] = { "INUM", 10, R, N, "the task's PID namespace", PC_INUM, -1 },
	[PC_NS_PID] = { "NSPID", 5, R, N, "PID inside its namespace", PC_NS_PID, -1 },
	[PC_NS_TGID] = { "NSTGID", 5, R, N, "thread-group ID inside its namespace", PC_NS_TGID, -1 },
	[PC_CHAIN] = { "CHAIN", 10, 0, SCOLS_JSON_ARRAY_NUMBER,
		       "PIDs from here down to its namespace, as NSpid: in /proc/PID/status",
		       PC_CHAIN, -1 },
	[PC_COMMAND] = { "COMMAND", 0.3, SCOLS_FL_TRUNC, S, "command", PC_COMMAND, -1 },
};
static const struct colalias ps_aliases[] = {
	{ "NS", "INUM" }, { NULL, NULL },
};
static const struct colset ps_cs = { ps_defs, PC_COUNT, ps_aliases };

static const char ps_help[] =
	"Usage: nsmon ps [options] NS\n"
	"       nsmon ps [options] --pid PID\n"
	"The tasks (threads included) whose active PID namespace is NS.\n"
	"  -p, --pid PID         the namespace of process PID\n"
	"      --processes       processes only (thread-group leaders), no threads\n"
	"      --recursive       the tasks of NS's descendants too\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"      --output-all      every column\n"
	"      --sort COL        sort by column COL (default: PID)\n"
	"  -J, --json            JSON output (CHAIN as an array of numbers)\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -u, --notruncate      do not truncate COMMAND (long rows continue below)\n"
	"  -W, --nowrap          one line per row, whatever the terminal's width\n"
	"  -H, --list-columns    the available columns\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int cmd_ps(int argc, char **argv)
{
	uint32_t inum, *set = NULL;
	struct pid_rec *recs;
	size_t n, i, k, nset = 0;
	struct table t;
	struct ns_rec r;
	int first;

	first = parse_options(argc, argv, "poAJrnHSuWQR", ps_help);
	if (want_columns)
		list_columns(&ps_cs);
	if (argc - first != (have_ns_pid ? 0 : 1))
		usage_error("ps: give one NS, or --pid PID");
	table_init(&t, "tasks", &ps_cs, opt_recursive ?
		   "PID,TGID,INUM,NSPID,NSTGID,CHAIN,COMMAND" :
		   "PID,TGID,NSPID,NSTGID,CHAIN,COMMAND");
	inum = resolve_ns("ps", have_ns_pid ? NULL : argv[first]);
	read_ns(inum, &r);	/* fails unless the namespace is visible */
	if (opt_recursive) {
		/* The namespaces of the subtree, sorted, for bsearch(). */
		size_t nns;
		struct ns_rec *ns = read_namespaces(&nns);

		set = xcalloc(nns, sizeof(*set));
		for (i = 0; i < nns; i++)
			if (in_subtree(ns, nns, &ns[i], inum))
				set[nset++] = (uint32_t)ns[i].v[NSK_INUM];
		free(ns);	/* sorted by inum: so is set[] */
	}
	recs = read_pids(&n);
	for (i = 0; i < n; i++) {
		const struct pid_rec *p = &recs[i];
		struct libscols_line *ln;
		char buf[NSMON_MAX_LEVELS * 12];

		if (opt_recursive ? !bsearch(&p->ns, set, nset, sizeof(*set), cmp_u32) :
		    p->ns != inum)
			continue;
		if (opt_processes && p->pid != p->tgid)
			continue;
		ln = table_line(&t, NULL);
		for (k = 0; k < t.nsel; k++) {
			size_t o = 0, l;

			switch (ps_defs[t.sel[k]].what) {
			case PC_PID: snprintf(buf, sizeof(buf), "%d", (int)p->pid); break;
			case PC_TGID: snprintf(buf, sizeof(buf), "%d", (int)p->tgid); break;
			case PC_INUM: snprintf(buf, sizeof(buf), "%u", p->ns); break;
			case PC_NS_PID: snprintf(buf, sizeof(buf), "%d", (int)p->ns_pid); break;
			case PC_NS_TGID: snprintf(buf, sizeof(buf), "%d", (int)p->ns_tgid); break;
			case PC_CHAIN:
				/* JSON: one array element per line. */
				buf[0] = '\0';
				for (l = 0; l < p->nlevels; l++)
					o += (size_t)snprintf(buf + o, sizeof(buf) - o,
							      l ? (opt.json ? "\n%d" : ",%d") : "%d",
							      (int)p->nspid[l]);
				break;
			case PC_COMMAND: snprintf(buf, sizeof(buf), "%s", p->comm); break;
			}
			table_set(&t, ln, k, buf);
		}
	}
	table_print(&t);
	free(recs);
	free(set);
	return 0;
}

/* ---- nsmon pid --------------------------------------------------------- */

enum { XC_INUM, XC_NR, XC_PID, XC_TGID, XC_COMMAND, XC_LEVEL, XC_COUNT };
static const struct coldef pid_defs[XC_COUNT] = {
	[XC_INUM] = { "INUM", 10, 0, N, "namespace inode number", XC_INUM, -1 },
	[XC_NR] = { "NR", 5, R, N, "the PID inside that namespace", XC_NR, -1 },
	[XC_PID] = { "PID", 5, R, N, "the PID here (view namespace)", XC_PID, -1 },
	[XC_TGID] = { "TGID", 5, R, N, "the thread-group ID here", XC_TGID, -1 },
	[XC_COMMAND] = { "COMMAND", 0.3, SCOLS_FL_TRUNC, S, "command", XC_COMMAND, -1 },
	[XC_LEVEL] = { "LEVEL", 1, R, N, "nesting level of the namespace (--host)", XC_LEVEL, -1 },
};
static const struct colset pid_cs = { pid_defs, XC_COUNT, ps_aliases };

static const char pid_help[] =
	"Usage: nsmon pid [options] NS NR\n"
	"       nsmon pid [options] --pid PID NR\n"
	"       nsmon pid [options] --host PID\n"
	"Translate PID NR of namespace NS to the PID seen here (through\n"
	"/proc/nsmon/lookup); with --host, list the (namespace, PID) pairs of\n"
	"process PID at every level, from its /proc/PID/status NSpid line.\n"
	"  -p, --pid PID         NS is the namespace of process PID\n"
	"      --host PID        the pairs of process PID at every level\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

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

		close(fd);
		if (e == ESRCH)
			fail_errno(e, path, "no task %d in namespace %u", (int)nr, inum);
		if (e == ENOENT)
			fail_errno(e, path, "no namespace %u visible here", inum);
		fail_errno(e, path, "request '%u %d' refused", inum, (int)nr);
	}
	if (len != rl) {
		close(fd);
		fail("%s: short write", path);
	}
	len = read(fd, buf, sizeof(buf) - 1);
	if (len < 0) {
		int e = errno;

		close(fd);
		fail_errno(e, path, NULL);
	}
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
	size_t len, n, nrecs, i, k;
	long at;
	int ret;

	if (parse_pid(arg, &pid))
		usage_error("pid: --host '%s': malformed PID", arg);
	table_init(&t, "pids", &pid_cs, "LEVEL,INUM,NR");
	if (proc_path(path, sizeof(path), "%d/status", (int)pid))
		fail_errno(ENAMETOOLONG, proc_root(), NULL);
	ret = read_file(path, &text, &len);
	if (ret)
		fail_errno(-ret, path, ret == -ENOENT ? "no process %d" : NULL,
			   (int)pid);
	if (parse_status_nspid(text, nspid, NSMON_MAX_LEVELS, &n, err)) {
		free(text);
		fail("%s: %s", path, err);
	}
	free(text);
	if (ns_of_pid(pid, &inum, err))
		fail("%s", err);
	/* The namespaces above it, from the module's parent links. */
	recs = read_namespaces(&nrecs);
	chain[n - 1] = inum;
	for (i = n - 1; i > 0; i--) {
		at = find_ns(recs, nrecs, chain[i]);
		if (at < 0 || !recs[at].v[NSK_PARENT]) {
			free(recs);
			fail("%s/%s: no parent of namespace %llu listed, but "
			     "process %d is %zu levels deep", proc_root(),
			     "nsmon/" NSMON_PROC_NAMESPACES,
			     (unsigned long long)chain[i], (int)pid, n);
		}
		chain[i - 1] = recs[at].v[NSK_PARENT];
	}
	for (i = 0; i < n; i++) {
		struct libscols_line *ln = table_line(&t, NULL);
		char buf[32];

		at = find_ns(recs, nrecs, chain[i]);
		for (k = 0; k < t.nsel; k++) {
			switch (pid_defs[t.sel[k]].what) {
			case XC_LEVEL:
				snprintf(buf, sizeof(buf), "%llu", at < 0 ? 0ULL :
					 (unsigned long long)recs[at].v[NSK_LEVEL]);
				break;
			case XC_INUM:
				snprintf(buf, sizeof(buf), "%llu", (unsigned long long)chain[i]);
				break;
			case XC_NR: snprintf(buf, sizeof(buf), "%d", (int)nspid[i]); break;
			case XC_PID: case XC_TGID:
				snprintf(buf, sizeof(buf), "%d", (int)pid);
				break;
			default: buf[0] = '\0';
			}
			table_set(&t, ln, k, buf);
		}
	}
	table_print(&t);
	free(recs);
}

static int cmd_pid(int argc, char **argv)
{
	struct lookup_rec ans;
	struct libscols_line *ln;
	struct table t;
	char buf[NSMON_COMM_MAX + 16];
	uint32_t inum;
	size_t k;
	pid_t nr;
	int first, want;

	first = parse_options(argc, argv, "pXoJrnH", pid_help);
	if (want_columns)
		list_columns(&pid_cs);
	if (host_opt) {
		if (have_ns_pid || first != argc)
			usage_error("pid: --host PID takes nothing else");
		host_chain(host_opt);
		return 0;
	}
	want = have_ns_pid ? 1 : 2;
	if (argc - first != want)
		usage_error("pid: give NS NR, --pid PID NR, or --host PID");
	table_init(&t, "pids", &pid_cs, "INUM,NR,PID,TGID,COMMAND");
	if (parse_pid(argv[argc - 1], &nr))
		usage_error("pid: '%s': malformed PID number", argv[argc - 1]);
	inum = resolve_ns("pid", have_ns_pid ? NULL : argv[first]);
	lookup(inum, nr, &ans);
	ln = table_line(&t, NULL);
	for (k = 0; k < t.nsel; k++) {
		switch (pid_defs[t.sel[k]].what) {
		case XC_INUM: snprintf(buf, sizeof(buf), "%u", ans.inum); break;
		case XC_NR: snprintf(buf, sizeof(buf), "%d", (int)ans.nr); break;
		case XC_PID: snprintf(buf, sizeof(buf), "%d", (int)ans.pid); break;
		case XC_TGID: snprintf(buf, sizeof(buf), "%d", (int)ans.tgid); break;
		case XC_COMMAND: snprintf(buf, sizeof(buf), "%s", ans.comm); break;
		default: buf[0] = '\0';
		}
		table_set(&t, ln, k, buf);
	}
	table_print(&t);
	return 0;
}

/* ---- nsmon top --------------------------------------------------------- */

/*
 * The columns of top: identity, gauges as they are, every counter as a
 * rate per second and a key in nanoseconds as a percentage of one CPU,
 * all from include/nsmon/keys.h.
 */
enum { TW_KEY, TW_RATE, TW_PERCENT, TW_COMMAND, TW_P50, TW_P99 };
#define TOP_DEFAULT "INUM,LEVEL,TASKS,CPU%,WAIT%,WAIT_P50,WAIT_P99,SWITCHES/s," \
	"FORKS/s,EXECS/s,COMMAND"
#define TOP_MAX_COLS	(NSK_COUNT + 2 + 2 * HIST_MAX)
/* A value of a rate or percentile column that is not a number: */
#define TOP_NONE	(-1.0)	/* "-", JSON null: no interval yet, no wait in it */
#define TOP_NA		(-2.0)	/* "n/a", left out of JSON: the module has no such key */
static struct coldef top_defs[TOP_MAX_COLS];
static char top_names[TOP_MAX_COLS][48], top_helps[TOP_MAX_COLS][160];
static struct colset top_cs = { top_defs, 0, NULL };

static void top_add(const char *name, double whint, int flags, int json,
		    const char *help, int what, int key)
{
	size_t i = top_cs.n++;

	snprintf(top_names[i], sizeof(top_names[i]), "%s", name);
	snprintf(top_helps[i], sizeof(top_helps[i]), "%s", help);
	top_defs[i] = (struct coldef){ top_names[i], whint, flags, json,
				       top_helps[i], what, key };
}

static void top_columns_init(void)
{
	char name[64], help[200];
	int k;

	top_add("INUM", 10, 0, N, nsmon_keys[NSK_INUM].help, TW_KEY, NSK_INUM);
	top_add("LEVEL", 1, R, N, nsmon_keys[NSK_LEVEL].help, TW_KEY, NSK_LEVEL);
	for (k = 0; k < NSK_COUNT; k++) {
		const struct nsk_info *ki = &nsmon_keys[k];

		if (ki->kind == NSMON_KIND_GAUGE) {
			top_add(ns_key_column(k), 5, R, N, ki->help, TW_KEY, k);
		} else if (ki->kind == NSMON_KIND_COUNTER && !strcmp(ki->unit, "ns")) {
			size_t l;

			snprintf(name, sizeof(name), "%s", ns_key_column(k));
			l = strlen(name);
			if (l > 3 && !strcmp(name + l - 3, "_NS"))
				name[l - 3] = '\0';
			strcat(name, "%");
			snprintf(help, sizeof(help), "%s Over the interval, in %% of one CPU.",
				 ki->help);
			top_add(name, 6, R, N, help, TW_PERCENT, k);
		} else if (ki->kind == NSMON_KIND_COUNTER) {
			snprintf(name, sizeof(name), "%s/s", ns_key_column(k));
			snprintf(help, sizeof(help), "%s Per second.", ki->help);
			top_add(name, 8, R, N, help, TW_RATE, k);
		}
	}
	/* Per histogram, the median and 99th percentile over the interval. */
	for (k = 0; k < nhists; k++) {
		const struct hist_def *h = &hists[k];
		size_t l;

		for (l = 0; h->name[l] && l + 8 < sizeof(name); l++)
			name[l] = (char)toupper((unsigned char)h->name[l]);
		snprintf(name + l, sizeof(name) - l, "_P50");
		snprintf(help, sizeof(help), "Median of %.31s_* over the interval, in %s "
			 "(interpolated in its bucket; '-' when none).", h->name, h->unit);
		top_add(name, 8, R, N, help, TW_P50, k);
		snprintf(name + l, sizeof(name) - l, "_P99");
		snprintf(help, sizeof(help), "99th percentile of %.31s_* over the interval, "
			 "in %s (interpolated in its bucket; '-' when none).", h->name, h->unit);
		top_add(name, 8, R, N, help, TW_P99, k);
	}
	top_add("COMMAND", 0.3, SCOLS_FL_TRUNC, S,
		"Command of the namespace's init.", TW_COMMAND, -1);
}

static const char top_help[] =
	"Usage: nsmon top [options]\n"
	"Per-namespace rates, sorted by CPU, every SEC seconds (default 2):\n"
	"CPU% and WAIT% (run-queue wait) of one CPU, the wait's median and 99th\n"
	"percentile in us (WAIT_P50, WAIT_P99; '-' when no wait ended), and each\n"
	"counter per second.  The first refresh comes at once, with rates shown\n"
	"as '-' (null in JSON) until an interval has passed.  On a terminal the\n"
	"screen is redrawn (keys: q quit; sort by c CPU, r run-queue wait,\n"
	"w switches, f forks, e execs, t tasks, i inode); otherwise each refresh\n"
	"prints a plain table and an empty line.\n"
	"  -b, --batch           batch mode: plain tables even on a terminal, no keys\n"
	"  -d, --delay SEC       seconds between refreshes (decimals allowed)\n"
	"  -n, --iterations N    stop after N refreshes (default: until interrupted)\n"
	"  -o, --output LIST     columns to show (+LIST adds to the default)\n"
	"  -s, --sort COL        sort by column COL, largest first (default: CPU%)\n"
	"  -J, --json            one JSON object per refresh, one per line\n"
	"  -r, --raw             raw output\n"
	"      --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

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

struct top_row {
	const struct ns_rec *cur;
	double val[TOP_MAX_COLS];	/* per top column; rates < 0: unknown */
};

static int top_sort_col;	/* index in top_defs */

/*
 * The @q quantile of histogram @h over the interval: from the counts now
 * (@v) less those of the last refresh (@b, NULL for a new namespace; when
 * a count went down, the namespace is another one with the same inode
 * number: from 0).  TOP_NONE when there was no wait.
 */
static double top_quantile(const struct hist_def *h, const uint64_t *v,
			   const uint64_t *b, double q)
{
	uint64_t d[HIST_MAX_BUCKETS];
	double x;
	int i;

	for (i = 0; i < h->n; i++)
		if (b && b[h->first + i] > v[h->first + i])
			b = NULL;
	for (i = 0; i < h->n; i++)
		d[i] = v[h->first + i] - (b ? b[h->first + i] : 0);
	x = hist_quantile(h, d, q);
	return isnan(x) ? TOP_NONE : x;
}

static int cmp_top(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	double dx = x->val[top_sort_col], dy = y->val[top_sort_col];

	if (top_defs[top_sort_col].what == TW_KEY &&
	    top_defs[top_sort_col].key == NSK_INUM)
		dx = -dx, dy = -dy;	/* inode numbers: smallest first */
	if (dx != dy)
		return dx > dy ? -1 : 1;
	return x->cur->v[NSK_INUM] < y->cur->v[NSK_INUM] ? -1 :
	       x->cur->v[NSK_INUM] > y->cur->v[NSK_INUM];
}

static struct termios top_tio;
static bool top_tio_saved, top_screen;

static void top_restore(void)
{
	if (top_tio_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &top_tio);
	top_tio_saved = false;
	if (top_screen) {
		/* leave the alternate screen, cursor back */
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
	}
	top_screen = false;
}

/* Wait @ns, or until a key: returns the key, 0 after the wait. */
static int top_wait(uint64_t ns, bool keys)
{
	uint64_t end = now_ns() + ns, t;

	while (!top_stop && (t = now_ns()) < end) {
		uint64_t left = end - t;
		struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
		int ms = (int)((left + 999999) / 1000000);

		if (!keys) {
			struct timespec ts = { (time_t)(left / 1000000000ULL),
					       (long)(left % 1000000000ULL) };

			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&pfd, 1, ms) > 0) {
			char c;

			if (read(STDIN_FILENO, &c, 1) == 1)
				return (unsigned char)c;
			keys = false;	/* stdin closed: just wait */
		}
	}
	return 0;
}

static void top_frame(struct top_row *rows, size_t n, bool have_rates,
		      double dt, bool screen, uint64_t delay)
{
	size_t i, k, limit = SIZE_MAX;
	struct table t;
	uint64_t tasks = 0;

	qsort(rows, n, sizeof(*rows), cmp_top);
	for (i = 0; i < n; i++)
		tasks += rows[i].cur->v[NSK_TASKS];
	if (opt.json) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		printf("{\"time\": %lld.%03ld, \"interval\": ", (long long)ts.tv_sec,
		       ts.tv_nsec / 1000000);
		if (have_rates)
			printf("%.3f", dt);
		else
			fputs("null", stdout);
		fputs(", \"namespaces\": [", stdout);
	} else if (screen) {
		struct winsize ws;
		time_t now = time(NULL);
		char tbuf[32];

		strftime(tbuf, sizeof(tbuf), "%H:%M:%S", localtime(&now));
		if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row > 3)
			limit = ws.ws_row - 3u;
		fputs("\033[H\033[J", stdout);
		printf("nsmon top - %s  %zu namespaces, %llu tasks, every %.3g s"
		       "  (q quit, sort: c r w f e t i)\n", tbuf, n,
		       (unsigned long long)tasks, (double)delay / 1e9);
	}
	table_init(&t, "top", &top_cs, TOP_DEFAULT);
	for (i = 0; i < n && i < limit; i++) {
		struct libscols_line *ln = opt.json ? NULL : table_line(&t, NULL);
		char buf[NSMON_COMM_MAX + 16];

		size_t nout = 0;

		if (opt.json)
			fputs(i ? ", {" : "{", stdout);
		for (k = 0; k < t.nsel; k++) {
			const struct coldef *d = &top_defs[t.sel[k]];
			double v = rows[i].val[t.sel[k]];
			bool str = false;

			switch (d->what) {
			case TW_KEY:
				snprintf(buf, sizeof(buf), "%llu",
					 (unsigned long long)rows[i].cur->v[d->key]);
				break;
			case TW_RATE: case TW_PERCENT: case TW_P50: case TW_P99:
				if (v == TOP_NA) {
					if (opt.json)
						continue;	/* left out */
					snprintf(buf, sizeof(buf), NS_NOT_AVAILABLE);
				} else if (!have_rates || v < 0) {
					snprintf(buf, sizeof(buf), opt.json ? "null" : "-");
				} else {
					snprintf(buf, sizeof(buf), "%.1f", v);
				}
				break;
			case TW_COMMAND:
				comm_of((pid_t)rows[i].cur->v[NSK_INIT_PID], buf, sizeof(buf));
				str = true;
				break;
			}
			if (opt.json) {
				char name[64];
				size_t c;

				for (c = 0; d->name[c] && c + 1 < sizeof(name); c++)
					name[c] = (char)tolower((unsigned char)d->name[c]);
				name[c] = '\0';
				if (nout++)
					fputs(", ", stdout);
				json_string(stdout, name);
				fputs(": ", stdout);
				if (str)
					json_string(stdout, buf);
				else
					fputs(buf, stdout);
			} else {
				table_set(&t, ln, k, buf);
			}
		}
		if (opt.json)
			fputs("}", stdout);
	}
	if (opt.json) {
		fputs("]}\n", stdout);
		table_free(&t);
		flush_stdout();
	} else {
		table_print(&t);
	}
}

static int cmd_top(int argc, char **argv)
{
	static const struct option o[] = {
		{ "batch", no_argument, NULL, 'b' },
		{ "delay", required_argument, NULL, 'd' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "sort", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'J' },
		{ "raw", no_argument, NULL, 'r' },
		{ "noheadings", no_argument, NULL, O_NOHEAD },
		{ "list-columns", no_argument, NULL, 'H' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t delay = 2000000000ULL, count = 0, iter, t0 = 0, t1;
	struct ns_rec *prev = NULL, *cur;
	size_t nprev = 0, ncur, i, k;
	bool batch = false, screen, keys;
	struct top_row *rows = NULL;
	const char *sort = "CPU%";
	struct sigaction sa;
	int c, key = 0;

	top_columns_init();
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:bd:n:o:s:JrHhV", o, NULL)) != -1) {
		switch (c) {
		case 'b': batch = true; break;
		case 'd':
			if (parse_delay(optarg, &delay))
				usage_error("top: -d '%s': malformed delay (seconds, more than 0, at most 86400)",
					    optarg);
			break;
		case 'n':
			if (parse_u64(optarg, UINT32_MAX, &count) || !count)
				usage_error("top: -n '%s': malformed count (a number from 1)",
					    optarg);
			break;
		case 'o': opt.output = optarg; break;
		case 's': sort = optarg; break;
		case 'J': opt.json = true; break;
		case 'r': opt.raw = true; break;
		case O_NOHEAD: opt.noheadings = true; break;
		case 'H': list_columns(&top_cs);
		case 'h': fputs(top_help, stdout); exit(EXIT_SUCCESS);
		case 'V': print_version();
		default: bad_option(argv, c);
		}
	}
	if (optind != argc)
		usage_error("top: unexpected argument '%s'", argv[optind]);
	/* Columns and sort key checked before anything is read or drawn. */
	columns_check(&top_cs);
	top_sort_col = col_find(&top_cs, sort, strlen(sort));
	if (top_sort_col < 0)
		usage_error("top: --sort: unknown column '%s' (nsmon top -H lists them)",
			    sort);
	screen = !batch && !opt.json && isatty(STDOUT_FILENO);
	keys = screen && isatty(STDIN_FILENO);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(top_restore);
	before_message = top_restore;
	if (keys && !tcgetattr(STDIN_FILENO, &top_tio)) {
		struct termios raw = top_tio;

		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		top_tio_saved = !tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	if (screen) {
		/* the alternate screen, cursor hidden, as top does */
		fputs("\033[?1049h\033[?25l", stdout);
		top_screen = true;
	}
	for (iter = 0; !top_stop && (!count || iter < count); iter++) {
		double dt;

		if (iter) {
			/* Keys redraw the last frame at once, sorted anew. */
			uint64_t start = now_ns(), spent;

			while (!top_stop && (spent = now_ns() - start) < delay &&
			       (key = top_wait(delay - spent, keys))) {
				const char *map = "cCPU%\0rWAIT%\0wSWITCHES/s\0fFORKS/s\0"
						  "eEXECS/s\0tTASKS\0iINUM\0";
				const char *m;

				if (key == 'q' || key == 'Q') {
					top_stop = 1;
					break;
				}
				for (m = map; *m; m += strlen(m) + 1)
					if (*m == key && col_find(&top_cs, m + 1, strlen(m + 1)) >= 0) {
						top_sort_col = col_find(&top_cs, m + 1, strlen(m + 1));
						top_frame(rows, nprev, iter > 1, 0,
							  screen, delay);
					}
			}
			if (top_stop)
				break;
		}
		cur = read_namespaces(&ncur);
		t1 = now_ns();
		dt = iter ? (double)(t1 - t0) / 1e9 : 0;
		free(rows);
		rows = xcalloc(ncur, sizeof(*rows));
		for (i = 0; i < ncur; i++) {
			long p = iter ? find_ns(prev, nprev, cur[i].v[NSK_INUM]) : -1;
			const uint64_t *b = p >= 0 ? prev[p].v : NULL;
			const uint64_t *v = cur[i].v;

			rows[i].cur = &cur[i];
			for (k = 0; k < top_cs.n; k++) {
				const struct coldef *d = &top_defs[k];
				double delta;

				if (d->what == TW_KEY) {
					rows[i].val[k] = (double)v[d->key];
					continue;
				}
				if (d->what == TW_COMMAND)
					continue;
				if (!ns_has(&cur[i], d->what == TW_P50 || d->what == TW_P99 ?
					    hists[d->key].first : d->key)) {
					rows[i].val[k] = TOP_NA;
					continue;
				}
				if (!iter) {
					rows[i].val[k] = TOP_NONE;
					continue;
				}
				if (d->what == TW_P50 || d->what == TW_P99) {
					rows[i].val[k] = top_quantile(&hists[d->key], v, b,
								      d->what == TW_P50 ? 0.5 : 0.99);
					continue;
				}
				/* A namespace new since the last refresh: from 0. */
				delta = (double)(v[d->key] - (b && b[d->key] <= v[d->key] ?
							      b[d->key] : 0));
				rows[i].val[k] = d->what == TW_PERCENT ?
						 delta / 1e9 / dt * 100.0 : delta / dt;
			}
		}
		top_frame(rows, ncur, iter > 0, dt, screen, delay);
		if (!screen && !opt.json && (!count || iter + 1 < count)) {
			putchar('\n');
			flush_stdout();
		}
		free(prev);
		prev = cur;
		nprev = ncur;
		t0 = t1;
	}
	free(rows);
	free(prev);
	top_restore();
	return 0;
}

/* ---- nsmon metrics ------------------------------------------------------ */

static const char metrics_help[] =
	"Usage: nsmon metrics [options]\n"
	"The counters in Prometheus text exposition format (version 0.0.4), for\n"
	"node_exporter's textfile collector.  nsmon_up is 0 (and the exit status\n"
	"1) when the module did not answer; the output is written all the same.\n"
	"      --textfile DIR    write DIR/nsmon.prom atomically (a temporary file\n"
	"                        in DIR renamed over it) instead of standard output\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

/*
 * Keys whose Prometheus family is not nsmon_<key>[_total]: the two kinds
 * of context switch are one family with a label, and their sum is left to
 * PromQL.  Every other key, a new one included, gets its own family.
 */
static const struct {
	const char *key, *family, *label, *help;
} prom_special[] = {
	{ "switches", NULL, NULL, NULL },
	{ "voluntary_switches", "nsmon_context_switches_total", "voluntary",
	  "Context switches away from tasks of the PID namespace, by kind." },
	{ "involuntary_switches", "nsmon_context_switches_total", "involuntary", NULL },
};

static int prom_find(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prom_special); i++)
		if (!strcmp(prom_special[i].key, key))
			return (int)i;
	return -1;
}

/* nsmon_<key>[_total]; "ns" keys in seconds: nsmon_cpu_seconds_total. */
static void prom_name(int k, char *buf, size_t size)
{
	const struct nsk_info *ki = &nsmon_keys[k];
	size_t l;

	snprintf(buf, size, "nsmon_%s", ki->key);
	l = strlen(buf);
	if (!strcmp(ki->unit, "ns")) {
		if (l > 3 && !strcmp(buf + l - 3, "_ns"))
			buf[l - 3] = '\0';
		strncat(buf, "_seconds", size - strlen(buf) - 1);
	}
	if (ki->kind == NSMON_KIND_COUNTER)
		strncat(buf, "_total", size - strlen(buf) - 1);
}

static void prom_value(FILE *f, int k, uint64_t v)
{
	char buf[32];

	if (!strcmp(nsmon_keys[k].unit, "ns"))
		fputs(fmt_secs(buf, sizeof(buf), v, 9), f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

/*
 * Is key @k there for some namespace?  The keys of every module always
 * (their HELP and TYPE are written even for no namespace), the run-queue
 * wait keys when the module has them.
 */
static bool prom_any_has(const struct ns_rec *recs, size_t n, int k)
{
	struct ns_rec none = { .has_wait = false };
	size_t i;

	if (ns_has(&none, k))
		return true;
	for (i = 0; i < n; i++)
		if (ns_has(&recs[i], k))
			return true;
	return false;
}

/* Is @k the total of a histogram (written as its _sum)? */
static bool prom_hist_sum(int k)
{
	int i;

	for (i = 0; i < nhists; i++)
		if (hists[i].sum_key == k)
			return true;
	return false;
}

/*
 * Histogram @h as a Prometheus histogram nsmon_<name>_seconds: per
 * namespace the cumulative _bucket{le="..."} in seconds up to "+Inf",
 * _sum its total key in seconds (the module's own sum, not one made up
 * from the buckets) and _count the sum of the buckets.
 */
static void prom_hist(FILE *f, const struct hist_def *h,
		      const struct ns_rec *recs, size_t n)
{
	char name[64], le[32], sum[32];
	size_t i;
	int b;

	snprintf(name, sizeof(name), "nsmon_%s_seconds", h->name);
	fprintf(f, "# HELP %s %s%sBuckets: single %ss by length (%s_lt_* to %s_ge_*); "
		"_sum: %s in seconds.\n# TYPE %s histogram\n", name,
		h->sum_key >= 0 ? nsmon_keys[h->sum_key].help : "",
		h->sum_key >= 0 ? " " : "", h->name, h->name, h->name,
		h->sum_key >= 0 ? nsmon_keys[h->sum_key].key : "none", name);
	for (i = 0; i < n; i++) {
		const uint64_t *c = &recs[i].v[h->first];
		unsigned long long inum = (unsigned long long)recs[i].v[NSK_INUM];
		uint64_t cum = 0;

		if (!ns_has(&recs[i], h->first))
			continue;
		for (b = 0; b < h->n; b++) {
			if (__builtin_add_overflow(cum, c[b], &cum))
				cum = UINT64_MAX;
			if (h->le[b] == UINT64_MAX)
				snprintf(le, sizeof(le), "+Inf");
			else
				fmt_float(le, sizeof(le), (double)h->le[b] / h->per_s);
			fprintf(f, "%s_bucket{inum=\"%llu\",le=\"%s\"} %llu\n", name,
				inum, le, (unsigned long long)cum);
		}
		if (h->sum_key >= 0)
			fprintf(f, "%s_sum{inum=\"%llu\"} %s\n", name, inum,
				fmt_secs(sum, sizeof(sum), recs[i].v[h->sum_key], 9));
		fprintf(f, "%s_count{inum=\"%llu\"} %llu\n", name, inum,
			(unsigned long long)cum);
	}
}

static void write_metrics(FILE *f, const struct ns_rec *recs, size_t n,
			  bool up, const char *mv)
{
	bool done[NSK_COUNT] = { false };
	size_t i;
	int k, j;

	fprintf(f, "# HELP nsmon_up 1 when the nsmon module answered, 0 otherwise.\n"
		"# TYPE nsmon_up gauge\nnsmon_up %d\n", up);
	fputs("# HELP nsmon_build_info The versions of the nsmon client and of the loaded module (\"\" when none).\n"
	      "# TYPE nsmon_build_info gauge\n", f);
	fprintf(f, "nsmon_build_info{client_version=\"%s\",module_version=", NSMON_VERSION);
	json_string(f, mv);	/* a JSON string is a valid label value here */
	fputs("} 1\n", f);
	if (!up)
		return;
	fprintf(f, "# HELP nsmon_namespaces PID namespaces visible to nsmon here.\n"
		"# TYPE nsmon_namespaces gauge\nnsmon_namespaces %zu\n", n);
	fputs("# HELP nsmon_namespace_info One per PID namespace: its place in the tree, and the container ID of its init (\"\" when none).\n"
	      "# TYPE nsmon_namespace_info gauge\n", f);
	for (i = 0; i < n; i++) {
		const struct ctr_rec *c = ctr_of_ns((uint32_t)recs[i].v[NSK_INUM]);

		fprintf(f, "nsmon_namespace_info{inum=\"%llu\",level=\"%llu\",parent=\"%llu\","
			"init_pid=\"%llu\",container=",
			(unsigned long long)recs[i].v[NSK_INUM],
			(unsigned long long)recs[i].v[NSK_LEVEL],
			(unsigned long long)recs[i].v[NSK_PARENT],
			(unsigned long long)recs[i].v[NSK_INIT_PID]);
		json_string(f, c ? c->id.id : "");	/* a valid label value */
		fputs("} 1\n", f);
	}
	for (k = 0; k < NSK_COUNT; k++) {
		const struct nsk_info *ki = &nsmon_keys[k];
		int s = prom_find(ki->key);
		char name[96];

		if (ki->kind == NSMON_KIND_ID || done[k] || !prom_any_has(recs, n, k))
			continue;
		if (ki->kind == NSMON_KIND_BUCKET) {
			/* the buckets and total of a histogram: one family */
			int hi = hist_of_key(k);

			if (hists[hi].first == k)
				prom_hist(f, &hists[hi], recs, n);
			continue;
		}
		if (prom_hist_sum(k))
			continue;	/* the _sum of its histogram */
		if (s >= 0 && !prom_special[s].family)
			continue;
		if (s >= 0) {
			/* A family of several keys, one label value each. */
			const char *fam = prom_special[s].family;

			fprintf(f, "# HELP %s %s\n# TYPE %s counter\n", fam,
				prom_special[s].help, fam);
			for (j = 0; j < NSK_COUNT; j++) {
				int sj = prom_find(nsmon_keys[j].key);

				if (sj < 0 || !prom_special[sj].family ||
				    strcmp(prom_special[sj].family, fam))
					continue;
				done[j] = true;
				for (i = 0; i < n; i++) {
					if (!ns_has(&recs[i], j))
						continue;
					fprintf(f, "%s{inum=\"%llu\",kind=\"%s\"} ", fam,
						(unsigned long long)recs[i].v[NSK_INUM],
						prom_special[sj].label);
					prom_value(f, j, recs[i].v[j]);
					fputc('\n', f);
				}
			}
			continue;
		}
		prom_name(k, name, sizeof(name));
		fprintf(f, "# HELP %s %s%s\n# TYPE %s %s\n", name, ki->help,
			strcmp(ki->unit, "ns") ? "" : " In seconds.", name,
			ki->kind == NSMON_KIND_COUNTER ? "counter" : "gauge");
		for (i = 0; i < n; i++) {
			if (!ns_has(&recs[i], k))
				continue;
			fprintf(f, "%s{inum=\"%llu\"} ", name,
				(unsigned long long)recs[i].v[NSK_INUM]);
			prom_value(f, k, recs[i].v[k]);
			fputc('\n', f);
		}
	}
}

/* Write @data to DIR/nsmon.prom through a temporary file and rename(). */
static void write_textfile(const char *dir, const char *data, size_t len)
{
	char tmp[PATH_MAX], dst[PATH_MAX];
	size_t off = 0;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/.nsmon.prom.XXXXXX", dir) >= sizeof(tmp) ||
	    (size_t)snprintf(dst, sizeof(dst), "%s/nsmon.prom", dir) >= sizeof(dst))
		fail_errno(ENAMETOOLONG, dir, NULL);
	fd = mkstemp(tmp);
	if (fd < 0)
		fail_errno(errno, dir, "cannot create a temporary file");
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;

			close(fd);
			unlink(tmp);
			fail_errno(e, tmp, "write error");
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) || fsync(fd)) {
		int e = errno;

		close(fd);
		unlink(tmp);
		fail_errno(e, tmp, NULL);
	}
	if (close(fd)) {
		int e = errno;

		unlink(tmp);
		fail_errno(e, tmp, NULL);
	}
	if (rename(tmp, dst)) {
		int e = errno;

		unlink(tmp);
		fail_errno(e, dst, "cannot rename %s to it", tmp);
	}
}

static int cmd_metrics(int argc, char **argv)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], mv[64], why[PATH_MAX + 300] = "";
	struct ns_rec *recs = NULL;
	size_t n = 0, len = 0;
	char *text = NULL, *data = NULL;
	bool up = false;
	int first, e, ret;
	FILE *f;

	first = parse_options(argc, argv, "F", metrics_help);
	if (first != argc)
		usage_error("metrics takes no arguments");
	if (textfile_opt) {
		struct stat st;

		if (stat(textfile_opt, &st))
			fail_errno(errno, textfile_opt, NULL);
		if (!S_ISDIR(st.st_mode))
			fail_errno(ENOTDIR, textfile_opt, NULL);
	}
	/* Whatever happens, nsmon_up says it: no stale file looks healthy. */
	e = module_missing(path, sizeof(path));
	if (e) {
		snprintf(why, sizeof(why), "%s: %s (%s)%s", path, strerror(e),
			 errno_name(e), e == ENOENT ? ": the nsmon module is not loaded" : "");
	} else if (proc_path(path, sizeof(path), "%s/%s", NSMON_PROC_DIR,
			     NSMON_PROC_NAMESPACES)) {
		snprintf(why, sizeof(why), "%s: path too long", proc_root());
	} else if ((ret = read_file(path, &text, &len))) {
		snprintf(why, sizeof(why), "%s: %s (%s)", path, strerror(-ret),
			 errno_name(-ret));
	} else if (parse_namespaces(text, &recs, &n, err)) {
		snprintf(why, sizeof(why), "%s: %s", path, err);
	} else {
		up = true;
	}
	free(text);
	module_version(mv, sizeof(mv));
	f = open_memstream(&data, &len);
	if (!f)
		fail("out of memory");
	write_metrics(f, recs, n, up, mv);
	free(recs);
	if (fclose(f))
		fail("out of memory");
	if (textfile_opt) {
		write_textfile(textfile_opt, data, len);
	} else {
		write_stdout(data, len);
	}
	free(data);
	if (!up)
		fail("%s", why);
	return 0;
}

/* ---- nsmon load / unload / status (libkmod) ---------------------------- */

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

static const char load_help[] =
	"Usage: nsmon load [PATH|NAME]\n"
	"Load the nsmon module from a .ko file, or by module name (default:\n"
	"nsmon) from /lib/modules/$(uname -r).\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static int cmd_load(int argc, char **argv)
{
	struct kmod_module *mod, *loaded;
	struct kmod_ctx *ctx;
	const char *arg;
	char ver[64];
	bool is_path;
	size_t alen;
	int ret, first;

	first = parse_options(argc, argv, "", load_help);
	if (argc - first > 1)
		usage_error("load takes one PATH or NAME");
	arg = first < argc ? argv[first] : NSMON_MODULE_NAME;
	ctx = kmod_open();
	if (nsmon_state(ctx, &loaded) >= 0) {
		kmod_module_unref(loaded);
		kmod_unref(ctx);
		module_version(ver, sizeof(ver));
		fail("module %s is already loaded (version %s)",
		     NSMON_MODULE_NAME, *ver ? ver : "unknown");
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

static const char unload_help[] =
	"Usage: nsmon unload\n"
	"Unload the nsmon module (refused while it is in use).\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static int cmd_unload(int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret, ref;

	if (parse_options(argc, argv, "", unload_help) != argc)
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
static const struct coldef status_defs[SC_COUNT] = {
	[SC_MODULE] = { "MODULE", 5, 0, S, "module name", SC_MODULE, -1 },
	[SC_STATE] = { "STATE", 6, 0, S, "live, coming, going, or unloaded", SC_STATE, -1 },
	[SC_VERSION] = { "VERSION", 5, 0, S, "the loaded module's MODULE_VERSION (JSON: null when unloaded)", SC_VERSION, -1 },
	[SC_REFCNT] = { "REFCNT", 3, R, N, "module reference count", SC_REFCNT, -1 },
	[SC_SIZE] = { "SIZE", 6, R, N, "module size in bytes", SC_SIZE, -1 },
	[SC_CLIENT] = { "CLIENT", 5, 0, S, "this client's version", SC_CLIENT, -1 },
};
static const struct colset status_cs = { status_defs, SC_COUNT, NULL };

static const char status_help[] =
	"Usage: nsmon status [options]\n"
	"Whether the nsmon module is loaded, its version and reference count.\n"
	"Exits 0 whether or not it is loaded; see the STATE column.\n"
	"  -o, --output LIST     columns to show\n"
	"  -J, --json            JSON output\n"
	"  -r, --raw             raw output\n"
	"  -n, --noheadings      no header line\n"
	"  -H, --list-columns    the available columns\n"
	"  -h, --help            this help\n"
	"  -V, --version         the client's and the module's versions\n";

static int cmd_status(int argc, char **argv)
{
	static const char *const states[] = { "builtin", "live", "coming", "going" };
	struct libscols_line *ln;
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	struct table t;
	char buf[64];
	size_t k;
	int first, state;

	first = parse_options(argc, argv, "oJrnH", status_help);
	if (want_columns)
		list_columns(&status_cs);
	if (first != argc)
		usage_error("status: unexpected argument '%s'", argv[first]);
	table_init(&t, "modules", &status_cs,
		   "MODULE,STATE,VERSION,REFCNT,SIZE,CLIENT");
	ctx = kmod_open();
	state = nsmon_state(ctx, &mod);
	ln = table_line(&t, NULL);
	for (k = 0; k < t.nsel; k++) {
		const char *v = buf;
		int w = status_defs[t.sel[k]].what;

		if (state < 0 && (w == SC_VERSION || w == SC_REFCNT || w == SC_SIZE)) {
			/* JSON: null; libsmartcols prints an empty number so */
			v = opt.json ? NULL : "-";
			if (!v) {
				/* no data: libsmartcols writes null for it */
				continue;
			}
		} else switch (w) {
		case SC_MODULE: v = NSMON_MODULE_NAME; break;
		case SC_CLIENT: v = NSMON_VERSION; break;
		case SC_STATE:
			v = state < 0 ? "unloaded" : state < 4 ? states[state] : "unknown";
			break;
		case SC_VERSION:
			if (!module_version(buf, sizeof(buf)))
				v = opt.json ? NULL : "-";
			if (!v)
				continue;
			break;
		case SC_REFCNT:
			snprintf(buf, sizeof(buf), "%d", kmod_module_get_refcnt(mod));
			break;
		case SC_SIZE:
			snprintf(buf, sizeof(buf), "%ld", kmod_module_get_size(mod));
			break;
		}
		table_set(&t, ln, k, v);
	}
	kmod_module_unref(mod);
	kmod_unref(ctx);
	table_print(&t);
	return 0;
}

/* ---- main --------------------------------------------------------------- */

static const char main_help[] =
	"Usage: nsmon COMMAND [options] [arguments]\n"
	"Per-PID-namespace counters and PID translation, from the nsmon module.\n"
	"\n"
	"Commands:\n"
	"  list [NS]            every visible PID namespace and its counters\n"
	"  show NS              one namespace, every column\n"
	"  ps NS                the tasks of a namespace, with their PIDs at every level\n"
	"  pid NS NR            the PID here of task NR of namespace NS\n"
	"  pid --host PID       the (namespace, PID) pairs of process PID\n"
	"  top                  per-namespace rates, sorted by CPU\n"
	"  metrics              the counters in Prometheus text format\n"
	"  load [PATH|NAME]     load the module (libkmod)\n"
	"  unload               unload the module\n"
	"  status               loaded state, version and refcount of the module\n"
	"  watch [NS]           fork, exec and exit events as they happen\n"
	"\n"
	"NS is an inode number (stat -L -c %i /proc/PID/ns/pid), a path to a PID\n"
	"namespace file (/proc/PID/ns/pid or a bind mount of one), a container ID,\n"
	"a unique prefix of one or a container's name, or --pid PID.\n"
	"'nsmon COMMAND --help' shows a command's options; see nsmon(1).\n"
	"\n"
	"  -h, --help           this help\n"
	"  -V, --version        the client's and the module's versions\n"
	"\n"
	"Exit status: 0 success, 1 failure at run time (one line on stderr),\n"
	"2 usage error (anything wrong in the command line, unknown columns\n"
	"and malformed numbers included).\n"
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
		{ "watch", cmd_watch },
	};
	size_t i;

	close_stdout_at_exit();
	setlocale(LC_ALL, "");
	opterr = 0;
	ns_columns_init();
	if (argc < 2)
		usage_error("no command given");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(main_help, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		print_version();
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	usage_error("unknown command '%s'", argv[1]);
}
