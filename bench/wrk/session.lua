-- POST a session documentation to a random plan and session (the therapist's save button).
local report = dofile(os.getenv("WRK_DIR") .. "/report.lua")
local plans = tonumber(os.getenv("WRK_IDS"))
wrk.headers["Cookie"] = os.getenv("WRK_COOKIE")
wrk.headers["X-CSRF-Token"] = os.getenv("WRK_CSRF")
wrk.headers["Content-Type"] = "application/json"
local body = os.getenv("WRK_BODY")
request = function()
  local path = string.format("/api/plans/%d/sessions/%d", math.random(1, plans), math.random(1, 16))
  return wrk.format("POST", path, nil, body)
end
-- each wrk thread gets its own random sequence (otherwise both threads send the same requests)
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(os.time() * 1000 + id)
end
done = report.done
