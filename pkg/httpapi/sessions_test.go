package httpapi_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
)

func cookieHeader(r *resp) map[string]string {
	c := r.cookie("folio_refresh")
	if c == nil {
		return nil
	}
	return map[string]string{"Cookie": "folio_refresh=" + c.Value}
}

func TestRefreshCookieAndRotation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ed := e.users[auth.RoleEditor]
	login := e.login(ed.Email, testPassword)
	login.want(t, 200, nil)
	c := login.cookie("folio_refresh")
	if c == nil || !c.HttpOnly || c.Path != "/api/v1/auth" || c.Value == "" || c.Secure {
		t.Fatalf("refresh cookie = %+v; want HttpOnly, Path=/api/v1/auth, not Secure over plain HTTP", c)
	}
	if got := login.Header.Get("Set-Cookie"); !strings.Contains(strings.ToLower(got), "samesite=strict") {
		t.Errorf("Set-Cookie %q lacks SameSite=Strict", got)
	}
	// Over TLS (as a trusted proxy reports it) the cookie is Secure.
	tls := newEnv(t, func(c *configT) { c.TrustedProxies = []string{"0.0.0.0/0"} })
	r := tls.do(req{Method: "POST", Path: "/api/v1/auth/login", Headers: map[string]string{"X-Forwarded-Proto": "https"},
		Body: map[string]string{"email": tls.users[auth.RoleEditor].Email, "password": testPassword}})
	if c := r.cookie("folio_refresh"); c == nil || !c.Secure {
		t.Errorf("cookie over TLS = %+v, want Secure", c)
	}

	first := cookieHeader(login)
	r1 := e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: first})
	r1.want(t, 200, map[string]any{"token_type": "Bearer", "user.id": ed.ID})
	if r1.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("refresh Cache-Control = %q", r1.Header.Get("Cache-Control"))
	}
	second := cookieHeader(r1)
	if second["Cookie"] == first["Cookie"] {
		t.Fatal("refresh did not rotate the cookie")
	}
	// The new access token works.
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: r1.str("access_token")}).want(t, 200, nil)
	// The old refresh token no longer works ... and presenting it ends the session:
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: first}).want(t, 401, map[string]any{"error.code": "invalid_refresh_token"})
	// the rotated-to token is dead too, and so is the session's access token.
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: second}).want(t, 401, nil)
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: r1.str("access_token")}).want(t, 401, nil)
	// Another session of the same user is not affected.
	other := e.login(ed.Email, testPassword)
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(other)}).want(t, 200, nil)

	// Garbage and missing cookies.
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh"}).want(t, 401, nil)
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: map[string]string{"Cookie": "folio_refresh=nope"}}).want(t, 401, nil)
	// An expired refresh token (14 days idle).
	stale := e.login(ed.Email, testPassword)
	e.clock.Add(15 * 24 * time.Hour)
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(stale)}).want(t, 401, nil)
}

func TestLogout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	login := e.login(e.users[auth.RoleAuthor].Email, testPassword)
	access := login.str("access_token")
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: access}).want(t, 200, nil)
	out := e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Headers: cookieHeader(login)})
	out.want(t, 204, nil)
	if c := out.cookie("folio_refresh"); c == nil || c.Value != "" || c.MaxAge >= 0 {
		t.Errorf("logout cookie = %+v, want it cleared", c)
	}
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(login)}).want(t, 401, nil)
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: access}).want(t, 401, nil)
	// A stale cookie is fine: the session is over either way.
	e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Headers: cookieHeader(login)}).want(t, 204, nil)
	// Neither a cookie nor an access token: nothing says which session to end.
	e.do(req{Method: "POST", Path: "/api/v1/auth/logout"}).want(t, 401, map[string]any{"error.code": "unauthenticated"})
}

// TestLogoutWithOnlyTheAccessToken: a client that keeps no cookie (a
// script, a mobile app) signs out with its access token; that ends the
// session the token belongs to, so both of its tokens stop working.
func TestLogoutWithOnlyTheAccessToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	login := e.login(e.users[auth.RoleEditor].Email, testPassword)
	access := login.str("access_token")
	other := e.login(e.users[auth.RoleEditor].Email, testPassword) // another device

	out := e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Token: access})
	out.want(t, 204, nil)
	if len(out.Body) != 0 {
		t.Errorf("logout body = %q, want none", out.Body)
	}
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: access}).want(t, 401, map[string]any{"error.code": "invalid_token"})
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(login)}).want(t, 401, map[string]any{"error.code": "invalid_refresh_token"})
	// The other device's session goes on.
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: other.str("access_token")}).want(t, 200, map[string]any{"data.email": e.users[auth.RoleEditor].Email})
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(other)}).want(t, 200, nil)
	// The ended session's token can't sign out again, and a forged one neither.
	e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Token: access}).want(t, 401, map[string]any{"error.code": "invalid_token"})
	e.do(req{Method: "POST", Path: "/api/v1/auth/logout", Token: "not-a-token"}).want(t, 401, map[string]any{"error.code": "invalid_token"})
}

