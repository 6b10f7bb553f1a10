package content

import (
	"regexp"
	"slices"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
)

// The entry side of the media library (pkg/library keeps the catalogue):
// which items an entry uses, that they exist and are images, that what is
// made public has alt text, cover images and logos resolved for display,
// and taking an item out of an entry when it is deleted by force.

// EntryNoun names an entry type for people ("post", "case study"), for
// the library's messages.
func (s *Service) EntryNoun(entryType string) string { return nounOf(Type(entryType)) }

// DetachMedia takes a media item out of an entry's cover and logo, as a
// new version with a revision, in the transaction of the item's delete.
func (s *Service) DetachMedia(tx *store.Tx, typ string, entryID, mediaID int64) error {
	row, err := tx.Entry(typ, entryID)
	if err != nil {
		return err
	}
	before := row
	e, err := fromRow(row)
	if err != nil {
		return err
	}
	k, err := specOf(Type(typ))
	if err != nil {
		return err
	}
	changed := false
	for _, p := range k.pictures(&e.Fields) {
		if *p.img != nil && (*p.img).MediaID == mediaID {
			*p.img, changed = nil, true
		}
	}
	if !changed {
		return nil
	}
	if err := toRow(&row, Type(typ), e.Fields, e.Derived); err != nil {
		return err
	}
	if err := tx.UpdateEntry(&row, row.Version); err != nil {
		return err
	}
	if err := trackMedia(tx, k, row.ID, e.Fields); err != nil {
		return err
	}
	return s.record(tx, auth.System, &before, row, "save", map[string]any{"detached_media": mediaID})
}

// inlineMedia finds the files of the media library that Markdown links to.
var inlineMedia = regexp.MustCompile(`/media/(?:originals|variants)/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})`)

// trackMedia records which media items an entry uses, in the transaction
// of the save: its cover and logo, and images its Markdown links to, in f
// and in also (a live entry's live version, which still shows its own).
func trackMedia(tx *store.Tx, k *Spec, entryID int64, f Fields, also ...Fields) error {
	var uses []store.MediaUse
	seen := map[store.MediaUse]bool{}
	add := func(u store.MediaUse) {
		if !seen[u] {
			seen[u] = true
			uses = append(uses, u)
		}
	}
	var shas []string
	shaField := map[string]string{}
	for _, f := range append([]Fields{f}, also...) {
		for _, p := range k.pictures(&f) {
			if img := *p.img; img != nil && img.MediaID != 0 {
				add(store.MediaUse{MediaID: img.MediaID, Field: p.field})
			}
		}
		for field, md := range k.markdown(f) {
			for _, m := range inlineMedia.FindAllStringSubmatch(md, -1) {
				if _, ok := shaField[m[1]]; !ok {
					shas = append(shas, m[1])
					shaField[m[1]] = field
				}
			}
		}
	}
	ids, err := tx.MediaIDsBySHA(shas)
	if err != nil {
		return err
	}
	for sha, id := range ids {
		add(store.MediaUse{MediaID: id, Field: shaField[sha]})
	}
	return tx.SetMediaUses(entryID, uses)
}

// checkMediaRefs makes sure the media items an entry's images name exist
// and are images.
func checkMediaRefs(tx *store.Tx, k *Spec, f Fields) error {
	var v errs.Fields
	for _, p := range k.pictures(&f) {
		field, img := p.field, *p.img
		if img == nil || img.MediaID == 0 {
			continue
		}
		m, err := tx.Media(img.MediaID)
		switch {
		case store.IsNotFound(err):
			v.Addf(field+".media_id", "no media item has id %d", img.MediaID)
		case err != nil:
			return err
		case m.Type != media.TypeImage:
			v.Add(field+".media_id", "must be an image, not a document")
		}
	}
	return v.Err()
}

// requireAlt refuses to make public an entry whose cover image or logo has
// no alternative text (its own, or its media item's): accessibility is part
// of publishing.
func requireAlt(tx *store.Tx, k *Spec, f Fields) error {
	var v errs.Fields
	for _, p := range k.pictures(&f) {
		img := *p.img
		if img == nil || img.Alt != "" {
			continue
		}
		if img.MediaID != 0 {
			if m, err := tx.Media(img.MediaID); err == nil && m.Alt != "" {
				continue
			}
		}
		v.Add(p.field+".alt", "is required to publish: describe the image for people who cannot see it")
	}
	return v.Err()
}

// resolvePictures fills in Cover and Logo of entries from their images and
// the media items they name.
func (s *Service) resolvePictures(r store.Reader, entries []Entry) error {
	var ids []int64
	for i := range entries {
		k := specs[entries[i].Type]
		if k == nil {
			continue
		}
		for _, p := range k.pictures(&entries[i].Fields) {
			if img := *p.img; img != nil && img.MediaID != 0 && !slices.Contains(ids, img.MediaID) {
				ids = append(ids, img.MediaID)
			}
		}
	}
	items, err := r.MediaByIDs(ids)
	if err != nil {
		return err
	}
	for i := range entries {
		k := specs[entries[i].Type]
		if k == nil {
			continue
		}
		for _, p := range k.pictures(&entries[i].Fields) {
			*p.shown(&entries[i]) = s.picture(*p.img, items)
		}
	}
	return nil
}

func (s *Service) picture(img *Image, items map[int64]store.MediaRow) *Picture {
	if img == nil {
		return nil
	}
	if img.MediaID == 0 {
		return &Picture{URL: img.URL, Alt: img.Alt, Width: img.Width, Height: img.Height, Variants: []library.Variant{}}
	}
	row, ok := items[img.MediaID]
	if !ok {
		return nil // deleted meanwhile
	}
	it := s.MediaURLs.Item(row)
	p := &Picture{MediaID: it.ID, URL: it.URL, Alt: img.Alt, Width: it.Width, Height: it.Height, Variants: it.Variants}
	if p.Alt == "" {
		p.Alt = it.Alt
	}
	return p
}
