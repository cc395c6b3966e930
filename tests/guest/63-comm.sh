#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A task named with a newline, a backslash, a space and a tab: one pids row and one lookup line, escaped as status Name: is.
exec nsmon-x comm
