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
	etag        string
	gen         uint64
	until       time.Time // zero: until the generation moves
	size        int

	// The compressed forms are made the first time a client asks for each,
	// once, and kept with the entry.
	gzipOnce, brotliOnce sync.Once
	gzip, brotli         []byte
}

func (e *cachedResponse) gzipped() []byte {
	e.gzipOnce.Do(func() { e.gzip = compressGzip(e.body) })
	return e.gzip
}

func (e *cachedResponse) brotlied() []byte {
	e.brotliOnce.Do(func() { e.brotli = compressBrotli(e.body) })
	return e.brotli
}

type responseCache struct {
	mu       sync.Mutex
	entries  map[string]*cachedResponse
	order    []string // insertion order, for eviction
	bytes    int
	maxBytes int
	inflight map[string]*fill // misses being answered, so the same one is not computed by every caller at once

	// next is when the next scheduled item goes live, as of generation
	// nextGen (it can only change with a write): asked once per generation,
	// not once per fill.
	nextGen uint64
	next    time.Time
	nextOK  bool
}

// nextChange returns when the next scheduled item goes live (zero: none),
// asking the store only when the generation has moved or that time passed.
func (a *api) nextChange(c *fiber.Ctx, gen uint64, now time.Time) (time.Time, error) {
	rc := a.cache
	rc.mu.Lock()
	if rc.nextOK && rc.nextGen == gen && (rc.next.IsZero() || now.Before(rc.next)) {
		next := rc.next
		rc.mu.Unlock()
		return next, nil
	}
	rc.mu.Unlock()
	next, err := a.fresh.NextVisibilityChange(c.UserContext(), now)
	if err != nil {
		return next, err
	}
	rc.mu.Lock()
	rc.nextGen, rc.next, rc.nextOK = gen, next, true
	rc.mu.Unlock()
	return next, nil
}

// fill is one miss being answered; those asking for the same key meanwhile
// wait for it.
type fill struct {
	done  chan struct{}
	entry *cachedResponse // nil when the answer was not cacheable
}

func newResponseCache(maxBytes int) *responseCache {
	return &responseCache{entries: map[string]*cachedResponse{}, maxBytes: maxBytes, inflight: map[string]*fill{}}
}

// claim returns the fill of key that is under way, or starts one (leader).
func (rc *responseCache) claim(key string) (f *fill, leader bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if f := rc.inflight[key]; f != nil {
		return f, false
	}
	f = &fill{done: make(chan struct{})}
	rc.inflight[key] = f
	return f, true
}

func (rc *responseCache) finish(key string, f *fill, e *cachedResponse) {
	rc.mu.Lock()
	delete(rc.inflight, key)
	rc.mu.Unlock()
	f.entry = e
	close(f.done)
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
	if e.size > rc.maxBytes {
		return // also: a cache of 0 bytes is off
	}
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
	gen := a.fresh.Generation()  // before the handler runs: a write meanwhile makes this entry stale
	now := a.content.Now().UTC() // the content's clock decides when scheduled items go live
	key := cacheKey(c)
	if e := a.cache.get(key, gen, now); e != nil {
		return a.sendCached(c, e)
	}
	if a.cache.maxBytes > 0 {
		f, leader := a.cache.claim(key)
		if !leader {
			select {
			case <-f.done:
				if f.entry != nil && f.entry.gen == gen {
					return a.sendCached(c, f.entry)
				}
			case <-time.After(5 * time.Second):
			}
			return a.fillCache(c, key, gen, now, nil)
		}
		return a.fillCache(c, key, gen, now, f)
	}
	return a.fillCache(c, key, gen, now, nil)
}

// fillCache runs the handler and keeps its answer; f, when set, is the fill
// others wait for.
func (a *api) fillCache(c *fiber.Ctx, key string, gen uint64, now time.Time, f *fill) error {
	var kept *cachedResponse
	if f != nil {
		defer func() { a.cache.finish(key, f, kept) }()
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
	e.size = len(key) + len(e.body)*3/2 + 256 // with room for its compressed forms
	if a.cache.maxBytes > 0 {
		next, err := a.nextChange(c, gen, now)
		if err != nil { // without it the entry could outlive a scheduled publication: don't keep it
			a.log.Warn("public cache: next visibility change", "error", err, "request_id", requestIDOf(c))
		} else {
			e.until = next
			a.cache.put(key, e)
			kept = e
		}
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
	if len(body) >= 512 { // smaller answers are not worth compressing
		switch accept := c.Get(fiber.HeaderAcceptEncoding); {
		case acceptsEncoding(accept, "br"):
			body = e.brotlied()
			c.Set(fiber.HeaderContentEncoding, "br")
		case acceptsEncoding(accept, "gzip"):
			body = e.gzipped()
			c.Set(fiber.HeaderContentEncoding, "gzip")
		}
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

func compressGzip(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}

func compressBrotli(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 4)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}
