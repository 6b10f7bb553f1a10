package httpapi_test

import "testing"

func TestHealth(t *testing.T) {
	e := newEnv(t)
	e.do(req{Method: "GET", Path: "/healthz"}).want(t, 200, map[string]any{"status": "ok"})
	e.do(req{Method: "GET", Path: "/readyz"}).want(t, 200, map[string]any{"status": "ok", "checks.database": "ok"})
}
