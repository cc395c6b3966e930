// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - the parsers of nsmon(1).  See parse.h, and the /proc contract
 * in README.md, which these follow to the byte.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include <sched.h>

#include <nsmon/nsmon.h>
#include "parse.h"

#define NSK_INFO(key, kind, unit, sum, help) { #key, kind, unit, sum, help },
const struct nsk_info nsmon_keys[NSK_COUNT] = {
	NSMON_NS_KEYS(NSK_INFO, NSK_INFO)
};
#undef NSK_INFO

const char *const nsmon_ns_keys[NSK_COUNT] = {
	NSMON_NS_KEYS(NSMON_KEY_NAME, NSMON_KEY_NAME)
};

const char *ns_header(void)
{
	static char buf[NSK_COUNT * 32];
	size_t o = 0;
	int k;

	if (!buf[0])
		for (k = 0; k < NSK_COUNT; k++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
					      k ? " " : "", nsmon_ns_keys[k]);
	return buf;
}

char *quote_bytes(char *buf, size_t size, const char *s, size_t len,
		  size_t max)
{
	size_t i, o = 0;

	if (!size)
		return buf;
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[8];
		size_t tl;

		if (c == '\r')
			strcpy(tmp, "\\r");
		else if (c == '\n')
			strcpy(tmp, "\\n");
		else if (c == '\t')
			strcpy(tmp, "\\t");
		else if (c < 0x20 || c >= 0x7f || c == '\\')
			snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		}
		tl = strlen(tmp);
		if (o + tl + 1 > size)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
	}
	buf[o] = '\0';
	return buf;
}

/* The largest value each key may have. */
static uint64_t key_max(int k)
{
	switch (k) {
	case NSK_INUM:
	case NSK_PARENT:
		return UINT32_MAX;
	case NSK_LEVEL:
		return NSMON_MAX_LEVELS - 1;
	case NSK_INIT_PID:
		return INT_MAX;
	default:
		return UINT64_MAX;
	}
}

static void seterr(char *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void seterr(char *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err, NSMON_ERR_MAX, fmt, ap);
	va_end(ap);
}

const char *errno_name(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "E?";
}

/* An I/O error on @path: "PATH: Text (ENAME)". */
static int ioerr(char *err, const char *path, int e)
{
	seterr(err, "%s: %s (%s)", path, strerror(e), errno_name(e));
	return -e;
}

