package httpapi

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"path"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/library"
	"github.com/folio-cms/folio/pkg/media"
)

// multipartSlack is what an upload's other form fields and multipart
// framing may add to the file's own size limit.
const multipartSlack = 64 << 10

// uploadMedia takes a multipart upload (file, and optional alt and
// caption) and streams the file into the library: the size limit holds as
// it is read, and nothing is buffered whole in memory.
func (a *api) uploadMedia(c *fiber.Ctx) error {
	mt, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return errs.New(errs.UnsupportedMedia, "unsupported_media_type", "Send the file as multipart/form-data, in a part named \"file\".")
	}
	limit := a.cfg.MaxUpload + multipartSlack
	if n := c.Request().Header.ContentLength(); n > int(limit) {
		return bodyTooLarge(c, "The file", a.cfg.MaxUpload) // refused before reading it
	}
	body := &capped{r: requestBody(c), left: limit}
	mr := multipart.NewReader(body, params["boundary"])
	var alt, caption *string
	var item library.Item
	created, sawFile := false, false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return a.uploadError(c, body, err)
		}
		switch part.FormName() {
		case "alt", "caption":
			b, err := io.ReadAll(io.LimitReader(part, 4<<10))
			if err != nil {
				return a.uploadError(c, body, err)
			}
			v := string(b)
			if part.FormName() == "alt" {
				alt = &v
			} else {
				caption = &v
			}
		case "file":
			if sawFile {
				return errs.New(errs.Invalid, "invalid_upload", "Send one file per upload.")
			}
			sawFile = true
			item, created, err = a.library.Upload(c.UserContext(), principal(c), part, part.FileName(), deref(alt), deref(caption))
			if err != nil {
				if errs.Is(err, errs.TooLarge) {
					c.Locals(keyDrain, true)
					c.Set(fiber.HeaderConnection, "close")
				}
				return a.uploadError(c, body, err)
			}
			alt, caption = nil, nil // applied
		default:
			e := errs.Newf(errs.Invalid, "unknown_field", "The upload has a part this endpoint does not take: %q.", part.FormName())
			e.Details = []errs.Detail{{Field: part.FormName(), Message: "is not a part of an upload (file, alt, caption)"}}
			return e
		}
	}
	if !sawFile {
		return errs.Validationf("file", "is required: send the file in a part named \"file\"")
	}
	if created && (alt != nil || caption != nil) { // sent after the file
		if item, err = a.library.Update(c.UserContext(), principal(c), item.ID, alt, caption); err != nil {
			return err
		}
	}
	c.Location("/api/v1/admin/media/" + strconv.FormatInt(item.ID, 10))
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(itemJSON{Data: mediaOut(item)})
}

