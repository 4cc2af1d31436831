package main

import (
	"crypto/x509"
	"encoding/pem"
	"log"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/letsencrypt/pebble/v2/ca"
	pebbledb "github.com/letsencrypt/pebble/v2/db"
	"github.com/letsencrypt/pebble/v2/va"
	"github.com/letsencrypt/pebble/v2/wfe"
	"github.com/miekg/dns"
)

// TestServeGetsACertificateFromPebble runs Pebble, Let's Encrypt's ACME
// test server, in this process, with a DNS server on loopback that says
// every name is 127.0.0.1. `serve --tls-domain maeul.test` asks Pebble for a
// certificate at the first HTTPS request; Pebble's validation authority
// checks the http-01 challenge on serve's --http-addr (its tls-alpn-01 port
// is closed, so no other way works); the answer's chain verifies against
// Pebble's root, and the site is what it should be over HTTPS.
func TestServeGetsACertificateFromPebble(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an ACME server")
	}
	t.Setenv("PEBBLE_VA_NOSLEEP", "1")      // validate at once
	t.Setenv("PEBBLE_WFE_NONCEREJECT", "0") // no random bad nonces
	addr, httpAddr, closed := freeAddr(t), freeAddr(t), freeAddr(t)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	_, closedPort, _ := net.SplitHostPort(closed)
	port := func(p string) int { n, _ := strconv.Atoi(p); return n }

	logs := &lockedBuffer{}
	logger := log.New(logs, "pebble ", 0)
	store := pebbledb.NewMemoryStore()
	authority := ca.New(logger, store, "", "ecdsa", 0, 1, map[string]ca.Profile{"default": {Description: "default"}})
	validator := va.New(logger, port(httpPort), port(closedPort), false, loopbackDNS(t), store)
	frontEnd := wfe.New(logger, store, validator, authority, []string{"pebble.letsencrypt.org"}, false, false, 0, 0)
	acmeServer := httptest.NewTLSServer(frontEnd.Handler())
	defer acmeServer.Close()
	acmeRoots := filepath.Join(t.TempDir(), "acme-roots.pem")
	os.WriteFile(acmeRoots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: acmeServer.Certificate().Raw}), 0o600)

	dbPath := filepath.Join(t.TempDir(), "acme.db")
	serveInProcess(t, "--db", "sqlite:"+dbPath, "--addr", addr, "--http-addr", httpAddr,
		"--tls-domain", "maeul.test", "--acme-directory", acmeServer.URL+"/dir", "--acme-roots", acmeRoots, "--acme-email", "ops@maeul.test")

	root, err := x509.ParseCertificate(authority.GetRootCert(0).DER)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)
	_, tlsPort, _ := net.SplitHostPort(addr)
	public := "https://maeul.test:" + tlsPort
	c := clientFor("maeul.test", addr, roots)
	resp, err := c.Get(public + "/healthz")
	if err != nil {
		t.Fatalf("first HTTPS request: %v\npebble:\n%s", err, logs.String())
	}
	resp.Body.Close()
	chain := resp.TLS.VerifiedChains
	if len(chain) == 0 || chain[0][0].DNSNames[0] != "maeul.test" || !chain[0][len(chain[0])-1].Equal(root) {
		t.Fatalf("chain does not lead from maeul.test to Pebble's root: %v", chain)
	}
	if !strings.Contains(logs.String(), "Attempting to validate w/ HTTP") || !strings.Contains(logs.String(), "set VALID") {
		t.Errorf("Pebble did not validate over http-01:\n%s", logs.String())
	}
	checkHTTPS(t, c, public)
	checkRedirect(t, httpAddr, public)
	// The account and certificate are kept beside the database, so a
	// restart asks for nothing.
	if files, _ := os.ReadDir(dbPath + ".acme"); len(files) < 2 {
		t.Errorf("the ACME cache holds %d files", len(files))
	}
}

// loopbackDNS serves DNS over TCP on loopback, answering 127.0.0.1 for
// every name, for Pebble's validation authority; it returns its address.
func loopbackDNS(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := dns.NewServeMux()
	mux.HandleFunc(".", func(w dns.ResponseWriter, q *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(q)
		for _, question := range q.Question {
			if question.Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: question.Name, Rrtype: dns.TypeA, Class: dns.ClassINET},
					A: net.IPv4(127, 0, 0, 1)})
			}
		}
		w.WriteMsg(m)
	})
	srv := &dns.Server{Listener: ln, Handler: mux}
	go srv.ActivateAndServe()
	t.Cleanup(func() { srv.Shutdown() })
	return ln.Addr().String()
}
