package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/google/uuid"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// Session lifetimes and sign-in limits.
const (
	RefreshTTL      = 14 * 24 * time.Hour // a session unused this long ends
	SessionMaxAge   = 60 * 24 * time.Hour // and every session ends after this
	LockoutWindow   = 15 * time.Minute
	MaxEmailFailure = 5  // failed sign-ins for one email within the window
	MaxIPFailure    = 20 // failed sign-ins from one IP within the window
)

// Client describes where a request comes from.
type Client struct {
	IP        string
	UserAgent string
}

// Session is a signed-in session: a short-lived access token and the
// refresh token that gets the next one.
type Session struct {
	AccessToken    string
	ExpiresIn      time.Duration
	RefreshToken   string
	RefreshExpires time.Time
	User           User
}

var (
	errBadCredentials = errs.New(errs.Unauthenticated, "invalid_credentials", "The email or password is not correct.")
	errBadRefresh     = errs.New(errs.Unauthenticated, "invalid_refresh_token", "The session has ended or the refresh token is not valid: sign in again.")
	errBadToken       = errs.New(errs.Unauthenticated, "invalid_token", "The access token is missing, malformed, expired or not valid.")
)

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Login checks an email and password and starts a session. A wrong
// password, an unknown email, a disabled user and a user without a password
// all get the same error after the same amount of work. After too many
// failures for the email or from the IP within LockoutWindow, every attempt
// (even with the right password) is refused with RateLimited until the
// window has passed. Each attempt is counted before the password is checked,
// so parallel guesses cannot slip past the limit.
func (s *Service) Login(ctx context.Context, email, password string, from Client) (Session, error) {
	email = NormalizeEmail(email)
	now := s.now()
	since := now.Add(-LockoutWindow)
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		byEmail, byIP, err := tx.LoginFailures(email, from.IP, since)
		if err != nil {
			return err
		}
		if byEmail >= MaxEmailFailure || byIP >= MaxIPFailure {
			return s.lockedOut(tx.Reader, email, from.IP, byEmail, byIP, since, now)
		}
		return tx.AddLoginFailure(email, from.IP, since)
	})
	if err != nil {
		return Session{}, err
	}
	row, err := s.Store.Read(ctx).UserByEmail(email)
	if err != nil && !store.IsNotFound(err) {
		return Session{}, err
	}
	var hash *string
	if err == nil {
		hash = row.PasswordHash
	}
	if !s.Hasher.Check(hash, password) || row.Disabled {
		return Session{}, errBadCredentials // the attempt stays counted as a failure
	}
	var sess Session
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.ClearLoginFailures(email); err != nil {
			return err
		}
		var err error
		sess, err = s.startSession(tx, row, from)
		if err != nil {
			return err
		}
		p := Principal{User: userFromRow(row), IP: from.IP}
		return Audit(tx, p, "user.login", "user", row.ID, map[string]string{"user_agent": from.UserAgent})
	})
	return sess, err
}

// lockedOut builds the 429 with the seconds until enough failures have left
// the window.
func (s *Service) lockedOut(r store.Reader, email, ip string, byEmail, byIP int64, since, now time.Time) error {
	var wait time.Duration
	for _, c := range []struct {
		column, value string
		count         int64
		limit         int
	}{{"email", email, byEmail, MaxEmailFailure}, {"ip", ip, byIP, MaxIPFailure}} {
		if c.count < int64(c.limit) {
			continue
		}
		at, err := r.NthLatestFailure(c.column, c.value, c.limit, since)
		if err != nil {
			return err
		}
		if at != nil {
			wait = max(wait, at.Add(LockoutWindow).Sub(now))
		}
	}
	secs := max(1, int((wait+time.Second-1)/time.Second))
	return errs.Newf(errs.RateLimited, "too_many_attempts",
		"Too many failed sign-ins. Try again in %d minutes.", (secs+59)/60).With("retry_after_seconds", secs)
}

// startSession creates a session and its first refresh token, and issues an
// access token bound to it.
func (s *Service) startSession(tx *store.Tx, user store.UserRow, from Client) (Session, error) {
	now := tx.Now()
	sess := store.SessionRow{
		ID: uuid.NewString(), UserID: user.ID, ExpiresAt: now.Add(SessionMaxAge),
		IP: from.IP, UserAgent: truncate(from.UserAgent, 300),
	}
	if err := tx.InsertSession(&sess); err != nil {
		return Session{}, err
	}
	return s.nextTokens(tx, user, sess.ID)
}

