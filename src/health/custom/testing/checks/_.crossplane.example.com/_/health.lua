-- Any managed resource of a *.crossplane.example.com group: Synced=False is a reconcile error;
-- then Ready, where the reason tells creating from failing.
local synced, ready
for _, c in ipairs((obj.status and obj.status.conditions) or {}) do
  if c.type == "Synced" then synced = c end
  if c.type == "Ready" then ready = c end
end
if synced ~= nil and synced.status == "False" then
  return { status = "Degraded", message = "Not synced: " .. (synced.message or synced.reason or "") }
end
if ready == nil then
  return { status = "Progressing", message = "Waiting for the provider to report readiness" }
end
if ready.status == "True" then
  return { status = "Healthy", message = obj.kind .. " is available" }
end
if ready.reason == "Creating" or ready.reason == "Deleting" then
  return { status = "Progressing", message = obj.kind .. " is " .. string.lower(ready.reason) }
end
return { status = "Degraded", message = ready.message or ready.reason or "not ready" }
