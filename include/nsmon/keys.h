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
 *		NSMON_KIND_COUNTER: only goes up;
 *		NSMON_KIND_BUCKET: only goes up, one bucket of a histogram
 *		(the wait_* buckets below)
 *   unit	"", "ns" (the client shows ns as seconds), or "us" for the
 *		histogram buckets, whose bounds are in microseconds
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
#define NSMON_KIND_BUCKET	3

#define NSMON_NS_KEYS(NSMON_VAL, NSMON_CTR)				\
	NSMON_VAL(inum, NSMON_KIND_ID, "", 0,				\
		  "Inode number of the PID namespace.")			\
	NSMON_NS_KEYS_AFTER_INUM(NSMON_VAL, NSMON_CTR)

/*
 * The rest of the list: apart only so that the header below is a literal.
 * A new key goes at the end of it, after the wait keys.
 */
#define NSMON_NS_KEYS_AFTER_INUM(NSMON_VAL, NSMON_CTR)			\
	NSMON_NS_BASE_KEYS(NSMON_VAL, NSMON_CTR)			\
	NSMON_NS_WAIT_KEYS(NSMON_VAL, NSMON_CTR)

/* The keys up to migrations. */
#define NSMON_NS_BASE_KEYS(NSMON_VAL, NSMON_CTR)			\
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
 * Run-queue latency (CONFIG_SCHED_INFO): what a module built for a kernel
 * without it leaves out, at the end of the list.  wait_ns is the total
 * time the namespace's tasks were runnable but not running (the sum of
 * their schedstat run_delay); then a log2 histogram of the single waits,
 * one counter per bucket, in order: bucket 0 counts waits under 1 us,
 * bucket i (1..20) waits of 2^(i-1) us up to 2^i us, bucket 21 waits of
 * 2^20 us (1.05 s) or longer.  The buckets' key names say their bounds.
 */
#define NSMON_NS_WAIT_KEYS(NSMON_VAL, NSMON_CTR)			\
	NSMON_VAL(wait_ns, NSMON_KIND_COUNTER, "ns", 1,			\
		  "Run-queue wait of tasks of the PID namespace: time runnable, not running.") \
	NSMON_CTR(wait_lt_1us, NSMON_KIND_BUCKET, "us", 1,		\
		  "Waits for a CPU shorter than 1 us.")		\
	NSMON_CTR(wait_lt_2us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 1 us up to 2 us.")	\
	NSMON_CTR(wait_lt_4us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 2 us up to 4 us.")	\
	NSMON_CTR(wait_lt_8us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 4 us up to 8 us.")	\
	NSMON_CTR(wait_lt_16us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 8 us up to 16 us.")	\
	NSMON_CTR(wait_lt_32us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 16 us up to 32 us.")	\
	NSMON_CTR(wait_lt_64us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 32 us up to 64 us.")	\
	NSMON_CTR(wait_lt_128us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 64 us up to 128 us.")	\
	NSMON_CTR(wait_lt_256us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 128 us up to 256 us.")	\
	NSMON_CTR(wait_lt_512us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 256 us up to 512 us.")	\
	NSMON_CTR(wait_lt_1024us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 512 us up to 1024 us.")	\
	NSMON_CTR(wait_lt_2048us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 1024 us up to 2048 us.")	\
	NSMON_CTR(wait_lt_4096us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 2048 us up to 4096 us.")	\
	NSMON_CTR(wait_lt_8192us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 4096 us up to 8192 us.")	\
	NSMON_CTR(wait_lt_16384us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 8192 us up to 16384 us.")	\
	NSMON_CTR(wait_lt_32768us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 16384 us up to 32768 us.")	\
	NSMON_CTR(wait_lt_65536us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 32768 us up to 65536 us.")	\
	NSMON_CTR(wait_lt_131072us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 65536 us up to 131072 us.")	\
	NSMON_CTR(wait_lt_262144us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 131072 us up to 262144 us.")	\
	NSMON_CTR(wait_lt_524288us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 262144 us up to 524288 us.")	\
	NSMON_CTR(wait_lt_1048576us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 524288 us up to 1048576 us.")	\
	NSMON_CTR(wait_ge_1048576us, NSMON_KIND_BUCKET, "us", 1,	\
		  "Waits for a CPU of 1048576 us (about 1 s) or longer.")

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
 * string literal: "inum level parent ... cpu_ns migrations wait_ns ...".
 * (A module built for a kernel without CONFIG_SCHED_INFO leaves the wait
 * keys out of it.)
 */
#define NSMON_NS_COLUMNS						\
	"inum" NSMON_NS_KEYS_AFTER_INUM(NSMON_KEY_SPACED, NSMON_KEY_SPACED)

/*
 * The histogram has NSMON_WAIT_BUCKETS buckets, NSMON_KEY_wait_lt_1us
 * first; the keys from wait_ns to wait_ge_1048576us exist only with
 * CONFIG_SCHED_INFO.
 */
#define NSMON_WAIT_BUCKETS	22

enum nsmon_key {
	NSMON_NS_KEYS(NSMON_KEY_ENUM, NSMON_KEY_ENUM)
	NSMON_NKEYS
};

enum nsmon_ctr {
	NSMON_NS_KEYS(NSMON_SKIP, NSMON_CTR_ENUM)
	NSMON_NCTRS
};

#endif /* NSMON_KEYS_H */
