package content

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/webhook"
)

// The media library: uploads, their alt text and captions, where entries
// use them, and the rules for deleting them. The bytes themselves are
// pkg/media's business.

// MediaConfig is what the library needs; main sets it.
type MediaConfig struct {
	Storage media.Storage
	TmpDir  string       // where uploads are staged, on the same disk as Storage
	Limits  media.Limits // size and pixels
	BaseURL string       // absolute URL under which Storage's keys are served, e.g. https://cms.example.com/media
	// Slots bounds how many uploads are decoded at once (an image of 50
	// megapixels takes ~600 MB to decode); 0 means 1.
	Slots int
}

// MediaItem is an item of the media library.
type MediaItem struct {
	ID         int64
	SHA256     string
	Filename   string
	MIME       string
	Kind       string // image or document
	Size       int64
	Width      int
	Height     int
	Alt        string
	Caption    string
	URL        string
	Variants   []Variant
	UploadedBy *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// MediaUse is one place a media item is used.
type MediaUse struct {
	Type    Type
	EntryID int64
	Title   string
	Field   string
}

type storedVariant struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Ext    string `json:"ext"`
}

func (s *Service) uploadSlot(ctx context.Context) (func(), error) {
	s.mediaOnce.Do(func() { s.mediaSlots = make(chan struct{}, max(1, s.Media.Slots)) })
	select {
	case s.mediaSlots <- struct{}{}:
		return func() { <-s.mediaSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// UploadMedia checks, stores and records an uploaded file. The same bytes
// uploaded again return the item that already holds them (created false).
// Variants are made before the write transaction, never in it.
func (s *Service) UploadMedia(ctx context.Context, actor auth.Principal, r io.Reader, filename, alt, caption string) (MediaItem, bool, error) {
	if actor.Scope(auth.PermMediaUpload) == auth.ScopeNone {
		return MediaItem{}, false, errForbidden
	}
	filename, alt, caption = cleanFilename(filename), strings.TrimSpace(stripControl(alt)), strings.TrimSpace(stripControl(caption))
	var v errs.Fields
	maxLen(&v, "alt", alt, 500)
	maxLen(&v, "caption", caption, 1000)
	if err := v.Err(); err != nil {
		return MediaItem{}, false, err
	}
	release, err := s.uploadSlot(ctx)
	if err != nil {
		return MediaItem{}, false, err
	}
	defer release()
	if err := os.MkdirAll(s.Media.TmpDir, 0o750); err != nil {
		return MediaItem{}, false, err
	}
	up, err := media.Ingest(ctx, r, s.Media.TmpDir, s.Media.Limits)
	if err != nil {
		return MediaItem{}, false, mediaError(err)
	}
	defer os.Remove(up.TempPath)
	if existing, err := s.Store.Read(ctx).MediaBySHA(up.SHA256); err == nil {
		return s.mediaItem(existing), false, nil
	} else if !store.IsNotFound(err) {
		return MediaItem{}, false, err
	}
	variants, err := media.MakeVariants(ctx, up, s.Media.TmpDir)
	if err != nil {
		return MediaItem{}, false, mediaError(err)
	}
	defer func() {
		for _, vr := range variants {
			os.Remove(vr.Path)
		}
	}()
	if err := s.putFile(ctx, media.OriginalKey(up.SHA256, up.Ext), up.TempPath); err != nil {
		return MediaItem{}, false, err
	}
	stored := make([]storedVariant, len(variants))
	for i, vr := range variants {
		if err := s.putFile(ctx, media.VariantKey(up.SHA256, vr.Width, vr.Ext), vr.Path); err != nil {
			return MediaItem{}, false, err
		}
		stored[i] = storedVariant{Width: vr.Width, Height: vr.Height, Ext: vr.Ext}
	}
	vj, _ := json.Marshal(stored)
	row := store.MediaRow{SHA256: up.SHA256, Filename: filename, MIME: up.MIME, Ext: up.Ext, Kind: up.Kind, Size: up.Size,
		Width: up.Width, Height: up.Height, Alt: alt, Caption: caption, Variants: string(vj), UploadedBy: actorID(actor)}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertMedia(&row); err != nil {
			return err
		}
		return tx.AddAudit(actor.Audit("media.upload", "media", row.ID, map[string]any{"filename": filename, "mime": up.MIME, "size": up.Size}))
	})
	if store.IsUniqueViolation(err, "media.sha256") { // the same bytes, uploaded at the same moment
		existing, err := s.Store.Read(ctx).MediaBySHA(up.SHA256)
		return s.mediaItem(existing), false, err
	}
	if err != nil {
		return MediaItem{}, false, err
	}
	return s.mediaItem(row), true, nil
}

// putFile stores a staged file under key, unless that key holds it already
// (keys name content, so an existing key holds the same bytes).
func (s *Service) putFile(ctx context.Context, key, path string) error {
	if ok, err := s.Media.Storage.Exists(ctx, key); err != nil || ok {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Media.Storage.Put(ctx, key, f)
}

// mediaError turns pkg/media's errors into ours: 400, 413, 415 or 422.
func mediaError(err error) error {
	var me *media.Error
	if !errors.As(err, &me) {
		return err
	}
	kind, code := errs.Invalid, "invalid_upload"
	switch me.Kind {
	case media.TooLarge:
		kind, code = errs.TooLarge, "payload_too_large"
	case media.UnsupportedMedia:
		kind, code = errs.UnsupportedMedia, "unsupported_media_type"
	case media.TooManyPixels:
		return errs.Validationf("file", "%s", me.Msg)
	}
	return errs.Wrap(err, kind, code, me.Msg)
}

func cleanFilename(name string) string {
	name = path.Base(strings.ReplaceAll(stripControl(name), `\`, "/"))
	if name == "." || name == "/" {
		name = ""
	}
	for utf8.RuneCountInString(name) > 255 {
		name = string([]rune(name)[:255])
	}
	return strings.ToValidUTF8(name, "")
}

// MediaList returns a page of the library, newest first: q in the file
// name, alt text or caption; kind image or document.
func (s *Service) MediaList(ctx context.Context, actor auth.Principal, q, kind string, page, perPage int) (Page[MediaItem], error) {
	if actor.Scope(auth.PermMediaRead) == auth.ScopeNone {
		return Page[MediaItem]{}, errForbidden
	}
	rows, total, err := s.Store.Read(ctx).MediaList(store.MediaFilter{Q: strings.TrimSpace(q), Kind: kind, Offset: (page - 1) * perPage, Limit: perPage})
	if err != nil {
		return Page[MediaItem]{}, err
	}
	items := make([]MediaItem, len(rows))
	for i, r := range rows {
		items[i] = s.mediaItem(r)
	}
	return Page[MediaItem]{Items: items, Total: total, Page: page, PerPage: perPage}, nil
}

// MediaItemByID returns one item and where it is used.
func (s *Service) MediaItemByID(ctx context.Context, actor auth.Principal, id int64) (MediaItem, []MediaUse, error) {
	if actor.Scope(auth.PermMediaRead) == auth.ScopeNone {
		return MediaItem{}, nil, errForbidden
	}
	r := s.Store.Read(ctx)
	row, err := r.Media(id)
	if store.IsNotFound(err) {
		return MediaItem{}, nil, errMediaNotFound
	}
	if err != nil {
		return MediaItem{}, nil, err
	}
	uses, err := r.MediaUses(id)
	return s.mediaItem(row), usesOut(uses), err
}

var errMediaNotFound = errs.NotFoundf("No media item with that id.")

// UpdateMedia changes an item's alt text and caption (nil: unchanged).
func (s *Service) UpdateMedia(ctx context.Context, actor auth.Principal, id int64, alt, caption *string) (MediaItem, error) {
	var row store.MediaRow
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = tx.Media(id); store.IsNotFound(err) {
			return errMediaNotFound
		} else if err != nil {
			return err
		}
		switch actor.Scope(auth.PermMediaUpdate) {
		case auth.ScopeAny:
		case auth.ScopeOwn:
			if row.UploadedBy == nil || *row.UploadedBy != actor.ID {
				return errForbidden
			}
		default:
			return errForbidden
		}
		if alt != nil {
			row.Alt = strings.TrimSpace(stripControl(*alt))
		}
		if caption != nil {
			row.Caption = strings.TrimSpace(stripControl(*caption))
		}
		var v errs.Fields
		maxLen(&v, "alt", row.Alt, 500)
		maxLen(&v, "caption", row.Caption, 1000)
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.UpdateMediaText(id, row.Alt, row.Caption); err != nil {
			return err
		}
		row.UpdatedAt = tx.Now()
		return tx.AddAudit(actor.Audit("media.update", "media", id, map[string]any{"alt": row.Alt, "caption": row.Caption}))
	})
	if err != nil {
		return MediaItem{}, err
	}
	return s.mediaItem(row), nil
}

// DeleteMedia deletes an item. While entries use it, it refuses with a
// Conflict listing them; force (admins only) deletes it anyway, removing
// it from those entries' cover and logo (each such change is a new version
// with a revision; inline images in Markdown keep their, now broken, link).
// The file is removed when no item holds it any more.
func (s *Service) DeleteMedia(ctx context.Context, actor auth.Principal, id int64, force bool) error {
	if actor.Scope(auth.PermMediaDelete) == auth.ScopeNone {
		return errForbidden
	}
	if force && actor.Scope(auth.PermMediaForce) != auth.ScopeAny {
		return errs.New(errs.Forbidden, "forbidden", "Only admins may delete a media item that is in use.")
	}
	var row store.MediaRow
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = tx.Media(id); store.IsNotFound(err) {
			return errMediaNotFound
		} else if err != nil {
			return err
		}
		uses, err := tx.MediaUses(id)
		if err != nil {
			return err
		}
		if len(uses) > 0 && !force {
			return errInUse(usesOut(uses))
		}
		for _, u := range uses {
			if err := s.detachMedia(tx, u.EntryType, u.EntryID, id); err != nil {
				return err
			}
		}
		if err := tx.DeleteMedia(id); err != nil {
			return err
		}
		if err := s.Events.Enqueue(tx, "media.deleted", webhook.Data{Type: "media", ID: id, Slug: row.SHA256, Title: row.Filename,
			Status: "deleted", URL: s.Media.BaseURL + "/" + media.OriginalKey(row.SHA256, row.Ext)}); err != nil {
			return err
		}
		return tx.AddAudit(actor.Audit("media.delete", "media", id, map[string]any{"filename": row.Filename, "forced": force, "was_used_by": len(uses)}))
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, row)
	return nil
}

func errInUse(uses []MediaUse) error {
	e := errs.New(errs.Conflict, "media_in_use", "This file is used by content; remove it there first (or, as an admin, delete it with force=1).")
	for _, u := range uses {
		e.Details = append(e.Details, errs.Detail{Field: u.Field, Message: fmt.Sprintf("used by %s %d (%q)", kinds[u.Type].noun, u.EntryID, u.Title)})
	}
	used := make([]map[string]any, len(uses))
	for i, u := range uses {
		used[i] = map[string]any{"type": u.Type, "id": u.EntryID, "title": u.Title, "field": u.Field}
	}
	return e.With("used_by", used)
}

// detachMedia takes a media item out of an entry's cover and logo, as a
// new version with a revision.
func (s *Service) detachMedia(tx *store.Tx, typ string, entryID, mediaID int64) error {
	row, err := tx.Entry(typ, entryID)
	if err != nil {
		return err
	}
	before := row
	e, err := fromRow(row)
	if err != nil {
		return err
	}
	changed := false
	for _, img := range []**Image{&e.Fields.CoverImage, &e.Fields.Logo} {
		if *img != nil && (*img).MediaID == mediaID {
			*img, changed = nil, true
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
	if err := trackMedia(tx, row.ID, e.Fields); err != nil {
		return err
	}
	return s.record(tx, auth.System, &before, row, "save", map[string]any{"detached_media": mediaID})
}

// removeFiles deletes an item's files once no item holds them (the row is
// already gone). A failure leaves an orphan file, which costs only space;
// `folio doctor` lists them.
func (s *Service) removeFiles(ctx context.Context, row store.MediaRow) {
	if _, err := s.Store.Read(ctx).MediaBySHA(row.SHA256); err == nil {
		return
	}
	for _, k := range MediaKeys(row) {
		_ = s.Media.Storage.Delete(ctx, k)
	}
}

// MediaKeys returns the storage keys of a media item's files: its original,
// then its variants. Keys the row cannot make (a damaged row) are left out.
// Backups and `folio doctor` use it to know which files belong to which item.
func MediaKeys(row store.MediaRow) []string {
	var keys []string
	if k := media.OriginalKey(row.SHA256, row.Ext); k != "" {
		keys = append(keys, k)
	}
	var vs []storedVariant
	_ = json.Unmarshal([]byte(row.Variants), &vs)
	for _, v := range vs {
		if k := media.VariantKey(row.SHA256, v.Width, v.Ext); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// OpenMedia opens a stored file by its key (the path after /media/).
func (s *Service) OpenMedia(ctx context.Context, key string) (media.File, error) {
	f, err := s.Media.Storage.Open(ctx, key)
	if errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrInvalidKey) {
		return nil, errs.NotFoundf("No such file.")
	}
	return f, err
}

func (s *Service) mediaItem(r store.MediaRow) MediaItem {
	it := MediaItem{ID: r.ID, SHA256: r.SHA256, Filename: r.Filename, MIME: r.MIME, Kind: r.Kind, Size: r.Size,
		Width: r.Width, Height: r.Height, Alt: r.Alt, Caption: r.Caption, UploadedBy: r.UploadedBy,
		URL: s.Media.BaseURL + "/" + media.OriginalKey(r.SHA256, r.Ext), Variants: []Variant{}, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	var vs []storedVariant
	_ = json.Unmarshal([]byte(r.Variants), &vs)
	for _, v := range vs {
		it.Variants = append(it.Variants, Variant{Width: v.Width, Height: v.Height, URL: s.Media.BaseURL + "/" + media.VariantKey(r.SHA256, v.Width, v.Ext)})
	}
	return it
}

func usesOut(uses []store.MediaUse) []MediaUse {
	out := make([]MediaUse, len(uses))
	for i, u := range uses {
		out[i] = MediaUse{Type: Type(u.EntryType), EntryID: u.EntryID, Title: u.Title, Field: u.Field}
	}
	return out
}

// inlineMedia finds the files of the media library that Markdown links to.
var inlineMedia = regexp.MustCompile(`/media/(?:originals|variants)/[0-9a-f]{2}/[0-9a-f]{2}/([0-9a-f]{64})`)

// trackMedia records which media items an entry uses, in the transaction
// of the save: its cover and logo, and images its Markdown links to.
func trackMedia(tx *store.Tx, entryID int64, f Fields) error {
	var uses []store.MediaUse
	for field, img := range map[string]*Image{"cover_image": f.CoverImage, "logo": f.Logo} {
		if img != nil && img.MediaID != 0 {
			uses = append(uses, store.MediaUse{MediaID: img.MediaID, Field: field})
		}
	}
	var shas []string
	shaField := map[string]string{}
	for field, md := range map[string]string{"body": f.Body, "challenge": f.Challenge, "solution": f.Solution, "results": f.Results} {
		for _, m := range inlineMedia.FindAllStringSubmatch(md, -1) {
			if _, ok := shaField[m[1]]; !ok {
				shas = append(shas, m[1])
				shaField[m[1]] = field
			}
		}
	}
	ids, err := tx.MediaIDsBySHA(shas)
	if err != nil {
		return err
	}
	for sha, id := range ids {
		uses = append(uses, store.MediaUse{MediaID: id, Field: shaField[sha]})
	}
	return tx.SetMediaUses(entryID, uses)
}

// checkMediaRefs makes sure the media items an entry's images name exist
// and are images.
func checkMediaRefs(tx *store.Tx, f Fields) error {
	var v errs.Fields
	for field, img := range map[string]*Image{"cover_image": f.CoverImage, "logo": f.Logo} {
		if img == nil || img.MediaID == 0 {
			continue
		}
		m, err := tx.Media(img.MediaID)
		switch {
		case store.IsNotFound(err):
			v.Addf(field+".media_id", "no media item has id %d", img.MediaID)
		case err != nil:
			return err
		case m.Kind != media.KindImage:
			v.Add(field+".media_id", "must be an image, not a document")
		}
	}
	return v.Err()
}

// requireAlt refuses to make public an entry whose cover image or logo has
// no alternative text (its own, or its media item's): accessibility is part
// of publishing.
func requireAlt(tx *store.Tx, f Fields) error {
	var v errs.Fields
	for _, c := range []struct {
		field string
		img   *Image
	}{{"cover_image", f.CoverImage}, {"logo", f.Logo}} {
		if c.img == nil || c.img.Alt != "" {
			continue
		}
		if c.img.MediaID != 0 {
			if m, err := tx.Media(c.img.MediaID); err == nil && m.Alt != "" {
				continue
			}
		}
		v.Add(c.field+".alt", "is required to publish: describe the image for people who cannot see it")
	}
	return v.Err()
}

// resolvePictures fills in Cover and Logo of entries from their images and
// the media items they name.
func (s *Service) resolvePictures(r store.Reader, entries []Entry) error {
	var ids []int64
	for _, e := range entries {
		for _, img := range []*Image{e.Fields.CoverImage, e.Fields.Logo} {
			if img != nil && img.MediaID != 0 && !slices.Contains(ids, img.MediaID) {
				ids = append(ids, img.MediaID)
			}
		}
	}
	items, err := r.MediaByIDs(ids)
	if err != nil {
		return err
	}
	for i := range entries {
		entries[i].Cover = s.picture(entries[i].Fields.CoverImage, items)
		entries[i].Logo = s.picture(entries[i].Fields.Logo, items)
	}
	return nil
}

func (s *Service) picture(img *Image, items map[int64]store.MediaRow) *Picture {
	if img == nil {
		return nil
	}
	if img.MediaID == 0 {
		return &Picture{URL: img.URL, Alt: img.Alt, Variants: []Variant{}}
	}
	row, ok := items[img.MediaID]
	if !ok {
		return nil // deleted meanwhile
	}
	it := s.mediaItem(row)
	p := &Picture{MediaID: it.ID, URL: it.URL, Alt: img.Alt, Width: it.Width, Height: it.Height, Variants: it.Variants}
	if p.Alt == "" {
		p.Alt = it.Alt
	}
	return p
}
