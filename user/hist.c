// SPDX-License-Identifier: GPL-2.0
/*
 * hist.c - the histograms of include/nsmon/keys.h; see hist.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

struct hist_def hists[HIST_MAX];
int nhists;

static const struct {
	const char *unit, *label;
	double per_s;
} units[] = {
	{ "ns", "nsecs", 1e9 }, { "us", "usecs", 1e6 },
	{ "ms", "msecs", 1e3 }, { "s", "secs", 1 },
};

static int unit_index(const char *unit)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(units[i].unit, unit))
			return (int)i;
	return -1;
}

/*
 * Key @key as <name>_lt_<N><unit> (@ge 0) or <name>_ge_<N><unit> (@ge 1):
 * the name's length and N, or -1.
 */
static int bucket_name(const char *key, const char *unit, size_t *nlen,
		       uint64_t *bound, int *ge)
{
	const char *p = strstr(key, "_lt_"), *q = strstr(key, "_ge_");
	const char *num, *end;
	size_t ul = strlen(unit), l;

	if (p && q)	/* both: ambiguous, refused */
		return -1;
	if (!p)
		p = q;
	if (!p || p == key)
		return -1;
	num = p + 4;
	l = strlen(num);
	if (l <= ul || strcmp(num + l - ul, unit))
		return -1;
	end = num + l - ul;
	if (parse_u64n(num, (size_t)(end - num), UINT64_MAX - 1, bound))
		return -1;
	*nlen = (size_t)(p - key);
	*ge = p == q;
	return 0;
}

static int hist_err(char *err, size_t size, const char *key, const char *why)
{
	snprintf(err, size, "keys.h: bucket key '%s': %s", key, why);
	return -EINVAL;
}

int hist_init(char *err, size_t size)
{
	int k, i;

	if (nhists)
		return 0;
	for (k = 0; k < NSK_COUNT; k++) {
		const struct nsk_info *ki = &nsmon_keys[k];
		struct hist_def *h;
		uint64_t bound;
		size_t nlen;
		int ge, u;

		if (ki->kind != NSMON_KIND_BUCKET)
			continue;
		u = unit_index(ki->unit);
		if (u < 0)
			return hist_err(err, size, ki->key, "unit not ns, us, ms or s");
		if (bucket_name(ki->key, ki->unit, &nlen, &bound, &ge))
			return hist_err(err, size, ki->key,
					"not named NAME_lt_<N><unit> or NAME_ge_<N><unit>");
		h = nhists ? &hists[nhists - 1] : NULL;
		if (h && h->first + h->n == k && strlen(h->name) == nlen &&
		    !strncmp(h->name, ki->key, nlen) &&
		    h->le[h->n - 1] != UINT64_MAX) {
			/* the next bucket of the same histogram */
			if (h->n == HIST_MAX_BUCKETS)
				return hist_err(err, size, ki->key, "too many buckets");
			if (strcmp(h->unit, ki->unit))
				return hist_err(err, size, ki->key, "another unit");
			if (ge ? bound != h->le[h->n - 1] : bound <= h->le[h->n - 1])
				return hist_err(err, size, ki->key,
						ge ? "not the previous upper bound" :
						"bound not above the previous one");
		} else {
			/* a new histogram: its first bucket */
			if (nhists == HIST_MAX)
				return hist_err(err, size, ki->key, "too many histograms");
			if (ge || nlen >= sizeof(h->name) || !bound)
				return hist_err(err, size, ki->key,
						"a histogram starts with NAME_lt_<N><unit>, N > 0");
			h = &hists[nhists++];
			memset(h, 0, sizeof(*h));
			memcpy(h->name, ki->key, nlen);
			h->first = k;
			h->unit = ki->unit;
			h->per_s = units[u].per_s;
			h->sum_key = -1;
		}
		h->le[h->n++] = ge ? UINT64_MAX : bound;
	}
	for (i = 0; i < nhists; i++) {
		struct hist_def *h = &hists[i];

		if (h->le[h->n - 1] != UINT64_MAX)
			return hist_err(err, size, nsmon_keys[h->first + h->n - 1].key,
					"the last bucket is not NAME_ge_<N><unit>");
		for (k = 0; k < NSK_COUNT; k++)
			if (!strncmp(nsmon_keys[k].key, h->name, strlen(h->name)) &&
			    !strcmp(nsmon_keys[k].key + strlen(h->name), "_ns") &&
			    nsmon_keys[k].kind == NSMON_KIND_COUNTER &&
			    !strcmp(nsmon_keys[k].unit, "ns"))
				h->sum_key = k;
	}
	return 0;
}

