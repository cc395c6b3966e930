#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hidepid=invisible: a task with real uid 1000 and effective uid 1001 is hidden from both, as procfs hides it.
exec nsmon-x euid 1000 1001
