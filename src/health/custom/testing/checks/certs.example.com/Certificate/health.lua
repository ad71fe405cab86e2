-- Certificate: a certificate being issued is Progressing; a ready certificate past its notAfter
-- is Degraded (expired); otherwise the Ready condition.
local function epoch(timestamp)
  local y, mo, d, h, mi, s = string.match(timestamp, "^(%d%d%d%d)-(%d%d)-(%d%d)T(%d%d):(%d%d):(%d%d)")
  if y == nil then
    return nil
  end
  return os.time({ year = tonumber(y), month = tonumber(mo), day = tonumber(d), hour = tonumber(h), min = tonumber(mi), sec = tonumber(s) })
end

if obj.status == nil or obj.status.conditions == nil then
  return { status = "Progressing", message = "Waiting for the certificate to be issued" }
end
local ready
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Issuing" and c.status == "True" then
    return { status = "Progressing", message = "Issuing: " .. (c.message or "") }
  end
  if c.type == "Ready" then
    ready = c
  end
end
if ready == nil then
  return { status = "Progressing", message = "Waiting for the certificate to be issued" }
end
if ready.status ~= "True" then
  return { status = "Degraded", message = (ready.reason or "NotReady") .. ": " .. (ready.message or "") }
end
if obj.status.notAfter ~= nil then
  local notAfter = epoch(obj.status.notAfter)
  if notAfter == nil then
    return { status = "Degraded", message = "Unreadable notAfter " .. obj.status.notAfter }
  end
  if notAfter < os.time() then
    return { status = "Degraded", message = "Certificate expired on " .. obj.status.notAfter }
  end
end
return { status = "Healthy", message = ready.message or "Certificate is up to date" }
