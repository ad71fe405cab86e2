-- This team's Deployments are healthy once enough replicas are available, paused or not: the
-- script takes precedence over the built-in rule.
local desired = obj.spec.replicas
if desired == nil then
  desired = 1
end
local available = (obj.status and obj.status.availableReplicas) or 0
if available >= desired then
  return { status = "Healthy", message = available .. "/" .. desired .. " replicas available" }
end
if available == 0 then
  return { status = "Degraded", message = "no replicas available" }
end
return { status = "Progressing", message = available .. "/" .. desired .. " replicas available" }
