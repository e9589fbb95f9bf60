// Alert rules over `sroscope export` metrics (docs/metrics.md). Their
// unit tests are dashboards/prometheus/sroscope-alerts.test.yml: change a
// threshold in config.libsonnet and the tests say what else moved.
local lib = import 'lib.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local s(metric, extra='') = lib.selector(metric, [c.sroscopeJobSelector, extra]),
    local byHost = lib.by(c.groupLabels),

    groups+: [
      {
        name: 'sroscope-leaks',
        rules: [
          {
            alert: 'SroRealmMemoryNotReturned',
            expr: '%s > %d' % [s('sroscope_realm_unreturned_bytes'), c.realmLeakBytes],
            'for': c.realmLeakFor,
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Destroyed realm {{ $labels.realm }} still holds donated memory',
              description: 'Realm {{ $labels.realm }} on {{ $labels.instance }} was destroyed, but its RMM has kept {{ $value | humanize1024 }}B of donated memory for %s. The host cannot use that memory until the RMM gives it back. `sroscope leaks --stacks` on the host shows which operations donated it.' % lib.humanDuration(c.realmLeakFor),
            },
          },
          // Standing, not a rate: the memory stays lost until the host
          // reboots.
          {
            alert: 'SroHostMemoryGivenUp',
            expr: '%s > %d' % [s('sroscope_kernel_given_up_bytes_total'), c.givenUpBytes],
            labels: { severity: 'warning' },
            annotations: {
              summary: '{{ $labels.instance }} gave up host memory for good',
              description: 'The RMM refused to undelegate {{ $value | humanize1024 }}B the host reclaimed since boot. The kernel leaves such granules delegated: they are lost until reboot. sroscope_given_up_bytes_total and the Leaks dashboard say which realms they came from.',
            },
          },
          // Standing too: the RMM keeps an abandoned operation's memory.
          {
            alert: 'SroOperationAbandoned',
            expr: '%s > %d' % [s('sroscope_kernel_ops_abandoned_total'), c.abandonedOps],
            labels: { severity: 'warning' },
            annotations: {
              summary: '{{ $labels.instance }} abandoned SRO operations',
              description: 'The host left {{ $value }} SRO operations mid-way since boot: the RMM asked for memory the host could neither find nor refuse, even after backing off and trying again. The RMM keeps what those operations were given. `sroscope trace` shows them as sro_fail reason=abandoned, with the realm and the request.',
            },
          },
          {
            local held = 'sum %s (%s)' % [byHost, s('sroscope_held_bytes')],
            local heldThen = 'sum %s (%s offset %s)' % [byHost, s('sroscope_held_bytes'), c.holdingsGrowthWindow],
            alert: 'SroRmmHoldingsGrowing',
            expr: |||
              %s
                - %s > %d
              and deriv(%s[1h:1m]) > 0
            ||| % [held, heldThen, c.holdingsGrowthBytes, held],
            'for': c.holdingsGrowthFor,
            labels: { severity: 'info' },
            annotations: {
              summary: "The RMM's holdings on {{ $labels.instance }} keep growing",
              description: 'The RMM holds {{ $value | humanize1024 }}B more than %s ago and still more each minute. Expected while realms are being created; if not, compare with `sroscope top` and look for realms that never give memory back.' % lib.humanDuration(c.holdingsGrowthWindow),
            },
          },
        ],
      },
      {
        name: 'sroscope-health',
        rules: [
          {
            alert: 'SroTrackingIncomplete',
            expr: |||
              sum %s (increase(%s[%s]))
              + sum %s (increase(%s[%s])) > 0
            ||| % [
              byHost,
              s('sroscope_lost_events_total', 'reason=~"outstanding_map_full|realms_map_full"'),
              c.lostEventsWindow,
              byHost,
              s('sroscope_bpf_recursion_misses_total'),
              c.lostEventsWindow,
            ],
            labels: { severity: 'warning' },
            annotations: {
              summary: 'sroscope on {{ $labels.instance }} lost events: leak figures are incomplete',
              description: '{{ $value }} donation or realm updates were not recorded in the last %s (BPF map full or recursion). Raise `--max-donations` of `sroscope export`; until it restarts, leak figures are a lower bound.' % lib.humanDuration(c.lostEventsWindow),
            },
          },
          {
            alert: 'SroDonationMapNearlyFull',
            expr: '%s / %s > %g' % [s('sroscope_map_entries'), s('sroscope_map_max_entries'), c.mapFullPercent / 100],
            'for': c.mapFullFor,
            labels: { severity: 'warning' },
            annotations: {
              summary: "sroscope's {{ $labels.map }} map on {{ $labels.instance }} is over %d%% full" % c.mapFullPercent,
              description: 'When it is full, new donations are not tracked. Restart `sroscope export` with a larger `--max-donations`.',
            },
          },
          {
            alert: 'SroKernelStatsUnreadable',
            expr: '%s == 0' % s('sroscope_kernel_stats_up'),
            'for': c.kernelStatsFor,
            labels: { severity: 'info' },
            annotations: {
              summary: "sroscope on {{ $labels.instance }} cannot read the kernel's SRO counters",
              description: 'Policy and pool metrics are missing: is debugfs mounted, and does the exporter run with the rights to read /sys/kernel/debug/sro/stats?',
            },
          },
        ],
      },
    ],
  },
}
