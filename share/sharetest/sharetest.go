// Package sharetest connects viewers to a share server in tests: an SSH
// client (golang.org/x/crypto/ssh) with a terminal of a given size, and
// what the viewer's terminal got.
package sharetest

import (
	"io"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
)

// CodeClient is an SSH client config that answers the join code prompt
// with code.
func CodeClient(user, code string) *gossh.ClientConfig {
	return &gossh.ClientConfig{
		User: user,
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			out := make([]string, len(qs))
			for i := range qs {
				out[i] = code
			}
			return out, nil
		})},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	}
}

// Screen is a viewer's session: what its terminal got so far (String),
// its keyboard (Keys), and Ended, closed when the session ends.
type Screen struct {
	syncbuf.Buffer
	Keys  io.WriteCloser
	Ended chan struct{}
}

// Watch connects a viewer to the share at addr with a w×h terminal.
func Watch(t *testing.T, addr string, cfg *gossh.ClientConfig, w, h int) *Screen {
	t.Helper()
	client, err := gossh.Dial("tcp", addr, cfg)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sc := &Screen{Ended: make(chan struct{})}
	sess.Stdout, sess.Stderr = sc, sc
	if sc.Keys, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sess.Wait(); close(sc.Ended) }()
	return sc
}

// WaitFor waits until the viewer's terminal got want.
func (sc *Screen) WaitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(sc.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the viewer never showed %q; it showed %q", want, sc.String())
}

// WaitEnded waits until the viewer's session ends, failing with why if it
// does not within 5 seconds.
func (sc *Screen) WaitEnded(t *testing.T, why string) {
	t.Helper()
	select {
	case <-sc.Ended:
	case <-time.After(5 * time.Second):
		t.Fatal(why)
	}
}
