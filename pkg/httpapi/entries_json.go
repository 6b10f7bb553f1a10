package httpapi

import (
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/content"
	"github.com/folio-cms/folio/pkg/markdown"
)

// The JSON types every entry type shares in the admin API: workflow
// actions, revisions, the admin metadata, previews.

type scheduleJSON struct {
	PublishAt *string `json:"publish_at"`
}

// movedJSON is the body of a 301 for an old slug.
type movedJSON struct {
	Slug     string `json:"slug"`
	Location string `json:"location"`
}

type revisionAuthorJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type revisionJSON struct {
	ID        int64               `json:"id"`
	Version   int                 `json:"version"`
	Kind      string              `json:"kind"`
	Summary   string              `json:"summary"`
	Changed   []string            `json:"changed"`
	Author    *revisionAuthorJSON `json:"author"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	// WentLiveAt: when the state this revision holds became the live
	// version (null: it never did).
	WentLiveAt *time.Time `json:"went_live_at"`
}

type snapshotJSON struct {
	Status      content.Status `json:"status"`
	PublishedAt *time.Time     `json:"published_at"`
	Fields      any            `json:"fields"`
}

type fullRevisionJSON struct {
	revisionJSON
	Snapshot snapshotJSON `json:"snapshot"`
}

func revisionOut(r content.Revision) revisionJSON {
	out := revisionJSON{ID: r.ID, Version: r.Version, Kind: r.Kind, Summary: r.Summary(), Changed: r.Changed,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), WentLiveAt: utc(r.WentLiveAt)}
	if r.Author != nil {
		out.Author = &revisionAuthorJSON{ID: r.Author.ID, Name: r.Author.Name}
	}
	return out
}

// entrySummaryJSON is a post or a case study in a list of both (the
// scheduled list, the trash).
type entrySummaryJSON struct {
	Type        content.Type        `json:"type"`
	ID          int64               `json:"id"`
	Slug        string              `json:"slug"`
	Title       string              `json:"title"`
	Status      content.Status      `json:"status"`
	PublishedAt *time.Time          `json:"published_at"`
	TrashedAt   *time.Time          `json:"trashed_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
	Version     int                 `json:"version"`
	Author      *revisionAuthorJSON `json:"author"`
	// AllowedActions: what the caller may do to it now.
	AllowedActions []content.Action `json:"allowed_actions"`
}

func entrySummaryOut(e content.Entry, viewer auth.Principal) entrySummaryJSON {
	out := entrySummaryJSON{Type: e.Type, ID: e.ID, Slug: e.Fields.Slug, Title: e.Fields.Title, Status: e.Status,
		PublishedAt: utc(e.PublishedAt), TrashedAt: utc(e.TrashedAt), UpdatedAt: e.UpdatedAt.UTC(), Version: e.Version,
		AllowedActions: content.AllowedActions(viewer, e)}
	if e.Author != nil {
		out.Author = &revisionAuthorJSON{ID: e.Author.ID, Name: e.Author.Name}
	}
	return out
}

func updatedByOut(a *content.Author) *revisionAuthorJSON {
	if a == nil {
		return nil
	}
	return &revisionAuthorJSON{ID: a.ID, Name: a.Name}
}

type publishJSON struct {
	PublishedAt *string `json:"published_at" nullable:"true"` // parsed by parseTime, to name the field when it is bad
}

type previewJSON struct {
	Markdown string `json:"markdown"`
}

// adminMetaJSON is what the admin API adds to every entry, post or case
// study: its workflow state and who changed it when.
type adminMetaJSON struct {
	Status    content.Status      `json:"status"`
	Author    *adminAuthorJSON    `json:"author"`
	Version   int                 `json:"version"`
	CreatedAt time.Time           `json:"created_at"`
	UpdatedAt time.Time           `json:"updated_at"`
	UpdatedBy *revisionAuthorJSON `json:"updated_by"`
	TrashedAt *time.Time          `json:"trashed_at"`
	// FirstPublishedAt: when it first went live (null: never).
	FirstPublishedAt *time.Time `json:"first_published_at"`
	// LiveVersion: the version the public sees (null: it is not live).
	LiveVersion *int `json:"live_version"`
	// HasUnpublishedChanges: this is a working copy that differs from the
	// live version (publish makes it live, discard drops it).
	HasUnpublishedChanges bool `json:"has_unpublished_changes"`
	// AllowedActions: what the caller may do to it now (content.AllowedActions).
	AllowedActions []content.Action `json:"allowed_actions"`
}

func adminMetaOut(e content.Entry, viewer auth.Principal) adminMetaJSON {
	return adminMetaJSON{
		LiveVersion: e.LiveVersion, HasUnpublishedChanges: e.HasUnpublishedChanges,
		Status: e.Status, Author: adminAuthorOut(e.Author), Version: e.Version,
		CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC(), UpdatedBy: updatedByOut(e.UpdatedBy),
		TrashedAt: utc(e.TrashedAt), FirstPublishedAt: utc(e.FirstPublishedAt),
		AllowedActions: content.AllowedActions(viewer, e),
	}
}

type previewResultJSON struct {
	HTML               string             `json:"html"`
	TOC                []markdown.Heading `json:"toc"`
	Excerpt            string             `json:"excerpt"`
	WordCount          int                `json:"word_count"`
	ReadingTimeMinutes int                `json:"reading_time_minutes"`
}

// A public list item is its type's item and when it was last saved (for
// incremental builds with updated_after); the full answers carry
// updated_at themselves, after their own fields.
type (
	postListItemJSON struct {
		postItemJSON
		UpdatedAt time.Time `json:"updated_at"`
	}
	caseStudyListItemJSON struct {
		caseStudyItemJSON
		UpdatedAt time.Time `json:"updated_at"`
	}
	pageListItemJSON struct {
		pageItemJSON
		UpdatedAt time.Time `json:"updated_at"`
	}
)

// proseJSON is what a published post or page adds to its list item: the
// rendered body and what is derived from it, its SEO, when it was saved.
type proseJSON struct {
	HTML      string             `json:"html"`
	TOC       []markdown.Heading `json:"toc"`
	SEO       seoJSON            `json:"seo"`
	WordCount int                `json:"word_count"`
	UpdatedAt time.Time          `json:"updated_at"`
}

func proseOut(e content.Entry) proseJSON {
	return proseJSON{HTML: e.Derived.HTML, TOC: e.Derived.TOC, SEO: seoOut(e.Fields.SEO), WordCount: e.Derived.WordCount, UpdatedAt: e.UpdatedAt.UTC()}
}
