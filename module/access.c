// SPDX-License-Identifier: GPL-2.0
/*
 * access.c - who may see which task: procfs's hidepid= rule, for the
 * per-task files (/proc/nsmon/pids, /proc/nsmon/lookup) and the one
 * per-task value of the per-namespace files (init_pid).
 *
 * A procfs instance mounted with hidepid=noaccess (1), invisible (2) or
 * ptraceable (4) shows a task's /proc/<pid> contents only to a caller that
 * passes has_pid_permissions() (fs/proc/base.c, 6.1 and 7.2 alike):
 *
 *	hidepid=ptraceable:           ptrace_may_access(task, READ_FSCREDS)
 *	hidepid=noaccess, invisible:  in_group_p(gid=) ||
 *	                              ptrace_may_access(task, READ_FSCREDS)
 *
 * and __ptrace_may_access() (kernel/ptrace.c) grants READ_FSCREDS when the
 * task is in the caller's thread group, or when the caller's fsuid equals
 * the task's uid, euid and suid and its fsgid the task's gid, egid and
 * sgid (or the caller has CAP_SYS_PTRACE in the task's user namespace),
 * and then the task is dumpable (or the caller has CAP_SYS_PTRACE in the
 * user namespace of the task's mm), and then the LSMs agree.
 *
 * A row of pids or a lookup answer is the content of /proc/<pid>/status
 * (NSpid, Tgid, Name), so nsmon applies the noaccess rule for all three
 * modes: with hidepid=noaccess, ls still lists the PIDs but nsmon hides
 * the whole row, as procfs hides the status file.
 *
 * ptrace_may_access() is not exported, so nsmon_may_see() is a copy of
 * the rule above.  Where it differs, and why:
 *
 * - Whose credentials: the opener's (file->f_cred), not the reader's
 *   current ones that procfs looks at on each readdir()/open().  That is
 *   the rule for everything else a file does (permission is checked at
 *   open), and it is the safe one for a file that can be passed on: a
 *   privileged program that reads or writes an fd it was handed (stdin,
 *   stdout of a setuid binary) must not translate or list tasks for the
 *   unprivileged process that opened it.  Conversely an fd that a
 *   privileged process opened and then handed on shows what the opener
 *   may see, as an fd of /proc/<pid>/status would.  The thread group of
 *   "the task itself" is likewise the opener's (same_thread_group() with
 *   current in procfs).  Capabilities are asked of the opener's cred
 *   through override_creds(), so the LSMs' capable hooks still run.
 *
 * - No security_ptrace_access_check(): the LSM hook is not exported.  A
 *   task that SELinux, AppArmor or Smack hide from a reader's procfs
 *   although the uid rule allows it is shown by nsmon.  (Yama does not
 *   matter: it only restricts PTRACE_MODE_ATTACH, never READ.)
 *
 * - No audit record: capabilities are tested with ns_capable_noaudit().
 *   procfs audits (PTRACE_MODE_READ_FSCREDS has no NOAUDIT), but a table
 *   read would log one denial per hidden task.
 *
 * - A task without an mm (kernel thread, or exiting past exit_mm()): 6.1
 *   kernels with task->user_dumpable and 7.x (task->exec_state) judge it
 *   by its saved dumpability, as nsmon does; on older kernels
 *   (NSMON_HAVE_USER_DUMPABLE unset) procfs skips the dumpable test for
 *   it, and so does nsmon.
 *
 * subset=pid: such a procfs has no /proc/nsmon at all (proc_lookup() and
 * proc_readdir() refuse every non-PID entry), so nothing can be opened
 * through it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/proc_fs.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/user_namespace.h>
#ifdef NSMON_HAVE_EXEC_STATE
#include <linux/sched/exec_state.h>
#endif

#include "nsmon.h"

/**
 * nsmon_viewer_init() - fill a viewer for a file being opened
 * @v: the viewer to fill
 * @inode: the file's inode, whose procfs gives the view and hidepid=
 * @file: the file, whose f_cred is the opener's
 *
 * Takes a reference on the opener's thread group:
 * nsmon_viewer_release() drops it.
 */
void nsmon_viewer_init(struct nsmon_viewer *v, struct inode *inode,
		       struct file *file)
{
	struct proc_fs_info *fs_info = proc_sb_info(inode->i_sb);
	const struct cred *old = NULL;

	v->view = fs_info->pid_ns;
	v->hide_pid = fs_info->hide_pid;
	v->cred = file->f_cred;		/* the file holds it */
	v->tgid = get_pid(task_tgid(current));
	if (v->cred != current_cred())
		old = override_creds(v->cred);
	v->in_gid = in_group_p(fs_info->pid_gid);
	if (old)
		revert_creds(old);
}

/**
 * nsmon_viewer_all() - a viewer that sees every task of a view
 * @v: the viewer to fill
 * @view: the view
 *
 * No hidepid=, and nothing to release.
 */
void nsmon_viewer_all(struct nsmon_viewer *v, struct pid_namespace *view)
{
	memset(v, 0, sizeof(*v));
	v->view = view;
	v->hide_pid = HIDEPID_OFF;
}

/**
 * nsmon_viewer_release() - drop what nsmon_viewer_init() took
 * @v: the viewer
 */
void nsmon_viewer_release(struct nsmon_viewer *v)
{
	put_pid(v->tgid);
	v->tgid = NULL;
}

/* ptrace_has_cap(), for the opener's credentials. */
static bool nsmon_viewer_cap(const struct nsmon_viewer *v,
			     struct user_namespace *ns)
{
	const struct cred *old;
	bool ok;

	if (v->cred == current_cred())
		return ns_capable_noaudit(ns, CAP_SYS_PTRACE);
	old = override_creds(v->cred);
	ok = ns_capable_noaudit(ns, CAP_SYS_PTRACE);
	revert_creds(old);
	return ok;
}

