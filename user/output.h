/* SPDX-License-Identifier: GPL-2.0 */
/*
 * output.h - how nsmon(1) talks: errors (one line, exit 1; usage errors
 * exit 2), standard output checked once at exit, tables and JSON through
 * libsmartcols, numbers for people, text made safe for JSON.
 */
#ifndef NSMON_USER_OUTPUT_H
#define NSMON_USER_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libsmartcols.h>

#define EXIT_USAGE	2

/* ---- errors ---- */

/* "nsmon: MESSAGE", exit 1: something failed at run time. */
void fail(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* "nsmon: PATH: Text (ENAME)[: detail]", exit 1. */
void fail_errno(int err, const char *path, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 3, 4)));
/* "nsmon: MESSAGE (see nsmon --help)", exit 2: the command line is wrong. */
void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));
/* "nsmon: warning: MESSAGE" on stderr, no exit. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called before an error or warning is printed (top leaves the alternate
 * screen there, or the message would vanish with it). */
extern void (*before_message)(void);

void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

/*
 * Standard output is flushed and closed at exit, for every command: a
 * write error (a full disk, /dev/full) is reported and the exit status
 * becomes 1 (util-linux's close_stdout()).  Call once, first in main().
 */
void close_stdout_at_exit(void);
/* Flush stdout now; a write error fails like close_stdout() does. */
void flush_stdout(void);
/* Write @len bytes to stdout and flush; a write error fails the same way
 * (with the write's own errno, ENOSPC say, when stdio bypassed its buffer). */
void write_stdout(const void *data, size_t len);

/* ---- options shared by the table commands ---- */

struct options {
	bool json, raw, noheadings, tree, total, thousands;
	bool notruncate, nowrap, output_all;
	const char *output;	/* -o LIST */
	const char *sort;	/* --sort COL */
};
extern struct options opt;

/* ---- numbers and text ---- */

/* A count, with thousands separators when --thousands and @human. */
const char *fmt_u64(char *buf, size_t size, uint64_t v, bool human);
/* Nanoseconds as seconds with @prec decimals (1..9), truncated. */
const char *fmt_secs(char *buf, size_t size, uint64_t ns, int prec);

/*
 * @s with every byte that is not part of valid UTF-8 (and every control
 * character) written as the text \xHH, into @buf: what a JSON string may
 * hold.  Returns @buf.
 */
char *utf8_safe(char *buf, size_t size, const char *s);
/* A JSON string literal of @s (made UTF-8 safe), quotes included. */
void json_string(FILE *f, const char *s);

/* ---- tables ---- */

struct coldef {
	const char *name;	/* header, and -o name */
	double whint;
	int flags;		/* SCOLS_FL_* */
	int json;		/* SCOLS_JSON_* */
	const char *help;
	int what;		/* the command's meaning of the column */
	int key;		/* an NSK_* key, or -1 */
};

/* Other names a column answers to in -o and --sort (lsns's, say). */
struct colalias {
	const char *alias, *name;
};

struct colset {
	const struct coldef *defs;
	size_t n;
	const struct colalias *aliases;	/* NULL-terminated, or NULL */
};

#define TABLE_MAX_COLS	128

struct table {
	struct libscols_table *tb;
	const struct colset *cs;
	int sel[TABLE_MAX_COLS];	/* column ids, in output order */
	size_t nsel;			/* shown columns (+1 for a hidden sort column) */
	int sort_col;			/* index in sel[] of --sort's column, or -1 */
	bool sort_hidden;		/* it is not shown: appended for --sort */
};

/* The column @name (case-insensitive, aliases too) of @cs, or -1. */
int col_find(const struct colset *cs, const char *name, size_t len);
/*
 * Check -o LIST (or --output-all) against @cs now, before anything is read:
 * an unknown column is a usage error.
 */
void columns_check(const struct colset *cs);
/* Start a table: columns from -o/--output-all, else @def (a LIST). */
void table_init(struct table *t, const char *name, const struct colset *cs,
		const char *def);
/* The same without the selected columns @skip(column, @arg) is true for,
 * unless that is all of them. */
void table_init_skip(struct table *t, const char *name,
		     const struct colset *cs, const char *def,
		     bool (*skip)(const struct coldef *, const void *),
		     const void *arg);
struct libscols_line *table_line(struct table *t, struct libscols_line *parent);
/* Set the data of the i-th selected column of @ln (the text is copied). */
void table_set(struct table *t, struct libscols_line *ln, size_t i,
	       const char *data);
/* --sort, then print and free. */
void table_print(struct table *t);
void table_free(struct table *t);
/* -H: the columns of @cs as a NAME/DESCRIPTION table, then exit 0. */
void list_columns(const struct colset *cs) __attribute__((noreturn));

#endif /* NSMON_USER_OUTPUT_H */
