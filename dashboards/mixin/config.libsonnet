// What a site changes: selectors, labels, thresholds and the dashboards'
// defaults. Override in your own jsonnet, for example
//   (import 'sroscope-mixin/mixin.libsonnet') + {
//     _config+:: { sroscopeJobSelector: 'job="sroscope"', realmLeakFor: '30m' },
//   }
{
  _config+:: {
    // Which series are sroscope's, for the alerts, the recording rules
    // and the dashboards' list of jobs: e.g. 'job="sroscope"'. Empty:
    // any job that has the metrics.
    sroscopeJobSelector: '',

    // What every dashboard query filters by: the dashboards' job and
    // instance variables (the dashboard linter wants both, as regexes).
    sroscopeSelector: 'job=~"$job",instance=~"$instance"',

    // The labels alerts and recording rules keep when they add series
    // up: a host is one (job, instance). Add 'cluster' if yours have one.
    groupLabels: ['job', 'instance'],

    // SroRealmMemoryNotReturned: a destroyed realm's RMM keeps more than
    // this many bytes for this long.
    realmLeakBytes: 0,
    realmLeakFor: '15m',

    // SroHostMemoryGivenUp and SroOperationAbandoned: standing, since
    // boot; more than this many bytes given up, operations abandoned.
    givenUpBytes: 0,
    abandonedOps: 0,

    // SroRmmHoldingsGrowing: the RMM holds more than holdingsGrowthBytes
    // more than holdingsGrowthWindow ago and still grows, for this long.
    holdingsGrowthBytes: 1073741824,
    holdingsGrowthWindow: '6h',
    holdingsGrowthFor: '30m',

    // SroTrackingIncomplete: events lost to full maps or BPF recursion
    // over this window.
    lostEventsWindow: '10m',

    // SroDonationMapNearlyFull: a BPF map fuller than this, for this long.
    mapFullPercent: 90,
    mapFullFor: '10m',

    // SroKernelStatsUnreadable: sro/stats unreadable for this long.
    kernelStatsFor: '10m',

    // Dashboards.
    dashboardNamePrefix: 'sroscope: ',
    dashboardTags: ['sroscope', 'arm-cca'],
    dashboardRefresh: '30s',
    dashboardTimeFrom: 'now-1h',
    dashboardTimezone: 'browser',
  },
}
