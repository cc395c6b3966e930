// SPDX-License-Identifier: GPL-2.0
/*
 * container.c - which container a PID namespace is; see container.h.
 *
 * The runtimes name a container's cgroup after its ID, in these shapes
 * (systemd cgroup driver first, then cgroupfs):
 *
 *   docker       /system.slice/docker-<64 hex>.scope, /docker/<64 hex>
 *   containerd   .../kubepods-<qos>-pod<uid_>.slice/cri-containerd-<64 hex>.scope,
 *                nerdctl-<64 hex>.scope
 *   CRI (kubelet, cgroupfs driver)  /kubepods/<qos>/pod<uid>/<64 hex>
 *   CRI-O        .../crio-<64 hex>.scope (crio-conmon-<id>.scope is its
 *                monitor, not the container), /kubepods/.../pod<uid>/crio-<64 hex>
 *   podman       /machine.slice/libpod-<64 hex>.scope, rootless
 *                .../user.slice/libpod-<64 hex>.scope/container,
 *                /libpod_parent/libpod-<64 hex> (libpod-conmon-: monitor)
 *   nspawn       /machine.slice/machine-<name>.scope[/payload/...],
 *                /machine.slice/systemd-nspawn@<name>.service
 *   LXC          /lxc.payload.<name> (4.0+), /lxc/<name> (lxc.monitor.: monitor)
 *   Kubernetes   kubepods-<qos>-pod<uid with _ for ->.slice, kubepods/<qos>/pod<uid>
 *
 * systemd escapes a unit name's special characters as \xNN (a '-' in an
 * nspawn machine's name is \x2d): undone here.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nsmon/nsmon.h>
#include "container.h"
#include "output.h"
#include "parse.h"

static const char *const rt_names[] = {
	[CTR_NONE] = "", [CTR_DOCKER] = "docker",
	[CTR_CONTAINERD] = "containerd", [CTR_CRI] = "cri",
	[CTR_CRIO] = "cri-o", [CTR_PODMAN] = "podman",
	[CTR_NSPAWN] = "nspawn", [CTR_LXC] = "lxc", [CTR_POD] = "kubernetes",
};

const char *ctr_runtime_name(enum ctr_runtime rt)
{
	return (size_t)rt < sizeof(rt_names) / sizeof(rt_names[0]) ?
	       rt_names[rt] : "";
}

static bool is_hex64(const char *s, size_t len)
{
	size_t i;

	if (len != 64)
		return false;
	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]) &&
		    !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

/* Does [s, s + len) start with @p, and end with @suf? */
static bool has(const char *s, size_t len, const char *p)
{
	size_t n = strlen(p);

	return len >= n && !memcmp(s, p, n);
}

static bool ends(const char *s, size_t len, const char *suf)
{
	size_t n = strlen(suf);

	return len >= n && !memcmp(s + len - n, suf, n);
}

/* A systemd unit name's \xNN escapes undone, into @out (size CTR_ID_MAX). */
static bool unit_unescape(const char *s, size_t len, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\\' && i + 3 < len &&
		    s[i + 1] == 'x' && isxdigit((unsigned char)s[i + 2]) &&
		    isxdigit((unsigned char)s[i + 3])) {
			char hx[3] = { s[i + 2], s[i + 3], '\0' };

			c = (char)strtol(hx, NULL, 16);
			i += 3;
		}
		if (o + 1 >= CTR_ID_MAX)
			return false;
		out[o++] = c;
	}
	out[o] = '\0';
	return o > 0;
}

static bool set_id(struct ctr_id *c, enum ctr_runtime rt, const char *s,
		   size_t len)
{
	if (!len || len >= CTR_ID_MAX)
		return false;
	memcpy(c->id, s, len);
	c->id[len] = '\0';
	c->runtime = rt;
	return true;
}

/* <prefix><64 hex><suffix>, or without the suffix if @bare. */
static bool hex_unit(const char *s, size_t len, const char *prefix,
		     const char *suffix, bool bare, const char **id)
{
	size_t p = strlen(prefix), sl = strlen(suffix);

	if (!has(s, len, prefix))
		return false;
	if (ends(s, len, suffix) && is_hex64(s + p, len - p - sl)) {
		*id = s + p;
		return true;
	}
	if (bare && is_hex64(s + p, len - p)) {
		*id = s + p;
		return true;
	}
	return false;
}

/* A Kubernetes pod UID: 8-4-4-4-12 hex digits, '_' for '-' if @us. */
static bool pod_uid(const char *s, size_t len, bool us, char *out)
{
	size_t i;

	if (len != 36)
		return false;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-' && !(us && c == '_'))
				return false;
			c = '-';
		} else if (!isxdigit((unsigned char)c)) {
			return false;
		}
		out[i] = (char)tolower((unsigned char)c);
	}
	out[len] = '\0';
	return true;
}