// TestChangesEndSessions: a password change, a disable, a role change and a
// delete each end the user's sessions, refresh and access tokens alike.
func TestChangesEndSessions(t *testing.T) {
	t.Parallel()
	changes := map[string]func(e *env, u auth.User) *resp{
		"password reset by an admin": func(e *env, u auth.User) *resp {
			return e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", u.ID), As: auth.RoleAdmin, Body: map[string]any{"password": "another fine passphrase"}})
		},
		"disable": func(e *env, u auth.User) *resp {
			return e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", u.ID), As: auth.RoleAdmin, Body: map[string]any{"disabled": true}})
		},
		"role change": func(e *env, u auth.User) *resp {
			return e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", u.ID), As: auth.RoleAdmin, Body: map[string]any{"role": "author"}})
		},
		"delete": func(e *env, u auth.User) *resp {
			return e.do(req{Method: "DELETE", Path: fmt.Sprintf("/api/v1/admin/users/%d", u.ID), As: auth.RoleAdmin})
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			u := e.users[auth.RoleEditor]
			login := e.login(u.Email, testPassword)
			access := login.str("access_token")
			e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: access}).want(t, 200, nil)
			if r := change(e, u); r.Status >= 300 {
				t.Fatalf("change: %d %s", r.Status, r.Body)
			}
			e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: access}).want(t, 401, nil)
			e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: e.tokens[auth.RoleEditor]}).want(t, 401, nil) // tokens issued earlier
			e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(login)}).want(t, 401, nil)
		})
	}
	// A name change ends nothing.
	e := newEnv(t)
	u := e.users[auth.RoleEditor]
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", u.ID), As: auth.RoleAdmin, Body: map[string]any{"name": "Still Here"}}).want(t, 200, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor}).want(t, 200, nil)
}

func TestChangeOwnPassword(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.users[auth.RoleMarketer]
	login := e.login(u.Email, testPassword)
	elsewhere := e.login(u.Email, testPassword)
	access := login.str("access_token")
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: access, Body: map[string]any{"password": "a brand new passphrase", "current_password": "wrong one"}}).
		want(t, 403, map[string]any{"error.code": "wrong_password"})
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: access, Body: map[string]any{"password": "a brand new passphrase"}}).want(t, 403, nil)
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: access, Body: map[string]any{"password": "short", "current_password": testPassword}}).
		want(t, 422, map[string]any{"error.details.0.field": "password"})
	r := e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: access, Body: map[string]any{"password": "a brand new passphrase", "current_password": testPassword}})
	r.want(t, 200, map[string]any{"data.email": u.Email})
	// Every old session is over; this client got a new one.
	e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: access}).want(t, 401, nil)
	e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(elsewhere)}).want(t, 401, nil)
	fresh := e.do(req{Method: "POST", Path: "/api/v1/auth/refresh", Headers: cookieHeader(r)})
	fresh.want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: fresh.str("access_token"), Body: map[string]any{"name": "New Name"}}).want(t, 200, map[string]any{"data.name": "New Name"})
	e.login(u.Email, testPassword).want(t, 401, nil)
	e.login(u.Email, "a brand new passphrase").want(t, 200, nil)
	// Mass assignment on /me.
	for _, field := range []string{"role", "email", "id", "password_hash", "created_at", "disabled"} {
		e.do(req{Method: "PATCH", Path: "/api/v1/auth/me", Token: fresh.str("access_token"), Body: map[string]any{field: "admin"}}).
			want(t, 400, map[string]any{"error.code": "unknown_field"})
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	u := e.users[auth.RoleEditor]
	for i := 0; i < 5; i++ {
		e.login(u.Email, fmt.Sprintf("wrong password %d", i)).want(t, 401, nil)
		e.clock.Add(time.Minute)
	}
	// The sixth attempt is refused even with the right password, in any letter case.
	r := e.login(u.Email, testPassword)
	r.want(t, 429, map[string]any{"error.code": "too_many_attempts"})
	// The oldest of the five failures, 5 minutes ago, leaves the 15-minute window in 10 minutes.
	if retry, _ := strconv.Atoi(r.Header.Get("Retry-After")); retry != 600 {
		t.Errorf("Retry-After = %d, want 600", retry)
	}
	e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": " " + strings.ToUpper(u.Email), "password": testPassword}}).want(t, 429, nil)
	// Other accounts are not locked.
	e.login(e.users[auth.RoleAuthor].Email, testPassword).want(t, 200, nil)
	// After the window has passed for the oldest failure, sign-in works again
	// (and a success clears the count).
	e.clock.Add(10*time.Minute + time.Second)
	e.login(u.Email, testPassword).want(t, 200, nil)
	e.login(u.Email, "wrong again").want(t, 401, nil)
	e.login(u.Email, testPassword).want(t, 200, nil)
}

