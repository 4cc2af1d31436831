package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestServerTimeoutsAreSet(t *testing.T) {
	// Not parallel: it measures time.
	s := newServer(http.NotFoundHandler(), serverTimeouts)
	if s.ReadHeaderTimeout <= 0 || s.ReadTimeout < s.ReadHeaderTimeout || s.WriteTimeout < s.ReadTimeout || s.IdleTimeout <= 0 {
		t.Fatalf("timeouts: header %s, read %s, write %s, idle %s", s.ReadHeaderTimeout, s.ReadTimeout, s.WriteTimeout, s.IdleTimeout)
	}
}

// trickle writes lines to c one every step until the server hangs up, and
// returns how long that took (or the limit, if it never did).
func trickle(c net.Conn, lines []string, step, limit time.Duration) time.Duration {
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c) // returns when the server closes the connection
		close(closed)
	}()
	for i := 0; time.Since(start) < limit; i++ {
		select {
		case <-closed:
			return time.Since(start)
		case <-time.After(step):
		}
		if _, err := io.WriteString(c, lines[i%len(lines)]); err != nil {
			<-closed
			return time.Since(start)
		}
	}
	return limit
}

// TestSlowClientsAreCutOff: a client that sends its headers a line at a
// time (slowloris), or its body a byte at a time, is disconnected after
// the header or read timeout, and the handler waiting for the body is let
// go.
func TestSlowClientsAreCutOff(t *testing.T) {
	// Not parallel: it measures time.
	released := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		released <- err
	})
	srv := newServer(h, timeouts{header: 300 * time.Millisecond, read: 600 * time.Millisecond, write: time.Second, idle: time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\n")
	if took := trickle(c, []string{"X-Slow: a\r\n"}, 50*time.Millisecond, 5*time.Second); took > 2*time.Second {
		t.Errorf("a client sending headers slowly held its connection for %s", took)
	}

	c2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	io.WriteString(c2, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n")
	if took := trickle(c2, []string{"x"}, 50*time.Millisecond, 5*time.Second); took > 2*time.Second {
		t.Errorf("a client sending its body slowly held its connection for %s", took)
	}
	select {
	case err := <-released:
		if err == nil {
			t.Error("the handler read a whole body that never came")
		}
	case <-time.After(2 * time.Second):
		t.Error("the handler is still waiting for the slow body")
	}
}

// TestServeRefusesLargeBodies: over a real connection to `serve`, a form
// or JSON body above the limit is answered 413 in the reader's language,
// whether it declares its length or not.
func TestServeRefusesLargeBodies(t *testing.T) {
	// Not parallel: it measures time.
	addr := freeAddr(t)
	serveInProcess(t, "--db", "sqlite:"+filepath.Join(t.TempDir(), "limits.db"), "--addr", addr)
	big := strings.Repeat("0", 2<<20)
	for _, c := range []struct {
		path, ctype, body, lang, want string
		chunked                       bool
	}{
		{"/login/phone", "application/x-www-form-urlencoded", "phone=" + big, "ko", "너무 큽니다", false},
		{"/login/phone", "application/x-www-form-urlencoded", "phone=" + big, "en", "too large", true},
		{"/api/v1/auth/code", "application/json", `{"phone":"` + big + `"}`, "en", `"code":"too_large"`, false},
		{"/api/v1/auth/code", "application/json", `{"phone":"` + big + `"}`, "ko", `"code":"too_large"`, true},
		{"/oauth/token", "application/x-www-form-urlencoded", "pre-authorized_code=" + big, "en", "too large", false},
		// The imports take up to 5 MB, and no more.
		{"/api/v1/import", "text/csv", big + big + big, "en", `"code":"too_large"`, false},
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: %s\r\nAccept-Language: %s\r\nX-CSRF-Token: %s\r\nCookie: maeul_csrf=%s\r\n",
			c.path, addr, c.ctype, c.lang, strings.Repeat("t", 32), strings.Repeat("t", 32))
		go func() {
			if c.chunked {
				fmt.Fprintf(conn, "Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(c.body), c.body)
			} else {
				fmt.Fprintf(conn, "Content-Length: %d\r\n\r\n%s", len(c.body), c.body)
			}
		}()
		conn.SetReadDeadline(time.Now().Add(30 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		conn.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), c.want) {
			t.Errorf("%s (chunked %v): %s %.300s", c.path, c.chunked, resp.Status, b)
		}
	}
}