/* The pod UID named by one component (kubepods-*pod<uid_>.slice, or
 * pod<uid> under a kubepods component). */
static bool pod_component(const char *s, size_t len, bool under_kubepods,
			  char *out)
{
	const char *p;

	if (has(s, len, "kubepods") && ends(s, len, ".slice")) {
		for (p = s + len - 6; p > s; p--)
			if (p - s >= 3 && !memcmp(p - 3, "pod", 3))
				return pod_uid(p, (size_t)(s + len - 6 - p),
					       true, out);
		return false;
	}
	return under_kubepods && has(s, len, "pod") &&
	       pod_uid(s + 3, len - 3, false, out);
}

/* The component's container, if it names one.  @parent: the component
 * above it (NULL at the top); @kube/@docker/@lxc: whether a component
 * above it is kubepods*, docker, lxc. */
static bool container_component(const char *s, size_t len,
				const char *parent, size_t plen, bool kube,
				bool docker, struct ctr_id *c)
{
	const char *id;

	if (hex_unit(s, len, "docker-", ".scope", false, &id))
		return set_id(c, CTR_DOCKER, id, 64);
	if (hex_unit(s, len, "cri-containerd-", ".scope", false, &id) ||
	    hex_unit(s, len, "nerdctl-", ".scope", false, &id))
		return set_id(c, CTR_CONTAINERD, id, 64);
	if (has(s, len, "crio-conmon-") || has(s, len, "libpod-conmon-"))
		return false;
	if (hex_unit(s, len, "crio-", ".scope", true, &id))
		return set_id(c, CTR_CRIO, id, 64);
	if (hex_unit(s, len, "libpod-", ".scope", true, &id))
		return set_id(c, CTR_PODMAN, id, 64);
	if (has(s, len, "machine-") && ends(s, len, ".scope") && len > 14 &&
	    unit_unescape(s + 8, len - 14, c->id)) {
		c->runtime = CTR_NSPAWN;
		return true;
	}
	if (has(s, len, "systemd-nspawn@") && ends(s, len, ".service") &&
	    len > 23 && unit_unescape(s + 15, len - 23, c->id)) {
		c->runtime = CTR_NSPAWN;
		return true;
	}
	if (has(s, len, "lxc.payload."))
		return set_id(c, CTR_LXC, s + 12, len - 12);
	if (parent && plen == 3 && !memcmp(parent, "lxc", 3))
		return set_id(c, CTR_LXC, s, len);
	if (is_hex64(s, len)) {
		if (docker)
			return set_id(c, CTR_DOCKER, s, len);
		if (kube)
			return set_id(c, CTR_CRI, s, len);
	}
	return false;
}

#define CTR_MAX_DEPTH	256

bool ctr_from_cgroup(const char *path, struct ctr_id *c)
{
	const char *start[CTR_MAX_DEPTH];
	size_t len[CTR_MAX_DEPTH], n = 0, i;
	bool kube[CTR_MAX_DEPTH], docker[CTR_MAX_DEPTH], k = false, d = false;
	const char *p = path;

	memset(c, 0, sizeof(*c));
	if (!path)
		return false;
	/* The components, and what lies above each. */
	while (*p && n < CTR_MAX_DEPTH) {
		const char *e;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		e = strchrnul(p, '/');
		start[n] = p;
		len[n] = (size_t)(e - p);
		kube[n] = k;
		docker[n] = d;
		if (has(p, len[n], "kubepods"))
			k = true;
		if (len[n] == 6 && !memcmp(p, "docker", 6))
			d = true;
		n++;
		p = e;
	}
	for (i = 0; i < n && !c->pod[0]; i++)
		pod_component(start[i], len[i], kube[i], c->pod);
	for (i = n; i-- > 0;) {
		if (container_component(start[i], len[i],
					i ? start[i - 1] : NULL,
					i ? len[i - 1] : 0, kube[i],
					docker[i], c))
			return true;
	}
	c->id[0] = '\0';
	if (c->pod[0]) {
		c->runtime = CTR_POD;
		snprintf(c->id, sizeof(c->id), "%s", c->pod);
		return true;
	}
	c->runtime = CTR_NONE;
	return false;
}

void ctr_short(const struct ctr_id *c, char *buf, size_t size)
{
	if (is_hex64(c->id, strlen(c->id)))
		snprintf(buf, size, "%.12s", c->id);
	else
		snprintf(buf, size, "%s", c->id);
}

int ctr_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if (s[1] < '0' || s[1] > '3' || s[2] < '0' || s[2] > '7' ||
		    s[3] < '0' || s[3] > '7')
			return -1;
		*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			      (s[3] - '0'));
		s += 3;
	}
	*o = '\0';
	return 0;
}

