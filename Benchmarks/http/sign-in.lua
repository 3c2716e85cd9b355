-- wrk: POST /api/v1/auth/token as the demo staff account (a successful sign-in each time).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"login":"sato","password":"Counter#Desk-2026"}'
