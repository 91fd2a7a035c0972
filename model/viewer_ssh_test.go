package model

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/keyhole-sh/keyhole/share"
	"github.com/keyhole-sh/keyhole/share/sharetest"
)

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
	v := sharetest.Watch(t, srv.Addr(), sharetest.CodeClient("bob", srv.JoinCode()), 80, 24)
	<-changed
	wo.m = update(t, wo.m, SharingChangedMsg{})
	if wo.m.watching != 1 {
		t.Fatalf("the presenter counts %d viewers", wo.m.watching)
	}
	v.WaitFor(t, "alice@test")
	wo.m = run(t, wo.m, press("enter"))
	v.WaitFor(t, "client_credentials")
	token := wo.m.active().tok.Access.Reveal()
	wo.m = update(t, wo.m, press("ctrl+r"))
	wo.m.composer.SetRequest("GET", "/api/me", "Accept: application/json", "")
	wo.m = run(t, wo.m, press("ctrl+s"))
	if !strings.Contains(plain(wo.m), token[:20]) {
		t.Fatalf("the presenter does not show the token it revealed:\n%s", plain(wo.m))
	}
	v.WaitFor(t, "200 OK")
	grants := wo.tokenRequests()
	sentBefore := wo.m.sendSeq
	for _, k := range []string{"r", "a", "x", "\x13", "\x12", "\r", "o", "W", "X", "y"} {
		if _, err := io.WriteString(v.Keys, k); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if wo.tokenRequests() != grants || wo.m.sendSeq != sentBefore {
		t.Errorf("viewer keys reached the presenter: %d token requests (were %d), send %d (was %d)", wo.tokenRequests(), grants, wo.m.sendSeq, sentBefore)
	}
	for _, form := range leakForms(token) {
		if strings.Contains(v.String(), form) {
			t.Errorf("the viewer's terminal got the token as %q", form)
		}
	}
	if _, err := io.WriteString(v.Keys, "q"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-v.Ended:
	case <-time.After(5 * time.Second):
		t.Fatal("q did not end the viewer's session")
	}
	<-changed
	if n := len(srv.Viewers()); n != 0 {
		t.Errorf("%d viewers after the only one left", n)
	}
	// A second viewer is there when the presenter quits: it reads goodbye.
	v2 := sharetest.Watch(t, srv.Addr(), sharetest.CodeClient("carol", srv.JoinCode()), 100, 30)
	v2.WaitFor(t, "200 OK")
	closed = true
	if err := srv.Close(GoodbyeQuit); err != nil {
		t.Fatal(err)
	}
	select {
	case <-v2.Ended:
	case <-time.After(5 * time.Second):
		t.Fatal("closing did not end the viewer's session")
	}
	if !strings.Contains(v2.String(), GoodbyeQuit) {
		t.Errorf("the viewer did not read goodbye:\n%s", ansiRE.ReplaceAllString(v2.String(), ""))
	}
}
