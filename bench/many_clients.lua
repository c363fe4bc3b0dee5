-- Each request from a different client address (behind one trusted proxy), as a public service
-- sees them: per-address limits then count per client, not for the whole bench.
math.randomseed(os.time())
request = function()
  wrk.headers["X-Forwarded-For"] = "10." .. math.random(0, 255) .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)
  return wrk.format(nil)
end
