package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// API token scopes.
const (
	ScopeContent = "content" // read published content when FOLIO_PUBLIC_API=token
	ScopePreview = "preview" // also read drafts and scheduled items with ?preview=1
)

// API token formats: Folio's own (folio_…), or a Ghost content key (26
// hex characters), which Ghost's own client insists on.
const (
	FormatFolio = "folio"
	FormatGhost = "ghost"
)

// APIToken is a token a frontend uses to read the public API.
type APIToken struct {
	ID         int64
	Name       string
	Scope      string
	Format     string // FormatFolio or FormatGhost
	Prefix     string // the first characters of the secret, to recognise it
	CreatedBy  *int64
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// tokenPrefix starts every API token, so leaked ones are easy to grep for.
const tokenPrefix = "folio_"

// ghostKeyLen is the length of a Ghost content key: 13 random bytes in hex.
const ghostKeyLen = 26

// isGhostKey reports whether secret looks like a Ghost content key.
func isGhostKey(secret string) bool {
	if len(secret) != ghostKeyLen {
		return false
	}
	for _, r := range secret {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// CreateAPIToken makes a token in format (FormatFolio, or "" for it, or
// FormatGhost); the secret is returned once and only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, actor Principal, name, scope, format string) (APIToken, string, error) {
	if err := Check(actor, PermTokensManage, NoRecord); err != nil {
		return APIToken{}, "", err
	}
	name = strings.TrimSpace(name)
	var f errs.Fields
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		f.Add("name", "must not be empty")
	case n > 100:
		f.Add("name", "must be at most 100 characters")
	}
	if scope != ScopeContent && scope != ScopePreview {
		f.Add("scope", "must be content or preview")
	}
	if format != "" && format != FormatFolio && format != FormatGhost {
		f.Add("format", "must be folio or ghost")
	}
	if err := f.Err(); err != nil {
		return APIToken{}, "", err
	}
	secret := tokenPrefix + newSecret(30)
	prefix := secret[:len(tokenPrefix)+6]
	if format == FormatGhost {
		b := make([]byte, ghostKeyLen/2)
		_, _ = rand.Read(b)
		secret = hex.EncodeToString(b)
		prefix = secret[:6]
	}
	row := store.APITokenRow{Name: name, Scope: scope, Hash: hashSecret(secret), Prefix: prefix}
	if actor.ID != 0 {
		row.CreatedBy = &actor.ID
	}
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertAPIToken(&row); err != nil {
			return err
		}
		return Audit(tx, actor, "api_token.create", "api_token", row.ID, map[string]string{"name": name, "scope": scope, "format": apiTokenFromRow(row).Format})
	})
	if err != nil {
		return APIToken{}, "", err
	}
	return apiTokenFromRow(row), secret, nil
}

// APITokens lists every API token, newest first, never with its secret.
func (s *Service) APITokens(ctx context.Context, actor Principal) ([]APIToken, error) {
	if err := Check(actor, PermTokensManage, NoRecord); err != nil {
		return nil, err
	}
	rows, err := s.Store.Read(ctx).APITokens()
	if err != nil {
		return nil, err
	}
	out := make([]APIToken, len(rows))
	for i, r := range rows {
		out[i] = apiTokenFromRow(r)
	}
	return out, nil
}

// DeleteAPIToken revokes a token at once.
func (s *Service) DeleteAPIToken(ctx context.Context, actor Principal, id int64) error {
	if err := Check(actor, PermTokensManage, Record{}); err != nil {
		return err
	}
	return s.Store.Write(ctx, func(tx *store.Tx) error {
		row, err := tx.DeleteAPIToken(id)
		if store.IsNotFound(err) {
			return errs.NotFoundf("No API token with that id.")
		}
		if err != nil {
			return err
		}
		return Audit(tx, actor, "api_token.delete", "api_token", id, map[string]string{"name": row.Name})
	})
}

var errBadAPIToken = errs.New(errs.Unauthenticated, "invalid_api_token", "Send a valid API token as \"Authorization: Bearer <token>\" or ?key=<token>.")

// VerifyAPIToken returns the token a secret belongs to. Its last use is
// recorded at most once a minute, so reading stays off the write path.
func (s *Service) VerifyAPIToken(ctx context.Context, secret string) (APIToken, error) {
	if !strings.HasPrefix(secret, tokenPrefix) && !isGhostKey(secret) {
		return APIToken{}, errBadAPIToken
	}
	row, err := s.Store.Read(ctx).APITokenByHash(hashSecret(secret))
	if store.IsNotFound(err) {
		return APIToken{}, errBadAPIToken
	}
	if err != nil {
		return APIToken{}, err
	}
	if now := s.now(); s.apiTokenUse.due(row.ID, now) {
		_ = s.Store.Write(ctx, func(tx *store.Tx) error { return tx.TouchAPIToken(row.ID, now) })
	}
	return apiTokenFromRow(row), nil
}

// apiTokenUse remembers when each token's last use was written.
type apiTokenUse struct {
	mu      sync.Mutex
	written map[int64]time.Time
}

func (u *apiTokenUse) due(id int64, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.written == nil {
		u.written = map[int64]time.Time{}
	}
	if last, ok := u.written[id]; ok && now.Sub(last) < time.Minute {
		return false
	}
	u.written[id] = now
	return true
}

func apiTokenFromRow(r store.APITokenRow) APIToken {
	format := FormatFolio
	if !strings.HasPrefix(r.Prefix, tokenPrefix) {
		format = FormatGhost
	}
	return APIToken{ID: r.ID, Name: r.Name, Scope: r.Scope, Format: format, Prefix: r.Prefix, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt}
}
