// SPDX-License-Identifier: GPL-2.0
/*
 * columns.c - the namespace columns, from include/nsmon/keys.h; see
 * columns.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "columns.h"
#include "hist.h"
#include "container.h"

/* Nicer names than the upper-cased key, for a few keys; the key's own
 * name stays an alias. */
static const struct { const char *key, *name; } nicer[] = {
	{ "init_pid", "INIT" },
	{ "processes", "PROCS" },
	{ "voluntary_switches", "VOLUNTARY" },
	{ "involuntary_switches", "INVOLUNTARY" },
};

/* lsns's names for the same things. */
static const struct colalias lsns_aliases[] = {
	{ "NS", "INUM" }, { "PNS", "PARENT" }, { "NPROCS", "PROCS" },
	{ "PID", "INIT" },
};

/* Identity columns first, then every other key in the module's order. */
#define NS_MAX_COLS	(NSK_COUNT * 2 + 2 + HIST_MAX)
static struct coldef defs[NS_MAX_COLS];
static char names[NS_MAX_COLS][48], helps[NS_MAX_COLS][160];
static struct colalias aliases[NSK_COUNT + 8];
struct colset ns_colset = { defs, 0, aliases };

static char keycol[NSK_COUNT][48];

const char *ns_key_column(int k)
{
	return keycol[k];
}

static void add(const char *name, double whint, int flags, int json,
		const char *help, int what, int key)
{
	size_t i = ns_colset.n++;

	snprintf(names[i], sizeof(names[i]), "%s", name);
	snprintf(helps[i], sizeof(helps[i]), "%s", help);
	defs[i] = (struct coldef){ names[i], whint, flags, json, helps[i],
				   what, key };
}

static void add_key(int k, double whint)
{
	const struct nsk_info *ki = &nsmon_keys[k];
	char help[160];
	size_t o;

	if (!strcmp(ki->unit, "ns")) {
		/* cpu_ns: CPU in seconds, then CPU_NS as it is. */
		char secs[48];

		snprintf(secs, sizeof(secs), "%.47s", keycol[k]);
		o = strlen(secs);
		if (o > 3 && !strcmp(secs + o - 3, "_NS"))
			secs[o - 3] = '\0';
		snprintf(help, sizeof(help), "%s In seconds.", ki->help);
		add(secs, 8, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, help, NC_SECS, k);
		snprintf(help, sizeof(help), "%s In nanoseconds.", ki->help);
		add(keycol[k], 12, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, help,
		    NC_KEY, k);
		return;
	}
	add(keycol[k], whint, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER, ki->help,
	    NC_KEY, k);
}

void ns_columns_init(void)
{
	char err[NSMON_ERR_MAX];
	size_t i, na = 0, o;
	int k;

	if (ns_colset.n)
		return;
	if (hist_init(err, sizeof(err)))
		fail("%s", err);
	for (k = 0; k < NSK_COUNT; k++) {
		const char *key = nsmon_ns_keys[k];

		for (o = 0; key[o] && o + 1 < sizeof(keycol[k]); o++)
			keycol[k][o] = (char)toupper((unsigned char)key[o]);
		keycol[k][o] = '\0';
		for (i = 0; i < sizeof(nicer) / sizeof(nicer[0]); i++)
			if (!strcmp(nicer[i].key, key)) {
				snprintf(keycol[k], sizeof(keycol[k]), "%s",
					 nicer[i].name);
				/* the key's own name stays accepted */
				aliases[na++] = (struct colalias){ key, nicer[i].name };
			}
	}
	add(keycol[NSK_INUM], 10, 0, SCOLS_JSON_NUMBER,
	    nsmon_keys[NSK_INUM].help, NC_KEY, NSK_INUM);
	add(keycol[NSK_LEVEL], 1, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	    nsmon_keys[NSK_LEVEL].help, NC_KEY, NSK_LEVEL);
	add(keycol[NSK_PARENT], 10, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	    nsmon_keys[NSK_PARENT].help, NC_KEY, NSK_PARENT);
	add(keycol[NSK_INIT_PID], 5, SCOLS_FL_RIGHT, SCOLS_JSON_NUMBER,
	    nsmon_keys[NSK_INIT_PID].help, NC_KEY, NSK_INIT_PID);
	add("USER", 4, 0, SCOLS_JSON_STRING,
	    "User owning the namespace's init.", NC_USER, -1);
	add("COMMAND", 0.2, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
	    "Command of the namespace's init.", NC_COMMAND, -1);
	add("CONTAINER", 12, 0, SCOLS_JSON_STRING,
	    "Container ID of the init, from its cgroup (12 characters; whole in JSON).",
	    NC_CONTAINER, -1);
	add("RUNTIME", 6, 0, SCOLS_JSON_STRING,
	    "Container runtime (docker, containerd, cri, cri-o, podman, nspawn, lxc, kubernetes).",
	    NC_RUNTIME, -1);
	add("NODENAME", 8, SCOLS_FL_TRUNC, SCOLS_JSON_STRING,
	    "UTS nodename (hostname) of the init.", NC_NODENAME, -1);
	for (k = 0; k < NSK_COUNT; k++) {
		int hi = hist_of_key(k);

		if (hi >= 0 && hists[hi].first == k) {
			/* the histogram as one column, before its buckets */
			const struct hist_def *h = &hists[hi];
			char name[48], help[160];

			for (o = 0; h->name[o]; o++)
				name[o] = (char)toupper((unsigned char)h->name[o]);
			snprintf(name + o, sizeof(name) - o, "_HIST");
			snprintf(help, sizeof(help),
				 "The %d counts %s to %s, comma-separated (JSON: an array).",
				 h->n, nsmon_ns_keys[k], nsmon_ns_keys[k + h->n - 1]);
			add(name, 10, 0, SCOLS_JSON_ARRAY_NUMBER, help, NC_HIST, hi);
		}
		if (nsmon_keys[k].kind != NSMON_KIND_ID)
			add_key(k, 5);
	}
	for (i = 0; i < sizeof(lsns_aliases) / sizeof(lsns_aliases[0]); i++)
		aliases[na++] = lsns_aliases[i];
	aliases[na] = (struct colalias){ NULL, NULL };
}

