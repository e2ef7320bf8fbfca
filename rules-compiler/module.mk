# SPDX-License-Identifier: Apache-2.0
# rules-compiler/: mimsi-compile, the sponsor tariffs -> applet EF compiler.
# Every rc_*.c goes into librc (linked by the tool, its tests and its bench);
# main.c is the command line only.

RC_LIB_SRCS := $(wildcard rules-compiler/rc_*.c)
RC_LIB_OBJS := $(RC_LIB_SRCS:%.c=$(BUILD)/%.o)
LIBRC := $(BUILD)/librc.a

rules-compiler_CFLAGS = -Irules-compiler -Ihost/common $(call pc_cflags,jansson cmocka)
RC_LIBS = $(call pc_libs,jansson) $(MC_LIBS)

$(LIBRC): $(RC_LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

MIMSI_COMPILE := $(BUILD)/mimsi-compile
$(MIMSI_COMPILE): $(BUILD)/rules-compiler/main.o $(LIBRC) $(LIBMC) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(RC_LIBS)

RC_TEST_SRCS := $(wildcard rules-compiler/tests/test_*.c)
RC_TEST_BINS := $(RC_TEST_SRCS:%.c=$(BUILD)/%)
RC_BENCH_SRCS := $(wildcard rules-compiler/tests/bench_*.c)
RC_BENCH_BINS := $(RC_BENCH_SRCS:%.c=$(BUILD)/%)
RC_TEST_SUPPORT := $(filter-out $(RC_TEST_SRCS) $(RC_BENCH_SRCS),$(wildcard rules-compiler/tests/*.c))
RC_TEST_SUPPORT_OBJS := $(RC_TEST_SUPPORT:%.c=$(BUILD)/%.o)

$(BUILD)/rules-compiler/tests/test_%: $(BUILD)/rules-compiler/tests/test_%.o $(RC_TEST_SUPPORT_OBJS) $(LIBRC) $(LIBMC) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(RC_LIBS) $(call pc_libs,cmocka)

$(BUILD)/rules-compiler/tests/bench_%: $(BUILD)/rules-compiler/tests/bench_%.o $(RC_TEST_SUPPORT_OBJS) $(LIBRC) $(LIBMC) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(RC_LIBS)

ifneq ($(wildcard rules-compiler/main.c),)
ALL_TARGETS += $(MIMSI_COMPILE)
INSTALL_BINS += $(MIMSI_COMPILE)
endif
TEST_BINS += $(RC_TEST_BINS)
BENCH_BINS += $(RC_BENCH_BINS)
# The vector runner needs mimsi-compile (built by ALL_TARGETS before checks).
CHECK_SCRIPTS += $(wildcard rules-compiler/tests/check_*.sh)
BENCH_SCRIPTS += $(wildcard rules-compiler/tests/bench_*.sh)
