// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - errors, standard output, tables and text of nsmon(1); see
 * output.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "output.h"
#include "parse.h"

struct options opt;
void (*before_message)(void);

/* ---- errors ---- */

static void vmsg(const char *prefix, const char *fmt, va_list ap,
		 const char *suffix)
{
	if (before_message)
		before_message();
	fflush(stdout);
	fputs("nsmon: ", stderr);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputs(suffix, stderr);
	fputc('\n', stderr);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap, "");
	va_end(ap);
	exit(EXIT_FAILURE);
}

void fail_errno(int err, const char *path, const char *fmt, ...)
{
	char detail[512] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	fail("%s: %s (%s)%s%s", path, strerror(err), errno_name(err),
	     *detail ? ": " : "", detail);
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap, " (see nsmon --help)");
	va_end(ap);
	exit(EXIT_USAGE);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap, "");
	va_end(ap);
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		fail("out of memory");
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		fail("out of memory");
	return p;
}

/* ---- standard output ---- */

static void write_error(int e)
{
	/* Inside an atexit handler: no exit(), no stdio on stdout. */
	fprintf(stderr, "nsmon: write error: %s (%s)\n", strerror(e),
		errno_name(e));
	_exit(EXIT_FAILURE);
}

static void close_stdout(void)
{
	int e;

	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		e = errno ? errno : EIO;
		if (e == EPIPE)	/* the reader left: not our error */
			_exit(EXIT_FAILURE);
		write_error(e);
	}
	if (fclose(stdout) && errno != EBADF && errno != EPIPE)
		write_error(errno);
}

void close_stdout_at_exit(void)
{
	atexit(close_stdout);
}

void flush_stdout(void)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		int e = errno ? errno : EIO;

		fflush(stderr);
		if (e == EPIPE)
			_exit(EXIT_FAILURE);
		write_error(e);
	}
}

void write_stdout(const void *data, size_t len)
{
	errno = 0;
	if (fwrite(data, 1, len, stdout) != len) {
		/* the errno of the write(), before a later call clears it */
		int e = errno ? errno : EIO;

		fflush(stderr);
		if (e == EPIPE)
			_exit(EXIT_FAILURE);
		write_error(e);
	}
	flush_stdout();
}

/* ---- numbers and text ---- */

