-- Record: a DNS record is published once it has a target, and must lie within its zone.
local fqdn = obj.status and obj.status.fqdn
if fqdn == nil or fqdn == "" then
  return { status = "Progressing", message = "Waiting for the record to be published" }
end
fqdn = string.lower((string.gsub(fqdn, "%.$", "")))
local zone = string.lower((string.gsub(obj.spec.zone, "%.$", "")))
local suffix = "." .. zone
if fqdn ~= zone and string.sub(fqdn, -string.len(suffix)) ~= suffix then
  return { status = "Degraded", message = string.format("record %s lies outside zone %s", fqdn, zone) }
end
local target = obj.status.target or ""
if string.find(target, "^%s*$") then
  return { status = "Progressing", message = string.format("record %s has no target yet", fqdn) }
end
return { status = "Healthy", message = string.format("%s %s -> %s", string.upper(obj.spec.type or "A"), fqdn, target) }
