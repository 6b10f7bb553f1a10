package httpapi

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/gofiber/fiber/v2"
)

// The public API answers most requests from memory: encoded responses are
// kept with their ETag and their gzip and brotli forms, so a read encodes
// nothing, compresses nothing and, for a 304, sends nothing. An entry is
// dropped when the store's generation moves (any write) or when a scheduled
// item goes live, and the cache holds at most maxBytes.

type cachedResponse struct {
	status      int
	contentType string
	location    string
	body        []byte
	gzip        []byte // nil when not worth it
	brotli      []byte
	etag        string
	gen         uint64
	until       time.Time // zero: until the generation moves
	size        int
}

type responseCache struct {
	mu       sync.Mutex
	entries  map[string]*cachedResponse
	order    []string // insertion order, for eviction
	bytes    int
	maxBytes int
}

func newResponseCache(maxBytes int) *responseCache {
	return &responseCache{entries: map[string]*cachedResponse{}, maxBytes: maxBytes}
}

func (rc *responseCache) get(key string, gen uint64, now time.Time) *cachedResponse {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e := rc.entries[key]
	if e == nil || e.gen != gen || (!e.until.IsZero() && !now.Before(e.until)) {
		return nil
	}
	return e
}

func (rc *responseCache) put(key string, e *cachedResponse) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if old := rc.entries[key]; old != nil {
		rc.bytes -= old.size
	} else {
		rc.order = append(rc.order, key)
	}
	rc.entries[key] = e
	rc.bytes += e.size
	for rc.bytes > rc.maxBytes && len(rc.order) > 0 {
		k := rc.order[0]
		rc.order = rc.order[1:]
		if old := rc.entries[k]; old != nil {
			rc.bytes -= old.size
			delete(rc.entries, k)
		}
	}
}

// cacheKey is the path and the query, sorted, without the API token (which
// decides who may read, not what is read).
func cacheKey(c *fiber.Ctx) string {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	q.Del("key")
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(c.Path())
	for i, k := range keys {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(k) + "=" + url.QueryEscape(strings.Join(q[k], ",")))
	}
	return b.String()
}

// cached serves a public GET from the cache, or runs the handler and
// caches what it answers (200, 301 and 404 alike).
func (a *api) cached(c *fiber.Ctx) error {
	gen := a.store.Generation()  // before the handler runs: a write meanwhile makes this entry stale
	now := a.content.Now().UTC() // the content's clock decides when scheduled items go live
	key := cacheKey(c)
	if e := a.cache.get(key, gen, now); e != nil {
		return a.sendCached(c, e)
	}
	if err := c.Next(); err != nil {
		// Let the error handler write the error, then cache that answer too
		// if it is a plain 404 (crawlers ask for the same missing pages).
		if werr := a.writeError(c, err); werr != nil {
			return werr
		}
		if c.Response().StatusCode() != fiber.StatusNotFound {
			return nil
		}
	}
	res := c.Response()
	status := res.StatusCode()
	if status != fiber.StatusOK && status != fiber.StatusMovedPermanently && status != fiber.StatusNotFound {
		return nil
	}
	body := bytes.Clone(res.Body())
	sum := sha256.Sum256(body)
	e := &cachedResponse{
		status: status, contentType: string(res.Header.ContentType()), location: string(res.Header.Peek(fiber.HeaderLocation)),
		body: body, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`, gen: gen,
	}
	if len(body) >= 512 {
		e.gzip, e.brotli = gzipped(body), brotlied(body)
	}
	e.size = len(key) + len(e.body) + len(e.gzip) + len(e.brotli) + 256
	next, err := a.store.Read(c.UserContext()).NextVisibilityChange(now)
	if err != nil { // without it the entry could outlive a scheduled publication: don't keep it
		a.log.Warn("public cache: next visibility change", "error", err, "request_id", requestIDOf(c))
	} else {
		e.until = next
		a.cache.put(key, e)
	}
	res.ResetBody()
	return a.sendCached(c, e)
}

// sendCached writes a cached answer: 304 when the client has it, else the
// body in the best encoding the client accepts.
func (a *api) sendCached(c *fiber.Ctx, e *cachedResponse) error {
	c.Set(fiber.HeaderETag, e.etag)
	c.Vary(fiber.HeaderAcceptEncoding)
	if len(c.Response().Header.Peek(fiber.HeaderCacheControl)) == 0 {
		c.Set(fiber.HeaderCacheControl, a.cfg.PublicCacheControl)
	}
	if e.location != "" {
		c.Set(fiber.HeaderLocation, e.location)
	}
	if e.status == fiber.StatusOK && etagMatches(c.Get(fiber.HeaderIfNoneMatch), e.etag) {
		c.Response().ResetBody()
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Status(e.status)
	c.Response().Header.SetContentType(e.contentType)
	body := e.body
	switch accept := c.Get(fiber.HeaderAcceptEncoding); {
	case e.brotli != nil && acceptsEncoding(accept, "br"):
		body = e.brotli
		c.Set(fiber.HeaderContentEncoding, "br")
	case e.gzip != nil && acceptsEncoding(accept, "gzip"):
		body = e.gzip
		c.Set(fiber.HeaderContentEncoding, "gzip")
	}
	return c.Send(body)
}

// etagMatches reads an If-None-Match list (weak tags compare equal too).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// acceptsEncoding reports whether an Accept-Encoding header allows enc
// (with a q value above 0).
func acceptsEncoding(header, enc string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		params = strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return params != "q=0" && params != "q=0.0" && params != "q=0.00" && params != "q=0.000"
	}
	return false
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func brotlied(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 6)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}
