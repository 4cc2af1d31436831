package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// built is the binary the process tests run, built once by the first that
// asks (linking it takes a good part of a minute on a busy machine) into a
// directory TestMain removes.
var built struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

// buildMaeul returns the maeul binary, building it on first use.
func buildMaeul(t *testing.T) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "maeul-bin-")
		if built.err != nil {
			return
		}
		built.bin = filepath.Join(built.dir, "maeul")
		if out, err := exec.Command("go", "build", "-o", built.bin, ".").CombinedOutput(); err != nil {
			built.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatalf("build: %v", built.err)
	}
	return built.bin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}

// startMaeul runs `maeul <args> --addr ADDR` on a free loopback port and
// waits until it prints ready; it returns what it printed until then. The
// process is killed when the test ends.
func startMaeul(t *testing.T, bin, ready string, args ...string) (*exec.Cmd, string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, append(args, "--addr", addr)...)
	cmd.Env = append(os.Environ(), "MAEUL_LOG_LEVEL=warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	up := make(chan string, 1)
	go func() {
		// Read to the end, so that the process never blocks on a full pipe.
		var b strings.Builder
		sent := false
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if sent {
				continue
			}
			b.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), ready) {
				up <- b.String()
				sent = true
			}
		}
	}()
	select {
	case printed := <-up:
		return cmd, addr, printed
	case <-time.After(3 * time.Minute):
		t.Fatalf("maeul %s did not start within 3 minutes", args[0])
	}
	return nil, "", ""
}
