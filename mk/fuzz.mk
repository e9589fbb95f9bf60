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
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -Iinclude -Iuser
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 20

FUZZ_MODS_fuzz_tracefile := user/tracefile.c user/vocab.c
FUZZ_LIBS_fuzz_tracefile := -lz
FUZZ_MODS_fuzz_replay_plan := user/replay_plan.c user/tracefile.c user/vocab.c
FUZZ_LIBS_fuzz_replay_plan := -lz
FUZZ_MODS_fuzz_report := user/cmd_report.c user/outfile.c user/replay.c user/svg.c user/format.c user/vocab.c
FUZZ_LIBS_fuzz_report := -ljson-c -lm
FUZZ_MODS_fuzz_kstats := user/kstats.c user/format.c user/vocab.c
FUZZ_LIBS_fuzz_kstats := -ljson-c
FUZZ_MODS_fuzz_http := user/httpd.c user/prom.c
FUZZ_LIBS_fuzz_http := -lmicrohttpd -lm
FUZZ_MODS_fuzz_args := user/format.c user/vocab.c
FUZZ_LIBS_fuzz_args := -ljson-c
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
$(FUZZ_DIR)/$(1): tests/fuzz/$(1).c $(FUZZ_MODS_$(1)) $(wildcard include/*.h user/*.h tests/fuzz/*.h)
	$$(Q)mkdir -p $$(@D)
	$$(if $$(filter 0,$$(V)),@echo "  FUZZCC  $$@")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_INC_$(1)) -o $$@ $$(filter %.c,$$^) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz fuzz-smoke
fuzz-smoke: $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: deps $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh --grow $(FUZZ_SECONDS) $(FUZZ_TARGETS)
