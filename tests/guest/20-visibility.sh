#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# From inside a child namespace with its own procfs.
exec nsmon-t visibility
