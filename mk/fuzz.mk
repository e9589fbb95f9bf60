# Fuzzing with libFuzzer (clang -fsanitize=fuzzer, ASan, UBSan) of what
# reads outside input: the trace-file reader, the replay plan built from a
# trace, `sroscope report` on a results file, the kernel's sro/stats
# parser, the exporter's HTTP side and --listen parser, sroscope's command
# lines, and the emulated RMM's control-command parser (kernel C from
# kernel/patches/, built against tests/fuzz/kshim/).
#
#   make fuzz-smoke    every target on its committed corpus, then
#                      FUZZ_SMOKE_SECONDS (20) of new inputs each; part
#                      of make test
#   make fuzz          FUZZ_SECONDS (600) each, the corpus grown in place
#                      (tests/fuzz/corpus/TARGET/); crashes are left as
#                      build/fuzz/crash-* and fail the run
#
# Included by the Makefile.

FUZZ_DIR := build/fuzz
FUZZ_CC := clang
FUZZ_SAN := address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,$(FUZZ_SAN) $(LIB_INC) -I$(BPFTOOLS)/include
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20

# Each target links the library built for fuzzing (instrumented, no
# libFuzzer main; all but the tracer, as for the unit tests) and libbpf.
# FUZZ_MODS_TARGET: sources beyond it (the kernel's, for fuzz_emu_ctl).
FUZZ_LIB_CFLAGS := -g -O1 -fsanitize=fuzzer-no-link,$(FUZZ_SAN) $(LIB_INC) -I$(BPFTOOLS)/include
$(eval $(call sroscope_lib,$(FUZZ_DIR),$(FUZZ_CC),$(FUZZ_LIB_CFLAGS),$(filter-out user/lib/tracer.c,$(LIB_SRCS)),ar,$(LIBBPF_A)))
FUZZ_KSRC := $(FUZZ_DIR)/ksrc
FUZZ_MODS_fuzz_emu_ctl := $(FUZZ_KSRC)/rmm_emu_parse.c tests/fuzz/kshim/kstrtox.c
FUZZ_INC_fuzz_emu_ctl := -Itests/fuzz/kshim -I$(FUZZ_KSRC)
FUZZ_TARGETS := fuzz_tracefile fuzz_replay_plan fuzz_report fuzz_kstats fuzz_http fuzz_args fuzz_emu_ctl

# Kernel files the series creates, taken from its patches.
$(FUZZ_KSRC)/%: $(wildcard kernel/patches/*.patch) scripts/series-file.sh
	$(Q)mkdir -p $(@D)
	$(Q)scripts/series-file.sh drivers/firmware/arm_rmm/$* >$@.tmp && mv $@.tmp $@
$(FUZZ_DIR)/fuzz_emu_ctl: $(FUZZ_KSRC)/rmm_emu_parse.h $(wildcard tests/fuzz/kshim/linux/*.h)

define fuzz_rule
$(FUZZ_DIR)/$(1): tests/fuzz/$(1).c $(FUZZ_MODS_$(1)) $(FUZZ_DIR)/libsroscope.a $(LIBBPF_A) $(wildcard tests/fuzz/*.h)
	$$(Q)mkdir -p $$(@D)
	$$(if $$(filter 0,$$(V)),@echo "  FUZZCC  $$@")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_INC_$(1)) -o $$@ $$(filter %.c %.a,$$^) $$(USER_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz fuzz-smoke
fuzz-smoke: $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: deps $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh --grow $(FUZZ_SECONDS) $(FUZZ_TARGETS)
