package main

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildMaeul builds the binary the process tests run.
func buildMaeul(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "maeul")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
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
