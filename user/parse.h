/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - the parsers of nsmon(1): the /proc/nsmon formats (see the
 * contract in README.md), NS arguments, /proc/PID/status NSpid, and
 * strict decimal numbers.  No output, no exit(): every function returns 0
 * or a negative errno and, where useful, explains itself in @err.
 *
 * Everything is read below a proc root: $NSMON_PROC, or /proc when unset,
 * so that the unit tests can point the client at fixture trees.
 */
#ifndef NSMON_USER_PARSE_H
#define NSMON_USER_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The deepest PID namespace nesting the kernel allows is 32 levels. */
#define NSMON_MAX_LEVELS	33
#define NSMON_COMM_MAX		128
#define NSMON_ERR_MAX		256

/*
 * The keys of /proc/nsmon/<inum> and columns of /proc/nsmon/namespaces,
 * from include/nsmon/keys.h, in the module's order.  The client names only
 * the keys it treats specially (identity, top's rates, the switch family
 * of the metrics); every other key is handled through nsmon_keys[].
 */
#include <nsmon/keys.h>

enum nsk {
	NSK_INUM = NSMON_KEY_inum,
	NSK_LEVEL = NSMON_KEY_level,
	NSK_PARENT = NSMON_KEY_parent,
	NSK_INIT_PID = NSMON_KEY_init_pid,
	NSK_TASKS = NSMON_KEY_tasks,
	NSK_PROCESSES = NSMON_KEY_processes,
	NSK_FORKS = NSMON_KEY_forks,
	NSK_THREADS = NSMON_KEY_threads,
	NSK_EXECS = NSMON_KEY_execs,
	NSK_EXITS = NSMON_KEY_exits,
	NSK_SWITCHES = NSMON_KEY_switches,
	NSK_VOLUNTARY = NSMON_KEY_voluntary_switches,
	NSK_INVOLUNTARY = NSMON_KEY_involuntary_switches,
	NSK_CPU_NS = NSMON_KEY_cpu_ns,
	NSK_COUNT = NSMON_NKEYS
};

/*
 * The run-queue latency keys (wait_ns and the wait_* histogram), keys
 * NSK_WAIT_FIRST to NSK_WAIT_END - 1: a module built for a kernel without
 * CONFIG_SCHED_INFO leaves all of them out, and keys added later follow
 * in their place.  The parsers accept the files with or without them and
 * say which in ns_rec.has_wait.
 */
#define NSK_ONE_KEY(key, kind, unit, sum, help)	+ 1
enum {
	NSK_WAIT_FIRST = 1 NSMON_NS_BASE_KEYS(NSK_ONE_KEY, NSK_ONE_KEY),
	NSK_WAIT_END = NSK_WAIT_FIRST
		NSMON_NS_WAIT_KEYS(NSK_ONE_KEY, NSK_ONE_KEY),
};
#undef NSK_ONE_KEY

/* One key: its name, NSMON_KIND_*, unit ("" or "ns"), whether --total
 * sums it, and its one line of help. */
struct nsk_info {
	const char *key;
	int kind;
	const char *unit;
	int sum;
	const char *help;
};
extern const struct nsk_info nsmon_keys[NSK_COUNT];
extern const char *const nsmon_ns_keys[NSK_COUNT];

/* The largest file read_file() accepts (a /proc file replaced by
 * /dev/urandom must not take the machine's memory). */
#define NSMON_READ_MAX		(256u << 20)

struct ns_rec {
	uint64_t v[NSK_COUNT];	/* 0 for a key the module left out */
	bool has_wait;		/* keys NSK_WAIT_FIRST.. were in the file */
};

/* Did the module give key @k for @r? */
static inline bool ns_has(const struct ns_rec *r, int k)
{
	return k < NSK_WAIT_FIRST || k >= NSK_WAIT_END || r->has_wait;
}

