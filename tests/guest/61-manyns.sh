#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 24 namespaces switching at once, more than the per-CPU cache holds: each one's switches against the kernel's.
exec nsmon-x manyns 24