static void cerr(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cerr(char *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, NSMON_ERR_MAX, fmt, ap);
	va_end(ap);
}

void ctr_recs_free(struct ctr_rec *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].nodename);
		free(r[i].cgroup);
	}
	free(r);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct ctr_rec *x = a, *y = b;

	return (x->inum > y->inum) - (x->inum < y->inum);
}

/* The next space-separated token of *@p, NUL-terminated in place. */
static char *token(char **p)
{
	char *s = *p, *e;

	if (!*s || *s == ' ')
		return NULL;
	e = strchr(s, ' ');
	if (e) {
		*e = '\0';
		*p = e + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

/* One row (a line without its newline, modified in place). */
static int parse_row(char *line, struct ctr_rec *r, char *err)
{
	char *p = line, *t, *rest;
	uint64_t v;
	int i;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < 2 + CTR_NS_COUNT; i++) {
		t = token(&p);
		if (!t || parse_u64(t, i == 1 ? INT32_MAX : UINT32_MAX, &v)) {
			cerr(err, "malformed row: field %d", i + 1);
			return -1;
		}
		if (i == 0)
			r->inum = (uint32_t)v;
		else if (i == 1)
			r->init_pid = (pid_t)v;
		else
			r->ns[i - 2] = (uint32_t)v;
	}
	t = token(&p);
	rest = p;
	if (!t || !*rest) {
		cerr(err, "malformed row of namespace %u: no nodename or cgroup",
		     r->inum);
		return -1;
	}
	if (strcmp(t, "-")) {
		r->nodename = xstrdup(t);
		if (ctr_unescape(r->nodename)) {
			cerr(err, "namespace %u: malformed nodename", r->inum);
			return -1;
		}
	}
	if (strcmp(rest, "-")) {
		r->cgroup = xstrdup(rest);
		if (ctr_unescape(r->cgroup)) {
			cerr(err, "namespace %u: malformed cgroup path", r->inum);
			return -1;
		}
		ctr_from_cgroup(r->cgroup, &r->id);
	}
	return 0;
}

int parse_containers(const char *text, struct ctr_rec **out, size_t *n,
		     char *err)
{
	const char *hdr = NSMON_CONTAINERS_COLUMNS;
	size_t cap = 16, cnt = 0, i;
	struct ctr_rec *recs;
	char *copy, *line, *save = NULL;

	*out = NULL;
	*n = 0;
	/* The header, exactly: cgroup is the rest of the line, so the
	 * file gets no new columns. */
	if (strncmp(text, hdr, strlen(hdr)) || text[strlen(hdr)] != '\n') {
		cerr(err, "unexpected header (not \"%s\")", hdr);
		return -1;
	}
	copy = xstrdup(strchr(text, '\n') ? strchr(text, '\n') + 1 : "");
	recs = xcalloc(cap, sizeof(*recs));
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (cnt == cap) {
			struct ctr_rec *nr = xcalloc(cap * 2, sizeof(*nr));

			memcpy(nr, recs, cap * sizeof(*recs));
			free(recs);
			recs = nr;
			cap *= 2;
		}
		if (parse_row(line, &recs[cnt], err)) {
			ctr_recs_free(recs, cnt + 1);
			free(copy);
			return -1;
		}
		cnt++;
	}
	free(copy);
	qsort(recs, cnt, sizeof(*recs), cmp_rec);
	for (i = 1; i < cnt; i++)
		if (recs[i].inum == recs[i - 1].inum) {
			cerr(err, "namespace %u listed twice", recs[i].inum);
			ctr_recs_free(recs, cnt);
			return -1;
		}
	*out = recs;
	*n = cnt;
	return 0;
}

char *ctr_cgroup_v2_line(const char *text)
{
	const char *p = text;

	while (p && *p) {
		const char *e = strchrnul(p, '\n');

		if (!strncmp(p, "0::", 3)) {
			char *s = xcalloc(1, (size_t)(e - p - 3) + 1);

			memcpy(s, p + 3, (size_t)(e - p - 3));
			return s;
		}
		p = *e ? e + 1 : NULL;
	}
	return NULL;
}

/* ---- the cached table -------------------------------------------------- */

static struct {
	bool loaded;
	struct timespec at;
	struct ctr_rec *recs;
	size_t n;
	struct ns_rec *ns;	/* the namespaces table, for levels */
	size_t nns;
} cache;

void ctr_cache_free(void)
{
	ctr_recs_free(cache.recs, cache.n);
	free(cache.ns);
	memset(&cache, 0, sizeof(cache));
}

