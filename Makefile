# SPDX-License-Identifier: GPL-2.0
#
# nsmon top-level Makefile.
#
#   make            build nsmon.ko against KDIR (and the client, if its
#                   libraries are installed)
#   make check      sparse (C=2), W=1, checkpatch --strict and kernel-doc
#                   over the module
#   make test       the full test suite in QEMU (installs what it needs)
#   make test-quick the QEMU suite on Debian's kernel only
#   make demo       boot a VM, make nested namespaces, show /proc/nsmon
#   make kunit      the KUnit suite on the debug kernel
#   make mutants    mutants of module/ against the suite (slow; not in
#                   make test): every one must be caught
#   make bench      benchmarks under QEMU -icount
#   make install    module (modules_install), client and man page
#
# Everything that runs a kernel runs it in QEMU; see README.md, "Tests".
# Kbuild descends into module/ (module/Kbuild: nsmon.ko) and, for a
# kernel with KUnit, tests/kunit/ (nsmon_kunit.ko).

KDIR	?= /lib/modules/$(shell uname -r)/build
PREFIX	?= /usr/local
DESTDIR	?=

export KDIR PREFIX DESTDIR

.PHONY: all module client check test test-quick demo kunit mutants bench \
	install uninstall setup clean

all: module client

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

client:
	$(MAKE) -C user

setup:
	tests/setup.sh

check:
	tests/check.sh

test:
	tests/run-tests.sh --full

test-quick:
	tests/run-tests.sh --quick

demo:
	tests/demo.sh

kunit:
	tests/debug-kernel/kunit.sh

mutants:
	tests/mutants/run.sh

bench:
	tests/bench/run.sh

install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra modules_install
	$(MAKE) -C user install

uninstall:
	rm -f $(DESTDIR)/lib/modules/$(notdir $(patsubst %/build,%,$(KDIR)))/extra/module/nsmon.ko \
		$(DESTDIR)/lib/modules/$(notdir $(patsubst %/build,%,$(KDIR)))/extra/nsmon.ko
	$(MAKE) -C user uninstall

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	-$(MAKE) -C user clean
	rm -rf build
