/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watch.h - nsmon watch (watch.c), and what it uses of nsmon.c.
 */
#ifndef NSMON_USER_WATCH_H
#define NSMON_USER_WATCH_H

#include <stdint.h>

int cmd_watch(int argc, char **argv);

/* nsmon.c: the NS argument of a command, and "is the module there?". */
uint32_t resolve_ns(const char *cmd, const char *arg);
void need_module(void);
void __attribute__((noreturn)) print_version(void);

#endif /* NSMON_USER_WATCH_H */
