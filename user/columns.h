/* SPDX-License-Identifier: GPL-2.0 */
/*
 * columns.h - the columns of a namespace (list, show, top's counters),
 * generated from include/nsmon/keys.h: every key of the module is a
 * column, a key in nanoseconds is a column in seconds too, and a key the
 * client has never heard of gets a column named after it, upper-cased.
 * Like lsns's infos[] and fill_column(): one table of columns, and one
 * function that fills only the columns selected.
 */
#ifndef NSMON_USER_COLUMNS_H
#define NSMON_USER_COLUMNS_H

#include "output.h"
#include "parse.h"

/* What a namespace column shows. */
enum { NC_KEY, NC_SECS, NC_COMMAND, NC_USER, NC_HIST, NC_CONTAINER,
	NC_RUNTIME, NC_NODENAME };

/* What a cell shows for a key the module left out (no CONFIG_SCHED_INFO);
 * JSON leaves such keys out, or has null. */
#define NS_NOT_AVAILABLE "n/a"

/* The default columns of `nsmon list` (80 columns wide). */
#define NS_LIST_DEFAULT "INUM,LEVEL,TASKS,PROCS,SWITCHES,CPU,INIT,USER,COMMAND"

/* Build the table (once, before any option is parsed). */
void ns_columns_init(void);
extern struct colset ns_colset;

/* The column name of key @k ("PROCS" for processes, "MIGRATIONS" for a
 * key named migrations). */
const char *ns_key_column(int k);

/*
 * Fill the selected columns of @ln from @r; @human: thousands separators
 * when --thousands.  A histogram column (WAIT_HIST) holds its bucket
 * counts separated by commas, by newlines in JSON (an array).  A key the
 * module left out is NS_NOT_AVAILABLE, no data (null) in JSON.
 */
void ns_fill(struct table *t, struct libscols_line *ln,
	     const struct ns_rec *r, bool human);

/* The command (comm) of process @pid in the view, "" if it is gone. */
void comm_of(pid_t pid, char *buf, size_t size);
/* The user name (or uid) owning process @pid, "" if it is gone. */
void user_of(pid_t pid, char *buf, size_t size);

/* Does column @d show a key the module left out of @r? */
bool ns_col_missing(const struct coldef *d, const struct ns_rec *r);
/* Is column @d one bucket of a histogram (WAIT_LT_1US)? */
bool ns_col_bucket(const struct coldef *d);

#endif /* NSMON_USER_COLUMNS_H */
