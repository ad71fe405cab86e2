-- Buckets of this group also need versioning: this script names the kind exactly, so it is
-- chosen over the group wildcard.
local versioning = obj.spec.forProvider and obj.spec.forProvider.versioning
if versioning ~= "Enabled" then
  return { status = "Degraded", message = "Bucket versioning is " .. (versioning or "not set") .. ", expected Enabled" }
end
for _, c in ipairs((obj.status and obj.status.conditions) or {}) do
  if c.type == "Ready" and c.status == "True" then
    return { status = "Healthy", message = "Bucket is available and versioned" }
  end
end
return { status = "Progressing", message = "Waiting for the bucket" }
