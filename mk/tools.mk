# sroscope's user-space tool and BPF objects, per architecture.
#
# libbpf 1.5 and bpftool come from the kernel tree (scripts/build-bpftools.sh):
# Debian 12's libbpf 1.1 has no struct_ops link mode. vmlinux.h comes from
# the BTF of the project's own kernel, so CO-RE programs match it exactly.

BUILD := build/$(ARCH)
VMROOT := $(BUILD)/vmroot
BPFTOOLS := $(CACHE)/bpftools
BPFTOOL := $(BPFTOOLS)/bin/bpftool
LIBBPF_A := $(BPFTOOLS)/lib/libbpf.a

ifeq ($(ARCH),arm64)
CROSS := aarch64-linux-gnu-
BPF_ARCH := arm64
KBUILD := $(CACHE)/build-arm64
else
CROSS :=
BPF_ARCH := x86
KBUILD := $(CACHE)/build-x86_64$(if $(filter 1,$(DEBUG)),-debug)
endif

include mk/lib.mk

CC_USER := $(CROSS)gcc
CFLAGS_USER := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -I$(BUILD) $(LIB_INC)
CLANG_BPF := clang -g -O2 -target bpf -D__TARGET_ARCH_$(BPF_ARCH) \
	-I$(BUILD) -Iinclude -I$(BPFTOOLS)/include -Wall -Wno-unused-function

