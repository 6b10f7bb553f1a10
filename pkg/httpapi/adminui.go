package httpapi

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
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
}

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
		sum := sha256.Sum256(body)
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = "application/octet-stream"
		}
		app.files[p] = staticFile{body: body, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	return app, err
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
		c.Set(fiber.HeaderContentType, f.contentType)
		c.Set(fiber.HeaderETag, f.etag)
		if strings.HasPrefix(p, "assets/") {
			c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable") // names carry a content hash
		} else {
			c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		}
		if c.Get(fiber.HeaderIfNoneMatch) == f.etag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		return c.Send(f.body)
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
