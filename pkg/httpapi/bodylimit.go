package httpapi

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/folio-cms/folio/pkg/errs"
	"github.com/folio-cms/folio/pkg/media"
)

// Bodies over a limit get a 413 the client can read. Many clients (Python's
// http.client and requests, curl without Expect) write the whole body
// before they read anything; a server that answers and closes without
// reading the rest makes the kernel reset the connection, and the client
// sees "connection reset by peer" instead of the answer. So:
//
//   - A Content-Length over the route's limit is refused from the headers,
//     before the body is read; with Expect: 100-continue no 100 Continue is
//     sent (expect), so such a client never sends it.
//   - The 413 is written at once, the sending side of the connection shut,
//     and then the rest of the body is read and thrown away, up to
//     drainBytes and for at most drainTime, before the connection is closed
//     (lingerClose). A client that writes everything first then reads the
//     whole answer; one that reads as it writes sees it at once and stops.

// Bounds of the discarding after a 413.
const (
	drainTime     = 10 * time.Second
	minDrainBytes = 64 << 20
)

// bodyLimit is the most a route reads of a request body: uploads their
// own limit, everything else MaxJSONBody.
func (a *api) bodyLimit(method, path []byte) int {
	if bytes.Equal(method, []byte(fiber.MethodPost)) && bytes.EqualFold(bytes.TrimRight(path, "/"), []byte(uploadPath)) {
		return int(a.cfg.MaxUpload + multipartSlack)
	}
	return MaxJSONBody
}

// uploadPath is the one route that takes more than MaxJSONBody.
const uploadPath = "/api/v1/admin/media"

// expect answers Expect: 100-continue. A body within the route's limit is
// invited (100 Continue); one declared over it is refused from the headers
// with the 413 JSON, and the client never sends it. fasthttp answers this
// itself, before any middleware runs, so the answer is made here whole.
func (a *api) expect(ctx *fasthttp.RequestCtx) int {
	limit := a.bodyLimit(ctx.Method(), ctx.Path())
	if ctx.Request.Header.ContentLength() <= limit {
		return fasthttp.StatusContinue
	}
	e := a.tooLargeError(ctx.Method(), ctx.Path())
	id := newRequestID()
	ctx.Response.Header.SetContentType(fiber.MIMEApplicationJSON)
	ctx.Response.Header.Set(fiber.HeaderXRequestID, id)
	ctx.Response.Header.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	ctx.Response.SetBody(errorJSON(e))
	a.log.Info("request refused", "request_id", id, "method", string(ctx.Method()), "path", string(ctx.Path()),
		"status", fasthttp.StatusRequestEntityTooLarge, "content_length", ctx.Request.Header.ContentLength(), "ip", ctx.RemoteIP().String())
	return fasthttp.StatusRequestEntityTooLarge
}

// tooLargeError is the 413 of a route.
func (a *api) tooLargeError(method, path []byte) *errs.Error {
	if a.bodyLimit(method, path) != MaxJSONBody {
		return tooLargeFor("The file", a.cfg.MaxUpload)
	}
	return tooLargeFor("The request body", MaxJSONBody)
}

func tooLargeFor(what string, limit int64) *errs.Error {
	return errs.Newf(errs.TooLarge, "payload_too_large", "%s is larger than the limit of %s.", what, media.FormatSize(limit))
}

// bodyTooLarge is the 413 for a body (what names it) over limit bytes, and
// marks the request so that its answer is followed by discarding the rest
// of the body.
func bodyTooLarge(c *fiber.Ctx, what string, limit int64) error {
	c.Locals(keyDrain, true)
	c.Set(fiber.HeaderConnection, "close")
	return tooLargeFor(what, limit)
}

// lingerClose sends the answer already in c itself, then discards what is
// left of the request body within the drain bounds, and closes the
// connection. Off a real connection (app.Test) it just closes.
func (a *api) lingerClose(c *fiber.Ctx) {
	fc := c.Context()
	halfClose, ok := fc.Conn().(interface{ CloseWrite() error })
	body := fc.RequestBodyStream()
	if !ok || body == nil {
		return
	}
	resp := fasthttp.AcquireResponse()
	fc.Response.CopyTo(resp)
	resp.SetConnectionClose()
	limit := int64(max(minDrainBytes, 2*a.bodyLimit(fc.Method(), fc.Path())))
	fc.HijackSetNoResponse(true)
	fc.Hijack(func(conn net.Conn) {
		defer fasthttp.ReleaseResponse(resp)
		_ = conn.SetDeadline(time.Now().Add(drainTime))
		w := bufio.NewWriter(conn)
		if resp.Write(w) != nil || w.Flush() != nil {
			return
		}
		_ = halfClose.CloseWrite() // the answer is complete: the client may read it to the end
		_, _ = io.CopyN(io.Discard, body, limit)
	})
}
