// How the host allocates for the RMM.
local g = import 'lib.libsonnet';

{
  grafanaDashboards+:: {
    'sroscope-policy.json':
      local q = g.q($._config);
      local quantile(phi, by, metric) =
        'histogram_quantile(%s, sum by (%s) (%s))' % [phi, by, q.rate(metric)];
      g.dashboard(
        $._config,
        'sroscope-policy',
        'Policy',
        'How the host allocates for the RMM: the policy in charge, its decisions, fallbacks, the pool and allocation latency.',
        'policy',
        [
          [4, [
            g.stat('Policy in charge',
                   'The BPF allocation policy each host runs (default: none loaded, alloc_pages_exact).',
                   'none',
                   q.m('sroscope_policy_info'),
                   '{{instance}}: {{policy}}',
                   options={ textMode: 'name', colorMode: 'none', graphMode: 'none' }),
            g.stat('Policy swaps in range',
                   'Policies replaced by another without a gap, over the time range.',
                   'short',
                   'sum(%s)' % q.increaseRange('sroscope_policy_swaps_total')),
            g.stat('Invalid verdicts in range',
                   'Verdicts the kernel refused and replaced by the default, over the time range: a policy bug.',
                   'short',
                   'sum(%s)' % q.increaseRange('sroscope_policy_invalid_verdicts_total')),
          ]],
          [8, [
            g.timeseries('Decisions by source',
                         'Allocations per second for which the policy chose each source first.',
                         'ops',
                         [
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_policy_decisions_total'),
                                    '{{instance}} {{source}}'),
                         ]),
            g.timeseries('Blocks served by source',
                         'Blocks per second each source actually allocated (after fallbacks).',
                         'ops',
                         [
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_source_allocs_total'),
                                    '{{instance}} {{source}}'),
                         ]),
          ]],
          [8, [
            g.timeseries('Fallbacks',
                         "Blocks served by a later choice after the policy's first one failed, by the source that served them.",
                         'ops',
                         [
                           g.target('sum by (instance, source) (%s)' % q.rate('sroscope_source_fallbacks_total'),
                                    '{{instance}} served by {{source}}'),
                           g.target('sum by (instance) (%s)' % q.rate('sroscope_policy_fallbacks_total'),
                                    '{{instance}} kernel count'),
                         ]),
            g.timeseries('Pool level',
                         'Size of the SRO pool, what is free in it, and the largest block it can carve now.',
                         'bytes',
                         [
                           g.target('sum by (instance) (%s)' % q.m('sroscope_pool_bytes'), '{{instance}} size'),
                           g.target('sum by (instance) (%s)' % q.m('sroscope_pool_free_bytes'), '{{instance}} free'),
                           g.target('sum by (instance) (%s)' % q.m('sroscope_pool_chunk_bytes'),
                                    '{{instance}} chunk (largest block)'),
                         ]),
          ]],
          [8, [
            g.heatmap('Allocation latency',
                      'Time a source takes to allocate one block, all sources.',
                      's',
                      'sum by (le) (%s)' % q.increase('sroscope_alloc_latency_seconds_bucket')),
            g.timeseries('Allocation latency p99 by source',
                         '99th percentile of allocation latency per source (upper bound of its log2 bucket).',
                         's',
                         [
                           g.target(quantile('0.99', 'instance, source, le', 'sroscope_alloc_latency_seconds_bucket'),
                                    '{{instance}} {{source}}'),
                         ]),
          ]],
          [8, [
            g.timeseries('Donation lifetime p50 by source',
                         'Median time from donation to reclaim of the blocks given back, per source.',
                         's',
                         [
                           g.target(quantile('0.5', 'instance, source, le', 'sroscope_donation_lifetime_seconds_bucket'),
                                    '{{instance}} {{source}}'),
                         ]),
            g.timeseries('SRO operation duration',
                         'Median and 99th percentile duration of an SRO operation, first call to completion.',
                         's',
                         [
                           g.target(quantile('0.5', 'instance, le', 'sroscope_op_duration_seconds_bucket'), '{{instance}} p50'),
                           g.target(quantile('0.99', 'instance, le', 'sroscope_op_duration_seconds_bucket'), '{{instance}} p99'),
                         ]),
          ]],
        ]
      ),
  },
}
