#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# namespaces and pids read in pieces of 1, 7, 100 and 4000 bytes: the same rows as a whole read, with 200 namespaces (several seq_file buffers).
exec nsmon-x resume 200