/* task_still_dumpable(): is @t dumpable, or may the viewer override it? */
static bool nsmon_viewer_dumpable(const struct nsmon_viewer *v,
				  struct task_struct *t)
{
#ifdef NSMON_HAVE_EXEC_STATE
	const struct task_exec_state *es = rcu_dereference(t->exec_state);

	if (!es)
		return false;
	if (READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER)
		return true;
	return nsmon_viewer_cap(v, es->user_ns);
#else
	struct mm_struct *mm;
	bool ok = true;

	/* task->mm and what it points to are stable under task_lock(). */
	task_lock(t);
	mm = t->mm;
	if (mm) {
		if (get_dumpable(mm) != SUID_DUMP_USER)
			ok = nsmon_viewer_cap(v, mm->user_ns);
	} else {
#ifdef NSMON_HAVE_USER_DUMPABLE
		if (!t->user_dumpable)
			ok = nsmon_viewer_cap(v, &init_user_ns);
#endif
	}
	task_unlock(t);
	return ok;
#endif
}

/* __ptrace_may_access(@t, PTRACE_MODE_READ_FSCREDS), minus the LSM hook. */
static bool nsmon_viewer_ptrace(const struct nsmon_viewer *v,
				struct task_struct *t)
{
	const struct cred *tcred;
	bool ok;

	if (v->tgid && task_tgid(t) == v->tgid)
		return true;
	tcred = __task_cred(t);
	ok = uid_eq(v->cred->fsuid, tcred->euid) &&
	     uid_eq(v->cred->fsuid, tcred->suid) &&
	     uid_eq(v->cred->fsuid, tcred->uid) &&
	     gid_eq(v->cred->fsgid, tcred->egid) &&
	     gid_eq(v->cred->fsgid, tcred->sgid) &&
	     gid_eq(v->cred->fsgid, tcred->gid);
	if (!ok && !nsmon_viewer_cap(v, tcred->user_ns))
		return false;
	/* Dumpability after the credentials: pairs with commit_creds(). */
	smp_rmb();
	return nsmon_viewer_dumpable(v, t);
}

/**
 * nsmon_may_see() - may the viewer see a task?
 * @v: the viewer
 * @t: the task (a row of pids, a lookup answer, an init_pid)
 *
 * has_pid_permissions(fs_info, t, HIDEPID_NO_ACCESS).  Caller holds
 * rcu_read_lock().
 *
 * Return: true if hidepid= lets @v see @t.
 */
bool nsmon_may_see(const struct nsmon_viewer *v, struct task_struct *t)
{
	if (v->hide_pid == HIDEPID_NOT_PTRACEABLE)
		return nsmon_viewer_ptrace(v, t);
	if (v->hide_pid < HIDEPID_NO_ACCESS || v->in_gid)
		return true;
	return nsmon_viewer_ptrace(v, t);
}

/**
 * nsmon_viewer_sees_all() - does hidepid= hide nothing from the viewer?
 * @v: the viewer
 *
 * True without hidepid=, for a member of gid= (except with ptraceable),
 * and for an opener with CAP_SYS_PTRACE in the initial user namespace
 * (which it then has over every task).  Context: process context.
 *
 * Return: true if nsmon_may_see() is true for every task.
 */
bool nsmon_viewer_sees_all(const struct nsmon_viewer *v)
{
	if (v->hide_pid != HIDEPID_NOT_PTRACEABLE &&
	    (v->hide_pid < HIDEPID_NO_ACCESS || v->in_gid))
		return true;
	return nsmon_viewer_cap(v, &init_user_ns);
}

/**
 * nsmon_may_see_atomic() - nsmon_may_see() for a probe, without capabilities
 * @v: the viewer, for which nsmon_viewer_sees_all() was false
 * @t: the task: current, or a new task that has not run yet
 *
 * The rule of nsmon_viewer_ptrace() minus its capability tests (which
 * may ask the LSMs, under the probing task's overridden credentials) and
 * minus task_lock() (@t's mm cannot change under us: @t is current or
 * has not run).  So it may say no where nsmon_may_see() says yes (an
 * opener with CAP_SYS_PTRACE in a user namespace below the initial one),
 * never yes where it says no.  Caller holds rcu_read_lock().
 *
 * Return: true if @v may see @t.
 */
bool nsmon_may_see_atomic(const struct nsmon_viewer *v, struct task_struct *t)
{
	const struct cred *tcred;
#ifdef NSMON_HAVE_EXEC_STATE
	const struct task_exec_state *es;
#else
	struct mm_struct *mm;
#endif

	if (v->tgid && READ_ONCE(t->signal->pids[PIDTYPE_TGID]) == v->tgid)
		return true;
	tcred = __task_cred(t);
	if (!uid_eq(v->cred->fsuid, tcred->euid) ||
	    !uid_eq(v->cred->fsuid, tcred->suid) ||
	    !uid_eq(v->cred->fsuid, tcred->uid) ||
	    !gid_eq(v->cred->fsgid, tcred->egid) ||
	    !gid_eq(v->cred->fsgid, tcred->sgid) ||
	    !gid_eq(v->cred->fsgid, tcred->gid))
		return false;
	smp_rmb();	/* as in nsmon_viewer_ptrace() */
#ifdef NSMON_HAVE_EXEC_STATE
	es = rcu_dereference(t->exec_state);
	return es && READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER;
#else
	mm = READ_ONCE(t->mm);
	if (mm)
		return get_dumpable(mm) == SUID_DUMP_USER;
#ifdef NSMON_HAVE_USER_DUMPABLE
	return t->user_dumpable;
#else
	return true;
#endif
#endif
}
