// Package library is the media library: the catalogue of uploaded files
// (upload, list, alt text and captions, where entries use them, delete),
// their storage keys and public URLs. The bytes themselves (sniffing,
// limits, image variants, storage) are pkg/media's business; the entries
// that use items are pkg/content's, reached through Entries.
package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
	"github.com/folio-cms/folio/pkg/paging"
	"github.com/folio-cms/folio/pkg/store"
	"github.com/folio-cms/folio/pkg/webhook"
)

// Service keeps the catalogue. Its dependencies are set by the one app
// constructor (pkg/app).
type Service struct {
	Store *store.Store
	// Storage keeps the files by key: media.Local on disk, or any other
	// media.Storage (an S3-compatible store) that serves the same keys.
	Storage media.Storage
	TmpDir  string       // where uploads are staged, on a disk of their own or Storage's
	Limits  media.Limits // size and pixels
	URLs    URLs         // where Storage's keys are served
	// Slots bounds how many uploads are decoded at once (an image of 50
	// megapixels takes ~600 MB to decode); 0 means 1.
	Slots int
	// Events queues the media.deleted webhook event in the transaction of
	// the delete; nil queues it too, without waking a dispatcher.
	Events *webhook.Outbox
	// Entries names and detaches the entries that use an item.
	Entries Entries

	slotsOnce sync.Once
	slots     chan struct{}
}

// Entries are what uses media items. pkg/content implements it, so that the
// library can explain and undo those uses without knowing what an entry is.
type Entries interface {
	// EntryNoun names an entry type for people: "post", "case study".
	EntryNoun(entryType string) string
	// DetachMedia takes item mediaID out of the entry's images (its cover,
	// its logo), in tx, as a new version of the entry.
	DetachMedia(tx *store.Tx, entryType string, entryID, mediaID int64) error
}

// Item is an item of the media library.
type Item struct {
	ID         int64
	SHA256     string
	Filename   string
	MIME       string
	Type       string // image or document
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

// Variant is a smaller copy of an image, for srcset.
type Variant struct {
	Width  int
	Height int
	URL    string
}

// Use is one place an entry uses an item.
type Use struct {
	EntryType string
	EntryID   int64
	Title     string
	Field     string // cover_image, logo, or the Markdown field that links to it
}

var (
	errNotFound = errs.NotFoundf("No media item with that id.")
	errNoFile   = errs.NotFoundf("No such file.")
)

func (s *Service) uploadSlot(ctx context.Context) (func(), error) {
	s.slotsOnce.Do(func() { s.slots = make(chan struct{}, max(1, s.Slots)) })
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Upload checks, stores and records an uploaded file. The same bytes
// uploaded again return the item that already holds them (created false).
// Variants are made before the write transaction, never in it.
func (s *Service) Upload(ctx context.Context, actor auth.Principal, r io.Reader, filename, alt, caption string) (Item, bool, error) {
	if err := auth.Check(actor, auth.PermMediaUpload, auth.NoRecord); err != nil {
		return Item{}, false, err
	}
	filename, alt, caption = cleanFilename(filename), cleanText(alt), cleanText(caption)
	if err := checkText(alt, caption); err != nil {
		return Item{}, false, err
	}
	release, err := s.uploadSlot(ctx)
	if err != nil {
		return Item{}, false, err
	}
	defer release()
	if err := os.MkdirAll(s.TmpDir, 0o750); err != nil {
		return Item{}, false, err
	}
	up, err := media.Ingest(ctx, r, s.TmpDir, s.Limits) // a refusal is a 400, 413, 415 or 422
	if err != nil {
		return Item{}, false, err
	}
	defer os.Remove(up.TempPath)
	if existing, err := s.Store.Read(ctx).MediaBySHA(up.SHA256); err == nil {
		return s.URLs.Item(existing), false, nil
	} else if !store.IsNotFound(err) {
		return Item{}, false, err
	}
	variants, err := media.MakeVariants(ctx, up, s.TmpDir)
	if err != nil {
		return Item{}, false, err
	}
	defer func() {
		for _, vr := range variants {
			os.Remove(vr.Path)
		}
	}()
	if err := s.putFile(ctx, media.OriginalKey(up.SHA256, up.Ext), up.TempPath); err != nil {
		return Item{}, false, err
	}
	stored := make([]storedVariant, len(variants))
	for i, vr := range variants {
		if err := s.putFile(ctx, media.VariantKey(up.SHA256, vr.Width, vr.Ext), vr.Path); err != nil {
			return Item{}, false, err
		}
		stored[i] = storedVariant{Width: vr.Width, Height: vr.Height, Ext: vr.Ext}
	}
	vj, _ := json.Marshal(stored)
	row := store.MediaRow{SHA256: up.SHA256, Filename: filename, MIME: up.MIME, Ext: up.Ext, Type: up.Type, Size: up.Size,
		Width: up.Width, Height: up.Height, Alt: alt, Caption: caption, Variants: string(vj), UploadedBy: actorID(actor)}
	err = s.Store.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertMedia(&row); err != nil {
			return err
		}
		return auth.Audit(tx, actor, "media.upload", "media", row.ID, map[string]any{"filename": filename, "mime": up.MIME, "size": up.Size})
	})
	if store.IsUniqueViolation(err, "media.sha256") { // the same bytes, uploaded at the same moment
		existing, err := s.Store.Read(ctx).MediaBySHA(up.SHA256)
		return s.URLs.Item(existing), false, err
	}
	if err != nil {
		return Item{}, false, err
	}
	return s.URLs.Item(row), true, nil
}

