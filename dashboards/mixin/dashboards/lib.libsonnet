// Grafana panels for the sroscope dashboards, without grafonnet (not in
// Debian): every panel gets a description, a unit and the datasource
// variable, every query the datasource variable; the dashboard gets the
// datasource, job and instance variables the dashboard linter asks for.
local sel = (import '../lib.libsonnet').selector;
local ds = { type: 'prometheus', uid: '${datasource}' };

local panel(type, title, description, unit, targets) = {
  type: type,
  title: title,
  description: description,
  datasource: ds,
  fieldConfig: { defaults: { unit: unit }, overrides: [] },
  targets: [
    targets[i] { datasource: ds, refId: std.char(std.codepoint('A') + i) }
    for i in std.range(0, std.length(targets) - 1)
  ],
};

// A query variable over sroscope_build_info, all values by default.
local variable(name, label, query) = {
  name: name,
  label: label,
  type: 'query',
  datasource: ds,
  query: { query: query, refId: name },
  definition: query,
  refresh: 2,  // on time range change
  includeAll: true,
  multi: true,
  allValue: '.+',
  current: { selected: true, text: ['All'], value: ['$__all'] },
  sort: 1,
  hide: 0,
  options: [],
};

{
  // The selectors and windows of every query: q(c).m('metric') is
  // metric{job=~"$job",instance=~"$instance"}; rate and increase use
  // $__rate_interval, increase over the dashboard's range $__range.
  q(c):: {
    m(metric, extra=''):: sel(metric, [c.sroscopeSelector, extra]),
    rate(metric, extra=''):: 'rate(%s[$__rate_interval])' % self.m(metric, extra),
    increase(metric, extra=''):: 'increase(%s[$__rate_interval])' % self.m(metric, extra),
    increaseRange(metric, extra=''):: 'increase(%s[$__range])' % self.m(metric, extra),
  },

  target(expr, legend=''):: { expr: expr, legendFormat: legend },

  // One number: the last value of one query.
  stat(title, description, unit, expr, legend='', options={}, defaults={})::
    panel('stat', title, description, unit, [self.target(expr, legend)]) {
      fieldConfig+: { defaults+: defaults },
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'auto',
      } + options,
    },

  // Lines over time, a legend table with the last and largest values.
  timeseries(title, description, unit, targets)::
    panel('timeseries', title, description, unit, targets) {
      options: {
        legend: { displayMode: 'table', placement: 'right', calcs: ['lastNotNull', 'max'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      },
    },

  // The buckets of one histogram over time, as Prometheus has them.
  heatmap(title, description, unit, expr)::
    panel('heatmap', title, description, unit, [self.target(expr, '{{le}}') { format: 'heatmap' }]) {
      options: {
        calculate: false,
        yAxis: { unit: unit },
        cellGap: 1,
        color: { scheme: 'Oranges', mode: 'scheme' },
        tooltip: { show: true, yHistogram: true },
      },
    },

  // The series of one instant query, one row each, largest first.
  table(title, description, unit, expr)::
    panel('table',
          title,
          description,
          unit,
          [self.target(expr) { format: 'table', instant: true, range: false }]) {
      options: { showHeader: true, sortBy: [{ desc: true, displayName: 'Value' }] },
      transformations: [{
        id: 'organize',
        options: { excludeByName: { Time: true, __name__: true } },
      }],
    },

  // A dashboard of rows: [[height, [panel, ...]], ...], each row's panels
  // side by side in equal widths; panel ids in reading order.
  dashboard(c, uid, title, description, tag, rows)::
    local starts = std.foldl(function(acc, r) acc + [acc[std.length(acc) - 1] + std.length(r[1])], rows, [0]);
    local tops = std.foldl(function(acc, r) acc + [acc[std.length(acc) - 1] + r[0]], rows, [0]);
    local build = 'sroscope_build_info';
    {
      uid: uid,
      title: c.dashboardNamePrefix + title,
      description: description,
      tags: c.dashboardTags + [tag],
      timezone: c.dashboardTimezone,
      schemaVersion: 39,
      version: 1,
      editable: true,
      graphTooltip: 1,
      time: { from: c.dashboardTimeFrom, to: 'now' },
      refresh: c.dashboardRefresh,
      templating: { list: [
        {
          name: 'datasource',
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        },
        variable('job', 'Job', 'label_values(%s, job)' % sel(build, [c.sroscopeJobSelector])),
        variable('instance', 'Instance', 'label_values(%s, instance)' %
                                         sel(build, [c.sroscopeJobSelector, 'job=~"$job"'])),
      ] },
      annotations: { list: [] },
      links: [{ title: 'sroscope dashboards', type: 'dashboards', tags: ['sroscope'], asDropdown: true }],
      panels: [
        local row = rows[r];
        local n = std.length(row[1]);
        row[1][i] {
          id: starts[r] + i + 1,
          gridPos: { x: i * 24 / n, y: tops[r], w: 24 / n, h: row[0] },
        }
        for r in std.range(0, std.length(rows) - 1)
        for i in std.range(0, std.length(rows[r][1]) - 1)
      ],
    },
}
