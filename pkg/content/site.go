package content

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// Site holds the site's own settings, which admins edit and frontends
// show: its name and description, its logo and icon, its navigation, its
// links elsewhere, its language. Every one is optional.
type Site struct {
	Title       string
	Description string
	Language    string // a BCP 47 tag, canonical ("en-GB")
	LogoID      int64  // a media item; 0: none
	IconID      int64
	Navigation  []NavLink
	Social      []SocialLink
	// Logo and Icon are LogoID and IconID resolved (nil when unset, or
	// when the item has since been deleted).
	Logo, Icon *Picture
	UpdatedAt  *time.Time // the last change; nil: never set
}

// NavLink is one item of the site's navigation, in order.
type NavLink struct {
	Label string `json:"label"`
	URL   string `json:"url"` // a site path ("/blog") or an http(s) URL
}

// SocialLink is one of the site's profiles elsewhere, in the order shown.
type SocialLink struct {
	Network string `json:"network"` // a short lower-case name: "github", "mastodon", "linkedin"
	URL     string `json:"url"`
}

// SitePatch is a change to the site settings: nil fields stay as they are.
// A pointer to "" (or to 0 for a media id, or to an empty list) unsets.
type SitePatch struct {
	Title, Description, Language *string
	LogoID, IconID               *int64
	Navigation                   *[]NavLink
	Social                       *[]SocialLink
}

// The limits of the site settings.
const (
	MaxSiteTitle       = 200
	MaxSiteDescription = 1000
	MaxNavigation      = 50
	MaxSocial          = 30
	MaxNavLabel        = 100
)

// The keys of site_settings.
const (
	siteTitle       = "title"
	siteDescription = "description"
	siteLanguage    = "language"
	siteLogo        = "logo"
	siteIcon        = "icon"
	siteNavigation  = "navigation"
	siteSocial      = "social"
)

