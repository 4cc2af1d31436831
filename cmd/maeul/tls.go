package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"

	"github.com/maeul/maeul/internal/web"
)

// tlsFlags are serve's flags for HTTPS.
type tlsFlags struct {
	cert, key, domains                *string
	acmeDirectory, acmeEmail          *string
	acmeCache, acmeRoots, httpAddress *string
}

func addTLSFlags(fs *flag.FlagSet) *tlsFlags {
	return &tlsFlags{
		cert: fs.String("tls-cert", "", "serve HTTPS on --addr with this certificate (PEM, chain included; a renewed file is\npicked up within a minute), and --tls-key"),
		key:  fs.String("tls-key", "", "the private key of --tls-cert (PEM)"),
		domains: fs.String("tls-domain", "", "serve HTTPS on --addr with certificates for these names (DOMAIN[,DOMAIN]) obtained\n"+
			"and renewed automatically from an ACME CA (Let's Encrypt); the first is the public address unless --public-url"),
		acmeDirectory: fs.String("acme-directory", autocert.DefaultACMEDirectory, "the ACME CA's directory URL, for --tls-domain"),
		acmeEmail:     fs.String("acme-email", "", "a contact address given to the ACME CA (expiry notices), for --tls-domain"),
		acmeCache: fs.String("acme-cache", "", "directory that keeps the ACME account and certificates (mode 0700); default:\n"+
			"PATH.acme beside a SQLite database, else maeul/acme in the user's cache directory"),
		acmeRoots: fs.String("acme-roots", "", "PEM file of the CA certificates to trust for the ACME directory's own HTTPS (a private\nACME CA); default: the system's"),
		httpAddress: fs.String("http-addr", "", "with HTTPS, also listen for plain HTTP here (e.g. :80): answer ACME http-01 challenges and\n"+
			"redirect everything else to the public https address"),
	}
}

// httpsConfig is how serve speaks HTTPS; nil for plain HTTP.
type httpsConfig struct {
	tls      *tls.Config
	acme     *autocert.Manager // with --tls-domain
	names    []string          // the DNS names the certificate is for
	httpAddr string
}

// load checks the flags and prepares the certificates: --tls-cert's pair
// is read now, so a wrong file stops the start.
func (f *tlsFlags) load(dsn string) (*httpsConfig, error) {
	cert, key, domains := *f.cert, *f.key, strings.TrimSpace(*f.domains)
	switch {
	case (cert == "") != (key == ""):
		return nil, errors.New("--tls-cert and --tls-key go together")
	case cert != "" && domains != "":
		return nil, errors.New("give either --tls-cert and --tls-key, or --tls-domain, not both")
	case cert == "" && domains == "":
		if *f.httpAddress != "" {
			return nil, errors.New("--http-addr redirects to HTTPS: it needs --tls-domain or --tls-cert and --tls-key")
		}
		return nil, nil
	}
	h := &httpsConfig{httpAddr: *f.httpAddress}
	if cert != "" {
		kp := &keyPair{certFile: cert, keyFile: key}
		if err := kp.load(); err != nil {
			return nil, err
		}
		for _, n := range kp.cert.Leaf.DNSNames {
			if !strings.HasPrefix(n, "*.") {
				h.names = append(h.names, n)
			}
		}
		h.tls = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: kp.get}
		return h, nil
	}
	for d := range strings.SplitSeq(domains, ",") {
		d = strings.ToLower(strings.TrimSpace(d))
		if d == "" {
			continue
		}
		if strings.ContainsAny(d, ":/*") || !strings.Contains(d, ".") || net.ParseIP(d) != nil {
			return nil, fmt.Errorf("--tls-domain %q: give host names like maeul.example.kr, without scheme, port or wildcard", d)
		}
		h.names = append(h.names, d)
	}
	if len(h.names) == 0 {
		return nil, errors.New("--tls-domain names no domain")
	}
	cache, err := acmeCacheDir(*f.acmeCache, dsn)
	if err != nil {
		return nil, err
	}
	client := &acme.Client{DirectoryURL: *f.acmeDirectory}
	if *f.acmeRoots != "" {
		pem, err := os.ReadFile(*f.acmeRoots)
		if err != nil {
			return nil, fmt.Errorf("--acme-roots: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--acme-roots %s: no PEM certificate in it", *f.acmeRoots)
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		client.HTTPClient = &http.Client{Transport: tr, Timeout: time.Minute}
	}
	h.acme = &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(cache),
		HostPolicy: hostPolicy(h.names),
		Client:     client,
		Email:      *f.acmeEmail,
	}
	h.tls = h.acme.TLSConfig()
	h.tls.MinVersion = tls.VersionTLS12
	return h, nil
}

