# make mixin: the Grafana dashboards (dashboards/grafana/*.json) and the
# Prometheus alert and recording rules (dashboards/prometheus/sroscope-
# {alerts,rules}.yml) from the jsonnet of dashboards/mixin/. The files are
# checked in; tests/host/t-dashboards.sh fails when they differ from what
# this writes. jsonnet is installed by scripts/install-deps.sh when
# missing. Self-contained (make -f mk/mixin.mk mixin) as well as included
# by the Makefile.

Q ?= @
V ?= 0

.PHONY: mixin mixin-deps

mixin-deps:
	$(Q)command -v jsonnet >/dev/null || scripts/install-deps.sh jsonnet

mixin: | mixin-deps
	$(Q)files=$$(scripts/mixin.sh dashboards) && \
		$(if $(filter 0,$(V)),printf '  MIXIN   %s\n' $$files,:)