int parse_u64n(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d = (unsigned int)(s[i] - '0');

		if (v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	return parse_u64n(s, strlen(s), max, out);
}

int parse_inum(const char *s, uint32_t *out)
{
	uint64_t v;
	int ret = parse_u64(s, UINT32_MAX, &v);

	if (!ret)
		*out = (uint32_t)v;
	return ret;
}

int parse_pid(const char *s, pid_t *out)
{
	uint64_t v;
	int ret = parse_u64(s, INT_MAX, &v);

	if (!ret)
		*out = (pid_t)v;
	return ret;
}

/* Describe a failed number parse. */
static int numerr(char *err, int line, const char *what, const char *s,
		  size_t len, int ret)
{
	char q[200];

	seterr(err, "line %d: %s '%s' for %s", line,
	       ret == -ERANGE ? "out of range value" : "malformed number",
	       quote_bytes(q, sizeof(q), s, len, 40), what);
	return -EINVAL;
}

/*
 * The next line of @text at *pos: [*start, *start + *len), without its
 * newline.  Returns 0 at the end, 1 for a line, -EINVAL for a last line
 * without newline.
 */
static int next_line(const char *text, size_t *pos, const char **start,
		     size_t *len)
{
	const char *s = text + *pos, *nl;

	if (!*s)
		return 0;
	nl = strchr(s, '\n');
	if (!nl)
		return -EINVAL;
	*start = s;
	*len = (size_t)(nl - s);
	*pos += *len + 1;
	return 1;
}

static int is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

_Static_assert((int)NSK_WAIT_FIRST == (int)NSMON_KEY_wait_ns,
	       "the run-queue latency keys follow the base keys");
_Static_assert(NSK_WAIT_END - NSK_WAIT_FIRST == 1 + NSMON_WAIT_BUCKETS,
	       "wait_ns and the histogram's buckets");

/* Is [s, s + len) the name of key @k? */
static bool is_key(const char *s, size_t len, int k)
{
	return len == strlen(nsmon_ns_keys[k]) && !memcmp(s, nsmon_ns_keys[k], len);
}

/*
 * Where wait_ns would be, is [s, s + len) (or the end: @s NULL) the key
 * of a module without the wait keys?  Any other key, or the end, is; one
 * of the wait keys out of its place is not.
 */
static bool no_wait_keys(const char *s, size_t len)
{
	int k;

	for (k = NSK_WAIT_FIRST; s && k < NSK_WAIT_END; k++)
		if (is_key(s, len, k))
			return false;
	return true;
}

int parse_ns_file(const char *text, struct ns_rec *r, char *err)
{
	size_t pos = 0, len, klen;
	const char *s, *sp;
	int line = 0, k = 0, ret;
	bool no_wait = false;
	uint64_t v;

	memset(r, 0, sizeof(*r));
	while ((ret = next_line(text, &pos, &s, &len)) > 0) {
		line++;
		sp = memchr(s, ' ', len);
		if (!sp) {
			seterr(err, "line %d: not a 'key value' line", line);
			return -EINVAL;
		}
		klen = (size_t)(sp - s);
		if (k == NSK_WAIT_FIRST && no_wait_keys(s, klen)) {
			/* No CONFIG_SCHED_INFO: none of the wait keys. */
			no_wait = true;
			k = NSK_WAIT_END;
		}
		if (k < NSK_COUNT) {
			if (!is_key(s, klen, k)) {
				char q[200];

				seterr(err, "line %d: expected key '%s', found '%s'",
				       line, nsmon_ns_keys[k],
				       quote_bytes(q, sizeof(q), s, klen, 40));
				return -EINVAL;
			}
		} else {
			/* More keys may follow: any "key number" line. */
			size_t i;

			for (i = 0; i < klen; i++)
				if (!is_key_char(s[i]))
					break;
			if (!klen || i < klen) {
				seterr(err, "line %d: malformed key", line);
				return -EINVAL;
			}
		}
		ret = parse_u64n(sp + 1, len - klen - 1,
				 k < NSK_COUNT ? key_max(k) : UINT64_MAX, &v);
		if (ret)
			return numerr(err, line, k < NSK_COUNT ?
				      nsmon_ns_keys[k] : "an extra key",
				      sp + 1, len - klen - 1, ret);
		if (k < NSK_COUNT)
			r->v[k] = v;
		k++;
	}
	if (ret < 0) {
		seterr(err, "line %d: no newline at the end", line + 1);
		return -EINVAL;
	}
	if (k == NSK_WAIT_FIRST) {
		/* The file ends where the wait keys would start. */
		no_wait = true;
		k = NSK_WAIT_END;
	}
	if (k < NSK_COUNT) {
		seterr(err, "missing key '%s'", nsmon_ns_keys[k]);
		return -EINVAL;
	}
	r->has_wait = !no_wait;
	return 0;
}

/*
 * Split [s, s + len) at runs of spaces and tabs into at most @max fields;
 * no leading or trailing blanks.  Returns the number of fields or -EINVAL.
 */
static int split_fields(const char *s, size_t len, const char **f,
			size_t *flen, int max)
{
	size_t i = 0;
	int n = 0;

	if (!len || s[0] == ' ' || s[0] == '\t' ||
	    s[len - 1] == ' ' || s[len - 1] == '\t')
		return -EINVAL;
	while (i < len) {
		size_t b = i;

		while (i < len && s[i] != ' ' && s[i] != '\t')
			i++;
		if (n == max)
			return -EINVAL;
		f[n] = s + b;
		flen[n] = i - b;
		n++;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	return n;
}

#define NSMON_MAX_COLUMNS	128

static int cmp_ns_inum(const void *a, const void *b)
{
	const struct ns_rec *x = a, *y = b;

	return x->v[NSK_INUM] < y->v[NSK_INUM] ? -1 :
	       x->v[NSK_INUM] > y->v[NSK_INUM];
}

long find_ns(const struct ns_rec *r, size_t n, uint64_t inum)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].v[NSK_INUM] == inum)
			return (long)mid;
		if (r[mid].v[NSK_INUM] < inum)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int parse_namespaces(const char *text, struct ns_rec **out, size_t *n,
		     char *err)
{
	const char *f[NSMON_MAX_COLUMNS], *s;
	size_t flen[NSMON_MAX_COLUMNS], pos = 0, len, cap = 0, cnt = 0, i;
	struct ns_rec *recs = NULL;
	int ncols, nf, line = 1, ret, k, c, col[NSK_COUNT];
	bool no_wait = false;

	*out = NULL;
	*n = 0;
	ret = next_line(text, &pos, &s, &len);
	if (ret <= 0) {
		seterr(err, ret ? "line 1: no newline at the end" :
		       "empty file: no header line");
		return -EINVAL;
	}
	ncols = split_fields(s, len, f, flen, NSMON_MAX_COLUMNS);
	if (ncols < NSK_WAIT_FIRST) {
		seterr(err, "line 1: not the header '%s'", ns_header());
		return -EINVAL;
	}
	/* The column of each known key: the wait keys may be left out. */
	for (k = 0, c = 0; k < NSK_COUNT; k++) {
		if (k == NSK_WAIT_FIRST &&
		    no_wait_keys(c < ncols ? f[c] : NULL, c < ncols ? flen[c] : 0)) {
			no_wait = true;
			for (; k < NSK_WAIT_END; k++)
				col[k] = -1;
			if (k == NSK_COUNT)
				break;
		}
		if (c == ncols) {
			seterr(err, "line 1: no column '%s' (expected the header '%s')",
			       nsmon_ns_keys[k], ns_header());
			return -EINVAL;
		}
		if (!is_key(f[c], flen[c], k)) {
			char q[200];

			seterr(err, "line 1: column %d is '%s', expected '%s'",
			       c + 1, quote_bytes(q, sizeof(q), f[c], flen[c], 40),
			       nsmon_ns_keys[k]);
			return -EINVAL;
		}
		col[k] = c++;
	}
	while ((ret = next_line(text, &pos, &s, &len)) > 0) {
		line++;
		nf = split_fields(s, len, f, flen, NSMON_MAX_COLUMNS);
		if (nf != ncols) {
			seterr(err, "line %d: %d columns, the header has %d",
			       line, nf < 0 ? 0 : nf, ncols);
			goto fail;
		}
		if (cnt == cap) {
			struct ns_rec *nr;

			cap = cap ? cap * 2 : 16;
			nr = realloc(recs, cap * sizeof(*recs));
			if (!nr) {
				seterr(err, "out of memory");
				free(recs);
				return -ENOMEM;
			}
			recs = nr;
		}
		memset(&recs[cnt], 0, sizeof(recs[cnt]));
		recs[cnt].has_wait = !no_wait;
		for (k = 0; k < NSK_COUNT; k++) {
			if (col[k] < 0)
				continue;
			c = col[k];
			ret = parse_u64n(f[c], flen[c], key_max(k),
					 &recs[cnt].v[k]);
			if (ret) {
				numerr(err, line, nsmon_ns_keys[k], f[c],
				       flen[c], ret);
				goto fail;
			}
		}
		cnt++;
	}
	if (ret < 0) {
		seterr(err, "line %d: no newline at the end", line + 1);
		goto fail;
	}
	/* Sort, then a duplicate is next to its twin: O(n log n). */
	if (cnt > 1) {
		qsort(recs, cnt, sizeof(*recs), cmp_ns_inum);
		for (i = 1; i < cnt; i++)
			if (recs[i].v[NSK_INUM] == recs[i - 1].v[NSK_INUM]) {
				seterr(err, "namespace %llu listed twice",
				       (unsigned long long)recs[i].v[NSK_INUM]);
				goto fail;
			}
	}
	*out = recs;
	*n = cnt;
	return 0;
fail:
	free(recs);
	return -EINVAL;
}

