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
	"log/slog"
	"os"
	"path"
	"slices"
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
	// Now is the clock of the cleanup of files (nil: time.Now).
	Now func() time.Time
	// Log tells of files that could not be deleted yet (nil: slog.Default()).
	Log *slog.Logger

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
	files := []stagedFile{{key: media.OriginalKey(up.SHA256, up.Ext), path: up.TempPath}}
	stored := make([]storedVariant, len(variants))
	for i, vr := range variants {
		files = append(files, stagedFile{key: media.VariantKey(up.SHA256, vr.Width, vr.Ext), path: vr.Path})
		stored[i] = storedVariant{Width: vr.Width, Height: vr.Height, Ext: vr.Ext}
	}
	vj, _ := json.Marshal(stored)
	row := store.MediaRow{SHA256: up.SHA256, Filename: filename, MIME: up.MIME, Ext: up.Ext, Type: up.Type, Size: up.Size,
		Width: up.Width, Height: up.Height, Alt: alt, Caption: caption, Variants: string(vj), UploadedBy: actorID(actor)}

	// The files go to the store before the row goes in, under a record
	// that they may exist without it: if the upload fails half-way, the
	// cleanup pass deletes them (unless an item holds them by then).
	pending, err := s.beginCleanup(ctx, up.SHA256, files, uploadGrace)
	if err != nil {
		return Item{}, false, err
	}
	for attempt := 0; ; attempt++ {
		// Files of these bytes being deleted right now (an item of them
		// deleted a while ago, the pass at work): wait until they are gone,
		// then store them again. A pass that starts later sees this upload
		// under way and deletes nothing.
		if err = s.waitForDeletion(ctx, up.SHA256, pending); err != nil {
			break
		}
		if err := s.putFiles(ctx, files); err != nil {
			s.abandon(ctx, pending, files, err)
			return Item{}, false, storeError(err, "The media store did not take the file, so nothing was uploaded; try again in a moment.")
		}
		err = s.Store.Write(ctx, func(tx *store.Tx) error {
			if busy, err := tx.MediaCleanupClaimed(up.SHA256, pending, tx.Now()); err != nil || busy {
				return cmpErr(err, errCleanupBusy)
			}
			if err := tx.InsertMedia(&row); err != nil {
				return err
			}
			if err := tx.DeleteMediaCleanup(pending); err != nil {
				return err
			}
			return auth.Audit(tx, actor, "media.upload", "media", row.ID, map[string]any{"filename": filename, "mime": up.MIME, "size": up.Size})
		})
		if !errors.Is(err, errCleanupBusy) || attempt == 10 {
			break
		}
	}
	if store.IsUniqueViolation(err, "media.sha256") { // the same bytes, uploaded at the same moment
		s.forget(ctx, pending)
		existing, err := s.Store.Read(ctx).MediaBySHA(up.SHA256)
		return s.URLs.Item(existing), false, err
	}
	if err != nil {
		s.abandon(ctx, pending, files, err)
		if errors.Is(err, errCleanupBusy) {
			return Item{}, false, errs.Wrap(err, errs.Unavailable, "media_store_busy", "The same file is being deleted right now; upload it again in a moment.")
		}
		return Item{}, false, err
	}
	return s.URLs.Item(row), true, nil
}

// stagedFile is a file of an upload waiting on local disk, and its key.
type stagedFile struct{ key, path string }

// putFiles stores the staged files, replacing what their keys hold (keys
// name content, so that is the same bytes, and a fresh copy cannot be one
// the cleanup pass is deleting).
func (s *Service) putFiles(ctx context.Context, files []stagedFile) error {
	for _, sf := range files {
		f, err := os.Open(sf.path)
		if err != nil {
			return err
		}
		err = s.Storage.Put(ctx, sf.key, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// waitForDeletion waits (up to 10 s) while the files of sha are being
// deleted by a claim other than the upload's own record.
func (s *Service) waitForDeletion(ctx context.Context, sha string, own int64) error {
	for range 100 {
		busy, err := s.Store.Read(ctx).MediaCleanupClaimed(sha, own, s.now())
		if err != nil || !busy {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errCleanupBusy
}

// errCleanupBusy: the files of these bytes are being deleted right now.
var errCleanupBusy = errors.New("library: the files of this sha256 are being deleted")

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// storeError explains a failure of the media store to the caller: a 503
// with msg when the store is unavailable, the error itself otherwise.
func storeError(err error, msg string) error {
	var e *errs.Error
	if errors.As(err, &e) || errors.Is(err, context.Canceled) || errors.Is(err, media.ErrInvalidKey) {
		return err
	}
	return errs.Wrap(err, errs.Unavailable, "media_store_unavailable", msg).With("retry_after_seconds", 30)
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
		// Its files are no longer served (only an item's files are), and
		// go at the first cleanup pass after deleteGrace, so that a backup
		// running now still finds them.
		if _, err := s.recordCleanup(tx, store.CleanupDelete, row.SHA256, Keys(row), tx.Now().Add(deleteGrace)); err != nil {
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

// Open opens a stored file by its key (the path after /media/): the
// original or a variant of an item. Files are public: their keys are
// content hashes, handed out only with the entries and items that use
// them. Files no item holds (of a deleted item, of a failed upload) are
// not served, though the store may hold them until the cleanup pass.
func (s *Service) Open(ctx context.Context, key string) (media.File, error) {
	sha, ok := media.KeySHA256(key)
	if !ok {
		return nil, errNoFile
	}
	row, err := s.Store.Read(ctx).MediaBySHA(sha)
	if store.IsNotFound(err) {
		return nil, errNoFile
	}
	if err != nil {
		return nil, err
	}
	if !slices.Contains(Keys(row), key) {
		return nil, errNoFile
	}
	f, err := s.Storage.Open(ctx, key)
	if errors.Is(err, media.ErrNotFound) || errors.Is(err, media.ErrInvalidKey) {
		return nil, errNoFile
	}
	if err != nil {
		return nil, storeError(err, "The media store cannot be reached right now; try again in a moment.")
	}
	return f, nil
}

// Ping says whether the media store is there, for /readyz: nil, or an
// error naming the store and what failed.
func (s *Service) Ping(ctx context.Context) error {
	if p, ok := s.Storage.(media.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// StoreKind names the media store for people: "local" or "s3".
func (s *Service) StoreKind() string {
	if _, ok := s.Storage.(*media.S3); ok {
		return "s3"
	}
	return "local"
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
