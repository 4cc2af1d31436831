package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/maeul/maeul/internal/web"
)

func TestPublicAddress(t *testing.T) {
	t.Parallel()
	withNames := &httpsConfig{names: []string{"maeul.example.kr", "www.maeul.example.kr"}}
	for _, c := range []struct {
		flag, addr string
		https      *httpsConfig
		want       string
		fails      bool
	}{
		{flag: "https://maeul.example.kr/", addr: "0.0.0.0:8080", want: "https://maeul.example.kr"},
		{flag: "https://maeul.example.kr", addr: ":443", https: withNames, want: "https://maeul.example.kr"},
		{addr: ":443", https: withNames, want: "https://maeul.example.kr"},
		{addr: "0.0.0.0:8443", https: withNames, want: "https://maeul.example.kr:8443"},
		{addr: "127.0.0.1:8080", want: ""},
		{addr: "localhost:8080", want: ""},
		{addr: "[::1]:8080", want: ""},
		{addr: "0.0.0.0:8080", fails: true},
		{addr: ":8080", fails: true},
		{addr: "192.0.2.7:8080", fails: true},
		{addr: "127.0.0.1:8443", https: &httpsConfig{}, want: ""},
		{flag: "maeul.example.kr", addr: "127.0.0.1:8080", fails: true},
	} {
		got, err := publicAddress(c.flag, c.addr, c.https)
		if c.fails {
			if err == nil {
				t.Errorf("%q on %s: %q accepted", c.flag, c.addr, got)
			} else if c.flag == "" && !strings.Contains(err.Error(), "--public-url") {
				t.Errorf("the refusal does not say what to do: %v", err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q on %s: %q, %v; want %q", c.flag, c.addr, got, err, c.want)
		}
	}
}

func TestWarnPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		addr, public string
		https        *httpsConfig
		warns        bool
	}{
		{addr: "0.0.0.0:8080", public: "http://10.0.0.5:8080", warns: true},
		{addr: "0.0.0.0:8080", public: "https://maeul.example.kr"},
		{addr: "127.0.0.1:8080", public: ""},
		{addr: ":443", public: "https://maeul.example.kr", https: &httpsConfig{}},
	} {
		var out bytes.Buffer
		warnPlainHTTP(&out, c.addr, c.public, c.https)
		if got := strings.Contains(out.String(), "WARNING"); got != c.warns {
			t.Errorf("%s with %q: warned %v: %s", c.addr, c.public, got, out.String())
		}
	}
}

func TestTLSFlagsRefuseWhatCannotWork(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--tls-cert", "x.pem"},
		{"--tls-key", "x.pem"},
		{"--tls-cert", "x.pem", "--tls-key", "y.pem", "--tls-domain", "maeul.example.kr"},
		{"--http-addr", ":80"},
		{"--tls-domain", "https://maeul.example.kr"},
		{"--tls-domain", "maeul.example.kr:443"},
		{"--tls-domain", "*.example.kr"},
		{"--tls-domain", "localhost"},
		{"--tls-domain", " , "},
		{"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", filepath.Join(dir, "none.key")},
	} {
		fs := newFlags("serve", "")
		f := addTLSFlags(fs)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		if h, err := f.load("sqlite:" + filepath.Join(dir, "x.db")); err == nil {
			t.Errorf("%q accepted: %+v", args, h)
		}
	}
}

// testCert writes a self-signed certificate for names and its key, and
// returns their files and a pool that trusts it.
func testCert(t *testing.T, names ...string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// lockedBuffer is what serve prints, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveInProcess runs `maeul serve args…` in this process until it is
// serving, and stops it when the test ends. It returns what it printed.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, append([]string{"--jobs=false"}, args...), &out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	})
	deadline := time.After(2 * time.Minute)
	for !strings.Contains(out.String(), "Maeul is serving") {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("serve stopped: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return out.String()
}

// clientFor makes HTTPS requests to name, which lives at addr, trusting
// only roots.
func clientFor(name, addr string, roots *x509.CertPool) *http.Client {
	tr := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots, ServerName: name},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
	return &http.Client{Transport: tr, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// checkHTTPS asks the site for its first page over HTTPS and checks the
// answer: HSTS, Secure cookies, links to the public address.
func checkHTTPS(t *testing.T, c *http.Client, public string) {
	t.Helper()
	resp, err := c.Get(public + "/login")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("GET /login over HTTPS: %s", resp.Status)
	}
	if got := resp.Header.Get("Strict-Transport-Security"); got != web.HSTS {
		t.Errorf("HSTS %q", got)
	}
	if len(resp.Cookies()) == 0 {
		t.Error("no cookie on the sign-in page")
	}
	for _, ck := range resp.Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s is not Secure over HTTPS", ck.Name)
		}
	}
	resp, err = c.Get(public + "/.well-known/openid-credential-issuer")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), `"credential_issuer":"`+public+`"`) {
		t.Errorf("issuer metadata does not name %s: %s", public, b)
	}
}

// checkRedirect asks the plain-HTTP listener for a page with a Host of the
// client's choosing: it answers with the public address, never that Host.
func checkRedirect(t *testing.T, httpAddr, public string) {
	t.Helper()
	noFollow := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		req, _ := http.NewRequest(method, "http://"+httpAddr+"/courses?theme=ai", nil)
		req.Host = "evil.example"
		resp, err := noFollow.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusMovedPermanently
		if method == http.MethodPost {
			want = http.StatusPermanentRedirect
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode != want || loc != public+"/courses?theme=ai" {
			t.Errorf("%s over HTTP: %s to %q, want %d to %s", method, resp.Status, loc, want, public+"/courses?theme=ai")
		}
	}
}

// TestServeHTTPSWithCertificateFiles: serve --tls-cert --tls-key answers
// over HTTPS for the certificate's name, which becomes the public address,
// with HSTS and Secure cookies; --http-addr sends plain HTTP there.
func TestServeHTTPSWithCertificateFiles(t *testing.T) {
	t.Parallel()
	certFile, keyFile, roots := testCert(t, "maeul.test")
	addr, httpAddr := freeAddr(t), freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	public := "https://maeul.test:" + port
	out := serveInProcess(t, "--db", "sqlite:"+filepath.Join(t.TempDir(), "tls.db"), "--addr", addr,
		"--tls-cert", certFile, "--tls-key", keyFile, "--http-addr", httpAddr)
	if !strings.Contains(out, "Maeul is serving on https://"+addr) || !strings.Contains(out, "Its public address is "+public) {
		t.Errorf("printed:\n%s", out)
	}
	checkHTTPS(t, clientFor("maeul.test", addr, roots), public)
	checkRedirect(t, httpAddr, public)
}
