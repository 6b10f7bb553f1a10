package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/folio-cms/folio/pkg/auth"
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
	for name, path := range map[string]string{"post": "/api/v1/posts/post-3", "list": "/api/v1/posts?per_page=10"} {
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