// putFile stores a staged file under key, unless that key holds it already
// (keys name content, so an existing key holds the same bytes).
func (s *Service) putFile(ctx context.Context, key, path string) error {
	if ok, err := s.Storage.Exists(ctx, key); err != nil || ok {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return s.Storage.Put(ctx, key, f)
}

// List returns a page of the library, newest first: q in the file name,
// alt text or caption; typ image or document (empty: both).
func (s *Service) List(ctx context.Context, actor auth.Principal, q, typ string, page, perPage int) (paging.Page[Item], error) {
	if err := auth.Check(actor, auth.PermMediaRead, auth.NoRecord); err != nil {
		return paging.Page[Item]{}, err
	}
	rows, total, err := s.Store.Read(ctx).MediaList(store.MediaFilter{Q: strings.TrimSpace(q), Type: typ, Offset: (page - 1) * perPage, Limit: perPage})
	if err != nil {
		return paging.Page[Item]{}, err
	}
	items := make([]Item, len(rows))
	for i, r := range rows {
		items[i] = s.URLs.Item(r)
	}
	return paging.Page[Item]{Items: items, Total: total, Page: page, PerPage: perPage}, nil
}

// Get returns one item and where it is used.
func (s *Service) Get(ctx context.Context, actor auth.Principal, id int64) (Item, []Use, error) {
	if err := auth.Check(actor, auth.PermMediaRead, auth.NoRecord); err != nil {
		return Item{}, nil, err
	}
	r := s.Store.Read(ctx)
	row, err := r.Media(id)
	if store.IsNotFound(err) {
		return Item{}, nil, errNotFound
	}
	if err != nil {
		return Item{}, nil, err
	}
	uses, err := r.MediaUses(id)
	return s.URLs.Item(row), usesOut(uses), err
}

// Update changes an item's alt text and caption (nil: unchanged).
func (s *Service) Update(ctx context.Context, actor auth.Principal, id int64, alt, caption *string) (Item, error) {
	var row store.MediaRow
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = itemRow(tx, id); err != nil {
			return err
		}
		if err := auth.Check(actor, auth.PermMediaUpdate, itemRecord(row)); err != nil {
			return err
		}
		if alt != nil {
			row.Alt = cleanText(*alt)
		}
		if caption != nil {
			row.Caption = cleanText(*caption)
		}
		if err := checkText(row.Alt, row.Caption); err != nil {
			return err
		}
		if err := tx.UpdateMediaText(id, row.Alt, row.Caption); err != nil {
			return err
		}
		row.UpdatedAt = tx.Now()
		return auth.Audit(tx, actor, "media.update", "media", id, map[string]any{"alt": row.Alt, "caption": row.Caption})
	})
	if err != nil {
		return Item{}, err
	}
	return s.URLs.Item(row), nil
}