func TestLoginLockoutByIP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for i := 0; i < 20; i++ {
		e.login(fmt.Sprintf("guess%d@example.com", i), "not a password").want(t, 401, nil)
	}
	r := e.login(e.users[auth.RoleAdmin].Email, testPassword)
	r.want(t, 429, nil)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
}

func TestLastAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.users[auth.RoleAdmin]
	path := fmt.Sprintf("/api/v1/admin/users/%d", admin.ID)
	for _, body := range []map[string]any{{"role": "editor"}, {"disabled": true}} {
		e.do(req{Method: "PATCH", Path: path, As: auth.RoleAdmin, Body: body}).want(t, 409, map[string]any{"error.code": "last_admin"})
	}
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleAdmin}).want(t, 409, map[string]any{"error.code": "last_admin"})
	// With a second admin, the first may step down.
	second := e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: map[string]any{"email": "second@example.com", "role": "admin", "password": "second admin passphrase"}})
	second.want(t, 201, nil)
	// A disabled admin does not count.
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", second.num("data.id")), As: auth.RoleAdmin, Body: map[string]any{"disabled": true}}).want(t, 200, nil)
	e.do(req{Method: "DELETE", Path: path, As: auth.RoleAdmin}).want(t, 409, nil)
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", second.num("data.id")), As: auth.RoleAdmin, Body: map[string]any{"disabled": false}}).want(t, 200, nil)
	e.do(req{Method: "PATCH", Path: path, As: auth.RoleAdmin, Body: map[string]any{"role": "editor"}}).want(t, 200, map[string]any{"data.role": "editor"})
}

func TestUserValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := map[string]any{"email": "Writer@Example.com", "role": "author", "password": "a sturdy passphrase", "name": "Writer"}
	r := e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: good})
	r.want(t, 201, map[string]any{"data.email": "writer@example.com", "data.role": "author", "data.has_password": true})
	if _, ok := r.get("data.password"); ok {
		t.Error("the response shows the password")
	}
	e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: good}).want(t, 409, map[string]any{"error.code": "email_taken"})
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"bad email", map[string]any{"email": "not-an-email", "role": "author", "password": "a sturdy passphrase"}, "email"},
		{"unknown role", map[string]any{"email": "a@example.com", "role": "owner", "password": "a sturdy passphrase"}, "role"},
		{"short password", map[string]any{"email": "a@example.com", "role": "author", "password": "short1"}, "password"},
		{"common password", map[string]any{"email": "a@example.com", "role": "author", "password": "1234567890"}, "password"},
		{"common word dressed up", map[string]any{"email": "a@example.com", "role": "author", "password": "Sunshine2024!"}, "password"},
		{"leet common password", map[string]any{"email": "a@example.com", "role": "author", "password": "P@ssw0rd123"}, "password"},
		{"keyboard run", map[string]any{"email": "a@example.com", "role": "author", "password": "qwertyuiop"}, "password"},
		{"repeated", map[string]any{"email": "a@example.com", "role": "author", "password": "abababababab"}, "password"},
		{"the email", map[string]any{"email": "averylongname@example.com", "role": "author", "password": "averylongname1"}, "password"},
	}
	for _, tt := range tests {
		r := e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: tt.body})
		r.want(t, 422, map[string]any{"error.code": "validation_failed"})
		if !hasDetail(r, tt.field) {
			t.Errorf("%s: no detail for %s: %s", tt.name, tt.field, r.Body)
		}
	}
	// Mass assignment.
	for _, field := range []string{"id", "password_hash", "created_at", "token_version"} {
		body := map[string]any{"email": "m@example.com", "role": "author", "password": "a sturdy passphrase", field: 1}
		e.do(req{Method: "POST", Path: "/api/v1/admin/users", As: auth.RoleAdmin, Body: body}).want(t, 400, map[string]any{"error.code": "unknown_field"})
	}
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", r.num("data.id")), As: auth.RoleAdmin, Body: map[string]any{"slug": "x"}}).want(t, 400, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/users/99999", As: auth.RoleAdmin}).want(t, 404, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/users?q=writer", As: auth.RoleAdmin}).want(t, 200, map[string]any{"meta.total": 1, "data.0.email": "writer@example.com"})
	// Changing an email to one that is taken.
	id := e.users[auth.RoleAuthor].ID
	e.do(req{Method: "PATCH", Path: fmt.Sprintf("/api/v1/admin/users/%d", id), As: auth.RoleAdmin, Body: map[string]any{"email": "WRITER@example.com"}}).want(t, 409, nil)
}
