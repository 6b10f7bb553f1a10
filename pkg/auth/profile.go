package auth

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// The limits of a user's public profile.
const (
	MaxBio     = 2000
	MaxWebsite = 2048
)

// Profile is what a user shows the public as an author: nil fields stay
// as they are; "" (or an avatar of 0) removes one.
type Profile struct {
	Bio     *string
	Avatar  *int64 // a media item (an image)
	Website *string
}

// applyProfile checks p and applies it to row, recording what changed.
func applyProfile(tx *store.Tx, f *errs.Fields, row *store.UserRow, p Profile, changed map[string]any) error {
	if p.Bio != nil {
		bio := strings.TrimSpace(*p.Bio)
		if utf8.RuneCountInString(bio) > MaxBio {
			f.Addf("bio", "must be at most %d characters", MaxBio)
		}
		if bio != row.Bio {
			row.Bio, changed["bio"] = bio, true
		}
	}
	if p.Website != nil {
		w := strings.TrimSpace(*p.Website)
		if w != "" && !webURL(w) {
			f.Add("website", "must be an absolute http:// or https:// URL")
		}
		if w != row.Website {
			row.Website, changed["website"] = w, w
		}
	}
	if p.Avatar != nil {
		var id *int64
		if *p.Avatar != 0 {
			v := *p.Avatar
			id = &v
			m, err := tx.Media(v)
			switch {
			case store.IsNotFound(err):
				f.Addf("avatar", "no media item has id %d", v)
			case err != nil:
				return err
			case m.Type != media.TypeImage:
				f.Add("avatar", "must be an image, not a document")
			}
		}
		if (id == nil) != (row.AvatarID == nil) || (id != nil && *id != *row.AvatarID) {
			row.AvatarID, changed["avatar"] = id, id
		}
	}
	return nil
}

// webURL reports whether s is an absolute http(s) URL with a host, without
// credentials, spaces or control characters.
func webURL(s string) bool {
	if len(s) > MaxWebsite || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
