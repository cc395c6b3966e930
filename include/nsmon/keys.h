/* SPDX-License-Identifier: GPL-2.0 */
/*
 * keys.h - the one list of what nsmon shows per PID namespace.
 *
 * Every key of /proc/nsmon/<inum>, which is also every column of
 * /proc/nsmon/namespaces, is one line of NSMON_NS_KEYS(), in the order the
 * module prints them.  The module and the client both expand this list
 * (an "X-macro", like the EM()/EMe() lists in include/trace/events/ headers):
 * the module's per-CPU counter fields and its output, the client's parse
 * table, columns, JSON types and Prometheus metrics all come from here.
 *
 * Each line is one of two macros, which the code that expands the list
 * defines to what it needs:
 *
 *   NSMON_VAL(key, kind, unit, sum, help)
 *	a value the module computes when it prints (identity fields, live
 *	counts, sums of other counters, CPU time);
 *   NSMON_CTR(key, kind, unit, sum, help)
 *	a plain event counter: the module gets a u64 field `key` in its
 *	per-CPU struct nsmon_stats, a probe adds to it, and readers print
 *	its sum over all CPUs.  Adding a counter is one NSMON_CTR() line
 *	here plus the probe that counts it (README: "Add a counter").
 *
 *   key	the /proc key and column name (a C identifier)
 *   kind	NSMON_KIND_ID: identifies the namespace (not a metric);
 *		NSMON_KIND_GAUGE: goes up and down;
 *		NSMON_KIND_COUNTER: only goes up
 *   unit	"" or "ns" (the client shows ns as seconds)
 *   sum	1 when adding it over namespaces makes sense (--total)
 *   help	one line, for Prometheus' HELP and the documentation
 *
 * The /proc contract is binding: new keys go at the end, never before
 * cpu_ns or in between.
 */
#ifndef NSMON_KEYS_H
#define NSMON_KEYS_H

#define NSMON_KIND_ID		0
#define NSMON_KIND_GAUGE	1
#define NSMON_KIND_COUNTER	2

#define NSMON_NS_KEYS(NSMON_VAL, NSMON_CTR)				\
	NSMON_VAL(inum, NSMON_KIND_ID, "", 0,				\
		  "Inode number of the PID namespace.")			\
	NSMON_NS_KEYS_AFTER_INUM(NSMON_VAL, NSMON_CTR)

/* The rest of the list: apart only so that the header below is a literal. */
#define NSMON_NS_KEYS_AFTER_INUM(NSMON_VAL, NSMON_CTR)			\
	NSMON_VAL(level, NSMON_KIND_ID, "", 0,				\
		  "Nesting depth of the PID namespace; 0 is the initial one.") \
	NSMON_VAL(parent, NSMON_KIND_ID, "", 0,				\
		  "Inode number of the parent PID namespace, 0 for none.") \
	NSMON_VAL(init_pid, NSMON_KIND_ID, "", 0,			\
		  "PID of the namespace's init in the reader's view, 0 once it exited.") \
	NSMON_VAL(tasks, NSMON_KIND_GAUGE, "", 1,			\
		  "Live tasks (threads) whose active PID namespace this is.") \
	NSMON_VAL(processes, NSMON_KIND_GAUGE, "", 1,			\
		  "Live processes (thread-group leaders) in the PID namespace.") \
	NSMON_CTR(forks, NSMON_KIND_COUNTER, "", 1,			\
		  "Processes created into the PID namespace.")		\
	NSMON_CTR(threads, NSMON_KIND_COUNTER, "", 1,			\
		  "Threads created into the PID namespace.")		\
	NSMON_CTR(execs, NSMON_KIND_COUNTER, "", 1,			\
		  "Successful execve calls by tasks of the PID namespace.") \
	NSMON_CTR(exits, NSMON_KIND_COUNTER, "", 1,			\
		  "Task exits in the PID namespace, every thread counted.") \
	NSMON_CTR(switches, NSMON_KIND_COUNTER, "", 1,			\
		  "Context switches away from tasks of the PID namespace.") \
	NSMON_CTR(voluntary_switches, NSMON_KIND_COUNTER, "", 1,	\
		  "Voluntary context switches of tasks of the PID namespace.") \
	NSMON_VAL(involuntary_switches, NSMON_KIND_COUNTER, "", 1,	\
		  "Involuntary context switches of tasks of the PID namespace.") \
	NSMON_VAL(cpu_ns, NSMON_KIND_COUNTER, "ns", 1,			\
		  "CPU time of tasks of the PID namespace, live and exited.") \
	NSMON_CTR(migrations, NSMON_KIND_COUNTER, "", 1,		\
		  "CPU migrations of tasks of the PID namespace.")

/*
 * Helpers to expand the list, so that the code using it needs no macros
 * of its own: every key numbered (NSMON_KEY_<key>, in output order) and
 * named, and the NSMON_CTR() keys alone numbered (NSMON_CTR_<key>), with
 * the output index of each and a __u64 field per counter.
 */
#define NSMON_KEY_ENUM(key, kind, unit, sum, help)	NSMON_KEY_##key,
#define NSMON_KEY_NAME(key, kind, unit, sum, help)	#key,
#define NSMON_CTR_ENUM(key, kind, unit, sum, help)	NSMON_CTR_##key,
#define NSMON_CTR_KEY(key, kind, unit, sum, help)	NSMON_KEY_##key,
#define NSMON_CTR_FIELD(key, kind, unit, sum, help)	__u64 key;
#define NSMON_SKIP(key, kind, unit, sum, help)
#define NSMON_KEY_SPACED(key, kind, unit, sum, help)	" " #key

/*
 * The header line of /proc/nsmon/namespaces (without its newline), a
 * string literal: "inum level parent ... cpu_ns migrations".
 */
#define NSMON_NS_COLUMNS						\
	"inum" NSMON_NS_KEYS_AFTER_INUM(NSMON_KEY_SPACED, NSMON_KEY_SPACED)

enum nsmon_key {
	NSMON_NS_KEYS(NSMON_KEY_ENUM, NSMON_KEY_ENUM)
	NSMON_NKEYS
};

enum nsmon_ctr {
	NSMON_NS_KEYS(NSMON_SKIP, NSMON_CTR_ENUM)
	NSMON_NCTRS
};

#endif /* NSMON_KEYS_H */
