/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hist.h - the histograms of include/nsmon/keys.h (run-queue latency):
 * a run of NSMON_KIND_BUCKET keys, each named for its upper bound
 * (<name>_lt_<N><unit>; the last one <name>_ge_<N><unit>, no upper bound),
 * is one histogram.  Its total, when keys.h has one, is the key
 * <name>_ns.  From that alone come top's percentiles, show's bar chart
 * and the Prometheus histogram of `nsmon metrics`: no bucket is named in
 * the client.
 */
#ifndef NSMON_USER_HIST_H
#define NSMON_USER_HIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "parse.h"

#define HIST_MAX	4
#define HIST_MAX_BUCKETS	64

struct hist_def {
	char name[32];		/* "wait" */
	int first, n;		/* its keys: first .. first + n - 1 */
	int sum_key;		/* the key <name>_ns, or -1 */
	const char *unit;	/* of the bounds: "us" */
	/* upper bound of each bucket in the unit; the last: none (UINT64_MAX) */
	uint64_t le[HIST_MAX_BUCKETS];
	double per_s;		/* units in one second: 1e6 */
};

extern struct hist_def hists[HIST_MAX];
extern int nhists;

/*
 * Find the histograms in nsmon_keys[] (once).  Returns 0, or -EINVAL with
 * @err saying which key does not fit (a keys.h this code cannot read).
 */
int hist_init(char *err, size_t size);
/* The histogram key @k is a bucket of, or -1. */
int hist_of_key(int k);

/* The lower bound of bucket @i, in the unit (0 for the first). */
uint64_t hist_lo(const struct hist_def *h, int i);

/*
 * The @q quantile (0 < q <= 1) of the @h->n bucket counts @c, in the
 * histogram's unit, as Prometheus' histogram_quantile() computes it: the
 * bucket where the cumulative count reaches q * total, interpolated
 * linearly between its bounds; in the last (unbounded) bucket, its lower
 * bound.  NAN when the counts are all 0.
 */
double hist_quantile(const struct hist_def *h, const uint64_t *c, double q);

/*
 * The bar chart of counts @c, like bcc's print_log2_hist() (runqlat):
 *	     usecs               : count    distribution
 *	         2 -> 4          : 7        |**************          |
 * one row per bucket from the first to the last that is not empty, the
 * range of a row is [low, high) in the unit, the stars are the count
 * over the largest, 40 wide.  Nothing when all are 0.
 */
void hist_chart(FILE *f, const struct hist_def *h, const uint64_t *c);

/*
 * The shortest decimal that reads back as @x (Go's strconv 'g', -1, as
 * Prometheus' client libraries write le="..."): "1e-06", "0.000128",
 * "1.048576".
 */
const char *fmt_float(char *buf, size_t size, double x);

#endif /* NSMON_USER_HIST_H */