/* An older module: the rows from the namespaces table and /proc. */
static void load_fallback(void)
{
	size_t i;

	cache.recs = xcalloc(cache.nns ? cache.nns : 1, sizeof(*cache.recs));
	cache.n = cache.nns;
	for (i = 0; i < cache.nns; i++) {
		struct ctr_rec *r = &cache.recs[i];
		char path[PATH_MAX], *text;
		size_t len;

		r->inum = (uint32_t)cache.ns[i].v[NSK_INUM];
		r->init_pid = (pid_t)cache.ns[i].v[NSK_INIT_PID];
		if (r->init_pid <= 0 ||
		    proc_path(path, sizeof(path), "%d/cgroup", (int)r->init_pid) ||
		    read_file(path, &text, &len))
			continue;
		r->cgroup = ctr_cgroup_v2_line(text);
		free(text);
		if (r->cgroup)
			ctr_from_cgroup(r->cgroup, &r->id);
	}
}

static void load(void)
{
	char path[PATH_MAX], err[NSMON_ERR_MAX], *text;
	size_t len;

	static bool registered;

	if (!registered && !atexit(ctr_cache_free))
		registered = true;
	ctr_cache_free();
	cache.loaded = true;
	clock_gettime(CLOCK_MONOTONIC, &cache.at);
	if (!proc_path(path, sizeof(path), "%s/%s", NSMON_PROC_DIR,
		       NSMON_PROC_NAMESPACES) &&
	    !read_file(path, &text, &len)) {
		if (parse_namespaces(text, &cache.ns, &cache.nns, err)) {
			cache.ns = NULL;
			cache.nns = 0;
		}
		free(text);
	}
	if (!proc_path(path, sizeof(path), "%s/%s", NSMON_PROC_DIR,
		       NSMON_PROC_CONTAINERS) &&
	    !read_file(path, &text, &len)) {
		if (parse_containers(text, &cache.recs, &cache.n, err))
			fail("%s: %s", path, err);
		free(text);
		return;
	}
	load_fallback();
}

static const struct ctr_rec *find(uint32_t inum)
{
	size_t lo = 0, hi = cache.n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cache.recs[mid].inum == inum)
			return &cache.recs[mid];
		if (cache.recs[mid].inum < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ctr_rec *ctr_of_ns(uint32_t inum)
{
	const struct ctr_rec *r;
	struct timespec now;

	if (!cache.loaded)
		load();
	r = find(inum);
	if (r)
		return r;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec - cache.at.tv_sec >= 1) {
		load();
		r = find(inum);
	}
	return r;
}

static uint64_t level_of(uint32_t inum)
{
	long i = find_ns(cache.ns, cache.nns, inum);

	return i < 0 ? UINT64_MAX : cache.ns[i].v[NSK_LEVEL];
}

int ctr_resolve(const char *arg, uint32_t *inum, char *err)
{
	const struct ctr_rec *best = NULL, *other = NULL;
	size_t i, alen = strlen(arg);

	load();
	if (!alen)
		return -ENOENT;
	for (i = 0; i < cache.n; i++) {
		const struct ctr_rec *r = &cache.recs[i];

		if (r->id.runtime == CTR_NONE ||
		    strncmp(r->id.id, arg, alen))
			continue;
		/* An exact name or ID beats a longer one it prefixes. */
		if (best && strcmp(best->id.id, r->id.id)) {
			bool be = !strcmp(best->id.id, arg);
			bool re = !strcmp(r->id.id, arg);

			if (be == re) {
				other = r;
				continue;
			}
			if (be)
				continue;
			best = r;
			other = NULL;
			continue;
		}
		/* The same container in several namespaces: the outermost. */
		if (!best || level_of(r->inum) < level_of(best->inum))
			best = r;
	}
	if (!best)
		return -ENOENT;
	if (other) {
		size_t o, shown = 0;

		/* Every ID it matches, each once (the first few). */
		o = (size_t)snprintf(err, NSMON_ERR_MAX,
				     "container ID prefix '%s' is ambiguous: it matches",
				     arg);
		for (i = 0; i < cache.n && o < NSMON_ERR_MAX; i++) {
			const struct ctr_rec *r = &cache.recs[i];
			char sh[16];
			size_t j;

			if (r->id.runtime == CTR_NONE ||
			    strncmp(r->id.id, arg, alen))
				continue;
			for (j = 0; j < i; j++)
				if (cache.recs[j].id.runtime != CTR_NONE &&
				    !strcmp(cache.recs[j].id.id, r->id.id))
					break;
			if (j < i)
				continue;
			ctr_short(&r->id, sh, sizeof(sh));
			o += (size_t)snprintf(err + o, NSMON_ERR_MAX - o, "%s %s",
					      shown ? "," : "", sh);
			if (++shown == 6)
				break;
		}
		if (o < NSMON_ERR_MAX)
			snprintf(err + o, NSMON_ERR_MAX - o, "%s",
				 i < cache.n ? ", ..." : "");
		return -EEXIST;
	}
	*inum = best->inum;
	return 0;
}