/* A comm as the module prints it: the rest of the line, no control bytes
 * except tab (it escapes newline and backslash). */
static int copy_comm(char *dst, const char *s, size_t len)
{
	size_t i;

	if (len >= NSMON_COMM_MAX)
		return -EINVAL;
	for (i = 0; i < len; i++)
		if (s[i] == '\0')
			return -EINVAL;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* "a,b,c": 1 to NSMON_MAX_LEVELS PIDs. */
static int parse_chain(const char *s, size_t len, pid_t *out, size_t *n)
{
	size_t i = 0, cnt = 0;
	uint64_t v;

	while (1) {
		size_t b = i;

		while (i < len && s[i] != ',')
			i++;
		if (cnt == NSMON_MAX_LEVELS)
			return -ERANGE;
		if (parse_u64n(s + b, i - b, INT_MAX, &v))
			return -EINVAL;
		out[cnt++] = (pid_t)v;
		if (i == len)
			break;
		i++;	/* the comma; a trailing one fails above */
	}
	*n = cnt;
	return 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct pid_rec *x = a, *y = b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

int parse_pids(const char *text, struct pid_rec **out, size_t *n, char *err)
{
	static const char *const what[] = { "pid", "tgid", "ns", "ns_pid",
					    "ns_tgid", "nspid" };
	size_t pos = 0, len, cap = 0, cnt = 0, flen[6], i;
	const char *s, *f[6], *p, *end;
	struct pid_rec *recs = NULL, *r;
	int line = 1, ret, k;
	uint64_t v;

	*out = NULL;
	*n = 0;
	ret = next_line(text, &pos, &s, &len);
	if (ret <= 0 || len != strlen(NSMON_PIDS_COLUMNS) ||
	    memcmp(s, NSMON_PIDS_COLUMNS, len)) {
		seterr(err, "line 1: not the header '%s'", NSMON_PIDS_COLUMNS);
		return -EINVAL;
	}
	while ((ret = next_line(text, &pos, &s, &len)) > 0) {
		line++;
		/* Six fields, each followed by exactly one space; the rest
		 * of the line is comm, which may contain spaces. */
		p = s;
		end = s + len;
		for (k = 0; k < 6; k++) {
			const char *sp = memchr(p, ' ', (size_t)(end - p));

			if (!sp) {
				seterr(err, "line %d: fewer than 7 columns", line);
				goto fail;
			}
			f[k] = p;
			flen[k] = (size_t)(sp - p);
			p = sp + 1;
		}
		if (cnt == cap) {
			struct pid_rec *nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(recs, cap * sizeof(*recs));
			if (!nr) {
				seterr(err, "out of memory");
				free(recs);
				return -ENOMEM;
			}
			recs = nr;
		}
		r = &recs[cnt];
		for (k = 0; k < 5; k++) {
			ret = parse_u64n(f[k], flen[k],
					 k == 2 ? UINT32_MAX : INT_MAX, &v);
			if (ret) {
				numerr(err, line, what[k], f[k], flen[k], ret);
				goto fail;
			}
			switch (k) {
			case 0: r->pid = (pid_t)v; break;
			case 1: r->tgid = (pid_t)v; break;
			case 2: r->ns = (uint32_t)v; break;
			case 3: r->ns_pid = (pid_t)v; break;
			default: r->ns_tgid = (pid_t)v; break;
			}
		}
		if (parse_chain(f[5], flen[5], r->nspid, &r->nlevels)) {
			seterr(err, "line %d: malformed nspid chain '%.*s'", line,
			       (int)(flen[5] > 40 ? 40 : flen[5]), f[5]);
			goto fail;
		}
		if (copy_comm(r->comm, p, (size_t)(end - p))) {
			seterr(err, "line %d: malformed comm", line);
			goto fail;
		}
		cnt++;
	}
	if (ret < 0) {
		seterr(err, "line %d: no newline at the end", line + 1);
		goto fail;
	}
	/* Sort, then a duplicate is next to its twin: O(n log n). */
	if (cnt > 1) {
		qsort(recs, cnt, sizeof(*recs), cmp_pid);
		for (i = 1; i < cnt; i++)
			if (recs[i].pid == recs[i - 1].pid) {
				seterr(err, "pid %d listed twice", recs[i].pid);
				goto fail;
			}
	}
	*out = recs;
	*n = cnt;
	return 0;
fail:
	free(recs);
	return -EINVAL;
}

int format_lookup(char *buf, size_t size, uint32_t inum, pid_t nr)
{
	int len = snprintf(buf, size, "%u %d\n", inum, (int)nr);

	if (len < 0 || (size_t)len >= size || len > NSMON_LOOKUP_MAX)
		return -EINVAL;
	return len;
}

int parse_lookup(const char *text, struct lookup_rec *r, char *err)
{
	static const char *const what[] = { "inum", "nr", "pid", "tgid" };
	const char *p = text, *nl = strchr(text, '\n'), *sp;
	uint64_t v[4];
	int k, ret;

	if (!nl || nl[1]) {
		seterr(err, nl ? "more than one line" : "no newline at the end");
		return -EINVAL;
	}
	for (k = 0; k < 4; k++) {
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp) {
			seterr(err, "fewer than 5 fields");
			return -EINVAL;
		}
		ret = parse_u64n(p, (size_t)(sp - p),
				 k ? INT_MAX : UINT32_MAX, &v[k]);
		if (ret)
			return numerr(err, 1, what[k], p, (size_t)(sp - p), ret);
		p = sp + 1;
	}
	if (copy_comm(r->comm, p, (size_t)(nl - p))) {
		seterr(err, "malformed comm");
		return -EINVAL;
	}
	r->inum = (uint32_t)v[0];
	r->nr = (pid_t)v[1];
	r->pid = (pid_t)v[2];
	r->tgid = (pid_t)v[3];
	return 0;
}

int parse_status_nspid(const char *text, pid_t *nspid, size_t max,
		       size_t *n, char *err)
{
	size_t pos = 0, len, cnt = 0, i, b;
	const char *s;
	uint64_t v;
	int ret;

	while ((ret = next_line(text, &pos, &s, &len)) > 0) {
		if (len < 6 || memcmp(s, "NSpid:", 6))
			continue;
		i = 6;
		while (i < len) {
			if (s[i] != '\t' && s[i] != ' ') {
				seterr(err, "malformed NSpid line");
				return -EINVAL;
			}
			while (i < len && (s[i] == '\t' || s[i] == ' '))
				i++;
			if (i == len)
				break;
			b = i;
			while (i < len && s[i] != '\t' && s[i] != ' ')
				i++;
			if (cnt == max) {
				seterr(err, "more than %zu levels in NSpid", max);
				return -EINVAL;
			}
			if (parse_u64n(s + b, i - b, INT_MAX, &v) || v == 0) {
				seterr(err, "malformed NSpid line");
				return -EINVAL;
			}
			nspid[cnt++] = (pid_t)v;
		}
		if (!cnt) {
			seterr(err, "empty NSpid line");
			return -EINVAL;
		}
		*n = cnt;
		return 0;
	}
	seterr(err, ret < 0 ? "no newline at the end" : "no NSpid line");
	return -EINVAL;
}

const char *proc_root(void)
{
	const char *r = getenv("NSMON_PROC");

	return r && *r ? r : "/proc";
}

int proc_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n, m;

	n = snprintf(buf, size, "%s/", proc_root());
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	va_start(ap, fmt);
	m = vsnprintf(buf + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= size - (size_t)n)
		return -ENAMETOOLONG;
	return 0;
}

