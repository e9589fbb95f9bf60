// sroscope's monitoring mixin: the Grafana dashboards, the Prometheus
// alert rules and recording rules, from one source. Settings in
// config.libsonnet (_config); `make mixin` writes the files of
// dashboards/grafana/ and dashboards/prometheus/ (README.md).
(import 'config.libsonnet') +
(import 'alerts.libsonnet') +
(import 'rules.libsonnet') +
(import 'dashboards/dashboards.libsonnet')
