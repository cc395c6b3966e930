# SPDX-License-Identifier: GPL-2.0
#
# Kernel feature tests, read from the headers of the kernel being built
# against: a distribution kernel may have an interface before the version
# that brought it upstream (RHEL 9 has sched_switch's prev_state on 5.14),
# so module/compat.h decides on these, not on version numbers.  Each test
# greps one declaration and defines NSMON_HAVE_<feature>.
#
# Included by the module's Kbuild (module/Kbuild), the KUnit suite's
# (tests/kunit/Kbuild) and the bench's baseline module.

nsmon_has = $(shell grep -qsE '$(2)' $(addprefix $(srctree)/,$(1)) && echo y)
nsmon_comma := ,
nsmon_pat_exit := struct task_struct .p$(nsmon_comma) bool group_dead
nsmon_pat_import := define MODULE_IMPORT_NS.ns.[[:space:]]+MODULE_INFO.import_ns$(nsmon_comma) ns.[[:space:]]*$$

# sched_switch(preempt, prev, next, prev_state): 5.18
ifeq ($(call nsmon_has,include/trace/events/sched.h,unsigned int prev_state),y)
ccflags-y += -DNSMON_HAVE_SWITCH_PREV_STATE
endif
# sched_process_exit(p, group_dead): 6.16
ifeq ($(call nsmon_has,include/trace/events/sched.h,$(nsmon_pat_exit)),y)
ccflags-y += -DNSMON_HAVE_EXIT_GROUP_DEAD
endif
# task_newtask(task, u64 clone_flags): 6.17
ifeq ($(call nsmon_has,include/trace/events/task.h,u64 clone_flags),y)
ccflags-y += -DNSMON_HAVE_NEWTASK_U64
endif
# MODULE_IMPORT_NS("ns"), a string literal: 6.13
ifeq ($(call nsmon_has,include/linux/module.h,$(nsmon_pat_import)),y)
ccflags-y += -DNSMON_HAVE_IMPORT_NS_STRING
endif
# struct ns_common's reference count is __ns_ref, not count: 6.18
ifeq ($(call nsmon_has,include/linux/ns_common.h include/linux/ns/ns_common_types.h,refcount_t[[:space:]]+__ns_ref;),y)
ccflags-y += -DNSMON_HAVE_NS_REF
endif
# EXPORT_SYMBOL_IF_KUNIT() (include/kunit/visibility.h): 6.2, and some 6.1
ifneq ($(wildcard $(srctree)/include/kunit/visibility.h),)
ccflags-y += -DNSMON_HAVE_KUNIT_VISIBILITY
endif
# task->user_dumpable (the dumpability a task had when it dropped its mm):
# 6.1.y stable backports have it; access.c follows ptrace's use of it.
ifeq ($(call nsmon_has,include/linux/sched.h,[^_a-z]user_dumpable[^_a-z]),y)
ccflags-y += -DNSMON_HAVE_USER_DUMPABLE
endif

# task->exec_state (7.x): the dumpability moved there from the mm.
ifneq ($(wildcard $(srctree)/include/linux/sched/exec_state.h),)
ccflags-y += -DNSMON_HAVE_EXEC_STATE
endif

# system_dfl_wq (6.17): 7.x warns that work queued on system_wq uses a
# deprecated workqueue.
ifeq ($(call nsmon_has,include/linux/workqueue.h,system_dfl_wq;),y)
ccflags-y += -DNSMON_HAVE_SYSTEM_DFL_WQ
endif

# timer_delete_sync() (6.2, and 6.1.y): del_timer_sync() before it, gone
# since 6.15.
nsmon_pat_tds := int timer_delete_sync[(]
ifeq ($(call nsmon_has,include/linux/timer.h,$(nsmon_pat_tds)),y)
ccflags-y += -DNSMON_HAVE_TIMER_DELETE_SYNC
endif