// Delete deletes an item. While entries use it, it refuses with a Conflict
// listing them; force (admins only) deletes it anyway, taking it out of
// those entries' cover and logo (each such change is a new version with a
// revision; inline images in Markdown keep their, now broken, link). The
// file is removed when no item holds it any more.
func (s *Service) Delete(ctx context.Context, actor auth.Principal, id int64, force bool) error {
	if err := auth.Check(actor, auth.PermMediaDelete, auth.NoRecord); err != nil {
		return err
	}
	if force && !auth.Allowed(actor, auth.PermMediaForce, auth.Record{}) {
		return errs.New(errs.Forbidden, "forbidden", "Only admins may delete a media item that is in use.")
	}
	var row store.MediaRow
	err := s.Store.Write(ctx, func(tx *store.Tx) error {
		var err error
		if row, err = itemRow(tx, id); err != nil {
			return err
		}
		if err := auth.Check(actor, auth.PermMediaDelete, itemRecord(row)); err != nil {
			return err
		}
		uses, err := tx.MediaUses(id)
		if err != nil {
			return err
		}
		if len(uses) > 0 && !force {
			return s.errInUse(usesOut(uses))
		}
		for _, u := range uses {
			if s.Entries == nil {
				return fmt.Errorf("library: item %d is used by %s %d, and nothing detaches it", id, u.EntryType, u.EntryID)
			}
			if err := s.Entries.DetachMedia(tx, u.EntryType, u.EntryID, id); err != nil {
				return err
			}
		}
		if err := tx.DeleteMedia(id); err != nil {
			return err
		}
		if err := s.Events.Enqueue(tx, "media.deleted", webhook.Data{Type: "media", ID: id, Slug: row.SHA256, Title: row.Filename,
			Status: "deleted", URL: s.URLs.Original(row)}); err != nil {
			return err
		}
		return auth.Audit(tx, actor, "media.delete", "media", id, map[string]any{"filename": row.Filename, "forced": force, "was_used_by": len(uses)})
	})
	if err != nil {
		return err
	}
	s.removeFiles(ctx, row)
	return nil
}

func (s *Service) errInUse(uses []Use) error {
	e := errs.New(errs.Conflict, "media_in_use", "This file is used by content; remove it there first (or, as an admin, delete it with force=1).")
	for _, u := range uses {
		noun := u.EntryType
		if s.Entries != nil {
			noun = s.Entries.EntryNoun(u.EntryType)
		}
		e.Details = append(e.Details, errs.Detail{Field: u.Field, Message: fmt.Sprintf("used by %s %d (%q)", noun, u.EntryID, u.Title)})
	}
	used := make([]map[string]any, len(uses))
	for i, u := range uses {
		used[i] = map[string]any{"type": u.EntryType, "id": u.EntryID, "title": u.Title, "field": u.Field}
	}
	return e.With("used_by", used)
}

// removeFiles deletes an item's files once no item holds them (the row is
// already gone). A failure leaves an orphan file, which costs only space;
// `folio doctor` lists them.
func (s *Service) removeFiles(ctx context.Context, row store.MediaRow) {
	if _, err := s.Store.Read(ctx).MediaBySHA(row.SHA256); err == nil {
		return
	}
	for _, k := range Keys(row) {
		_ = s.Storage.Delete(ctx, k)
	}
}

// Open opens a stored file by its key (the path after /media/). Files are
// public: their keys are content hashes, handed out only with the entries
// and items that use them.
func (s *Service) Open(ctx context.Context, key string) (media.File, error) {
	f, err := s.Storage.Open(ctx, key)
	if errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrInvalidKey) {
		return nil, errNoFile
	}
	return f, err
}

// itemRow reads an item's row in a change's transaction.
func itemRow(tx *store.Tx, id int64) (store.MediaRow, error) {
	row, err := tx.Media(id)
	if store.IsNotFound(err) {
		return row, errNotFound
	}
	return row, err
}

func usesOut(uses []store.MediaUse) []Use {
	out := make([]Use, len(uses))
	for i, u := range uses {
		out[i] = Use{EntryType: u.EntryType, EntryID: u.EntryID, Title: u.Title, Field: u.Field}
	}
	return out
}

// itemRecord is what the permission check knows of an item: who uploaded it.
func itemRecord(row store.MediaRow) auth.Record { return auth.Record{Owner: row.UploadedBy} }

func actorID(actor auth.Principal) *int64 {
	if actor.ID == 0 {
		return nil
	}
	id := actor.ID
	return &id
}

// checkText holds alt text and captions to their lengths.
func checkText(alt, caption string) error {
	var v errs.Fields
	for _, f := range []struct {
		name, s string
		limit   int
	}{{"alt", alt, 500}, {"caption", caption, 1000}} {
		if utf8.RuneCountInString(f.s) > f.limit {
			v.Addf(f.name, "must be at most %d characters", f.limit)
		}
	}
	return v.Err()
}

// cleanText trims a text and drops control characters other than tabs
// and newlines.
func cleanText(s string) string { return strings.TrimSpace(stripControl(s)) }

func stripControl(s string) string {
	if !strings.ContainsFunc(s, isStrayControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isStrayControl(r) {
			return -1
		}
		return r
	}, s)
}

func isStrayControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f
}

// cleanFilename keeps the last element of an uploader's file name, without
// control characters, at most 255 characters of valid UTF-8.
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
