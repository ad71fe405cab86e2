-- Written for Lua 5.1: unpack, table.getn and math.pow.
local stages = (obj.status and obj.status.stages) or {}
local planned = table.getn(obj.spec.stages)
if table.getn(stages) == 0 then
  return { status = "Progressing", message = "no stage has run yet" }
end
local name, phase, retries = unpack({ stages[table.getn(stages)].name, stages[table.getn(stages)].phase, stages[table.getn(stages)].retries or 0 })
if phase == "Failed" then
  if retries < 3 then
    return { status = "Progressing", message = string.format("stage %s failed, retry %d in %d s", name, retries + 1, math.pow(2, retries) * 10) }
  end
  return { status = "Degraded", message = "stage " .. name .. " failed " .. retries .. " times" }
end
local succeeded = 0
for i = 1, table.getn(stages) do
  if stages[i].phase == "Succeeded" then
    succeeded = succeeded + 1
  end
end
if succeeded == planned then
  return { status = "Healthy", message = "all " .. planned .. " stages succeeded" }
end
return { status = "Progressing", message = succeeded .. " of " .. planned .. " stages succeeded, " .. name .. " is " .. string.lower(phase) }
