#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Sibling and cousin namespaces alive, each with its own procfs, read from the host and from inside: each view sees exactly itself and below.
exec nsmon-x siblings
