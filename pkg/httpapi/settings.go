package httpapi

import (
	"github.com/gofiber/fiber/v2"

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
