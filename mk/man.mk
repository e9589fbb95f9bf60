# make man: the manual pages, build/man/*.1 and *.5, from man/*.scd.
# scdoc is installed by scripts/install-deps.sh when missing. Self-contained
# (make -f mk/man.mk man) as well as included by the Makefile.

Q ?= @
V ?= 0
MAN_MK := $(lastword $(MAKEFILE_LIST))
MAN_OUT := build/man
MAN_PAGES := $(patsubst man/%.scd,$(MAN_OUT)/%,$(wildcard man/*.scd))
# The pages carry the version the binary reports (sroscope --version).
MAN_VERSION := $(shell sed -n 's/^\#define SROSCOPE_VERSION[[:space:]]*"\(.*\)"/\1/p' user/lib/common.h)

.DELETE_ON_ERROR:
.PHONY: man man-deps

man: $(MAN_PAGES)

man-deps:
	$(Q)command -v scdoc >/dev/null || scripts/install-deps.sh scdoc

# The date in a page is its source's last commit (reproducible builds);
# a page not yet committed gets today's. scdoc's .nh comes before .TH,
# which turns hyphenation back on and splits options such as --duration
# across lines: say it again after .TH.
$(MAN_OUT)/%: man/%.scd user/lib/common.h $(MAN_MK) | man-deps
	$(Q)mkdir -p $(@D)
	$(if $(filter 0,$(V)),@echo "  MAN     $@")
	$(Q)d=$$(git log -1 --format=%ct -- $< 2>/dev/null); \
		sed 's/@VERSION@/$(MAN_VERSION)/g' $< | \
		SOURCE_DATE_EPOCH=$${d:-$$(date +%s)} scdoc > $@.tmp && \
		sed '/^\.TH /a .nh' $@.tmp > $@; \
		s=$$?; rm -f $@.tmp; exit $$s
