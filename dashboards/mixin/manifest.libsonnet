// JSON and YAML text of a value, for jsonnet -S. Jsonnet 0.18's own
// std.manifestJsonEx and std.manifestYamlDoc escape strings one character
// at a time in jsonnet (std.escapeStringJson): 9 s for these files. Here
// std.strReplace, which is native, escapes what these files hold:
// backslashes, quotes, newlines, tabs (not other control characters).
local quote(s) =
  local r(s, from, to) = std.strReplace(s, from, to);
  '"' + r(r(r(r(r(s, '\\', '\\\\'), '"', '\\"'), '\n', '\\n'), '\t', '\\t'), '\r', '\\r') + '"';
local isBlock(v) = std.isString(v) && std.endsWith(v, '\n');
local scalar(v) = if std.isString(v) then quote(v) else std.toString(v);
local isEmpty(v) = (std.isObject(v) || std.isArray(v)) && std.length(v) == 0;
local indent(s, by) = std.join('\n', [if l == '' then l else by + l for l in std.split(s, '\n')]);

{
  // Compact JSON; scripts/mixin.sh formats it with jq.
  json(v)::
    if std.isObject(v) then
      '{' + std.join(',', [quote(k) + ':' + self.json(v[k]) for k in std.objectFields(v)]) + '}'
    else if std.isArray(v) then
      '[' + std.join(',', [self.json(e) for e in v]) + ']'
    else scalar(v),

  // Block YAML, keys in jsonnet's order, strings double-quoted (as JSON),
  // those that end in a newline as literal blocks; no trailing newline.
  yaml(v)::
    local item(x) =
      if isBlock(x) then '|\n' + indent(std.rstripChars(x, '\n'), '  ')
      else if isEmpty(x) || !(std.isObject(x) || std.isArray(x)) then
        (if isEmpty(x) then (if std.isObject(x) then '{}' else '[]') else scalar(x))
      else null;
    if std.isObject(v) then
      std.join('\n', [
        local x = v[k];
        local i = item(x);
        if i != null then k + ': ' + i
        else k + ':\n' + indent(self.yaml(x), '  ')
        for k in std.objectFields(v)
      ])
    else if std.isArray(v) then
      std.join('\n', [
        local i = item(x);
        if i != null then '- ' + i
        else '- ' + std.lstripChars(indent(self.yaml(x), '  '), ' ')
        for x in v
      ])
    else item(v),
}
