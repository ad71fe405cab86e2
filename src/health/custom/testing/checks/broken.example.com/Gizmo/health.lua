-- Does not compile: the table is never closed.
local hs = { status = "Healthy"
return hs