/* One row of /proc/nsmon/pids. */
struct pid_rec {
	pid_t pid, tgid;
	uint32_t ns;
	pid_t ns_pid, ns_tgid;
	size_t nlevels;
	pid_t nspid[NSMON_MAX_LEVELS];
	char comm[NSMON_COMM_MAX];
};

/* The answer of /proc/nsmon/lookup. */
struct lookup_rec {
	uint32_t inum;
	pid_t nr, pid, tgid;
	char comm[NSMON_COMM_MAX];
};

/*
 * A decimal number: one or more digits and nothing else (no sign, no
 * space, no base prefix), at most @max.  -EINVAL when malformed, -ERANGE
 * when above @max.
 */
int parse_u64(const char *s, uint64_t max, uint64_t *out);
/* The same over [s, s + len). */
int parse_u64n(const char *s, size_t len, uint64_t max, uint64_t *out);
int parse_inum(const char *s, uint32_t *out);	/* 0 .. 2^32-1 */
int parse_pid(const char *s, pid_t *out);	/* 0 .. 2^31-1 */

/* /proc/nsmon/<inum>: "key value" lines, the NSK_COUNT keys in order
 * (the run-queue latency keys all there or all left out); later keys (a
 * newer module) are checked for form and ignored. */
int parse_ns_file(const char *text, struct ns_rec *r, char *err);

/* /proc/nsmon/namespaces: header and rows.  *out is malloc()ed, sorted
 * by inum (a namespace listed twice is an error); the run-queue latency
 * columns may all be left out; columns after the known ones (a newer
 * module) are ignored.  O(n log n). */
int parse_namespaces(const char *text, struct ns_rec **out, size_t *n,
		     char *err);

/* /proc/nsmon/pids: header and rows.  *out is malloc()ed, sorted by pid
 * (a pid listed twice is an error).  O(n log n). */
int parse_pids(const char *text, struct pid_rec **out, size_t *n, char *err);

/* The request written to /proc/nsmon/lookup; returns its length. */
int format_lookup(char *buf, size_t size, uint32_t inum, pid_t nr);
/* The line read back from /proc/nsmon/lookup. */
int parse_lookup(const char *text, struct lookup_rec *r, char *err);

/* The NSpid: line of /proc/PID/status: *n numbers, view level first. */
int parse_status_nspid(const char *text, pid_t *nspid, size_t max,
		       size_t *n, char *err);

/* The proc root ($NSMON_PROC or /proc) and paths below it. */
const char *proc_root(void);
int proc_path(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Read a whole file (procfs files report size 0) into a malloc()ed, NUL
 * terminated buffer; -EFBIG above NSMON_READ_MAX bytes, -EILSEQ if it
 * holds a NUL byte. */
int read_file(const char *path, char **text, size_t *len);

/*
 * NS arguments.  ns_of_pid(): the active PID namespace of process @pid,
 * st_ino of <proc root>/PID/ns/pid.  ns_of_path(): an nsfs file
 * (/proc/PID/ns/pid, pid_for_children, or a bind mount of one), which must
 * be a PID namespace.  ns_of_arg(): an inode number, or a path when it
 * contains a '/'.  -ENOTTY/-EINVAL come with an explanation in @err.
 */
int ns_of_pid(pid_t pid, uint32_t *inum, char *err);
int ns_of_path(const char *path, uint32_t *inum, char *err);
int ns_of_arg(const char *arg, uint32_t *inum, char *err);

/* Binary search of a table sorted by inum: its index, or -1. */
long find_ns(const struct ns_rec *r, size_t n, uint64_t inum);

/* The header line of /proc/nsmon/namespaces this client expects. */
const char *ns_header(void);

/* @s of @len bytes for an error message: at most @max bytes of it, bytes
 * outside printable ASCII as \r, \t, \n or \xHH.  Returns @buf. */
char *quote_bytes(char *buf, size_t size, const char *s, size_t len,
		  size_t max);

/* strerrorname_np() with a fallback: "ENOENT". */
const char *errno_name(int err);

#endif /* NSMON_USER_PARSE_H */
