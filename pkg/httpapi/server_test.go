package httpapi_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/auth"
)

// serve runs the app on a real listener on 127.0.0.1 and returns its base
// URL; the server stops when the test ends.
func (e *env) serve() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	e.t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// TestOversizedBodyOverRealHTTP sends a body over the server's own limit,
// which fasthttp refuses before any handler runs.
func TestOversizedBodyOverRealHTTP(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base := e.serve()
	// A raw connection: write the body in the background (the server may
	// answer and close before it has read it all) and read the answer.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	huge := `{"title":"t","body":"` + strings.Repeat("a", 5<<20) + `"}`
	go func() {
		_, _ = io.WriteString(conn, "POST /api/v1/admin/posts HTTP/1.1\r\nHost: folio\r\nContent-Type: application/json\r\n"+
			"Authorization: Bearer "+e.tokens[auth.RoleEditor]+"\r\nContent-Length: "+strconv.Itoa(len(huge))+"\r\n\r\n"+huge)
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 413 {
		t.Fatalf("status = %d, want 413; body %s", res.StatusCode, body)
	}
	var got struct {
		Error struct{ Code string } `json:"error"`
	}
	if err := json.Unmarshal(body, &got); err != nil || got.Error.Code != "payload_too_large" {
		t.Errorf("body = %s, want a payload_too_large error", body)
	}
	if res.Header.Get("X-Request-ID") == "" {
		t.Errorf("no X-Request-ID on a refused request")
	}
}
