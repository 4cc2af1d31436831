package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseTrustedProxies(t *testing.T) {
	t.Parallel()
	tp, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::ffff:198.51.100.0/120,")
	if err != nil {
		t.Fatal(err)
	}
	if got := tp.String(); got != "10.0.0.0/8,192.0.2.7/32,2001:db8::/32,198.51.100.0/24" {
		t.Fatalf("parsed %s", got)
	}
	if tp, err := ParseTrustedProxies(""); err != nil || len(tp) != 0 {
		t.Fatalf("empty: %v %v", tp, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1-10.0.0.9", "fe80::1%eth0"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	trusted, _ := ParseTrustedProxies("10.0.0.0/8,2001:db8:ffff::/48")
	cases := []struct {
		name    string
		trusted TrustedProxies
		peer    string
		headers map[string][]string
		want    string
	}{
		{"no proxies: the peer", nil, "203.0.113.5:4000", nil, "203.0.113.5"},
		{"no proxies: a spoofed X-Forwarded-For is ignored", nil, "203.0.113.5:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, "203.0.113.5"},
		{"no proxies: a spoofed Forwarded is ignored", nil, "203.0.113.5:4000",
			map[string][]string{"Forwarded": {"for=198.51.100.1"}}, "203.0.113.5"},
		{"untrusted peer: X-Forwarded-For is ignored", trusted, "203.0.113.5:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1, 10.0.0.1"}}, "203.0.113.5"},
		{"untrusted peer: Forwarded is ignored", trusted, "203.0.113.5:4000",
			map[string][]string{"Forwarded": {`for="[2001:db8::1]:80"`}}, "203.0.113.5"},
		{"trusted proxy without headers: the proxy", trusted, "10.0.0.9:4000", nil, "10.0.0.9"},
		{"one proxy", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1"}}, "198.51.100.1"},
		{"a chain of proxies, read from the right", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1, 10.1.2.3,10.4.5.6"}}, "198.51.100.1"},
		{"what the client wrote left of its address is ignored", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"1.1.1.1, 10.0.0.2, 198.51.100.1, 10.1.2.3"}}, "198.51.100.1"},
		{"several header lines are one list", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"6.6.6.6, 198.51.100.1", "10.1.2.3"}}, "198.51.100.1"},
		{"X-Forwarded-For with ports", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1:5555, [2001:db8:ffff::3]:443"}}, "198.51.100.1"},
		{"an IPv6 peer that is trusted", trusted, "[2001:db8:ffff::9]:4000",
			map[string][]string{"X-Forwarded-For": {"2001:db8:1::5"}}, "2001:db8:1::5"},
		{"an IPv4-mapped peer", trusted, "[::ffff:10.0.0.9]:4000",
			map[string][]string{"X-Forwarded-For": {"::ffff:198.51.100.1"}}, "198.51.100.1"},
		{"Forwarded, RFC 7239's examples", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.9`}}, "2001:db8:cafe::17"},
		{"Forwarded with quoted IPv4 and port, mixed case", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`For="192.0.2.60:47011";proto=http;by=203.0.113.43`}}, "192.0.2.60"},
		{"Forwarded through two proxies on two lines", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`for=198.51.100.17;proto=https`, `for="10.3.3.3:80";host="a,b;c"`}}, "198.51.100.17"},
		{"Forwarded: a quoted comma does not split", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`for=198.51.100.17;host="x, for=6.6.6.6"`}}, "198.51.100.17"},
		{"both headers that agree", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=198.51.100.1"}}, "198.51.100.1"},
		{"both headers that disagree: neither is believed", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=6.6.6.6"}}, "10.0.0.9"},
		{"only trusted hops: the farthest of them", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"10.1.1.1, 10.2.2.2"}}, "10.1.1.1"},
		{"garbage stops the walk at the trusted hop before it", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"6.6.6.6, not-an-address, 10.2.2.2"}}, "10.2.2.2"},
		{"garbage right of the client does not hide it", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"<script>, 198.51.100.1"}}, "198.51.100.1"},
		{"an empty hop is garbage", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"6.6.6.6,,"}}, "10.0.0.9"},
		{"an empty header", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {""}}, "10.0.0.9"},
		{"Forwarded: unknown", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {"for=6.6.6.6, for=unknown"}}, "10.0.0.9"},
		{"Forwarded: an obfuscated name", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {"for=_hidden"}}, "10.0.0.9"},
		{"Forwarded: an unquoted IPv6 is not a token", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {"for=6.6.6.6, for=[2001:db8::1]"}}, "10.0.0.9"},
		{"Forwarded: an unclosed quote", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`for=6.6.6.6, for="198.51.100.1`}}, "10.0.0.9"},
		{"Forwarded: an element without for", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {"for=6.6.6.6, proto=https"}}, "10.0.0.9"},
		{"Forwarded: two for= in one element", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {"for=6.6.6.6;for=7.7.7.7"}}, "10.0.0.9"},
		{"Forwarded: garbage", trusted, "10.0.0.9:4000",
			map[string][]string{"Forwarded": {`;;=,"\`}}, "10.0.0.9"},
		{"a zone is not a client", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"fe80::1%eth0"}}, "10.0.0.9"},
		{"the unspecified address is not a client", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {"0.0.0.0"}}, "10.0.0.9"},
		{"a very long hop", trusted, "10.0.0.9:4000",
			map[string][]string{"X-Forwarded-For": {strings.Repeat("1", 5000)}}, "10.0.0.9"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for k, vs := range c.headers {
			for _, v := range vs {
				r.Header.Add(k, v)
			}
		}
		var got string
		ClientAddrs(c.trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got = ClientAddr(r).String()
		})).ServeHTTP(httptest.NewRecorder(), r)
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestClientKey(t *testing.T) {
	t.Parallel()
	for peer, want := range map[string]string{
		"192.0.2.1:80":             "192.0.2.1",
		"[2001:db8:1:2:3:4:5:6]:1": "2001:db8:1:2::/64",
		"[::ffff:192.0.2.1]:1":     "192.0.2.1",
		"pipe":                     "unknown",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = peer
		if got := ClientKey(r); got != want {
			t.Errorf("ClientKey(%s) = %s, want %s", peer, got, want)
		}
	}
}

// Whatever the headers hold, reading them does not panic and gives a
// client: behind a trusted peer, at worst the peer itself.
func FuzzClientAddr(f *testing.F) {
	f.Add("198.51.100.1, 10.0.0.2", `for="[2001:db8::1]:80";proto=https, for=10.0.0.3`)
	f.Add(`"`, `for="\`)
	f.Add(",,,", ";;;=,")
	f.Add("[::1", `for=[::1];for="1.2.3.4"`)
	trusted, _ := ParseTrustedProxies("10.0.0.0/8")
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.9:1"
		r.Header.Set("X-Forwarded-For", xff)
		r.Header.Set("Forwarded", fwd)
		if a := clientAddr(r, trusted); !a.IsValid() || a.Zone() != "" {
			t.Fatalf("client %v from %q and %q", a, xff, fwd)
		}
	})
}
