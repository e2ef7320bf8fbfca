# SPDX-License-Identifier: Apache-2.0
# make fuzz: libFuzzer targets (fuzz/fuzz_<target>.c), built with clang in
# build-fuzz/ (never with the gcc objects of build/), each run for
# FUZZ_SECONDS on its seed corpus fuzz/corpus/<target>/. fuzz/README.md.
#
#   make fuzz                     every target, 30 s each
#   make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS="ctlv ef"
#   make fuzz-build               build only

FUZZ_CC ?= clang
FUZZ_BUILD := build-fuzz
FUZZ_SECONDS ?= 30
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Library code gets the coverage hooks only; the driver comes at link time.
# Warnings are fatal in fuzz/; elsewhere clang's extra ones (gcc is the
# compiler of record) are shown but do not stop the fuzz build.
FUZZ_CFLAGS = $(CSTD) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	$(CPPFLAGS_ALL) -Iapplet/core
fuzz_warn = $(if $(filter fuzz,$(1)),$(WARN),$(filter-out -Werror,$(WARN)))

# fuzz/*.c reach the fake port, the simulator and the compiler headers.
fuzz_CFLAGS = -Iapplet/tests -Ihost/common -Isimulator/uicc -Irules-compiler -Iota $(call pc_cflags,jansson)

FUZZ_ALL := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS := $(FUZZ_ALL:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

# Without clang or its libFuzzer runtime, say what to install and stop.
FUZZ_APT := apt-get install clang libclang-rt-14-dev
ifneq ($(filter fuzz fuzz-build,$(MAKECMDGOALS)),)
ifeq ($(shell command -v $(FUZZ_CC) 2>/dev/null),)
$(error fuzz: $(FUZZ_CC) not found; install it with: $(FUZZ_APT))
endif
ifeq ($(wildcard $(shell $(FUZZ_CC) -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-*.a),)
$(error fuzz: the libFuzzer runtime of $(FUZZ_CC) is missing; install it with: $(FUZZ_APT))
endif
endif

FUZZ_CORE_OBJS := $(MI_CORE_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBMI := $(FUZZ_BUILD)/libmimsi-core.a

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(call fuzz_warn,$(firstword $(subst /, ,$*))) \
		$($(firstword $(subst /, ,$*))_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_LIBMI): $(FUZZ_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

# Extra objects and libraries of the targets that drive a whole component.
FUZZ_EXTRA_applet_envelope := $(FUZZ_BUILD)/applet/tests/fake_port.o
# mi_cat_scan lives beside mi_cat_build, which calls the port
FUZZ_EXTRA_ctlv := $(FUZZ_BUILD)/applet/tests/fake_port.o
FUZZ_EXTRA_uicc_apdu := $(SIM_CARD_SRCS:%.c=$(FUZZ_BUILD)/%.o) \
	$(OTA_SRCS:%.c=$(FUZZ_BUILD)/%.o) $(MI_PORTSIM_SRCS:%.c=$(FUZZ_BUILD)/%.o) \
	$(MC_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBS_uicc_apdu = $(SIM_LIBS)
FUZZ_EXTRA_ota := $(OTA_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBS_ota = $(call pc_libs,openssl)
FUZZ_EXTRA_rc_csv := $(RC_LIB_SRCS:%.c=$(FUZZ_BUILD)/%.o) $(MC_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBS_rc_csv = $(call pc_libs,jansson) $(MC_LIBS)
FUZZ_EXTRA_rc_set := $(FUZZ_EXTRA_rc_csv)
FUZZ_EXTRA_csv := $(MC_SRCS:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_LIBS_csv = $(MC_LIBS)
FUZZ_LIBS_rc_set = $(FUZZ_LIBS_rc_csv)

# keep the objects of the targets (make would delete them as intermediate)
.SECONDARY: $(FUZZ_ALL:%=$(FUZZ_BUILD)/fuzz/fuzz_%.o)

.SECONDEXPANSION:
$(FUZZ_BUILD)/fuzz/fuzz_%: $(FUZZ_BUILD)/fuzz/fuzz_%.o $$(FUZZ_EXTRA_$$*) $(FUZZ_LIBMI)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS_$*) -lm

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

fuzz: fuzz-build
	@FUZZ_BUILD="$(FUZZ_BUILD)" FUZZ_SECONDS="$(FUZZ_SECONDS)" fuzz/run-fuzz.sh $(FUZZ_TARGETS)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
