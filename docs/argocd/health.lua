-- Argo CD health check for every kind of accounts.nats.dev (Operator, Account, User, ServiceExport,
-- StreamExport, ServiceImport, StreamImport). See docs/gitops.md; tested in gopher-lua by
-- GitOpsHealthApiServerTest on objects of a real run.
--
-- Argo CD runs custom health scripts without Lua's string library (only base, table and a reduced os),
-- so this script only compares and concatenates strings.
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function describe(c)
  local reason = c.reason or ""
  local message = c.message or ""
  if reason ~= "" and message ~= "" then
    return reason .. ": " .. message
  end
  if message ~= "" then
    return message
  end
  return reason
end

-- Ready=False for these reasons means waiting for something that comes by itself: servers that are
-- not up yet (NotConnected), another resource that is not ready yet (Pending).
local waiting = { Pending = true, NotConnected = true }

if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to reconcile"
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.status = "Progressing"
  if observed == nil then
    hs.message = "Waiting for the operator to observe generation " .. generation
  else
    hs.message = "Waiting for the operator to observe generation " .. generation .. " (observed " .. observed .. ")"
  end
  return hs
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(stalled)
  return hs
end

local reconciling = condition("Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = describe(reconciling)
  return hs
end

local ready = condition("Ready")
if ready == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
  if obj.kind == "Account" and obj.status.servers ~= nil then
    hs.message = "JWT acknowledged by " .. obj.status.servers .. " resolver(s)"
  elseif obj.kind == "User" and obj.status.credsSecretName ~= nil then
    hs.message = "creds in Secret " .. obj.status.credsSecretName
  end
  return hs
end

if ready.status == "Unknown" or waiting[ready.reason] then
  hs.status = "Progressing"
  hs.message = describe(ready)
  return hs
end

hs.status = "Degraded"
hs.message = describe(ready)
if ready.reason == "ImportsUnresolved" then
  local imports = condition("ImportsResolved")
  if imports ~= nil and imports.message ~= nil and imports.message ~= "" then
    hs.message = hs.message .. " (" .. imports.message .. ")"
  end
end
return hs
