# Host unit tests (cmocka) of sroscope's pure modules, and ndjson, the JSON
# helper of the in-VM tests (busybox has no jq).
#
#   make unit     build each tests/unit/test_*.c with the host gcc under
#                 ASan and UBSan, linked with libsroscope, run them
#                 all and tests/unit/test_ndjson.sh; fail if any fails
#
# Included by the Makefile, after mk/tools.mk (the library, libbpf).

Q ?= @
V ?= 0

UNIT_DIR := build/unit
# What the tests produce through sroscope's emitters (tests/unit/keep.h),
# for tests/host/t-schemas.sh.
UNIT_KEEP := $(UNIT_DIR)/keep
UNIT_CC := gcc
UNIT_CFLAGS := -g -O1 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer $(LIB_INC) -I$(BPFTOOLS)/include
UNIT_LIBS := -lcmocka $(USER_LIBS)

# Each test links the library built with the sanitizers (all of it but
# the tracer, which needs the kernel's BTF), and libbpf for the modules
# that use it; no test lists the modules it needs.
UNIT_LIB_SRCS := $(filter-out user/lib/tracer.c,$(LIB_SRCS))
$(eval $(call sroscope_lib,$(UNIT_DIR),$(UNIT_CC),$(UNIT_CFLAGS),$(UNIT_LIB_SRCS),ar,$(LIBBPF_A)))

UNIT_BINS := $(patsubst tests/unit/%.c,$(UNIT_DIR)/%,$(wildcard tests/unit/test_*.c))

define unit_rule
$(UNIT_DIR)/$(1): tests/unit/$(1).c $(UNIT_DIR)/libsroscope.a $(LIBBPF_A) $(wildcard tests/unit/*.h)
	$$(Q)mkdir -p $$(@D)
	$$(if $$(filter 0,$$(V)),@echo "  CC      $$@")
	$$(Q)$$(UNIT_CC) $$(UNIT_CFLAGS) -o $$@ $$(filter %.c %.a,$$^) $$(UNIT_LIBS)
endef
$(foreach b,$(UNIT_BINS),$(eval $(call unit_rule,$(notdir $(b)))))

$(UNIT_DIR)/ndjson: tests/tools/ndjson.c $(UNIT_DIR)/libsroscope.a
	$(Q)mkdir -p $(@D)
	$(if $(filter 0,$(V)),@echo "  CC      $@")
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $^ -ljson-c

# Each test's output goes to its .log, shown when it fails (or with V=1).
.PHONY: unit
unit: $(UNIT_BINS) $(UNIT_DIR)/ndjson
	$(Q)fail=0; rm -rf $(UNIT_KEEP) && mkdir -p $(UNIT_KEEP); \
	for t in $(UNIT_BINS); do \
		if SROSCOPE_KEEP_DIR=$(UNIT_KEEP) $$t >$$t.log 2>&1; then \
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
