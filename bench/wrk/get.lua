-- GET a path; "{id}" in WRK_PATH is replaced by a random id in 1..WRK_IDS on every request.
local report = dofile(os.getenv("WRK_DIR") .. "/report.lua")
local path, ids = os.getenv("WRK_PATH"), tonumber(os.getenv("WRK_IDS") or "1")
wrk.headers["Cookie"] = os.getenv("WRK_COOKIE") or ""
request = function()
  return wrk.format("GET", (path:gsub("{id}", tostring(math.random(1, ids)))))
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
