package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Client addresses. Every limit "per address" (sign-in codes, staff
// passwords, anonymous writes) counts by the address ClientAddr gives, never
// by r.RemoteAddr: behind a load balancer or reverse proxy the TCP peer is
// the proxy, and a limit per proxy is a limit for the whole city.
//
// The address comes from X-Forwarded-For or Forwarded (RFC 7239) only when
// the TCP peer is one of the trusted proxies (serve --trusted-proxies);
// anyone else could write those headers. The list is read from the right,
// the hop nearest to us, skipping the trusted proxies' own addresses; the
// first address that is not a trusted proxy is the client. A hop that does
// not parse ("unknown", an obfuscated name, garbage) ends the walk: what is
// left of it was written by someone we cannot vouch for, so the client is
// the last trusted hop before it. When a request carries both headers and
// they disagree, neither is believed and the client is the peer (the
// proxy): one of them was written by the client.

// TrustedProxies are the address ranges of the reverse proxies and load
// balancers in front of Maeul, whose forwarding headers are believed.
type TrustedProxies []netip.Prefix

// ParseTrustedProxies reads a comma-separated list of CIDR ranges or single
// addresses ("10.0.0.0/8, 192.0.2.7, 2001:db8::/32"). An empty list trusts
// no one.
func ParseTrustedProxies(s string) (TrustedProxies, error) {
	var out TrustedProxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			if p.Addr().Is4In6() {
				p = netip.PrefixFrom(p.Addr().Unmap(), max(p.Bits()-96, 0))
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("trusted proxies: %q is neither an address nor a CIDR range", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// String lists the ranges as ParseTrustedProxies reads them.
func (t TrustedProxies) String() string {
	s := make([]string, len(t))
	for i, p := range t {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

// Set reads the list as ParseTrustedProxies does, replacing it: t is a
// flag.Value.
func (t *TrustedProxies) Set(s string) error {
	p, err := ParseTrustedProxies(s)
	if err != nil {
		return err
	}
	*t = p
	return nil
}

// Contains reports whether a is one of the trusted proxies.
func (t TrustedProxies) Contains(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

type clientKey struct{}

// ClientAddrs puts the client's address into every request's context, for
// ClientAddr: the TCP peer, or with trusted proxies in front, the address
// they forwarded.
func ClientAddrs(trusted TrustedProxies) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a := clientAddr(r, trusted)
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), clientKey{}, a)))
		})
	}
}

// ClientAddr is the address of the client that made r: what ClientAddrs
// found, or without that middleware the TCP peer. It is the zero Addr when
// the peer's address does not parse (a test's made-up RemoteAddr).
func ClientAddr(r *http.Request) netip.Addr {
	if a, ok := r.Context().Value(clientKey{}).(netip.Addr); ok {
		return a
	}
	return peerAddr(r)
}

// ClientKey names the client of r for limits per address: the IPv4 address,
// or the /64 network of an IPv6 address, since one subscriber is given a
// whole /64 and could otherwise take a new address for every attempt.
func ClientKey(r *http.Request) string {
	return AddrKey(ClientAddr(r))
}

// AddrKey is ClientKey for an address.
func AddrKey(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return a.String()
	default:
		p, _ := a.WithZone("").Prefix(64)
		return p.String()
	}
}

func peerAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		host = h
	}
	if a, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return a.Unmap().WithZone("")
	}
	return netip.Addr{}
}

func clientAddr(r *http.Request, trusted TrustedProxies) netip.Addr {
	peer := peerAddr(r)
	if len(trusted) == 0 || !peer.IsValid() || !trusted.Contains(peer) {
		return peer
	}
	xff, hasXFF := r.Header["X-Forwarded-For"]
	fwd, hasFwd := r.Header["Forwarded"]
	switch {
	case hasXFF && hasFwd:
		a, b := walkHops(xffHops(xff), peer, trusted), walkHops(forwardedHops(fwd), peer, trusted)
		if a != b {
			return peer
		}
		return a
	case hasXFF:
		return walkHops(xffHops(xff), peer, trusted)
	case hasFwd:
		return walkHops(forwardedHops(fwd), peer, trusted)
	}
	return peer
}

// walkHops reads hops from the right: the first that is not a trusted
// proxy is the client; a hop that does not parse stops the walk at the
// trusted hop before it.
func walkHops(hops []string, peer netip.Addr, trusted TrustedProxies) netip.Addr {
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return client
		}
		client = a
		if !trusted.Contains(a) {
			return a
		}
	}
	return client
}

// parseHop reads one hop's address: "192.0.2.1", "192.0.2.1:8080",
// "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:8080". A zone, an
// unspecified or a multicast address is not a client.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return netip.Addr{}, false
	}
	var a netip.Addr
	if ap, err := netip.ParseAddrPort(s); err == nil {
		a = ap.Addr()
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err = netip.ParseAddr(s[1 : len(s)-1]); err != nil {
			return netip.Addr{}, false
		}
	} else if a, err = netip.ParseAddr(s); err != nil {
		return netip.Addr{}, false
	}
	if a.Zone() != "" || a.IsUnspecified() || a.IsMulticast() {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// xffHops splits X-Forwarded-For lines, in order, into their hops.
func xffHops(lines []string) []string {
	var hops []string
	for _, l := range lines {
		hops = append(hops, strings.Split(l, ",")...)
	}
	return hops
}

// forwardedHops reads the for= of each element of Forwarded lines, in
// order (RFC 7239 section 4): elements are separated by commas, pairs by
// semicolons, and a value is a token or a quoted string. An element that
// does not parse, or has no for= or two, gives an empty hop, which parseHop
// refuses.
func forwardedHops(lines []string) []string {
	var hops []string
	for _, l := range lines {
		for _, el := range splitUnquoted(l, ',') {
			hops = append(hops, forwardedFor(el))
		}
	}
	return hops
}

// forwardedFor is the for= value of one element, or "".
func forwardedFor(el string) string {
	found, seen := "", false
	for _, pair := range splitUnquoted(el, ';') {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || name == "" || strings.IndexFunc(name, func(c rune) bool { return c > 0x7f || !isTokenChar(byte(c)) }) >= 0 {
			return ""
		}
		v, ok := forwardedValue(value)
		if !ok {
			return ""
		}
		if strings.EqualFold(name, "for") {
			if seen {
				return ""
			}
			found, seen = v, true
		}
	}
	return found
}

// forwardedValue reads a token or a whole quoted string.
func forwardedValue(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if s[0] != '"' {
		for i := 0; i < len(s); i++ {
			if !isTokenChar(s[i]) {
				return "", false
			}
		}
		return s, true
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return b.String(), i == len(s)-1
		default:
			b.WriteByte(c)
		}
	}
	return "", false // not closed
}

// splitUnquoted splits s at sep outside quoted strings.
func splitUnquoted(s string, sep byte) []string {
	var out []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && c == sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// isTokenChar reports whether c may appear in an RFC 9110 token.
func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}
