# SPDX-License-Identifier: Apache-2.0
# host/common/: small modules the host tools share (mc_*): the RFC 4180 CSV
# reader on libcsv and the strict JSON getters on jansson. Built into
# libmimsi-hostcommon.a; any tool links it with $(MC_LIBS). Included first by
# the Makefile, so that every module's link lines can name $(LIBMC).

MC_SRCS := $(wildcard host/common/mc_*.c)
MC_OBJS := $(MC_SRCS:%.c=$(BUILD)/%.o)
LIBMC := $(BUILD)/libmimsi-hostcommon.a
# libcsv ships no pkg-config file
MC_LIBS := -lcsv $(call pc_libs,jansson)

$(BUILD)/host/common/%.o: CPPFLAGS_ALL += -Ihost/common

$(LIBMC): $(MC_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

MC_TEST_SRCS := $(wildcard host/common/tests/test_*.c)
MC_TEST_BINS := $(MC_TEST_SRCS:%.c=$(BUILD)/%)

# mc_json decodes hex with the core's mi_hex (libmimsi-core.a, applet/module.mk)
$(BUILD)/host/common/tests/test_%: $(BUILD)/host/common/tests/test_%.o $(LIBMC) $(BUILD)/libmimsi-core.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(MC_LIBS) $(call pc_libs,jansson cmocka)

TEST_BINS += $(MC_TEST_BINS)
