// Memory the RMM did not give back.
local g = import 'lib.libsonnet';

{
  grafanaDashboards+:: {
    'sroscope-leaks.json':
      local q = g.q($._config);
      // Bytes in blocks held longer than age_le seconds.
      local olderThan(age) =
        'sum by (instance) (%s) - sum by (instance) (%s)' %
        [q.m('sroscope_outstanding_bytes', 'age_le="+Inf"'), q.m('sroscope_outstanding_bytes', 'age_le="%s"' % age)];
      g.dashboard(
        $._config,
        'sroscope-leaks',
        'Leaks',
        'Memory the RMM did not give back: destroyed realms still holding donations, old donations, memory given up for good.',
        'leaks',
        [
          [4, [
            g.stat('Unreturned at destroy',
                   "Bytes destroyed realms' RMMs still hold: donated, never reclaimed, lost to the host until given back.",
                   'bytes',
                   'sum(%s) or vector(0)' % q.m('sroscope_realm_unreturned_bytes'),
                   defaults={ thresholds: { mode: 'absolute', steps: [
                     { color: 'green', value: null },
                     { color: 'red', value: 1 },
                   ] } }),
            g.stat('Given up in range',
                   'Bytes the host gave up for good over the time range: the RMM refused to undelegate them.',
                   'bytes',
                   'sum(%s)' % q.increaseRange('sroscope_given_up_bytes_total')),
            g.stat('Books complete',
                   'Events lost in a way that makes the leak books incomplete over the range (maps full, BPF recursion). Not 0: leak figures are a lower bound.',
                   'short',
                   'sum(%s) + sum(%s)' % [
                     q.increaseRange('sroscope_lost_events_total', 'reason=~"outstanding_map_full|realms_map_full"'),
                     q.increaseRange('sroscope_bpf_recursion_misses_total'),
                   ]),
            g.stat('Tracking since',
                   'When sroscope started tracking on each host: memory donated earlier is not in the per-realm figures.',
                   'dateTimeFromNow',
                   'min(%s) * 1000' % q.m('sroscope_tracking_start_time_seconds')),
          ]],
          [8, [
            g.table('Destroyed realms still holding memory',
                    'Each destroyed realm whose RMM has not given back all it was donated, largest first.',
                    'bytes',
                    'sort_desc(%s)' % q.m('sroscope_realm_unreturned_bytes')),
            g.table('Oldest donations',
                    "Realms whose RMM has held a block the longest: the age of each one's oldest outstanding donation.",
                    's',
                    'topk(10, %s)' % q.m('sroscope_realm_oldest_donation_age_seconds')),
          ]],
          [8, [
            g.timeseries('Unreturned bytes by realm',
                         'Memory of destroyed realms still held by the RMM, over time.',
                         'bytes',
                         [
                           g.target('sum by (instance, realm) (%s)' % q.m('sroscope_realm_unreturned_bytes'),
                                    '{{instance}} realm {{realm}}'),
                         ]),
            // A gauge histogram: its buckets go down as blocks come back,
            // so no rate().
            g.heatmap('Outstanding donations by age',
                      'How long the blocks the RMM holds now have been held.',
                      's',
                      'sum by (le) (%s)' % q.m('sroscope_outstanding_age_seconds_bucket')),
          ]],
          [8, [
            g.table('Leaks by VMM: kept at destroy',
                    "Destroyed realms still holding memory, by the kernel's own accounts (complete whenever sroscope started), with the VMM that created each: pid, comm, cgroup and systemd unit.",
                    'bytes',
                    'sort_desc((%s * on(instance, realm) %s) * on(instance, realm) group_left(pid, comm, cgroup, unit) %s)' % [
                      q.m('sroscope_kernel_realm_held_bytes'),
                      q.m('sroscope_kernel_realm_gone'),
                      q.m('sroscope_realm_info'),
                    ]),
            g.table('Leaks by VMM: given up',
                    "Bytes of each realm the host gave up for good (the RMM refused to undelegate them), by the kernel's own accounts, with the VMM that created the realm.",
                    'bytes',
                    'sort_desc(%s * on(instance, realm) group_left(pid, comm, cgroup, unit) %s)' % [
                      q.m('sroscope_kernel_realm_given_up_bytes_total'),
                      q.m('sroscope_realm_info'),
                    ]),
          ]],
          [8, [
            g.timeseries('Held longer than 1 h and 1 day',
                         'Bytes in blocks the RMM has held for more than an hour and more than a day.',
                         'bytes',
                         [
                           g.target(olderThan(3600), '{{instance}} > 1 h'),
                           g.target(olderThan(86400), '{{instance}} > 1 day'),
                         ]),
            g.timeseries('Given up by realm',
                         'Bytes per realm the host gave up for good (undelegate refused), per interval.',
                         'bytes',
                         [
                           g.target('sum by (instance, realm) (%s)' % q.increase('sroscope_given_up_bytes_total'),
                                    '{{instance}} realm {{realm}}'),
                         ]),
          ]],
        ]
      ),
  },
}
