-- ConfigMaps that opt in (annotation health.example.com/check) report data.state; the others
-- have no health, as without a script.
local annotations = obj.metadata.annotations or {}
if annotations["health.example.com/check"] ~= "true" then
  return nil
end
local state = obj.data and obj.data.state
if state == nil then
  return { status = "Missing", message = "data.state is not set" }
end
if state == "ready" then
  return { status = "Healthy", message = "state is ready" }
elseif state == "pending" then
  return { status = "Progressing", message = "state is pending" }
elseif state == "paused" then
  return { status = "Suspended", message = "state is paused" }
end
return { status = "Degraded", message = "unknown state " .. state }
