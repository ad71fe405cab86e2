-- Widget: the controller must have observed the current generation; then the Ready condition
-- decides, except that a Ready=False widget still provisioning is making progress.
local waiting = { status = "Progressing", message = "Waiting for the widget controller" }
if obj.status == nil then
  return waiting
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  waiting.message = "Waiting for the widget controller to observe generation " .. obj.metadata.generation
  return waiting
end
for _, condition in ipairs(obj.status.conditions or {}) do
  if condition.type == "Ready" then
    if condition.status == "True" then
      return { status = "Healthy", message = condition.message or "Widget is ready" }
    end
    if condition.reason == "Provisioning" then
      return { status = "Progressing", message = "Provisioning: " .. (condition.message or "") }
    end
    return { status = "Degraded", message = (condition.reason or "NotReady") .. ": " .. (condition.message or "") }
  end
end
return waiting