int hist_of_key(int k)
{
	int i;

	for (i = 0; i < nhists; i++)
		if (k >= hists[i].first && k < hists[i].first + hists[i].n)
			return i;
	return -1;
}

uint64_t hist_lo(const struct hist_def *h, int i)
{
	return i ? h->le[i - 1] : 0;
}

double hist_quantile(const struct hist_def *h, const uint64_t *c, double q)
{
	double total = 0, rank, cum = 0, lo, hi;
	int i;

	for (i = 0; i < h->n; i++)
		total += (double)c[i];
	if (total == 0)
		return NAN;
	rank = q * total;
	for (i = 0; i < h->n - 1; i++) {
		if (cum + (double)c[i] >= rank && c[i])
			break;
		cum += (double)c[i];
	}
	if (i == h->n - 1)
		/* the unbounded bucket: its lower bound */
		return (double)hist_lo(h, i);
	lo = (double)hist_lo(h, i);
	hi = (double)h->le[i];
	return lo + (hi - lo) * (rank - cum) / (double)c[i];
}

void hist_chart(FILE *f, const struct hist_def *h, const uint64_t *c)
{
	int first = -1, last = -1, i, s, cw = 8, stars;
	const char *label = units[unit_index(h->unit)].label;
	uint64_t max = 0;
	char hi[32];

	for (i = 0; i < h->n; i++) {
		if (!c[i])
			continue;
		if (first < 0)
			first = i;
		last = i;
		if (c[i] > max)
			max = c[i];
	}
	if (first < 0)
		return;
	snprintf(hi, sizeof(hi), "%llu", (unsigned long long)max);
	if ((int)strlen(hi) > cw)
		cw = (int)strlen(hi);
	fprintf(f, "%5s%-19s : %-*s distribution\n", "", label, cw, "count");
	for (i = first; i <= last; i++) {
		if (h->le[i] == UINT64_MAX)
			snprintf(hi, sizeof(hi), "inf");
		else
			snprintf(hi, sizeof(hi), "%llu", (unsigned long long)h->le[i]);
		fprintf(f, "%10llu -> %-10s : %-*llu |",
			(unsigned long long)hist_lo(h, i), hi, cw,
			(unsigned long long)c[i]);
		stars = (int)((unsigned __int128)c[i] * 40 / max);
		for (s = 0; s < 40; s++)
			fputc(s < stars ? '*' : ' ', f);
		fputs("|\n", f);
	}
}

const char *fmt_float(char *buf, size_t size, double x)
{
	const char *e;
	int p, exp;

	if (isinf(x)) {
		snprintf(buf, size, x > 0 ? "+Inf" : "-Inf");
		return buf;
	}
	if (isnan(x)) {
		snprintf(buf, size, "NaN");
		return buf;
	}
	if (x == 0) {
		snprintf(buf, size, "0");
		return buf;
	}
	for (p = 1; p < 17; p++) {
		snprintf(buf, size, "%.*e", p - 1, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	snprintf(buf, size, "%.*e", p - 1, x);
	e = strchr(buf, 'e');
	exp = e ? atoi(e + 1) : 0;
	/* Go's 'g' with the shortest precision: %e when the exponent is
	 * below -4 or 6 and above */
	if (exp < -4 || exp >= 6)
		return buf;
	snprintf(buf, size, "%.*f", p - 1 - exp > 0 ? p - 1 - exp : 0, x);
	return buf;
}
