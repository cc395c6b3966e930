// SPDX-License-Identifier: GPL-2.0
/*
 * test-container: unit tests of the client's container parser
 * (user/container.c) on the cgroup v2 path shapes the runtimes make, and
 * of its reader of /proc/nsmon/containers.  Run on the host under
 * ASan+UBSan and valgrind by tests/host/client-unit.sh.
 *
 * The paths are the shapes documented by, and seen on hosts running,
 * each runtime: docker (systemd and cgroupfs drivers, rootless, docker in
 * docker), containerd under Kubernetes (systemd driver), kubelet's
 * cgroupfs layout, CRI-O (and its conmon), podman (rootful, rootless with
 * its /container sub-cgroup, cgroupfs, conmon), systemd-nspawn (machined
 * scope and the nspawn@ service, with systemd's \x2d escape), LXC (4.0+
 * and older), and cgroups that are no container at all.
 *
 * Prints "ok - ..." / "not ok - ..." per check; exits 1 if any failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nsmon/nsmon.h>
#include "container.h"
#include "output.h"
#include "parse.h"

#include "check.h"

#define H1 "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"
#define H2 "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b"
#define H3 "abcd73ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b"
#define UID "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define UID_ "0a1b2c3d_4e5f_6789_abcd_ef0123456789"

static void test_paths(void)
{
	static const struct {
		const char *path;
		enum ctr_runtime rt;
		const char *id, *pod, *shortid;
	} cases[] = {
		/* docker, systemd cgroup driver (the default on systemd hosts) */
		{ "/system.slice/docker-" H1 ".scope", CTR_DOCKER, H1, "", "5feceb66ffc8" },
		/* docker, cgroupfs driver */
		{ "/docker/" H1, CTR_DOCKER, H1, "", "5feceb66ffc8" },
		/* rootless docker (systemd user instance) */
		{ "/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" H1 ".scope",
		  CTR_DOCKER, H1, "", NULL },
		/* docker in docker: the inner container */
		{ "/docker/" H1 "/docker/" H2, CTR_DOCKER, H2, "", NULL },
		/* a process in a sub-cgroup the container made */
		{ "/system.slice/docker-" H1 ".scope/init.scope", CTR_DOCKER, H1, "", NULL },
		/* containerd under Kubernetes, systemd driver */
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
		  ".slice/cri-containerd-" H1 ".scope", CTR_CONTAINERD, H1, UID, NULL },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
		  ".slice/cri-containerd-" H2 ".scope", CTR_CONTAINERD, H2, UID, NULL },
		/* a Guaranteed pod: no QoS slice */
		{ "/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" H1 ".scope",
		  CTR_CONTAINERD, H1, UID, NULL },
		/* nerdctl (containerd without Kubernetes), systemd driver */
		{ "/system.slice/nerdctl-" H1 ".scope", CTR_CONTAINERD, H1, "", NULL },
		/* kubelet's cgroupfs driver (containerd or CRI-O below it) */
		{ "/kubepods/burstable/pod" UID "/" H1, CTR_CRI, H1, UID, NULL },
		{ "/kubepods/pod" UID "/" H2, CTR_CRI, H2, UID, NULL },
		/* CRI-O, systemd driver; conmon is its monitor, in the pod only */
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
		  ".slice/crio-" H1 ".scope", CTR_CRIO, H1, UID, NULL },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
		  ".slice/crio-conmon-" H1 ".scope", CTR_POD, UID, UID, UID },
		/* CRI-O, cgroupfs driver */
		{ "/kubepods/besteffort/pod" UID "/crio-" H2, CTR_CRIO, H2, UID, NULL },
		/* podman: rootful, rootless (its /container sub-cgroup), cgroupfs */
		{ "/machine.slice/libpod-" H1 ".scope", CTR_PODMAN, H1, "", "5feceb66ffc8" },
		{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" H1
		  ".scope/container", CTR_PODMAN, H1, "", NULL },
		{ "/libpod_parent/libpod-" H2, CTR_PODMAN, H2, "", NULL },
		{ "/machine.slice/libpod-conmon-" H1 ".scope", CTR_NONE, "", "", NULL },
		/* systemd-nspawn, registered with machined (\x2d is '-') */
		{ "/machine.slice/machine-debian\\x2dbookworm.scope/payload",
		  CTR_NSPAWN, "debian-bookworm", "", "debian-bookworm" },
		{ "/machine.slice/machine-web.scope", CTR_NSPAWN, "web", "", NULL },
		{ "/machine.slice/systemd-nspawn@web.service/payload/init.scope",
		  CTR_NSPAWN, "web", "", "web" },
		/* LXC 4.0+ and older */
		{ "/lxc.payload.c1/init.scope", CTR_LXC, "c1", "", NULL },
		{ "/lxc/c1", CTR_LXC, "c1", "", NULL },
		{ "/lxc.monitor.c1", CTR_NONE, "", "", NULL },
		/* only a pod */
		{ "/kubepods/besteffort/pod" UID, CTR_POD, UID, UID, NULL },
		/* no container */
		{ "/", CTR_NONE, "", "", NULL },
		{ "", CTR_NONE, "", "", NULL },
		{ "/user.slice/user-1000.slice/session-2.scope", CTR_NONE, "", "", NULL },
		{ "/system.slice/docker.service", CTR_NONE, "", "", NULL },
		{ "/system.slice/containerd.service", CTR_NONE, "", "", NULL },
		{ "/init.scope", CTR_NONE, "", "", NULL },
		{ "/../..", CTR_NONE, "", "", NULL },
		/* almost IDs */
		{ "/docker/5feceb66ffc8", CTR_NONE, "", "", NULL },
		{ "/docker/" H1 "0", CTR_NONE, "", "", NULL },
		{ "/system.slice/docker-5FECEB66FFC86F38D952786C6D696C79C2DBC239DD4E91B46729D73A27FB57E9.scope",
		  CTR_NONE, "", "", NULL },
		{ "/system.slice/docker-" H1 ".scopex", CTR_NONE, "", "", NULL },
		{ "/" H1, CTR_NONE, "", "", NULL },
		{ "/kubepods/besteffort/pod0a1b2c3d", CTR_NONE, "", "", NULL },
		{ "/notkube/pod" UID, CTR_NONE, "", "", NULL },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ctr_id c;
		bool found = ctr_from_cgroup(cases[i].path, &c);
		char sh[CTR_ID_MAX];

		check(found == (cases[i].rt != CTR_NONE) && c.runtime == cases[i].rt &&
		      !strcmp(c.id, cases[i].id) && !strcmp(c.pod, cases[i].pod),
		      "cgroup '%s': %s '%s' pod '%s' (got %s '%s' pod '%s')",
		      cases[i].path, ctr_runtime_name(cases[i].rt), cases[i].id,
		      cases[i].pod, ctr_runtime_name(c.runtime), c.id, c.pod);
		if (!cases[i].shortid)
			continue;
		ctr_short(&c, sh, sizeof(sh));
		check(!strcmp(sh, cases[i].shortid), "short ID of '%s': '%s' (got '%s')",
		      cases[i].path, cases[i].shortid, sh);
	}
	check(!ctr_from_cgroup(NULL, &(struct ctr_id){ 0 }), "a NULL path is no container");
}