const char *fmt_u64(char *buf, size_t size, uint64_t v, bool human)
{
	char tmp[32];
	size_t len, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	if (!human || !opt.thousands || opt.json || opt.raw) {
		snprintf(buf, size, "%s", tmp);
		return buf;
	}
	len = strlen(tmp);
	for (i = 0; i < len && o + 2 < size; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *fmt_secs(char *buf, size_t size, uint64_t ns, int prec)
{
	uint64_t div = 1;
	int i;

	for (i = prec; i < 9; i++)
		div *= 10;
	snprintf(buf, size, "%llu.%0*llu", (unsigned long long)(ns / 1000000000),
		 prec, (unsigned long long)(ns % 1000000000 / div));
	return buf;
}

/* The length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

char *utf8_safe(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;

	if (!size)
		return buf;
	while (*p) {
		n = utf8_len(p);
		if (n == 1 && (*p < 0x20 || *p == 0x7f))
			n = 0;
		if (n) {
			if (o + n + 1 > size)
				break;
			memcpy(buf + o, p, n);
			o += n;
			p += n;
		} else {
			if (o + 5 > size)
				break;
			snprintf(buf + o, 5, "\\x%02x", *p);
			o += 4;
			p++;
		}
	}
	buf[o] = '\0';
	return buf;
}

void json_string(FILE *f, const char *s)
{
	char buf[1024];
	const char *p;

	utf8_safe(buf, sizeof(buf), s);
	fputc('"', f);
	for (p = buf; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

/* ---- tables ---- */

/* The table being filled, freed at exit if an error cuts it short. */
static struct libscols_table *pending;

static void free_pending(void)
{
	scols_unref_table(pending);
	pending = NULL;
}

int col_find(const struct colset *cs, const char *name, size_t len)
{
	const struct colalias *a;
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (strlen(cs->defs[i].name) == len &&
		    !strncasecmp(cs->defs[i].name, name, len))
			return (int)i;
	for (a = cs->aliases; a && a->alias; a++)
		if (strlen(a->alias) == len && !strncasecmp(a->alias, name, len))
			return col_find(cs, a->name, strlen(a->name));
	return -1;
}

/* Parse @list into t->sel[] (appending); usage error on a bad name. */
static void add_columns(struct table *t, const char *list)
{
	const char *p = list;

	while (*p) {
		size_t len = strcspn(p, ",");
		int id = col_find(t->cs, p, len);

		if (id < 0) {
			char q[200];

			usage_error("unknown column '%s' (nsmon COMMAND -H lists them)",
				    quote_bytes(q, sizeof(q), p, len, 40));
		}
		if (t->nsel == TABLE_MAX_COLS - 1)
			usage_error("too many columns");
		t->sel[t->nsel++] = id;
		p += len;
		if (*p == ',')
			p++;
	}
}

static void select_columns(struct table *t, const char *def,
			   bool (*skip)(const struct coldef *, const void *),
			   const void *arg)
{
	size_t i, o;

	t->nsel = 0;
	t->sort_col = -1;
	t->sort_hidden = false;
	if (opt.output_all) {
		for (i = 0; i < t->cs->n && i < TABLE_MAX_COLS - 1; i++)
			t->sel[t->nsel++] = (int)i;
	} else if (opt.output && opt.output[0] == '+') {
		add_columns(t, def);
		add_columns(t, opt.output + 1);
	} else {
		add_columns(t, opt.output && *opt.output ? opt.output : def);
	}
	if (!t->nsel)
		usage_error("no columns selected");
	if (skip) {
		for (i = 0, o = 0; i < t->nsel; i++)
			if (!skip(&t->cs->defs[t->sel[i]], arg))
				t->sel[o++] = t->sel[i];
		if (o)	/* else all of them stay, rather than none */
			t->nsel = o;
	}
	if (opt.sort) {
		int id = col_find(t->cs, opt.sort, strlen(opt.sort));

		if (id < 0) {
			char q[200];

			usage_error("--sort: unknown column '%s' (nsmon COMMAND -H lists them)",
				    quote_bytes(q, sizeof(q), opt.sort,
						strlen(opt.sort), 40));
		}
		for (i = 0; i < t->nsel; i++)
			if (t->sel[i] == id)
				t->sort_col = (int)i;
		if (t->sort_col < 0) {
			/* Sorted by a column not shown: a hidden one. */
			t->sort_col = (int)t->nsel;
			t->sort_hidden = true;
			t->sel[t->nsel++] = id;
		}
	}
}

void columns_check(const struct colset *cs)
{
	struct table t;

	memset(&t, 0, sizeof(t));
	t.cs = cs;
	select_columns(&t, cs->defs[0].name, NULL, NULL);
}

/* --sort of a numeric column: by value ("1,234" and "2.5" included). */
static int cmp_num_cells(struct libscols_cell *a, struct libscols_cell *b,
			 void *data)
{
	const char *x = scols_cell_get_data(a), *y = scols_cell_get_data(b);
	double dx = 0, dy = 0;
	char buf[64], *end;
	size_t i, o;

	(void)data;
	for (int k = 0; k < 2; k++) {
		const char *s = k ? y : x;
		double *d = k ? &dy : &dx;

		if (!s || !*s) {
			*d = -1;
			continue;
		}
		for (i = 0, o = 0; s[i] && o + 1 < sizeof(buf); i++)
			if (s[i] != ',')
				buf[o++] = s[i];
		buf[o] = '\0';
		*d = strtod(buf, &end);
		if (end == buf)	/* "-", "n/a": below any number */
			*d = -1;
	}
	return dx < dy ? -1 : dx > dy;
}

void table_init(struct table *t, const char *name, const struct colset *cs,
		const char *def)
{
	table_init_skip(t, name, cs, def, NULL, NULL);
}

void table_init_skip(struct table *t, const char *name,
		     const struct colset *cs, const char *def,
		     bool (*skip)(const struct coldef *, const void *),
		     const void *arg)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	t->cs = cs;
	select_columns(t, def, skip, arg);
	t->tb = scols_new_table();
	if (!t->tb)
		fail("out of memory");
	if (!pending) {
		pending = t->tb;
		atexit(free_pending);
	}
	scols_table_set_name(t->tb, name);
	scols_table_enable_json(t->tb, opt.json);
	scols_table_enable_raw(t->tb, opt.raw);
	/* raw output escapes non-ASCII: a tree there is drawn in ASCII */
	scols_table_enable_ascii(t->tb, opt.raw);
	scols_table_enable_noheadings(t->tb, opt.noheadings);
	/* -W: one line per row, as if not on a terminal (never truncated,
	 * never continued on the next line) */
	if (opt.nowrap)
		scols_table_set_termforce(t->tb, SCOLS_TERMFORCE_NEVER);
	for (i = 0; i < t->nsel; i++) {
		const struct coldef *d = &cs->defs[t->sel[i]];
		int flags = d->flags, json = d->json;
		struct libscols_column *cl;

		/* a column @skip wanted out but kept: no data, null (an array
		 * would print as [null]) */
		if (skip && skip(d, arg) && json == SCOLS_JSON_ARRAY_NUMBER)
			json = SCOLS_JSON_NUMBER;
		if (opt.tree && i == 0)
			flags |= SCOLS_FL_TREE;
		if (opt.notruncate)
			flags &= ~SCOLS_FL_TRUNC;
		if (opt.json && (json == SCOLS_JSON_ARRAY_NUMBER ||
				 json == SCOLS_JSON_ARRAY_STRING))
			flags |= SCOLS_FL_WRAP;	/* libsmartcols splits arrays so */
		if ((int)i == t->sort_col && t->sort_hidden)
			flags |= SCOLS_FL_HIDDEN;
		cl = scols_table_new_column(t->tb, d->name, d->whint, flags);
		if (!cl)
			fail("out of memory");
		scols_column_set_json_type(cl, json);
		if (json == SCOLS_JSON_ARRAY_NUMBER ||
		    json == SCOLS_JSON_ARRAY_STRING)
			/* one array element per line of the cell's data */
			scols_column_set_wrapfunc(cl, scols_wrapnl_chunksize,
						  scols_wrapnl_nextchunk, NULL);
		if ((int)i == t->sort_col) {
			if (d->json == SCOLS_JSON_NUMBER)
				scols_column_set_cmpfunc(cl, cmp_num_cells, NULL);
			else
				scols_column_set_cmpfunc(cl, scols_cmpstr_cells, NULL);
		}
	}
}

struct libscols_line *table_line(struct table *t, struct libscols_line *parent)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, parent);

	if (!ln)
		fail("out of memory");
	return ln;
}

