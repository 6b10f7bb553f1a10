package httpapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io/fs"
	"mime"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// adminApp serves the embedded admin single-page app at /admin/.
type adminApp struct {
	index []byte                // index.html, with the nonce placeholder
	files map[string]staticFile // every other file, by path under /admin/
}

type staticFile struct {
	body        []byte
	contentType string
	etag        string
	// br and gz are the file compressed at build time (name.br, name.gz
	// beside it in dist, brotli and gzip at their highest levels), served
	// as they are to clients that accept them; nil when the build made none.
	br, gz []byte
}

// precompressed are the encodings the build writes beside a file, by suffix.
var precompressed = []string{".br", ".gz"}

// noncePlaceholder in index.html is replaced by each response's CSP nonce;
// the app reads it (meta name="csp-nonce") for the styles it injects.
const noncePlaceholder = "__CSP_NONCE__"

// loadAdminApp reads the built app into memory once: it is small, and
// serving from memory keeps the hot path free of disk reads.
func loadAdminApp(fsys fs.FS) (*adminApp, error) {
	app := &adminApp{files: map[string]staticFile{}}
	if fsys == nil {
		return app, nil
	}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if p == "index.html" {
			app.index = body
			return nil
		}
		for _, ext := range precompressed {
			if strings.HasSuffix(p, ext) {
				if _, err := fs.Stat(fsys, strings.TrimSuffix(p, ext)); err == nil {
					return nil // a compressed copy: read with its file below
				}
			}
		}
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := staticFile{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if f.br, err = readOptional(fsys, p+".br"); err != nil {
			return err
		}
		if f.gz, err = readOptional(fsys, p+".gz"); err != nil {
			return err
		}
		app.files[p] = f
		return nil
	})
	return app, err
}

// readOptional reads a file that may be missing (nil then).
func readOptional(fsys fs.FS, p string) ([]byte, error) {
	b, err := fs.ReadFile(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// encoded picks the representation for an Accept-Encoding header: brotli,
// else gzip, else the file as it is; each has its own ETag.
func (f staticFile) encoded(accept string) (body []byte, encoding, etag string) {
	tag := strings.TrimSuffix(f.etag, `"`)
	switch {
	case f.br != nil && acceptsEncoding(accept, "br"):
		return f.br, "br", tag + `-br"`
	case f.gz != nil && acceptsEncoding(accept, "gzip"):
		return f.gz, "gzip", tag + `-gz"`
	}
	return f.body, "", f.etag
}

// adminCSP is the Content-Security-Policy of the admin app: scripts,
// styles, connections, fonts and frames from our own origin only, no inline
// script, inline styles only with the response's nonce. Images may come
// from any https origin, because posts embed images hosted elsewhere.
func adminCSP(nonce string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-" + nonce + "'; " +
		"img-src 'self' data: blob: https:; connect-src 'self'; font-src 'self'; object-src 'none'; " +
		"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
}

// serveAdmin answers /admin/*: a file of the build, or, for any other path,
// the app's index.html (deep links such as /admin/posts/12 load the app).
// A missing hashed asset is a real 404, never the index page.
func (a *api) serveAdmin(c *fiber.Ctx) error {
	if c.Path() == "/admin" { // relative asset URLs need the trailing slash
		return toAdmin(c)
	}
	p := strings.TrimPrefix(path.Clean("/"+c.Params("*")), "/")
	if f, ok := a.admin.files[p]; ok {
		body, encoding, etag := f.encoded(c.Get(fiber.HeaderAcceptEncoding))
		c.Set(fiber.HeaderContentType, f.contentType)
		c.Set(fiber.HeaderETag, etag)
		if f.br != nil || f.gz != nil {
			c.Vary(fiber.HeaderAcceptEncoding)
		}
		if strings.HasPrefix(p, "assets/") {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable") // names carry a content hash
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		}
		if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
			return c.SendStatus(fiber.StatusNotModified)
		}
		if encoding != "" {
			// Set, the response middleware leaves it as it is.
			c.Set(fiber.HeaderContentEncoding, encoding)
		}
		return c.Send(body)
	}
	if strings.HasPrefix(p, "assets/") || path.Ext(p) != "" {
		return fiber.ErrNotFound
	}
	if a.admin.index == nil {
		return fiber.ErrNotFound
	}
	nonce := newNonce()
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentSecurityPolicy, adminCSP(nonce))
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "same-origin")
	return c.Send(bytes.ReplaceAll(a.admin.index, []byte(noncePlaceholder), []byte(nonce)))
}

func newNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// toAdmin redirects / (and /admin) to the app.
func toAdmin(c *fiber.Ctx) error {
	return c.Redirect("/admin/", fiber.StatusFound)
}
