/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference nsmon cares about, in one place.
 *
 * The probes must have exactly the prototype of the tracepoint they attach
 * to: a tracepoint calls its probes through a plain function pointer, so a
 * mismatch is not a compile error by itself, it is a crash.  nsmon therefore
 * asks the compiler to check each probe against the kernel's own declaration
 * (see check_trace_callback_type_*() in nsmon_register_probes()), and this
 * header supplies the prototype that the kernel being built against expects.
 */
#ifndef NSMON_COMPAT_H
#define NSMON_COMPAT_H

#include <linux/version.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/export.h>

/* proc_ops (5.6) and task_struct::__state (5.14) are the oldest we rely on. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
#error "nsmon needs Linux 5.14 or later"
#endif

/*
 * The counters are u64s that a CPU adds to while other CPUs read them
 * without a lock: only a 64-bit kernel reads and writes them whole.
 */
#if BITS_PER_LONG != 64
#error "nsmon needs a 64-bit kernel"
#endif

/*
 * The NSMON_HAVE_* macros come from module/features.mk, which greps the
 * headers of the kernel being built against: a feature, not a version.
 *
 * sched_switch gained its prev_state argument in 5.18: the task's state as
 * __schedule() read it.  Older kernels only have the live field.  nsmon
 * decides voluntary or involuntary from the task's own nvcsw counter (see
 * probes.c), and uses this only for the first switch a CPU makes after
 * nsmon is loaded.
 */
#ifdef NSMON_HAVE_SWITCH_PREV_STATE
#define NSMON_SWITCH_ARGS	bool preempt, struct task_struct *prev,	\
				struct task_struct *next,		\
				unsigned int prev_state
#define NSMON_PREV_STATE(prev)	(prev_state)
#else
#define NSMON_SWITCH_ARGS	bool preempt, struct task_struct *prev,	\
				struct task_struct *next
#define NSMON_PREV_STATE(prev)	((unsigned int)READ_ONCE((prev)->__state))
#endif

/*
 * sched_process_exit gained group_dead in 6.16.  nsmon does not need it:
 * it tells a group's death from the group's own live count (probes.c).
 */
#ifdef NSMON_HAVE_EXIT_GROUP_DEAD
#define NSMON_EXIT_ARGS		struct task_struct *p, bool group_dead
#else
#define NSMON_EXIT_ARGS		struct task_struct *p
#endif

/* task_newtask's clone_flags became a u64 in 6.17. */
#ifdef NSMON_HAVE_NEWTASK_U64
#define NSMON_NEWTASK_ARGS	struct task_struct *task, u64 clone_flags
#else
#define NSMON_NEWTASK_ARGS	struct task_struct *task,		\
				unsigned long clone_flags
#endif

/*
 * Tasks that copy_process() creates without going through kernel_clone(),
 * so without sched_process_fork: io_uring workers (create_io_thread()),
 * and since 6.4 the vhost workers (PF_USER_WORKER).
 */
#ifdef PF_USER_WORKER
#define NSMON_PF_NO_FORK_EVENT	(PF_IO_WORKER | PF_USER_WORKER)
#else
#define NSMON_PF_NO_FORK_EVENT	PF_IO_WORKER
#endif

/*
 * Run-queue wait comes from the scheduler's per-task sched_info, which
 * exists with CONFIG_SCHED_INFO (Debian: yes, through SCHEDSTATS and
 * TASK_DELAY_ACCT).  Without it the module leaves the wait keys out of its
 * files (nsmon_key_shown() in procfs.c).  NSMON_NO_WAIT, from `make
 * NSMON_NO_WAIT=1`, does the same on any kernel: make bench's baseline.
 */
#if defined(CONFIG_SCHED_INFO) && !defined(NSMON_NO_WAIT)
#define NSMON_HAVE_WAIT		1
#define nsmon_run_delay(t)	((t)->sched_info.run_delay)
/* Will sched_info_arrive() count @t's arrival (pcount, run_delay)? */
#define nsmon_will_arrive(t)	((t)->sched_info.last_queued != 0)
#else
#define nsmon_run_delay(t)	0ULL
#define nsmon_will_arrive(t)	0
#endif

/*
 * The threads of @p's group, under rcu_read_lock().  The kernel's
 * for_each_thread() names tasklist_lock in its lockdep condition since
 * 6.x (with CONFIG_PROVE_RCU_LIST), and tasklist_lock is not exported to
 * modules: a debug kernel would refuse to load nsmon.  This is the same
 * RCU walk without that condition.
 */
#define nsmon_for_each_thread(p, t)					\
	list_for_each_entry_rcu(t, &(p)->signal->thread_head, thread_node)

/*
 * The workqueue of the sync work: any CPU will do.  system_wq became
 * system_percpu_wq, with system_dfl_wq for work that needs no particular
 * CPU, in 6.17; 7.x warns about work queued on the old name.
 */
#ifdef NSMON_HAVE_SYSTEM_DFL_WQ
#define nsmon_wq		system_dfl_wq
#define nsmon_unbound_wq	system_dfl_wq
#else
#define nsmon_wq		system_wq
#define nsmon_unbound_wq	system_unbound_wq
#endif

/* del_timer_sync() became timer_delete_sync() in 6.2 (and 6.1.y). */
#ifndef NSMON_HAVE_TIMER_DELETE_SYNC
#define timer_delete_sync(t)	del_timer_sync(t)
#endif

/* PDE_DATA() became pde_data() in 5.17. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define pde_data(inode)		PDE_DATA(inode)
#endif

/*
 * The KUnit suite (tests/kunit/) is a separate module that tests nsmon's
 * internals, so nsmon exports them with EXPORT_SYMBOL_IF_KUNIT(): only
 * when the kernel has KUnit, and only into the EXPORTED_FOR_KUNIT_TESTING
 * symbol namespace, which the suite has to import explicitly.
 */
#ifdef NSMON_HAVE_KUNIT_VISIBILITY
#include <kunit/visibility.h>
#elif IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(sym) \
	EXPORT_SYMBOL_NS(sym, EXPORTED_FOR_KUNIT_TESTING)
#else
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#endif

/*
 * The KUnit suite imports that namespace: MODULE_IMPORT_NS() takes a
 * string literal since 6.13, a bare identifier before.
 */
#ifdef NSMON_HAVE_IMPORT_NS_STRING
#define NSMON_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define NSMON_IMPORT_KUNIT_NS()	MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif

/*
 * A namespace's reference count (the KUnit suite builds fake namespaces):
 * struct ns_common's count became __ns_ref in 6.18.
 */
#ifdef NSMON_HAVE_NS_REF
#define NSMON_NS_REFCOUNT(pidns)	(&(pidns)->ns.__ns_ref)
#else
#define NSMON_NS_REFCOUNT(pidns)	(&(pidns)->ns.count)
#endif

/*
 * __uninitialized (a local that CONFIG_INIT_STACK_ALL_ZERO leaves alone)
 * is in compiler_attributes.h of every kernel nsmon supports; should a
 * compiler lack the attribute, the local is zeroed as before.
 */
#ifndef __uninitialized
#define __uninitialized
#endif

#endif /* NSMON_COMPAT_H */
