# Fuzzing with libFuzzer (clang -fsanitize=fuzzer, ASan, UBSan) of what
# reads outside input: the trace-file reader, the kernel's sro/stats
# parser, and the exporter's HTTP side and --listen parser.
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

FUZZ_MODS_fuzz_tracefile := user/tracefile.c
FUZZ_LIBS_fuzz_tracefile := -lz
FUZZ_MODS_fuzz_kstats := user/kstats.c user/format.c
FUZZ_LIBS_fuzz_kstats := -ljson-c
FUZZ_MODS_fuzz_http := user/httpd.c user/prom.c
FUZZ_LIBS_fuzz_http := -lmicrohttpd -lm
FUZZ_TARGETS := fuzz_tracefile fuzz_kstats fuzz_http

define fuzz_rule
$(FUZZ_DIR)/$(1): tests/fuzz/$(1).c $(FUZZ_MODS_$(1)) $(wildcard include/*.h user/*.h)
	$$(Q)mkdir -p $$(@D)
	$$(if $$(filter 0,$$(V)),@echo "  FUZZCC  $$@")
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $$(filter %.c,$$^) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

.PHONY: fuzz fuzz-smoke
fuzz-smoke: $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGETS)

fuzz: deps $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS))
	$(Q)scripts/fuzz.sh --grow $(FUZZ_SECONDS) $(FUZZ_TARGETS)
