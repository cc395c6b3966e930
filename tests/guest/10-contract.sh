#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The /proc contract against the kernel's ground truth (see nsmon-t.c).
exec nsmon-t contract
