#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# 100 namespaces born and dying one after another: each gets its file, starts from
# its own numbers (nothing of a dead one leaks into it), and its file goes.
exec nsmon-x churn 100
