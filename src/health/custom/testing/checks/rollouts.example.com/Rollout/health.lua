-- Rollout: aborted is Degraded, paused is Suspended; a canary is Progressing until its last step;
-- then the updated and available replicas must reach the desired count.
if obj.status == nil then
  return { status = "Progressing", message = "Waiting for the rollout to be observed" }
end
if obj.status.abort == true then
  return { status = "Degraded", message = "Rollout aborted: " .. (obj.status.message or "no reason given") }
end
if obj.spec.paused == true then
  return { status = "Suspended", message = "Rollout is paused" }
end
local pauses = obj.status.pauseConditions or {}
if #pauses > 0 then
  return { status = "Suspended", message = "Rollout is paused (" .. (pauses[1].reason or "unknown reason") .. ")" }
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration ~= obj.metadata.generation then
  return { status = "Progressing", message = "Waiting for the rollout spec update to be observed" }
end

local desired = obj.spec.replicas or 1
local canary = obj.spec.strategy and obj.spec.strategy.canary
if canary ~= nil and canary.steps ~= nil then
  local step = obj.status.currentStepIndex or 0
  if step < #canary.steps then
    return { status = "Progressing", message = "Canary at step " .. (step + 1) .. " of " .. #canary.steps }
  end
end
local updated = obj.status.updatedReplicas or 0
if updated < desired then
  return { status = "Progressing", message = "Waiting for the rollout to finish: " .. updated .. " of " .. desired .. " replicas updated" }
end
local available = obj.status.availableReplicas or 0
if available < desired then
  return { status = "Progressing", message = "Waiting for the rollout to finish: " .. available .. " of " .. desired .. " updated replicas are available" }
end
return { status = "Healthy" }
