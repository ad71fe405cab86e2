-- Schedule: the last successful backup must be younger than spec.maxAgeSeconds.
local os = require("os")
if obj.spec.suspend == true then
  return { status = "Suspended", message = "Backups are suspended" }
end
local last = obj.status and obj.status.lastSuccessUnix
if last == nil then
  return { status = "Progressing", message = "No backup has completed yet" }
end
local maxAge = obj.spec.maxAgeSeconds or 86400
local when = os.date("!%Y-%m-%dT%H:%M:%SZ", last)
if os.time() - last > maxAge then
  return { status = "Degraded", message = "Last successful backup at " .. when .. " is older than " .. maxAge .. " seconds" }
end
return { status = "Healthy", message = "Last successful backup at " .. when }