void table_set(struct table *t, struct libscols_line *ln, size_t i,
	       const char *data)
{
	char buf[1024];

	if (opt.json && t->cs->defs[t->sel[i]].json == SCOLS_JSON_STRING)
		data = utf8_safe(buf, sizeof(buf), data);
	if (scols_line_set_data(ln, i, data))
		fail("out of memory");
}

void table_free(struct table *t)
{
	if (pending == t->tb)
		pending = NULL;
	scols_unref_table(t->tb);
	t->tb = NULL;
}

void table_print(struct table *t)
{
	if (t->sort_col >= 0) {
		struct libscols_column *cl =
			scols_table_get_column(t->tb, (size_t)t->sort_col);

		if (scols_sort_table(t->tb, cl))
			fail("cannot sort the table");
	}
	scols_print_table(t->tb);
	table_free(t);
	flush_stdout();
}

void list_columns(const struct colset *cs)
{
	static const struct coldef hdefs[] = {
		{ "NAME", 0, 0, SCOLS_JSON_STRING, "column name", 0, -1 },
		{ "DESCRIPTION", 0, 0, SCOLS_JSON_STRING, "what it shows", 1, -1 },
	};
	static const struct colset hcs = { hdefs, 2, NULL };
	struct table t;
	size_t i;

	opt.output = NULL;
	opt.output_all = false;
	opt.sort = NULL;
	opt.tree = false;
	table_init(&t, "columns", &hcs, "NAME,DESCRIPTION");
	for (i = 0; i < cs->n; i++) {
		struct libscols_line *ln = table_line(&t, NULL);

		table_set(&t, ln, 0, cs->defs[i].name);
		table_set(&t, ln, 1, cs->defs[i].help);
	}
	table_print(&t);
	exit(EXIT_SUCCESS);
}
