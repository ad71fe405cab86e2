-- Queue: kstatus-style conditions. Stalled wins over Reconciling, which wins over Ready.
local function condition(name)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == name then
      return c
    end
  end
  return nil
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = "Stalled: " .. (stalled.message or stalled.reason or "") }
end
local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  return { status = "Progressing", message = "Reconciling: " .. (reconciling.message or reconciling.reason or "") }
end
local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = "Queue is ready" }
end
return { status = "Progressing", message = "Waiting for the queue to become ready" }
