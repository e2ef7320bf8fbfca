# SPDX-License-Identifier: Apache-2.0
# host/: mimsi-card, the PC/SC loader. Transports (pcsc, nfc when libnfc is
# there, and the in-process simulator) are ops tables; everything but main.c
# goes into libmimsi-loader.a, which the cmocka tests link as well.

HAVE_LIBNFC := $(shell pkg-config --exists libnfc 2>/dev/null && echo 1)
# The in-process simulator transport needs the simulator's card library.
LD_HAVE_SIM := $(if $(wildcard simulator/uicc/*.c),1)

LD_ALL_SRCS := $(filter-out host/ld_main.c,$(wildcard host/*.c))
LD_SRCS := $(LD_ALL_SRCS)
ifneq ($(HAVE_LIBNFC),1)
LD_SRCS := $(filter-out host/ld_nfc.c,$(LD_SRCS))
endif
ifneq ($(LD_HAVE_SIM),1)
LD_SRCS := $(filter-out host/ld_sim.c,$(LD_SRCS))
endif
LD_OBJS := $(LD_SRCS:%.c=$(BUILD)/%.o)
LIBLD := $(BUILD)/libmimsi-loader.a

# pkg-config -I paths as -isystem: warnings in library headers are not ours.
ld_isys = $(patsubst -I%,-isystem %,$(call pc_cflags,$(1)))
host_CFLAGS = -Ihost -Ihost/common -Iplanner -Isimulator/uicc -Iapplet/port/sim -Iota \
	$(call ld_isys,libpcsclite $(if $(HAVE_LIBNFC),libnfc) cmocka openssl jansson) \
	$(if $(HAVE_LIBNFC),-DHAVE_LIBNFC) $(if $(LD_HAVE_SIM),-DLD_HAVE_SIM)
LD_LINK = $(LIBLD) $(LIBPLAN) $(if $(LD_HAVE_SIM),$(LIBSIM) $(LIBOTA) $(LIBMI_PORTSIM)) $(LIBMC) $(LIBMI)
LD_LIBS = $(call pc_libs,libpcsclite $(if $(HAVE_LIBNFC),libnfc) jansson) \
	$(if $(LD_HAVE_SIM),$(SIM_LIBS)) $(MC_LIBS) -lm

$(LIBLD): $(LD_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

MIMSI_CARD := $(BUILD)/mimsi-card
$(MIMSI_CARD): $(BUILD)/host/ld_main.o $(LD_LINK)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LD_LIBS)

LD_TEST_SRCS := $(wildcard host/tests/test_*.c)
ifneq ($(LD_HAVE_SIM),1)
LD_TEST_SRCS := $(filter-out host/tests/test_tear.c host/tests/test_batch.c \
	host/tests/test_keys.c host/tests/test_info_json.c,$(LD_TEST_SRCS))
endif
LD_TEST_BINS := $(LD_TEST_SRCS:%.c=$(BUILD)/%)
LD_TEST_SUPPORT := $(filter-out $(wildcard host/tests/test_*.c),$(wildcard host/tests/ld_*.c))
LD_TEST_SUPPORT_OBJS := $(LD_TEST_SUPPORT:%.c=$(BUILD)/%.o)

$(BUILD)/host/tests/test_%: $(BUILD)/host/tests/test_%.o $(LD_TEST_SUPPORT_OBJS) $(LD_LINK)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LD_LIBS) $(call pc_libs,cmocka)

ifneq ($(wildcard host/ld_main.c),)
ALL_TARGETS += $(MIMSI_CARD)
INSTALL_BINS += $(MIMSI_CARD)
endif
TEST_BINS += $(LD_TEST_BINS)
CHECK_SCRIPTS += $(wildcard host/tests/check_*.sh)
BENCH_SCRIPTS += $(wildcard host/tests/bench_*.sh)
