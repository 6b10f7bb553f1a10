package httpapi

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/webhook"
)

// settingsJSON is the part of the configuration the admin app shows: where
// entries appear on the site (SEO previews), how long the trash keeps
// things, the upload limit. Never a secret.
type settingsJSON struct {
	SiteURL       string   `json:"site_url"`
	PublicURL     string   `json:"public_url"`
	PostPath      string   `json:"post_path"`
	CaseStudyPath string   `json:"case_study_path"`
	PagePath      string   `json:"page_path"`
	PublicAPI     string   `json:"public_api"`
	TrashDays     int      `json:"trash_days"`
	MaxUpload     int64    `json:"max_upload"`
	WebhookEvents []string `json:"webhook_events"`
	Version       string   `json:"version"`
}

func (a *api) settings(c *fiber.Ctx) error {
	return c.JSON(itemJSON{Data: settingsJSON{
		SiteURL: a.cfg.SiteURL, PublicURL: a.cfg.PublicURL, PostPath: a.cfg.PostPath, CaseStudyPath: a.cfg.CaseStudyPath, PagePath: a.cfg.PagePath,
		PublicAPI: a.cfg.PublicAPI, TrashDays: a.cfg.TrashDays, MaxUpload: a.cfg.MaxUpload,
		WebhookEvents: webhook.Events, Version: a.version,
	}})
}

// siteJSON is the site settings, as the public API and the admin serve
// them: unset values are null, lists are empty.
type siteJSON struct {
	Title       *string          `json:"title"`
	Description *string          `json:"description"`
	Logo        *pictureJSON     `json:"logo"`
	Icon        *pictureJSON     `json:"icon"`
	Navigation  []navLinkJSON    `json:"navigation"`
	Social      []socialLinkJSON `json:"social"`
	Language    *string          `json:"language"`
	UpdatedAt   *string          `json:"updated_at"`
}

type navLinkJSON struct {
	Label string `json:"label"`
	URL   string `json:"url"`
}

type socialLinkJSON struct {
	Network string `json:"network"`
	URL     string `json:"url"`
}

// sitePatchJSON is a change to the site settings: fields left out stay as
// they are; null (or "", or []) unsets.
type sitePatchJSON struct {
	Title       *string           `json:"title" nullable:"true"`
	Description *string           `json:"description" nullable:"true"`
	Logo        *int64            `json:"logo" nullable:"true"`
	Icon        *int64            `json:"icon" nullable:"true"`
	Navigation  *[]navLinkJSON    `json:"navigation" nullable:"true"`
	Social      *[]socialLinkJSON `json:"social" nullable:"true"`
	Language    *string           `json:"language" nullable:"true"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func siteOut(s content.Site) siteJSON {
	out := siteJSON{
		Title: nonEmpty(s.Title), Description: nonEmpty(s.Description), Language: nonEmpty(s.Language),
		Logo: pictureOut(s.Logo), Icon: pictureOut(s.Icon),
		Navigation: make([]navLinkJSON, len(s.Navigation)), Social: make([]socialLinkJSON, len(s.Social)),
	}
	for i, l := range s.Navigation {
		out.Navigation[i] = navLinkJSON(l)
	}
	for i, l := range s.Social {
		out.Social[i] = socialLinkJSON(l)
	}
	if s.UpdatedAt != nil {
		t := s.UpdatedAt.UTC().Format(time.RFC3339)
		out.UpdatedAt = &t
	}
	return out
}

// site answers with the site settings (public, and for the admin app).
func (a *api) site(c *fiber.Ctx) error {
	s, err := a.content.Site(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: siteOut(s)})
}

// updateSite changes the site settings (admins).
func (a *api) updateSite(c *fiber.Ctx) error {
	var body sitePatchJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	var present map[string]json.RawMessage
	if err := json.Unmarshal(c.Locals(keyBody).([]byte), &present); err != nil {
		return jsonError(err)
	}
	var p content.SitePatch
	str := func(key string, v *string) *string {
		if _, ok := present[key]; !ok {
			return nil
		}
		if v == nil {
			return new(string)
		}
		return v
	}
	id := func(key string, v *int64) *int64 {
		if _, ok := present[key]; !ok {
			return nil
		}
		if v == nil {
			return new(int64)
		}
		if *v <= 0 {
			v = new(int64)
			*v = -1 // not an id: refused by the service
		}
		return v
	}
	p.Title, p.Description, p.Language = str("title", body.Title), str("description", body.Description), str("language", body.Language)
	p.LogoID, p.IconID = id("logo", body.Logo), id("icon", body.Icon)
	if _, ok := present["navigation"]; ok {
		nav := []content.NavLink{}
		if body.Navigation != nil {
			for _, l := range *body.Navigation {
				nav = append(nav, content.NavLink(l))
			}
		}
		p.Navigation = &nav
	}
	if _, ok := present["social"]; ok {
		soc := []content.SocialLink{}
		if body.Social != nil {
			for _, l := range *body.Social {
				soc = append(soc, content.SocialLink(l))
			}
		}
		p.Social = &soc
	}
	s, err := a.content.UpdateSite(c.UserContext(), principal(c), p)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: siteOut(s)})
}
