package httpapi

import (
	"encoding/json"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
)

// The JSON types of sign-in, users, API tokens and the audit log.

type loginJSON struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type userJSON struct {
	ID          int64     `json:"id"`
	Email       string    `json:"email"`
	Name        string    `json:"name"`
	Slug        string    `json:"slug"`
	Role        auth.Role `json:"role"`
	Disabled    bool      `json:"disabled"`
	HasPassword bool      `json:"has_password"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func userOut(u auth.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Slug: u.Slug, Role: u.Role, Disabled: u.Disabled,
		HasPassword: u.HasPassword, CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

type userCreateJSON struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
	Disabled bool   `json:"disabled"`
}

type userPatchJSON struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Role     *string `json:"role"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password"`
}

type mePatchJSON struct {
	Name            *string `json:"name"`
	Password        *string `json:"password"`
	CurrentPassword *string `json:"current_password"`
}

type apiTokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope"`
	Format     string     `json:"format"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// newAPITokenJSON is a token as created: the only time its secret is shown.
type newAPITokenJSON struct {
	apiTokenJSON
	Token string `json:"token"`
}

type apiTokenCreateJSON struct {
	Name   string `json:"name"`
	Scope  string `json:"scope"`
	Format string `json:"format"` // optional: folio (the default) or ghost
}

func apiTokenOut(t auth.APIToken) apiTokenJSON {
	return apiTokenJSON{ID: t.ID, Name: t.Name, Scope: t.Scope, Format: t.Format, Prefix: t.Prefix, CreatedAt: t.CreatedAt.UTC(), LastUsedAt: utc(t.LastUsedAt)}
}

type auditJSON struct {
	ID         int64           `json:"id"`
	UserID     *int64          `json:"user_id"`
	Actor      string          `json:"actor"`
	Action     string          `json:"action"`
	RecordType string          `json:"record_type"`
	RecordID   *int64          `json:"record_id"`
	IP         string          `json:"ip"`
	Details    json.RawMessage `json:"details"`
	CreatedAt  time.Time       `json:"created_at"`
}

type loginResponseJSON struct {
	AccessToken string   `json:"access_token"`
	TokenType   string   `json:"token_type"`
	ExpiresIn   int      `json:"expires_in"`
	User        userJSON `json:"user"`
	// Permissions: how far each permission of the user reaches (auth.Reach).
	Permissions map[auth.Permission]string `json:"permissions"`
}
