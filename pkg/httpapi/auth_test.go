package httpapi_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/folio-cms/folio/pkg/auth"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	editor := e.users[auth.RoleEditor]

	r := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": editor.Email, "password": testPassword}})
	r.want(t, 200, map[string]any{"token_type": "Bearer", "expires_in": 900, "user.email": editor.Email, "user.role": "editor"})
	if got := r.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	// The token works.
	me := e.do(req{Method: "GET", Path: "/api/v1/auth/me", Token: r.str("access_token")})
	me.want(t, 200, map[string]any{"data.id": editor.ID, "data.email": editor.Email, "data.name": editor.Name})

	// Emails are matched case-insensitively.
	e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": " " + strings.ToUpper(editor.Email), "password": testPassword}}).want(t, 200, nil)

	// A wrong password and an unknown email get exactly the same answer.
	wrong := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": editor.Email, "password": "not the password"}})
	unknown := e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "nobody@example.com", "password": "not the password"}})
	wrong.want(t, 401, map[string]any{"error.code": "invalid_credentials"})
	unknown.want(t, 401, nil)
	if string(wrong.Body) != string(unknown.Body) {
		t.Errorf("wrong password body %s != unknown email body %s", wrong.Body, unknown.Body)
	}

	// Malformed requests.
	e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: `{"email":`}).want(t, 400, map[string]any{"error.code": "invalid_json"})
	e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]any{"email": "a@example.com", "password": "x", "role": "admin"}}).
		want(t, 400, map[string]any{"error.code": "unknown_field"})
	e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: "email=a", Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}).
		want(t, 415, map[string]any{"error.code": "unsupported_media_type"})
}

func TestLoginRefusesDisabledAndPasswordlessUsers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ghost, err := e.auth.EnsureAuthor(t.Context(), "ghost@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !ghost.Disabled || ghost.HasPassword {
		t.Fatalf("imported author = %+v, want disabled without a password", ghost)
	}
	for _, pw := range []string{"", testPassword} {
		e.do(req{Method: "POST", Path: "/api/v1/auth/login", Body: map[string]string{"email": "ghost@example.com", "password": pw}}).
			want(t, 401, map[string]any{"error.code": "invalid_credentials"})
	}
}

// TestBadTokens walks the list of tokens the admin API must refuse with 401.
func TestBadTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.users[auth.RoleAdmin]
	now := e.clock.Now()
	sub := strconv.FormatInt(admin.ID, 10)
	valid := jwt.MapClaims{"iss": "folio", "aud": "folio-admin", "sub": sub, "iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	with := func(change func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{}
		for k, v := range valid {
			c[k] = v
		}
		change(c)
		return c
	}
	hs := func(c jwt.MapClaims, key []byte) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := hs(valid, testSecret)
	parts := strings.Split(good, ".")
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	es256, _ := jwt.NewWithClaims(jwt.SigningMethodES256, valid).SignedString(ecKey)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, valid).SignedString(jwt.UnsafeAllowNoneSignatureType)
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"folio","aud":"folio-admin","sub":"1","iat":`+
		strconv.FormatInt(now.Unix(), 10)+`,"exp":`+strconv.FormatInt(now.Add(time.Hour).Unix(), 10)+`}`)) + "." + parts[2]
	hs384, _ := jwt.NewWithClaims(jwt.SigningMethodHS384, valid).SignedString(testSecret)

	tests := []struct{ name, header string }{
		{"no header", ""},
		{"empty bearer", "Bearer "},
		{"basic auth", "Basic YWRtaW46YWRtaW4="},
		{"garbage", "Bearer garbage"},
		{"three dots", "Bearer a.b.c"},
		{"expired", "Bearer " + hs(with(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }), testSecret)},
		{"no exp", "Bearer " + hs(with(func(c jwt.MapClaims) { delete(c, "exp") }), testSecret)},
		{"alg none", "Bearer " + none},
		{"ES256", "Bearer " + es256},
		{"HS384", "Bearer " + hs384},
		{"another key", "Bearer " + hs(valid, []byte("another-secret-0123456789-0123456789"))},
		{"tampered payload", "Bearer " + tampered},
		{"wrong issuer", "Bearer " + hs(with(func(c jwt.MapClaims) { c["iss"] = "someone-else" }), testSecret)},
		{"wrong audience", "Bearer " + hs(with(func(c jwt.MapClaims) { c["aud"] = "another-app" }), testSecret)},
		{"issued in the future", "Bearer " + hs(with(func(c jwt.MapClaims) { c["iat"] = now.Add(time.Hour).Unix() }), testSecret)},
		{"not a user id", "Bearer " + hs(with(func(c jwt.MapClaims) { c["sub"] = "admin" }), testSecret)},
		{"unknown user", "Bearer " + hs(with(func(c jwt.MapClaims) { c["sub"] = "999999" }), testSecret)},
		// RFC 7519 NumericDate is a JSON number: the same instants as strings are refused.
		{"exp as a string", "Bearer " + hs(with(func(c jwt.MapClaims) { c["exp"] = strconv.FormatInt(now.Add(time.Minute).Unix(), 10) }), testSecret)},
		{"iat as a string", "Bearer " + hs(with(func(c jwt.MapClaims) { c["iat"] = strconv.FormatInt(now.Unix(), 10) }), testSecret)},
		{"nbf as a string", "Bearer " + hs(with(func(c jwt.MapClaims) { c["nbf"] = strconv.FormatInt(now.Unix(), 10) }), testSecret)},
		{"exp as an object", "Bearer " + hs(with(func(c jwt.MapClaims) { c["exp"] = map[string]any{"n": 1} }), testSecret)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Headers: map[string]string{"Authorization": tt.header}})
			r.want(t, 401, nil)
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	// The control: the well-formed token works, also with nbf and a fractional NumericDate.
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: good}).want(t, 200, nil)
	withNbf := hs(with(func(c jwt.MapClaims) { c["nbf"] = now.Unix(); c["exp"] = float64(now.Add(time.Minute).Unix()) + 0.5 }), testSecret)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: withNbf}).want(t, 200, nil)
	// Lowercase scheme is accepted (RFC 7235: schemes are case-insensitive).
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Headers: map[string]string{"Authorization": "bearer " + good}}).want(t, 200, nil)
	// Expired beyond the leeway, by the app's own clock.
	e.clock.Add(16 * time.Minute)
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", Token: e.tokens[auth.RoleAdmin]}).want(t, 401, map[string]any{"error.code": "invalid_token"})
}
