#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# io_uring threads (made by create_io_thread(), no sched_process_fork) are counted (see nsmon-x.c).
exec nsmon-x iouring
