#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A namespace dies, its file goes, its inode number comes back at zero.
exec nsmon-t lifecycle
