/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The internals of the nsmon module, shared by its files
 * (and by the KUnit suite in tests/kunit/).
 *
 * The big picture
 * ---------------
 * Every task has a struct pid (task->thread_pid).  A struct pid is one
 * identity seen from several PID namespaces at once: pid->level says how
 * deep the task's own namespace is, and pid->numbers[0..level] holds one
 * struct upid { nr, ns } per level, from the initial namespace (level 0)
 * down to the task's own one.  So the task's "active" namespace, the one
 * whose PIDs it sees itself with, is pid->numbers[pid->level].ns: that is
 * what task_active_pid_ns() returns, and what nsmon accounts to.  (The
 * nsproxy's pid_ns_for_children is only where the task's *future children*
 * will go after an unshare(CLONE_NEWPID) or setns(); it is not the task's
 * own namespace, so nsmon never looks at it.)
 *
 * nsmon keeps one struct nsmon_ns per PID namespace it has seen, in a
 * struct nsmon_table: an rhashtable keyed by the pid_namespace pointer (for
 * the probes), an xarray keyed by inode number (the index, for the /proc
 * tables and lookups: O(log N) to find or resume from any inum), and a
 * plain list of every entry (for the sync work's walk).  The probes only
 * add to the hash table, the list's tail and a lock-free list of entries
 * still to be indexed: O(1), no allocation under the lock; the index is
 * filled in process context (nsmon_table_index()).
 * The counters live in per-CPU memory so that the probes, which run on
 * every context switch, never share a cache line with another CPU.
 */
#ifndef NSMON_MODULE_H
#define NSMON_MODULE_H

#include <linux/bits.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/time64.h>
#include <linux/types.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/xarray.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/sched.h>

#include <nsmon/nsmon.h>
#include <nsmon/keys.h>
#include "compat.h"

/*
 * What the probes count, per namespace and per CPU.  Each field is only
 * ever written by its own CPU with preemption disabled (inside a probe,
 * or by the census while every CPU is stopped), so no atomics are needed;
 * readers sum the CPUs.  The plain event counters are generated from the
 * list in include/nsmon/keys.h (one u64 per NSMON_CTR() line); the rest
 * are the values that need more than a sum.
 */
struct nsmon_stats {
	union {
		struct {
			NSMON_NS_KEYS(NSMON_SKIP, NSMON_CTR_FIELD)
		};
		u64 ctr[NSMON_NCTRS];	/* the same, by NSMON_CTR_<key> */
	};
	u64 cpu_ns;	/* runtime at switch-outs minus at switch-ins, ns */
	u64 wait_gone;	/* run_delay of its tasks at their final switch */
	u64 tasks;	/* +1 per new task, -1 per sched_process_exit */
	u64 procs;	/* +1 per new thread group, -1 when one dies */
} ____cacheline_aligned_in_smp;	/* one CPU's copy never shares a line */

struct nsmon_ns {
	struct rhash_head node;		/* in nsmon_table.ht, key: ns */
	struct list_head list;		/* in nsmon_table.list */
	struct llist_node pending;	/* in nsmon_table.pending */
	struct list_head gc;		/* private list of the sync work */
	struct pid_namespace *ns;	/* counted reference */
	unsigned int inum;		/* ns->ns.inum, cached */
	struct nsmon_stats *stats;	/* [nr_cpu_ids]: nsmon_ns_stats() */
	struct proc_dir_entry *pde;	/* /proc/nsmon/<inum>, or NULL */
	atomic64_t wait_shown;		/* largest wait_ns printed: table.c */
};

struct nsmon_table {
	struct rhashtable ht;
	struct list_head list;		/* RCU list, in creation order */
	spinlock_t lock;		/* serialises inserts and removals */
	struct xarray index;		/* inum -> entry, RCU readers */
	struct llist_head pending;	/* created, not yet in index */
	struct mutex index_lock;	/* serialises index updates */
};

/*
 * One namespace's counters summed over all CPUs (nsmon_ns_read()), and the
 * values computed from them.  Not a snapshot: each CPU's counters are read
 * at a slightly different time, so a sum of counters that move together
 * (tasks going up on one CPU and down on another) can be off while tasks
 * fork and exit; it is exact whenever the namespace is quiet.
 */
struct nsmon_totals {
	struct nsmon_stats sum;
	u64 tasks;
	u64 processes;
};

/*
 * Per-CPU state of the probes.  cur is the task this CPU switched to last,
 * cur_s this CPU's counters of its namespace (sink for the idle task or a
 * namespace we do not know; never NULL once cur is set), cur_nvcsw cur's
 * voluntary switch count and cur_rd its run-queue wait so far (schedstat
 * run_delay) when it was switched in; cur_arrived is 1 if the kernel
 * counted that switch-in as the end of a wait (see probes.c), else 0.  cur_s->cpu_ns
 * lacks cur's runtime until cur is switched out (see probes.c), so a
 * reader adds it; seq lets a reader on another CPU see cur, cur_s and the
 * counters consistently.  cache[] is the probes' namespace cache.
 *
 * cur_s is used without looking anything up again, so an entry must not
 * be freed while some CPU's cur_s points into it: nsmon_ns_running().
 */
#define NSMON_CACHE_BITS	3
#define NSMON_CACHE_SETS	BIT(NSMON_CACHE_BITS)

/*
 * One set of the probes' per-CPU namespace cache (see probes.c): two
 * namespaces among those that hash to it (NULL: an empty slot), this CPU's
 * counters of each, and which of the two the next miss replaces.
 */
struct nsmon_cache_set {
	struct pid_namespace *ns[2];
	struct nsmon_stats *s[2];
	unsigned int next;
};

struct nsmon_cpu {
	seqcount_t seq;
	unsigned int cur_arrived;
	struct task_struct *cur;
	struct nsmon_stats *cur_s;
	unsigned long cur_nvcsw;
	u64 cur_rd;
	struct nsmon_cache_set cache[NSMON_CACHE_SETS];
	struct nsmon_stats sink;	/* idle and unknown tasks: never read */
};

/* The module's one table, and the per-CPU probe state (probes.c). */
extern struct nsmon_table nsmon_tbl;
DECLARE_PER_CPU(struct nsmon_cpu, nsmon_cpu);

/**
 * nsmon_ns_stats() - one CPU's counters of an entry
 * @e: the entry
 * @cpu: the CPU
 *
 * An array indexed by CPU rather than per-CPU memory: a probe makes an
 * entry in atomic context, and the per-CPU allocator can only serve atomic
 * requests from its small populated reserve, which a user creating
 * thousands of namespaces at once drains (16 of 2000 were lost in a test);
 * slab serves them.  Each CPU's struct nsmon_stats has a cache line of its
 * own.
 *
 * Return: CPU @cpu's struct nsmon_stats of @e.
 */
static inline struct nsmon_stats *nsmon_ns_stats(const struct nsmon_ns *e,
						 int cpu)
{
	return &e->stats[cpu];
}

/* The tables of nsmon_wait_bucket(), filled by nsmon_wait_table_init(). */
extern u8 nsmon_wait_base[64];
extern u64 nsmon_wait_next[64];

/**
 * nsmon_wait_bucket() - the histogram bucket of one run-queue wait
 * @ns: the wait, in nanoseconds
 *
 * Buckets of log2 microseconds (include/nsmon/keys.h): 0 for under 1 us,
 * i for 2^(i-1) us up to 2^i us, the last for 2^20 us and longer: that is
 * min(fls64(@ns / 1000), NSMON_WAIT_BUCKETS - 1), without the division.
 * The waits of one power of two of nanoseconds, [2^k, 2^(k+1)), fall in
 * one bucket or in two neighbours, the higher from one bound on: so the
 * bucket is nsmon_wait_base[k], plus one from nsmon_wait_next[k] on.
 * @ns | 1 is never 0 and lies on the same side of every bound (all even).
 * Called by the switch probe at every switch: five instructions where the
 * division, fls64() and the cap took eleven.
 *
 * Return: the bucket, 0 to NSMON_WAIT_BUCKETS - 1.
 */
static __always_inline unsigned long nsmon_wait_bucket(u64 ns)
{
	u64 v = ns | 1;
	unsigned long k = __fls(v);

	return (unsigned long)nsmon_wait_base[k] + (v >= nsmon_wait_next[k]);
}

/* table.c */
void nsmon_wait_table_init(void);
int nsmon_stats_cache_init(void);
void nsmon_stats_cache_exit(void);
int nsmon_table_init(struct nsmon_table *tbl);
void nsmon_table_destroy(struct nsmon_table *tbl);
struct nsmon_ns *nsmon_table_lookup(struct nsmon_table *tbl,
				    struct pid_namespace *ns);
struct nsmon_ns *nsmon_table_find_inum(struct nsmon_table *tbl,
				       unsigned int inum);
struct nsmon_ns *nsmon_table_find_from(struct nsmon_table *tbl,
				       unsigned long inum);
int nsmon_table_index(struct nsmon_table *tbl);
struct nsmon_ns *nsmon_table_get_or_create(struct nsmon_table *tbl,
					   struct pid_namespace *ns,
					   bool *created);
struct nsmon_ns *nsmon_table_get_for_fork(struct nsmon_table *tbl,
					  struct pid_namespace *ns,
					  bool *created);
void nsmon_table_unlink(struct nsmon_table *tbl, struct nsmon_ns *e);
void nsmon_ns_free(struct nsmon_ns *e);
void nsmon_ns_read(const struct nsmon_ns *e, struct nsmon_totals *t);
u64 nsmon_ns_wait(struct nsmon_ns *e, const struct nsmon_totals *t);
bool nsmon_ns_running(const struct nsmon_ns *e);

/*
 * The first steps of the task -> struct pid -> upid walk, inline because
 * the probes take them on every context switch.
 */

/**
 * nsmon_task_pid() - the struct pid of a task
 * @t: the task
 *
 * task->thread_pid is cleared by release_task() (via __unhash_process()
 * and detach_pid()).  A thread that is not its group's leader, or a leader
 * nobody waits for, is released by exit_notify() while it still runs: its
 * last trip through __schedule() sees thread_pid == NULL.  Such a thread is
 * still in the same namespace as its thread group (CLONE_THREAD across PID
 * namespaces is refused by copy_process()), so fall back to the group's
 * TGID pid, which lives until the whole group is released.  The struct
 * pid itself is freed only after an RCU grace period (free_pid() uses
 * call_rcu()), so it stays valid for the rest of the caller's RCU section.
 *
 * Return: the struct pid, or NULL.
 */
static inline struct pid *nsmon_task_pid(struct task_struct *t)
{
	struct pid *pid = READ_ONCE(t->thread_pid);

	if (unlikely(!pid))
		pid = READ_ONCE(t->signal->pids[PIDTYPE_TGID]);
	return pid;
}

/**
 * nsmon_pid_active_ns() - the namespace a struct pid belongs to
 * @pid: the struct pid, not NULL
 *
 * task_active_pid_ns(), without the NULL check the caller already did.
 *
 * Return: the namespace at @pid's own level.
 */
static inline struct pid_namespace *
nsmon_pid_active_ns(const struct pid *pid)
{
	return pid->numbers[pid->level].ns;
}

/* The rest of the walk (table.c). */
bool nsmon_ns_visible(const struct pid_namespace *ns,
		      const struct pid_namespace *view);
pid_t nsmon_init_pid(struct pid_namespace *ns, struct pid_namespace *view);

/*
 * What the probes do (probes.c, census.c): nothing while the module loads
 * (NSMON_OFF), note tasks for the census while it is being taken
 * (NSMON_CENSUS), count (NSMON_ACTIVE).
 */
enum nsmon_state { NSMON_OFF, NSMON_CENSUS, NSMON_ACTIVE };
extern int nsmon_state;

/* What the census notes of a task: its fork or its exit event passed. */
#define NSMON_SEEN_NEW		1UL
#define NSMON_SEEN_EXIT		2UL

/* census.c */
void nsmon_census_note(struct task_struct *t, unsigned long seen);
bool nsmon_census_alive(struct task_struct *t);
void nsmon_census_forget(void);
bool nsmon_group_claim(struct task_struct *p);
bool nsmon_group_claimed(struct signal_struct *sig);
bool nsmon_groups_sync(bool all);
int nsmon_census(void);

/* probes.c */
struct nsmon_cpu *nsmon_cpu_state(int cpu);
struct nsmon_stats *nsmon_current_stats(struct nsmon_cpu *c,
					struct task_struct *t);
void nsmon_probes_forget(struct pid_namespace *ns);
int nsmon_probes_register(void);
void nsmon_probes_unregister(void);

/* main.c */
void nsmon_sync_kick(unsigned long delay);
extern atomic_long_t nsmon_lost;

/*
 * Who opened a /proc/nsmon file, through which procfs (access.c): what
 * hidepid= lets it see.  Filled at open, used at every read or write.
 */
struct nsmon_viewer {
	struct pid_namespace *view;	/* the procfs's PID namespace */
	const struct cred *cred;	/* the opener's (file->f_cred) */
	struct pid *tgid;		/* the opener's thread group */
	int hide_pid;			/* enum proc_hidepid of the mount */
	bool in_gid;			/* cred is in the mount's gid= */
};

/* procfs.c */
int nsmon_proc_init(void);
void nsmon_proc_exit(void);
int nsmon_proc_add_ns(struct nsmon_ns *e);
void nsmon_show_ns_keys(struct seq_file *m, struct nsmon_ns *e,
			struct pid_namespace *view);
void nsmon_show_namespaces_row(struct seq_file *m,
			       struct nsmon_ns *e,
			       struct pid_namespace *view);
void nsmon_show_pids_row(struct seq_file *m, struct pid *pid,
			 struct task_struct *t, struct pid_namespace *view);
int nsmon_lookup_answer(char *buf, size_t size, struct nsmon_table *tbl,
			unsigned int inum, pid_t nr,
			struct pid_namespace *view);
int nsmon_lookup_answer_for(char *buf, size_t size, struct nsmon_table *tbl,
			    unsigned int inum, pid_t nr,
			    const struct nsmon_viewer *v);

/* access.c */
void nsmon_viewer_init(struct nsmon_viewer *v, struct inode *inode,
		       struct file *file);
void nsmon_viewer_all(struct nsmon_viewer *v, struct pid_namespace *view);
void nsmon_viewer_release(struct nsmon_viewer *v);
bool nsmon_may_see(const struct nsmon_viewer *v, struct task_struct *t);
bool nsmon_viewer_sees_all(const struct nsmon_viewer *v);
bool nsmon_may_see_atomic(const struct nsmon_viewer *v,
			  struct task_struct *t);

/* identity.c: /proc/nsmon/containers */
extern const struct proc_ops nsmon_containers_ops;

/* parse.c */
int nsmon_parse_lookup(const char *buf, size_t len, unsigned int *inum,
		       pid_t *nr);
size_t nsmon_escape_comm(char *buf, size_t size, struct task_struct *t);
size_t nsmon_escape_name(char *buf, size_t size, const char *comm);

#endif /* NSMON_MODULE_H */