void comm_of(pid_t pid, char *buf, size_t size)
{
	char path[PATH_MAX], *text, *nl;
	size_t len;

	buf[0] = '\0';
	if (pid <= 0 || proc_path(path, sizeof(path), "%d/comm", (int)pid) ||
	    read_file(path, &text, &len))
		return;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
}

void user_of(pid_t pid, char *buf, size_t size)
{
	char path[PATH_MAX], pwbuf[1024];
	struct passwd pw, *res = NULL;
	struct stat st;

	buf[0] = '\0';
	if (pid <= 0 || proc_path(path, sizeof(path), "%d", (int)pid) ||
	    stat(path, &st))
		return;
	if (!getpwuid_r(st.st_uid, &pw, pwbuf, sizeof(pwbuf), &res) && res)
		snprintf(buf, size, "%s", res->pw_name);
	else
		snprintf(buf, size, "%u", (unsigned int)st.st_uid);
}

bool ns_col_missing(const struct coldef *d, const struct ns_rec *r)
{
	if (d->what == NC_HIST)
		return !ns_has(r, hists[d->key].first);
	return (d->what == NC_KEY || d->what == NC_SECS) && !ns_has(r, d->key);
}

bool ns_col_bucket(const struct coldef *d)
{
	return d->what == NC_KEY && nsmon_keys[d->key].kind == NSMON_KIND_BUCKET;
}

/* The counts of histogram @h in @r, separated by @sep. */
static void fmt_hist(char *buf, size_t size, const struct hist_def *h,
		     const struct ns_rec *r, char sep)
{
	size_t o = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < h->n && o + 1 < size; i++) {
		if (i)
			buf[o++] = sep;
		o += (size_t)snprintf(buf + o, size - o, "%llu",
				      (unsigned long long)r->v[h->first + i]);
	}
}

/* The container columns of namespace @inum. */
static void ctr_fill(int what, uint32_t inum, char *buf, size_t size)
{
	const struct ctr_rec *c = ctr_of_ns(inum);
	const char *s = "";
	size_t len;

	if (!c)
		;
	else if (what == NC_NODENAME)
		s = c->nodename ? c->nodename : "";
	else if (what == NC_RUNTIME)
		s = ctr_runtime_name(c->id.runtime);
	else if (opt.json)
		s = c->id.id;
	else {
		ctr_short(&c->id, buf, size);
		return;
	}
	len = strnlen(s, size - 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
}

void ns_fill(struct table *t, struct libscols_line *ln,
	     const struct ns_rec *r, bool human)
{
	char buf[HIST_MAX_BUCKETS * 22 + NSMON_COMM_MAX];
	size_t i;

	for (i = 0; i < t->nsel; i++) {
		const struct coldef *d = &t->cs->defs[t->sel[i]];

		if (ns_col_missing(d, r)) {
			if (!opt.json)	/* JSON: no data, null */
				table_set(t, ln, i, NS_NOT_AVAILABLE);
			continue;
		}
		switch (d->what) {
		case NC_HIST:
			fmt_hist(buf, sizeof(buf), &hists[d->key], r,
				 opt.json ? '\n' : ',');
			break;
		case NC_KEY:
			/* identity columns never get separators */
			fmt_u64(buf, sizeof(buf), r->v[d->key],
				human && nsmon_keys[d->key].kind != NSMON_KIND_ID);
			break;
		case NC_SECS:
			fmt_secs(buf, sizeof(buf), r->v[d->key], 3);
			break;
		case NC_COMMAND:
			comm_of((pid_t)r->v[NSK_INIT_PID], buf, sizeof(buf));
			break;
		case NC_USER:
			user_of((pid_t)r->v[NSK_INIT_PID], buf, sizeof(buf));
			break;
		case NC_CONTAINER:
		case NC_RUNTIME:
		case NC_NODENAME:
			ctr_fill(d->what, (uint32_t)r->v[NSK_INUM], buf, sizeof(buf));
			break;
		default:
			buf[0] = '\0';
		}
		table_set(t, ln, i, buf);
	}
}