static void test_unescape(void)
{
	char a[] = "a\\040b\\134c\\012", b[] = "\\055", c[] = "\\000", d[] = "x\\09",
	     e[] = "x\\", f[] = "\\400";

	check(!ctr_unescape(a) && !strcmp(a, "a b\\c\n"), "octal escapes undone: '%s'", a);
	check(!ctr_unescape(b) && !strcmp(b, "-"), "\\055 is '-'");
	check(!ctr_unescape(c) && !strcmp(c, ""), "\\000 is the empty name");
	check(ctr_unescape(d) == -1, "a non-octal escape is malformed");
	check(ctr_unescape(e) == -1, "a lone backslash at the end is malformed");
	check(ctr_unescape(f) == -1, "an escape above \\377 is malformed");
}

static void test_table(void)
{
	const char *good = NSMON_CONTAINERS_COLUMNS "\n"
		"4026531836 1 4026531841 4026531840 4026531839 4026531838 4026531837 4026531835 4026531834 host /init.scope\n"
		"4026532300 0 0 0 0 0 0 0 0 - -\n"
		"4026532200 4242 1 2 3 4 5 6 0 my\\040box\\134 /system.slice/docker-" H1 ".scope/a b\\012c\n"
		"4026532201 4343 1 2 3 4 5 6 7 \\055 /\n";
	struct ctr_rec *r;
	char err[NSMON_ERR_MAX];
	size_t n;

	check(!parse_containers(good, &r, &n, err) && n == 4, "a containers table of 4 rows parses");
	if (n == 4) {
		check(r[0].inum == 4026531836 && r[0].init_pid == 1 &&
		      r[0].ns[CTR_NS_MNT] == 4026531841 && r[0].ns[CTR_NS_TIME] == 4026531834 &&
		      r[0].nodename && !strcmp(r[0].nodename, "host") &&
		      r[0].cgroup && !strcmp(r[0].cgroup, "/init.scope") &&
		      r[0].id.runtime == CTR_NONE, "host row: numbers, nodename, cgroup");
		check(r[1].inum == 4026532200 && r[1].init_pid == 4242 &&
		      !strcmp(r[1].nodename, "my box\\") &&
		      !strcmp(r[1].cgroup, "/system.slice/docker-" H1 ".scope/a b\nc") &&
		      r[1].id.runtime == CTR_DOCKER && !strcmp(r[1].id.id, H1),
		      "sorted by inum; escaped nodename and cgroup path undone; docker ID parsed");
		check(!strcmp(r[2].nodename, "-") && r[2].ns[CTR_NS_TIME] == 7,
		      "a nodename that is '-' itself");
		check(r[3].init_pid == 0 && !r[3].nodename && !r[3].cgroup &&
		      r[3].id.runtime == CTR_NONE, "a row without init: '-' is unknown");
	}
	ctr_recs_free(r, n);

	check(!parse_containers(NSMON_CONTAINERS_COLUMNS "\n", &r, &n, err) && n == 0,
	      "a header-only table is empty");
	ctr_recs_free(r, n);

	static const char *const bad[] = {
		"inum init_pid\n",
		NSMON_CONTAINERS_COLUMNS " newcol\n1 1 1 1 1 1 1 1 1 h /x\n",
		NSMON_CONTAINERS_COLUMNS,
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 h /x\n",
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 1 h\n",
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 1 h \n",
		NSMON_CONTAINERS_COLUMNS "\nx 1 1 1 1 1 1 1 1 h /x\n",
		NSMON_CONTAINERS_COLUMNS "\n1 -1 1 1 1 1 1 1 1 h /x\n",
		NSMON_CONTAINERS_COLUMNS "\n4294967296 1 1 1 1 1 1 1 1 h /x\n",
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 1 h\\9 /x\n",
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 1 h /x\\\n",
		NSMON_CONTAINERS_COLUMNS "\n1 1 1 1 1 1 1 1 1 h /x\n1 2 1 1 1 1 1 1 1 h /y\n",
		NSMON_CONTAINERS_COLUMNS "\n1  1 1 1 1 1 1 1 1 h /x\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = NULL;
		n = 0;
		err[0] = '\0';
		check(parse_containers(bad[i], &r, &n, err) == -1 && !r && n == 0 && err[0],
		      "malformed table %zu refused: %s", i, err);
	}
}

