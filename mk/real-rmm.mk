# The real Arm CCA firmware under QEMU's FEAT_RME emulation: TF-RMM v0.9.0
# inside TF-A v2.15.0, built from the tarballs in ../shared/deps/cca
# (scripts/cca-firmware.sh, cached in $(CACHE)/cca), with the arm64 test
# kernel as TF-A's BL33. See docs/real-rmm.md.
#
#   make firmware                  build it (a second or so when cached)
#   make real-rmm-run CMD='...'    run CMD in the arm64 test VM on it

.PHONY: firmware real-rmm-run

firmware: deps
	$(Q)scripts/cca-firmware.sh >/dev/null

# Always arm64, like make vm-run ARCH=arm64, whatever ARCH says. The
# firmware is up to date by then: its path is asked for quietly.
ifeq ($(ARCH),arm64)
real-rmm-run: kernel tools firmware
	$(Q)VM_RMM=real VM_FIRMWARE="$$(scripts/cca-firmware.sh 2>/dev/null)" \
		scripts/vm-run.sh arm64 '$(CMD)'
else
real-rmm-run:
	$(Q)$(MAKE) --no-print-directory real-rmm-run ARCH=arm64
endif
