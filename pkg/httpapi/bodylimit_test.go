package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/folio-cms/folio/pkg/auth"
	"github.com/folio-cms/folio/pkg/config"
)

// rawRequest is a request written byte for byte on its own connection.
type rawRequest struct {
	path, contentType string
	body              []byte
	chunked           bool
	expect            bool // Expect: 100-continue, and wait for an answer before the body
}

// sendAllThenRead writes the whole request (headers and every byte of the
// body) before it reads anything, as Python's http.client, requests and
// curl without Expect do, and then reads the answer. A server that closes
// without reading the body resets the connection: the write or the read
// fails instead of giving the answer.
func sendAllThenRead(t *testing.T, base, token string, r rawRequest) (*http.Response, []byte, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
	var head bytes.Buffer
	fmt.Fprintf(&head, "POST %s HTTP/1.1\r\nHost: folio\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n", r.path, token, r.contentType)
	if r.chunked {
		head.WriteString("Transfer-Encoding: chunked\r\n")
	} else {
		fmt.Fprintf(&head, "Content-Length: %d\r\n", len(r.body))
	}
	if r.expect {
		head.WriteString("Expect: 100-continue\r\n")
	}
	head.WriteString("\r\n")
	if _, err := conn.Write(head.Bytes()); err != nil {
		t.Fatalf("write headers: %v", err)
	}
	br := bufio.NewReader(conn)
	if r.expect {
		// A client that asked may wait for 100 Continue; an over-limit body
		// must be answered without it.
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("read the answer to Expect: %v", err)
		}
		body, _ := io.ReadAll(res.Body)
		return res, body, ""
	}
	var payload bytes.Buffer
	if r.chunked {
		for rest := r.body; len(rest) > 0; {
			n := min(len(rest), 16<<10)
			fmt.Fprintf(&payload, "%x\r\n%s\r\n", n, rest[:n])
			rest = rest[n:]
		}
		payload.WriteString("0\r\n\r\n")
	} else {
		payload.Write(r.body)
	}
	if _, err := conn.Write(payload.Bytes()); err != nil {
		t.Fatalf("write the body (%d bytes): %v (the server closed the connection without reading it)", payload.Len(), err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("read the answer after sending the whole body: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read the answer's body: %v", err)
	}
	// After the answer the server closes the connection.
	rest, err := io.ReadAll(br)
	return res, body, fmt.Sprintf("%q %v", rest, err)
}

// TestOversizedBodiesGetAReadable413: an upload over FOLIO_MAX_UPLOAD and a
// JSON body over 1 MiB, declared by Content-Length or crossing the limit
// while streaming chunked, written whole before the client reads: the
// client reads a 413 with the JSON error, never a reset; an over-limit
// Content-Length with Expect: 100-continue is answered at once, without
// 100 Continue. Nothing is stored.
func TestOversizedBodiesGetAReadable413(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) { c.MaxUpload = 1 << 20 })
	base := e.serve()
	token := e.tokens[auth.RoleEditor]

	boundary := "folio-limit-test"
	upload := func(size int) []byte {
		var b bytes.Buffer
		fmt.Fprintf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n", boundary)
		b.Write(jpegBytes(20, 20))
		b.Write(make([]byte, size))
		fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
		return b.Bytes()
	}
	post := []byte(`{"title":"Too long","body":"` + strings.Repeat("a", 24<<20) + `"}`)
	cases := []struct {
		name string
		r    rawRequest
	}{
		{"upload with a Content-Length over the limit", rawRequest{path: "/api/v1/admin/media", contentType: "multipart/form-data; boundary=" + boundary, body: upload(24 << 20)}},
		{"upload crossing the limit while chunked", rawRequest{path: "/api/v1/admin/media", contentType: "multipart/form-data; boundary=" + boundary, body: upload(24 << 20), chunked: true}},
		{"upload over the limit with Expect", rawRequest{path: "/api/v1/admin/media", contentType: "multipart/form-data; boundary=" + boundary, body: upload(24 << 20), expect: true}},
		{"JSON with a Content-Length over 1 MiB", rawRequest{path: "/api/v1/admin/posts", contentType: "application/json", body: post}},
		{"JSON crossing 1 MiB while chunked", rawRequest{path: "/api/v1/admin/posts", contentType: "application/json", body: post, chunked: true}},
		{"JSON over 1 MiB with Expect", rawRequest{path: "/api/v1/admin/posts", contentType: "application/json", body: post, expect: true}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			res, body, after := sendAllThenRead(t, base, token, tt.r)
			if res.StatusCode != 413 {
				t.Fatalf("status %d (%s), want 413: %s", res.StatusCode, res.Status, body)
			}
			var got struct {
				Error struct {
					Code    string `json:"code"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.Unmarshal(body, &got); err != nil || got.Error.Code != "payload_too_large" || !strings.Contains(got.Error.Message, "larger than") {
				t.Errorf("body %s, want the payload_too_large error", body)
			}
			if res.Header.Get("Content-Type") != "application/json" || res.Header.Get("X-Request-ID") == "" || !res.Close {
				t.Errorf("headers %v (close %v), want JSON, a request id and Connection: close", res.Header, res.Close)
			}
			if !tt.r.expect && after != `"" <nil>` {
				t.Errorf("after the answer: %s, want the connection closed cleanly", after)
			}
		})
	}
	// Within the limits the same routes work, and nothing of the above was stored.
	e.upload(auth.RoleEditor, "small.jpg", jpegBytes(40, 40), nil).want(t, 201, nil)
	e.do(req{Method: "GET", Path: "/api/v1/admin/media", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 1})
	e.do(req{Method: "GET", Path: "/api/v1/admin/posts", As: auth.RoleEditor}).want(t, 200, map[string]any{"meta.total": 0})
}
