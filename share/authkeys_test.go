package share

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// TestAuthorizedKeyOptions: from="…" and expiry-time="…" are honoured,
// the options that change nothing for a viewer are taken, and any other
// is refused with its line.
func TestAuthorizedKeyOptions(t *testing.T) {
	_, pub := keyPair(t)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub))) + " dana@desk"
	read := func(opts string) ([]authorizedKey, error) {
		file := filepath.Join(t.TempDir(), "authorized_keys")
		if err := os.WriteFile(file, []byte("# team\n"+opts+" "+line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return readAuthorizedKeys(file)
	}
	at := func(addr string) net.Addr {
		a, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		opts  string
		admit map[string]bool
	}{
		{`from="127.0.0.1"`, map[string]bool{"127.0.0.1:5000": true, "127.0.0.2:5000": false}},
		{`from="10.0.0.0/8,!10.0.0.5"`, map[string]bool{"10.1.2.3:22": true, "10.0.0.5:22": false, "192.168.0.1:22": false}},
		{`from="192.168.1.*,::1"`, map[string]bool{"192.168.1.77:22": true, "192.168.2.1:22": false, "[::1]:22": true}},
		{`from="127.0.0.?"`, map[string]bool{"127.0.0.9:1": true, "127.0.0.10:1": false}},
		{`restrict,from="127.0.0.1",no-port-forwarding`, map[string]bool{"127.0.0.1:1": true}},
		{`from="127.0.0.1",expiry-time="20261206Z"`, map[string]bool{"127.0.0.1:1": false}},
		{`expiry-time="202612071200Z"`, map[string]bool{"127.0.0.1:1": true, "[::ffff:10.0.0.1]:1": true}},
		{`from="10.0.0.1"`, map[string]bool{"[::ffff:10.0.0.1]:22": true}},
		{`from="*"`, map[string]bool{"10.9.9.9:1": true, "[::1]:1": true}},
		{`from="2001:db8::*"`, map[string]bool{"[2001:db8::7]:22": true, "[2001:db9::7]:22": false}},
	} {
		keys, err := read(c.opts)
		if err != nil {
			t.Errorf("%s: %v", c.opts, err)
			continue
		}
		if len(keys) != 1 || keys[0].comment != "dana@desk" {
			t.Fatalf("%s: keys %+v", c.opts, keys)
		}
		for addr, want := range c.admit {
			if got := keys[0].admits(at(addr), now); got != want {
				t.Errorf("%s from %s: admitted %v, want %v", c.opts, addr, got, want)
			}
		}
	}
	for _, c := range []struct{ opts, want string }{
		{`command="/bin/sh"`, "authorized_keys:2: the option command is not supported"},
		{`no-pty`, "authorized_keys:2: no-pty: a viewer needs a terminal"},
		{`from="*.example.com"`, `*.example.com is a host name`},
		{`from="!evil.example.com,*"`, "evil.example.com is a host name"},
		{`from="!cafe,*"`, "cafe is a host name"},
		{`from="10.0.0.0/33"`, "10.0.0.0/33 is not an address/length"},
		{`from=""`, "an empty pattern"},
		{`expiry-time="tomorrow"`, `expiry-time="tomorrow": not YYYYMMDD`},
		{`permitopen="host:22"`, "the option permitopen is not supported"},
	} {
		if _, err := read(c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v; want one saying %q", c.opts, err, c.want)
		}
	}
}

// TestFromIsHonouredOverSSH: a key whose from="…" does not name the
// loopback address is refused, and the same key with it gets in.
func TestFromIsHonouredOverSSH(t *testing.T) {
	signer, pub := keyPair(t)
	line := strings.TrimSpace(string(gossh.MarshalAuthorizedKey(pub))) + " erin@laptop"
	cfg := &gossh.ClientConfig{User: "erin", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)}, HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second}
	for _, c := range []struct {
		opts string
		in   bool
	}{
		{`from="10.0.0.0/8"`, false},
		{`from="127.0.0.0/8,!127.0.0.1"`, false},
		{`expiry-time="20200101"`, false},
		{`from="127.0.0.1"`, true},
	} {
		file := filepath.Join(t.TempDir(), "authorized_keys")
		if err := os.WriteFile(file, []byte(c.opts+" "+line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		s := start(t, Options{AuthorizedKeys: file})
		conn, err := gossh.Dial("tcp", s.Addr(), cfg)
		if conn != nil {
			conn.Close()
		}
		if (err == nil) != c.in {
			t.Errorf("%s: dial error %v; want admitted %v", c.opts, err, c.in)
		}
	}
}

// FuzzAuthorizedKeyOption: no option text makes apply or admits panic,
// and an option apply takes leaves the key admitting only what it says
// (never an address a from= it holds does not match).
func FuzzAuthorizedKeyOption(f *testing.F) {
	for _, s := range []string{`from="10.0.0.0/8,!10.0.0.5"`, `from="192.168.1.*,::1"`, `expiry-time="20261206Z"`, `restrict`, `from="!*"`, `from="?,*"`, `from="[::1]"`, `from="1.2.3.4/0"`, `expiry-time="202612061200"`} {
		f.Add(s, "10.0.0.5")
	}
	f.Fuzz(func(t *testing.T, opt, ip string) {
		var k authorizedKey
		if err := k.apply(opt); err != nil {
			return
		}
		addr, err := net.ResolveTCPAddr("tcp", net.JoinHostPort(ip, "22"))
		if err != nil {
			return
		}
		in := k.admits(addr, time.Now())
		if in && k.from != nil {
			ap := addr.AddrPort()
			found := false
			for _, p := range k.from {
				if p.matches(ap.Addr().Unmap()) {
					if p.negated {
						t.Fatalf("%s admitted %s, which a negated pattern matches", opt, ip)
					}
					found = true
				}
			}
			if !found {
				t.Fatalf("%s admitted %s, which no pattern matches", opt, ip)
			}
		}
	})
}
