// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - /proc/nsmon/events: a stream of the fork, exec and exit
 * events of the tasks a reader may see.
 *
 * Every open file is a reader with a buffer of its own.  The fork,
 * newtask, exec and exit probes (probes.c) call nsmon_events_emit(),
 * which is one patched-out branch (a static key) while no reader is open.
 * With readers, the probe walks their list (RCU: a probe runs with
 * preemption disabled, and takes rcu_read_lock() for lockdep's sake) and,
 * for each reader whose filter takes the event, builds a record in the
 * reader's view and puts it in the reader's buffer under the reader's raw
 * spinlock.  read() takes records out under the same lock and formats
 * them as text in process context.
 *
 * The buffer: a kfifo of variable-length records (kfifo_rec_ptr_2: a
 * 2-byte length before each record), one per reader, allocated at open
 * (kvmalloc, so a large buffer does not need contiguous pages) and never
 * in a probe.  Why a kfifo and not the tracing ring buffer: the ring
 * buffer is built for one writer per CPU and a consumer that reads
 * per-CPU pages; it has no "drop the oldest record and count it" for a
 * consumer that wants one ordered stream, merging its per-CPU buffers by
 * timestamp would be the reader's job, and its smallest buffer is a page
 * per CPU per reader.  A kfifo under a raw spinlock is one ordered
 * stream, the probe can drop the oldest records itself (kfifo_skip())
 * and count them, and a reader costs exactly its buffer.  The lock is
 * taken once per event per reader that takes the event: the probes of
 * several CPUs contend on it only for the same reader.
 *
 * A record holds the numbers already in the reader's view (the NSpid
 * chain from the view's level down, at most MAX_PID_NS_LEVEL + 1 of
 * them; the tgid and the creator's PID there), because the task may be
 * gone by the time the reader reads.  A record takes 46 bytes (the
 * kfifo's 2-byte length included) plus 4 per level from the view's down
 * to the task's: the default 64 KiB buffer holds about 1200 events of a
 * namespace one level below the view.
 *
 * Overflow: a probe that finds no room drops the oldest records until
 * the new one fits, and adds them to the reader's lost count; read()
 * reports a nonzero count as one "lost N" line before the next record,
 * which is where the dropped events were.
 *
 * Which events a reader gets, all decided in the probe in O(1) per
 * reader:
 *  - the filter's namespace, by default the view's: the task's struct pid
 *    has that namespace at the filter's level (the namespace or one of
 *    its descendants); the filter's namespace is always visible from the
 *    view, so this is also the view rule of the other files;
 *  - the filter's kinds, a bitmask;
 *  - hidepid=: the rule of access.c with the opener's credentials.
 *    nsmon_may_see() may take task_lock() and override the probing
 *    task's credentials to ask the LSMs about capabilities, neither of
 *    which a probe may do.  So the opener's standing is decided at open:
 *    one that sees every task (no hidepid=, gid= member, CAP_SYS_PTRACE
 *    in the initial user namespace) costs nothing; for anyone else the
 *    probe applies nsmon_may_see_atomic(): same thread group, or the
 *    uid/gid rule and the task dumpable.  Capabilities in other user
 *    namespaces are not asked: such an opener may miss a task procfs
 *    would show it, never see one procfs hides.
 *
 * Cost bound: the probes' work grows with the number of open readers,
 * which is capped (events_max_readers, EBUSY beyond), and each reader
 * costs O(1) plus one record copy for an event it takes.  So that no
 * user can take every place, users without CAP_SYS_ADMIN have a cap of
 * their own each and a share of the whole (nsmon_ev_may_open()).
 *
 * Unload: nsmon_events_shutdown(), before /proc/nsmon is removed, marks
 * every reader dead and wakes them: a read() blocked on the buffer
 * returns (what is buffered, then end of file) and a poll()/select()
 * returns EPOLLHUP, so that procfs's removal, which waits for the file
 * operations in progress, does not wait forever.  epoll keeps its entry
 * on a reader's wait queue until the epoll file or the watched file is
 * closed, after the module is gone: the wakeup carries POLLFREE, on which
 * epoll drops its entry (wake_up_pollfree()'s protocol), and the reader
 * is freed an RCU grace period later.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kfifo.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched/coredump.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/delay.h>
#include <linux/wait.h>

#include "nsmon.h"
#include "events.h"

DEFINE_STATIC_KEY_FALSE(nsmon_events_on);

/* The module parameters, read at each open. */
static unsigned int events_max_readers = 16;
module_param(events_max_readers, uint, 0644);
MODULE_PARM_DESC(events_max_readers,
		 "most /proc/nsmon/events files open at once (EBUSY beyond; default 16)");

static unsigned int events_buffer_kb = 64;
module_param(events_buffer_kb, uint, 0644);
MODULE_PARM_DESC(events_buffer_kb,
		 "buffer of each open /proc/nsmon/events, KiB (4..4096, rounded down to a power of two; default 64)");

static unsigned int events_max_user_readers = 4;
module_param(events_max_user_readers, uint, 0644);
MODULE_PARM_DESC(events_max_user_readers,
		 "most /proc/nsmon/events files one user without CAP_SYS_ADMIN may have open at once (EBUSY beyond; default 4)");

#define NSMON_EV_BUF_MIN_KB	4
#define NSMON_EV_BUF_MAX_KB	4096

/*
 * read() takes up to NSMON_EV_BATCH records out under one hold of the
 * lock and formats them into one text buffer, copied out at once.
 */
#define NSMON_EV_BATCH		16
#define NSMON_EV_TEXT		((NSMON_EV_BATCH + 1) * NSMON_EV_LINE_MAX)

/* A blocked reader is woken this long after an event, at the latest. */
#define NSMON_EV_WAKE_MS	10

static const char *const nsmon_event_names[NSMON_EV_NKINDS] = {
	[NSMON_EV_FORK] = "fork",
	[NSMON_EV_THREAD] = "thread",
	[NSMON_EV_EXEC] = "exec",
	[NSMON_EV_EXIT] = "exit",
};

/*
 * The names again, each with its space, padded to 7 characters (8 bytes
 * with the NUL: one copy), and their lengths with the space.
 */
static const char nsmon_event_words[NSMON_EV_NKINDS][8] = {
	[NSMON_EV_FORK] = "fork   ",
	[NSMON_EV_THREAD] = "thread ",
	[NSMON_EV_EXEC] = "exec   ",
	[NSMON_EV_EXIT] = "exit   ",
};

static const u8 nsmon_event_wlen[NSMON_EV_NKINDS] = {
	[NSMON_EV_FORK] = 5,
	[NSMON_EV_THREAD] = 7,
	[NSMON_EV_EXEC] = 5,
	[NSMON_EV_EXIT] = 5,
};

/* What a reader filters on; replaced whole, freed after a grace period. */
struct nsmon_ev_filter {
	struct pid_namespace *ns;	/* counted; the view's by default */
	unsigned int kinds;		/* BIT(enum nsmon_event_kind) */
};

struct nsmon_ev_reader {
	struct list_head list;		/* in nsmon_ev_readers, RCU */
	struct nsmon_viewer vw;		/* the opener */
	bool sees_all;			/* hidepid= hides nothing from it */
	bool privileged;		/* CAP_SYS_ADMIN at open: no user cap */
	kuid_t uid;			/* the opener's euid, for the user cap */
	struct nsmon_ev_filter __rcu *filter;
	raw_spinlock_t lock;		/* fifo and lost, probes and read() */
	struct kfifo_rec_ptr_2 fifo;
	void *buf;			/* the fifo's memory (kvmalloc) */
	u64 lost;			/* dropped since the last "lost" line */
	wait_queue_head_t wait;		/* read() and poll() */
	struct timer_list wake;		/* wakes them a little later */
	unsigned int watermark;		/* bytes: wake them at once */
	struct mutex rlock;		/* read(): text, len, off, recs; filter */
	size_t len, off;		/* the lines being read */
	char *text;			/* NSMON_EV_TEXT bytes */
	struct nsmon_ev *recs;		/* NSMON_EV_BATCH records */
};

/* The readers, for the probes; changed under nsmon_ev_mutex. */
static LIST_HEAD(nsmon_ev_readers);
static DEFINE_MUTEX(nsmon_ev_mutex);
static unsigned int nsmon_ev_nreaders;	/* under nsmon_ev_mutex */
static unsigned int nsmon_ev_nunpriv;	/* of them without CAP_SYS_ADMIN */
static bool nsmon_ev_dead;		/* set at unload: wake and go */

/*
 * The task's number at @level, if its struct pid has @ns there: the O(1)
 * test of "in @ns or below it" that the filter and the view use.
 */
static __always_inline bool nsmon_ev_under(const struct pid *pid,
					   const struct pid_namespace *ns)
{
	return pid->level >= ns->level && pid->numbers[ns->level].ns == ns;
}

/* Put @ev in @r's buffer, dropping the oldest records to make room. */
static void nsmon_ev_put(struct nsmon_ev_reader *r, const struct nsmon_ev *ev)
{
	unsigned int len = offsetof(struct nsmon_ev, nspid) +
			   ev->n * sizeof(ev->nspid[0]);
	unsigned int used;

	raw_spin_lock(&r->lock);
	while (kfifo_avail(&r->fifo) < len && !kfifo_is_empty(&r->fifo)) {
		kfifo_skip(&r->fifo);
		r->lost++;
	}
	if (!kfifo_in(&r->fifo, ev, len))
		r->lost++;	/* a buffer smaller than one record */
	used = kfifo_len(&r->fifo);
	raw_spin_unlock(&r->lock);
	/*
	 * Wake a blocked reader at once when the buffer is a quarter full,
	 * else within NSMON_EV_WAKE_MS: a reader woken for every event
	 * costs a fork+exit 14 % (two wakeups, two reads, four context
	 * switches, on the forking CPU); in batches it costs little.
	 */
	if (!wq_has_sleeper(&r->wait))
		return;
	if (used >= r->watermark)
		wake_up_interruptible_poll(&r->wait, EPOLLIN | EPOLLRDNORM);
	else if (!timer_pending(&r->wake))
		mod_timer(&r->wake, jiffies + msecs_to_jiffies(NSMON_EV_WAKE_MS));
}

/* The timer of nsmon_ev_put(): the events waited long enough. */
static void nsmon_ev_wake(struct timer_list *t)
{
	struct nsmon_ev_reader *r = container_of(t, struct nsmon_ev_reader,
						 wake);

	wake_up_interruptible_poll(&r->wait, EPOLLIN | EPOLLRDNORM);
}

/**
 * __nsmon_events_emit() - give an event to every reader that takes it
 * @kind: enum nsmon_event_kind
 * @t: the task concerned
 * @creator: the task that created @t (fork, thread)
 * @arg: exec: the global PID before it; exit: the exit code
 *
 * Context: a probe, preemption disabled; never sleeps, never allocates.
 * A task's struct pid may already be gone (a released thread): then no
 * event.
 */
void __nsmon_events_emit(unsigned int kind, struct task_struct *t,
			 struct task_struct *creator, int arg)
{
	const struct nsmon_ev_filter *f;
	struct pid *pid, *tgid, *cpid;
	struct pid_namespace *view;
	struct nsmon_ev_reader *r;
	/*
	 * Not zeroed at entry (CONFIG_INIT_STACK_ALL_ZERO would, 176 bytes
	 * at each event): every byte of the record put is written below.
	 */
	struct nsmon_ev ev __uninitialized;
	unsigned int i, vl;
	u64 ts;

	BUILD_BUG_ON(offsetof(struct nsmon_ev, nspid) !=
		     offsetofend(struct nsmon_ev, pad));
	rcu_read_lock();
	pid = READ_ONCE(t->thread_pid);
	tgid = READ_ONCE(t->signal->pids[PIDTYPE_TGID]);
	if (unlikely(!pid || !tgid))
		goto out;
	ts = ktime_get_ns();
	list_for_each_entry_rcu(r, &nsmon_ev_readers, list) {
		f = rcu_dereference(r->filter);
		if (!(f->kinds & BIT(kind)) || !nsmon_ev_under(pid, f->ns))
			continue;
		if (!r->sees_all && !nsmon_may_see_atomic(&r->vw, t))
			continue;
		view = r->vw.view;
		vl = view->level;
		ev.ts = ts;
		ev.kind = kind;
		ev.inum = nsmon_pid_active_ns(pid)->ns.inum;
		ev.n = pid->level - vl + 1;
		for (i = 0; i < ev.n; i++)
			ev.nspid[i] = pid->numbers[vl + i].nr;
		ev.tgid = tgid->level >= vl ? tgid->numbers[vl].nr : 0;
		ev.ns_tgid = tgid->numbers[tgid->level].nr;
		switch (kind) {
		case NSMON_EV_FORK:
		case NSMON_EV_THREAD:
			cpid = creator ? nsmon_task_pid(creator) : NULL;
			ev.arg = cpid && nsmon_ev_under(cpid, view) ?
				 cpid->numbers[vl].nr : 0;
			break;
		case NSMON_EV_EXEC:
			/* The number the exec'ing thread had, in the view. */
			if (arg == pid->numbers[0].nr) {
				ev.arg = ev.nspid[0];
			} else {
				cpid = find_pid_ns(arg, &init_pid_ns);
				ev.arg = cpid && nsmon_ev_under(cpid, view) ?
					 cpid->numbers[vl].nr : 0;
			}
			break;
		default:
			ev.arg = arg;
		}
		/* As perf and tracefs copy it: racy against a rename. */
		memcpy(ev.comm, t->comm, sizeof(ev.comm));
		ev.comm[sizeof(ev.comm) - 1] = '\0';
		ev.pad = 0;
		nsmon_ev_put(r, &ev);
	}
out:
	rcu_read_unlock();
}

/* "00" to "99": the decimal digits are written two at a time. */
#define NSMON_EV_D10(t) \
	#t "0" #t "1" #t "2" #t "3" #t "4" #t "5" #t "6" #t "7" #t "8" #t "9"
static const char nsmon_ev_pairs[201] __aligned(2) =
	NSMON_EV_D10(0) NSMON_EV_D10(1) NSMON_EV_D10(2) NSMON_EV_D10(3)
	NSMON_EV_D10(4) NSMON_EV_D10(5) NSMON_EV_D10(6) NSMON_EV_D10(7)
	NSMON_EV_D10(8) NSMON_EV_D10(9);

/* How many decimal digits @v has. */
static __always_inline unsigned int nsmon_ev_ndigits(u32 v)
{
	if (v < 100000)
		return v < 100 ? (v < 10 ? 1 : 2) :
		       v < 1000 ? 3 : v < 10000 ? 4 : 5;
	return v < 10000000 ? (v < 1000000 ? 6 : 7) :
	       v < 100000000 ? 8 : v < 1000000000 ? 9 : 10;
}

/* @v in exactly @n decimal digits ending at @end (leading zeros kept). */
static __always_inline void nsmon_ev_digits(char *end, u32 v, unsigned int n)
{
	while (n >= 2) {
		u32 q = v / 100;

		end -= 2;
		memcpy(end, &nsmon_ev_pairs[2 * (v - 100 * q)], 2);
		v = q;
		n -= 2;
	}
	if (n)
		end[-1] = '0' + v;
}

/*
 * @v in decimal at @p; the end.  Written by hand, two digits a step: the
 * reader formats every event, and this was most of its cost (one digit a
 * step with a reversal was; vsnprintf() before that was more).
 */
static __always_inline char *nsmon_ev_u32(char *p, u32 v)
{
	unsigned int n = nsmon_ev_ndigits(v);

	nsmon_ev_digits(p + n, v, n);
	return p + n;
}

static __always_inline char *nsmon_ev_dec(char *p, s32 v)
{
	if (v < 0) {
		*p++ = '-';
		return nsmon_ev_u32(p, -(u32)v);
	}
	return nsmon_ev_u32(p, v);
}

/*
 * Copy @n (at most 11: an s32 in decimal) bytes from @s, earlier in the
 * same line, to @p; the end.  Sixteen bytes are read and written, both
 * loads before the stores: @s's text may end right before @p, and the
 * line's buffer has room to spare (NSMON_EV_LINE_MAX).
 */
static __always_inline char *nsmon_ev_copy(char *p, const char *s,
					   unsigned int n)
{
	u64 a, b;

	memcpy(&a, s, 8);
	memcpy(&b, s + 8, 8);
	memcpy(p, &a, 8);
	memcpy(p + 8, &b, 8);
	return p + n;
}

/* @v (up to 2^64 - 1) in decimal at @p; the end. */
static char *nsmon_ev_udec(char *p, u64 v)
{
	u32 lo, mid;

	if (v <= U32_MAX)
		return nsmon_ev_u32(p, v);
	/* Eight digits at a time: at most 4 + 8 + 8 of them. */
	v = div_u64_rem(v, 100000000, &lo);
	if (v > U32_MAX) {
		v = div_u64_rem(v, 100000000, &mid);
		p = nsmon_ev_u32(p, v);
		nsmon_ev_digits(p + 8, mid, 8);
		p += 8;
	} else {
		p = nsmon_ev_u32(p, v);
	}
	nsmon_ev_digits(p + 8, lo, 8);
	return p + 8;
}

/**
 * nsmon_events_format() - the line of one event
 * @buf: where to write it
 * @size: the size of @buf, at least NSMON_EV_LINE_MAX
 * @ev: the event
 *
 * "<ts> <event> <pid> <tgid> <ns> <ns_pid> <ns_tgid> <nspid> <arg> <comm>":
 * ts in ns of CLOCK_MONOTONIC; event fork, thread, exec or exit; pid and
 * tgid in the view; ns the inum of the task's namespace, ns_pid and
 * ns_tgid its numbers there; nspid the chain from the view's level down,
 * comma-separated; arg: fork and thread the creator's PID in the view (0
 * outside it), exec the PID in the view of the thread that called execve
 * (pid, unless a thread other than the leader did; 0 when gone), exit the
 * exit code (the wait status); comm escaped as Name: in status (newline
 * and backslash, as nsmon_escape_name()).  Written by hand rather than
 * with scnprintf(): the reader formats every event, and vsnprintf() was
 * most of its cost.
 *
 * Return: the length of the line, newline included (0 if @size is too
 * small).
 */
int nsmon_events_format(char *buf, size_t size, const struct nsmon_ev *ev)
{
	unsigned int i, n = clamp_t(unsigned int, ev->n, 1, MAX_PID_NS_LEVEL + 1);
	unsigned int pid_len, nspid_len;
	char *p = buf, *pid, *nspid;

	if (WARN_ON_ONCE(size < NSMON_EV_LINE_MAX))
		return 0;
	p = nsmon_ev_udec(p, ev->ts);
	*p++ = ' ';
	if (ev->kind < NSMON_EV_NKINDS) {
		memcpy(p, nsmon_event_words[ev->kind], 8);
		p += nsmon_event_wlen[ev->kind];
	} else {
		*p++ = '?';
		*p++ = ' ';
	}
	/*
	 * pid is also the chain's first number, ns_pid its last; tgid is
	 * often pid, ns_tgid ns_pid, and arg pid: a number printed once is
	 * copied, not converted again.
	 */
	pid = p;
	p = nsmon_ev_dec(p, ev->nspid[0]);
	pid_len = p - pid;
	*p++ = ' ';
	if (ev->tgid == ev->nspid[0])
		p = nsmon_ev_copy(p, pid, pid_len);
	else
		p = nsmon_ev_dec(p, ev->tgid);
	*p++ = ' ';
	p = nsmon_ev_u32(p, ev->inum);
	*p++ = ' ';
	nspid = p;
	p = nsmon_ev_dec(p, ev->nspid[n - 1]);
	nspid_len = p - nspid;
	*p++ = ' ';
	if (ev->ns_tgid == ev->nspid[n - 1])
		p = nsmon_ev_copy(p, nspid, nspid_len);
	else
		p = nsmon_ev_dec(p, ev->ns_tgid);
	*p++ = ' ';
	p = nsmon_ev_copy(p, pid, pid_len);
	for (i = 1; i < n; i++) {
		*p++ = ',';
		if (i == n - 1)
			p = nsmon_ev_copy(p, nspid, nspid_len);
		else
			p = nsmon_ev_dec(p, ev->nspid[i]);
	}
	*p++ = ' ';
	if (ev->arg == ev->nspid[0])
		p = nsmon_ev_copy(p, pid, pid_len);
	else
		p = nsmon_ev_dec(p, ev->arg);
	*p++ = ' ';
	for (i = 0; i < sizeof(ev->comm) && ev->comm[i]; i++) {
		char c = ev->comm[i];

		if (c == '\n' || c == '\\') {
			*p++ = '\\';
			c = c == '\n' ? 'n' : '\\';
		}
		*p++ = c;
	}
	*p++ = '\n';
	*p = '\0';
	return p - buf;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_events_format);

/* One word of a filter: does [p, end) equal @word? */
static bool nsmon_ev_word(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);

	return end - p == n && !memcmp(p, word, n);
}

/**
 * nsmon_events_parse_filter() - parse a filter written to the events file
 * @buf: what was written, not NUL-terminated
 * @len: its length
 * @inum: set to the namespace's inum (0: the view's)
 * @kinds: set to the kinds, BIT(enum nsmon_event_kind)
 *
 * A filter is up to two words separated by one space, each at most once,
 * in any order, then optionally one newline: "ns=<inum>" (a decimal
 * inode number; 0 means the view's namespace) and "events=<kind>[,...]"
 * (fork, thread, exec, exit, each at most once).  A word left out takes
 * its default: everything visible, every kind.  An empty write resets
 * the filter.
 *
 * Return: 0, or -EINVAL for anything else (longer than
 * NSMON_EVENTS_FILTER_MAX included).
 */
int nsmon_events_parse_filter(const char *buf, size_t len,
			      unsigned int *inum, unsigned int *kinds)
{
	const char *p = buf, *end = buf + len, *w, *k;
	bool have_ns = false, have_ev = false;
	unsigned int set, b;
	u64 v;

	if (len > NSMON_EVENTS_FILTER_MAX)
		return -EINVAL;
	if (len && end[-1] == '\n')
		end--;
	*inum = 0;
	*kinds = NSMON_EV_ALL;
	while (p < end) {
		if (p != buf && *p++ != ' ')
			return -EINVAL;
		for (w = p; w < end && *w != ' '; w++)
			;
		if (w - p > 3 && !memcmp(p, "ns=", 3) && !have_ns) {
			have_ns = true;
			p += 3;
			if (p == w || (*p == '0' && w - p > 1))
				return -EINVAL;
			for (v = 0; p < w; p++) {
				if (*p < '0' || *p > '9')
					return -EINVAL;
				v = v * 10 + (*p - '0');
				if (v > U32_MAX)
					return -EINVAL;
			}
			*inum = v;
		} else if (w - p > 7 && !memcmp(p, "events=", 7) && !have_ev) {
			have_ev = true;
			set = 0;
			for (p += 7; ; p = k + 1) {
				for (k = p; k < w && *k != ','; k++)
					;
				for (b = 0; b < NSMON_EV_NKINDS; b++)
					if (nsmon_ev_word(p, k, nsmon_event_names[b]))
						break;
				if (b == NSMON_EV_NKINDS || (set & BIT(b)))
					return -EINVAL;
				set |= BIT(b);
				if (k == w)
					break;
			}
			*kinds = set;
		} else {
			return -EINVAL;
		}
		p = w;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(nsmon_events_parse_filter);

/* The namespace of a filter: the view's, or a visible one by inum. */
static struct pid_namespace *nsmon_ev_filter_ns(struct nsmon_ev_reader *r,
						unsigned int inum)
{
	struct pid_namespace *ns = NULL;
	struct nsmon_ns *e;

	if (!inum)
		return get_pid_ns(r->vw.view);
	nsmon_table_index(&nsmon_tbl);
	rcu_read_lock();
	e = nsmon_table_find_inum(&nsmon_tbl, inum);
	if (e && nsmon_ns_visible(e->ns, r->vw.view))
		ns = get_pid_ns(e->ns);
	rcu_read_unlock();
	return ns;
}

static void nsmon_ev_filter_free(struct nsmon_ev_filter *f)
{
	if (f) {
		put_pid_ns(f->ns);
		kfree(f);
	}
}

/*
 * May @r join the readers?  Every reader adds to the probes' work, so
 * their number is capped (events_max_readers).  On a shared host one
 * user must not be able to take every place: a user without
 * CAP_SYS_ADMIN may hold at most events_max_user_readers of them, and
 * such users together at most three quarters (all but one when the cap
 * is below 4), so that an administrator can always open one.  O(number
 * of readers), which the cap bounds.  Caller holds nsmon_ev_mutex.
 */
static int nsmon_ev_may_open(const struct nsmon_ev_reader *r)
{
	unsigned int max = READ_ONCE(events_max_readers);
	unsigned int reserve = max >= 4 ? max / 4 : min(max, 1U);
	const struct nsmon_ev_reader *o;
	unsigned int mine = 0;

	lockdep_assert_held(&nsmon_ev_mutex);
	if (nsmon_ev_dead)
		return -ENODEV;
	if (nsmon_ev_nreaders >= max)
		return -EBUSY;
	if (r->privileged)
		return 0;
	if (nsmon_ev_nunpriv >= max - reserve)
		return -EBUSY;
	list_for_each_entry(o, &nsmon_ev_readers, list)
		if (!o->privileged && uid_eq(o->uid, r->uid))
			mine++;
	return mine >= READ_ONCE(events_max_user_readers) ? -EBUSY : 0;
}

static int nsmon_events_open(struct inode *inode, struct file *file)
{
	struct nsmon_ev_filter *f;
	struct nsmon_ev_reader *r;
	unsigned int kb;
	int err;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!r || !f) {
		err = -ENOMEM;
		goto out_free;
	}
	kb = clamp_t(unsigned int, READ_ONCE(events_buffer_kb),
		     NSMON_EV_BUF_MIN_KB, NSMON_EV_BUF_MAX_KB);
	kb = rounddown_pow_of_two(kb);
	r->buf = kvmalloc(kb * 1024, GFP_KERNEL);
	r->text = kvmalloc(NSMON_EV_TEXT, GFP_KERNEL);
	r->recs = kmalloc_array(NSMON_EV_BATCH, sizeof(*r->recs), GFP_KERNEL);
	if (!r->buf || !r->text || !r->recs) {
		err = -ENOMEM;
		goto out_free;
	}
	err = kfifo_init(&r->fifo, r->buf, kb * 1024);
	if (err)
		goto out_free;
	raw_spin_lock_init(&r->lock);
	init_waitqueue_head(&r->wait);
	timer_setup(&r->wake, nsmon_ev_wake, 0);
	r->watermark = kfifo_size(&r->fifo) / 4;
	mutex_init(&r->rlock);
	nsmon_viewer_init(&r->vw, inode, file);
	r->sees_all = nsmon_viewer_sees_all(&r->vw);
	f->ns = get_pid_ns(r->vw.view);
	f->kinds = NSMON_EV_ALL;
	RCU_INIT_POINTER(r->filter, f);

	r->privileged = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	r->uid = file->f_cred->euid;

	mutex_lock(&nsmon_ev_mutex);
	err = nsmon_ev_may_open(r);
	if (err) {
		mutex_unlock(&nsmon_ev_mutex);
		put_pid_ns(f->ns);
		nsmon_viewer_release(&r->vw);
		goto out_free;
	}
	nsmon_ev_nreaders++;
	if (!r->privileged)
		nsmon_ev_nunpriv++;
	static_branch_inc(&nsmon_events_on);
	list_add_tail_rcu(&r->list, &nsmon_ev_readers);
	mutex_unlock(&nsmon_ev_mutex);
	file->private_data = r;
	return 0;

out_free:
	if (r) {
		kvfree(r->buf);
		kvfree(r->text);
		kfree(r->recs);
	}
	kfree(r);
	kfree(f);
	return err;
}

static int nsmon_events_release(struct inode *inode, struct file *file)
{
	struct nsmon_ev_reader *r = file->private_data;

	mutex_lock(&nsmon_ev_mutex);
	list_del_rcu(&r->list);
	nsmon_ev_nreaders--;
	if (!r->privileged)
		nsmon_ev_nunpriv--;
	static_branch_dec(&nsmon_events_on);
	mutex_unlock(&nsmon_ev_mutex);
	/* No probe uses r, and epoll is done with its wait queue. */
	synchronize_rcu();
	timer_delete_sync(&r->wake);	/* no probe can arm it again */
	nsmon_ev_filter_free(rcu_dereference_protected(r->filter, 1));
	nsmon_viewer_release(&r->vw);
	kvfree(r->buf);
	kvfree(r->text);
	kfree(r->recs);
	mutex_destroy(&r->rlock);
	/*
	 * Only at unload, with a poll() that did not leave in time (see
	 * nsmon_events_shutdown()): its entry still points at r->wait.  No
	 * barrier: nobody can join the queue any more (the file is closed).
	 */
	if (WARN_ON_ONCE(waitqueue_active(&r->wait)))
		return 0;	/* leaked on purpose: better than a fault */
	kfree(r);
	return 0;
}

/* Is there something for read()?  Caller holds r->lock. */
static bool nsmon_ev_ready_locked(struct nsmon_ev_reader *r)
{
	return r->lost || !kfifo_is_empty(&r->fifo);
}

static bool nsmon_ev_ready(struct nsmon_ev_reader *r)
{
	bool ready;

	raw_spin_lock(&r->lock);
	ready = nsmon_ev_ready_locked(r);
	raw_spin_unlock(&r->lock);
	return ready || READ_ONCE(nsmon_ev_dead);
}

/*
 * Format the next lines into r->text: a "lost" line if events were
 * dropped, then up to NSMON_EV_BATCH events, taken out under one hold of
 * the lock (the lost count and the records together, so that the line
 * stands where the dropped events were).  False if there is nothing.
 */
static bool nsmon_ev_next_lines(struct nsmon_ev_reader *r)
{
	unsigned int i, n, lens[NSMON_EV_BATCH];
	size_t len = 0;
	u64 lost;

	raw_spin_lock(&r->lock);
	lost = r->lost;
	r->lost = 0;
	for (n = 0; n < NSMON_EV_BATCH; n++) {
		lens[n] = kfifo_out(&r->fifo, &r->recs[n], sizeof(r->recs[n]));
		if (!lens[n])
			break;
	}
	raw_spin_unlock(&r->lock);
	if (lost)
		len = scnprintf(r->text, NSMON_EV_TEXT, "lost %llu\n", lost);
	for (i = 0; i < n; i++) {
		if (lens[i] < offsetof(struct nsmon_ev, nspid) +
			      sizeof(r->recs[i].nspid[0]))
			continue;	/* cannot happen: a record we put */
		len += nsmon_events_format(r->text + len, NSMON_EV_TEXT - len,
					   &r->recs[i]);
	}
	r->off = 0;
	r->len = len;
	return len > 0;
}

static ssize_t nsmon_events_read(struct file *file, char __user *buf,
				 size_t count, loff_t *ppos)
{
	struct nsmon_ev_reader *r = file->private_data;
	size_t done = 0, n;
	ssize_t ret = 0;

	if (mutex_lock_interruptible(&r->rlock))
		return -ERESTARTSYS;
	while (done < count) {
		if (r->off < r->len) {
			n = min(count - done, r->len - r->off);
			if (copy_to_user(buf + done, r->text + r->off, n)) {
				ret = -EFAULT;
				break;
			}
			done += n;
			r->off += n;
			continue;
		}
		if (nsmon_ev_next_lines(r))
			continue;
		if (done || READ_ONCE(nsmon_ev_dead))
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&r->rlock);
		ret = wait_event_interruptible(r->wait, nsmon_ev_ready(r));
		if (ret)
			return ret;
		if (mutex_lock_interruptible(&r->rlock))
			return -ERESTARTSYS;
	}
	mutex_unlock(&r->rlock);
	return done ? done : ret;
}

static __poll_t nsmon_events_poll(struct file *file, poll_table *pt)
{
	struct nsmon_ev_reader *r = file->private_data;

	poll_wait(file, &r->wait, pt);
	if (READ_ONCE(nsmon_ev_dead))
		return EPOLLIN | EPOLLRDNORM | EPOLLHUP;
	if (READ_ONCE(r->off) < READ_ONCE(r->len) || nsmon_ev_ready(r))
		return EPOLLIN | EPOLLRDNORM;
	return 0;
}

static ssize_t nsmon_events_write(struct file *file, const char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct nsmon_ev_reader *r = file->private_data;
	struct nsmon_ev_filter *f, *old;
	char req[NSMON_EVENTS_FILTER_MAX];
	unsigned int inum, kinds;
	int err;

	if (count > sizeof(req))
		return -EINVAL;
	if (copy_from_user(req, buf, count))
		return -EFAULT;
	err = nsmon_events_parse_filter(req, count, &inum, &kinds);
	if (err)
		return err;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->kinds = kinds;
	f->ns = nsmon_ev_filter_ns(r, inum);
	if (!f->ns) {
		kfree(f);
		return -ENOENT;
	}
	mutex_lock(&r->rlock);
	old = rcu_replace_pointer(r->filter, f, lockdep_is_held(&r->rlock));
	mutex_unlock(&r->rlock);
	synchronize_rcu();	/* no probe looks at old any more */
	nsmon_ev_filter_free(old);
	return count;
}

static const struct proc_ops nsmon_events_ops = {
	.proc_open	= nsmon_events_open,
	.proc_read	= nsmon_events_read,
	.proc_write	= nsmon_events_write,
	.proc_poll	= nsmon_events_poll,
	.proc_lseek	= noop_llseek,
	.proc_release	= nsmon_events_release,
};

/* Any user may open it: see nsmon_events_proc_init(). */
#define NSMON_EVENTS_MODE	0666

/**
 * nsmon_events_proc_init() - create /proc/nsmon/events
 * @dir: /proc/nsmon
 *
 * Mode 0666: any user may follow the tasks it may see, and change its own
 * file's filter; the number of readers is capped (events_max_readers).
 *
 * Return: 0, or -ENOMEM.
 */
int nsmon_events_proc_init(struct proc_dir_entry *dir)
{
	WRITE_ONCE(nsmon_ev_dead, false);
	return proc_create(NSMON_PROC_EVENTS, NSMON_EVENTS_MODE, dir,
			   &nsmon_events_ops) ? 0 : -ENOMEM;
}

/* Is a task still on @r's wait queue (after the last wakeup)? */
static bool nsmon_ev_waited_on(struct nsmon_ev_reader *r)
{
	/*
	 * No barrier needed: a waiter leaves the queue under its lock, and
	 * one still there is seen at the next look, 20 ms later.
	 */
	return waitqueue_active(&r->wait);
}

/**
 * nsmon_events_shutdown() - wake every reader for unload
 *
 * Called before /proc/nsmon is removed: that waits for the file
 * operations in progress, and a read() blocked here would never end.
 * Marks the readers dead (read() returns what is buffered, then 0;
 * poll() says EPOLLHUP), wakes them with POLLFREE for epoll's entries,
 * and gives blocked poll()/select() callers up to a second to leave the
 * wait queues.
 */
void nsmon_events_shutdown(void)
{
	struct nsmon_ev_reader *r;
	bool busy = true;
	int i;

	mutex_lock(&nsmon_ev_mutex);
	WRITE_ONCE(nsmon_ev_dead, true);
	list_for_each_entry(r, &nsmon_ev_readers, list)
		__wake_up(&r->wait, TASK_NORMAL, 0,
			  poll_to_key(EPOLLIN | EPOLLHUP | POLLFREE));
	for (i = 0; i < 50 && busy; i++) {
		busy = false;
		list_for_each_entry(r, &nsmon_ev_readers, list)
			busy |= nsmon_ev_waited_on(r);
		if (busy)
			msleep(20);
	}
	mutex_unlock(&nsmon_ev_mutex);
}