CMD_SRCS := $(wildcard user/cmd/*.c)
USER_LIBS := -ljson-c -lmicrohttpd -lcap -lseccomp -lelf -lz -lm
POLICY_SRCS := $(wildcard bpf/policies/*.bpf.c)
POLICY_OBJS := $(patsubst bpf/policies/%.bpf.c,$(VMROOT)/lib/sroscope/policies/%.bpf.o,$(POLICY_SRCS))

# Deliberately broken policies the tests load.
TEST_POLICY_SRCS := $(wildcard tests/bpf/*.bpf.c)
TEST_POLICY_OBJS := $(patsubst tests/bpf/%.bpf.c,$(VMROOT)/lib/sroscope/test-policies/%.bpf.o,$(TEST_POLICY_SRCS))

tools: $(VMROOT)/bin/sroscope $(POLICY_OBJS) $(TEST_POLICY_OBJS)

$(BPFTOOL) $(LIBBPF_A) &:
	$(Q)scripts/build-bpftools.sh >/dev/null

# libbpf for the target architecture. A system libbpf >= 1.5 (struct_ops
# link mode, and what bpftool 7.5's skeletons need) is used when the host
# has one (pkg-config); Debian 12 has 1.1.2, so there the 1.5.0 of the
# kernel tree is built and linked statically.
SYS_LIBBPF := $(shell pkg-config --atleast-version=1.5.0 libbpf 2>/dev/null && echo yes)
ifeq ($(ARCH),arm64)
LIBBPF_TARGET := $(CACHE)/bpftools-arm64/lib/libbpf.a
LIBBPF_CFLAGS := -I$(CACHE)/bpftools-arm64/include
LIBBPF_LIBS := $(LIBBPF_TARGET)
$(LIBBPF_TARGET):
	$(Q)scripts/build-libbpf-cross.sh arm64 >/dev/null
else ifeq ($(SYS_LIBBPF),yes)
LIBBPF_TARGET :=
LIBBPF_CFLAGS := $(shell pkg-config --cflags libbpf)
LIBBPF_LIBS := $(shell pkg-config --libs libbpf)
else
LIBBPF_TARGET := $(LIBBPF_A)
LIBBPF_CFLAGS := -I$(BPFTOOLS)/include
LIBBPF_LIBS := $(LIBBPF_A)
endif

# The kernel whose BTF the programs are compiled against: built when it is
# missing (make stress builds the sanitizer kernel, not this one).
$(KBUILD)/vmlinux:
	$(Q)$(MAKE) --no-print-directory kernel ARCH=$(ARCH) DEBUG=$(DEBUG)

$(BUILD)/vmlinux.h: $(BPFTOOL) $(KBUILD)/vmlinux
	$(Q)mkdir -p $(BUILD)
	$(Q)$(BPFTOOL) btf dump file $(KBUILD)/vmlinux format c > $@

$(VMROOT)/lib/sroscope/policies/%.bpf.o: bpf/policies/%.bpf.c $(BUILD)/vmlinux.h include/sro_policy_abi.h include/sro_vocab.h
	$(Q)mkdir -p $(@D)
	$(if $(filter 0,$(V)),@echo "  BPF     $@")
	$(Q)$(CLANG_BPF) -c $< -o $@

$(VMROOT)/lib/sroscope/test-policies/%.bpf.o: tests/bpf/%.bpf.c $(BUILD)/vmlinux.h include/sro_policy_abi.h include/sro_vocab.h
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG_BPF) -c $< -o $@

# The example policy of docs/writing-a-policy.md: t-84 checks that it does
# what the tutorial says.
EXAMPLE_POLICY_OBJS := $(patsubst docs/examples/%.bpf.c,$(VMROOT)/lib/sroscope/examples/%.bpf.o,$(wildcard docs/examples/*.bpf.c))
tools: $(EXAMPLE_POLICY_OBJS)
$(VMROOT)/lib/sroscope/examples/%.bpf.o: docs/examples/%.bpf.c $(BUILD)/vmlinux.h include/sro_policy_abi.h include/sro_vocab.h
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG_BPF) -c $< -o $@

# The tracer: one BPF object, embedded in sroscope as a bpftool skeleton.
$(BUILD)/sroscope.bpf.o: bpf/sroscope.bpf.c bpf/maps.bpf.h bpf/vocab_check.h include/sroscope.h include/sro_vocab.h $(BUILD)/vmlinux.h
	$(if $(filter 0,$(V)),@echo "  BPF     $@")
	$(Q)$(CLANG_BPF) -c $< -o $@

$(BUILD)/sroscope.skel.h: $(BUILD)/sroscope.bpf.o $(BPFTOOL)
	$(if $(filter 0,$(V)),@echo "  GEN     $@")
	$(Q)$(BPFTOOL) gen skeleton $< name sroscope_bpf > $@

# The library, and the commands linked against it.
$(eval $(call sroscope_lib,$(BUILD),$(CC_USER),$(CFLAGS_USER) $(LIBBPF_CFLAGS),$(LIB_SRCS),$(CROSS)ar,$(LIBBPF_TARGET) $(BUILD)/sroscope.skel.h))

$(VMROOT)/bin/sroscope: $(patsubst user/%.c,$(BUILD)/obj/%.o,$(CMD_SRCS)) $(BUILD)/libsroscope.a $(LIBBPF_TARGET)
	$(Q)mkdir -p $(@D)
	$(if $(filter 0,$(V)),@echo "  LD      $@")
	$(Q)$(CC_USER) -o $@ $(filter %.o %.a,$^) $(LIBBPF_LIBS) $(USER_LIBS)
-include $(patsubst user/%.c,$(BUILD)/obj/%.d,$(CMD_SRCS))

# Scripts run inside the VM (the demo).
VM_SCRIPTS := $(patsubst scripts/vm/%,$(VMROOT)/bin/%,$(wildcard scripts/vm/*))
tools: $(VM_SCRIPTS)
$(VMROOT)/bin/%: scripts/vm/%
	$(Q)mkdir -p $(@D)
	$(Q)install -m 0755 $< $@

# Test and benchmark helpers run inside the VM (tests/tools/*.c), with
# the library (ndjson: its JSON paths).
TEST_TOOLS := $(patsubst tests/tools/%.c,$(VMROOT)/bin/%,$(wildcard tests/tools/*.c))
tools: $(TEST_TOOLS)
$(VMROOT)/bin/%: tests/tools/%.c $(BUILD)/libsroscope.a
	$(Q)mkdir -p $(@D)
	$(Q)$(CC_USER) $(CFLAGS_USER) -o $@ $< $(BUILD)/libsroscope.a -ljson-c

# The exporter's unit, and this host's capsh (libcap2-bin) when it runs
# in the VM, for t-95 to start the exporter within the unit's
# capabilities as systemd would.
tools: $(VMROOT)/share/systemd/sroscope-export.service
$(VMROOT)/share/systemd/%: packaging/systemd/%
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@
HOST_CAPSH := $(if $(filter $(shell uname -m),$(ARCH)),$(shell command -v capsh 2>/dev/null))
ifneq ($(HOST_CAPSH),)
tools: $(VMROOT)/bin/capsh
$(VMROOT)/bin/capsh: $(HOST_CAPSH)
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@
endif

# The reference workloads, for replay in the VM (examples/workloads/).
WORKLOADS := $(patsubst examples/workloads/%,$(VMROOT)/share/workloads/%,$(wildcard examples/workloads/*.srotrace))
tools: $(WORKLOADS)
$(VMROOT)/share/workloads/%: examples/workloads/%
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@
