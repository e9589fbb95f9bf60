# Host unit tests (cmocka) of sroscope's pure modules, and ndjson, the JSON
# helper of the in-VM tests (busybox has no jq).
#
#   make unit     build each tests/unit/test_*.c with the host gcc under
#                 ASan and UBSan, with the user/ modules it tests, run them
#                 all and tests/unit/test_ndjson.sh; fail if any fails
#
# Included by the Makefile; alone: make -f mk/unit.mk unit

Q ?= @
V ?= 0

UNIT_DIR := build/unit
UNIT_CC := gcc
UNIT_CFLAGS := -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude -Iuser
UNIT_LIBS := -lcmocka -ljson-c -lz -lm

# The user/ modules a test links: user/NAME.c for test_NAME.c unless set;
# UNIT_LIBS_test_NAME: libraries it needs beyond UNIT_LIBS.
# Never user/sroscope.c or anything that needs libbpf.
UNIT_MODS_test_format := user/format.c user/vocab.c
UNIT_MODS_test_tracefile := user/tracefile.c user/vocab.c
UNIT_MODS_test_hist := user/hist.c user/format.c user/vocab.c
UNIT_MODS_test_kstats := user/kstats.c user/format.c user/vocab.c
UNIT_MODS_test_numopt := user/numopt.c user/format.c user/vocab.c
UNIT_MODS_test_replay_plan := user/replay_plan.c user/replay.c user/tracefile.c user/format.c user/vocab.c
UNIT_LIBS_test_httpd := -lmicrohttpd
UNIT_MODS_test_report := user/cmd_report.c user/outfile.c user/replay.c user/replay_plan.c user/tracefile.c \
	user/svg.c user/format.c user/vocab.c

UNIT_BINS := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(wildcard tests/unit/test_*.c))
unit_mods = $(or $(UNIT_MODS_$(1)),user/$(patsubst test_%,%,$(1)).c)

define unit_rule
$(UNIT_DIR)/$(1): tests/unit/$(1).c $(call unit_mods,$(1)) $(wildcard include/*.h user/*.h tests/unit/*.h)
	$$(Q)mkdir -p $$(@D)
	$$(if $$(filter 0,$$(V)),@echo "  CC      $$@")
	$$(Q)$$(UNIT_CC) $$(UNIT_CFLAGS) -o $$@ $$(filter %.c,$$^) $$(UNIT_LIBS) $$(UNIT_LIBS_$(1))
endef
$(foreach b,$(UNIT_BINS),$(eval $(call unit_rule,$(notdir $(b)))))

$(UNIT_DIR)/ndjson: tests/tools/ndjson.c
	$(Q)mkdir -p $(@D)
	$(if $(filter 0,$(V)),@echo "  CC      $@")
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $< -ljson-c

# Each test's output goes to its .log, shown when it fails (or with V=1).
.PHONY: unit
unit: $(UNIT_BINS) $(UNIT_DIR)/ndjson
	$(Q)fail=0; \
	for t in $(UNIT_BINS); do \
		if $$t >$$t.log 2>&1; then \
			[ "$(V)" = 1 ] && cat $$t.log; \
			echo "  PASS    $$t: $$(grep -c '^\[       OK \]' $$t.log) tests"; \
		else \
			cat $$t.log; echo "  FAIL    $$t"; fail=1; \
		fi; \
	done; \
	if sh tests/unit/test_ndjson.sh $(UNIT_DIR)/ndjson >$(UNIT_DIR)/ndjson.log 2>&1; then \
		echo "  PASS    $$(tail -n 1 $(UNIT_DIR)/ndjson.log)"; \
	else \
		cat $(UNIT_DIR)/ndjson.log; echo "  FAIL    tests/unit/test_ndjson.sh"; fail=1; \
	fi; \
	exit $$fail

# The VM's ndjson ($(VMROOT)/bin/ndjson, built with $(CC_USER) for each
# ARCH and part of `tools`) comes from the tests/tools/%.c rule of
# mk/tools.mk.
