# SPDX-License-Identifier: Apache-2.0
# ota/tool/: mimsi-ota, the over-the-air sender. It reuses the loader's
# transports (libmimsi-loader), the compiler's diff planner (librc) and
# libmimsi-ota; included after host/ and rules-compiler/.

OTA_TOOL_SRCS := $(wildcard ota/tool/ota_tool_*.c)
OTA_TOOL_OBJS := $(OTA_TOOL_SRCS:%.c=$(BUILD)/%.o)
MIMSI_OTA := $(BUILD)/mimsi-ota

$(MIMSI_OTA): $(OTA_TOOL_OBJS) $(LIBLD) $(LIBPLAN) $(LIBRC) $(if $(LD_HAVE_SIM),$(LIBSIM)) $(LIBOTA) \
		$(if $(LD_HAVE_SIM),$(LIBMI_PORTSIM)) $(LIBMC) $(LIBMI)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LD_LIBS) $(RC_LIBS) $(OTA_LIBS)

ALL_TARGETS += $(MIMSI_OTA)
INSTALL_BINS += $(MIMSI_OTA)