static void test_cgroup_file(void)
{
	char *s;

	s = ctr_cgroup_v2_line("12:pids:/docker/x\n0::/system.slice/docker-" H1 ".scope\n");
	check(s && !strcmp(s, "/system.slice/docker-" H1 ".scope"),
	      "the 0:: line of a hybrid /proc/PID/cgroup");
	free(s);
	s = ctr_cgroup_v2_line("0::/\n");
	check(s && !strcmp(s, "/"), "the 0:: line of a unified one");
	free(s);
	s = ctr_cgroup_v2_line("0::/a");
	check(s && !strcmp(s, "/a"), "a last line without newline");
	free(s);
	check(!ctr_cgroup_v2_line("4:cpu:/\n"), "a v1-only file has none");
	check(!ctr_cgroup_v2_line(""), "an empty file has none");
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		fail("cannot write %s", path);
}

/* ctr_resolve() and ctr_of_ns() over a proc tree of six namespaces. */
static void test_resolve(void)
{
	char dir[] = "/tmp/test-container-XXXXXX", sub[4200], err[NSMON_ERR_MAX];
	char ns[4096], ctr[4096], row[512];
	static const struct { unsigned int inum, level, parent, init; } t[] = {
		{ 100, 0, 0, 1 }, { 200, 1, 100, 20 }, { 300, 2, 200, 30 },
		{ 400, 1, 100, 40 }, { 500, 1, 100, 50 }, { 600, 1, 100, 60 },
	};
	static const char *const cgs[] = {
		"/init.scope", "/docker/" H1, "/docker/" H1 "/sub",
		"/docker/" H3, "/machine.slice/machine-web.scope",
		"/machine.slice/machine-web2.scope",
	};
	const struct ctr_rec *r;
	uint32_t inum = 0;
	size_t i;
	int k;

	if (!mkdtemp(dir))
		fail("mkdtemp");
	snprintf(sub, sizeof(sub), "%s/nsmon", dir);
	mkdir(sub, 0755);
	snprintf(ns, sizeof(ns), "%s\n", ns_header());
	snprintf(ctr, sizeof(ctr), "%s\n", NSMON_CONTAINERS_COLUMNS);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(row, sizeof(row), "%u %u %u %u", t[i].inum, t[i].level,
			 t[i].parent, t[i].init);
		strcat(ns, row);
		for (k = 4; k < NSK_COUNT; k++)
			strcat(ns, " 0");
		strcat(ns, "\n");
		snprintf(row, sizeof(row), "%u %u 1 2 3 4 5 6 7 n%zu %s\n",
			 t[i].inum, t[i].init, i, cgs[i]);
		strcat(ctr, row);
	}
	put(sub, "namespaces", ns);
	put(sub, "containers", ctr);
	setenv("NSMON_PROC", dir, 1);

	check(!ctr_resolve("5feceb66", &inum, err) && inum == 200,
	      "an ID prefix: the outermost of the two namespaces of that container");
	check(!ctr_resolve(H1, &inum, err) && inum == 200, "the whole ID");
	err[0] = '\0';
	check(ctr_resolve("web", &inum, err) == 0 && inum == 500,
	      "a name that is also a prefix of another name: the exact one");
	check(!ctr_resolve("web2", &inum, err) && inum == 600, "the other name");
	check(ctr_resolve("we", &inum, err) == -EEXIST && strstr(err, "web") &&
	      strstr(err, "web2"), "a prefix of two names is ambiguous: %s", err);
	check(ctr_resolve("zzz", &inum, err) == -ENOENT, "no such container");
	r = ctr_of_ns(300);
	check(r && r->id.runtime == CTR_DOCKER && !strcmp(r->id.id, H1) &&
	      r->nodename && !strcmp(r->nodename, "n2"), "ctr_of_ns: the nested namespace's row");
	check(!ctr_of_ns(999), "ctr_of_ns: no row for an unknown namespace");

	/* An older module: no containers file, /proc/<init>/cgroup instead. */
	snprintf(sub, sizeof(sub), "%s/nsmon/containers", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/20", dir);
	mkdir(sub, 0755);
	put(sub, "cgroup", "1:name=systemd:/x\n0::/system.slice/docker-" H2 ".scope\n");
	ctr_cache_free();
	r = ctr_of_ns(200);
	check(r && r->id.runtime == CTR_DOCKER && !strcmp(r->id.id, H2) && !r->nodename &&
	      r->init_pid == 20, "without the module's file: the ID from /proc/<init>/cgroup");
	r = ctr_of_ns(400);
	check(r && r->id.runtime == CTR_NONE && !r->cgroup,
	      "without it, an init whose cgroup file is missing: no container");
	ctr_cache_free();
	unsetenv("NSMON_PROC");
	strcat(sub, "/cgroup");
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/20", dir);
	rmdir(sub);
	snprintf(sub, sizeof(sub), "%s/nsmon/namespaces", dir);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/nsmon", dir);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	test_paths();
	test_unescape();
	test_table();
	test_cgroup_file();
	test_resolve();
	printf("# test-container: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
