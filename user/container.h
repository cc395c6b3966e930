/* SPDX-License-Identifier: GPL-2.0 */
/*
 * container.h - which container a PID namespace is: the container
 * runtime's ID parsed out of the cgroup v2 path of the namespace's init
 * (from /proc/nsmon/containers, or /proc/<init>/cgroup with an older
 * module), and NS arguments given as a container ID or a unique prefix.
 */
#ifndef NSMON_USER_CONTAINER_H
#define NSMON_USER_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum ctr_runtime {
	CTR_NONE,	/* not in a container we know */
	CTR_DOCKER,	/* docker-<id>.scope, /docker/<id> */
	CTR_CONTAINERD,	/* cri-containerd-<id>.scope, nerdctl-<id>.scope */
	CTR_CRI,	/* a bare <id> under a kubepods pod (cgroupfs driver) */
	CTR_CRIO,	/* crio-<id>.scope, crio-<id> */
	CTR_PODMAN,	/* libpod-<id>.scope[/container], libpod-<id> */
	CTR_NSPAWN,	/* machine-<name>.scope, systemd-nspawn@<name>.service */
	CTR_LXC,	/* lxc.payload.<name>, /lxc/<name> */
	CTR_POD,	/* only a Kubernetes pod: id is the pod's UID */
};

#define CTR_ID_MAX	256
#define CTR_POD_MAX	40	/* a UID: 36 characters */

struct ctr_id {
	enum ctr_runtime runtime;
	char id[CTR_ID_MAX];	/* 64 hex digits, a name, or the pod UID */
	char pod[CTR_POD_MAX];	/* the Kubernetes pod's UID, or "" */
};

/* The container that a cgroup v2 path (/proc/PID/cgroup's 0:: line) is
 * in: the deepest path component that names one wins (a container in a
 * container is the inner one); the pod UID from any component.  Returns
 * true if it found a container or a pod; otherwise @c is CTR_NONE. */
bool ctr_from_cgroup(const char *path, struct ctr_id *c);

/* "docker", "containerd", ...; "" for CTR_NONE. */
const char *ctr_runtime_name(enum ctr_runtime rt);

/* The ID as `docker ps` shows it: the first 12 of 64 hex digits; a name
 * whole. */
void ctr_short(const struct ctr_id *c, char *buf, size_t size);

/* Octal escapes (\ooo) undone in place, as the module writes them.
 * Returns 0, or -1 for a malformed escape. */
int ctr_unescape(char *s);

/* The namespaces of the init, in the order of the module's columns. */
enum { CTR_NS_MNT, CTR_NS_NET, CTR_NS_IPC, CTR_NS_UTS, CTR_NS_USER,
	CTR_NS_CGROUP, CTR_NS_TIME, CTR_NS_COUNT };

/* One row of /proc/nsmon/containers. */
struct ctr_rec {
	uint32_t inum;
	pid_t init_pid;
	uint32_t ns[CTR_NS_COUNT];	/* 0: unknown */
	char *nodename;			/* NULL: unknown */
	char *cgroup;			/* NULL: unknown */
	struct ctr_id id;		/* parsed from cgroup */
};

/* /proc/nsmon/containers: header and rows.  *out is malloc()ed, sorted
 * by inum.  Returns 0 or -1 with @err (NSMON_ERR_MAX bytes) set. */
int parse_containers(const char *text, struct ctr_rec **out, size_t *n,
		     char *err);
void ctr_recs_free(struct ctr_rec *r, size_t n);

/* The 0:: line of a /proc/PID/cgroup file, malloc()ed; NULL if none. */
char *ctr_cgroup_v2_line(const char *text);

/* The row of namespace @inum in this process's cached table (read on
 * first use, again when @inum is not in it and it is older than a
 * second), or NULL.  The table is the module's containers file, or,
 * with a module that has none, made from /proc/<init>/cgroup. */
const struct ctr_rec *ctr_of_ns(uint32_t inum);

/* Forget the cached table. */
void ctr_cache_free(void);

/* The namespace of container @arg (an ID, a unique prefix of one, or a
 * name): when several namespaces have that container, the outermost.
 * Returns 0; -ENOENT if none matches; -EEXIST with @err naming the
 * matches if the prefix is ambiguous. */
int ctr_resolve(const char *arg, uint32_t *inum, char *err);

#endif /* NSMON_USER_CONTAINER_H */
