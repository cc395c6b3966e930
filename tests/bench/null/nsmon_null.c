// SPDX-License-Identifier: GPL-2.0
/*
 * nsmon_null.c - the baseline of `make bench`: probes on the same five
 * tracepoints as nsmon that only bump a per-CPU counter.  What it costs is
 * the price of having a probe there at all (the tracepoint's static key
 * turned on, the call, the probe's prologue); what nsmon costs beyond it
 * is nsmon's own work.  Not installed; built only by tests/bench/run.sh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/tracepoint.h>
#include <linux/string.h>

#include <trace/events/sched.h>
#include <trace/events/task.h>

#include "compat.h"

static DEFINE_PER_CPU(unsigned long, nsmon_null_hits);

/* Each probe has its tracepoint's exact prototype, and does nothing else. */
static void notrace nsmon_null_fork(void *data, struct task_struct *parent,
				    struct task_struct *child)
{
	this_cpu_inc(nsmon_null_hits);
}

static void notrace nsmon_null_newtask(void *data, NSMON_NEWTASK_ARGS)
{
	this_cpu_inc(nsmon_null_hits);
}

static void notrace nsmon_null_exec(void *data, struct task_struct *p,
				    pid_t old_pid, struct linux_binprm *bprm)
{
	this_cpu_inc(nsmon_null_hits);
}

static void notrace nsmon_null_pexit(void *data, NSMON_EXIT_ARGS)
{
	this_cpu_inc(nsmon_null_hits);
}

static void notrace nsmon_null_switch(void *data, NSMON_SWITCH_ARGS)
{
	this_cpu_inc(nsmon_null_hits);
}

static const struct {
	const char *name;
	void *probe;
} nsmon_null_probes[] = {
	{ "sched_process_fork", nsmon_null_fork },
	{ "task_newtask", nsmon_null_newtask },
	{ "sched_process_exec", nsmon_null_exec },
	{ "sched_process_exit", nsmon_null_pexit },
	{ "sched_switch", nsmon_null_switch },
};

static struct tracepoint *nsmon_null_tps[ARRAY_SIZE(nsmon_null_probes)];

static void nsmon_null_find(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nsmon_null_probes); i++)
		if (!strcmp(tp->name, nsmon_null_probes[i].name))
			nsmon_null_tps[i] = tp;
}

static void nsmon_null_unregister(int n)
{
	while (n-- > 0)
		tracepoint_probe_unregister(nsmon_null_tps[n],
					    nsmon_null_probes[n].probe, NULL);
	tracepoint_synchronize_unregister();
}

static int __init nsmon_null_init(void)
{
	int i, err;

	check_trace_callback_type_sched_process_fork(nsmon_null_fork);
	check_trace_callback_type_task_newtask(nsmon_null_newtask);
	check_trace_callback_type_sched_process_exec(nsmon_null_exec);
	check_trace_callback_type_sched_process_exit(nsmon_null_pexit);
	check_trace_callback_type_sched_switch(nsmon_null_switch);

	for_each_kernel_tracepoint(nsmon_null_find, NULL);
	for (i = 0; i < ARRAY_SIZE(nsmon_null_tps); i++) {
		err = nsmon_null_tps[i] ?
			tracepoint_probe_register(nsmon_null_tps[i],
						  nsmon_null_probes[i].probe,
						  NULL) : -ENOENT;
		if (err) {
			nsmon_null_unregister(i);
			return err;
		}
	}
	return 0;
}

static void __exit nsmon_null_exit(void)
{
	unsigned long sum = 0;
	int cpu;

	nsmon_null_unregister(ARRAY_SIZE(nsmon_null_tps));
	for_each_possible_cpu(cpu)
		sum += per_cpu(nsmon_null_hits, cpu);
	pr_info("%lu probe hits\n", sum);
}

module_init(nsmon_null_init);
module_exit(nsmon_null_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("nsmon benchmark baseline: empty tracepoint probes");