var networkName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,31}$`)

// Site returns the site settings, for everyone: nothing in them is private.
func (s *Service) Site(ctx context.Context) (Site, error) {
	r := s.Store.Read(ctx)
	rows, err := r.SiteSettings()
	if err != nil {
		return Site{}, err
	}
	site, err := siteFrom(rows)
	if err != nil {
		return Site{}, err
	}
	return site, s.resolveSite(r, &site)
}

// UpdateSite changes the site settings (admins): every field is checked,
// and all problems are reported together.
func (s *Service) UpdateSite(ctx context.Context, actor auth.Principal, p SitePatch) (Site, error) {
	if err := auth.Check(actor, auth.PermSiteManage, auth.NoRecord); err != nil {
		return Site{}, err
	}
	values, changed, err := normalizeSite(&p)
	if err != nil {
		return Site{}, err
	}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		var v errs.Fields
		for _, m := range []struct {
			field string
			id    *int64
		}{{siteLogo, p.LogoID}, {siteIcon, p.IconID}} {
			if m.id == nil || *m.id == 0 {
				continue
			}
			row, err := tx.Media(*m.id)
			switch {
			case store.IsNotFound(err):
				v.Addf(m.field, "no media item has id %d", *m.id)
			case err != nil:
				return err
			case row.Type != media.TypeImage:
				v.Add(m.field, "must be an image, not a document")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		rows, err := tx.SiteSettings()
		if err != nil {
			return err
		}
		var did []string // what differs from what is stored: a setting set again to its value is left alone
		for _, k := range changed {
			if rows[k].Value == values[k] {
				continue
			}
			if err := tx.SetSiteSetting(k, values[k]); err != nil {
				return err
			}
			did = append(did, k)
		}
		if len(did) == 0 {
			return nil
		}
		return auth.Audit(tx, actor, "site.update", "site", 0, map[string]any{"fields": did})
	})
	if err != nil {
		return Site{}, err
	}
	return s.Site(ctx)
}

// CheckSite reports whether a change of the site settings is valid,
// without storing anything (an import checks its files before writing).
// Media ids are checked when the change is made.
func CheckSite(p SitePatch) error {
	_, _, err := normalizeSite(&p)
	return err
}

// normalizeSite trims and checks a patch and returns the JSON value of each
// setting it changes ("" to unset), and their keys in a fixed order.
func normalizeSite(p *SitePatch) (map[string]string, []string, error) {
	var v errs.Fields
	values := map[string]string{}
	var changed []string
	set := func(key string, value any, empty bool) {
		changed = append(changed, key)
		if empty {
			values[key] = ""
			return
		}
		b, _ := json.Marshal(value)
		values[key] = string(b)
	}
	text := func(key string, ptr *string, limit int) {
		if ptr == nil {
			return
		}
		t := strings.TrimSpace(*ptr)
		if strings.ContainsFunc(t, isControl) {
			v.Add(key, "must not contain control characters")
		}
		maxLen(&v, key, t, limit)
		set(key, t, t == "")
	}
	if p.Title != nil {
		t := strings.Join(strings.Fields(*p.Title), " ") // one line
		p.Title = &t
	}
	text(siteTitle, p.Title, MaxSiteTitle)
	text(siteDescription, p.Description, MaxSiteDescription)
	if p.Language != nil {
		l := strings.TrimSpace(*p.Language)
		if l != "" {
			tag, err := language.Parse(l)
			if err != nil {
				v.Add(siteLanguage, "must be a BCP 47 language tag, such as en, en-GB or pt-BR")
			} else {
				l = tag.String()
			}
		}
		set(siteLanguage, l, l == "")
	}
	for _, m := range []struct {
		key string
		id  *int64
	}{{siteLogo, p.LogoID}, {siteIcon, p.IconID}} {
		if m.id == nil {
			continue
		}
		if *m.id < 0 {
			v.Add(m.key, "must be a media item's id")
		}
		set(m.key, *m.id, *m.id <= 0)
	}
	if p.Navigation != nil {
		nav := *p.Navigation
		if len(nav) > MaxNavigation {
			v.Addf(siteNavigation, "must have at most %d links", MaxNavigation)
		}
		for i := range nav {
			f := fmt.Sprintf("%s[%d]", siteNavigation, i)
			nav[i].Label = strings.Join(strings.Fields(nav[i].Label), " ")
			nav[i].URL = strings.TrimSpace(nav[i].URL)
			if nav[i].Label == "" {
				v.Add(f+".label", "must not be empty")
			}
			maxLen(&v, f+".label", nav[i].Label, MaxNavLabel)
			if !siteLink(nav[i].URL) {
				v.Add(f+".url", "must be a path on the site (starting with /) or an absolute http:// or https:// URL")
			}
		}
		set(siteNavigation, nav, len(nav) == 0)
	}
	if p.Social != nil {
		soc := *p.Social
		if len(soc) > MaxSocial {
			v.Addf(siteSocial, "must have at most %d links", MaxSocial)
		}
		for i := range soc {
			f := fmt.Sprintf("%s[%d]", siteSocial, i)
			soc[i].Network = strings.ToLower(strings.TrimSpace(soc[i].Network))
			soc[i].URL = strings.TrimSpace(soc[i].URL)
			if !networkName.MatchString(soc[i].Network) {
				v.Add(f+".network", "must be a short name in lower case, such as github or mastodon (letters, digits, . and -, at most 32)")
			}
			if !ValidURL(soc[i].URL) {
				v.Add(f+".url", "must be an absolute http:// or https:// URL")
			}
		}
		set(siteSocial, soc, len(soc) == 0)
	}
	return values, changed, v.Err()
}

// siteLink reports whether s is a path on the site or an http(s) URL.
func siteLink(s string) bool {
	if strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") {
		return len(s) <= MaxURL && !strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '\\' })
	}
	return ValidURL(s)
}

func isControl(r rune) bool { return r < ' ' && r != '\n' && r != '\t' || r == 0x7f }

// siteFrom reads the settings out of their rows.
func siteFrom(rows map[string]store.SiteSettingRow) (Site, error) {
	var site Site
	for key, dst := range map[string]any{
		siteTitle: &site.Title, siteDescription: &site.Description, siteLanguage: &site.Language,
		siteLogo: &site.LogoID, siteIcon: &site.IconID, siteNavigation: &site.Navigation, siteSocial: &site.Social,
	} {
		row, ok := rows[key]
		if !ok {
			continue
		}
		if err := json.Unmarshal([]byte(row.Value), dst); err != nil {
			return Site{}, fmt.Errorf("site setting %s: %w", key, err)
		}
	}
	for _, row := range rows {
		if t := row.UpdatedAt.UTC(); site.UpdatedAt == nil || t.After(*site.UpdatedAt) {
			site.UpdatedAt = &t
		}
	}
	if site.Navigation == nil {
		site.Navigation = []NavLink{}
	}
	if site.Social == nil {
		site.Social = []SocialLink{}
	}
	return site, nil
}

// resolveSite fills in the logo and the icon from their media items.
func (s *Service) resolveSite(r store.Reader, site *Site) error {
	var ids []int64
	for _, id := range []int64{site.LogoID, site.IconID} {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	items, err := r.MediaByIDs(ids)
	if err != nil {
		return err
	}
	if site.LogoID != 0 {
		site.Logo = s.picture(&Image{MediaID: site.LogoID}, items)
	}
	if site.IconID != 0 {
		site.Icon = s.picture(&Image{MediaID: site.IconID}, items)
	}
	return nil
}
