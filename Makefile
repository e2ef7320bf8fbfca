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
include applet/module.mk
include simulator/module.mk
include rules-compiler/module.mk
include host/module.mk
-include mk/fuzz.mk

.PHONY: all check check-all run run-all bench bench-all card-check install clean deps fuzz

all: $(ALL_TARGETS)

deps:
	@scripts/deps.sh

# The README commands: set up the machine first, then do the work in a
# sub-make so that pkg-config sees the freshly installed libraries.
check: deps
	@$(MAKE) --no-print-directory check-all

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
card-check: $(BUILD)/simulator/tests/bench_nv_writes $(BUILD)/applet/tests/bench_engine
	@BUILD="$(BUILD)" scripts/card-check.sh

install: $(INSTALL_BINS)
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1"
	$(if $(INSTALL_BINS),install -m 0755 $(INSTALL_BINS) "$(DESTDIR)$(PREFIX)/bin/")
	$(if $(wildcard docs/man/*.1),install -m 0644 $(wildcard docs/man/*.1) "$(DESTDIR)$(PREFIX)/share/man/man1/")

clean:
	rm -rf build build-san build-card build-fuzz
