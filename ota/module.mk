# SPDX-License-Identifier: Apache-2.0
# ota/: libmimsi-ota, the over-the-air codec (TS 102 225/226, TS 31.115,
# TS 23.040) shared by the simulated card and the mimsi-ota tool, with its
# cmocka tests (ota/tests/test_*.c) and vectors (test-vectors/ota/).

OTA_SRCS := $(wildcard ota/ota_*.c)
OTA_OBJS := $(OTA_SRCS:%.c=$(BUILD)/%.o)
LIBOTA := $(BUILD)/libmimsi-ota.a
OTA_LIBS = $(call pc_libs,openssl)

ota_CFLAGS = -Iota -Iapplet/tests -Ihost -Ihost/common -Iplanner -Irules-compiler \
	$(patsubst -I%,-isystem %,$(call pc_cflags,openssl cmocka jansson libpcsclite))

$(LIBOTA): $(OTA_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

OTA_TEST_SRCS := $(wildcard ota/tests/test_*.c)
OTA_TEST_BINS := $(OTA_TEST_SRCS:%.c=$(BUILD)/%)
OTA_BENCH_SRCS := $(wildcard ota/tests/bench_*.c)
OTA_BENCH_BINS := $(OTA_BENCH_SRCS:%.c=$(BUILD)/%)

$(BUILD)/ota/tests/test_%: $(BUILD)/ota/tests/test_%.o $(BUILD)/applet/tests/vec_file.o $(LIBOTA) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(OTA_LIBS) $(call pc_libs,cmocka)

$(BUILD)/ota/tests/bench_%: $(BUILD)/ota/tests/bench_%.o $(LIBOTA) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(OTA_LIBS)

ALL_TARGETS += $(LIBOTA)
TEST_BINS += $(OTA_TEST_BINS)
BENCH_BINS += $(OTA_BENCH_BINS)
CHECK_SCRIPTS += $(wildcard ota/tests/check_*.sh)
BENCH_SCRIPTS += $(wildcard ota/tests/bench_*.sh)
