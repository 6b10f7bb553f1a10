package content

import (
	"context"
	"strings"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// MaxTagDescription is the longest tag description, in characters.
const MaxTagDescription = 1000

var errNoTag = errs.NotFoundf("No tag with that slug.")

// Tag returns one tag with its number of published posts: a tag no
// published post carries is not found (its name would tell what is not
// published yet). With preview, posts of any status not in the trash count.
func (s *Service) Tag(ctx context.Context, slug string, preview bool) (TagCount, error) {
	now := s.now()
	at := &now
	if preview {
		at = nil
	}
	row, err := s.Store.Read(ctx).TagCountBySlug(slug, at)
	if store.IsNotFound(err) {
		return TagCount{}, errNoTag
	}
	if err != nil {
		return TagCount{}, err
	}
	return tagCountOf(row), nil
}

// UpdateTag sets a tag's description (editors and admins); "" removes it.
// It answers with the tag and its posts of any status not in the trash.
func (s *Service) UpdateTag(ctx context.Context, actor auth.Principal, slug, description string) (TagCount, error) {
	if err := auth.Check(actor, auth.PermTagsUpdate, auth.NoRecord); err != nil {
		return TagCount{}, err
	}
	description = strings.TrimSpace(description)
	var v errs.Fields
	maxLen(&v, "description", description, MaxTagDescription)
	if strings.ContainsFunc(description, isControl) {
		v.Add("description", "must not contain control characters")
	}
	if err := v.Err(); err != nil {
		return TagCount{}, err
	}
	var out store.TagCount
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		before, err := tx.TagCountBySlug(slug, nil)
		if store.IsNotFound(err) {
			return errNoTag
		}
		if err != nil {
			return err
		}
		if before.Description == description {
			out = before
			return nil
		}
		if err := tx.SetTagDescription(slug, description); err != nil {
			return err
		}
		out = before
		out.Description = description
		return auth.Audit(tx, actor, "tag.update", "tag", before.ID, map[string]any{"slug": slug, "fields": []string{"description"}})
	})
	if err != nil {
		return TagCount{}, err
	}
	return tagCountOf(out), nil
}