int read_file(const char *path, char **text, size_t *len)
{
	size_t cap = 4096, used = 0;
	char *buf, *nb;
	ssize_t r;
	int fd, e;

	*text = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		if (cap - used < 2048) {
			if (cap >= NSMON_READ_MAX) {
				e = EFBIG;
				goto fail;
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				e = ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		r = read(fd, buf + used, cap - used - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			goto fail;
		}
		if (r == 0)
			break;
		used += (size_t)r;
	}
	close(fd);
	buf[used] = '\0';
	if (memchr(buf, '\0', used)) {
		free(buf);
		return -EILSEQ;	/* NUL bytes: not one of our text files */
	}
	*text = buf;
	*len = used;
	return 0;
fail:
	close(fd);
	free(buf);
	return -e;
}

int ns_of_pid(pid_t pid, uint32_t *inum, char *err)
{
	char path[PATH_MAX];
	struct stat st;

	if (proc_path(path, sizeof(path), "%d/ns/pid", (int)pid))
		return ioerr(err, proc_root(), ENAMETOOLONG);
	if (stat(path, &st))
		return ioerr(err, path, errno);
	*inum = (uint32_t)st.st_ino;
	return 0;
}

int ns_of_path(const char *path, uint32_t *inum, char *err)
{
	struct statfs sfs;
	struct stat st;
	int fd, type;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ioerr(err, path, errno);
	if (fstatfs(fd, &sfs) || fstat(fd, &st)) {
		int e = errno;

		close(fd);
		return ioerr(err, path, e);
	}
	if (sfs.f_type != NSFS_MAGIC) {
		close(fd);
		seterr(err, "%s: not a namespace file (like /proc/PID/ns/pid)",
		       path);
		return -ENOTTY;
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	close(fd);
	if (type < 0)
		return ioerr(err, path, errno);
	if (type != CLONE_NEWPID) {
		seterr(err, "%s: not a PID namespace", path);
		return -EINVAL;
	}
	*inum = (uint32_t)st.st_ino;
	return 0;
}

int ns_of_arg(const char *arg, uint32_t *inum, char *err)
{
	int ret;

	if (strchr(arg, '/'))
		return ns_of_path(arg, inum, err);
	ret = parse_inum(arg, inum);
	if (ret)
		seterr(err, "'%s': %s: give the namespace as an inode number, "
		       "--pid PID or a path like /proc/PID/ns/pid", arg,
		       ret == -ERANGE ? "inode number out of range" : "malformed inode number");
	return ret;
}
