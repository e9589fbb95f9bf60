// What the RMM holds, per realm and source, and how fast it moves.
local g = import 'lib.libsonnet';

{
  grafanaDashboards+:: {
    'sroscope-rmm-memory.json':
      local q = g.q($._config);
      g.dashboard(
        $._config,
        'sroscope-rmm-memory',
        'RMM memory',
        'Memory Arm CCA hosts lend the RMM through SRO: what it holds, per realm and source, and how fast it moves. The held-bytes panels read the recording rules of sroscope-rules.yml.',
        'memory',
        [
          [4, [
            g.stat('Held by the RMM',
                   'Bytes donated to the RMM and not reclaimed, all realms and sources, as tracked by sroscope since it started.',
                   'bytes',
                   'sum(%s)' % q.m('instance:sroscope_held_bytes:sum')),
            g.stat('Realms holding memory',
                   'Realm ids whose RMM holds donated memory now (live or destroyed).',
                   'short',
                   'count(sum by (instance, realm) (%s) > 0)' % q.m('instance_realm:sroscope_held_bytes:sum')),
            g.stat("Held, kernel's books",
                   "Bytes the RMM holds by the kernel's own counters since boot: includes donations made before sroscope started.",
                   'bytes',
                   'sum(%s)' % q.m('sroscope_kernel_held_bytes')),
            g.stat('Donated in range',
                   "Bytes donated to the RMM over the dashboard's time range.",
                   'bytes',
                   'sum(%s)' % q.increaseRange('sroscope_donated_bytes_total')),
          ]],
          [9, [
            g.timeseries('Held bytes by realm',
                         "Memory each realm's RMM holds over time: donated and not yet reclaimed, all sources.",
                         'bytes',
                         [
                           g.target('sum by (instance, realm) (%s)' % q.m('instance_realm:sroscope_held_bytes:sum'),
                                    '{{instance}} realm {{realm}}'),
                         ]),
            g.timeseries('Held bytes by source',
                         'Memory the RMM holds, by where the host took it: alloc_pages_exact (exact), alloc_contig_pages (contig) or the SRO pool.',
                         'bytes',
                         [
                           g.target('sum by (instance, source) (%s)' % q.m('instance_source:sroscope_held_bytes:sum'),
                                    '{{instance}} {{source}}'),
                         ]),
          ]],
          [8, [
            g.timeseries('Donate and reclaim rate',
                         'Bytes per second the host donates to the RMM and the RMM gives back.',
                         'Bps',
                         [
                           g.target('sum by (instance) (%s)' % q.rate('sroscope_donated_bytes_total'), '{{instance}} donated'),
                           g.target('sum by (instance) (%s)' % q.rate('sroscope_reclaimed_bytes_total'), '{{instance}} reclaimed'),
                         ]),
            g.timeseries('Blocks donated and reclaimed',
                         'Blocks per second donated and reclaimed, by source.',
                         'ops',
                         [
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_donations_total'),
                                    '{{instance}} {{source}} donated'),
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_reclaims_total'),
                                    '{{instance}} {{source}} reclaimed'),
                         ]),
          ]],
          [8, [
            g.timeseries('Failures',
                         'Allocations that failed per second (by source tried) and SRO operations that failed.',
                         'ops',
                         [
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_source_alloc_failures_total'),
                                    '{{instance}} {{source}} alloc failed'),
                           g.target('sum by (instance) (%s)' % q.rate('sroscope_kernel_ops_failed_total'),
                                    '{{instance}} ops failed'),
                         ]),
            g.timeseries('Cached and given up',
                         'Delegated memory the kernel keeps for reuse (cached), and memory given up for good because the RMM refused to undelegate it.',
                         'bytes',
                         [
                           g.target('sum by (instance) (%s)' % q.m('sroscope_kernel_cached_bytes'), '{{instance}} cached'),
                           g.target('sum by (instance) (%s)' % q.m('sroscope_kernel_given_up_bytes_total'), '{{instance}} given up'),
                         ]),
          ]],
          [8, [
            g.heatmap('Request sizes',
                      'Bytes the RMM asks for per donate request.',
                      'bytes',
                      'sum by (le) (%s)' % q.increase('sroscope_donate_request_bytes_bucket')),
            g.timeseries('sroscope health',
                         'Events sroscope could not account (anything but unknown_reclaim makes its books incomplete), BPF recursion misses, and how full its donation map is.',
                         'short',
                         [
                           g.target('sum by (instance, reason) (%s)' % q.increase('sroscope_lost_events_total'),
                                    '{{instance}} lost: {{reason}}'),
                           g.target('sum by (instance) (%s)' % q.increase('sroscope_bpf_recursion_misses_total'),
                                    '{{instance}} recursion misses'),
                           g.target('%s / %s' % [q.m('sroscope_map_entries'), q.m('sroscope_map_max_entries')],
                                    '{{instance}} {{map}} map fill'),
                         ]),
          ]],
        ]
      ),
  },
}
