package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token lifetimes and identifiers.
const (
	AccessTTL = 15 * time.Minute
	issuer    = "folio"
	audience  = "folio-admin"
	leeway    = 30 * time.Second
)

// Claims are the claims of a Folio access token.
type Claims struct {
	jwt.RegisteredClaims
	// TokenVersion is the user's token version when the token was issued; a
	// token whose version is behind the user's is refused.
	TokenVersion int `json:"tv"`
	// SessionID names the session the token belongs to; a token of an ended
	// session is refused.
	SessionID string `json:"sid,omitempty"`
}

// UnmarshalJSON decodes the claims, refusing times that are not JSON
// numbers: RFC 7519 makes exp, iat and nbf NumericDates, and the JWT
// library would also take "1767225600" as a string.
func (c *Claims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for _, name := range []string{"exp", "iat", "nbf"} {
		v, ok := raw[name]
		if !ok {
			continue
		}
		if v = bytes.TrimSpace(v); len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
			return fmt.Errorf("claim %q is not a NumericDate (a JSON number)", name)
		}
	}
	type plain Claims // without this method
	return json.Unmarshal(b, (*plain)(c))
}

// UserID returns the subject as a user id.
func (c Claims) UserID() (int64, error) {
	return strconv.ParseInt(c.Subject, 10, 64)
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	secret []byte
	now    func() time.Time
}

// NewTokens returns Tokens signing with secret (at least 32 bytes).
func NewTokens(secret []byte, now func() time.Time) (*Tokens, error) {
	if len(secret) < 32 {
		return nil, errors.New("JWT secret shorter than 32 bytes")
	}
	if now == nil {
		now = time.Now
	}
	return &Tokens{secret: secret, now: now}, nil
}

// Issue returns a signed access token for the user in a session, and its
// lifetime.
func (t *Tokens) Issue(userID int64, tokenVersion int, sessionID string) (string, time.Duration, error) {
	now := t.now().UTC().Truncate(time.Second)
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   strconv.FormatInt(userID, 10),
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTTL)),
		},
		TokenVersion: tokenVersion,
		SessionID:    sessionID,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.secret)
	if err != nil {
		return "", 0, fmt.Errorf("sign token: %w", err)
	}
	return s, AccessTTL, nil
}

// Verify parses and checks an access token: HS256 only (so "none" and
// asymmetric algorithms are refused), signed with our key, from our issuer,
// for our audience, with an expiry that has not passed and an issue time
// that is not in the future.
func (t *Tokens) Verify(token string) (Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(leeway),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		return Claims{}, err
	}
	if _, err := c.UserID(); err != nil {
		return Claims{}, fmt.Errorf("token subject: %w", err)
	}
	return c, nil
}
