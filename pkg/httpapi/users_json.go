package httpapi

import (
	"cmp"
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
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
	Bio         *string   `json:"bio"`
	AvatarID    *int64    `json:"avatar_id"`
	Website     *string   `json:"website"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func userOut(u auth.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Slug: u.Slug, Role: u.Role, Disabled: u.Disabled,
		HasPassword: u.HasPassword, Bio: nonEmpty(u.Bio), AvatarID: u.AvatarID, Website: nonEmpty(u.Website),
		CreatedAt: u.CreatedAt.UTC(), UpdatedAt: u.UpdatedAt.UTC()}
}

// profileJSON is the public profile a user edits (admins for anyone, each
// user for themselves): left out stays, null (or "") removes.
type profileJSON struct {
	Bio      *string `json:"bio" nullable:"true"`
	AvatarID *int64  `json:"avatar_id" nullable:"true"`
	Website  *string `json:"website" nullable:"true"`
}

// profile turns the decoded fields into a change, telling null from left out
// by the keys of the body.
func (p profileJSON) profile(c *fiber.Ctx) (auth.Profile, error) {
	keys, err := bodyKeys(c)
	if err != nil {
		return auth.Profile{}, err
	}
	var out auth.Profile
	if _, ok := keys["bio"]; ok {
		out.Bio = cmp.Or(p.Bio, new(string))
	}
	if _, ok := keys["website"]; ok {
		out.Website = cmp.Or(p.Website, new(string))
	}
	if _, ok := keys["avatar_id"]; ok {
		switch {
		case p.AvatarID == nil:
			out.Avatar = new(int64) // null: no avatar
		case *p.AvatarID <= 0:
			return auth.Profile{}, errs.Validationf("avatar_id", "must be a media item's id (null removes the avatar)")
		default:
			out.Avatar = p.AvatarID
		}
	}
	return out, nil
}

// bodyKeys are the top-level keys of the JSON body already read.
func bodyKeys(c *fiber.Ctx) (map[string]json.RawMessage, error) {
	var keys map[string]json.RawMessage
	b, _ := c.Locals(keyBody).([]byte)
	if err := json.Unmarshal(b, &keys); err != nil {
		return nil, jsonError(err)
	}
	return keys, nil
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
	profileJSON
}

type mePatchJSON struct {
	Name            *string `json:"name"`
	Password        *string `json:"password"`
	CurrentPassword *string `json:"current_password"`
	profileJSON
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
