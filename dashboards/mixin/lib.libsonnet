// Helpers the alerts, the rules and the dashboards share.
{
  // metric{a,b}: the matchers that are not empty, or the bare name.
  selector(metric, matchers)::
    local m = std.filter(function(s) s != '', matchers);
    if m == [] then metric else metric + '{' + std.join(',', m) + '}',

  // 'sum by (job, instance) (...)' and the like.
  by(labels)::
    'by (' + std.join(', ', labels) + ')',

  // '15m' -> '15 minutes', '1h' -> '1 hour': for alert texts.
  humanDuration(d)::
    local n = std.parseInt(d[:std.length(d) - 1]);
    local unit = { s: 'second', m: 'minute', h: 'hour', d: 'day' }[d[std.length(d) - 1]];
    '%d %s%s' % [n, unit, if n == 1 then '' else 's'],
}
