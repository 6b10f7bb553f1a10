package webhook

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// TestGuardRefusesInternalAddresses holds the SSRF list: every spelling
// of an internal address is refused when saving.
func TestGuardRefusesInternalAddresses(t *testing.T) {
	g := Guard{}
	refused := []string{
		"http://127.0.0.1/hook",
		"http://127.1/hook",                                              // inet_aton short form
		"http://0x7f000001/hook",                                         // hex
		"http://0x7f.0.0.1/hook",                                         // hex part
		"http://017700000001/hook",                                       // octal
		"http://2130706433/hook",                                         // one decimal number
		"http://0177.0.0.01/hook",                                        // octal parts
		"http://[::1]/hook",                                              // IPv6 loopback
		"http://[::ffff:127.0.0.1]/",                                     // IPv4-mapped IPv6
		"http://[::ffff:7f00:1]/",                                        // the same, in hex
		"http://[64:ff9b::a00:1]/",                                       // NAT64 of 10.0.0.1
		"http://[2002:c0a8:101::1]/",                                     // 6to4 of 192.168.1.1
		"http://[fe80::1%25eth0]/",                                       // link-local with a zone
		"http://169.254.169.254/latest/meta-data/",                       // cloud metadata
		"http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.0.10/", // private
		"http://100.64.0.1/",      // CGNAT
		"http://0.0.0.0/",         // unspecified
		"http://[::]/",            // unspecified IPv6
		"http://224.0.0.1/",       // multicast
		"http://[ff02::1]/",       // IPv6 multicast
		"http://255.255.255.255/", // broadcast
		"http://[fd00::1]/",       // unique local
		"http://localhost:8080/",  // a name resolving to loopback
		"http://127.0.0.1.:80/",   // trailing dot
	}
	for _, u := range refused {
		err := g.CheckURL(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "private network") {
			t.Errorf("CheckURL(%q) = %v, want a refusal naming the private network", u, err)
		}
	}
	for _, u := range []string{"ftp://example.com/", "file:///etc/passwd", "gopher://x/", "http://", "/relative", "http://example.com:99999/", "javascript:alert(1)"} {
		if err := g.CheckURL(context.Background(), u); err == nil {
			t.Errorf("CheckURL(%q) = nil, want an error", u)
		}
	}
	for _, u := range []string{"https://93.184.215.14/hook", "http://[2606:4700::1111]/hook", "https://8.8.8.8:8443/x?y=1"} {
		if err := g.CheckURL(context.Background(), u); err != nil {
			t.Errorf("CheckURL(%q) = %v, want nil", u, err)
		}
	}
	// With private addresses allowed (development), only the URL's shape counts.
	if err := (Guard{AllowPrivate: true}).CheckURL(context.Background(), "http://127.0.0.1:9/x"); err != nil {
		t.Errorf("AllowPrivate: %v", err)
	}
}

func TestParseInetAton(t *testing.T) {
	for in, want := range map[string]string{
		"127.1": "127.0.0.1", "0x7f000001": "127.0.0.1", "2130706433": "127.0.0.1", "10.1": "10.0.0.1",
		"192.168.1": "192.168.0.1", "0300.0250.1.1": "192.168.1.1", "1.2.3.4": "1.2.3.4",
	} {
		got, ok := parseInetAton(in)
		if !ok || got != netip.MustParseAddr(want) {
			t.Errorf("parseInetAton(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"example.com", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "08", "0x", "", "1..2", "4294967296"} {
		if got, ok := parseInetAton(in); ok {
			t.Errorf("parseInetAton(%q) = %v, want not an address", in, got)
		}
	}
}

// TestClientChecksAtConnect: the address is checked when connecting, after
// DNS, so a URL that passed when saved (or a name that now resolves
// elsewhere) still cannot reach an internal address.
func TestClientChecksAtConnect(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits++ }))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	client := Guard{}.Client(2 * time.Second)
	for _, u := range []string{srv.URL, "http://localhost:" + port} {
		_, err := client.Post(u, "application/json", strings.NewReader("{}"))
		if !errors.Is(err, ErrRefused) {
			t.Errorf("POST %s: %v, want ErrRefused", u, err)
		}
	}
	if hits != 0 {
		t.Errorf("the receiver was reached %d times", hits)
	}
	// Allowed, the same client reaches it — the refusal was the guard's.
	if _, err := (Guard{AllowPrivate: true}).Client(2*time.Second).Post(srv.URL, "application/json", strings.NewReader("{}")); err != nil || hits != 1 {
		t.Errorf("with AllowPrivate: err %v, hits %d", err, hits)
	}
}

// TestClientDoesNotFollowRedirects: a redirect could lead anywhere.
func TestClientDoesNotFollowRedirects(t *testing.T) {
	target := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			target++
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	resp, err := Guard{AllowPrivate: true}.Client(2*time.Second).Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || target != 0 {
		t.Errorf("status %d, redirect target hit %d times; want 307 and 0", resp.StatusCode, target)
	}
}

func TestSignAndVerify(t *testing.T) {
	body := []byte(`{"id":"evt_1","event":"post.published"}`)
	at := time.Unix(1_800_000_000, 0)
	sig := Sign("whsec_test", at, body)
	if !strings.HasPrefix(sig, "t=1800000000,v1=") || len(sig) != len("t=1800000000,v1=")+64 {
		t.Fatalf("signature %q", sig)
	}
	if err := Verify("whsec_test", sig, body, at.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("Verify: %v", err)
	}
	cases := map[string]struct {
		secret, header string
		body           []byte
		now            time.Time
		want           error
	}{
		"other secret":   {"whsec_other", sig, body, at, ErrBadSignature},
		"changed body":   {"whsec_test", sig, append([]byte(" "), body...), at, ErrBadSignature},
		"replayed later": {"whsec_test", sig, body, at.Add(6 * time.Minute), ErrStale},
		"no v1":          {"whsec_test", "t=1800000000", body, at, ErrMalformed},
		"garbage":        {"whsec_test", "hello", body, at, ErrMalformed},
		"changed time":   {"whsec_test", strings.Replace(sig, "t=1800000000", "t=1800000001", 1), body, at, ErrBadSignature},
	}
	for name, c := range cases {
		if err := Verify(c.secret, c.header, c.body, c.now, 5*time.Minute); !errors.Is(err, c.want) {
			t.Errorf("%s: Verify = %v, want %v", name, err, c.want)
		}
	}
}

func TestBackoffDoublesWithJitter(t *testing.T) {
	base := 30 * time.Second
	for n := 1; n <= 9; n++ {
		mid := base << (n - 1)
		lo, hi := Backoff(base, n, 0), Backoff(base, n, 0.999999)
		if lo != time.Duration(float64(mid)*0.8) || hi <= lo || hi > time.Duration(float64(mid)*1.2) {
			t.Errorf("attempt %d: backoff in [%v, %v], want [0.8, 1.2] × %v", n, lo, hi, mid)
		}
	}
}

func TestNormalizeEvents(t *testing.T) {
	got, msg := normalizeEvents([]string{"post.updated", "media.deleted", "post.published", "post.updated"})
	if msg != "" || strings.Join(got, ",") != "post.published,post.updated,media.deleted" {
		t.Errorf("got %v %q", got, msg)
	}
	if got, _ := normalizeEvents([]string{"post.updated", "*"}); len(got) != 1 || got[0] != "*" {
		t.Errorf("with *: %v", got)
	}
	for _, in := range [][]string{nil, {}, {"post.created"}, {"ping"}} {
		if _, msg := normalizeEvents(in); msg == "" {
			t.Errorf("%v: accepted", in)
		}
	}
}
