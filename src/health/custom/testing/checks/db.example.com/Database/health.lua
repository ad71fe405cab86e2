-- Database: paused databases are Suspended; otherwise the Ready condition, where Unknown means
-- the server is still starting.
if obj.spec ~= nil and obj.spec.paused == true then
  return { status = "Suspended", message = "Database is paused" }
end
local conditions = (obj.status and obj.status.conditions) or {}
for i = 1, #conditions do
  local c = conditions[i]
  if c.type == "Ready" then
    if c.status == "True" then
      return { status = "Healthy", message = "Database is ready" }
    elseif c.status == "False" then
      return { status = "Degraded", message = c.message or c.reason or "Database is not ready" }
    end
    return { status = "Progressing", message = "Database is starting" .. (c.message and (": " .. c.message) or "") }
  end
end
return { status = "Progressing", message = "Waiting for the database to report readiness" }
