package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Guard keeps webhooks from reaching into the network Folio runs in (SSRF):
// only http(s) URLs, and never an address that is loopback, private,
// link-local, CGNAT, unspecified, multicast or otherwise special — in any
// of its spellings (127.1, 0x7f000001, ::ffff:127.0.0.1, a name resolving
// to one). The address is checked when saving, for a clear error, and again
// on every connection, after DNS, so a name that changes what it resolves
// to cannot slip past.
type Guard struct {
	// AllowPrivate turns the address checks off, for local development and
	// tests (FOLIO_WEBHOOK_ALLOW_PRIVATE).
	AllowPrivate bool
	// Resolver looks names up when saving; nil means net.DefaultResolver.
	Resolver *net.Resolver
}

// ErrRefused is the cause of every refusal by the guard.
var ErrRefused = errors.New("refused")

// special are the ranges no webhook may reach, besides what netip's
// predicates catch (loopback, private, link-local, multicast, unspecified).
var special = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),       // "this network"
	netip.MustParsePrefix("100.64.0.0/10"),   // CGNAT
	netip.MustParsePrefix("192.0.0.0/24"),    // IETF protocol assignments
	netip.MustParsePrefix("192.0.2.0/24"),    // documentation
	netip.MustParsePrefix("198.18.0.0/15"),   // benchmarking
	netip.MustParsePrefix("198.51.100.0/24"), // documentation
	netip.MustParsePrefix("203.0.113.0/24"),  // documentation
	netip.MustParsePrefix("240.0.0.0/4"),     // reserved, and broadcast
	netip.MustParsePrefix("2001:db8::/32"),   // documentation
	netip.MustParsePrefix("fec0::/10"),       // old site-local
	netip.MustParsePrefix("100::/64"),        // discard-only
}

// Embedded IPv4 addresses inside IPv6 ones: NAT64, 6to4 and the old
// IPv4-compatible form all lead to an IPv4 host that must pass too.
var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	nat64l    = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFour = netip.MustParsePrefix("2002::/16")
	v4compat  = netip.MustParsePrefix("::/96")
)

// CheckAddr returns an error wrapping ErrRefused when webhooks must not
// connect to ip.
func (g Guard) CheckAddr(ip netip.Addr) error {
	if g.AllowPrivate {
		return nil
	}
	if reason := blocked(ip); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrRefused, ip, reason)
	}
	return nil
}

func blocked(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an address"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "a loopback address"
	case ip.IsPrivate():
		return "a private address"
	case ip.IsLinkLocalUnicast():
		return "a link-local address"
	case ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast():
		return "a multicast address"
	}
	for _, p := range special {
		if p.Contains(ip) {
			return "a reserved address (" + p.String() + ")"
		}
	}
	if ip.Is6() {
		b := ip.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(ip), nat64l.Contains(ip), v4compat.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
		case sixToFour.Contains(ip):
			v4 = netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
		}
		if v4.IsValid() {
			if r := blocked(v4); r != "" {
				return "an IPv6 form of " + v4.String() + ", " + r
			}
		}
	}
	return ""
}

// CheckURL checks a webhook URL before it is saved: http or https, a host,
// and — unless private addresses are allowed — a host that is not, and
// does not resolve to, a refused address. The error is for people.
func (g Guard) CheckURL(ctx context.Context, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Opaque != "" {
		return errors.New("must be an absolute http or https URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("must use http or https")
	}
	host := u.Hostname()
	if host == "" {
		return errors.New("must name a host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return errors.New("has an invalid port")
		}
	}
	if ip, ok := parseHostIP(host); ok {
		if err := g.CheckAddr(ip); err != nil {
			return fmt.Errorf("must not point into a private network: %s", strings.TrimPrefix(err.Error(), "refused: "))
		}
		return nil
	}
	if g.AllowPrivate {
		return nil
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("host %q does not resolve", host)
	}
	for _, ip := range ips {
		if err := g.CheckAddr(ip); err != nil {
			return fmt.Errorf("must not point into a private network: %s resolves to %s", host, strings.TrimPrefix(err.Error(), "refused: "))
		}
	}
	return nil
}

// parseHostIP reads a URL host as an IP address in every spelling that
// some resolver or HTTP client accepts: IPv6 (with or without a zone),
// dotted IPv4, and the inet_aton forms 127.1, 0x7f000001, 017700000001 and
// 2130706433.
func parseHostIP(host string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.WithZone(""), true
	}
	return parseInetAton(strings.TrimSuffix(host, "."))
}

// parseInetAton parses IPv4 the way inet_aton does: one to four parts,
// each decimal, octal (leading 0) or hex (0x), the last filling the
// remaining bytes.
func parseInetAton(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		base, digits := 10, p
		switch {
		case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
			base, digits = 16, p[2:]
		case len(p) > 1 && p[0] == '0':
			base, digits = 8, p[1:]
		}
		v, err := strconv.ParseUint(digits, base, 32)
		if err != nil || digits == "" {
			return netip.Addr{}, false
		}
		vals[i] = v
	}
	var n uint64
	last := len(vals) - 1
	for i, v := range vals[:last] {
		if v > 255 {
			return netip.Addr{}, false
		}
		n |= v << (8 * (3 - i))
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	n |= vals[last]
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// Client returns the HTTP client deliveries use: the guard checks every
// address it connects to, it ignores proxy settings (a proxy would hide the
// address), it never follows redirects, and it gives up after timeout.
func (g Guard) Client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{
		Timeout: timeout,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrRefused, err)
			}
			ip, err := netip.ParseAddr(host)
			if err != nil {
				return fmt.Errorf("%w: %q is not an address", ErrRefused, host)
			}
			return g.CheckAddr(ip)
		},
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSHandshakeTimeout:   timeout,
			ResponseHeaderTimeout: timeout,
			MaxIdleConnsPerHost:   2,
			IdleConnTimeout:       90 * time.Second,
			ForceAttemptHTTP2:     true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
