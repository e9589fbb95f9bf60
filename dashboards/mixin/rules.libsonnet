// Recording rules, named level:metric:operation: per host, what the RMM
// holds by realm, by source and in all. The dashboards read these instead
// of adding up sroscope_held_bytes (one series per realm and source, a
// few thousand on a busy host) at every refresh.
local lib = import 'lib.libsonnet';

{
  prometheusRules+:: {
    local c = $._config,
    local held = lib.selector('sroscope_held_bytes', [c.sroscopeJobSelector]),
    local sumBy(extra) = 'sum %s (%s)' % [lib.by(c.groupLabels + extra), held],

    groups+: [{
      name: 'sroscope-rules',
      rules: [
        { record: 'instance_realm:sroscope_held_bytes:sum', expr: sumBy(['realm']) },
        { record: 'instance_source:sroscope_held_bytes:sum', expr: sumBy(['source']) },
        { record: 'instance:sroscope_held_bytes:sum', expr: sumBy([]) },
      ],
    }],
  },
}
