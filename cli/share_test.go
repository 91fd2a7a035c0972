package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShareNeedsATerminal: share runs the TUI; without a terminal it says
// so and starts no server.
func TestShareNeedsATerminal(t *testing.T) {
	h := newHarness(t)
	r := h.run("share", "--addr", "127.0.0.1:0")
	r.expect(t, ExitUsage, "share without a terminal")
	r.errHas(t, "needs a terminal")
	if _, err := os.Stat(filepath.Join(h.dir, "state", "keyhole", "share_host_ed25519")); err == nil {
		t.Error("a host key was made though nothing was shared")
	}
}

// TestShareStartsWithAPrivateHostKeyAndWarnsOffLoopback: the host key is
// made 0600 in the state folder; its fingerprint and the address are in
// the banner; an address that is not loopback is warned about; a link at
// the host key's path is refused.
func TestShareStartsWithAPrivateHostKeyAndWarnsOffLoopback(t *testing.T) {
	h := newHarness(t)
	e, _, _ := h.env()
	srv, _, err := startShare(e, shareFlags{addr: "127.0.0.1:0", maxViewers: 2}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close("")
	key := filepath.Join(h.dir, "state", "keyhole", "share_host_ed25519")
	fi, err := os.Stat(key)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key %s: %v, mode %v", key, err, fi)
	}
	banner := shareBanner(srv)
	if !strings.Contains(banner, srv.Addr()) || !strings.Contains(banner, "SHA256:") || strings.Contains(banner, "warning") {
		t.Errorf("banner on loopback: %q", banner)
	}
	if n := shareNotice(srv); !strings.Contains(n, srv.JoinCode()) || !strings.Contains(n, "W: who is watching") {
		t.Errorf("first notice: %q", n)
	}
	for addr, warned := range map[string]bool{"127.0.0.1:2222": false, "[::1]:2222": false, "localhost:2222": false, "0.0.0.0:2222": true, "192.168.1.5:2222": true, ":2222": true} {
		if got := loopbackWarning(addr) != ""; got != warned {
			t.Errorf("loopbackWarning(%s) warns: %v, want %v", addr, got, warned)
		}
		if warned && !strings.Contains(loopbackWarning(addr), addr) {
			t.Errorf("the warning does not name %s: %q", addr, loopbackWarning(addr))
		}
	}

	h2 := newHarness(t)
	e2, _, _ := h2.env()
	dir := filepath.Join(h2.dir, "state", "keyhole")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(key, filepath.Join(dir, "share_host_ed25519")); err != nil {
		t.Fatal(err)
	}
	if srv, _, err := startShare(e2, shareFlags{addr: "127.0.0.1:0", maxViewers: 2}, ""); err == nil {
		srv.Close("")
		t.Fatal("a link at the host key's path was followed")
	} else if !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("link refused with: %v", err)
	}
}