// nextTokens issues a new refresh token in a session and an access token.
func (s *Service) nextTokens(tx *store.Tx, user store.UserRow, sessionID string) (Session, error) {
	refresh := newSecret(32)
	expires := tx.Now().Add(RefreshTTL)
	if err := tx.InsertRefreshToken(&store.RefreshTokenRow{Hash: hashSecret(refresh), SessionID: sessionID, ExpiresAt: expires}); err != nil {
		return Session{}, err
	}
	access, ttl, err := s.Tokens.Issue(user.ID, user.TokenVersion, sessionID)
	if err != nil {
		return Session{}, err
	}
	return Session{AccessToken: access, ExpiresIn: ttl, RefreshToken: refresh, RefreshExpires: expires, User: userFromRow(user)}, nil
}

// Refresh rotates a refresh token: the presented token stops working and a
// new one (and a new access token) is returned. Presenting a token that was
// already rotated means it was copied: the whole session is ended.
func (s *Service) Refresh(ctx context.Context, refreshToken string, from Client) (Session, error) {
	if refreshToken == "" {
		return Session{}, errBadRefresh
	}
	hash := hashSecret(refreshToken)
	var sess Session
	reused := false
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		tok, err := tx.RefreshToken(hash)
		if store.IsNotFound(err) {
			return errBadRefresh
		}
		if err != nil {
			return err
		}
		session, err := tx.Session(tok.SessionID)
		if err != nil {
			return err
		}
		now := tx.Now()
		if session.RevokedAt != nil || !now.Before(session.ExpiresAt) || !now.Before(tok.ExpiresAt) {
			return errBadRefresh
		}
		fresh, err := tx.UseRefreshToken(hash)
		if err != nil {
			return err
		}
		if !fresh { // rotated before: someone else holds this token
			reused = true
			if err := tx.RevokeSession(session.ID); err != nil {
				return err
			}
			user, _ := tx.User(session.UserID)
			p := Principal{User: userFromRow(user), IP: from.IP}
			return Audit(tx, p, "session.reuse_detected", "user", session.UserID, map[string]string{"session": session.ID})
		}
		user, err := tx.User(session.UserID)
		if err != nil || user.Disabled {
			return errBadRefresh
		}
		if err := tx.TouchSession(session.ID); err != nil {
			return err
		}
		sess, err = s.nextTokens(tx, user, session.ID)
		return err
	})
	if err == nil && reused {
		return Session{}, errBadRefresh
	}
	return sess, err
}

// Logout ends the session a refresh token belongs to. An unknown token is
// not an error: the session is over either way.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return nil
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		tok, err := tx.RefreshToken(hashSecret(refreshToken))
		if store.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.RevokeSession(tok.SessionID)
	})
}

// LogoutAccess ends the session an access token belongs to, for clients
// that sign out without the refresh cookie. The token must still be valid
// (else errBadToken); its session's refresh tokens and access tokens stop
// working at once. A token of no session has nothing to end.
func (s *Service) LogoutAccess(ctx context.Context, accessToken string, from Client) error {
	p, err := s.Authenticate(ctx, accessToken, from)
	if err != nil || p.SessionID == "" {
		return err
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error { return tx.RevokeSession(p.SessionID) })
}

// Authenticate verifies a bearer access token and returns the caller, loaded
// fresh from the database: a deleted or disabled user, a token issued before
// the user's last password, role or status change, and a token of an ended
// session are all refused.
func (s *Service) Authenticate(ctx context.Context, token string, from Client) (Principal, error) {
	claims, err := s.Tokens.Verify(token)
	if err != nil {
		return Principal{}, errs.Wrap(err, errs.Unauthenticated, errBadToken.Code, errBadToken.Message)
	}
	id, _ := claims.UserID()
	r := s.Store.Read(ctx)
	row, err := r.User(id)
	if store.IsNotFound(err) || (err == nil && (row.Disabled || row.TokenVersion != claims.TokenVersion)) {
		return Principal{}, errBadToken
	}
	if err != nil {
		return Principal{}, err
	}
	if claims.SessionID != "" {
		sess, err := r.Session(claims.SessionID)
		if store.IsNotFound(err) || (err == nil && (sess.RevokedAt != nil || sess.UserID != id)) {
			return Principal{}, errBadToken
		}
		if err != nil {
			return Principal{}, err
		}
	}
	return Principal{User: userFromRow(row), IP: from.IP, SessionID: claims.SessionID}, nil
}

// endSessions makes every token of a user stop working: refresh tokens via
// their sessions, access tokens via the token version.
func endSessions(tx *store.Tx, row *store.UserRow) error {
	row.TokenVersion++
	return tx.RevokeUserSessions(row.ID)
}

// newSecret returns n random bytes, base64url-encoded.
func newSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret is how secrets are stored: SHA-256, hex. Secrets are random
// and long, so a fast hash is enough (unlike passwords).
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
