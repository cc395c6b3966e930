/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nsmon.h - definitions shared by the nsmon kernel module and its client.
 *
 * This header is included by kernel code and by user space alike, so it
 * holds nothing but plain constants: the version, the module name and the
 * names and limits of the files under /proc/nsmon.  The layout of those
 * files is described in README.md ("The /proc contract").
 */
#ifndef NSMON_NSMON_H
#define NSMON_NSMON_H

/* The one place the version lives: MODULE_VERSION, nsmon --version, dkms. */
#define NSMON_VERSION		"0.1.0"
#define NSMON_MODULE_NAME	"nsmon"

/* /proc/nsmon and the files in it (besides one file per namespace). */
#define NSMON_PROC_DIR		"nsmon"
#define NSMON_PROC_NAMESPACES	"namespaces"
#define NSMON_PROC_PIDS		"pids"
#define NSMON_PROC_LOOKUP	"lookup"
#define NSMON_PROC_CONTAINERS	"containers"
#define NSMON_PROC_EVENTS	"events"

/*
 * A request written to /proc/nsmon/lookup is "<inum> <nr>", optionally
 * followed by one newline; anything longer than this is rejected (EINVAL).
 */
#define NSMON_LOOKUP_MAX	64

/*
 * A filter written to /proc/nsmon/events ("ns=<inum> events=<kind>,...")
 * longer than this is rejected (EINVAL).
 */
#define NSMON_EVENTS_FILTER_MAX	128

/*
 * Header lines of the two tables, exactly as the module prints them: the
 * namespaces table's is made from the list of keys (NSMON_NS_COLUMNS).
 */
#include "keys.h"
#define NSMON_PIDS_COLUMNS	"pid tgid ns ns_pid ns_tgid nspid comm"
#define NSMON_CONTAINERS_COLUMNS	\
	"inum init_pid mnt net ipc uts user cgroup time nodename cgroup"

#endif /* NSMON_NSMON_H */
