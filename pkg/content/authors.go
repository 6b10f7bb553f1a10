package content

import (
	"context"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/store"
)

// AuthorProfile is an author as the public sees them: what they chose to
// show, and how many of their posts are published. Never their email.
type AuthorProfile struct {
	ID                       int64
	Slug, Name, Bio, Website string
	Avatar                   *Picture // nil: none (or its media item was deleted)
	PostCount                int
}

var errNoAuthor = errs.NotFoundf("No author with that slug.")

// Authors returns every user with at least one published post, by name.
func (s *Service) Authors(ctx context.Context) ([]AuthorProfile, error) {
	return s.authors(ctx, "")
}

// Author returns the author with this slug; a user without a published
// post is not found, so the public learns nothing of other accounts.
func (s *Service) Author(ctx context.Context, slug string) (AuthorProfile, error) {
	out, err := s.authors(ctx, slug)
	if err != nil {
		return AuthorProfile{}, err
	}
	if len(out) == 0 {
		return AuthorProfile{}, errNoAuthor
	}
	return out[0], nil
}

func (s *Service) authors(ctx context.Context, slug string) ([]AuthorProfile, error) {
	r := s.Store.Read(ctx)
	rows, err := r.Authors(s.now(), slug)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, u := range rows {
		if u.AvatarID != nil {
			ids = append(ids, *u.AvatarID)
		}
	}
	items := map[int64]store.MediaRow{}
	if len(ids) > 0 {
		if items, err = r.MediaByIDs(ids); err != nil {
			return nil, err
		}
	}
	out := make([]AuthorProfile, len(rows))
	for i, u := range rows {
		out[i] = AuthorProfile{ID: u.ID, Slug: u.Slug, Name: u.Name, Bio: u.Bio, Website: u.Website, PostCount: u.PostCount}
		if u.AvatarID != nil {
			out[i].Avatar = s.picture(&Image{MediaID: *u.AvatarID}, items)
		}
	}
	return out, nil
}
