// SPDX-License-Identifier: GPL-2.0
/*
 * tbcount.c - a QEMU TCG plugin (plugin API 1, QEMU 7.2) for
 * tests/bench/profile.sh: guest instructions executed per translation
 * block start address, counted only inside the windows the guest marks.
 *
 * A window starts and stops at a marker instruction the guest executes
 * (tests/bench/guest/bench.c BENCH_MARK()): the 8-byte NOP
 * "nopl 0x4e53XXYY(%rax,%rax,1)" (0f 1f 84 00 YY XX 53 4e), XX the slot
 * (1..NSLOT-1), YY 1 to start and 2 to stop.  Every block has an inline
 * counter (its instruction count added at each execution); a start
 * snapshots the counters, a stop adds what each grew since to the
 * slot's sums.  At exit the plugin writes "slot windows" and
 * "slot address instructions" lines to the file of its out= argument.
 *
 *   qemu-system-x86_64 ... -plugin tbcount.so,out=FILE
 *
 * One vCPU and single-threaded TCG (run-vm.sh): no locking.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define NSLOT		16
#define CHUNK		4096

struct tb_ent {
	uint64_t vaddr;
	uint64_t count;		/* inline counter: instructions run */
	uint64_t base;		/* count at the window's start */
	uint64_t sum[NSLOT];	/* inside windows, per slot */
	struct tb_ent *next;	/* hash chain */
};

static struct tb_ent **hash;
static size_t hash_size = 1 << 20;
static struct tb_ent **chunks;
static size_t nchunks, nents;
static uint64_t windows[NSLOT];
static int open_slot = -1;
static char *out_path;

static struct tb_ent *ent_get(uint64_t vaddr)
{
	size_t h = (size_t)((vaddr * 0x9e3779b97f4a7c15ULL) >> 44) &
		   (hash_size - 1);
	struct tb_ent *e;

	for (e = hash[h]; e; e = e->next)
		if (e->vaddr == vaddr)
			return e;
	if (nents % CHUNK == 0) {
		chunks = realloc(chunks, (nchunks + 1) * sizeof(*chunks));
		chunks[nchunks] = calloc(CHUNK, sizeof(struct tb_ent));
		if (!chunks || !chunks[nchunks])
			abort();
		nchunks++;
	}
	e = &chunks[nents / CHUNK][nents % CHUNK];
	nents++;
	e->vaddr = vaddr;
	e->next = hash[h];
	hash[h] = e;
	return e;
}

#define FOR_EACH_ENT(e, i) \
	for ((i) = 0; (i) < nents && ((e) = &chunks[(i) / CHUNK][(i) % CHUNK]); (i)++)

static void marker(unsigned int vcpu, void *udata)
{
	unsigned int slot = ((uintptr_t)udata >> 8) & 0xff;
	unsigned int what = (uintptr_t)udata & 0xff;
	struct tb_ent *e;
	size_t i;

	(void)vcpu;
	if (slot == 0 || slot >= NSLOT)
		return;
	if (what == 1) {
		FOR_EACH_ENT(e, i)
			e->base = e->count;
		open_slot = slot;
	} else if (what == 2 && open_slot == (int)slot) {
		FOR_EACH_ENT(e, i)
			e->sum[slot] += e->count - e->base;
		windows[slot]++;
		open_slot = -1;
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t i, n = qemu_plugin_tb_n_insns(tb);
	struct tb_ent *e = ent_get(qemu_plugin_tb_vaddr(tb));

	(void)id;
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &e->count, n);
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		const uint8_t *d = qemu_plugin_insn_data(insn);

		if (qemu_plugin_insn_size(insn) == 8 && d[0] == 0x0f &&
		    d[1] == 0x1f && d[2] == 0x84 && d[3] == 0x00 &&
		    d[6] == 0x53 && d[7] == 0x4e)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker,
				QEMU_PLUGIN_CB_NO_REGS,
				(void *)(uintptr_t)(d[4] | d[5] << 8));
	}
}

static void at_exit(qemu_plugin_id_t id, void *p)
{
	FILE *f = fopen(out_path, "w");
	struct tb_ent *e;
	size_t i;
	int s;

	(void)id;
	(void)p;
	if (!f) {
		perror(out_path);
		return;
	}
	for (s = 1; s < NSLOT; s++) {
		if (!windows[s])
			continue;
		fprintf(f, "windows %d %" PRIu64 "\n", s, windows[s]);
		FOR_EACH_ENT(e, i)
			if (e->sum[s])
				fprintf(f, "%d %016" PRIx64 " %" PRIu64 "\n", s,
					e->vaddr, e->sum[s]);
	}
	fclose(f);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info, int argc,
					   char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			out_path = strdup(argv[i] + 4);
	if (!out_path) {
		fprintf(stderr, "tbcount: needs out=FILE\n");
		return -1;
	}
	hash = calloc(hash_size, sizeof(*hash));
	if (!hash)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