// hostPolicy lets ACME ask only for the configured names. An http-01
// challenge names its host with the port when the port is not 80 (a test,
// a port mapping), so a port is ignored.
func hostPolicy(names []string) autocert.HostPolicy {
	allowed := autocert.HostWhitelist(names...)
	return func(ctx context.Context, host string) error {
		if h, _, err := net.SplitHostPort(host); err == nil {
			host = h
		}
		return allowed(ctx, strings.ToLower(host))
	}
}

// acmeCacheDir is where ACME keeps its account and certificates: the
// flag's directory, else one beside a SQLite database, else the user's
// cache directory.
func acmeCacheDir(flagValue, dsn string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != ":memory:" {
		return path + ".acme", nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no directory for ACME certificates: set --acme-cache (%w)", err)
	}
	return filepath.Join(dir, "maeul", "acme"), nil
}

// keyPair is a certificate and key read from files, read again when the
// certificate file changes (a renewal), at most once a minute.
type keyPair struct {
	certFile, keyFile string
	mu                sync.Mutex
	cert              *tls.Certificate
	modTime, checked  time.Time
}

func (k *keyPair) load() error {
	fi, err := os.Stat(k.certFile)
	if err != nil {
		return fmt.Errorf("--tls-cert: %w", err)
	}
	c, err := tls.LoadX509KeyPair(k.certFile, k.keyFile)
	if err != nil {
		return fmt.Errorf("--tls-cert and --tls-key: %w", err)
	}
	k.cert, k.modTime, k.checked = &c, fi.ModTime(), time.Now()
	return nil
}

func (k *keyPair) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if time.Since(k.checked) >= time.Minute {
		k.checked = time.Now()
		if fi, err := os.Stat(k.certFile); err == nil && !fi.ModTime().Equal(k.modTime) {
			old := k.cert
			if err := k.load(); err != nil {
				// Perhaps the key is not written yet: keep the old pair
				// and look again in a minute.
				k.cert = old
				slog.Error("tls: the certificate file changed but cannot be read; still serving the previous one", "err", err)
			} else {
				slog.Info("tls: certificate reloaded", "not_after", k.cert.Leaf.NotAfter)
			}
		}
	}
	return k.cert, nil
}

// publicAddress is the site's public base URL: --public-url, else https
// and the certificate's first name (with --addr's port unless 443), else
// "" (each request's own) on a loopback address. Anywhere else the address
// people use cannot be known, and the Host header is the client's to
// choose, so the start stops.
func publicAddress(flagValue, addr string, h *httpsConfig) (string, error) {
	if flagValue != "" {
		return web.ParsePublicURL(flagValue)
	}
	if h != nil && len(h.names) > 0 {
		host := h.names[0]
		if _, port, err := net.SplitHostPort(addr); err == nil && port != "443" && port != "https" {
			host = net.JoinHostPort(host, port)
		}
		return "https://" + host, nil
	}
	if isLoopback(addr) {
		return "", nil
	}
	return "", fmt.Errorf("--addr %s is not a loopback address: set --public-url to the address people use (https://maeul.example.kr behind an HTTPS proxy), or serve HTTPS with --tls-domain", addr)
}

// isLoopback reports whether addr (host:port) listens on loopback only.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// warnPlainHTTP says so when people would reach the site over plain HTTP
// from another machine: sign-in codes, sessions and personal data would
// cross the network readable by anyone on the way.
func warnPlainHTTP(stdout io.Writer, addr, public string, h *httpsConfig) {
	if h != nil || isLoopback(addr) || strings.HasPrefix(public, "https://") {
		return
	}
	msg := "serving plain HTTP on " + addr + ", a non-loopback address, and the public address is not https: " +
		"sign-in codes, sessions and personal data cross the network unencrypted. Serve HTTPS (--tls-domain, or --tls-cert and --tls-key) " +
		"or put an HTTPS proxy in front and give --public-url https://…"
	fmt.Fprintln(stdout, "WARNING: "+msg)
	slog.Warn(msg)
}