// uploadError explains a broken or oversized upload.
func (a *api) uploadError(c *fiber.Ctx, body *capped, err error) error {
	if body.over {
		return bodyTooLarge(c, "The file", a.cfg.MaxUpload)
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	return errs.Wrap(err, errs.Invalid, "invalid_upload", "The upload is not well-formed multipart/form-data.")
}

// capped is a reader that fails once more than left bytes are read.
type capped struct {
	r    io.Reader
	left int64
	over bool
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		c.over = true
		return 0, errors.New("request body over the limit")
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (a *api) listMedia(c *fiber.Ctx) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	kind, err := queryEnum(c, "type", "image", "document")
	if err != nil {
		return err
	}
	text, err := queryText(c, "q")
	if err != nil {
		return err
	}
	page, err := a.library.List(c.UserContext(), principal(c), text, kind, q.Page, q.PerPage)
	if err != nil {
		return err
	}
	out := make([]mediaJSON, len(page.Items))
	for i, m := range page.Items {
		out[i] = mediaOut(m)
	}
	return c.JSON(listJSON{Data: out, Meta: pageMeta(page)})
}

func (a *api) getMedia(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	m, uses, err := a.library.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	out := mediaDetailJSON{mediaJSON: mediaOut(m), UsedBy: make([]mediaUseJSON, len(uses))}
	for i, u := range uses {
		out.UsedBy[i] = mediaUseJSON{Type: u.EntryType, ID: u.EntryID, Title: u.Title, Field: u.Field}
	}
	return c.JSON(itemJSON{Data: out})
}

func (a *api) updateMedia(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	var body mediaPatchJSON
	if err := decodeJSON(c, &body, false); err != nil {
		return err
	}
	m, err := a.library.Update(c.UserContext(), principal(c), id, body.Alt, body.Caption)
	if err != nil {
		return err
	}
	return c.JSON(itemJSON{Data: mediaOut(m)})
}

func (a *api) deleteMedia(c *fiber.Ctx) error {
	id, err := idParam(c)
	if err != nil {
		return err
	}
	force, err := queryFlag(c, "force")
	if err != nil {
		return err
	}
	if err := a.library.Delete(c.UserContext(), principal(c), id, force); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// serveMedia serves a stored file: its type, length and ETag, immutable
// caching (keys name the content), byte ranges, never sniffed, PDFs as
// attachments; from the local disk or S3 alike, reading only the range
// asked for. A path that could leave the media dir is simply not found.
// With FOLIO_MEDIA_PUBLIC_URL, the files are served there: a redirect.
func (a *api) serveMedia(c *fiber.Ctx) error {
	key := c.Params("*")
	ext := path.Ext(key)
	ct := media.ContentType(key) // only the types uploads are checked to be
	if ct == "" || key == "" || strings.ContainsAny(key, `\%`) || strings.Contains(key, "..") || path.Clean(key) != key || strings.HasPrefix(key, "/") {
		return errs.NotFoundf("No such file.")
	}
	if base := a.cfg.MediaPublicURL; base != "" {
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return c.Redirect(base+"/"+key, fiber.StatusFound)
	}
	f, err := a.library.Open(c.UserContext(), key)
	if err != nil {
		return err
	}
	size, _ := f.Stat()
	etag := `"` + strings.TrimSuffix(path.Base(key), ext) + `"`
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderAcceptRanges, "bytes")
	c.Set("Cross-Origin-Resource-Policy", "cross-origin")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; sandbox")
	if ext == ".svg" { // checked to be inert; its inline styles may apply, nothing else
		c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	}
	if ext == ".pdf" {
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+path.Base(key)+`"`)
	}
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		f.Close()
		return c.SendStatus(fiber.StatusNotModified)
	}
	start, n := int64(0), size
	if rh := c.Get(fiber.HeaderRange); rh != "" && (c.Get(fiber.HeaderIfRange) == "" || c.Get(fiber.HeaderIfRange) == etag) {
		s, l, ok := parseRange(rh, size)
		switch {
		case !ok:
			f.Close()
			c.Set(fiber.HeaderContentRange, "bytes */"+strconv.FormatInt(size, 10))
			return errs.New(errs.RangeNotSatisfiable, "range_not_satisfiable", "The requested range is not within the file.")
		case l >= 0:
			start, n = s, l
			c.Status(fiber.StatusPartialContent)
			c.Set(fiber.HeaderContentRange, "bytes "+strconv.FormatInt(s, 10)+"-"+strconv.FormatInt(s+l-1, 10)+"/"+strconv.FormatInt(size, 10))
		}
	}
	if c.Method() == fiber.MethodHead {
		f.Close()
		c.Response().Header.SetContentLength(int(n))
		c.Response().SkipBody = true
		return nil
	}
	body, err := media.Section(f, start, n)
	if err != nil {
		f.Close()
		return err
	}
	return c.SendStream(readCloser{body, closers{body, f}}, int(n))
}

type readCloser struct {
	io.Reader
	io.Closer
}

// closers closes each of them, and returns the first error.
type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// parseRange reads a Range header of one range. It returns the start and
// length, or a length of -1 to serve the whole file (several ranges, or a
// form it does not take), and false when the range is not satisfiable.
func parseRange(h string, size int64) (start, length int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, -1, true
	}
	first, last, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found {
		return 0, -1, true
	}
	switch {
	case first == "": // the last N bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n <= 0 || size == 0 {
			return 0, 0, false
		}
		n = min(n, size)
		return size - n, n, true
	default:
		s, err := strconv.ParseInt(first, 10, 64)
		if err != nil || s < 0 || s >= size {
			return 0, 0, false
		}
		e := size - 1
		if last != "" {
			if e, err = strconv.ParseInt(last, 10, 64); err != nil || e < s {
				return 0, 0, false
			}
			e = min(e, size-1)
		}
		return s, e - s + 1, true
	}
}
