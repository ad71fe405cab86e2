-- Trusts status.phase to be there and to be a health status: a gadget without status makes the
-- script fail, one with another phase makes it return an invalid status.
return { status = obj.status.phase, message = "gadget is " .. string.lower(obj.status.phase) }
