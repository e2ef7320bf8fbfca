# SPDX-License-Identifier: Apache-2.0
# mimsi top-level Makefile (GNU make, non-recursive: each folder adds its
# sources, programs, tests and benchmarks through its module.mk).
#
#   make            build everything
#   make check      install missing Debian packages, build, run all tests
#   make check SAN=1  the same with AddressSanitizer + UBSan (own build dir)
#   make run        the demo on the simulated card
#   make bench      benchmarks, printed as figures
#   make card-check freestanding builds of applet/core (host, Cortex-M0, AVR)
#   make install    PREFIX=/usr/local DESTDIR=
#   make fuzz       libFuzzer targets (clang)

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
# keep test objects (pattern-rule intermediates) between runs
.SECONDARY:

include mk/common.mk
include host/common/module.mk
include applet/module.mk
include planner/module.mk
include ota/module.mk
include simulator/module.mk
include rules-compiler/module.mk
include host/module.mk
include ota/tool/module.mk
include $(filter-out host/common/module.mk,$(sort $(wildcard host/*/module.mk)))
-include mk/fuzz.mk

.PHONY: all check check-all run run-all bench bench-all card-check install clean deps fuzz

all: $(ALL_TARGETS)

deps:
	@scripts/deps.sh

# The README commands: set up the machine first, then do the work in a
# sub-make so that pkg-config sees the freshly installed libraries.
check: deps
	@$(MAKE) --no-print-directory check-all

# make install into a temporary prefix, then the README tour from /tmp
CHECK_SCRIPTS += scripts/check_install.sh scripts/check_demo.sh

check-all: $(ALL_TARGETS) $(TEST_BINS)
	@scripts/run-tests.sh "$(BUILD)" $(TEST_BINS) -- $(CHECK_SCRIPTS)

run: deps
	@$(MAKE) --no-print-directory run-all

run-all: $(ALL_TARGETS)
	@BUILD="$(BUILD)" scripts/demo.sh

bench: deps
	@$(MAKE) --no-print-directory bench-all

bench-all: $(ALL_TARGETS) $(BENCH_BINS)
	@BUILD="$(BUILD)" scripts/bench.sh $(BENCH_BINS) -- $(BENCH_SCRIPTS)

# the resource sheet at its end runs two host programs (NV writes, callgrind)
card-check: $(BUILD)/simulator/tests/bench_nv_writes $(BUILD)/applet/tests/bench_engine $(MI_M0_TRACER)
	@BUILD="$(BUILD)" scripts/card-check.sh

# make install: the tools, a man page per tool and per subcommand, the core
# library with its headers and pkg-config file (for card vendors), the docs,
# and the data (worlds, modem profiles, journeys, example plans and tariffs)
# under $(DATADIR), laid out as test-vectors/ is.
BINDIR := $(PREFIX)/bin
LIBDIR := $(PREFIX)/lib
INCDIR := $(PREFIX)/include
MANDIR := $(PREFIX)/share/man
DOCDIR := $(PREFIX)/share/doc/mimsi
INSTALL_MAN := $(wildcard docs/man/*.1)
INSTALL_DOCS := README.md LICENSE $(wildcard docs/*.md)
INSTALL_HEADERS := $(wildcard applet/include/mimsi/*.h)
INSTALL_DATA_DIRS := scenarios scenarios/worlds scenarios/modems scenarios/stock ota $(patsubst test-vectors/%/,%,\
	$(sort $(dir $(wildcard test-vectors/scenarios/rules/*/* test-vectors/rules/valid/*/* \
	test-vectors/rules/valid/*/expected/*))))
MIMSI_CORE_PC := $(BUILD)/mimsi-core.pc

$(MIMSI_CORE_PC): mk/mimsi-core.pc.in $(GEN_BUILD_H)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCDIR@|$(INCDIR)|' \
		-e 's|@VERSION@|$(MIMSI_VERSION)|' $< >$@

install: $(INSTALL_BINS) $(LIBMI) $(MIMSI_CORE_PC)
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" "$(DESTDIR)$(LIBDIR)/pkgconfig" \
		"$(DESTDIR)$(INCDIR)/mimsi" "$(DESTDIR)$(DOCDIR)"
	install -m 0755 $(INSTALL_BINS) "$(DESTDIR)$(BINDIR)/"
	$(if $(INSTALL_MAN),install -m 0644 $(INSTALL_MAN) "$(DESTDIR)$(MANDIR)/man1/")
	install -m 0644 $(LIBMI) "$(DESTDIR)$(LIBDIR)/"
	install -m 0644 $(MIMSI_CORE_PC) "$(DESTDIR)$(LIBDIR)/pkgconfig/"
	install -m 0644 $(INSTALL_HEADERS) "$(DESTDIR)$(INCDIR)/mimsi/"
	install -m 0644 $(INSTALL_DOCS) "$(DESTDIR)$(DOCDIR)/"
	@set -e; for d in $(INSTALL_DATA_DIRS); do \
		install -d "$(DESTDIR)$(DATADIR)/$$d"; \
		for f in test-vectors/$$d/*; do \
			[ -f "$$f" ] && install -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/$$d/"; \
		done; \
	done; echo "installed the data into $(DESTDIR)$(DATADIR)"

clean:
	rm -rf build build-san build-card build-fuzz
