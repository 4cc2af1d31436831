package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Server timeouts: a client that sends its headers or body slowly, or
// reads the answer slowly, no longer holds a connection and its handler.
// Routes that take files have longer (web.UploadTimeout).
type timeouts struct {
	header, read, write, idle time.Duration
}

var serverTimeouts = timeouts{header: 10 * time.Second, read: 30 * time.Second, write: time.Minute, idle: 2 * time.Minute}

func newServer(h http.Handler, t timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.header, ReadTimeout: t.read, WriteTimeout: t.write, IdleTimeout: t.idle,
		MaxHeaderBytes: 64 << 10, ErrorLog: slogErrorLog()}
}

// slogErrorLog sends the server's own complaints (TLS handshakes that
// fail, bad requests) to the JSON log at debug level: scanners cause them
// all day.
func slogErrorLog() *log.Logger {
	return slog.NewLogLogger(slog.Default().Handler(), slog.LevelDebug)
}

// site is what serve listens with: the app on --addr (over TLS with
// HTTPS), and with HTTPS and --http-addr a plain-HTTP server that answers
// ACME http-01 challenges and sends everything else to the public https
// address.
type site struct {
	main, plain     *http.Server
	mainLn, plainLn net.Listener
	https           bool // main serves TLS (the server's own fields are its own once it serves)
}

func listen(h http.Handler, addr string, hc *httpsConfig, public string) (*site, error) {
	s := &site{main: newServer(h, serverTimeouts)}
	var err error
	if s.mainLn, err = net.Listen("tcp", addr); err != nil {
		return nil, err
	}
	if hc == nil {
		return s, nil
	}
	s.main.TLSConfig, s.https = hc.tls, true
	if hc.httpAddr == "" {
		return s, nil
	}
	if s.plainLn, err = net.Listen("tcp", hc.httpAddr); err != nil {
		s.mainLn.Close()
		return nil, fmt.Errorf("--http-addr: %w", err)
	}
	target := "https://" + s.mainLn.Addr().String()
	if public != "" {
		target = public
		if u, err := url.Parse(public); err == nil {
			target = "https://" + u.Host
		}
	}
	var redirect http.Handler = toHTTPS(target)
	if hc.acme != nil {
		redirect = hc.acme.HTTPHandler(redirect)
	}
	s.plain = newServer(redirect, serverTimeouts)
	return s, nil
}

// toHTTPS sends every request to the same path and query at base, never to
// the host the request named.
func toHTTPS(base string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := http.StatusMovedPermanently
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			code = http.StatusPermanentRedirect
		}
		http.Redirect(w, r, base+r.URL.RequestURI(), code)
	})
}

// url is where the app answers.
func (s *site) url() string {
	if s.https {
		return "https://" + s.mainLn.Addr().String()
	}
	return "http://" + s.mainLn.Addr().String()
}

// serve runs the servers; the channel gets the first that stops.
func (s *site) serve() <-chan error {
	errc := make(chan error, 2)
	go func() {
		if s.https {
			errc <- s.main.ServeTLS(s.mainLn, "", "")
		} else {
			errc <- s.main.Serve(s.mainLn)
		}
	}()
	if s.plain != nil {
		go func() { errc <- s.plain.Serve(s.plainLn) }()
	}
	return errc
}

// shutdown stops both servers, letting requests in flight finish.
func (s *site) shutdown(ctx context.Context) error {
	var err error
	if s.plain != nil {
		err = s.plain.Shutdown(ctx)
	}
	return errors.Join(err, s.main.Shutdown(ctx))
}
