package model

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/keyhole-sh/keyhole/internal/syncbuf"
	"github.com/keyhole-sh/keyhole/share"
)

// sshViewer is a viewer connected through a real SSH client: what its
// terminal received, and its keyboard.
type sshViewer struct {
	out   syncbuf.Buffer
	keys  io.WriteCloser
	ended chan struct{}
}

// watchOverSSH connects a viewer to srv with a w×h terminal, typing the
// join code.
func watchOverSSH(t *testing.T, srv *share.Server, w, h int) *sshViewer {
	t.Helper()
	code := srv.JoinCode()
	client, err := gossh.Dial("tcp", srv.Addr(), &gossh.ClientConfig{
		User: "bob",
		Auth: []gossh.AuthMethod{gossh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			return slicesOf(code, len(qs)), nil
		})},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	v := &sshViewer{ended: make(chan struct{})}
	sess.Stdout, sess.Stderr = &v.out, &v.out
	if v.keys, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { sess.Wait(); close(v.ended) }()
	return v
}

func slicesOf(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

// waitFor waits until the viewer's terminal got want.
func (v *sshViewer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(v.out.String(), want) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("the viewer never showed %q; it got:\n%s", want, ansiRE.ReplaceAllString(v.out.String(), ""))
}

// TestWatchingOverSSH: the presenter's session reaches a viewer through
// a real SSH server and client — the token, then the answer to a send
// made with secrets revealed, never the token itself; the viewer's keys
// change nothing of the presenter's (no token request, no send); q
// leaves, and the presenter's count follows; closing says goodbye and
// leaves no goroutine (TestMain).
func TestWatchingOverSSH(t *testing.T) {
	wo := newWorld(t)
	wo.m = update(t, wo.m, tea.WindowSizeMsg{Width: 120, Height: 40})
	changed := make(chan struct{}, 8)
	srv, err := share.Start(share.Options{
		Addr: "127.0.0.1:0", HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		NewViewer: func(_ share.Viewer, first any) tea.Model {
			return NewViewer(ViewerOptions{Presenter: "alice@test"}, first)
		},
		Changed: func() { changed <- struct{}{} },
	})
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			srv.Close("")
		}
	})
	wo.m = shared(t, wo.m, srv)
	v := watchOverSSH(t, srv, 80, 24)
	<-changed
	wo.m = update(t, wo.m, SharingChangedMsg{})
	if wo.m.watching != 1 {
		t.Fatalf("the presenter counts %d viewers", wo.m.watching)
	}
	v.waitFor(t, "alice@test")
	wo.m = run(t, wo.m, press("enter"))
	v.waitFor(t, "client_credentials")
	token := wo.m.active().tok.Access.Reveal()
	wo.m = update(t, wo.m, press("ctrl+r"))
	wo.m.composer.SetRequest("GET", "/api/me", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	if !strings.Contains(plain(wo.m), token[:20]) {
		t.Fatalf("the presenter does not show the token it revealed:\n%s", plain(wo.m))
	}
	v.waitFor(t, "200 OK")
	grants := wo.tokenRequests()
	sentBefore := wo.m.sendSeq
	for _, k := range []string{"r", "a", "x", "\x13", "\x12", "\r", "o", "W", "X", "y"} {
		if _, err := io.WriteString(v.keys, k); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if wo.tokenRequests() != grants || wo.m.sendSeq != sentBefore {
		t.Errorf("viewer keys reached the presenter: %d token requests (were %d), send %d (was %d)", wo.tokenRequests(), grants, wo.m.sendSeq, sentBefore)
	}
	for _, form := range leakForms(token) {
		if strings.Contains(v.out.String(), form) {
			t.Errorf("the viewer's terminal got the token as %q", form)
		}
	}
	if _, err := io.WriteString(v.keys, "q"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-v.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("q did not end the viewer's session")
	}
	<-changed
	if n := len(srv.Viewers()); n != 0 {
		t.Errorf("%d viewers after the only one left", n)
	}
	// A second viewer is there when the presenter quits: it reads goodbye.
	v2 := watchOverSSH(t, srv, 100, 30)
	v2.waitFor(t, "200 OK")
	closed = true
	if err := srv.Close(GoodbyeQuit); err != nil {
		t.Fatal(err)
	}
	select {
	case <-v2.ended:
	case <-time.After(5 * time.Second):
		t.Fatal("closing did not end the viewer's session")
	}
	if !strings.Contains(v2.out.String(), GoodbyeQuit) {
		t.Errorf("the viewer did not read goodbye:\n%s", ansiRE.ReplaceAllString(v2.out.String(), ""))
	}
}
