package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// BenchmarkCachedRead is a public read answered from the response cache,
// the path nearly every frontend request takes: the middleware, the cache
// key, the freshness check (the store's generation, the next scheduled
// change) and the copy of the stored bytes. It runs the Fiber handler
// directly, without a network, so that only folio's own work is measured.
func BenchmarkCachedRead(b *testing.B) {
	e := newEnv(b)
	for i := range 20 {
		id, _ := e.createPost(map[string]any{"title": fmt.Sprintf("Post %d", i), "body": richBody, "tags": []string{"go"}})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor}).want(b, 200, nil)
	}
	h := e.app.Handler()
	for name, path := range map[string]string{
		"post": "/api/v1/posts/post-3", "list": "/api/v1/posts?per_page=10",
		// The Ghost Content API: the same cache, so the same speed.
		"ghost_post": "/ghost/api/content/posts/slug/post-3/", "ghost_list": "/ghost/api/content/posts/?limit=10&include=tags,authors",
	} {
		b.Run(name, func(b *testing.B) {
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(path)
			h(&ctx) // fills the cache
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
				if ctx.Response.StatusCode() != 200 {
					b.Fatalf("%s: %d %s", path, ctx.Response.StatusCode(), ctx.Response.Body())
				}
			}
		})
	}
}

// BenchmarkGhostUncached is a Ghost browse with a filter and the same
// list of Folio's API, each answered afresh (the cache off): the cost of
// the Ghost layer's own work (NQL, bodies, its JSON) over Folio's.
func BenchmarkGhostUncached(b *testing.B) {
	e := newEnv(b, func(c *config.Config) { c.CacheMB = 0 })
	for i := range 50 {
		id, _ := e.createPost(map[string]any{"title": fmt.Sprintf("Post %d", i), "body": richBody, "tags": []string{"go", fmt.Sprintf("t%d", i%5)}})
		e.do(req{Method: "POST", Path: fmt.Sprintf("/api/v1/admin/posts/%d/publish", id), As: auth.RoleEditor}).want(b, 200, nil)
	}
	h := e.app.Handler()
	for name, path := range map[string]string{
		"folio_list": "/api/v1/posts?per_page=15&tag=t1",
		"ghost_list": "/ghost/api/content/posts/?filter=tag:t1%2Btag:go&include=tags,authors",
	} {
		b.Run(name, func(b *testing.B) {
			var ctx fasthttp.RequestCtx
			ctx.Request.SetRequestURI(path)
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				h(&ctx)
				if ctx.Response.StatusCode() != 200 {
					b.Fatalf("%s: %d %s", path, ctx.Response.StatusCode(), ctx.Response.Body())
				}
			}
		})
	}
}
