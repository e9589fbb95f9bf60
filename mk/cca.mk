# The CCA host-tree set (kernel/cca/) against the upstream files it is
# written for, which this repository does not carry (docs/cca-upstream.md
# says where to get them):
#
#   make cca-upstream-check UPSTREAM=DIR
#                 apply the set to DIR's rmi.c, Kconfig, Makefile,
#                 MAINTAINERS and headers with no fuzz, check the new
#                 files' MAINTAINERS entry, then compile rmi.o and the
#                 provider in a Linux 6.12 arm64 tree, W=1, failing on
#                 any warning; exit 2 when DIR is missing or incomplete
#
# Not part of make test: CI has no copy of the upstream files.
# Included by the Makefile; alone: make -f mk/cca.mk cca-upstream-check

Q ?= @

.PHONY: cca-upstream-check
cca-upstream-check:
	$(Q)scripts/cca-upstream-check.sh $(UPSTREAM)
